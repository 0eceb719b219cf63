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
import { isPodActive, keyOf, podCondition, splitKey } from '../runtime/pod-util.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import { InstantCreations, type IndexedInformer, type OwnerIndex, indexedPods, adopt, compareForDeletion, ownerKeysForPodEvent, podFromTemplate, randomSuffix, selectorOf, timeOf } from './controller-utils.js';

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
  }

  /** addPod/updatePod/deletePod: the controlling ReplicaSet, or those an orphan could join. */
  #onPod(event: InformerEvent<Pod>): void {
    for (const key of ownerKeysForPodEvent(event, 'ReplicaSet', () => this.#sets.list())) this.#queue.add(key);
  }

  #sync(key: string): ReconcileResult {
    const { namespace, name } = splitKey(key);
    const rs = this.#sets.get(name, namespace);
    if (!rs) return;
    const selector = selectorOf(rs.spec?.selector);
    if (!selector) return;
    // calculateStatus counts the same active pods after manageReplicas, which changes
    // neither them (frozen) nor the virtual time: counted while claiming, in one walk.
    const tally = new StatusTally(rs, this.#ctx.sim.clock.epochMs + this.#ctx.sim.clock.now());
    const active = this.#claimActivePods(rs, selector, tally);
    let failed = false;
    if (!rs.metadata?.deletionTimestamp) failed = !this.#manageReplicas(rs, active);
    const status = tally.status(rs, active.length);
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

  /** manageReplicas: create or delete the difference, at most burstReplicas at once; false on an error. */
  #manageReplicas(rs: ReplicaSet, active: Pod[]): boolean {
    const key = keyOf(rs);
    const pending = this.#created.unseen(key, (n) => this.#pods.get(n, rs.metadata?.namespace) !== undefined).length;
    const diff = active.length + pending - (rs.spec?.replicas ?? 1);
    let ok = true;
    if (diff < 0) {
      for (let i = 0; i < Math.min(-diff, this.#burst); i++) ok = this.#createPod(rs) && ok;
    } else if (diff > 0) {
      for (const pod of active.slice().sort(compareForDeletion).slice(0, Math.min(diff, this.#burst))) {
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
