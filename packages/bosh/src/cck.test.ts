import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { CloudCheck, PROBLEM_RESOLUTIONS } from './cck.js';
import { Director } from './director.js';
import { FakeCpi } from './fake-cpi.js';

const world = () => {
  const sim = createSimulation({ seed: 'cck' });
  const cpi = new FakeCpi({ clock: sim.clock, random: sim.random.fork('cpi') });
  const director = new Director({ clock: sim.clock, random: sim.random, cpi, cpiRequestId: () => undefined });
  const created = director.createDeployment({
    name: 'd',
    instanceGroups: [{ name: 'worker', instances: [{ uuid: 'u0', vmCid: 'vm-0', diskCid: 'disk-0', diskSizeMb: 1024 }, { uuid: 'u1', vmCid: 'vm-1', diskCid: 'disk-1', diskSizeMb: 2048 }] }],
  });
  if (E.isLeft(created)) throw new Error(created.left);
  cpi.addVm('vm-0', { disks: ['disk-0'] });
  cpi.addVm('vm-1', { disks: ['disk-1'] });
  const cck = new CloudCheck(director);
  const scan = (): string[] => {
    const run = cck.scan('d');
    if (E.isLeft(run)) throw new Error(run.left);
    sim.clock.runUntilIdle();
    return cck.problems('d').map((p) => `${p.id} ${p.type} ${p.description}`);
  };
  return { sim, cpi, director, cck, scan };
};

describe('CloudCheck scan', () => {
  it('finds a deleted VM as missing_vm and recreates it (the auto resolution) with its disk', () => {
    const { cpi, director, cck, scan } = world();
    cpi.removeVm('vm-1');
    expect(scan()).toEqual(["1 missing_vm VM for 'worker/u1 (1)' with cloud ID 'vm-1' missing."]);
    const run = cck.resolve('d', new Map([[1, 'default']]));
    if (E.isLeft(run)) throw new Error(run.left);
    const created: string[] = [];
    director.addListener((e) => e.type === 'vm-created' && created.push(e.vmCid));
    director.clock.runUntilIdle();
    expect(run.right.task).toMatchObject({ state: 'done', result: '1 resolved' });
    const vmCid = director.instance(2)?.vmCid as string;
    expect(created).toEqual([vmCid]);
    expect(cpi.vm(vmCid)?.disks).toEqual(['disk-1']);
    expect(scan()).toEqual([]);
  });

  it('finds missing and mismatched disks with their texts', () => {
    const { cpi, scan } = world();
    cpi.removeDisk('disk-0');
    cpi.addVm('vm-1', { disks: [] });
    expect(scan()).toEqual([
      "1 missing_disk Disk 'disk-0' (worker/u0, 1024M) is missing",
      "2 mount_info_mismatch Inconsistent mount information:\nRecord shows that disk 'disk-1' should be mounted on vm-1.\nHowever it is currently :\n\tNot mounted in any VM",
    ]);
    // A rescan closes the old records and numbers on.
    expect(scan().map((l) => l.split(' ')[0])).toEqual(['3', '4']);
  });

  it('reattaches a disk for mount_info_mismatch, and a CPI error keeps a problem open', () => {
    const { cpi, cck, scan, sim } = world();
    cpi.addVm('vm-1', { disks: [] });
    scan();
    const ok = cck.resolve('d', new Map([[1, 'reattach_disk']]));
    sim.clock.runUntilIdle();
    expect(E.isRight(ok) && ok.right.task.state).toBe('done');
    expect(cpi.vm('vm-1')?.disks).toEqual(['disk-1']);
    cpi.powerOff('vm-0');
    expect(scan()).toEqual(["2 unresponsive_agent VM for 'worker/u0 (0)' with cloud ID 'vm-0' is not responding."]);
    cpi.setFailure('reboot_vm', { error: { type: 'Unknown', message: 'locked' } });
    const bad = cck.resolve('d', new Map([[2, 'reboot_vm']]));
    sim.clock.runUntilIdle();
    expect(E.isRight(bad) && bad.right.task.result).toBe("Error resolving problem '2': Unknown CPI error 'Unknown' with message 'locked' in 'reboot_vm' CPI method");
    expect(cck.problem(2)?.state).toBe('open');
  });

  it('lists each type\'s resolutions as upstream handlers do', () => {
    expect(PROBLEM_RESOLUTIONS.unresponsive_agent.resolutions.map((r) => r.name)).toEqual([
      'ignore', 'reboot_vm', 'recreate_vm_skip_post_start', 'recreate_vm', 'delete_vm', 'delete_vm_reference',
    ]);
    expect(PROBLEM_RESOLUTIONS.missing_vm.auto).toBe('recreate_vm_skip_post_start');
    expect(PROBLEM_RESOLUTIONS.missing_disk.resolutions[1]?.plan).toBe('Delete disk reference (DANGEROUS!)');
  });

  it('rejects an unknown deployment', () => {
    const { cck } = world();
    expect(cck.scan('nope')).toEqual(E.left("Deployment 'nope' doesn't exist"));
  });
});
