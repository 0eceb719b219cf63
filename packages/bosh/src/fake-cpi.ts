// A CPI for tests and examples: VMs and disks in memory, every call taking a configured
// virtual time, and errors injected per method. It follows the vSphere CPI's semantics
// that matter to cck (cloudfoundry/bosh-vsphere-cpi-release cloud.rb, main): reboot_vm on a
// powered-off VM is a power-on, delete_vm keeps the persistent disks, a VM's agent answers
// only once the VM is on and has booted.
import { createSimScheduler, type SeededRandom, type SimClock } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { defer, mergeMap, of, throwError, timer, type Observable } from 'rxjs';
import type { Cpi, CpiError, CpiMethod } from './cpi.js';

/** How long each call and the guest boot take, in virtual ms. */
export interface FakeCpiTimings {
  /** `has_vm`. Default 1 s. */
  readonly hasVmMs: number;
  /** `has_disk`. Default 1 s. */
  readonly hasDiskMs: number;
  /** `reboot_vm` until the VM runs (power-on or soft reboot). Default 10 s. */
  readonly rebootVmMs: number;
  /** `delete_vm`. Default 10 s. */
  readonly deleteVmMs: number;
  /** `create_vm`. Default 60 s. */
  readonly createVmMs: number;
  /** `attach_disk`. Default 5 s. */
  readonly attachDiskMs: number;
  /** From power-on to the agent answering (guest OS boot and agent start). Default 60 s. */
  readonly bootMs: number;
}

/** Default {@link FakeCpiTimings}. */
export const defaultFakeCpiTimings: FakeCpiTimings = {
  hasVmMs: 1_000,
  hasDiskMs: 1_000,
  rebootVmMs: 10_000,
  deleteVmMs: 10_000,
  createVmMs: 60_000,
  attachDiskMs: 5_000,
  bootMs: 60_000,
};

/** A VM the fake CPI holds. */
export interface FakeVm {
  readonly cid: string;
  readonly poweredOn: boolean;
  /** Virtual time from which the agent answers (set at power-on to now + bootMs). */
  readonly bootedAt: number;
  readonly disks: readonly string[];
}

/** An injected failure: the call takes `afterMs` (default: the method's timing) and errors with `error`. */
export interface FakeCpiFailure {
  readonly error: CpiError;
  readonly afterMs?: number;
}

/** Options of {@link FakeCpi}. */
export interface FakeCpiOptions {
  readonly clock: SimClock;
  /** Source of new VM cids (`vm-<uuid>`). */
  readonly random: SeededRandom;
  readonly timings?: Partial<FakeCpiTimings>;
}

/** An in-memory {@link Cpi} with configurable timings and failures. */
export class FakeCpi implements Cpi {
  /** The timings in force; change them between calls with {@link FakeCpi.setTimings}. */
  timings: FakeCpiTimings;
  /** Every call made, as `<method> <args>`, in order. */
  readonly calls: string[] = [];
  private readonly vms = new Map<string, FakeVm>();
  private readonly disks = new Set<string>();
  private readonly failures = new Map<CpiMethod, FakeCpiFailure>();
  private readonly clock: SimClock;
  private readonly random: SeededRandom;

  constructor(options: FakeCpiOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.timings = { ...defaultFakeCpiTimings, ...options.timings };
  }

  /** Changes some timings. */
  setTimings(timings: Partial<FakeCpiTimings>): void {
    this.timings = { ...this.timings, ...timings };
  }

  /** Adds a VM (default: powered on and booted) with disks attached; the disks exist too. */
  addVm(cid: string, options: { poweredOn?: boolean; disks?: readonly string[] } = {}): void {
    const disks = options.disks ?? [];
    disks.forEach((d) => this.disks.add(d));
    this.vms.set(cid, { cid, poweredOn: options.poweredOn ?? true, bootedAt: this.clock.now(), disks });
  }

  /** Adds a persistent disk that no VM holds. */
  addDisk(cid: string): void {
    this.disks.add(cid);
  }

  /** Removes a disk from the cloud (as deleting its VMDK would). */
  removeDisk(cid: string): void {
    this.disks.delete(cid);
  }

  /** Removes a VM from the cloud (as deleting it in vCenter would); its disks stay. */
  removeVm(cid: string): void {
    this.vms.delete(cid);
  }

