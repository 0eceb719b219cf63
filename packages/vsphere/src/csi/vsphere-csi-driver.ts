// The vSphere CSI driver `csi.vsphere.vmware.com` (CNS), vanilla flavour, as the A/D
// controller and kubelet see it through the external-attacher: kubernetes-sigs/
// vsphere-csi-driver pkg/csi/service/vanilla/controller.go (CreateVolume,
// ControllerPublishVolume, ControllerUnpublishVolume; v2.x–v3.x) and, for in-tree
// `vsphereVolume` PVs under CSI migration, the translation of .vmdk paths (storage
// reference §7). Attachments go through VolumeAttachment objects.
import * as E from 'fp-ts/lib/Either.js';
import type { ProvisionedVolume, ProvisionOptions, VolumeProvisioner } from '@failsim/controllers';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { quantityValue } from '@failsim/controllers';
import { catchError, defer, map, of, switchMap, throwError, type Observable } from 'rxjs';
import { canonicalDatastorePath } from '../datastore-path.js';
import { SerialQueue } from '../serial-queue.js';
import type { VimFault } from '../task.js';
import type { Vcenter } from '../vcenter.js';
import { diskName, freeUnit } from '../virtual-device-list.js';
import { pollUntil, type AttachableVolumePlugin } from '../volume-plugin.js';

/** The driver's name. */
export const VSPHERE_CSI_DRIVER_NAME = 'csi.vsphere.vmware.com';

/** Options of the CSI driver. */
export interface VsphereCsiDriverOptions {
  readonly vcenter: Vcenter;
  /** The VM of a node, found in vCenter independently of the Node object (node name → VM name). */
  readonly vmForNode: (nodeName: string) => string | undefined;
  /** Serve in-tree `vsphereVolume` PVs too (CSIMigrationvSphere). */
  readonly migration?: boolean;
  readonly waitForAttachTimeoutMs?: number;
  readonly defaultDatastore?: string;
}

const faultMessage = (e: unknown): string => (typeof e === 'object' && e !== null && 'message' in e ? String((e as VimFault).message) : String(e));

/** gRPC status text as the external-attacher records it and the A/D controller reports it. */
const internal = (desc: string): string => `rpc error: code = Internal desc = ${desc}`;

/**
 * `csi.vsphere.vmware.com` as an attachable plugin: attach = ControllerPublishVolume
 * (find the node's VM, add the disk; a PVSCSI controller is created if none has room),
 * detach = ControllerUnpublishVolume (success when the VM is not in the inventory; works
 * on a powered-off VM; keeps the file). `volumesAreAttached` reads the VM's devices.
 */
export class VsphereCsiPlugin implements AttachableVolumePlugin {
  readonly name = VSPHERE_CSI_DRIVER_NAME;
  readonly usesVolumeAttachments = true;
  readonly #o: VsphereCsiDriverOptions;
  readonly #nodeLocks = new SerialQueue();

  constructor(options: VsphereCsiDriverOptions) {
    this.#o = options;
  }

  canSupport(pv: PersistentVolume): boolean {
    return pv.spec?.csi?.driver === this.name || (this.#o.migration === true && pv.spec?.vsphereVolume !== undefined);
  }

  /** `kubernetes.io/csi/<driver>^<volume handle>` (pkg/volume/csi GetVolumeName). */
  uniqueVolumeName(pv: PersistentVolume): string {
    return `kubernetes.io/csi/${this.name}^${this.#handle(pv)}`;
  }

  attach(pv: PersistentVolume, nodeName: string): Observable<string> {
    return this.#nodeLocks.run(nodeName, () =>
      defer(() => {
        const { vcenter } = this.#o;
        const handle = this.#handle(pv);
        const path = this.#path(pv);
        const vmName = this.#o.vmForNode(nodeName);
        const vm = vmName === undefined ? undefined : vcenter.vm(vmName);
        if (!vm) return throwError(() => internal(`failed to find VirtualMachine for node:"${nodeName}". Error: virtual machine wasn't found`));
        const file = path === undefined ? undefined : vcenter.file(path);
        if (!file || path === undefined) return throwError(() => internal(`failed to attach disk: "${handle}" with node: "${nodeName}" err volume not found`));
        if (vm.disks.some((d) => d.fileName === path)) return of(file.uuid);
        const opts = { initiator: 'vsphere-csi-controller' };
        const existing = vm.controllers.find((c) => c.type === 'pvscsi' && freeUnit(vm, c) !== undefined);
        const controller$ = existing ? of(existing) : vcenter.addScsiController(vm.name, 'pvscsi', opts);
        return controller$.pipe(
          switchMap((controller) => vcenter.addDisk(vm.name, { fileName: path, controllerKey: controller.key, diskMode: 'independent_persistent' }, opts)),
          map(() => file.uuid),
          catchError((e: unknown) => throwError(() => internal(`failed to attach disk: "${handle}" with node: "${nodeName}" err ${faultMessage(e)}`))),
        );
      }),
    );
  }

