// The ReplicaSet controller, as upstream's pkg/controller/replicaset/replica_set.go
// (syncReplicaSet, manageReplicas, getPodsToDelete, calculateStatus in
// replica_set_utils.go) with controller.FilterActivePods / IsPodActive and the ActivePods
// deletion order of pkg/controller/controller_utils.go — Kubernetes 1.18; reference §5.2.
// A pod counts only while active (not Succeeded/Failed, no deletionTimestamp): the moment
// a pod turns Terminating — evicted from a dead node, drained, deleted — a replacement is
// created, even though the old one may still run on a partitioned node.
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { ReplicaSet, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { EventRecorder, type Informer, deepEqual, type ApiClient, type InformerEvent, type LabelMatcher, type SeededRandom } from '@failsim/core';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { controllerOf, isPodActive, keyOf, podCondition, splitKey } from '../runtime/pod-util.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import { InstantCreations, type IndexedInformer, type OwnerIndex, indexedPods, adopt, compareForDeletion, enqueueOwnersOfPodEvent, OwnerKeys, podFromTemplate, randomSuffix, selectorOf, timeOf } from './controller-utils.js';

/** Options of the {@link ReplicaSetController}. */
export interface ReplicaSetControllerOptions {
  /** BurstReplicas: most creations or deletions in one sync (500 upstream). */
  readonly burstReplicas?: number;
}

/** How often a create retries another generated name after AlreadyExists. */
const NAME_ATTEMPTS = 5;

/**
 * ReplicaSetController: keeps `spec.replicas` active pods matching the selector.
 *
 * Pods are named `<rs>-<5 random characters>` (upstream's generateName alphabet, drawn
 * from the simulation's seeded random source), owned with a controller reference; orphans
 * matching the selector are adopted. Scale-down deletes in upstream's ActivePods order:
 * unscheduled, then Pending, Unknown, Running; not ready before ready; ready for the
 * shortest time; most restarts; newest. Events: `SuccessfulCreate` `Created pod: <p>`,
 * `SuccessfulDelete` `Deleted pod: <p>`.
 */
export class ReplicaSetController implements Component {
  readonly name = 'replicaset-controller';
  readonly #ctx: ControllerContext;
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;
  readonly #random: SeededRandom;
  readonly #burst: number;
  readonly #sets: Informer<'ReplicaSet'>;
  readonly #pods: Informer<'Pod'>;
  /** Pods by owner: the index of the shared Pod informer, shared with the other workload controllers. */
  readonly #index: OwnerIndex<Pod>;
  readonly #indexedPods: IndexedInformer<Pod>;
  readonly #queue: WorkQueue;
  readonly #created: InstantCreations;
  readonly #subscriptions: Subscription[] = [];
  /** The work-queue keys of the sets pods name, kept per set (see OwnerKeys). */
  readonly #ownerKeys = new OwnerKeys();
  /** The sets an orphan may join, as one function for every pod event. */
  readonly #listSets = (): ReplicaSet[] => this.#sets.list();
  /** The running counts of each ReplicaSet synced with minReadySeconds 0, by uid. */
  readonly #tallies = new Map<string, ReplicaTally>();
  /** The uid of each ReplicaSet key with a tally. */
  readonly #tallyKeys = new Map<string, string>();

  constructor(ctx: ControllerContext, options: ReplicaSetControllerOptions = {}) {
    this.#ctx = ctx;
    this.#client = ctx.sim.api.client(this.name);
    this.#recorder = new EventRecorder(this.#client, { component: this.name }, { trace: ctx.sim.trace });
    this.#random = ctx.sim.random.fork(this.name);
    this.#burst = options.burstReplicas ?? 500;
    this.#sets = sharedInformer(ctx, 'ReplicaSet');
    this.#pods = sharedInformer(ctx, 'Pod');
    this.#indexedPods = indexedPods(this.#pods);
    this.#index = this.#indexedPods.index;
    this.#queue = new WorkQueue(ctx.sim.clock, (key) => this.#sync(key), { owner: this.name });
    this.#created = new InstantCreations(() => ctx.sim.clock.now());
  }

  start(): void {
    this.#subscriptions.push(this.#sets.events$.subscribe((e) => this.#queue.add(keyOf(e.object))));
    this.#subscriptions.push(this.#indexedPods.events$.subscribe((e) => this.#onPod(e)));
  }

  stop(): void {
    for (const s of this.#subscriptions.splice(0)) s.unsubscribe();
    this.#queue.stop();
    // Without events the tallies would go stale: the next start rebuilds them.
    this.#tallies.clear();
    this.#tallyKeys.clear();
  }

  /** addPod/updatePod/deletePod: the controlling ReplicaSet, or those an orphan could join. */
  #onPod(event: InformerEvent<Pod>): void {
    // The owner's running counts follow the index (which has already taken the event).
    // Pods share their ownerReferences across versions: one controller lookup and one tally
    // lookup when they are the same.
    const { old, object } = event;
    const oldRef = old ? controllerOf(old) : undefined;
    const sameRefs = old !== undefined && old.metadata?.ownerReferences === object.metadata?.ownerReferences;
    const before = old ? this.#tallies.get(oldRef?.uid ?? '') : undefined;
    const after = event.type === 'DELETED' ? undefined : sameRefs ? before : this.#tallies.get(controllerOf(object)?.uid ?? '');
    if (before && before !== after && old) before.remove(old);
    if (after) after.put(object, old);
    enqueueOwnersOfPodEvent(event, 'ReplicaSet', this.#listSets, this.#ownerKeys, this.#queue);
  }

  #sync(key: string): ReconcileResult {
    const { namespace, name } = splitKey(key);
    const rs = this.#sets.get(name, namespace);
    if (!rs) {
      this.#dropTally(undefined, key);
      return;
    }
    const selector = selectorOf(rs.spec?.selector);
    if (!selector) {
      this.#dropTally(rs);
      return;
    }
    let failed = false;
    let status: ReplicaSetStatus;
    if ((rs.spec?.minReadySeconds ?? 0) > 0) {
      // Availability changes with time alone: counted over every pod, as upstream does.
      this.#dropTally(rs);
      // calculateStatus counts the same active pods after manageReplicas, which changes
      // neither them (frozen) nor the virtual time: counted while claiming, in one walk.
      const tally = new StatusTally(rs, this.#ctx.sim.clock.epochMs + this.#ctx.sim.clock.now());
      const active = this.#claimActivePods(rs, selector, tally);
      if (!rs.metadata?.deletionTimestamp) failed = !this.#manageReplicas(rs, active.length, () => active);
      status = tally.status(rs, active.length);
    } else {
      // The counts of the pods the claim would walk, kept per pod event: a sync costs the
      // orphans it looks at, not the set's size (the active pods are listed only to choose
      // which to delete).
      const tally = this.#tallyOf(rs, selector);
      const adopted = rs.metadata?.deletionTimestamp ? [] : this.#adoptOrphans(rs, selector, tally);
      // calculateStatus counts the pods as the claim found them, before manageReplicas.
      status = tally.status(rs);
      if (!rs.metadata?.deletionTimestamp) failed = !this.#manageReplicas(rs, tally.active, () => this.#activePods(rs, selector, adopted));
    }
    if (!deepEqual(rs.status, { ...rs.status, ...status })) {
      const updated = this.#client.updateStatus('ReplicaSet', { ...rs, status: { ...rs.status, ...status } });
      if (E.isLeft(updated) && updated.left.reason !== 'NotFound') failed = true;
    }
    if (failed) return { retry: true };
    const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && status.readyReplicas !== status.availableReplicas) return { requeueAfter: minReadySeconds * 1000 };
    return undefined;
  }

  /** FilterActivePods, then claimPods: owned ones matching the selector, plus adopted orphans. */
  #claimActivePods(rs: ReplicaSet, selector: LabelMatcher, tally: StatusTally): Pod[] {
    // Walks the index's own collection: a sync runs on every change of one of its pods, so
    // copying the owned pods into an array first doubled the work of each.
    const pods: Pod[] = [];
    for (const p of this.#index.ownedValues(rs.metadata?.uid)) {
      if (!isPodActive(p) || !selector.matches(p.metadata?.labels)) continue;
      pods.push(p);
      tally.add(p);
    }
    if (rs.metadata?.deletionTimestamp) return pods;
    for (const orphan of this.#index.orphans(rs.metadata?.namespace)) {
      if (!isPodActive(orphan) || !selector.matches(orphan.metadata?.labels)) continue;
      const adopted = adopt(this.#client, 'Pod', rs, orphan);
      if (!adopted) continue;
      pods.push(adopted);
      tally.add(adopted);
    }
    return pods;
  }

  /** The {@link ReplicaTally} of a ReplicaSet, built from the pod index when missing or when its selector or template labels changed. */
  #tallyOf(rs: ReplicaSet, selector: LabelMatcher): ReplicaTally {
    const uid = rs.metadata?.uid ?? '';
    const known = this.#tallies.get(uid);
    if (known?.fits(rs)) return known;
    this.#dropTally(rs);
    const tally = new ReplicaTally(rs, selector);
    for (const pod of this.#index.ownedValues(uid)) tally.put(pod);
    this.#tallies.set(uid, tally);
    this.#tallyKeys.set(keyOf(rs), uid);
    return tally;
  }

  #dropTally(rs: ReplicaSet | undefined, key = rs ? keyOf(rs) : ''): void {
    const uid = this.#tallyKeys.get(key);
    if (uid === undefined) return;
    this.#tallyKeys.delete(key);
    this.#tallies.delete(uid);
  }

  /** claimPods' adoption of matching active orphans; the adopted pods, in order. */
  #adoptOrphans(rs: ReplicaSet, selector: LabelMatcher, tally: ReplicaTally): Pod[] {
    const adopted: Pod[] = [];
    for (const orphan of this.#index.orphans(rs.metadata?.namespace)) {
      if (!isPodActive(orphan) || !selector.matches(orphan.metadata?.labels)) continue;
      const pod = adopt(this.#client, 'Pod', rs, orphan);
      if (!pod) continue;
      // The adoption's watch event puts it too (put is idempotent); this covers a watch
      // that has not delivered it yet, as the claim counted it anyway.
      tally.put(pod);
      adopted.push(pod);
    }
    return adopted;
  }

  /**
   * The active pods the claim found, in its order (owned in index order, then the adopted):
   * the adoption events moved the adopted pods to the end of the owned ones already.
   */
  #activePods(rs: ReplicaSet, selector: LabelMatcher, adopted: readonly Pod[]): Pod[] {
    const pods: Pod[] = [];
    const seen = new Set<string>();
    for (const p of this.#index.ownedValues(rs.metadata?.uid)) {
      if (!isPodActive(p) || !selector.matches(p.metadata?.labels)) continue;
      pods.push(p);
      seen.add(p.metadata?.name ?? '');
    }
    for (const p of adopted) if (!seen.has(p.metadata?.name ?? '')) pods.push(p);
    return pods;
  }

  /** manageReplicas: create or delete the difference, at most burstReplicas at once; false on an error. */
  #manageReplicas(rs: ReplicaSet, activeCount: number, activePods: () => Pod[]): boolean {
    const key = keyOf(rs);
    const pending = this.#created.unseen(key, (n) => this.#pods.get(n, rs.metadata?.namespace) !== undefined).length;
    const diff = activeCount + pending - (rs.spec?.replicas ?? 1);
    let ok = true;
    if (diff < 0) {
      for (let i = 0; i < Math.min(-diff, this.#burst); i++) ok = this.#createPod(rs) && ok;
    } else if (diff > 0) {
      for (const pod of activePods().sort(compareForDeletion).slice(0, Math.min(diff, this.#burst))) {
        const podName = pod.metadata?.name ?? '';
        const deleted = this.#client.delete('Pod', podName, { namespace: pod.metadata?.namespace ?? 'default' });
        if (E.isRight(deleted)) this.#recorder.normal(rs, 'SuccessfulDelete', `Deleted pod: ${podName}`);
        else if (deleted.left.reason !== 'NotFound') {
          this.#recorder.warning(rs, 'FailedDelete', `Error deleting: ${deleted.left.message}`);
          ok = false;
        }
      }
    }
    return ok;
  }

  #createPod(rs: ReplicaSet): boolean {
    const rsName = rs.metadata?.name ?? '';
    for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
      const podName = `${rsName}-${randomSuffix(this.#random)}`;
      const created = this.#client.create('Pod', podFromTemplate(rs.spec?.template, rs, podName));
      if (E.isRight(created)) {
        this.#created.record(keyOf(rs), podName);
        this.#recorder.normal(rs, 'SuccessfulCreate', `Created pod: ${podName}`);
        return true;
      }
      if (created.left.reason === 'AlreadyExists') continue;
      this.#recorder.warning(rs, 'FailedCreate', `Error creating: ${created.left.message}`);
      return false;
    }
    return false;
  }
}

