// The persistent volume controller of kube-controller-manager: binds claims to volumes,
// provisions volumes for claims of a StorageClass, and reclaims released volumes. Models
// pkg/controller/volume/persistentvolume/pv_controller.go and pv_controller_base.go of
// v1.12 (syncClaim, syncUnboundClaim, syncBoundClaim, syncVolume, bind, reclaimVolume,
// deleteVolumeOperation, provisionClaimOperation), unchanged in what it does through v1.32.
// Level-based: events enqueue claim and volume keys; each sync re-reads the caches. Upstream
// resyncs every claim and volume every --pvclaimbinder-sync-period; here only the objects
// waiting for something (a Pending claim, a volume to reclaim) are resynced, on the same
// grid of ticks, so idle bound volumes cost nothing.
import * as E from 'fp-ts/lib/Either.js';
import { EventRecorder, type Informer, type ApiClient, type InformerEvent, type TimerHandle } from '@failsim/core';
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Subscription } from 'rxjs';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { splitKey } from '../runtime/pod-util.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import { findMatchingVolume } from './volume-matching.js';
import { MatchableVolumes } from './matchable-volumes.js';
import type { VolumeProvisioner } from './volume-provisioner.js';
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  claimKey,
  claimRefKey,
  isVolumeBoundToClaim,
} from './volume-util.js';

/** The controller's name and event source. */
export const PV_CONTROLLER_NAME = 'persistentvolume-controller';

/** goroutinemap's back-off after a failed operation: 500 ms, doubling (exponentialbackoff.initialDurationBeforeRetry). */
const INITIAL_DURATION_BEFORE_RETRY = 500;
/** ... up to 2 min 2 s (maxDurationBeforeRetry). */
const MAX_DURATION_BEFORE_RETRY = 122_000;

/** Options of the {@link PersistentVolumeController}. */
export interface PersistentVolumeControllerOptions {
  /** In-tree volume plugins that provision and delete, by their provisioner name. */
  readonly provisioners?: readonly VolumeProvisioner[];
}

type ClaimPhase = 'Pending' | 'Bound' | 'Lost';
type VolumePhase = 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed';

/**
 * Binds PersistentVolumeClaims to PersistentVolumes (claimRef, volumeName, phases, the
 * bind-completed and bound-by-controller annotations), provisions volumes through the
 * registered {@link VolumeProvisioner}s (ProvisioningSucceeded / ProvisioningFailed, or
 * ExternalProvisioning for a provisioner it does not know), and applies reclaim policies
 * when a claim goes: Retain leaves the volume Released, Delete deletes the storage and then
 * the PersistentVolume.
 */
export class PersistentVolumeController implements Component {
  readonly name = PV_CONTROLLER_NAME;
  readonly #ctx: ControllerContext;
  readonly #provisioners = new Map<string, VolumeProvisioner>();
  /** Running provision/delete operations by name (goroutinemap in upstream). */
  readonly #operations = new Map<string, TimerHandle>();
  /** Operations that failed: how often, and when they may run again. */
  readonly #failedOperations = new Map<string, { failures: number; notBefore: number }>();
  #client: ApiClient | undefined;
  #recorder: EventRecorder | undefined;
  #claims: Informer<'PersistentVolumeClaim'> | undefined;
  #volumes: Informer<'PersistentVolume'> | undefined;
  #classes: Informer<'StorageClass'> | undefined;
  #nodes: Informer<'Node'> | undefined;
  #claimQueue: WorkQueue | undefined;
  #volumeQueue: WorkQueue | undefined;
  #subscriptions: Subscription[] = [];
  /** The volumes a pending claim could get: pre-bound to it, or Available (see MatchableVolumes). */
  readonly #matchable = new MatchableVolumes();
  #origin = 0;

  constructor(ctx: ControllerContext, options: PersistentVolumeControllerOptions = {}) {
    this.#ctx = ctx;
    for (const p of options.provisioners ?? []) this.register(p);
  }

  /** Registers an in-tree volume plugin under its provisioner name (a later one replaces it). */
  register(provisioner: VolumeProvisioner): void {
    this.#provisioners.set(provisioner.name, provisioner);
  }

