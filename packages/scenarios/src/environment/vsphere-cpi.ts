// The BOSH vSphere CPI over failsim's simulated vCenter: the director's `Cpi` interface
// (@failsim/bosh cpi.ts) implemented with vCenter tasks. Modelled on
// cloudfoundry/bosh-vsphere-cpi-release src/vsphere_cpi/lib/cloud/vsphere/cloud.rb (main,
// read at def2df0d; the 2019-era cloud.rb reads the same for reboot_vm) and
// lib/cloud/vsphere/retry_block.rb: `reboot_vm` tries a guest (VMware Tools) reboot, and
// when that fails powers the VM off if it is on and powers it on inside `retry_block`
// (two attempts, no pause); `delete_vm` powers off, detaches the persistent disks keeping
// their files, and deletes the VM. Storage reference §9.5 and §8.1.
import { createSimScheduler, type SimClock } from '@failsim/core';
import type { Cpi, CpiError } from '@failsim/bosh';
import { settled, type Vcenter, type VimFault, type VirtualMachine } from '@failsim/vsphere';
import * as E from 'fp-ts/lib/Either.js';
import { catchError, concatMap, defer, map, Observable, of, throwError, timer } from 'rxjs';

/** Virtual durations of the CPI's calls (ms). */
export interface VsphereCpiTimings {
  /** `has_vm` (find the VM by cid). Default 11 s: with the 10 s agent timeout, the seed's 00:00:21 VM scan. */
  readonly hasVmMs: number;
  /** `has_disk`. Default 27 s: the seed's 00:00:27 "Looking for inactive disks". */
  readonly hasDiskMs: number;
  /**
   * One power-on task that succeeds. Default 26 s, calibrated so that cck's Reboot VM of a
   * powered-off worker takes the seed's 00:01:21 (10 s agent check + 26 s power-on + 45 s
   * boot until kubelet and agent run). Unverified: the seed shows only the total.
   */
  readonly powerOnMs: number;
  /**
   * One power-on task that fails because a configured disk is locked by another running
   * VM: ESXi keeps trying to take the lock before it gives up. Default 117 s, so the two
   * `retry_block` attempts and the 10 s agent check make the seed's 00:04:04. Unverified:
   * derived from the seed's total only.
   */
  readonly lockedPowerOnMs: number;
  /** A guest reboot through VMware Tools of a running VM. Default 5 s. */
  readonly rebootGuestMs: number;
  /** A power-off task. Default 5 s. */
  readonly powerOffMs: number;
  /** A reconfigure (attach or detach a disk). Default 3 s. */
  readonly reconfigureMs: number;
  /** `create_vm` (clone the stemcell, configure, power on). Default 60 s. */
  readonly createVmMs: number;
  /** From power-on until the agent of a VM that is not a Kubernetes node answers. Default 45 s. */
  readonly bootMs: number;
}

/** Default {@link VsphereCpiTimings}. */
export const defaultVsphereCpiTimings: VsphereCpiTimings = {
  hasVmMs: 11_000,
  hasDiskMs: 27_000,
  powerOnMs: 26_000,
  lockedPowerOnMs: 117_000,
  rebootGuestMs: 5_000,
  powerOffMs: 5_000,
  reconfigureMs: 3_000,
  createVmMs: 60_000,
  bootMs: 45_000,
};

/** Options of {@link VsphereCpi}. */
export interface VsphereCpiOptions {
  readonly vcenter: Vcenter;
  /** Datastore of the persistent disks and of created VMs; default the vCenter's first. */
  readonly datastore?: string;
  /** Folder of the persistent disks on the datastore. Default `bosh_disks` (Unverified: the CPI's disk_path default). */
  readonly diskFolder?: string;
  /** Host for created VMs; default the vCenter's first host. */
  readonly host?: string;
  readonly timings?: Partial<VsphereCpiTimings>;
  /**
   * Whether the agent inside a powered-on VM answers now. Default: once `bootMs` has passed
   * since the VM booted. An environment whose VMs are Kubernetes nodes answers with its
   * machine state (powered, on the network, booted: kubelet running).
   */
  readonly agentAlive?: (vm: VirtualMachine) => boolean;
}