/**
 * calculateStatus over the active pods a sync saw, counted one pod at a time as the claim
 * walks them, with one look at each pod's Ready condition (isPodReady, then
 * IsPodAvailable on the same condition): this ran over every pod of the set on each of
 * its syncs.
 */
class StatusTally {
  readonly #labels: readonly (readonly [string, string])[];
  readonly #minReadyMs: number;
  readonly #nowEpoch: number;
  #fullyLabeled = 0;
  #ready = 0;
  #available = 0;

  /** `nowEpoch`: the wall date of the simulation's now, for minReadySeconds. */
  constructor(rs: ReplicaSet, nowEpoch: number) {
    this.#labels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
    this.#minReadyMs = (rs.spec?.minReadySeconds ?? 0) * 1000;
    this.#nowEpoch = nowEpoch;
  }

  /** Counts one active pod. */
  add(p: Pod): void {
    if (hasLabels(p.metadata?.labels, this.#labels)) this.#fullyLabeled++;
    const ready = podCondition(p, 'Ready');
    if (ready?.status !== 'True') return;
    this.#ready++;
    if (this.#minReadyMs <= 0) this.#available++;
    else {
      const since = timeOf(ready.lastTransitionTime);
      if (since !== undefined && since + this.#minReadyMs <= this.#nowEpoch) this.#available++;
    }
  }

  /** The status of `replicas` counted pods. */
  status(rs: ReplicaSet, replicas: number): ReplicaSetStatus {
    return {
      replicas,
      fullyLabeledReplicas: this.#fullyLabeled,
      readyReplicas: this.#ready,
      availableReplicas: this.#available,
      observedGeneration: rs.metadata?.generation ?? 0,
    };
  }
}

/** Whether `podLabels` has every `[key, value]` of `labels` (the template's labels). */
const hasLabels = (podLabels: Readonly<Record<string, string>> | undefined, labels: readonly (readonly [string, string])[]): boolean => {
  for (const [k, v] of labels) if (podLabels?.[k] !== v) return false;
  return true;
};

/** Bits of a counted pod in a {@link ReplicaTally}. */
const FULLY_LABELED = 1;
const READY = 2;
/** Not an active pod matching the selector. */
const NOT_COUNTED = -1;

/**
 * calculateStatus's counts for a ReplicaSet with minReadySeconds 0 (available = ready),
 * kept pod by pod from the pod events: the active pods its claim would find (owned,
 * active, matching the selector), how many carry the template's labels, how many are
 * Ready. Valid for one uid, selector and template labels.
 */
class ReplicaTally {
  readonly #uid: string;
  readonly #selectorSpec: unknown;
  readonly #labelsSpec: unknown;
  readonly #selector: LabelMatcher;
  readonly #labels: readonly (readonly [string, string])[];
  /** Counted pods' bits by name. */
  readonly #pods = new Map<string, number>();
  #fullyLabeled = 0;
  #ready = 0;

  constructor(rs: ReplicaSet, selector: LabelMatcher) {
    this.#uid = rs.metadata?.uid ?? '';
    this.#selectorSpec = rs.spec?.selector;
    this.#labelsSpec = rs.spec?.template?.metadata?.labels;
    this.#selector = selector;
    this.#labels = Object.entries(rs.spec?.template?.metadata?.labels ?? {});
  }

  /** Whether the tally still counts for `rs` (same uid, selector and template labels). */
  fits(rs: ReplicaSet): boolean {
    const selector = rs.spec?.selector;
    const labels = rs.spec?.template?.metadata?.labels;
    return (
      rs.metadata?.uid === this.#uid &&
      (selector === this.#selectorSpec || deepEqual(selector, this.#selectorSpec)) &&
      (labels === this.#labelsSpec || deepEqual(labels, this.#labelsSpec))
    );
  }

  /** Active pods counted. */
  get active(): number {
    return this.#pods.size;
  }

  /**
   * Counts a pod of the set as it is now, replacing its earlier count; idempotent.
   * `previous`: the version it replaces, if known — when both carry the same labels object
   * (a status update), the label verdicts of the earlier count still hold.
   */
  put(p: Pod, previous?: Pod): void {
    // A ReplicaSet's pods share its namespace: the name is the key.
    const name = p.metadata?.name ?? '';
    const before = this.#pods.get(name);
    let bits = NOT_COUNTED;
    if (isPodActive(p)) {
      const labels = p.metadata?.labels;
      if (before !== undefined && previous !== undefined && previous.metadata?.labels === labels) bits = before & FULLY_LABELED;
      else if (this.#selector.matches(labels)) bits = hasLabels(labels, this.#labels) ? FULLY_LABELED : 0;
      if (bits !== NOT_COUNTED && podCondition(p, 'Ready')?.status === 'True') bits |= READY;
    }
    if (bits === before) return;
    if (before !== undefined) this.#uncount(before);
    if (bits === NOT_COUNTED) {
      this.#pods.delete(name);
      return;
    }
    this.#pods.set(name, bits);
    if (bits & FULLY_LABELED) this.#fullyLabeled++;
    if (bits & READY) this.#ready++;
  }

  /** Uncounts a pod, if counted. */
  remove(p: Pod): void {
    const name = p.metadata?.name ?? '';
    const bits = this.#pods.get(name);
    if (bits === undefined) return;
    this.#pods.delete(name);
    this.#uncount(bits);
  }

  #uncount(bits: number): void {
    if (bits & FULLY_LABELED) this.#fullyLabeled--;
    if (bits & READY) this.#ready--;
  }

  /** The status of the counted pods (available = ready: no minReadySeconds). */
  status(rs: ReplicaSet): ReplicaSetStatus {
    return {
      replicas: this.#pods.size,
      fullyLabeledReplicas: this.#fullyLabeled,
      readyReplicas: this.#ready,
      availableReplicas: this.#ready,
      observedGeneration: rs.metadata?.generation ?? 0,
    };
  }
}
