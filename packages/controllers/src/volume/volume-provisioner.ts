// The plug point for storage: what a volume plugin does when a claim needs a new volume and
// when a released volume must go. Models the ProvisionableVolumePlugin / Provisioner and
// DeletableVolumePlugin / Deleter interfaces of pkg/volume/plugins.go and volume.go (in-tree
// plugins such as kubernetes.io/vsphere-volume, v1.12–v1.32) and, for CSI drivers, the
// Provision/Delete calls the external-provisioner sidecar makes
// (sig-storage-lib-external-provisioner controller.go). The vSphere package implements it.
import * as E from 'fp-ts/lib/Either.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';

/** What a provisioner is told besides the claim and its class (VolumeOptions). */
export interface ProvisionOptions {
  /** The name the PersistentVolume will get: `pvc-<claim uid>`. */
  readonly pvName: string;
  /** The class's reclaim policy (default Delete). */
  readonly reclaimPolicy: 'Delete' | 'Retain' | 'Recycle';
  /** For WaitForFirstConsumer classes: the node the scheduler chose. */
  readonly selectedNode?: Node;
}

/** The PersistentVolume a provisioner made; the controller adds name, claimRef, class and annotations. */
export interface ProvisionedVolume {
  readonly metadata?: ObjectMeta;
  readonly spec: PersistentVolumeSpec;
}

/**
 * A volume plugin that can create and delete volumes, registered under the name a
 * StorageClass's `provisioner` names. Errors are the plugin's message (it ends up in the
 * ProvisioningFailed / VolumeFailedDelete event).
 */
export interface VolumeProvisioner {
  /** The provisioner name: `kubernetes.io/vsphere-volume`, `csi.vsphere.vmware.com`. */
  readonly name: string;
  /** Creates the backing storage for `claim`; returns the volume to create. */
  provision(claim: PersistentVolumeClaim, storageClass: StorageClass, options: ProvisionOptions): E.Either<string, ProvisionedVolume>;
  /** Deletes the backing storage of a released volume with reclaim policy Delete. */
  delete(pv: PersistentVolume): E.Either<string, void>;
  /** Virtual time a provisioning takes (the storage system's latency); default 0. */
  readonly provisionDurationMs?: number;
  /** Virtual time a deletion takes; default 0. */
  readonly deleteDurationMs?: number;
}

/** A recorded call of a {@link FakeProvisioner}. */
export interface FakeProvisionerCall {
  readonly op: 'provision' | 'delete';
  readonly name: string;
}

/** Options of a {@link FakeProvisioner}. */
export interface FakeProvisionerOptions {
  /** Provisioner name; default `failsim.io/fake`. */
  readonly name?: string;
  readonly provisionDurationMs?: number;
  readonly deleteDurationMs?: number;
}

/**
 * An in-memory provisioner for tests and scenarios without a storage system: volumes are
 * hostPath volumes of the claim's requested size. Failures can be queued: the next calls
 * fail with the given messages.
 */
export class FakeProvisioner implements VolumeProvisioner {
  readonly name: string;
  readonly provisionDurationMs: number;
  readonly deleteDurationMs: number;
  /** Every call, in order. */
  readonly calls: FakeProvisionerCall[] = [];
  /** Names of the volumes that exist. */
  readonly volumes = new Set<string>();
  readonly #provisionFailures: string[] = [];
  readonly #deleteFailures: string[] = [];

  constructor(options: FakeProvisionerOptions = {}) {
    this.name = options.name ?? 'failsim.io/fake';
    this.provisionDurationMs = options.provisionDurationMs ?? 0;
    this.deleteDurationMs = options.deleteDurationMs ?? 0;
  }

  /** The next `messages.length` provisionings fail with these messages. */
  failProvisioning(...messages: string[]): void {
    this.#provisionFailures.push(...messages);
  }

  /** The next `messages.length` deletions fail with these messages. */
  failDeletion(...messages: string[]): void {
    this.#deleteFailures.push(...messages);
  }

  provision(claim: PersistentVolumeClaim, storageClass: StorageClass, options: ProvisionOptions): E.Either<string, ProvisionedVolume> {
    this.calls.push({ op: 'provision', name: options.pvName });
    const failure = this.#provisionFailures.shift();
    if (failure !== undefined) return E.left(failure);
    this.volumes.add(options.pvName);
    const size = claim.spec?.resources?.requests?.['storage'] ?? '0';
    return E.right({
      metadata: { labels: storageClass.parameters?.['zone'] ? { 'topology.kubernetes.io/zone': storageClass.parameters['zone'] } : undefined },
      spec: {
        capacity: { storage: size },
        accessModes: claim.spec?.accessModes,
        persistentVolumeReclaimPolicy: options.reclaimPolicy,
        hostPath: { path: `/tmp/failsim/${options.pvName}` },
      },
    });
  }

  delete(pv: PersistentVolume): E.Either<string, void> {
    const name = pv.metadata?.name ?? '';
    this.calls.push({ op: 'delete', name });
    const failure = this.#deleteFailures.shift();
    if (failure !== undefined) return E.left(failure);
    this.volumes.delete(name);
    return E.right(undefined);
  }
}
