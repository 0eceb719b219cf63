// The pods view's rows: `kubectl get pods --all-namespaces -o wide` columns NAMESPACE NAME
// READY STATUS RESTARTS AGE NODE (printPod of pkg/printers/internalversion/printers.go ·
// v1.14, through @failsim/controllers' podColumns), so Unknown and Terminating read as
// kubectl shows them.
import { podColumns } from '@failsim/controllers';
import type { ObjectOf } from '@failsim/core';
import type { ScenarioRun } from '@failsim/scenarios';
import { rememberChangeKeys, type ChangeKey } from './changes.js';
import { agesAt, timeOf } from './countdown.js';
import { deriveFromList, listOf, memo } from './snapshot.js';

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
 * state (model/snapshot.ts); what depends on a Pod object alone is computed once per
 * object, so a frame costs a lookup and an age per pod.
 */
export const samplePods = (run: ScenarioRun): readonly PodRow[] => memo(run, 'pods', () => {
  const ageOf = agesAt(run.env.cluster.sim.clock.date().getTime());
  const pods = listOf(run, 'Pod');
  const all = pods.map(columns);
  const rows = all.map((c): PodRow => ({ namespace: c.namespace, name: c.name, ready: c.ready, status: c.status, restarts: c.restarts, age: ageOf(c.created), node: c.node }));
  // The same keys array while no Pod changed: the tracker then compares nothing.
  return rememberChangeKeys(rows, deriveFromList(run, 'pod-change-keys', pods, () => all.map((c) => c.changeKey)));
});

/** The columns of a pod that only change when the Pod object does (a change is a new, frozen object). */
interface PodColumns extends Omit<PodRow, 'age'> {
  /** Wall ms of metadata.creationTimestamp (NaN without one). */
  readonly created: number;
  /** The row as model/changes.ts compares it, built once: the same strings every frame. */
  readonly changeKey: ChangeKey;
}
const columnsOf = new WeakMap<ObjectOf<'Pod'>, PodColumns>();
const columns = (pod: ObjectOf<'Pod'>): PodColumns => {
  let c = columnsOf.get(pod);
  if (c === undefined) {
    const { ready, status, restarts } = podColumns(pod);
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const node = pod.spec?.nodeName || '<none>';
    c = { namespace, name, ready, status, restarts, node, created: timeOf(pod.metadata?.creationTimestamp), changeKey: [`${namespace}/${name}`, `${ready}|${status}|${restarts}|${node}`] };
    columnsOf.set(pod, c);
  }
  return c;
};
