// The external-provisioner sidecar of a CSI driver (kubernetes-csi/external-provisioner with
// sig-storage-lib-external-provisioner controller.go, v1.x–v3.x): provisions the claims the
// PV controller left to it (ExternalProvisioning; the storage-provisioner annotation names
// the driver) and deletes the released volumes it provisioned. The PV controller then binds
// the claim to the new volume as it binds any pre-bound volume.
import * as E from 'fp-ts/lib/Either.js';
import { EventRecorder, Informer, type ApiClient, type TimerHandle } from '@failsim/core';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';
import type { Component, ControllerContext } from '../runtime/context.js';
import { splitKey } from '../runtime/pod-util.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import type { VolumeProvisioner } from './volume-provisioner.js';
import { ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClass, claimKey } from './volume-util.js';

/** --retry-interval-start: first wait after a failed operation. */
const RETRY_INTERVAL_START = 1_000;
/** --retry-interval-max: longest wait. */
const RETRY_INTERVAL_MAX = 300_000;

/** Options of a {@link CsiProvisioner}. */
export interface CsiProvisionerOptions {
  /** The sidecar's identity, part of its event source (`<driver>_<identity>`). Default "csi-provisioner". */
  readonly identity?: string;
}

/**
 * Provisions and deletes volumes for one CSI driver, as its external-provisioner does:
 * events `Provisioning` ("External provisioner is provisioning volume for claim …"),
 * `ProvisioningSucceeded` ("Successfully provisioned volume pvc-…") or `ProvisioningFailed`
 * on the claim, retried with back-off from 1 s to 5 min; `VolumeFailedDelete` on a volume it
 * could not delete.
 */
export class CsiProvisioner implements Component {
  /** Event source: `<driver>_<identity>`. */
  readonly name: string;
  readonly #ctx: ControllerContext;
  readonly #driver: VolumeProvisioner;
  readonly #operations = new Map<string, TimerHandle>();
  readonly #failures = new Map<string, number>();
  #client: ApiClient | undefined;
  #recorder: EventRecorder | undefined;
  #claims: Informer<'PersistentVolumeClaim'> | undefined;
  #volumes: Informer<'PersistentVolume'> | undefined;
  #classes: Informer<'StorageClass'> | undefined;
  #nodes: Informer<'Node'> | undefined;
  #claimQueue: WorkQueue | undefined;
  #volumeQueue: WorkQueue | undefined;
  #subscriptions: Subscription[] = [];

  constructor(ctx: ControllerContext, driver: VolumeProvisioner, options: CsiProvisionerOptions = {}) {
    this.#ctx = ctx;
    this.#driver = driver;
    this.name = `${driver.name}_${options.identity ?? 'csi-provisioner'}`;
  }