  /** Powers a VM off at once (its agent stops answering). */
  powerOff(cid: string): void {
    const vm = this.vms.get(cid);
    if (vm) this.vms.set(cid, { ...vm, poweredOn: false });
  }

  /** Powers a VM on at once; its agent answers after `bootMs`. */
  powerOn(cid: string): void {
    const vm = this.vms.get(cid);
    if (vm) this.vms.set(cid, { ...vm, poweredOn: true, bootedAt: this.clock.now() + this.timings.bootMs });
  }

  /** Makes every later call of `method` fail (until cleared with `undefined`). */
  setFailure(method: CpiMethod, failure: FakeCpiFailure | undefined): void {
    if (failure) this.failures.set(method, failure);
    else this.failures.delete(method);
  }

  /** A VM's current state, if it exists. */
  vm(cid: string): FakeVm | undefined {
    return this.vms.get(cid);
  }

  hasVm(vmCid: string): Observable<boolean> {
    return this.call('has_vm', vmCid, this.timings.hasVmMs, () => E.right(this.vms.has(vmCid)));
  }

  hasDisk(diskCid: string): Observable<boolean> {
    return this.call('has_disk', diskCid, this.timings.hasDiskMs, () => E.right(this.disks.has(diskCid)));
  }

  rebootVm(vmCid: string): Observable<void> {
    return this.call('reboot_vm', vmCid, this.timings.rebootVmMs, () => {
      const vm = this.vms.get(vmCid);
      if (!vm) return E.left(vmNotFound(vmCid));
      // Soft reboot of a running VM or power-on of a stopped one: either way the guest
      // boots again from now, and its agent is silent until then.
      this.vms.set(vmCid, { ...vm, poweredOn: true, bootedAt: this.clock.now() + this.timings.bootMs });
      return E.right(undefined);
    });
  }

  deleteVm(vmCid: string): Observable<void> {
    return this.call('delete_vm', vmCid, this.timings.deleteVmMs, () => {
      return this.vms.delete(vmCid) ? E.right(undefined) : E.left(vmNotFound(vmCid));
    });
  }

  createVm(agentId: string, diskCids: readonly string[]): Observable<string> {
    return this.call('create_vm', `${agentId} [${diskCids.join(',')}]`, this.timings.createVmMs, () => {
      const cid = `vm-${this.random.uuid()}`;
      diskCids.forEach((d) => this.disks.add(d));
      this.vms.set(cid, { cid, poweredOn: true, bootedAt: this.clock.now() + this.timings.bootMs, disks: [...diskCids] });
      return E.right(cid);
    });
  }

  attachDisk(vmCid: string, diskCid: string): Observable<void> {
    return this.call('attach_disk', `${vmCid} ${diskCid}`, this.timings.attachDiskMs, () => {
      const vm = this.vms.get(vmCid);
      if (!vm) return E.left(vmNotFound(vmCid));
      if (!this.disks.has(diskCid)) return E.left({ type: 'Bosh::Clouds::DiskNotFound', message: `Disk '${diskCid}' not found` });
      if (!vm.disks.includes(diskCid)) this.vms.set(vmCid, { ...vm, disks: [...vm.disks, diskCid] });
      return E.right(undefined);
    });
  }

  agentResponds(vmCid: string): boolean {
    const vm = this.vms.get(vmCid);
    return vm !== undefined && vm.poweredOn && this.clock.now() >= vm.bootedAt;
  }

  agentDisks(vmCid: string): readonly string[] {
    return this.agentResponds(vmCid) ? (this.vms.get(vmCid)?.disks ?? []) : [];
  }

  // One CPI call: after the method's time, either the injected failure or the effect.
  // The effect runs at the end of the call, so the cloud changes when the call returns.
  private call<T>(method: CpiMethod, args: string, durationMs: number, effect: () => E.Either<CpiError, T>): Observable<T> {
    return defer(() => {
      this.calls.push(`${method} ${args}`);
      const failure = this.failures.get(method);
      const scheduler = createSimScheduler(this.clock, { owner: 'fake-cpi', purpose: `${method} ${args}` });
      return timer(failure?.afterMs ?? durationMs, scheduler).pipe(
        mergeMap(() => {
          if (failure) return throwError(() => failure.error);
          const result = effect();
          return E.isLeft(result) ? throwError(() => result.left) : of(result.right);
        }),
      );
    });
  }
}

const vmNotFound = (cid: string): CpiError => ({ type: 'Bosh::Clouds::VMNotFound', message: `VM '${cid}' not found` });