/** The tasks' initiator, as vCenter's Recent Tasks shows it. */
export const VSPHERE_CPI_INITIATOR = 'bosh-vsphere-cpi';

const vmNotFound = (cid: string): CpiError => ({ type: 'Bosh::Clouds::VMNotFound', message: `VM '${cid}' not found` });

// The CPI raises vCenter's fault as a plain RuntimeError, which reaches the director with
// type `Unknown` (the seed: "Unknown CPI error 'Unknown' with message '…'").
const fromFault = (fault: VimFault): CpiError => ({ type: 'Unknown', message: fault.message });

/** The BOSH vSphere CPI on a simulated vCenter: VM cid = VM name, disk cid = VMDK name in the disk folder. */
export class VsphereCpi implements Cpi {
  /** The timings in force. */
  readonly timings: VsphereCpiTimings;
  readonly #vcenter: Vcenter;
  readonly #clock: SimClock;
  readonly #datastore: string;
  readonly #folder: string;
  readonly #host: string | undefined;
  readonly #agentAlive: (vm: VirtualMachine) => boolean;

  constructor(options: VsphereCpiOptions) {
    this.#vcenter = options.vcenter;
    this.#clock = options.vcenter.clock;
    this.timings = { ...defaultVsphereCpiTimings, ...options.timings };
    this.#datastore = options.datastore ?? options.vcenter.datastores()[0]?.name ?? 'datastore1';
    this.#folder = options.diskFolder ?? 'bosh_disks';
    this.#host = options.host;
    this.#agentAlive = options.agentAlive ?? ((vm) => vm.bootTime !== undefined && this.#clock.now() >= vm.bootTime + this.timings.bootMs);
  }

  /** The VMDK path of a persistent disk cid: `[<datastore>] <folder>/<cid>.vmdk`. */
  diskPath(diskCid: string): string {
    return `[${this.#datastore}] ${this.#folder}/${diskCid}.vmdk`;
  }

  /** The persistent disk cid of a VMDK path in the disk folder, or undefined for any other file. */
  diskCid(path: string): string | undefined {
    const prefix = `[${this.#datastore}] ${this.#folder}/`;
    return path.startsWith(prefix) && path.endsWith('.vmdk') ? path.slice(prefix.length, -'.vmdk'.length) : undefined;
  }

  hasVm(vmCid: string): Observable<boolean> {
    return this.#after(this.timings.hasVmMs, `has_vm ${vmCid}`, () => E.right(this.#vcenter.vm(vmCid) !== undefined));
  }

  hasDisk(diskCid: string): Observable<boolean> {
    return this.#after(this.timings.hasDiskMs, `has_disk ${diskCid}`, () => E.right(this.#vcenter.file(this.diskPath(diskCid)) !== undefined));
  }

