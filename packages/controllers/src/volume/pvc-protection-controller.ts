// The PVC protection controller of kube-controller-manager: a claim in use by a pod is not
// removed until no pod uses it. Models pkg/controller/volume/pvcprotection/pvc_protection_controller.go
// of v1.12 (processPVC, isBeingUsed, podAddedDeletedUpdated). Upstream the
// StorageObjectInUseProtection admission plugin puts the finalizer on new claims and this
// controller only adds it to claims that lack it; failsim's API server has no such plugin,
// so this controller adds it (in the same virtual instant, after the claim is created).
import * as E from 'fp-ts/lib/Either.js';
import { type Informer, type ApiClient, type InformerEvent } from '@failsim/core';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { keyOf, splitKey } from '../runtime/pod-util.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import { isPodTerminated, podClaimNames, PVC_PROTECTION_FINALIZER } from './volume-util.js';

/** Whether some volume is a persistentVolumeClaim (podClaimNames would name one), without building the list. */
const namesClaim = (volumes: readonly Volume[] | undefined): boolean => {
  if (!volumes) return false;
  for (let i = 0; i < volumes.length; i++) if (volumes[i]!.persistentVolumeClaim) return true;
  return false;
};

/** The controller's name. */
export const PVC_PROTECTION_CONTROLLER_NAME = 'pvc-protection-controller';

/**
 * Keeps the `kubernetes.io/pvc-protection` finalizer on every claim and removes it from a
 * deleted claim once no scheduled, not yet terminated pod uses it — so a claim deleted
 * while its pod runs stays Terminating until the pod is gone.
 */
export class PvcProtectionController implements Component {
  readonly name = PVC_PROTECTION_CONTROLLER_NAME;
  readonly #ctx: ControllerContext;
  /** Pods that name each claim (`namespace/claim` → pod keys): what isBeingUsed looks at. */
  readonly #users = new Map<string, Set<string>>();
  #client: ApiClient | undefined;
  #claims: Informer<'PersistentVolumeClaim'> | undefined;
  #pods: Informer<'Pod'> | undefined;
  #queue: WorkQueue | undefined;
  #subscriptions: Subscription[] = [];

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
  }

  /** Starts watching claims and pods. */
  start(): void {
    const client = this.#ctx.sim.api.client(PVC_PROTECTION_CONTROLLER_NAME);
    this.#client = client;
    this.#queue = new WorkQueue(this.#ctx.sim.clock, (key) => this.#processPVC(key), { owner: this.name });
    this.#pods = sharedInformer(this.#ctx, 'Pod');
    this.#claims = sharedInformer(this.#ctx, 'PersistentVolumeClaim');
    this.#subscriptions = [
      this.#pods.events$.subscribe((e) => this.#onPod(e)),
      this.#claims.events$.subscribe((e) => {
        if (e.type !== 'DELETED') this.#queue?.add(keyOf(e.object));
      }),
    ];
  }

  /** Stops watching. */
  stop(): void {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#subscriptions = [];
    this.#queue?.stop();
  }

  #onPod(event: InformerEvent<Pod>): void {
    const pod = event.object;
    // Every Pod write comes here; most pods name no claim, and then there is nothing to
    // record or queue: return before building any key.
    const volumes = pod.spec?.volumes;
    if (!namesClaim(volumes)) return;
    const deleted = event.type === 'DELETED';
    const namespace = pod.metadata?.namespace ?? 'default';
    // An update that kept the volumes (they are immutable upstream; stored versions share
    // them) would add the pod to the users it is already in: nothing to change.
    if (deleted || event.old?.spec?.volumes !== volumes) {
      const podKey = keyOf(pod);
      for (const name of podClaimNames(pod)) {
        const claim = `${namespace}/${name}`;
        let users = this.#users.get(claim);
        if (deleted) {
          users?.delete(podKey);
          if (users?.size === 0) this.#users.delete(claim);
        } else {
          if (!users) this.#users.set(claim, (users = new Set()));
          users.add(podKey);
        }
      }
    }
    // Only a pod that stopped using its claims can let a finalizer go (podAddedDeletedUpdated).
    if (!deleted && !isPodTerminated(pod) && pod.spec?.nodeName) return;
    for (const name of podClaimNames(pod)) this.#queue?.add(`${namespace}/${name}`);
  }

  /** isBeingUsed: a scheduled pod that has not terminated names the claim. */
  #isBeingUsed(key: string): boolean {
    for (const podKey of this.#users.get(key) ?? []) {
      const { namespace, name } = splitKey(podKey);
      const pod = this.#pods?.get(name, namespace);
      // An unscheduled pod cannot start with a claim being deleted (the kubelet refuses it).
      if (pod?.spec?.nodeName && !isPodTerminated(pod)) return true;
    }
    return false;
  }

  #processPVC(key: string): ReconcileResult {
    const { namespace, name } = splitKey(key);
    const claim = this.#claims?.get(name, namespace);
    if (!claim) return undefined;
    const finalizers = claim.metadata?.finalizers ?? [];
    const has = finalizers.includes(PVC_PROTECTION_FINALIZER);
    if (!claim.metadata?.deletionTimestamp) {
      return has ? undefined : this.#setFinalizers(claim, [...finalizers, PVC_PROTECTION_FINALIZER]);
    }
    if (!has || this.#isBeingUsed(key)) return undefined;
    return this.#setFinalizers(
      claim,
      finalizers.filter((f) => f !== PVC_PROTECTION_FINALIZER),
    );
  }

  #setFinalizers(claim: PersistentVolumeClaim, finalizers: string[]): ReconcileResult {
    const updated = this.#client!.update('PersistentVolumeClaim', { ...claim, metadata: { ...claim.metadata, finalizers } });
    return E.isLeft(updated) && updated.left.reason !== 'NotFound' ? { retry: true } : undefined;
  }
}