  /** Starts watching claims, volumes, classes and nodes. */
  start(): void {
    const { sim } = this.#ctx;
    const client = sim.api.client(PV_CONTROLLER_NAME);
    this.#client = client;
    this.#recorder = new EventRecorder(client, { component: PV_CONTROLLER_NAME }, { trace: sim.trace });
    this.#origin = sim.clock.now();
    this.#claimQueue = new WorkQueue(sim.clock, (key) => this.#syncClaim(key), { owner: this.name });
    this.#volumeQueue = new WorkQueue(sim.clock, (key) => this.#syncVolume(key), { owner: this.name });
    this.#classes = sharedInformer(this.#ctx, 'StorageClass');
    this.#nodes = sharedInformer(this.#ctx, 'Node');
    this.#volumes = sharedInformer(this.#ctx, 'PersistentVolume');
    this.#claims = sharedInformer(this.#ctx, 'PersistentVolumeClaim');
    this.#subscriptions = [
      this.#classes.events$.subscribe(() => undefined),
      this.#nodes.events$.subscribe(() => undefined),
      this.#volumes.events$.subscribe((e) => this.#onVolume(e)),
      this.#claims.events$.subscribe((e) => this.#onClaim(e)),
    ];
  }

  /** Stops watches, queues and running operations. */
  stop(): void {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#subscriptions = [];
    this.#claimQueue?.stop();
    this.#volumeQueue?.stop();
    for (const timer of this.#operations.values()) timer.cancel();
    this.#operations.clear();
  }

  // ---- event handlers ----------------------------------------------------------------

  #onClaim(event: InformerEvent<PersistentVolumeClaim>): void {
    const claim = event.object;
    if (event.type === 'DELETED') {
      // deleteClaim: the volume it was bound to is released now, sync it at once.
      const volumeName = claim.spec?.volumeName;
      if (volumeName) this.#volumeQueue?.add(volumeName);
      return;
    }
    this.#claimQueue?.add(claimKey(claim));
  }

  #onVolume(event: InformerEvent<PersistentVolume>): void {
    this.#matchable.apply(event);
    const pv = event.object;
    if (event.type === 'DELETED') {
      const ref = claimRefKey(pv);
      if (ref) this.#claimQueue?.add(ref);
      return;
    }
    this.#volumeQueue?.add(pv.metadata?.name ?? '');
  }

  // ---- helpers -----------------------------------------------------------------------

  /** The next tick of the periodic resync (--pvclaimbinder-sync-period) after now. */
  #untilResync(): number {
    const period = this.#ctx.profile.options.pvClaimBinderSyncPeriod;
    const now = this.#ctx.sim.clock.now();
    return this.#origin + (Math.floor((now - this.#origin) / period) + 1) * period - now;
  }

  #resyncClaim(key: string, why: string): void {
    this.#claimQueue?.addAfter(key, this.#untilResync(), `resync of claim ${key}: ${why}`);
  }

  #resyncVolume(name: string, why: string): void {
    this.#volumeQueue?.addAfter(name, this.#untilResync(), `resync of volume ${name}: ${why}`);
  }

  /** What findMatchingVolume needs to see for `claim`: the volumes pre-bound to it, then the Available ones. */
  #volumesFor(claim: PersistentVolumeClaim): readonly PersistentVolume[] {
    // A pre-bound volume wins wherever it stands in its access-mode group, so putting them first changes no result.
    return this.#matchable.for(`${claim.metadata?.namespace ?? 'default'}/${claim.metadata?.name ?? ''}`);
  }

  #claim(key: string): PersistentVolumeClaim | undefined {
    const { namespace, name } = splitKey(key);
    return this.#claims?.get(name, namespace);
  }

  #isDelayBinding(claim: PersistentVolumeClaim): boolean {
    // A claim the scheduler has picked a node for is provisioned now (shouldDelayBinding).
    if (claim.metadata?.annotations?.[ANN_SELECTED_NODE] !== undefined) return false;
    const className = claimClass(claim);
    return !!className && this.#classes?.get(className)?.volumeBindingMode === 'WaitForFirstConsumer';
  }

  /** updateClaimStatus: phase, and access modes and capacity of the volume (cleared without one). */
  #updateClaimStatus(claim: PersistentVolumeClaim, phase: ClaimPhase, volume?: PersistentVolume): E.Either<unknown, PersistentVolumeClaim> {
    const status = {
      ...claim.status,
      phase,
      accessModes: volume?.spec?.accessModes,
      capacity: volume?.spec?.capacity,
    };
    const same =
      claim.status?.phase === phase &&
      JSON.stringify(claim.status?.accessModes) === JSON.stringify(status.accessModes) &&
      JSON.stringify(claim.status?.capacity) === JSON.stringify(status.capacity);
    if (same) return E.right(claim);
    return this.#client!.updateStatus('PersistentVolumeClaim', { ...claim, status });
  }

  /** updateClaimStatusWithEvent: the event only when the phase changes. */
  #updateClaimStatusWithEvent(claim: PersistentVolumeClaim, phase: ClaimPhase, reason: string, message: string): ReconcileResult {
    if (claim.status?.phase === phase) return undefined;
    const updated = this.#updateClaimStatus(claim, phase);
    if (E.isLeft(updated)) return { retry: true };
    this.#recorder?.warning(updated.right, reason, message);
    return undefined;
  }

  /** updateVolumePhase. */
  #updateVolumePhase(volume: PersistentVolume, phase: VolumePhase, message = ''): E.Either<unknown, PersistentVolume> {
    if (volume.status?.phase === phase) return E.right(volume);
    return this.#client!.updateStatus('PersistentVolume', { ...volume, status: { ...volume.status, phase, message: message || undefined } });
  }

  /** updateVolumePhaseWithEvent: the event only when the phase changes. */
  #updateVolumePhaseWithEvent(volume: PersistentVolume, phase: VolumePhase, reason: string, message: string): E.Either<unknown, PersistentVolume> {
    if (volume.status?.phase === phase) return E.right(volume);
    const updated = this.#updateVolumePhase(volume, phase, message);
    if (E.isRight(updated)) this.#recorder?.warning(updated.right, reason, message);
    return updated;
  }

  // ---- claims ------------------------------------------------------------------------

  #syncClaim(key: string): ReconcileResult {
    const claim = this.#claim(key);
    if (!claim) return undefined;
    return claim.metadata?.annotations?.[ANN_BIND_COMPLETED] === undefined ? this.#syncUnboundClaim(key, claim) : this.#syncBoundClaim(claim);
  }

  #syncUnboundClaim(key: string, claim: PersistentVolumeClaim): ReconcileResult {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) {
      const delayBinding = this.#isDelayBinding(claim);
      const volume = findMatchingVolume(claim, this.#volumesFor(claim), { delayBinding });
      if (volume) return this.#bind(volume, claim);
      if (delayBinding) {
        this.#recorder?.normal(claim, 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      } else if (claimClass(claim)) {
        this.#provisionClaim(claim);
        this.#resyncClaim(key, 'waiting for a volume');
        return undefined;
      } else {
        this.#recorder?.normal(claim, 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      }
      // Pending; the next periodic sync looks for a match again.
      if (E.isLeft(this.#updateClaimStatus(claim, 'Pending'))) return { retry: true };
      this.#resyncClaim(key, 'Pending');
      return undefined;
    }
    // The user asked for a particular volume.
    const volume = this.#volumes?.get(volumeName);
    if (volume && (!volume.spec?.claimRef || isVolumeBoundToClaim(volume, claim))) return this.#bind(volume, claim);
    if (volume && claim.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
      // Bound by the controller to a volume claimed by someone else: cannot happen unless
      // someone removed bind-completed; upstream errs and retries.
      return { retry: true };
    }
    // The volume does not exist (yet) or is claimed by another claim: wait.
    if (E.isLeft(this.#updateClaimStatus(claim, 'Pending'))) return { retry: true };
    this.#resyncClaim(key, `waiting for volume ${volumeName}`);
    return undefined;
  }

  #syncBoundClaim(claim: PersistentVolumeClaim): ReconcileResult {
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) return this.#updateClaimStatusWithEvent(claim, 'Lost', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    const volume = this.#volumes?.get(volumeName);
    if (!volume) return this.#updateClaimStatusWithEvent(claim, 'Lost', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    const ref = volume.spec?.claimRef;
    if (!ref || ref.uid === claim.metadata?.uid) return this.#bind(volume, claim);
    return this.#updateClaimStatusWithEvent(claim, 'Lost', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  /**
   * bind: volume first (claimRef and bound-by-controller, then phase Bound), then the claim
   * (volumeName, bind-completed and bound-by-controller, then phase Bound with the volume's
   * capacity and access modes). Each step writes only what is missing.
   */
  #bind(volume: PersistentVolume, claim: PersistentVolumeClaim): ReconcileResult {
    const client = this.#client!;
    let pv = volume;
    const ref = pv.spec?.claimRef;
    const refMatches = ref && ref.name === claim.metadata?.name && ref.namespace === claim.metadata?.namespace && ref.uid === claim.metadata?.uid;
    if (!refMatches) {
      const annotations = isVolumeBoundToClaim(pv, claim) ? pv.metadata?.annotations : { ...pv.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      const updated = client.update('PersistentVolume', {
        ...pv,
        metadata: { ...pv.metadata, annotations },
        spec: {
          ...pv.spec,
          claimRef: {
            kind: 'PersistentVolumeClaim',
            apiVersion: 'v1',
            namespace: claim.metadata?.namespace,
            name: claim.metadata?.name,
            uid: claim.metadata?.uid,
            resourceVersion: claim.metadata?.resourceVersion,
          },
        },
      });
      if (E.isLeft(updated)) return { retry: true };
      pv = updated.right;
    }
    const bound = this.#updateVolumePhase(pv, 'Bound');
    if (E.isLeft(bound)) return { retry: true };
    pv = bound.right;

    let pvc = claim;
    const pvName = pv.metadata?.name ?? '';
    const annotations = { ...pvc.metadata?.annotations };
    let dirty = false;
    if (pvc.spec?.volumeName !== pvName && annotations[ANN_BOUND_BY_CONTROLLER] === undefined) {
      annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      dirty = true;
    }
    if (annotations[ANN_BIND_COMPLETED] === undefined) {
      annotations[ANN_BIND_COMPLETED] = 'yes';
      dirty = true;
    }
    if (pvc.spec?.volumeName !== pvName || dirty) {
      const updated = client.update('PersistentVolumeClaim', { ...pvc, metadata: { ...pvc.metadata, annotations }, spec: { ...pvc.spec, volumeName: pvName } });
      if (E.isLeft(updated)) return { retry: true };
      pvc = updated.right;
    }
    if (E.isLeft(this.#updateClaimStatus(pvc, 'Bound', pv))) return { retry: true };
    return undefined;
  }

  // ---- provisioning ------------------------------------------------------------------

  /** provisionClaim: one provisioning operation per claim at a time. */
  #provisionClaim(claim: PersistentVolumeClaim): void {
    const opName = `provision-${claimKey(claim)}[${claim.metadata?.uid ?? ''}]`;
    if (this.#operations.has(opName)) return;
    const className = claimClass(claim);
    const storageClass = this.#classes?.get(className);
    if (!storageClass) {
      this.#recorder?.warning(claim, 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    const provisionerName = storageClass.provisioner;
    let current = claim;
    // setClaimProvisioner: external provisioners wait for this annotation.
    if (current.metadata?.annotations?.[ANN_STORAGE_PROVISIONER] !== provisionerName) {
      const updated = this.#client!.update('PersistentVolumeClaim', {
        ...current,
        metadata: { ...current.metadata, annotations: { ...current.metadata?.annotations, [ANN_STORAGE_PROVISIONER]: provisionerName } },
      });
      if (E.isLeft(updated)) return;
      current = updated.right;
    }
    const plugin = this.#provisioners.get(provisionerName);
    if (!plugin) {
      this.#recorder?.normal(
        current,
        'ExternalProvisioning',
        `waiting for a volume to be created, either by external provisioner "${provisionerName}" or manually created by system administrator`,
      );
      return;
    }
    this.#scheduleOperation(opName, plugin.provisionDurationMs ?? 0, `provision a volume for claim ${claimKey(claim)} (${plugin.name})`, () =>
      this.#provisionClaimOperation(claimKey(claim), claim.metadata?.uid, plugin, storageClass),
    );
  }

  /**
   * scheduleOperation: runs `operation` after `durationMs` (the storage system's latency; at
   * least after the syncs already due, as upstream's goroutine runs beside them) unless the
   * same operation is running or backing off after a failure. `operation` says whether it
   * succeeded.
   */
  #scheduleOperation(opName: string, durationMs: number, purpose: string, operation: () => boolean): void {
    const clock = this.#ctx.sim.clock;
    if (this.#operations.has(opName)) return;
    const failed = this.#failedOperations.get(opName);
    if (failed && clock.now() < failed.notBefore) return;
    const run = (): void => {
      this.#operations.delete(opName);
      if (operation()) {
        this.#failedOperations.delete(opName);
        return;
      }
      const failures = (this.#failedOperations.get(opName)?.failures ?? 0) + 1;
      const backoff = Math.min(MAX_DURATION_BEFORE_RETRY, INITIAL_DURATION_BEFORE_RETRY * 2 ** (failures - 1));
      this.#failedOperations.set(opName, { failures, notBefore: clock.now() + backoff });
    };
    this.#operations.set(opName, clock.schedule(Math.max(0, durationMs), run, { owner: this.name, purpose }));
  }

  /** provisionClaimOperation: false when it failed. */
  #provisionClaimOperation(key: string, uid: string | undefined, plugin: VolumeProvisioner, storageClass: StorageClass): boolean {
    const claim = this.#claim(key);
    // The claim went, was replaced, or got a volume meanwhile.
    if (!claim || claim.metadata?.uid !== uid || claim.spec?.volumeName) return true;
    const pvName = `pvc-${uid ?? ''}`;
    if (this.#volumes?.get(pvName)) return true;
    const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    const selectedNode: Node | undefined = selected !== undefined ? this.#nodes?.get(selected) : undefined;
    const reclaimPolicy = (storageClass.reclaimPolicy ?? 'Delete') as 'Delete' | 'Retain' | 'Recycle';
    const provisioned = plugin.provision(claim, storageClass, { pvName, reclaimPolicy, ...(selectedNode ? { selectedNode } : {}) });
    if (E.isLeft(provisioned)) {
      this.#recorder?.warning(claim, 'ProvisioningFailed', `Failed to provision volume with StorageClass "${storageClass.metadata?.name ?? ''}": ${provisioned.left}`);
      return false;
    }
    const volume = provisioned.right;
    const className = claimClass(claim);
    const pv: PersistentVolume = {
      metadata: {
        ...volume.metadata,
        name: volume.metadata?.name ?? pvName,
        annotations: { ...volume.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes', [ANN_DYNAMICALLY_PROVISIONED]: plugin.name },
      },
      spec: {
        ...volume.spec,
        claimRef: {
          kind: 'PersistentVolumeClaim',
          apiVersion: 'v1',
          namespace: claim.metadata?.namespace,
          name: claim.metadata?.name,
          uid: claim.metadata?.uid,
          resourceVersion: claim.metadata?.resourceVersion,
        },
        persistentVolumeReclaimPolicy: volume.spec.persistentVolumeReclaimPolicy ?? reclaimPolicy,
        ...(className ? { storageClassName: className } : {}),
        ...(storageClass.mountOptions ? { mountOptions: storageClass.mountOptions } : {}),
      },
    };
    const created = this.#client!.create('PersistentVolume', pv);
    if (E.isLeft(created) && created.left.reason !== 'AlreadyExists') {
      // The storage exists but its PersistentVolume could not be saved: clean it up.
      const cleaned = plugin.delete(pv);
      if (E.isLeft(cleaned)) {
        this.#recorder?.warning(claim, 'ProvisioningCleanupFailed', `Error cleaning provisioned volume for claim ${key}: ${cleaned.left}. Please delete manually.`);
      }
      return false;
    }
    this.#recorder?.normal(claim, 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata?.name ?? pvName} using ${plugin.name}`);
    return true;
  }

  // ---- volumes -----------------------------------------------------------------------

  #syncVolume(name: string): ReconcileResult {
    const volume = this.#volumes?.get(name);
    if (!volume) return undefined;
    const ref = volume.spec?.claimRef;
    if (!ref || !ref.uid) {
      // Unused, or pre-bound to a claim that has not bound yet: the claim's sync does it.
      return E.isLeft(this.#updateVolumePhase(volume, 'Available')) ? { retry: true } : undefined;
    }
    let claim: PersistentVolumeClaim | undefined = this.#claims?.get(ref.name ?? '', ref.namespace);
    // A claim of the same name but another uid replaced the one the volume was bound to.
    if (claim && claim.metadata?.uid !== ref.uid) claim = undefined;
    if (!claim) {
      let released = volume;
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
        const updated = this.#updateVolumePhase(volume, 'Released');
        if (E.isLeft(updated)) return { retry: true };
        released = updated.right;
      }
      return this.#reclaimVolume(released);
    }
    const claimVolume = claim.spec?.volumeName;
    if (!claimVolume) {
      // The binding is not complete: the claim's sync finishes it.
      this.#claimQueue?.add(claimKey(claim));
      return undefined;
    }
    if (claimVolume === name) return E.isLeft(this.#updateVolumePhase(volume, 'Bound')) ? { retry: true } : undefined;
    // The claim is bound to another volume.
    if (volume.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      let released = volume;
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') {
        const updated = this.#updateVolumePhase(volume, 'Released');
        if (E.isLeft(updated)) return { retry: true };
        released = updated.right;
      }
      return this.#reclaimVolume(released);
    }
    return this.#unbindVolume(volume);
  }

  /** unbindVolume: undo a binding the controller made, or clear the uid of a user's pre-binding. */
  #unbindVolume(volume: PersistentVolume): ReconcileResult {
    const byController = volume.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined;
    const annotations = { ...volume.metadata?.annotations };
    delete annotations[ANN_BOUND_BY_CONTROLLER];
    const updated = this.#client!.update('PersistentVolume', {
      ...volume,
      metadata: { ...volume.metadata, annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
      spec: { ...volume.spec, claimRef: byController ? undefined : { ...volume.spec?.claimRef, uid: undefined } },
    });
    if (E.isLeft(updated)) return { retry: true };
    return E.isLeft(this.#updateVolumePhase(updated.right, 'Available')) ? { retry: true } : undefined;
  }

  /** reclaimVolume. */
  #reclaimVolume(volume: PersistentVolume): ReconcileResult {
    switch (volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain') {
      case 'Retain':
        return undefined;
      case 'Recycle':
        // Recycling (deprecated) is a pod-based scrub failsim does not run.
        this.#updateVolumePhaseWithEvent(volume, 'Failed', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
        return undefined;
      case 'Delete':
        this.#scheduleDelete(volume);
        // A volume whose deletion failed is retried by the periodic sync.
        if (volume.status?.phase === 'Failed') this.#resyncVolume(volume.metadata?.name ?? '', 'retry deleting');
        return undefined;
      default:
        this.#updateVolumePhaseWithEvent(volume, 'Failed', 'VolumeUnknownReclaimPolicy', 'Volume has unrecognized PersistentVolumeReclaimPolicy');
        return undefined;
    }
  }

  #scheduleDelete(volume: PersistentVolume): void {
    const name = volume.metadata?.name ?? '';
    const opName = `delete-${name}[${volume.metadata?.uid ?? ''}]`;
    if (this.#operations.has(opName)) return;
    const annotated = volume.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
    const plugin = annotated !== undefined ? this.#provisioners.get(annotated) : undefined;
    // Provisioned by a provisioner the controller does not run: that one deletes it.
    if (annotated !== undefined && !plugin) return;
    this.#scheduleOperation(opName, plugin?.deleteDurationMs ?? 0, `delete volume ${name}${plugin ? ` (${plugin.name})` : ''}`, () =>
      this.#deleteVolumeOperation(name, volume.metadata?.uid, plugin),
    );
  }

  /**
   * deleteVolumeOperation: delete the storage, then the PersistentVolume (its pv-protection
   * finalizer goes once it is no longer Bound). On failure the volume is Failed and the
   * periodic sync retries, no sooner than the operation's back-off allows.
   */
  #deleteVolumeOperation(name: string, uid: string | undefined, plugin: VolumeProvisioner | undefined): boolean {
    const volume = this.#volumes?.get(name);
    if (!volume || volume.metadata?.uid !== uid || !this.#isVolumeReleased(volume)) return true;
    const deleted = plugin ? plugin.delete(volume) : E.left('no deletable volume plugin matched');
    if (E.isLeft(deleted)) {
      this.#updateVolumePhaseWithEvent(volume, 'Failed', 'VolumeFailedDelete', deleted.left);
      this.#resyncVolume(name, 'retry deleting');
      return false;
    }
    const removed = this.#client!.delete('PersistentVolume', name);
    if (E.isLeft(removed) && removed.left.reason !== 'NotFound') {
      this.#resyncVolume(name, 'retry deleting');
      return false;
    }
    return true;
  }

  /** isVolumeReleased: bound to a claim that is gone, or bound elsewhere. */
  #isVolumeReleased(volume: PersistentVolume): boolean {
    const ref = volume.spec?.claimRef;
    if (!ref?.uid) return false;
    const claim = this.#claims?.get(ref.name ?? '', ref.namespace);
    if (claim && claim.metadata?.uid === ref.uid) return !!claim.spec?.volumeName && claim.spec.volumeName !== volume.metadata?.name;
    return true;
  }
}
