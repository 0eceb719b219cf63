import { describe, expect, it } from '@jest/globals';
import { InvariantViolation } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { NEVER } from 'rxjs';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { Govc } from '../govc.js';
import { vsphereCluster } from '../environment.js';
import { smallVcenter } from '../testing/small-vcenter.js';
import { checkVsphereInvariants } from './vsphere-invariants.js';

const PV = '[vsanDatastore] kubevols/kubernetes-dynamic-pvc-1.vmdk';

/** A disk with one row of data on vm-a (powered on), added through a timed task. */
const diskOnA = () => {
  const vcenter = smallVcenter();
  const govc = new Govc(vcenter);
  expect(E.isRight(vcenter.createDisk({ path: PV, capacityInKB: 1024 * 1024, storagePolicy: 'raid-1' }))).toBe(true);
  vcenter.addDisk('vm-a', { fileName: PV, controllerKey: 1000 }).subscribe();
  vcenter.clock.runFor(5_000);
  vcenter.file(PV)!.content.set('demodb.emp/100', 'Cormac');
  return { vcenter, govc };
};

describe('checkVsphereInvariants', () => {
  it('sees no violation through the lock failures, power cycles, device.remove -keep and a real delete', () => {
    const { vcenter, govc } = diskOnA();
    const seen: InvariantViolation[] = [];
    const checker = checkVsphereInvariants(vcenter, { onViolation: (v) => seen.push(v) });
    const outcomes: string[] = [];
    const note = (what: string) => ({ next: () => outcomes.push(`${what}: ok`), error: (e: { message: string }) => outcomes.push(`${what}: ${e.message}`) });
    // The disk is locked by vm-a: adding it to powered-on vm-b fails, as ESXi does.
    vcenter.addDisk('vm-b', { fileName: PV }).subscribe(note('add to vm-b'));
    // vm-c is off: the add succeeds, but powering it on fails on the lock.
    vcenter.addDisk('vm-c', { fileName: PV }).subscribe(note('add to vm-c'));
    vcenter.clock.runFor(5_000);
    vcenter.powerOn('vm-c').subscribe(note('power on vm-c'));
    vcenter.clock.runFor(5_000);
    vcenter.powerOff('vm-a').subscribe(note('power off vm-a'));
    vcenter.clock.runFor(5_000);
    vcenter.powerOn('vm-c').subscribe(note('power on vm-c'));
    vcenter.clock.runFor(5_000);
    expect(vcenter.file(PV)!.content.get('demodb.emp/100')).toBe('Cormac');
    expect(E.isRight(govc.run('device.remove -vm vm-a -keep disk-1000-1'))).toBe(true);
    expect(E.isRight(govc.run('vm.power -off vm-c'))).toBe(true);
    expect(E.isRight(govc.run('device.remove -vm vm-c disk-1000-1'))).toBe(true);
    expect(outcomes).toEqual([
      "add to vm-b: Failed to add disk 'scsi0:1'.",
      'add to vm-c: ok',
      'power on vm-c: File system specific implementation of OpenFile[file] failed',
      'power off vm-a: ok',
      'power on vm-c: ok',
    ]);
    expect(vcenter.file(PV)).toBeUndefined();
    expect(() => checker.stop()).not.toThrow();
    expect(seen).toEqual([]);
  });

  it('sees no violation in a whole vsphereCluster run: provision, attach, power off, attach elsewhere, cck-style power on failure', () => {
    const env = vsphereCluster({ profile: '1.12', seed: 'invariants', kubeSystem: false });
    const { cluster, vcenter, govc, plugins, vmForNode } = env;
    const checker = checkVsphereInvariants(vcenter);
    const { clock, api } = cluster.sim;
    const kubectl = api.client('kubectl');
    clock.runFor(60_000);
    kubectl.create('StorageClass', { metadata: { name: 'cass-sc' }, provisioner: 'kubernetes.io/vsphere-volume', parameters: { storagePolicyName: 'raid-1' } });
    kubectl.create('PersistentVolumeClaim', {
      metadata: { name: 'data' },
      spec: { storageClassName: 'cass-sc', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    clock.runFor(10_000);
    const pvs = kubectl.list('PersistentVolume');
    const pv = (E.isRight(pvs) ? pvs.right.items[0] : undefined) as PersistentVolume;
    const [a, b] = [...vmForNode.keys()];
    const failures: string[] = [];
    plugins.vcp.attach(pv, a!).subscribe({ error: (e: { message: string }) => failures.push(e.message) });
    clock.runFor(10_000);
    expect(E.isRight(govc.run(`vm.power -off ${vmForNode.get(a!)!}`))).toBe(true);
    plugins.vcp.attach(pv, b!).subscribe({ error: (e: { message: string }) => failures.push(e.message) });
    clock.runFor(10_000);
    // The old VM still lists the disk: powering it on fails on the lock (the cck reboot of the article).
    const on = govc.run(`vm.power -on ${vmForNode.get(a!)!}`);
    expect(E.isLeft(on) ? on.left.message : 'ok').toMatch(/OpenFile\[file\] failed/);
    clock.runFor(60_000);
    expect(failures).toEqual([]);
    expect(() => checker.stop()).not.toThrow();
    expect(checker.violations).toEqual([]);
    env.stop();
  });

  it('catches a disk added to a second powered-on VM without the lock check (injected bug), failing fast with the tasks', () => {
    const { vcenter } = diskOnA();
    checkVsphereInvariants(vcenter);
    // INJECTED BUG: the lock check is bypassed — lockHolder says nobody holds any file, so
    // the add to powered-on vm-b succeeds while vm-a has the disk open.
    vcenter.lockHolder = () => undefined;
    vcenter.addDisk('vm-b', { fileName: PV }).subscribe({ error: () => undefined });
    let thrown: unknown;
    try {
      vcenter.clock.runFor(5_000);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvariantViolation);
    const violation = thrown as InvariantViolation;
    expect(violation.rule).toBe('vmdk-single-writer');
    expect(violation.at).toBe(6_000);
    expect(violation.message).toBe(
      [
        `invariant vmdk-single-writer violated at T+6s: ${PV} is open by 2 powered-on VMs (vm-a, vm-b) and is not a multi-writer disk`,
        'history (oldest first):',
        `  T+0s task task-1 Create virtual disk ${PV} Completed (by administrator@vsphere.local)`,
        '  T+1s task task-2 Reconfigure virtual machine vm-a Completed (by administrator@vsphere.local)',
        '  T+6s task task-3 Reconfigure virtual machine vm-b Completed (by administrator@vsphere.local)',
      ].join('\n'),
    );
  });

  it('accepts a second writer the options declare shareable (multi-writer)', () => {
    const { vcenter } = diskOnA();
    const checker = checkVsphereInvariants(vcenter, { isShareable: (path) => path === PV });
    vcenter.lockHolder = () => undefined;
    vcenter.addDisk('vm-b', { fileName: PV }).subscribe({ error: () => undefined });
    vcenter.clock.runFor(5_000);
    expect(vcenter.vmsWithDisk(PV).map((vm) => vm.name)).toEqual(['vm-a', 'vm-b']);
    expect(checker.violations).toEqual([]);
  });

  it('catches data that vanishes without a delete (injected bug), on the next power event', () => {
    const { vcenter } = diskOnA();
    const seen: InvariantViolation[] = [];
    checkVsphereInvariants(vcenter, { onViolation: (v) => seen.push(v) });
    // INJECTED BUG: the guest's data is wiped in place, as a power cycle that reset the
    // disk would; no task deletes the file.
    vcenter.file(PV)!.content.clear();
    vcenter.powerOff('vm-b').subscribe();
    vcenter.clock.runFor(5_000);
    expect(seen.map((v) => [v.rule, v.detail])).toEqual([['data-until-deleted', `data written to ${PV} vanished without a delete: 1 of 1 keys gone`]]);
    expect(seen[0]!.history.map((h) => h.what)).toContain('power poweredOff vm-b');
  });
  it('catches a file that goes without its deletion being told (injected bug), among files created since', () => {
    const { vcenter } = diskOnA();
    const seen: InvariantViolation[] = [];
    // INJECTED BUG: vCenter deletes files without telling anyone (no fileDeleted$ event).
    Object.defineProperty(vcenter, 'fileDeleted$', { get: () => NEVER });
    checkVsphereInvariants(vcenter, { onViolation: (v) => seen.push(v) });
    const other = '[vsanDatastore] kubevols/kubernetes-dynamic-pvc-2.vmdk';
    expect(E.isRight(vcenter.createDisk({ path: other, capacityInKB: 1024 * 1024, storagePolicy: 'raid-1' }))).toBe(true);
    expect(seen).toEqual([]);
    // The new file, seen at its creation's task end, goes; then PV, held by vm-a until it is powered off.
    expect(E.isRight(vcenter.deleteDisk(other))).toBe(true);
    vcenter.powerOff('vm-a').subscribe();
    vcenter.clock.runFor(5_000);
    expect(E.isRight(vcenter.deleteDisk(PV))).toBe(true);
    expect(seen.map((v) => v.detail)).toEqual([
      `${other} vanished from the datastore without a task deleting it`,
      `${PV} vanished from the datastore without a task deleting it`,
    ]);
  });

  it('reports two disks found open twice by one check in the order the disks were first seen open', () => {
    const { vcenter } = diskOnA();
    const second = '[vsanDatastore] kubevols/kubernetes-dynamic-pvc-2.vmdk';
    expect(E.isRight(vcenter.createDisk({ path: second, capacityInKB: 1024 * 1024, storagePolicy: 'raid-1' }))).toBe(true);
    vcenter.addDisk('vm-a', { fileName: second, controllerKey: 1000 }).subscribe();
    vcenter.powerOff('vm-b').subscribe();
    vcenter.clock.runFor(5_000);
    const seen: InvariantViolation[] = [];
    checkVsphereInvariants(vcenter, { onViolation: (v) => seen.push(v) });
    // INJECTED BUG: no locks, so powered-off vm-b gets both disks (the second one first)
    // and powers on with them while vm-a has them open: one check sees both shared.
    vcenter.lockHolder = () => undefined;
    vcenter.addDisk('vm-b', { fileName: second }).subscribe({ error: () => undefined });
    vcenter.clock.runFor(5_000);
    vcenter.addDisk('vm-b', { fileName: PV }).subscribe({ error: () => undefined });
    vcenter.clock.runFor(5_000);
    expect(seen).toEqual([]);
    vcenter.powerOn('vm-b').subscribe({ error: () => undefined });
    vcenter.clock.runFor(5_000);
    // vm-a's disks are walked first (PV, then the second), so PV's violation comes first.
    expect(seen.map((v) => v.detail)).toEqual([
      `${PV} is open by 2 powered-on VMs (vm-a, vm-b) and is not a multi-writer disk`,
      `${second} is open by 2 powered-on VMs (vm-a, vm-b) and is not a multi-writer disk`,
    ]);
  });
});
