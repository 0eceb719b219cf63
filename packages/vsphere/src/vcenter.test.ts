import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { lastValueFrom } from 'rxjs';
import { smallVcenter } from './testing/small-vcenter.js';
import type { VimFault } from './task.js';
import { settled, type Vcenter } from './vcenter.js';

const PV = '[vsanDatastore] kubevols/kubernetes-dynamic-pvc-1.vmdk';

const withPvOnA = (): Vcenter => {
  const vc = smallVcenter();
  expect(E.isRight(vc.createDisk({ path: PV, capacityInKB: 1024 * 1024, storagePolicy: 'raid-1' }))).toBe(true);
  expect(E.isRight(settled(vc.addScsiController('vm-a', 'pvscsi', { durationMs: 0 })))).toBe(true);
  expect(E.isRight(settled(vc.addDisk('vm-a', { fileName: PV, controllerKey: 1001 }, { durationMs: 0 })))).toBe(true);
  return vc;
};

const faultOf = (r: E.Either<VimFault, unknown>): VimFault | undefined => (E.isLeft(r) ? r.left : undefined);

describe('Vcenter inventory', () => {
  it('makes disk UUIDs in vSphere\'s form, the same ones for the same seed', () => {
    const [a, b] = [smallVcenter(), smallVcenter()];
    const uuids = [a.newDiskUuid(), a.newDiskUuid()];
    for (const uuid of uuids) expect(uuid).toMatch(/^6000C29[0-9a-f]-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(uuids[0]).not.toBe(uuids[1]);
    expect([b.newDiskUuid(), b.newDiskUuid()]).toEqual(uuids);
  });

  it('counts every change of its VMs, its files and their contents, and nothing else', () => {
    const vc = withPvOnA();
    const counts = () => [vc.vmChanges, vc.fileChanges, vc.contentChanges];
    const [vms, files, contents] = counts();
    vc.vms();
    vc.files();
    vc.vmsWithDisk(PV);
    expect(counts()).toEqual([vms, files, contents]);
    expect(E.isRight(settled(vc.powerOff('vm-b', { durationMs: 0 })))).toBe(true);
    expect(counts()).toEqual([vms! + 1, files, contents]);
    vc.file(PV)!.content.set('k', 'v');
    vc.file(PV)!.content.clear();
    expect(counts()).toEqual([vms! + 1, files, contents! + 2]);
    expect(E.isRight(vc.createDisk({ path: '[vsanDatastore] kubevols/other.vmdk', capacityInKB: 1024, storagePolicy: 'raid-1' }))).toBe(true);
    expect(counts()).toEqual([vms! + 1, files! + 1, contents! + 2]);
  });

  it('lists the paths of the files added or removed since a count of fileChanges', () => {
    const vc = withPvOnA();
    const since = vc.fileChanges;
    expect(vc.filesChangedSince(since)).toEqual([]);
    const other = '[vsanDatastore] kubevols/other.vmdk';
    expect(E.isRight(vc.createDisk({ path: '[vsanDatastore]   kubevols/other.vmdk', capacityInKB: 1024, storagePolicy: 'raid-1' }))).toBe(true);
    expect(E.isRight(vc.deleteDisk(other))).toBe(true);
    expect(E.isRight(vc.createDisk({ path: other, capacityInKB: 1024, storagePolicy: 'raid-1' }))).toBe(true);
    // Canonical paths, a path once per change; a read after the first two changes sees the third only.
    expect(vc.filesChangedSince(since)).toEqual([other, other, other]);
    expect(vc.filesChangedSince(since + 2)).toEqual([other]);
    expect(vc.filesChangedSince(vc.fileChanges)).toEqual([]);
  });

  it('lists the names of the VMs changed since a count of vmChanges, and each VM\'s place in the inventory', () => {
    const vc = smallVcenter();
    const since = vc.vmChanges;
    expect(vc.vmsChangedSince(since)).toEqual([]);
    expect(E.isRight(settled(vc.powerOff('vm-b', { durationMs: 0 })))).toBe(true);
    expect(E.isRight(settled(vc.unregisterVm('vm-b', { durationMs: 0 })))).toBe(true);
    vc.createVm({ name: 'vm-b', host: '10.27.51.11' });
    expect(vc.vmsChangedSince(since)).toEqual(['vm-b', 'vm-b', 'vm-b']);
    expect(vc.vmsChangedSince(since + 2)).toEqual(['vm-b']);
    // Made again: last in the inventory, as vms() lists it.
    expect(vc.vms().map((vm) => vm.name)).toEqual(['vm-a', 'vm-c', 'vm-b']);
    expect(['vm-a', 'vm-c', 'vm-b'].map((name) => vc.inventoryOrder(name)!)).toEqual([0, 2, 3]);
    expect(vc.inventoryOrder('vm-z')).toBeUndefined();
  });

  it('finds a VM by BIOS UUID in any case, and not once it is unregistered', () => {
    const vc = smallVcenter();
    const vm = vc.vm('vm-a')!;
    expect(vc.vmByUuid(vm.uuid.toUpperCase())?.name).toBe('vm-a');
    expect(vc.vmByUuid('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(E.isRight(settled(vc.powerOff('vm-a', { durationMs: 0 })))).toBe(true);
    expect(E.isRight(settled(vc.unregisterVm('vm-a', { durationMs: 0 })))).toBe(true);
    expect(vc.vmByUuid(vm.uuid)).toBeUndefined();
  });

  it('keys devices like vSphere: lsilogic-1000 with the system disk, a new pvscsi on bus 1, first data disk scsi1:0 (key 2016)', () => {
    const vc = withPvOnA();
    const vm = vc.vm('vm-a')!;
    expect(vm.moref).toBe('vm-1001');
    expect(vm.controllers.map((c) => [c.type, c.key, c.busNumber])).toEqual([
      ['lsilogic', 1000, 0],
      ['pvscsi', 1001, 1],
    ]);
    expect(vm.disks.map((d) => [d.key, d.controllerKey, d.unitNumber, d.fileName])).toEqual([
      [2000, 1000, 0, '[vsanDatastore] vm-a/vm-a.vmdk'],
      [2016, 1001, 0, PV],
    ]);
    expect(vc.file(PV)?.uuid).toMatch(/^6000C29[0-9a-f]-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('skips unit 7 when filling a controller', () => {
    const vc = smallVcenter();
    const ctl = settled(vc.addScsiController('vm-c', 'pvscsi', { durationMs: 0 }));
    const key = E.isRight(ctl) ? ctl.right.key : -1;
    const units: number[] = [];
    for (let i = 0; i < 15; i++) {
      vc.createDisk({ path: `[vsanDatastore] d/${i}.vmdk`, capacityInKB: 1 });
      const added = settled(vc.addDisk('vm-c', { fileName: `[vsanDatastore] d/${i}.vmdk`, controllerKey: key }, { durationMs: 0 }));
      if (E.isRight(added)) units.push(added.right.unitNumber);
    }
    expect(units).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15]);
    vc.createDisk({ path: '[vsanDatastore] d/16.vmdk', capacityInKB: 1 });
    expect(faultOf(settled(vc.addDisk('vm-c', { fileName: '[vsanDatastore] d/16.vmdk', controllerKey: key }, { durationMs: 0 })))?.message).toBe(
      "Invalid configuration for device '0'.",
    );
  });

  it('refuses a raid-1 disk when fewer than three hosts are up, unless forced', () => {
    const vc = smallVcenter();
    vc.setHostConnected('10.27.51.13', false);
    expect(faultOf(vc.createDisk({ path: PV, capacityInKB: 1, storagePolicy: 'raid-1' }))?.message).toBe(
      'There are currently 2 usable fault domains. The operation requires 1 more usable fault domains.',
    );
    expect(E.isRight(vc.createDisk({ path: PV, capacityInKB: 1, storagePolicy: 'raid-1', forceProvisioning: true }))).toBe(true);
    expect(faultOf(vc.createDisk({ path: '[vsanDatastore] x.vmdk', capacityInKB: 1, storagePolicy: 'gold' }))?.message).toBe('no pbm profile found with name: "gold"');
  });
});

describe('locks', () => {
  it('a powered-on VM holds a lock on each configured disk; a powered-off VM holds none', () => {
    const vc = withPvOnA();
    expect(vc.lockHolder(PV)).toEqual({ path: PV, vm: 'vm-a', host: '10.27.51.11' });
    settled(vc.powerOff('vm-a', { durationMs: 0 }));
    expect(vc.lockHolder(PV)).toBeUndefined();
    expect(vc.locks().some((l) => l.vm === 'vm-a')).toBe(false);
    expect(vc.vm('vm-a')?.disks.map((d) => d.fileName)).toContain(PV);
  });
});

describe('reconfigure: add disk', () => {
  it("fails with \"Failed to add disk 'scsi1:0'.\" while another powered-on VM holds the file", async () => {
    const vc = withPvOnA();
    const ctl = lastValueFrom(vc.addScsiController('vm-b', 'pvscsi', { initiator: 'vsphere-cloud-provider' }));
    vc.clock.runUntilIdle();
    const controller = await ctl;
    const pending = lastValueFrom(vc.addDisk('vm-b', { fileName: PV, controllerKey: controller.key }, { initiator: 'vsphere-cloud-provider' }));
    vc.clock.runUntilIdle();
    await expect(pending).rejects.toEqual({
      message: "Failed to add disk 'scsi1:0'.",
      details: ['File system specific implementation of LookupAndOpen[file] failed', `Cannot open the disk '${PV}' or one of the snapshot disks it depends on.`],
    });
    const task = vc.recentTasks().at(-1)!;
    expect(task).toMatchObject({ name: 'Reconfigure virtual machine', target: 'vm-b', status: 'Failed', error: "Failed to add disk 'scsi1:0'.", initiator: 'vsphere-cloud-provider' });
    expect(task.completedAt! - task.startedAt).toBe(1_000);
    expect(vc.vm('vm-b')?.disks.some((d) => d.fileName === PV)).toBe(false);
  });

  it('succeeds once the holding VM is powered off, though its configuration still lists the disk', () => {
    const vc = withPvOnA();
    settled(vc.powerOff('vm-a', { durationMs: 0 }));
    settled(vc.addScsiController('vm-b', 'pvscsi', { durationMs: 0 }));
    const added = settled(vc.addDisk('vm-b', { fileName: PV, controllerKey: 1001 }, { durationMs: 0 }));
    expect(E.isRight(added) && added.right.unitNumber).toBe(0);
    expect(vc.vmsWithDisk(PV).map((vm) => vm.name)).toEqual(['vm-a', 'vm-b']);
    expect(vc.lockHolder(PV)?.vm).toBe('vm-b');
  });
});

describe('power', () => {
  it('power-on fails while a configured disk is locked by another VM, with the CPI-visible text and the vCenter details', () => {
    const vc = withPvOnA();
    settled(vc.powerOff('vm-a', { durationMs: 0 }));
    settled(vc.addScsiController('vm-b', 'pvscsi', { durationMs: 0 }));
    settled(vc.addDisk('vm-b', { fileName: PV, controllerKey: 1001 }, { durationMs: 0 }));
    const fault = faultOf(settled(vc.powerOn('vm-a', { durationMs: 0 })));
    expect(fault).toEqual({
      message: 'File system specific implementation of OpenFile[file] failed',
      details: [
        'An error was received from the ESX host while powering on VM vm-a.',
        'Failed to start the virtual machine.',
        "Module 'Disk' power on failed.",
        `Cannot open the disk '${PV}' or one of the snapshot disks it depends on.`,
        'Failed to lock the file',
      ],
    });
    expect(vc.vm('vm-a')?.powerState).toBe('poweredOff');
    // Removing the disk from the old VM (keeping the file) lets it boot.
    expect(E.isRight(settled(vc.removeDevice('vm-a', 'disk-1001-0', true, { durationMs: 0 })))).toBe(true);
    expect(E.isRight(settled(vc.powerOn('vm-a', { durationMs: 0 })))).toBe(true);
    expect(vc.file(PV)).toBeDefined();
  });

  it('reports state errors and emits power events in virtual time', () => {
    const vc = smallVcenter();
    const events: string[] = [];
    vc.powerEvents$.subscribe((e) => events.push(`${e.at} ${e.vm} ${e.kind}`));
    vc.powerOff('vm-a');
    vc.reset('vm-b');
    vc.clock.runUntilIdle();
    expect(events).toEqual(['1000 vm-a poweredOff', '2000 vm-b reset']);
    expect(faultOf(settled(vc.powerOff('vm-a', { durationMs: 0 })))?.message).toBe('The attempted operation cannot be performed in the current state (Powered off).');
    expect(faultOf(settled(vc.powerOn('vm-b', { durationMs: 0 })))?.message).toBe('The attempted operation cannot be performed in the current state (Powered on).');
  });
});

describe('remove device', () => {
  it('deletes the file and its content unless keepFiles', () => {
    const vc = withPvOnA();
    vc.file(PV)!.content.set('mydemo.emp/100', 'Cormac,Cork');
    expect(E.isRight(settled(vc.removeDevice('vm-a', 'disk-1001-0', true, { durationMs: 0 })))).toBe(true);
    expect(vc.file(PV)?.content.get('mydemo.emp/100')).toBe('Cormac,Cork');
    settled(vc.addDisk('vm-a', { fileName: PV, controllerKey: 1001 }, { durationMs: 0 }));
    expect(E.isRight(settled(vc.removeDevice('vm-a', 'disk-1001-0', false, { durationMs: 0 })))).toBe(true);
    expect(vc.file(PV)).toBeUndefined();
  });

  it('announces each deleted file on fileDeleted$ (device.remove without keep, Delete file), not a kept one', () => {
    const vc = withPvOnA();
    const deleted: string[] = [];
    vc.fileDeleted$.subscribe((e) => deleted.push(`${e.at} ${e.path} ${e.vm ?? '-'}`));
    settled(vc.removeDevice('vm-a', 'disk-1001-0', true, { durationMs: 0 }));
    expect(deleted).toEqual([]);
    settled(vc.addDisk('vm-a', { fileName: PV, controllerKey: 1001 }, { durationMs: 0 }));
    settled(vc.removeDevice('vm-a', 'disk-1001-0', false, { durationMs: 0 }));
    expect(deleted).toEqual([`0 ${PV} vm-a`]);
    vc.createDisk({ path: PV, capacityInKB: 1024 });
    vc.deleteDisk(PV);
    expect(deleted).toEqual([`0 ${PV} vm-a`, `0 ${PV} -`]);
  });
});

describe('Vcenter file index', () => {
  type Op =
    | { readonly op: 'createVm'; readonly vm: number; readonly on: boolean }
    | { readonly op: 'createDisk'; readonly file: number; readonly fcd: number }
    | { readonly op: 'deleteDisk'; readonly file: number }
    | { readonly op: 'addController'; readonly vm: number }
    | { readonly op: 'addDisk'; readonly vm: number; readonly file: number }
    | { readonly op: 'removeDisk'; readonly vm: number; readonly disk: number; readonly keep: boolean }
    | { readonly op: 'powerOn' | 'powerOff' | 'reset' | 'unregister'; readonly vm: number };

  const VMS = 4;
  const FILES = 5;
  const vmName = (i: number): string => `vm-${String.fromCharCode(97 + i)}`;
  const filePath = (i: number): string => `[vsanDatastore] kubevols/f${i}.vmdk`;
  const vmOp = (op: 'powerOn' | 'powerOff' | 'reset' | 'unregister'): fc.Arbitrary<Op> => fc.record({ op: fc.constant(op), vm: fc.nat(VMS - 1) });
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('createVm' as const), vm: fc.nat(VMS - 1), on: fc.boolean() }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('createDisk' as const), file: fc.nat(FILES - 1), fcd: fc.nat(3) }), weight: 3 },
    fc.record({ op: fc.constant('deleteDisk' as const), file: fc.nat(FILES - 1) }),
    fc.record({ op: fc.constant('addController' as const), vm: fc.nat(VMS - 1) }),
    { arbitrary: fc.record({ op: fc.constant('addDisk' as const), vm: fc.nat(VMS - 1), file: fc.nat(FILES - 1) }), weight: 6 },
    { arbitrary: fc.record({ op: fc.constant('removeDisk' as const), vm: fc.nat(VMS - 1), disk: fc.nat(4), keep: fc.boolean() }), weight: 2 },
    vmOp('powerOn'),
    { arbitrary: vmOp('powerOff'), weight: 3 },
    vmOp('reset'),
    // Unregistering and re-creating a name is where a stale index entry would show.
    { arbitrary: vmOp('unregister'), weight: 3 },
  );

  const apply = (vc: Vcenter, o: Op): void => {
    const now = { durationMs: 0 };
    switch (o.op) {
      case 'createVm':
        if (!vc.vm(vmName(o.vm))) vc.createVm({ name: vmName(o.vm), host: '10.27.51.11', powerState: o.on ? 'poweredOn' : 'poweredOff' });
        return;
      case 'createDisk':
        // fcd 0: a plain VMDK; others share ids, so "the first file with the id" is tested.
        vc.createDisk({ path: filePath(o.file), capacityInKB: 1, ...(o.fcd > 0 ? { fcdId: `fcd-${o.fcd}` } : {}) });
        return;
      case 'deleteDisk':
        vc.deleteDisk(filePath(o.file));
        return;
      case 'addController':
        settled(vc.addScsiController(vmName(o.vm), 'pvscsi', now));
        return;
      case 'addDisk':
        settled(vc.addDisk(vmName(o.vm), { fileName: filePath(o.file) }, now));
        return;
      case 'removeDisk': {
        const disk = vc.vm(vmName(o.vm))?.disks[o.disk];
        if (disk) settled(vc.removeDevice(vmName(o.vm), `disk-${disk.controllerKey}-${disk.unitNumber}`, o.keep, now));
        return;
      }
      case 'powerOn':
        settled(vc.powerOn(vmName(o.vm), now));
        return;
      case 'powerOff':
        settled(vc.powerOff(vmName(o.vm), now));
        return;
      case 'reset':
        settled(vc.reset(vmName(o.vm), now));
        return;
      case 'unregister':
        settled(vc.unregisterVm(vmName(o.vm), now));
        return;
    }
  };

  /** lockHolder, vmsWithDisk and firstClassDisk for every path, VM and id the test uses, from the index or from a full scan (as before the index). */
  const answers = (vc: Vcenter, scan: boolean): unknown[] => {
    const paths = new Set([...vc.files().map((f) => f.path), ...vc.vms().flatMap((vm) => vm.disks.map((d) => d.fileName))]);
    for (let i = 0; i < FILES; i++) paths.add(filePath(i));
    const locks = scan ? vc.locks() : [];
    const out: unknown[] = [];
    for (const path of paths) {
      for (const except of [undefined, ...Array.from({ length: VMS }, (_, i) => vmName(i))]) {
        out.push(scan ? locks.find((l) => l.path === path && l.vm !== except) : vc.lockHolder(path, except));
      }
      out.push((scan ? vc.vms().filter((vm) => vm.disks.some((d) => d.fileName === path)) : vc.vmsWithDisk(path)).map((vm) => vm.name));
    }
    for (const id of ['fcd-1', 'fcd-2', 'fcd-3', 'fcd-9']) out.push((scan ? vc.files().find((f) => f.fcdId === id) : vc.firstClassDisk(id))?.path);
    return out;
  };

  it('answers lockHolder, vmsWithDisk and firstClassDisk as a full scan would, after any sequence of tasks', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 60, size: 'max' }), (ops) => {
        const vc = smallVcenter();
        for (const o of ops) {
          apply(vc, o);
          // One comparison per step: a failure names the first sequence that disagrees.
          const indexed = answers(vc, false);
          const scanned = answers(vc, true);
          if (JSON.stringify(indexed) !== JSON.stringify(scanned)) expect(indexed).toEqual(scanned);
        }
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it('forgets an unregistered VM\'s disks, also when a VM of the same name is created again', () => {
    const vc = withPvOnA();
    expect(E.isRight(settled(vc.powerOff('vm-a', { durationMs: 0 })))).toBe(true);
    expect(E.isRight(settled(vc.unregisterVm('vm-a', { durationMs: 0 })))).toBe(true);
    expect(vc.vmsWithDisk(PV)).toEqual([]);
    vc.createVm({ name: 'vm-a', host: '10.27.51.11' });
    expect(vc.vmsWithDisk(PV)).toEqual([]);
    expect(vc.lockHolder(PV)).toBeUndefined();
    expect(vc.vmsWithDisk('[vsanDatastore] vm-a/vm-a.vmdk').map((vm) => vm.name)).toEqual(['vm-a']);
  });

  it('names the earliest VM in inventory order when two powered-on VMs list the file', () => {
    const vc = withPvOnA();
    // vm-c (off) takes the file, then powers on over vm-a's lock: refused.
    expect(E.isRight(settled(vc.addScsiController('vm-c', 'pvscsi', { durationMs: 0 })))).toBe(true);
    expect(E.isRight(settled(vc.addDisk('vm-c', { fileName: PV }, { durationMs: 0 })))).toBe(true);
    expect(vc.vmsWithDisk(PV).map((vm) => vm.name)).toEqual(['vm-a', 'vm-c']);
    expect(vc.lockHolder(PV)).toEqual({ path: PV, vm: 'vm-a', host: '10.27.51.11' });
    expect(faultOf(settled(vc.powerOn('vm-c', { durationMs: 0 })))?.message).toBe('File system specific implementation of OpenFile[file] failed');
    // Once vm-a is off, vm-c can power on and holds the lock.
    expect(E.isRight(settled(vc.powerOff('vm-a', { durationMs: 0 })))).toBe(true);
    expect(E.isRight(settled(vc.powerOn('vm-c', { durationMs: 0 })))).toBe(true);
    expect(vc.lockHolder(PV)).toEqual({ path: PV, vm: 'vm-c', host: '10.27.51.13' });
    expect(vc.lockHolder(PV, 'vm-c')).toBeUndefined();
  });
});