  /**
   * cloud.rb `reboot_vm`: a running VM gets a guest reboot (a reset as its guest sees it);
   * a stopped one fails the guest reboot (Tools are not running) and is powered on, with
   * one retry. The error is the last power-on's fault.
   */
  rebootVm(vmCid: string): Observable<void> {
    return defer(() => {
      const vm = this.#vcenter.vm(vmCid);
      if (!vm) return throwError(() => vmNotFound(vmCid));
      if (vm.powerState === 'poweredOn') return this.#task(this.#vcenter.reset(vmCid, this.#opts(this.timings.rebootGuestMs)));
      const attempt = (): Observable<void> => defer(() => this.#task(this.#vcenter.powerOn(vmCid, this.#opts(this.#powerOnDuration(vmCid)))));
      return attempt().pipe(catchError(() => attempt()));
    });
  }

  /** cloud.rb `delete_vm`: power off, detach persistent disks keeping their files, delete the VM (its own files are left). */
  deleteVm(vmCid: string): Observable<void> {
    return defer(() => {
      const vm = this.#vcenter.vm(vmCid);
      if (!vm) return throwError(() => vmNotFound(vmCid));
      const off = vm.powerState === 'poweredOn' ? this.#task(this.#vcenter.powerOff(vmCid, this.#opts(this.timings.powerOffMs))) : of(undefined);
      const detach = (): Observable<void> =>
        defer(() => {
          const persistent = (this.#vcenter.vm(vmCid)?.disks ?? []).filter((d) => d.diskMode === 'independent_persistent');
          return persistent.reduce<Observable<void>>(
            (chain, d) => chain.pipe(concatMap(() => this.#task(this.#vcenter.removeDevice(vmCid, `disk-${d.controllerKey}-${d.unitNumber}`, true, this.#opts(this.timings.reconfigureMs))))),
            of(undefined),
          );
        });
      return off.pipe(
        concatMap(detach),
        concatMap(() => this.#task(this.#vcenter.unregisterVm(vmCid, this.#opts(0)))),
      );
    });
  }

  /** `create_vm`: a new powered-on VM `vm-<uuid>` with the persistent disks on its first controller. */
  createVm(agentId: string, diskCids: readonly string[]): Observable<string> {
    return this.#after(this.timings.createVmMs, `create_vm ${agentId}`, () => {
      const host = this.#host ?? this.#vcenter.hosts()[0]?.name;
      if (host === undefined) return E.left({ type: 'Bosh::Clouds::VMCreationFailed', message: 'no host to place the VM on' });
      const vm = this.#vcenter.createVm({ name: `vm-${this.#vcenter.newUuid()}`, host, datastore: this.#datastore });
      for (const cid of diskCids) {
        const added = settled(this.#vcenter.addDisk(vm.name, { fileName: this.diskPath(cid), controllerKey: vm.controllers[0]!.key, diskMode: 'independent_persistent' }, this.#opts(0)));
        if (E.isLeft(added)) return E.left(fromFault(added.left));
      }
      return E.right(vm.name);
    });
  }

  /** `attach_disk`: adds the persistent disk's VMDK to the VM's first controller. */
  attachDisk(vmCid: string, diskCid: string): Observable<void> {
    return defer(() => {
      const vm = this.#vcenter.vm(vmCid);
      if (!vm) return throwError(() => vmNotFound(vmCid));
      if (!this.#vcenter.file(this.diskPath(diskCid))) return throwError((): CpiError => ({ type: 'Bosh::Clouds::DiskNotFound', message: `Disk '${diskCid}' not found` }));
      const task = this.#vcenter.addDisk(vmCid, { fileName: this.diskPath(diskCid), controllerKey: vm.controllers[0]!.key, diskMode: 'independent_persistent' }, this.#opts(this.timings.reconfigureMs));
      return this.#task(task.pipe(map(() => undefined)));
    });
  }

  agentResponds(vmCid: string): boolean {
    const vm = this.#vcenter.vm(vmCid);
    return vm !== undefined && vm.powerState === 'poweredOn' && this.#agentAlive(vm);
  }

  agentDisks(vmCid: string): readonly string[] {
    if (!this.agentResponds(vmCid)) return [];
    return (this.#vcenter.vm(vmCid)?.disks ?? []).flatMap((d) => {
      const cid = this.diskCid(d.fileName);
      return cid === undefined ? [] : [cid];
    });
  }

  // ESXi fails a power-on whose disk another running VM holds only after trying to lock it
  // for a while (storage reference §8.1, §10.2): the task's duration depends on the locks
  // held when it starts.
  #powerOnDuration(vmCid: string): number {
    const vm = this.#vcenter.vm(vmCid);
    const locked = vm?.disks.some((d) => this.#vcenter.lockHolder(d.fileName, vmCid) !== undefined) ?? false;
    return locked ? this.timings.lockedPowerOnMs : this.timings.powerOnMs;
  }

  #opts(durationMs: number): { initiator: string; durationMs: number } {
    return { initiator: VSPHERE_CPI_INITIATOR, durationMs };
  }

  #task<T>(task: Observable<T>): Observable<void> {
    return task.pipe(
      map(() => undefined),
      catchError((fault: VimFault) => throwError(() => fromFault(fault))),
    );
  }

  #after<T>(ms: number, purpose: string, effect: () => E.Either<CpiError, T>): Observable<T> {
    return defer(() =>
      timer(ms, createSimScheduler(this.#clock, { owner: VSPHERE_CPI_INITIATOR, purpose })).pipe(
        concatMap(() => {
          const result = effect();
          return E.isLeft(result) ? throwError(() => result.left) : of(result.right);
        }),
      ),
    );
  }
}
