// The pods view's rows: `kubectl get pods --all-namespaces -o wide` columns NAMESPACE NAME
// READY STATUS RESTARTS AGE NODE (printPod of pkg/printers/internalversion/printers.go ·
// v1.14, through @failsim/controllers' podColumns), so Unknown and Terminating read as
// kubectl shows them.
import { podColumns, translateTimestampSince } from '@failsim/controllers';
import type { ScenarioRun } from '@failsim/scenarios';
import * as E from 'fp-ts/lib/Either.js';
import { dashboardClient } from './nodes.js';

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

/** Samples the pods view: every Pod, by namespace then name (the API server's list order). */
export const samplePods = (run: ScenarioRun): PodRow[] => {
  const pods = dashboardClient(run).list('Pod');
  if (E.isLeft(pods)) return [];
  const now = run.env.cluster.sim.clock.date();
  return pods.right.items.map((pod) => {
    const { ready, status, restarts } = podColumns(pod);
    return {
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      ready,
      status,
      restarts,
      age: translateTimestampSince(pod.metadata?.creationTimestamp, now),
      node: pod.spec?.nodeName || '<none>',
    };
  });
};