  /** Starts watching claims and volumes. */
  start(): void {
    const { sim } = this.#ctx;
    const client = sim.api.client(this.name);
    this.#client = client;
    this.#recorder = new EventRecorder(client, { component: this.name }, { trace: sim.trace });
    this.#claimQueue = new WorkQueue(sim.clock, (key) => this.#syncClaim(key), { owner: this.name });
    this.#volumeQueue = new WorkQueue(sim.clock, (key) => this.#syncVolume(key), { owner: this.name });
    this.#classes = new Informer(client, 'StorageClass');
    this.#nodes = new Informer(client, 'Node');
    this.#volumes = new Informer(client, 'PersistentVolume');
    this.#claims = new Informer(client, 'PersistentVolumeClaim');
    this.#subscriptions = [
      this.#classes.events$.subscribe(() => undefined),
      this.#nodes.events$.subscribe(() => undefined),
      this.#volumes.events$.subscribe((e) => {
        if (e.type !== 'DELETED') this.#volumeQueue?.add(e.object.metadata?.name ?? '');
      }),
      this.#claims.events$.subscribe((e) => {
        if (e.type !== 'DELETED') this.#claimQueue?.add(claimKey(e.object));
      }),
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

  /** Back-off after `failures` failures of one operation. */
  #retryAfter(failures: number): number {
    return Math.min(RETRY_INTERVAL_MAX, RETRY_INTERVAL_START * 2 ** (failures - 1));
  }

  /**
   * Runs `operation` after `durationMs` unless it is running; on failure requeues `retry`
   * after the back-off. True when it started the operation.
   */
  #run(opName: string, durationMs: number, purpose: string, operation: () => boolean, retry: () => void, retryPurpose: string): boolean {
    if (this.#operations.has(opName)) return false;
    const clock = this.#ctx.sim.clock;
    this.#operations.set(
      opName,
      clock.schedule(
        Math.max(0, durationMs),
        () => {
          this.#operations.delete(opName);
          if (operation()) {
            this.#failures.delete(opName);
            return;
          }
          const failures = (this.#failures.get(opName) ?? 0) + 1;
          this.#failures.set(opName, failures);
          clock.schedule(this.#retryAfter(failures), retry, { owner: this.name, purpose: retryPurpose });
        },
        { owner: this.name, purpose },
      ),
    );
    return true;
  }

  /** shouldProvision, then provisionClaimOperation. */
  #syncClaim(key: string): ReconcileResult {
    const { namespace, name } = splitKey(key);
    const claim = this.#claims?.get(name, namespace);
    if (!claim || claim.spec?.volumeName || claim.metadata?.deletionTimestamp) return undefined;
    if (claim.metadata?.annotations?.[ANN_STORAGE_PROVISIONER] !== this.#driver.name) return undefined;
    const storageClass = this.#classes?.get(claimClass(claim));
    if (!storageClass || storageClass.provisioner !== this.#driver.name) return undefined;
    const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    // WaitForFirstConsumer: provision only once the scheduler picked a node.
    if (storageClass.volumeBindingMode === 'WaitForFirstConsumer' && selected === undefined) return undefined;
    const pvName = `pvc-${claim.metadata?.uid ?? ''}`;
    if (this.#volumes?.get(pvName)) return undefined;
    const uid = claim.metadata?.uid;
    const started = this.#run(
      `provision-${key}[${uid ?? ''}]`,
      this.#driver.provisionDurationMs ?? 0,
      `provision a volume for claim ${key} (${this.#driver.name})`,
      () => this.#provision(key, uid, pvName),
      () => this.#claimQueue?.add(key),
      `retry provisioning claim ${key}`,
    );
    if (started) this.#recorder?.normal(claim, 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
    return undefined;
  }

  #provision(key: string, uid: string | undefined, pvName: string): boolean {
    const { namespace, name } = splitKey(key);
    const claim = this.#claims?.get(name, namespace);
    if (!claim || claim.metadata?.uid !== uid || claim.spec?.volumeName || this.#volumes?.get(pvName)) return true;
    const className = claimClass(claim);
    const storageClass = this.#classes?.get(className);
    if (!storageClass) return true;
    const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    const selectedNode = selected !== undefined ? this.#nodes?.get(selected) : undefined;
    const reclaimPolicy = (storageClass.reclaimPolicy ?? 'Delete') as 'Delete' | 'Retain' | 'Recycle';
    const provisioned = this.#driver.provision(claim, storageClass, { pvName, reclaimPolicy, ...(selectedNode ? { selectedNode } : {}) });
    if (E.isLeft(provisioned)) {
      this.#recorder?.warning(claim, 'ProvisioningFailed', `failed to provision volume with StorageClass "${className}": ${provisioned.left}`);
      return false;
    }
    const volume = provisioned.right;
    const pv: PersistentVolume = {
      metadata: { ...volume.metadata, name: pvName, annotations: { ...volume.metadata?.annotations, [ANN_DYNAMICALLY_PROVISIONED]: this.#driver.name } },
      spec: {
        ...volume.spec,
        claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace, name, uid, resourceVersion: claim.metadata?.resourceVersion },
        persistentVolumeReclaimPolicy: volume.spec.persistentVolumeReclaimPolicy ?? reclaimPolicy,
        storageClassName: className,
        ...(storageClass.mountOptions ? { mountOptions: storageClass.mountOptions } : {}),
      },
    };
    const created = this.#client!.create('PersistentVolume', pv);
    if (E.isLeft(created) && created.left.reason !== 'AlreadyExists') return false;
    this.#recorder?.normal(claim, 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
    return true;
  }

  /** shouldDelete, then deleteVolumeOperation. */
  #syncVolume(name: string): ReconcileResult {
    const pv = this.#volumes?.get(name);
    if (!pv || !this.#shouldDelete(pv)) return undefined;
    const uid = pv.metadata?.uid;
    this.#run(
      `delete-${name}[${uid ?? ''}]`,
      this.#driver.deleteDurationMs ?? 0,
      `delete volume ${name} (${this.#driver.name})`,
      () => this.#delete(name, uid),
      () => this.#volumeQueue?.add(name),
      `retry deleting volume ${name}`,
    );
    return undefined;
  }

  #shouldDelete(pv: PersistentVolume): boolean {
    return (
      pv.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED] === this.#driver.name &&
      pv.status?.phase === 'Released' &&
      pv.spec?.persistentVolumeReclaimPolicy === 'Delete' &&
      !pv.metadata?.deletionTimestamp
    );
  }

  #delete(name: string, uid: string | undefined): boolean {
    const pv = this.#volumes?.get(name);
    if (!pv || pv.metadata?.uid !== uid || !this.#shouldDelete(pv)) return true;
    const deleted = this.#driver.delete(pv);
    if (E.isLeft(deleted)) {
      this.#recorder?.warning(pv, 'VolumeFailedDelete', deleted.left);
      return false;
    }
    const removed = this.#client!.delete('PersistentVolume', name);
    return E.isRight(removed) || removed.left.reason === 'NotFound';
  }
}
