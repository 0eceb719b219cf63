import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import { settled, Vcenter } from '@failsim/vsphere';
import * as E from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import { VsphereCpi } from './vsphere-cpi.js';

// Two VMs on one host, a persistent disk on vm-a, and a data disk both can be given.
const world = () => {
  const sim = createSimulation({ seed: 'cpi' });
  const vcenter = new Vcenter({ clock: sim.clock, random: sim.random.fork('vc') });
  vcenter.addHost('esx-1');
  vcenter.addDatastore({ name: 'ds', type: 'vsan', capacityBytes: 2 ** 40 });
  vcenter.createVm({ name: 'vm-a', host: 'esx-1' });
  vcenter.createVm({ name: 'vm-b', host: 'esx-1' });
  const cpi = new VsphereCpi({ vcenter });
  vcenter.createDisk({ path: cpi.diskPath('disk-1'), capacityInKB: 1024 });
  settled(vcenter.addDisk('vm-a', { fileName: cpi.diskPath('disk-1'), controllerKey: 1000, diskMode: 'independent_persistent' }, { durationMs: 0 }));
  vcenter.createDisk({ path: '[ds] kubevols/pv.vmdk', capacityInKB: 1024 });
  /** Subscribes and runs the clock until the call settles: [outcome, virtual ms taken]. */
  const call = <T>(obs: Observable<T>): [E.Either<unknown, T | undefined>, number] => {
    const start = sim.clock.now();
    let outcome: E.Either<unknown, T | undefined> | undefined;
    let value: T | undefined;
    obs.subscribe({ next: (v) => (value = v), error: (e: unknown) => (outcome = E.left(e)), complete: () => (outcome = E.right(value)) });
    while (outcome === undefined && sim.clock.step());
    return [outcome!, sim.clock.now() - start];
  };
  return { sim, vcenter, cpi, call };
};

describe('VsphereCpi', () => {
  it('answers has_vm and has_disk from the inventory, after the seed-calibrated times', () => {
    const { cpi, call } = world();
    expect(call(cpi.hasVm('vm-a'))).toEqual([E.right(true), 11_000]);
    expect(call(cpi.hasVm('vm-x'))).toEqual([E.right(false), 11_000]);
    expect(call(cpi.hasDisk('disk-1'))).toEqual([E.right(true), 27_000]);
    expect(call(cpi.hasDisk('disk-2'))).toEqual([E.right(false), 27_000]);
    expect(cpi.diskPath('disk-1')).toBe('[ds] bosh_disks/disk-1.vmdk');
    expect(cpi.diskCid('[ds] bosh_disks/disk-1.vmdk')).toBe('disk-1');
    expect(cpi.diskCid('[ds] kubevols/pv.vmdk')).toBeUndefined();
  });

  it('reboot_vm powers a stopped VM on; its agent answers after the boot time and reports its persistent disk', () => {
    const { sim, vcenter, cpi, call } = world();
    settled(vcenter.powerOff('vm-a', { durationMs: 0 }));
    expect(cpi.agentResponds('vm-a')).toBe(false);
    expect(call(cpi.rebootVm('vm-a'))).toEqual([E.right(undefined), 26_000]);
    expect(vcenter.vm('vm-a')?.powerState).toBe('poweredOn');
    expect(cpi.agentResponds('vm-a')).toBe(false);
    sim.clock.runFor(45_000);
    expect(cpi.agentResponds('vm-a')).toBe(true);
    expect(cpi.agentDisks('vm-a')).toEqual(['disk-1']);
  });

  it("reboot_vm fails after two power-on attempts when a configured disk is locked by a running VM, with vCenter's fault", () => {
    const { vcenter, cpi, call } = world();
    settled(vcenter.addScsiController('vm-a', 'pvscsi', { durationMs: 0 }));
    settled(vcenter.addDisk('vm-a', { fileName: '[ds] kubevols/pv.vmdk', controllerKey: 1001 }, { durationMs: 0 }));
    settled(vcenter.powerOff('vm-a', { durationMs: 0 }));
    settled(vcenter.addScsiController('vm-b', 'pvscsi', { durationMs: 0 }));
    settled(vcenter.addDisk('vm-b', { fileName: '[ds] kubevols/pv.vmdk', controllerKey: 1001 }, { durationMs: 0 }));
    expect(call(cpi.rebootVm('vm-a'))).toEqual([E.left({ type: 'Unknown', message: 'File system specific implementation of OpenFile[file] failed' }), 234_000]);
    const tasks = vcenter.recentTasks().filter((t) => t.name === 'Power On virtual machine');
    expect(tasks.map((t) => [t.status, t.initiator])).toEqual([
      ['Failed', 'bosh-vsphere-cpi'],
      ['Failed', 'bosh-vsphere-cpi'],
    ]);
    expect(vcenter.vm('vm-a')?.powerState).toBe('poweredOff');
  });

  it('reboot_vm of a running VM is a guest reboot (a reset); unknown VMs are VMNotFound', () => {
    const { vcenter, cpi, call } = world();
    const resets: string[] = [];
    vcenter.powerEvents$.subscribe((e) => resets.push(`${e.vm} ${e.kind}`));
    expect(call(cpi.rebootVm('vm-b'))).toEqual([E.right(undefined), 5_000]);
    expect(resets).toEqual(['vm-b reset']);
    expect(call(cpi.rebootVm('vm-x'))[0]).toEqual(E.left({ type: 'Bosh::Clouds::VMNotFound', message: "VM 'vm-x' not found" }));
  });

  it('delete_vm keeps the persistent disk file; create_vm and attach_disk put it on a new VM', () => {
    const { vcenter, cpi, call } = world();
    expect(call(cpi.deleteVm('vm-a'))[0]).toEqual(E.right(undefined));
    expect(vcenter.vm('vm-a')).toBeUndefined();
    expect(vcenter.file(cpi.diskPath('disk-1'))).toBeDefined();
    const [created, took] = call(cpi.createVm('agent-1', ['disk-1']));
    expect(took).toBe(60_000);
    const cid = E.isRight(created) ? created.right! : '';
    expect(cid).toMatch(/^vm-[0-9a-f-]{36}$/);
    expect(vcenter.vm(cid)?.disks.map((d) => d.fileName)).toContain(cpi.diskPath('disk-1'));
    expect(call(cpi.attachDisk('vm-b', 'disk-9'))[0]).toEqual(E.left({ type: 'Bosh::Clouds::DiskNotFound', message: "Disk 'disk-9' not found" }));
  });
});
