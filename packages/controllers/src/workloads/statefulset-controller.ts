// The StatefulSet controller, as upstream's pkg/controller/statefulset (stateful_set.go,
// stateful_set_control.go updateStatefulSet/processReplica/processCondemned,
// stateful_pod_control.go, stateful_set_utils.go) of Kubernetes 1.28; reference §5.1.
// Each ordinal has one identity, <set>-<i>, with its own PVCs <claim>-<set>-<i>; a pod
// object holds its identity until it is gone from the API, Terminating included, so no
// second pod ever runs for one ordinal ("at most one"). With OrderedReady the controller
// stops at the first ordinal that is being created, is Terminating, or is not Running and
// Ready; with Parallel each ordinal proceeds on its own.
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { EventRecorder, type Informer, deepEqual, type ApiClient, type InformerEvent, type LabelMatcher } from '@failsim/core';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { isRunningAndReady, isTerminating, keyOf, splitKey } from '../runtime/pod-util.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  InstantCreations,
  type IndexedInformer,
  type OwnerIndex,
  indexedPods,
  STATEFULSET_POD_NAME_LABEL,
  adopt,
  computeHash,
  isPodAvailable,
  enqueueOwnersOfPodEvent,
  OwnerKeys,
  podFromTemplate,
  selectorOf,
} from './controller-utils.js';

const ORDINAL = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: `web-2` → `['web', 2]`; ordinal -1 when the name has none. */
export const parentAndOrdinal = (podName: string): [string, number] => {
  const m = ORDINAL.exec(podName);
  if (!m) return ['', -1];
  const ordinal = Number.parseInt(m[2]!, 10);
  return Number.isSafeInteger(ordinal) && ordinal <= 2 ** 31 - 1 ? [m[1]!, ordinal] : [m[1]!, -1];
};

/** getPersistentVolumeClaimName: `<claim>-<set>-<ordinal>`. */
export const claimName = (claim: string, set: string, ordinal: number): string => `${claim}-${set}-${ordinal}`;

/** The revision name pods carry in controller-revision-hash: `<set>-<hash of the template>`. */
export const updateRevisionOf = (set: StatefulSet): string => `${set.metadata?.name ?? ''}-${computeHash(set.spec?.template)}`;

const isFailed = (pod: Pod): boolean => pod.status?.phase === 'Failed';
const isSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
const isPending = (pod: Pod): boolean => pod.status?.phase === 'Pending';
const revisionOf = (pod: Pod): string | undefined => pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];

/** One ordinal's slot: its pod, or that one was just created and the cache has not seen it. */
type Slot = { readonly pod: Pod } | { readonly created: string };

/**
 * StatefulSetController: ordinal pods with stable names, hostnames and storage.
 *
 * Creates `<set>-<i>` for i in [0, replicas) with labels from the template plus
 * `statefulset.kubernetes.io/pod-name` and `controller-revision-hash`, `spec.hostname`
 * and `spec.subdomain` (the governing service), and one PVC per volumeClaimTemplate
 * created before the pod. Failed or Succeeded pods are deleted and re-created on the next
 * sync; scale-down deletes the highest ordinal first; a RollingUpdate replaces pods whose
 * revision differs, highest ordinal first, one at a time.
 */
export class StatefulSetController implements Component {
  readonly name = 'statefulset-controller';
  readonly #ctx: ControllerContext;
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;
  readonly #sets: Informer<'StatefulSet'>;
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
  readonly #listSets = (): StatefulSet[] => this.#sets.list();

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
    this.#client = ctx.sim.api.client(this.name);
    this.#recorder = new EventRecorder(this.#client, { component: this.name }, { trace: ctx.sim.trace });
    this.#sets = sharedInformer(ctx, 'StatefulSet');
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

  /** addPod/updatePod/deletePod: enqueue the controlling set, or the sets an orphan could join. */
  #onPod(event: InformerEvent<Pod>): void {
    enqueueOwnersOfPodEvent(event, 'StatefulSet', this.#listSets, this.#ownerKeys, this.#queue);
  }

