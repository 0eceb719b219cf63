// The PV protection controller of kube-controller-manager: a volume bound to a claim is not
// removed until it is released. Models pkg/controller/volume/pvprotection/pv_protection_controller.go
// of v1.12 (processPV, isBeingUsed: phase Bound). As for claims, upstream's admission plugin
// adds the finalizer on create; failsim has none, so this controller adds it.
import * as E from 'fp-ts/lib/Either.js';
import { type Informer, type ApiClient } from '@failsim/core';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import { PV_PROTECTION_FINALIZER } from './volume-util.js';

/** The controller's name. */
export const PV_PROTECTION_CONTROLLER_NAME = 'pv-protection-controller';

/**
 * Keeps the `kubernetes.io/pv-protection` finalizer on every PersistentVolume and removes it
 * from a deleted one once it is no longer Bound.
 */
export class PvProtectionController implements Component {
  readonly name = PV_PROTECTION_CONTROLLER_NAME;
  readonly #ctx: ControllerContext;
  #client: ApiClient | undefined;
  #volumes: Informer<'PersistentVolume'> | undefined;
  #queue: WorkQueue | undefined;
  #subscription: Subscription | undefined;

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
  }

  /** Starts watching volumes. */
  start(): void {
    const client = this.#ctx.sim.api.client(PV_PROTECTION_CONTROLLER_NAME);
    this.#client = client;
    this.#queue = new WorkQueue(this.#ctx.sim.clock, (key) => this.#processPV(key), { owner: this.name });
    this.#volumes = sharedInformer(this.#ctx, 'PersistentVolume');
    this.#subscription = this.#volumes.events$.subscribe((e) => {
      if (e.type !== 'DELETED') this.#queue?.add(e.object.metadata?.name ?? '');
    });
  }

  /** Stops watching. */
  stop(): void {
    this.#subscription?.unsubscribe();
    this.#queue?.stop();
  }

  #processPV(name: string): ReconcileResult {
    const pv = this.#volumes?.get(name);
    if (!pv) return undefined;
    const finalizers = pv.metadata?.finalizers ?? [];
    const has = finalizers.includes(PV_PROTECTION_FINALIZER);
    if (!pv.metadata?.deletionTimestamp) return has ? undefined : this.#setFinalizers(pv, [...finalizers, PV_PROTECTION_FINALIZER]);
    // isBeingUsed: the PV controller keeps a volume Bound while its claim exists.
    if (!has || pv.status?.phase === 'Bound') return undefined;
    return this.#setFinalizers(
      pv,
      finalizers.filter((f) => f !== PV_PROTECTION_FINALIZER),
    );
  }

  #setFinalizers(pv: PersistentVolume, finalizers: string[]): ReconcileResult {
    const updated = this.#client!.update('PersistentVolume', { ...pv, metadata: { ...pv.metadata, finalizers } });
    return E.isLeft(updated) && updated.left.reason !== 'NotFound' ? { retry: true } : undefined;
  }
}
