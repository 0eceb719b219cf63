// The Deployment controller, as upstream's pkg/controller/deployment (deployment_controller.go
// syncDeployment, sync.go getNewReplicaSet/scaleReplicaSet/calculateStatus/cleanupDeployment,
// rolling.go rolloutRolling/reconcileNewReplicaSet/reconcileOldReplicaSets, recreate.go,
// util/deployment_util.go NewRSNewReplicas/MaxSurge/MaxUnavailable) of Kubernetes 1.18;
// reference §5.2. A Deployment owns one ReplicaSet per pod template, named
// <deployment>-<pod-template-hash>; the ReplicaSet controller makes the pods.
// Not modelled: proportional scaling of several active ReplicaSets during a rollout
// (the rollout still ends at the right sizes), the progress deadline, rollbacks.
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { EventRecorder, type Informer, deepEqual, deepEqualExcept, type ApiClient, type InformerEvent, type LabelMatcher } from '@failsim/core';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { controllerOf, keyOf, splitKey } from '../runtime/pod-util.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import { type IndexedInformer, OwnerIndex, indexedPods, POD_TEMPLATE_HASH_LABEL, adopt, computeHash, controllerRef, selectorOf, timeOf } from './controller-utils.js';

/** Annotations the Deployment controller keeps on its ReplicaSets (deployment_util.go). */
export const ANNOTATIONS = {
  revision: 'deployment.kubernetes.io/revision',
  desiredReplicas: 'deployment.kubernetes.io/desired-replicas',
  maxReplicas: 'deployment.kubernetes.io/max-replicas',
} as const;

/**
 * GetScaledValueFromIntOrPercent: an int as is, "25%" of `total` rounded up or down.
 */
export const scaledValue = (value: number | string | undefined, total: number, roundUp: boolean, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  if (!percent) return Number.parseInt(value, 10) || 0;
  const scaled = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
};

const isRolling = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
const replicasOf = (d: Deployment): number => d.spec?.replicas ?? 1;

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 would stall, so unavailable becomes 1. */
const fenceposts = (d: Deployment): { surge: number; unavailable: number } => {
  const rolling = d.spec?.strategy?.rollingUpdate;
  const surge = scaledValue(rolling?.maxSurge, replicasOf(d), true, Math.ceil(replicasOf(d) / 4));
  let unavailable = scaledValue(rolling?.maxUnavailable, replicasOf(d), false, Math.floor(replicasOf(d) / 4));
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
};

/** MaxSurge: 0 unless RollingUpdate. */
const maxSurge = (d: Deployment): number => (isRolling(d) ? fenceposts(d).surge : 0);

