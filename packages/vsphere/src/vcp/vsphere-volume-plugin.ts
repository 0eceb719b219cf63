// The in-tree vSphere volume plugin `kubernetes.io/vsphere-volume` with the vSphere Cloud
// Provider under it: pkg/volume/vsphere_volume/attacher.go (Attach, VolumesAreAttached,
// WaitForAttach, Detach) and staging/src/k8s.io/legacy-cloud-providers/vsphere/vsphere.go
// (AttachDisk, DetachDisk, DiskIsAttached, DisksAreAttached) with vclib's
// virtualmachine.go, Kubernetes v1.12–v1.24 (the seed's 1.12.4 behaviour; storage
// reference §6.2, §6.3).
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { catchError, defer, map, of, switchMap, throwError, type Observable } from 'rxjs';
import { canonicalDatastorePath } from '../datastore-path.js';
import { NO_VM_FOUND, type NodeManager } from '../node-manager.js';
import { SerialQueue } from '../serial-queue.js';
import type { VimFault } from '../task.js';
import { pollUntil, type AttachableVolumePlugin } from '../volume-plugin.js';
import type { Vcenter } from '../vcenter.js';
import { controllerName, diskName, freeUnit } from '../virtual-device-list.js';

/** The plugin's name. */
export const VSPHERE_VOLUME_PLUGIN_NAME = 'kubernetes.io/vsphere-volume';

/** The kubelet's WaitForAttach timeout (volume_manager.go waitForAttachTimeout). */
export const WAIT_FOR_ATTACH_TIMEOUT_MS = 10 * 60_000;
/** attacher.go WaitForAttach's poll period. */
export const WAIT_FOR_ATTACH_POLL_MS = 1_000;

/** The device path the attacher returns: /dev/disk/by-id/wwn-0x<disk uuid, lower case, no dashes>. */
export const devicePathFor = (diskUuid: string): string => `/dev/disk/by-id/wwn-0x${diskUuid.toLowerCase().replace(/[-\s]/g, '')}`;

/** Options of a {@link VsphereVolumePlugin}. */
export interface VsphereVolumePluginOptions {
  readonly vcenter: Vcenter;
  /** Node → VM as the cloud provider learns it from Node objects. */
  readonly nodeManager: NodeManager;
  /**
   * The VM a node's kubelet runs in, for the kubelet side (mount): the guest sees its own
   * devices whether or not the Node object exists. Default: the node manager's answer.
   */
  readonly machineForNode?: (nodeName: string) => string | undefined;
  readonly waitForAttachTimeoutMs?: number;
  /** Task initiator; default `vsphere-cloud-provider`. */
  readonly initiator?: string;
}

const volumePathOf = (pv: PersistentVolume): string | undefined => {
  const path = pv.spec?.vsphereVolume?.volumePath;
  return path === undefined ? undefined : canonicalDatastorePath(path);
};

const faultMessage = (e: unknown): string => (typeof e === 'object' && e !== null && 'message' in e ? String((e as VimFault).message) : String(e));

/**
 * `kubernetes.io/vsphere-volume`: attaches by reconfiguring the node's VM (idempotent; next
 * free unit on a PVSCSI controller, created if needed and removed again if the add fails),
 * detaches keeping the file, and succeeds without touching vSphere when the node is no
 * longer known (its Node object was deleted). `volumesAreAttached` says "attached" for
 * every volume, as the upstream code does in practice (§6.3), so the 60 s sync never marks
 * a VCP volume detached.
 */
export class VsphereVolumePlugin implements AttachableVolumePlugin {
  readonly name = VSPHERE_VOLUME_PLUGIN_NAME;
  readonly usesVolumeAttachments = false;
  readonly #o: VsphereVolumePluginOptions;
  readonly #nodeLocks = new SerialQueue();

  constructor(options: VsphereVolumePluginOptions) {
    this.#o = options;
  }

  canSupport(pv: PersistentVolume): boolean {
    return pv.spec?.vsphereVolume !== undefined;
  }

  uniqueVolumeName(pv: PersistentVolume): string {
    return `${this.name}/${volumePathOf(pv) ?? ''}`;
  }

