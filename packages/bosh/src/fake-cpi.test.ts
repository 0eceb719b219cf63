import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import { FakeCpi } from './fake-cpi.js';

const world = () => {
  const sim = createSimulation({ seed: 1 });
  const cpi = new FakeCpi({ clock: sim.clock, random: sim.random, timings: { rebootVmMs: 11_000, bootMs: 60_000 } });
  return { sim, cpi };
};

describe('FakeCpi', () => {
  it('reboot_vm powers a stopped VM on after its call time; the agent answers after the boot time', () => {
    const { sim, cpi } = world();
    cpi.addVm('vm-1', { poweredOn: false, disks: ['disk-1'] });
    expect(cpi.agentResponds('vm-1')).toBe(false);
    let done = -1;
    cpi.rebootVm('vm-1').subscribe({ complete: () => (done = sim.clock.now()) });
    sim.clock.runFor(10_999);
    expect(cpi.vm('vm-1')?.poweredOn).toBe(false);
    sim.clock.runFor(1);
    expect(done).toBe(11_000);
    expect(cpi.vm('vm-1')?.poweredOn).toBe(true);
    sim.clock.runUntil(70_999);
    expect(cpi.agentResponds('vm-1')).toBe(false);
    sim.clock.runUntil(71_000);
    expect(cpi.agentResponds('vm-1')).toBe(true);
    expect(cpi.agentDisks('vm-1')).toEqual(['disk-1']);
  });

  it('fails a method with the injected error after the injected time, until cleared', () => {
    const { sim, cpi } = world();
    cpi.addVm('vm-1', { poweredOn: false });
    cpi.setFailure('reboot_vm', { error: { type: 'Unknown', message: 'locked' }, afterMs: 234_000 });
    let error: unknown;
    cpi.rebootVm('vm-1').subscribe({ error: (e: unknown) => (error = e) });
    sim.clock.runFor(234_000);
    expect(error).toEqual({ type: 'Unknown', message: 'locked' });
    expect(cpi.vm('vm-1')?.poweredOn).toBe(false);
    cpi.setFailure('reboot_vm', undefined);
    cpi.rebootVm('vm-1').subscribe();
    sim.clock.runFor(11_000);
    expect(cpi.vm('vm-1')?.poweredOn).toBe(true);
    expect(cpi.calls).toEqual(['reboot_vm vm-1', 'reboot_vm vm-1']);
  });

  it('has_vm, delete_vm (disks stay), create_vm with a new cid, VMNotFound', () => {
    const { sim, cpi } = world();
    cpi.addVm('vm-1', { disks: ['disk-1'] });
    const out: unknown[] = [];
    cpi.deleteVm('vm-1').subscribe({ complete: () => out.push('deleted') });
    sim.clock.runUntilIdle();
    cpi.hasVm('vm-1').subscribe((v) => out.push(v));
    cpi.hasDisk('disk-1').subscribe((v) => out.push(v));
    cpi.deleteVm('vm-1').subscribe({ error: (e: unknown) => out.push(e) });
    cpi.createVm('agent-1', ['disk-1']).subscribe((cid) => out.push(cid.startsWith('vm-')));
    sim.clock.runUntilIdle();
    expect(out).toEqual(['deleted', false, true, { type: 'Bosh::Clouds::VMNotFound', message: "VM 'vm-1' not found" }, true]);
  });
});