/** MaxUnavailable: 0 unless RollingUpdate with replicas; never more than replicas. */
const maxUnavailable = (d: Deployment): number => {
  if (!isRolling(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicasOf(d));
};

const RETRY: ReconcileResult = { retry: true };
const rsReplicas = (rs: ReplicaSet): number => rs.spec?.replicas ?? 0;
const sum = (sets: readonly ReplicaSet[], f: (rs: ReplicaSet) => number): number => sets.reduce((n, rs) => n + f(rs), 0);
const revisionOf = (rs: ReplicaSet): number => Number.parseInt(rs.metadata?.annotations?.[ANNOTATIONS.revision] ?? '0', 10) || 0;

/** Oldest first, names breaking ties (ReplicaSetsByCreationTimestamp). */
const byCreation = (a: ReplicaSet, b: ReplicaSet): number =>
  (timeOf(a.metadata?.creationTimestamp) ?? 0) - (timeOf(b.metadata?.creationTimestamp) ?? 0) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/**
 * EqualIgnoreHash: the templates are equal but for the pod-template-hash label — what
 * deepEqual of two copies without the label gives, compared in place (each sync compares
 * the Deployment's template with each of its ReplicaSets', twice).
 */
const equalIgnoringHash = (a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean => {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    deepEqualExcept(a, b, 'metadata') &&
    deepEqualExcept(a.metadata ?? NO_METADATA, b.metadata ?? NO_METADATA, 'labels') &&
    deepEqualExcept(a.metadata?.labels ?? NO_LABELS, b.metadata?.labels ?? NO_LABELS, POD_TEMPLATE_HASH_LABEL)
  );
};

const NO_METADATA: Readonly<Record<string, never>> = Object.freeze({});
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * DeploymentController: rolls pod templates out through ReplicaSets.
 *
 * The new ReplicaSet is `<deployment>-<pod-template-hash>` with the label and selector
 * `pod-template-hash`; RollingUpdate scales it up within maxSurge and the old ones down
 * within maxUnavailable as pods become available; Recreate scales the old ones to 0 and
 * waits for their pods to be gone first. Events: `ScalingReplicaSet`, worded per version
 * (`Scaled up replica set web-5d4f8b7c69 to 3` in 1.18).
 */
export class DeploymentController implements Component {
  readonly name = 'deployment-controller';
  readonly #ctx: ControllerContext;
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;
  readonly #deployments: Informer<'Deployment'>;
  readonly #replicaSets: Informer<'ReplicaSet'>;
  readonly #pods: Informer<'Pod'>;
  readonly #rsIndex = new OwnerIndex<ReplicaSet>();
  /** Pods by owner: the index of the shared Pod informer, shared with the other workload controllers. */
  readonly #podIndex: OwnerIndex<Pod>;
  readonly #indexedPods: IndexedInformer<Pod>;
  readonly #queue: WorkQueue;
  readonly #subscriptions: Subscription[] = [];

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
    this.#client = ctx.sim.api.client(this.name);
    this.#recorder = new EventRecorder(this.#client, { component: this.name }, { trace: ctx.sim.trace });
    this.#deployments = sharedInformer(ctx, 'Deployment');
    this.#replicaSets = sharedInformer(ctx, 'ReplicaSet');
    this.#pods = sharedInformer(ctx, 'Pod');
    this.#indexedPods = indexedPods(this.#pods);
    this.#podIndex = this.#indexedPods.index;
    this.#queue = new WorkQueue(ctx.sim.clock, (key) => this.#sync(key), { owner: this.name });
  }

  start(): void {
    this.#subscriptions.push(this.#deployments.events$.subscribe((e) => this.#queue.add(keyOf(e.object))));
    this.#subscriptions.push(this.#replicaSets.events$.subscribe((e) => this.#onReplicaSet(e)));
    this.#subscriptions.push(this.#indexedPods.events$.subscribe((e) => this.#onPod(e)));
  }

  stop(): void {
    for (const s of this.#subscriptions.splice(0)) s.unsubscribe();
    this.#queue.stop();
  }

  #onReplicaSet(event: InformerEvent<ReplicaSet>): void {
    this.#rsIndex.apply(event);
    for (const rs of event.old ? [event.old, event.object] : [event.object]) {
      const ref = controllerOf(rs);
      if (ref) {
        if (ref.kind === 'Deployment') this.#queue.add(`${rs.metadata?.namespace ?? 'default'}/${ref.name}`);
      } else if (event.type !== 'DELETED') {
        for (const d of this.#deployments.list()) {
          if (d.metadata?.namespace === rs.metadata?.namespace && selectorOf(d.spec?.selector)?.matches(rs.metadata?.labels)) this.#queue.add(keyOf(d));
        }
      }
    }
  }

  /** deletePod: a Recreate rollout waits for the old pods to be gone. */
  #onPod(event: InformerEvent<Pod>): void {
    if (event.type !== 'DELETED') return;
    const rsRef = controllerOf(event.object);
    if (rsRef?.kind !== 'ReplicaSet') return;
    const rs = this.#replicaSets.get(rsRef.name, event.object.metadata?.namespace);
    const dRef = rs ? controllerOf(rs) : undefined;
    if (dRef?.kind !== 'Deployment') return;
    const d = this.#deployments.get(dRef.name, rs?.metadata?.namespace);
    if (d && !isRolling(d)) this.#queue.add(keyOf(d));
  }

  #sync(key: string): ReconcileResult {
    const { namespace, name } = splitKey(key);
    const d = this.#deployments.get(name, namespace);
    if (!d) return;
    const selector = selectorOf(d.spec?.selector);
    // An empty selector would select every pod: upstream refuses it (SelectingAll).
    if (!selector || selector.empty) return;
    const rsList = this.#claimReplicaSets(d, selector);
    if (d.metadata?.deletionTimestamp) return this.#syncStatus(d, rsList, this.#findNew(d, rsList));
    if (d.spec?.paused) return this.#scaleOnly(d, rsList);
    return isRolling(d) ? this.#rolloutRolling(d, rsList) : this.#rolloutRecreate(d, rsList);
  }

  /** getReplicaSetsForDeployment: owned ones matching the selector, plus adopted orphans. */
  #claimReplicaSets(d: Deployment, selector: LabelMatcher): ReplicaSet[] {
    const sets = this.#rsIndex.owned(d.metadata?.uid).filter((rs) => selector.matches(rs.metadata?.labels));
    if (d.metadata?.deletionTimestamp) return sets;
    for (const orphan of this.#rsIndex.orphans(d.metadata?.namespace)) {
      if (orphan.metadata?.deletionTimestamp || !selector.matches(orphan.metadata?.labels)) continue;
      const adopted = adopt(this.#client, 'ReplicaSet', d, orphan);
      if (adopted) sets.push(adopted);
    }
    return sets;
  }

  /** FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's, ignoring the hash label. */
  #findNew(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
    const wanted = d.spec?.template;
    return rsList
      .slice()
      .sort(byCreation)
      .find((rs) => equalIgnoringHash(rs.spec?.template, wanted));
  }

  /**
   * getNewReplicaSet with createIfNotExisted: creates `<deployment>-<hash>` when no
   * ReplicaSet has the template. Undefined when a write failed (the sync is retried).
   */
  #newReplicaSet(d: Deployment, rsList: readonly ReplicaSet[], oldSets: readonly ReplicaSet[]): ReplicaSet | undefined {
    const existing = this.#findNew(d, rsList);
    const newRevision = Math.max(0, ...oldSets.map(revisionOf)) + 1;
    if (existing) {
      if (revisionOf(existing) >= newRevision) return existing;
      return this.#updateReplicaSet({ ...existing, metadata: { ...existing.metadata, annotations: { ...existing.metadata?.annotations, [ANNOTATIONS.revision]: String(newRevision) } } });
    }
    const collisionCount = d.status?.collisionCount;
    const hash = computeHash(d.spec?.template, collisionCount);
    const name = `${d.metadata?.name ?? ''}-${hash}`;
    const template = d.spec?.template;
    const labels = { ...template?.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const draft: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata?.namespace ?? 'default',
        labels,
        annotations: {
          [ANNOTATIONS.desiredReplicas]: String(replicasOf(d)),
          [ANNOTATIONS.maxReplicas]: String(replicasOf(d) + maxSurge(d)),
          [ANNOTATIONS.revision]: String(newRevision),
        },
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec?.minReadySeconds ?? 0,
        selector: { ...d.spec?.selector, matchLabels: { ...d.spec?.selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
        template: { ...template, metadata: { ...template?.metadata, labels } },
      },
    };
    const replicas = this.#newRSNewReplicas(d, [...oldSets, draft], draft);
    const created = this.#client.create('ReplicaSet', { ...draft, spec: { ...draft.spec, selector: draft.spec?.selector ?? {}, replicas } });
    if (E.isLeft(created)) {
      if (created.left.reason === 'AlreadyExists') {
        // A hash collision with a ReplicaSet that is not ours: bump collisionCount and retry.
        this.#client.updateStatus('Deployment', { ...d, status: { ...d.status, collisionCount: (collisionCount ?? 0) + 1 } });
      }
      return undefined;
    }
    if (replicas > 0) this.#recorder.normal(d, 'ScalingReplicaSet', this.#ctx.profile.texts.scalingReplicaSet('up', name, replicas, 0));
    return created.right;
  }

  /** NewRSNewReplicas: RollingUpdate grows the new ReplicaSet within maxSurge; Recreate goes straight to replicas. */
  #newRSNewReplicas(d: Deployment, allSets: readonly ReplicaSet[], newRS: ReplicaSet): number {
    if (!isRolling(d)) return replicasOf(d);
    const current = sum(allSets, rsReplicas);
    const maxTotal = replicasOf(d) + maxSurge(d);
    if (current >= maxTotal) return rsReplicas(newRS);
    return rsReplicas(newRS) + Math.min(maxTotal - current, replicasOf(d) - rsReplicas(newRS));
  }

  #rolloutRolling(d: Deployment, rsList: ReplicaSet[]): ReconcileResult {
    const newRS = this.#newReplicaSet(d, rsList, rsList.filter((rs) => !equalIgnoringHash(rs.spec?.template, d.spec?.template)));
    if (!newRS) return RETRY;
    const oldSets = rsList.filter((rs) => rs.metadata?.uid !== newRS.metadata?.uid);
    const all = [...oldSets, newRS];
    // reconcileNewReplicaSet
    const target = rsReplicas(newRS) > replicasOf(d) ? replicasOf(d) : this.#newRSNewReplicas(d, all, newRS);
    if (target !== rsReplicas(newRS)) return this.#scale(d, newRS, target) ? this.#syncStatus(d, this.#current(d), newRS) : RETRY;
    const scaledDown = this.#reconcileOld(d, all, oldSets.filter((rs) => rsReplicas(rs) > 0), newRS);
    if (scaledDown === undefined) return RETRY;
    if (scaledDown) return this.#syncStatus(d, this.#current(d), newRS);
    if (this.#complete(d, newRS, oldSets)) this.#cleanup(d, oldSets);
    return this.#syncStatus(d, this.#current(d), newRS);
  }

  /**
   * reconcileOldReplicaSets: scale old ReplicaSets down as far as maxUnavailable allows.
   * True when it scaled, undefined when a write failed.
   */
  #reconcileOld(d: Deployment, all: readonly ReplicaSet[], activeOld: readonly ReplicaSet[], newRS: ReplicaSet): boolean | undefined {
    if (sum(activeOld, rsReplicas) === 0) return false;
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = sum(all, rsReplicas) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // cleanupUnhealthyReplicas: unavailable old pods go first, they serve nobody.
    let cleaned = 0;
    const old = activeOld.slice().sort(byCreation);
    const sizes = new Map(old.map((rs) => [rs.metadata?.uid ?? '', rsReplicas(rs)]));
    for (const rs of old) {
      if (cleaned >= maxScaledDown) break;
      const size = sizes.get(rs.metadata?.uid ?? '') ?? 0;
      const unhealthy = size - (rs.status?.availableReplicas ?? 0);
      if (size === 0 || unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown - cleaned, unhealthy);
      if (!this.#scale(d, rs, size - down)) return undefined;
      sizes.set(rs.metadata?.uid ?? '', size - down);
      cleaned += down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate: then as many available ones as minAvailable allows.
    const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
    let scaledDown = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of old) {
        if (scaledDown >= total) break;
        const size = sizes.get(rs.metadata?.uid ?? '') ?? 0;
        if (size === 0) continue;
        const down = Math.min(size, total - scaledDown);
        if (!this.#scale(d, rs, size - down)) return undefined;
        scaledDown += down;
      }
    }
    return cleaned + scaledDown > 0;
  }

  #rolloutRecreate(d: Deployment, rsList: ReplicaSet[]): ReconcileResult {
    const existingNew = this.#findNew(d, rsList);
    const oldSets = rsList.filter((rs) => rs !== existingNew);
    let scaled = false;
    for (const rs of oldSets) {
      if (rsReplicas(rs) === 0) continue;
      if (!this.#scale(d, rs, 0)) return RETRY;
      scaled = true;
    }
    if (scaled) return this.#syncStatus(d, this.#current(d), existingNew);
    // oldPodsRunning: any old pod not Succeeded/Failed, Terminating ones included.
    const oldRunning = oldSets.some((rs) =>
      this.#podIndex.owned(rs.metadata?.uid).some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'),
    );
    if (oldRunning) return this.#syncStatus(d, this.#current(d), existingNew);
    const newRS = this.#newReplicaSet(d, rsList, oldSets);
    if (!newRS) return RETRY;
    if (rsReplicas(newRS) !== replicasOf(d) && !this.#scale(d, newRS, replicasOf(d))) return RETRY;
    if (this.#complete(d, newRS, oldSets)) this.#cleanup(d, oldSets);
    return this.#syncStatus(d, this.#current(d), newRS);
  }

  /** sync for a paused deployment: only a size change of its single active ReplicaSet. */
  #scaleOnly(d: Deployment, rsList: ReplicaSet[]): ReconcileResult {
    const newRS = this.#findNew(d, rsList);
    const active = rsList.filter((rs) => rsReplicas(rs) > 0);
    const target = active.length === 1 ? active[0] : active.length === 0 ? newRS : undefined;
    if (target && rsReplicas(target) !== replicasOf(d) && !this.#scale(d, target, replicasOf(d))) return RETRY;
    return this.#syncStatus(d, this.#current(d), newRS);
  }

  /** The ReplicaSets of `d` as the cache now has them (after this sync's writes). */
  #current(d: Deployment): ReplicaSet[] {
    const selector = selectorOf(d.spec?.selector);
    return this.#rsIndex.owned(d.metadata?.uid).filter((rs) => selector?.matches(rs.metadata?.labels));
  }

  /** DeploymentComplete for the purposes of cleanup: the new ReplicaSet is full and available, the old ones empty. */
  #complete(d: Deployment, newRS: ReplicaSet, oldSets: readonly ReplicaSet[]): boolean {
    return (
      rsReplicas(newRS) === replicasOf(d) &&
      (newRS.status?.availableReplicas ?? 0) === replicasOf(d) &&
      oldSets.every((rs) => rsReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0)
    );
  }

  /** cleanupDeployment: keep at most revisionHistoryLimit empty old ReplicaSets, deleting the oldest. */
  #cleanup(d: Deployment, oldSets: readonly ReplicaSet[]): void {
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const cleanable = oldSets
      .filter((rs) => !rs.metadata?.deletionTimestamp && rsReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of cleanable.slice(0, Math.max(0, cleanable.length - limit))) {
      this.#client.delete('ReplicaSet', rs.metadata?.name ?? '', { namespace: rs.metadata?.namespace ?? 'default' });
    }
  }

  /** scaleReplicaSetAndRecordEvent: new size and the replica annotations, then the event; false when the write failed. */
  #scale(d: Deployment, rs: ReplicaSet, size: number): boolean {
    const from = rsReplicas(rs);
    const annotations = { ...rs.metadata?.annotations, [ANNOTATIONS.desiredReplicas]: String(replicasOf(d)), [ANNOTATIONS.maxReplicas]: String(replicasOf(d) + maxSurge(d)) };
    const updated = this.#updateReplicaSet({ ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, selector: rs.spec?.selector ?? {}, replicas: size } });
    if (!updated) return false;
    if (from !== size) this.#recorder.normal(d, 'ScalingReplicaSet', this.#ctx.profile.texts.scalingReplicaSet(from < size ? 'up' : 'down', rs.metadata?.name ?? '', size, from));
    return true;
  }

  /** An update carrying the cached resourceVersion: a conflict means the cache was stale, and the sync is retried. */
  #updateReplicaSet(next: ReplicaSet): ReplicaSet | undefined {
    const updated = this.#client.update('ReplicaSet', next);
    return E.isRight(updated) ? updated.right : undefined;
  }

  /** calculateStatus and the Available / Progressing conditions (syncRolloutStatus without the deadline). */
  #syncStatus(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ReconcileResult {
    const replicas = replicasOf(d);
    const available = sum(all, (rs) => rs.status?.availableReplicas ?? 0);
    const status: DeploymentStatus = {
      ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
      observedGeneration: d.metadata?.generation ?? 0,
      replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
      updatedReplicas: newRS ? (all.find((rs) => rs.metadata?.uid === newRS.metadata?.uid)?.status?.replicas ?? 0) : 0,
      readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, sum(all, rsReplicas) - available),
    };
    let conditions = [...(d.status?.conditions ?? [])];
    const set = (type: string, status: 'True' | 'False', reason: string, message: string): void => {
      const now = this.#ctx.sim.clock.iso();
      const existing = conditions.find((c) => c.type === type);
      if (existing && existing.status === status && existing.reason === reason && existing.message === message) return;
      const next: DeploymentCondition = {
        type,
        status,
        reason,
        message,
        lastUpdateTime: now,
        lastTransitionTime: existing && existing.status === status ? (existing.lastTransitionTime ?? now) : now,
      };
      conditions = [...conditions.filter((c) => c.type !== type), next];
    };
    if (available >= replicas - maxUnavailable(d)) set('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.');
    else set('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
    if (newRS && d.spec?.progressDeadlineSeconds !== undefined) {
      const rsName = newRS.metadata?.name ?? '';
      const complete = status.updatedReplicas === replicas && status.replicas === replicas && available === replicas;
      if (complete) set('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`);
      else set('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`);
    }
    const next = { ...status, conditions };
    if (deepEqual({ ...d.status, conditions: d.status?.conditions ?? [] }, { ...d.status, ...next })) return undefined;
    const updated = this.#client.updateStatus('Deployment', { ...d, status: next });
    return E.isLeft(updated) && updated.left.reason !== 'NotFound' ? { retry: true } : undefined;
  }
}

