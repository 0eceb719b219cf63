// The kubelet's pod status manager: pkg/kubelet/status/status_manager.go · v1.14
// (SetPodStatus / updateStatusInternal: startTime and condition transition times kept
// from the previous status; syncPod: write when the API's status differs from the
// kubelet's, keeping conditions the kubelet does not own; the final DELETE with grace 0
// and a UID precondition once the pod can be deleted; syncBatch every 10 s rewrites a
// status someone else changed). A failed write is retried by the pod workers after the
// same 10 s.
import * as E from 'fp-ts/lib/Either.js';
import { deepEqual, freezeBuiltTree, type ApiClient, type SimClock } from '@failsim/core';
import type { Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { conditionOfType } from '../runtime/pod-util.js';
import { KUBELET_POD_CONDITIONS } from './pod-status.js';

/** status_manager.go syncPeriod: how often upstream retries statuses it could not write. */
export const STATUS_SYNC_PERIOD_MS = 10_000;

/** What a write attempt came to. */
export type StatusWrite =
  | { readonly result: 'unchanged' }
  | { readonly result: 'written'; readonly pod: Pod }
  /** The server could not be reached or refused for now: try again later. */
  | { readonly result: 'failed' }
  /** The object is gone or is another pod by now (recreated under the same name). */
  | { readonly result: 'gone' };

/** The outcomes without a payload, one frozen object each: every pod sync asks for a write. */
const UNCHANGED: StatusWrite = Object.freeze({ result: 'unchanged' });
const FAILED: StatusWrite = Object.freeze({ result: 'failed' });
const GONE: StatusWrite = Object.freeze({ result: 'gone' });

const isKubeletCondition = (c: PodCondition): boolean => KUBELET_POD_CONDITIONS.includes(c.type);

/** `conditions.every(isKubeletCondition)` as a loop: syncPod asks on every write. */
const allKubelets = (conditions: readonly PodCondition[]): boolean => {
  for (let i = 0; i < conditions.length; i++) if (!isKubeletCondition(conditions[i]!)) return false;
  return true;
};

/** Whether `value`'s enumerable keys are exactly `keys`, in this order. */
const hasKeys = (value: object, keys: readonly string[]): boolean => {
  let i = 0;
  for (const key in value) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
};

// The shapes generatePodStatus builds, which the two functions below copy as literals.
const TYPE_STATUS = ['type', 'status'];
const TYPE_STATUS_REASON = ['type', 'status', 'reason'];
const TYPE_STATUS_REASON_MESSAGE = ['type', 'status', 'reason', 'message'];
const STATUS_WITH_POD_IP = ['phase', 'conditions', 'hostIP', 'podIP', 'containerStatuses', 'qosClass'];
const STATUS_WITHOUT_POD_IP = ['phase', 'conditions', 'hostIP', 'containerStatuses', 'qosClass'];

const frozenIf = <T extends object>(frozen: boolean, value: T): T => (frozen ? Object.freeze(value) : value);

/**
 * `{ ...c, lastTransitionTime }`: the same members in the same order, as one literal for
 * the shapes the kubelet generates. A copy that gains a member past the four an empty
 * literal has room for keeps it in a separate property array for the object's life, and
 * the written conditions live as long as the pod. Other shapes are copied and extended.
 */
const withTransitionTime = (c: PodCondition, lastTransitionTime: string | undefined): PodCondition => {
  // Frozen at once when every member is defined (as the generated ones are), so that the
  // write's freezeBuiltTree finds it frozen; one with an undefined member is left to it.
  const defined = lastTransitionTime !== undefined && c.status !== undefined;
  if (hasKeys(c, TYPE_STATUS)) return frozenIf(defined, { type: c.type, status: c.status, lastTransitionTime });
  if (hasKeys(c, TYPE_STATUS_REASON)) return frozenIf(defined && c.reason !== undefined, { type: c.type, status: c.status, reason: c.reason, lastTransitionTime });
  if (hasKeys(c, TYPE_STATUS_REASON_MESSAGE)) {
    return frozenIf(defined && c.reason !== undefined && c.message !== undefined, {
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime,
    });
  }
  // Assign, then set: a spread gaining a member leaves V8's fast copy path.
  const copy: PodCondition = Object.assign({}, c);
  copy.lastTransitionTime = lastTransitionTime;
  return copy;
};

/** `{ ...generated, conditions, startTime }`, as one literal for the shapes generatePodStatus builds (see {@link withTransitionTime}). */
const withConditionsAndStart = (generated: PodStatus, conditions: PodCondition[], startTime: string): PodStatus => {
  const g = generated;
  if (hasKeys(g, STATUS_WITH_POD_IP)) {
    return { phase: g.phase, conditions, hostIP: g.hostIP, podIP: g.podIP, containerStatuses: g.containerStatuses, qosClass: g.qosClass, startTime };
  }
  if (hasKeys(g, STATUS_WITHOUT_POD_IP)) return { phase: g.phase, conditions, hostIP: g.hostIP, containerStatuses: g.containerStatuses, qosClass: g.qosClass, startTime };
  const status: PodStatus = Object.assign({}, g);
  status.conditions = conditions;
  status.startTime = startTime;
  return status;
};

/** A stored Pod's members, in the order the API server keeps them: as its creator gave them, or with the type added last. */
const STORED_POD = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
const STORED_POD_TYPE_ADDED = ['metadata', 'spec', 'apiVersion', 'kind', 'status'];

/**
 * `{ ...target, status }`, as one literal for a stored Pod's shape: the spread that
 * replaces a member took V8's slow copy path, on every status write of every pod.
 */
const withStatus = (target: Pod, status: PodStatus): Pod => {
  const t = target;
  if (hasKeys(t, STORED_POD)) return { apiVersion: t.apiVersion, kind: t.kind, metadata: t.metadata, spec: t.spec, status };
  if (hasKeys(t, STORED_POD_TYPE_ADDED)) return { metadata: t.metadata, spec: t.spec, apiVersion: t.apiVersion, kind: t.kind, status };
  return { ...t, status };
};

/** What {@link withTransitionTime} builds from each shape: the same members, then lastTransitionTime. */
const TYPE_STATUS_TIME = ['type', 'status', 'lastTransitionTime'];
const TYPE_STATUS_REASON_TIME = ['type', 'status', 'reason', 'lastTransitionTime'];
const TYPE_STATUS_REASON_MESSAGE_TIME = ['type', 'status', 'reason', 'message', 'lastTransitionTime'];

/**
 * Whether `old` is what `withTransitionTime(c, old.lastTransitionTime)` would build: the
 * same members with the same values, in the same order. Most syncs change one condition
 * or none (a container started, readiness unchanged), and the kubelet's previous status
 * (frozen when written) then lends its conditions instead of equal copies being made,
 * frozen and compared member by member on the next write.
 */
const sameWithTransitionTime = (c: PodCondition, old: PodCondition): boolean => {
  if (old.type !== c.type || old.status !== c.status) return false;
  if (hasKeys(c, TYPE_STATUS)) return hasKeys(old, TYPE_STATUS_TIME);
  if (hasKeys(c, TYPE_STATUS_REASON)) return old.reason === c.reason && hasKeys(old, TYPE_STATUS_REASON_TIME);
  if (hasKeys(c, TYPE_STATUS_REASON_MESSAGE)) return old.reason === c.reason && old.message === c.message && hasKeys(old, TYPE_STATUS_REASON_MESSAGE_TIME);
  return false;
};

/** Keeps the kubelet's last status per pod and writes it to the API server. */
export class StatusManager {
  readonly #clock: SimClock;
  readonly #client: ApiClient;
  readonly #statuses = new Map<string, PodStatus>();

  constructor(clock: SimClock, client: ApiClient) {
    this.#clock = clock;
    this.#client = client;
  }

  /** The last status the kubelet set for pod `uid`. */
  status(uid: string): PodStatus | undefined {
    return this.#statuses.get(uid);
  }

  /**
   * Sets the kubelet's status of pod `uid` — `generated` completed with startTime and
   * condition transition times from the previous status (the kubelet's, else `target`'s)
   * — and writes it to `target` (the API pod, or a static pod's mirror pod) when the
   * API's status differs. Conditions the kubelet does not own are kept as the API has them.
   */
  setPodStatus(uid: string, generated: PodStatus, target: Pod | undefined): StatusWrite {
    const kubelets = this.#statuses.get(uid);
    const previous = kubelets ?? target?.status;
    const now = this.#clock.iso();
    const generatedConditions = generated.conditions ?? [];
    const previousConditions = previous?.conditions;
    const n = generatedConditions.length;
    // Built only from the first condition that is not the previous list's at the same index:
    // while every one is, that list is kept (most syncs), and no list is made.
    let conditions = previousConditions !== undefined && previousConditions.length === n ? undefined : new Array<PodCondition>(n);
    for (let i = 0; i < n; i++) {
      const c = generatedConditions[i] as PodCondition;
      const old = previousConditions === undefined ? undefined : conditionOfType(previousConditions, c.type);
      let condition: PodCondition;
      // The scheduler's PodScheduled (set at binding) is kept as it is.
      if (c.type === 'PodScheduled' && old?.status === 'True') condition = old;
      else if (old !== undefined && sameWithTransitionTime(c, old)) condition = old;
      else condition = withTransitionTime(c, old?.status === c.status ? old.lastTransitionTime : now);
      if (conditions === undefined) {
        if (condition === previousConditions![i]) continue;
        conditions = new Array<PodCondition>(n);
        for (let j = 0; j < i; j++) conditions[j] = previousConditions![j] as PodCondition;
      }
      conditions[i] = condition;
    }
    const status = withConditionsAndStart(generated, conditions ?? (previousConditions as PodCondition[]), previous?.startTime ?? now);
    // A sync that changes nothing keeps the kubelet's previous object (frozen and shared
    // with the API server once written) lets syncPod's comparison stop at identity.
    if (kubelets === undefined || !deepEqual(status, kubelets)) this.#statuses.set(uid, status);
    return this.syncPod(uid, target);
  }

  /** needsReconcile: whether `target`'s status differs from the kubelet's status of pod `uid`. */
  needsReconcile(uid: string, target: Pod | undefined): boolean {
    const status = this.#statuses.get(uid);
    return status !== undefined && target !== undefined && !deepEqual(this.#merged(status, target), target.status);
  }

  /** syncPod: writes the kubelet's status of pod `uid` to `target` if the API's differs. */
  syncPod(uid: string, target: Pod | undefined): StatusWrite {
    const status = this.#statuses.get(uid);
    if (!status || !target) return UNCHANGED;
    const merged = this.#merged(status, target);
    if (deepEqual(merged, target.status)) return UNCHANGED;
    // Frozen before the write, so the API server stores this very object (it shares frozen
    // subtrees) and the kubelet keeps it: the next comparison with the stored status — on
    // the watch event of this write, on the next sync — stops at identity.
    const written = freezeBuiltTree(merged);
    if (merged === status) this.#statuses.set(uid, written);
    const result = this.#client.updateStatus('Pod', withStatus(target, written));
    if (E.isRight(result)) return { result: 'written', pod: result.right };
    return result.left.reason === 'NotFound' ? GONE : FAILED;
  }

  /**
   * The final DELETE of a terminated pod (grace 0, UID precondition), which removes the
   * object. 'gone' when it was already removed or replaced by a pod of the same name.
   */
  deletePod(pod: Pod): 'deleted' | 'failed' | 'gone' {
    const uid = pod.metadata?.uid ?? '';
    const deleted = this.#client.delete('Pod', pod.metadata?.name ?? '', {
      namespace: pod.metadata?.namespace ?? 'default',
      gracePeriodSeconds: 0,
      preconditions: { uid },
    });
    if (E.isRight(deleted)) return 'deleted';
    return deleted.left.reason === 'NotFound' || deleted.left.reason === 'Conflict' ? 'gone' : 'failed';
  }

  /**
   * The kubelet's status with the conditions it does not own as `target` has them: the
   * kubelet's own object when the target has none (the usual case), so nothing is built.
   */
  #merged(status: PodStatus, target: Pod): PodStatus {
    const foreign = target.status?.conditions;
    // The kubelet's own list (the API has what it wrote: the usual case) holds only its
    // conditions: it is built from the generated ones, by type.
    if (status.conditions !== undefined && (foreign === undefined || foreign === status.conditions || allKubelets(foreign))) return status;
    return { ...status, conditions: [...(status.conditions ?? []), ...(foreign ?? []).filter((c) => !isKubeletCondition(c))] };
  }

  /** Forgets pod `uid`. */
  removePod(uid: string): void {
    this.#statuses.delete(uid);
  }
}