  detach(pv: PersistentVolume, nodeName: string): Observable<void> {
    return this.#nodeLocks.run(nodeName, () =>
      defer(() => {
        const { vcenter } = this.#o;
        const vmName = this.#o.vmForNode(nodeName);
        const vm = vmName === undefined ? undefined : vcenter.vm(vmName);
        // "Virtual Machine for Node ID: … is not present in the VC Inventory. Marking
        // ControllerUnpublishVolume for Volume: … as successful."
        if (!vm) return of(undefined);
        const path = this.#path(pv);
        const disk = vm.disks.find((d) => d.fileName === path);
        if (!disk) return of(undefined);
        return vcenter
          .removeDevice(vm.name, diskName(disk), true, { initiator: 'vsphere-csi-controller' })
          .pipe(catchError((e: unknown) => throwError(() => internal(`failed to detach disk: "${this.#handle(pv)}" from node: "${nodeName}" err ${faultMessage(e)}`))));
      }),
    );
  }

  volumesAreAttached(pvs: readonly PersistentVolume[], nodeName: string): ReadonlyMap<string, boolean> {
    const vmName = this.#o.vmForNode(nodeName);
    const vm = vmName === undefined ? undefined : this.#o.vcenter.vm(vmName);
    return new Map(pvs.map((pv) => [pv.metadata?.name ?? '', vm?.disks.some((d) => d.fileName === this.#path(pv)) ?? false]));
  }

  mount(pv: PersistentVolume, nodeName: string, _podUid: string): Observable<void> {
    const { vcenter } = this.#o;
    const path = this.#path(pv);
    return pollUntil(
      vcenter.clock,
      () => {
        const name = this.#o.vmForNode(nodeName);
        const vm = name === undefined ? undefined : vcenter.vm(name);
        return vm !== undefined && vm.powerState === 'poweredOn' && vm.disks.some((d) => d.fileName === path);
      },
      1_000,
      this.#o.waitForAttachTimeoutMs ?? 10 * 60_000,
      `timed out waiting for external-attacher of ${this.name} CSI driver to attach volume ${this.#handle(pv)}`,
      `WaitForAttach ${this.#handle(pv)} on ${nodeName}`,
    );
  }

  unmount(_pv: PersistentVolume, _nodeName: string, _podUid: string): Observable<void> {
    return of(undefined);
  }

  #handle(pv: PersistentVolume): string {
    return pv.spec?.csi?.volumeHandle ?? canonicalDatastorePath(pv.spec?.vsphereVolume?.volumePath ?? '');
  }

  #path(pv: PersistentVolume): string | undefined {
    const handle = pv.spec?.csi?.volumeHandle;
    if (handle !== undefined) return this.#o.vcenter.firstClassDisk(handle)?.path;
    const path = pv.spec?.vsphereVolume?.volumePath;
    return path === undefined ? undefined : canonicalDatastorePath(path);
  }
}

/** CreateVolume / DeleteVolume of the CSI driver, through the external-provisioner. */
export class VsphereCsiProvisioner implements VolumeProvisioner {
  readonly name = VSPHERE_CSI_DRIVER_NAME;
  readonly provisionDurationMs = 1_000;
  readonly deleteDurationMs = 500;
  readonly #o: Pick<VsphereCsiDriverOptions, 'vcenter' | 'defaultDatastore'>;

  constructor(options: Pick<VsphereCsiDriverOptions, 'vcenter' | 'defaultDatastore'>) {
    this.#o = options;
  }

  provision(claim: PersistentVolumeClaim, storageClass: StorageClass, options: ProvisionOptions): E.Either<string, ProvisionedVolume> {
    const params = Object.fromEntries(Object.entries(storageClass.parameters ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const { vcenter } = this.#o;
    const datastore = params['datastoreurl']?.replace(/^ds:\/\/\/vmfs\/volumes\//, '').replace(/\/$/, '') ?? this.#o.defaultDatastore ?? vcenter.datastores()[0]?.name ?? '';
    const request = claim.spec?.resources?.requests?.['storage'] ?? '0';
    const id = vcenter.newUuid();
    const created = vcenter.createDisk(
      {
        path: `[${datastore}] fcd/${id.replace(/-/g, '')}.vmdk`,
        capacityInKB: Math.ceil(quantityValue(request) / 1024),
        fcdId: id,
        ...(params['storagepolicyname'] !== undefined ? { storagePolicy: params['storagepolicyname'] } : {}),
      },
      { initiator: 'vsphere-csi-controller' },
    );
    if (E.isLeft(created)) return E.left(internal(`failed to create volume. Error: ${created.left.message}`));
    return E.right({
      spec: {
        capacity: { storage: request },
        accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: options.reclaimPolicy,
        csi: { driver: this.name, volumeHandle: id, fsType: params['csi.storage.k8s.io/fstype'] ?? 'ext4' },
      },
    });
  }

  delete(pv: PersistentVolume): E.Either<string, void> {
    const handle = pv.spec?.csi?.volumeHandle ?? '';
    const file = this.#o.vcenter.firstClassDisk(handle);
    if (!file) return E.right(undefined);
    const deleted = this.#o.vcenter.deleteDisk(file.path, { initiator: 'vsphere-csi-controller' });
    return E.isLeft(deleted) ? E.left(internal(`failed to delete volume: "${handle}". Error: ${deleted.left.message}`)) : E.right(undefined);
  }
}