  attach(pv: PersistentVolume, nodeName: string): Observable<string> {
    return this.#nodeLocks.run(nodeName, () =>
      defer(() => {
        const { vcenter, nodeManager } = this.#o;
        const path = volumePathOf(pv);
        if (path === undefined) return throwError(() => `volume ${pv.metadata?.name ?? ''} is not a vSphere volume`);
        const vmName = nodeManager.vmFor(nodeName);
        const vm = vmName === undefined ? undefined : vcenter.vm(vmName);
        if (!vm) return throwError(() => NO_VM_FOUND);
        const file = vcenter.file(path);
        // Already attached: return its UUID without a reconfigure (vclib AttachDisk).
        if (vm.disks.some((d) => d.fileName === path) && file) return of(devicePathFor(file.uuid));
        const opts = { initiator: this.#o.initiator ?? 'vsphere-cloud-provider' };
        const existing = vm.controllers.find((c) => c.type === 'pvscsi' && freeUnit(vm, c) !== undefined);
        const controller$ = existing ? of({ controller: existing, created: false }) : vcenter.addScsiController(vm.name, 'pvscsi', opts).pipe(map((controller) => ({ controller, created: true })));
        return controller$.pipe(
          catchError((e: unknown) => throwError(() => faultMessage(e))),
          switchMap(({ controller, created }) =>
            vcenter.addDisk(vm.name, { fileName: path, controllerKey: controller.key, diskMode: 'independent_persistent' }, opts).pipe(
              map(() => devicePathFor(vcenter.file(path)?.uuid ?? '')),
              catchError((e: unknown) => {
                const message = faultMessage(e);
                // vclib removes a controller it created for a disk that could not be added.
                if (!created) return throwError(() => message);
                return vcenter.removeDevice(vm.name, controllerName(controller), true, opts).pipe(
                  catchError(() => of(undefined)),
                  switchMap(() => throwError(() => message)),
                );
              }),
            ),
          ),
        );
      }),
    );
  }

  detach(pv: PersistentVolume, nodeName: string): Observable<void> {
    return this.#nodeLocks.run(nodeName, () =>
      defer(() => {
        const { vcenter, nodeManager } = this.#o;
        const path = volumePathOf(pv);
        const vmName = nodeManager.vmFor(nodeName);
        // DiskIsAttached fails with "No VM found", the attacher "will continue and try
        // detach anyway", and DetachDisk finds no VM: "Node … does not exist, disk … is
        // already detached from node." — success, nothing done in vSphere.
        if (vmName === undefined || path === undefined) return of(undefined);
        const vm = vcenter.vm(vmName);
        const disk = vm?.disks.find((d) => d.fileName === path);
        if (!vm || !disk) return of(undefined);
        return vcenter.removeDevice(vm.name, diskName(disk), true, { initiator: this.#o.initiator ?? 'vsphere-cloud-provider' }).pipe(catchError((e: unknown) => throwError(() => faultMessage(e))));
      }),
    );
  }

  volumesAreAttached(pvs: readonly PersistentVolume[], _nodeName: string): ReadonlyMap<string, boolean> {
    // attacher.go pre-fills every volume as attached and vsphere.go DisksAreAttached copies
    // its findings out only on the re-discovery branch (§6.3): in practice all stay true.
    return new Map(pvs.map((pv) => [pv.metadata?.name ?? '', true]));
  }

  mount(pv: PersistentVolume, nodeName: string, _podUid: string): Observable<void> {
    const { vcenter } = this.#o;
    const path = volumePathOf(pv) ?? '';
    const machine = (): string | undefined => this.#o.machineForNode?.(nodeName) ?? this.#o.nodeManager.vmFor(nodeName);
    return pollUntil(
      vcenter.clock,
      () => {
        const name = machine();
        const vm = name === undefined ? undefined : vcenter.vm(name);
        return vm !== undefined && vm.powerState === 'poweredOn' && vm.disks.some((d) => d.fileName === path);
      },
      WAIT_FOR_ATTACH_POLL_MS,
      this.#o.waitForAttachTimeoutMs ?? WAIT_FOR_ATTACH_TIMEOUT_MS,
      `Could not find attached VMDK "${path}". Timeout waiting for mount paths to be created.`,
      `WaitForAttach ${path} on ${nodeName}`,
    );
  }

  unmount(_pv: PersistentVolume, _nodeName: string, _podUid: string): Observable<void> {
    return of(undefined);
  }
}

