// The columns `kubectl get pods` prints, computed as kubectl's printPod does
// (k8s.io/kubernetes pkg/printers/internalversion/printers.go): READY, STATUS and
// RESTARTS. STATUS is where a lost node shows: `Unknown` for a pod the legacy node
// controller marked NodeLost, `Terminating` for any other pod being deleted.
import type { Pod } from 'kubernetes-types/core/v1.js';

/** The READY, STATUS and RESTARTS columns of one pod. */
export interface PodColumns {
  readonly ready: string;
  readonly status: string;
  readonly restarts: number;
}

/** pkg/util/node NodeUnreachablePodReason. */
export const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

/** READY, STATUS and RESTARTS of `pod`, as `kubectl get pods` shows them. */
export const podColumns = (pod: Pod): PodColumns => {
  const containers = pod.spec?.containers.length ?? 0;
  let reason = pod.status?.reason || pod.status?.phase || '';
  let restarts = 0;
  let ready = 0;
  let initializing = false;
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  initStatuses.forEach((c, i) => {
    restarts += c.restartCount;
    if (initializing || (c.state?.terminated && c.state.terminated.exitCode === 0)) return;
    initializing = true;
    if (c.state?.terminated) {
      reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${pod.spec?.initContainers?.length ?? 0}`;
    }
  });
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata?.deletionTimestamp && pod.status?.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp) reason = 'Terminating';
  return { ready: `${ready}/${containers}`, status: reason, restarts };
};