  /** sync: one StatefulSet key, re-read from the informer cache. */
  #sync(key: string): ReconcileResult {
    const { namespace, name } = splitKey(key);
    const set = this.#sets.get(name, namespace);
    if (!set) return;
    const selector = selectorOf(set.spec?.selector);
    if (!selector) return;
    return this.#update(set, this.#claimPods(set, selector));
  }

  /** getPodsForStatefulSet: owned members matching the selector, plus adopted orphans. */
  #claimPods(set: StatefulSet, selector: LabelMatcher): Pod[] {
    const setName = set.metadata?.name ?? '';
    const member = (p: Pod): boolean => parentAndOrdinal(p.metadata?.name ?? '')[0] === setName && selector.matches(p.metadata?.labels);
    const pods = this.#index.owned(set.metadata?.uid).filter(member);
    if (!set.metadata?.deletionTimestamp) {
      for (const orphan of this.#index.orphans(set.metadata?.namespace)) {
        if (!member(orphan) || isTerminating(orphan)) continue;
        const adopted = adopt(this.#client, 'Pod', set, orphan);
        if (adopted) pods.push(adopted);
      }
    }
    return pods;
  }

  #update(set: StatefulSet, pods: Pod[]): ReconcileResult {
    const replicaCount = set.spec?.replicas ?? 1;
    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    const updateRevision = updateRevisionOf(set);
    const currentRevision = set.status?.currentRevision || updateRevision;
    const nowEpoch = this.#ctx.sim.clock.epochMs + this.#ctx.sim.clock.now();

    const replicas: (Slot | undefined)[] = Array.from({ length: replicaCount }, () => undefined);
    const condemned: Pod[] = [];
    for (const pod of pods) {
      const ordinal = parentAndOrdinal(pod.metadata?.name ?? '')[1];
      if (ordinal >= 0 && ordinal < replicaCount) replicas[ordinal] = { pod };
      else if (ordinal >= 0) condemned.push(pod);
    }
    condemned.sort((a, b) => parentAndOrdinal(b.metadata?.name ?? '')[1] - parentAndOrdinal(a.metadata?.name ?? '')[1]);
    const key = keyOf(set);
    for (const created of this.#created.unseen(key, (n) => this.#pods.get(n, set.metadata?.namespace) !== undefined)) {
      const ordinal = parentAndOrdinal(created)[1];
      if (ordinal >= 0 && ordinal < replicaCount && !replicas[ordinal]) replicas[ordinal] = { created };
    }

    const finish = (failed: boolean): ReconcileResult => {
      // The status counts the pods as the sync found them: the one written is the one to check.
      const status = this.#computeStatus(set, pods, currentRevision, updateRevision, nowEpoch);
      const statusFailed = !this.#updateStatus(set, status);
      if (failed || statusFailed) return { retry: true };
      if (minReadySeconds > 0 && status.readyReplicas !== status.availableReplicas) return { requeueAfter: minReadySeconds * 1000 };
      return undefined;
    };

    // The set is being deleted: only its status is kept current.
    if (set.metadata?.deletionTimestamp) return finish(false);

    let failed = false;
    for (let ordinal = 0; ordinal < replicaCount; ordinal++) {
      const outcome = this.#processReplica(set, replicas[ordinal], ordinal, monotonic, minReadySeconds, nowEpoch);
      if (outcome === 'error') failed = true;
      if (monotonic && outcome !== 'continue') return finish(failed);
    }
    if (failed) return finish(true);

    // Scale down: highest ordinal first. In monotonic mode every remaining replica is healthy here.
    const firstUnhealthy = condemned.slice().reverse().find((p) => !isRunningAndReady(p) || isTerminating(p));
    for (const pod of condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return finish(false); // waiting for Pod to Terminate prior to scale down
        continue;
      }
      if (monotonic && !isRunningAndReady(pod) && pod !== firstUnhealthy) return finish(false);
      const ok = this.#deletePod(set, pod);
      if (monotonic || !ok) return finish(!ok);
    }

    if (set.spec?.updateStrategy?.type === 'OnDelete') return finish(false);
    const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let ordinal = replicaCount - 1; ordinal >= partition; ordinal--) {
      const slot = replicas[ordinal];
      if (!slot || !('pod' in slot)) return finish(false);
      if (revisionOf(slot.pod) !== updateRevision && !isTerminating(slot.pod)) return finish(!this.#deletePod(set, slot.pod));
      if (!isRunningAndReady(slot.pod) || isTerminating(slot.pod) || !isPodAvailable(slot.pod, minReadySeconds, nowEpoch)) return finish(false);
    }
    return finish(false);
  }

  /**
   * processReplica for one ordinal. 'continue' lets a monotonic sync go on to the next
   * ordinal; 'block' stops it (created now, waiting to terminate, not yet Running and
   * Ready, or a failed pod just deleted); 'error' asks for a retry.
   */
  #processReplica(set: StatefulSet, slot: Slot | undefined, ordinal: number, monotonic: boolean, minReadySeconds: number, nowEpoch: number): 'continue' | 'block' | 'error' {
    if (slot && 'created' in slot) return 'block';
    const pod = slot?.pod;
    if (pod && (isFailed(pod) || isSucceeded(pod))) {
      // Recreated on the next sync, once the object is gone from the API.
      if (!isTerminating(pod) && !this.#deletePod(set, pod)) return 'error';
      return 'block';
    }
    if (!pod) {
      const created = this.#createPod(set, ordinal);
      if (!created) return 'error';
      return monotonic ? 'block' : 'continue';
    }
    if (isPending(pod) && this.#createClaims(set, pod.metadata?.name ?? '', ordinal).length > 0) return 'error';
    if (!monotonic) return 'continue';
    if (isTerminating(pod)) return 'block'; // StatefulSet is waiting for Pod to Terminate
    if (!isRunningAndReady(pod)) return 'block';
    if (!isPodAvailable(pod, minReadySeconds, nowEpoch)) return 'block';
    return 'continue';
  }

  /** newStatefulSetPod: identity (name, hostname, subdomain, labels) and storage. */
  #newPod(set: StatefulSet, ordinal: number): Pod {
    const setName = set.metadata?.name ?? '';
    const podName = `${setName}-${ordinal}`;
    const pod = podFromTemplate(set.spec?.template, set, podName);
    const claims = set.spec?.volumeClaimTemplates ?? [];
    const claimVolumes: Volume[] = claims.map((c) => ({
      name: c.metadata?.name ?? '',
      persistentVolumeClaim: { claimName: claimName(c.metadata?.name ?? '', setName, ordinal) },
    }));
    const claimNames = new Set(claimVolumes.map((v) => v.name));
    return {
      ...pod,
      metadata: {
        ...pod.metadata,
        labels: { ...pod.metadata?.labels, [STATEFULSET_POD_NAME_LABEL]: podName, [CONTROLLER_REVISION_HASH_LABEL]: updateRevisionOf(set) },
      },
      spec: {
        ...pod.spec,
        containers: pod.spec?.containers ?? [],
        hostname: podName,
        ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}),
        ...(claimVolumes.length > 0 ? { volumes: [...claimVolumes, ...(pod.spec?.volumes ?? []).filter((v) => !claimNames.has(v.name))] } : {}),
      },
    };
  }

  /** CreateStatefulPod: the PVCs first, then the pod; events as recordPodEvent / recordClaimEvent. */
  #createPod(set: StatefulSet, ordinal: number): boolean {
    const pod = this.#newPod(set, ordinal);
    const podName = pod.metadata?.name ?? '';
    const claimErrors = this.#createClaims(set, podName, ordinal);
    if (claimErrors.length > 0) {
      // utilerrors.NewAggregate prints one error as itself, several as a list.
      this.#podEvent('create', set, podName, claimErrors.length === 1 ? claimErrors[0] : `[${claimErrors.join(', ')}]`);
      return false;
    }
    const created = this.#client.create('Pod', pod);
    if (E.isLeft(created)) {
      // Another writer holds the name: not an error worth an event (sink AlreadyExists).
      if (created.left.reason !== 'AlreadyExists') this.#podEvent('create', set, podName, created.left.message);
      return false;
    }
    this.#created.record(keyOf(set), podName);
    this.#podEvent('create', set, podName);
    return true;
  }

  /**
   * createPersistentVolumeClaims: creates each missing claim of the ordinal; a claim being
   * deleted is an error (the pod must wait for it to go). Returns the errors.
   */
  #createClaims(set: StatefulSet, podName: string, ordinal: number): string[] {
    const setName = set.metadata?.name ?? '';
    const namespace = set.metadata?.namespace ?? 'default';
    const errors: string[] = [];
    for (const template of set.spec?.volumeClaimTemplates ?? []) {
      const name = claimName(template.metadata?.name ?? '', setName, ordinal);
      const existing = this.#client.get('PersistentVolumeClaim', name, namespace);
      if (E.isRight(existing)) {
        if (existing.right.metadata?.deletionTimestamp) errors.push(`pvc ${name} is being deleted`);
        continue;
      }
      if (existing.left.reason !== 'NotFound') {
        errors.push(`failed to retrieve PVC ${name}: ${existing.left.message}`);
        this.#claimEvent(set, podName, name, existing.left.message);
        continue;
      }
      const claim: PersistentVolumeClaim = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name, namespace, labels: { ...template.metadata?.labels, ...set.spec?.selector.matchLabels } },
        spec: template.spec ?? {},
      };
      const created = this.#client.create('PersistentVolumeClaim', claim);
      if (E.isLeft(created)) errors.push(`failed to create PVC ${name}: ${created.left.message}`);
      if (E.isRight(created) || created.left.reason !== 'AlreadyExists') this.#claimEvent(set, podName, name, E.isLeft(created) ? created.left.message : undefined);
    }
    return errors;
  }

  /** DeleteStatefulPod: a graceful delete; the PVCs stay. */
  #deletePod(set: StatefulSet, pod: Pod): boolean {
    const deleted = this.#client.delete('Pod', pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace ?? 'default' });
    if (E.isLeft(deleted) && deleted.left.reason === 'NotFound') return true;
    this.#podEvent('delete', set, pod.metadata?.name ?? '', E.isLeft(deleted) ? deleted.left.message : undefined);
    return E.isRight(deleted);
  }

  #podEvent(verb: 'create' | 'delete', set: StatefulSet, pod: string, error?: string): void {
    const setName = set.metadata?.name ?? '';
    const Verb = verb === 'create' ? 'Create' : 'Delete';
    if (!error) this.#recorder.normal(set, `Successful${Verb}`, `${verb} Pod ${pod} in StatefulSet ${setName} successful`);
    else this.#recorder.warning(set, `Failed${Verb}`, `${verb} Pod ${pod} in StatefulSet ${setName} failed error: ${error}`);
  }

  #claimEvent(set: StatefulSet, pod: string, claim: string, error?: string): void {
    const setName = set.metadata?.name ?? '';
    if (!error) this.#recorder.normal(set, 'SuccessfulCreate', `create Claim ${claim} Pod ${pod} in StatefulSet ${setName} success`);
    else this.#recorder.warning(set, 'FailedCreate', `create Claim ${claim} for Pod ${pod} in StatefulSet ${setName} failed error: ${error}`);
  }

  /** computeReplicaStatus over the pods that exist, then completeRollingUpdate. */
  #computeStatus(set: StatefulSet, pods: Pod[], currentRevision: string, updateRevision: string, nowEpoch: number): StatefulSetStatus {
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    let replicas = 0;
    let readyReplicas = 0;
    let availableReplicas = 0;
    let currentReplicas = 0;
    let updatedReplicas = 0;
    for (const pod of pods) {
      replicas++;
      if (isRunningAndReady(pod)) {
        readyReplicas++;
        if (isPodAvailable(pod, minReadySeconds, nowEpoch)) availableReplicas++;
      }
      if (!isTerminating(pod)) {
        if (revisionOf(pod) === currentRevision) currentReplicas++;
        if (revisionOf(pod) === updateRevision) updatedReplicas++;
      }
    }
    let status: StatefulSetStatus = {
      observedGeneration: set.metadata?.generation ?? 0,
      replicas,
      readyReplicas,
      availableReplicas,
      currentReplicas,
      updatedReplicas,
      currentRevision,
      updateRevision,
      collisionCount: 0,
    };
    if (set.spec?.updateStrategy?.type !== 'OnDelete' && updatedReplicas === replicas && readyReplicas === replicas) {
      status = { ...status, currentReplicas: updatedReplicas, currentRevision: updateRevision };
    }
    return status;
  }

  /** updateStatefulSetStatus: written only when it changed; false when the write failed. */
  #updateStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
    const merged = { ...set.status, ...status };
    if (deepEqual(set.status, merged)) return true;
    const updated = this.#client.updateStatus('StatefulSet', { ...set, status: merged });
    return E.isRight(updated) || updated.left.reason === 'NotFound';
  }
}
