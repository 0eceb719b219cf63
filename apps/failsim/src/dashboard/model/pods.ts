// The pods view's rows: `kubectl get pods --all-namespaces -o wide` columns NAMESPACE NAME
// READY STATUS RESTARTS AGE NODE (printPod of pkg/printers/internalversion/printers.go ·
// v1.14, through @failsim/controllers' podColumns), so Unknown and Terminating read as
// kubectl shows them.
import { podColumns, translateTimestampSince } from '@failsim/controllers';
import type { ObjectOf } from '@failsim/core';
import type { ScenarioRun } from '@failsim/scenarios';
import { listOf, memo } from './snapshot.js';

/** One row of the pods view. */
export interface PodRow {
  readonly namespace: string;
  readonly name: string;
  readonly ready: string;
  readonly status: string;
  readonly restarts: number;
  readonly age: string;
  /** spec.nodeName, `<none>` before scheduling. */
  readonly node: string;
}

/**
 * Samples the pods view: every Pod, by namespace then name (the API server's list order).
 * The rows depend on the API objects and the time only, so they are computed once per
 * state (model/snapshot.ts).
 */
export const samplePods = (run: ScenarioRun): readonly PodRow[] => memo(run, 'pods', () => {
  const now = run.env.cluster.sim.clock.date();
  const ages = new Map<string | undefined, string>();
  return listOf(run, 'Pod').map((pod) => {
    const created = pod.metadata?.creationTimestamp;
    // Pods created together (a DaemonSet on every node) share an age string.
    let age = ages.get(created);
    if (age === undefined) ages.set(created, (age = translateTimestampSince(created, now)));
    return { ...columns(pod), age };
  });
});

/** The columns of a pod that only change when the Pod object does (a change is a new, frozen object). */
const columnsOf = new WeakMap<ObjectOf<'Pod'>, Omit<PodRow, 'age'>>();
const columns = (pod: ObjectOf<'Pod'>): Omit<PodRow, 'age'> => {
  let c = columnsOf.get(pod);
  if (c === undefined) {
    const { ready, status, restarts } = podColumns(pod);
    c = { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', ready, status, restarts, node: pod.spec?.nodeName || '<none>' };
    columnsOf.set(pod, c);
  }
  return c;
};
