import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { Govc, splitWords } from './govc.js';
import { smallVcenter } from './testing/small-vcenter.js';

const PV = '[vsanDatastore] kubevols/kubernetes-dynamic-pvc-1.vmdk';

const setup = () => {
  const vc = smallVcenter();
  vc.createDisk({ path: PV, capacityInKB: 1024 * 1024, fcdId: '0b3b4a2c-1111-4c4c-9a9a-000000000001' });
  const govc = new Govc(vc);
  return { vc, govc };
};

const ok = (r: E.Either<{ message: string }, readonly string[]>): readonly string[] => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

describe('govc parsing', () => {
  it('splits quoted words', () => {
    expect(splitWords(`govc vm.disk.attach -vm vm-a -disk "[vsanDatastore] kubevols/x.vmdk"`)).toEqual(['govc', 'vm.disk.attach', '-vm', 'vm-a', '-disk', '[vsanDatastore] kubevols/x.vmdk']);
  });

  it('names a bad flag, a flag without value, a bad boolean and an unknown command', () => {
    const { govc } = setup();
    expect(govc.run('vm.power -of vm-a')).toEqual(E.left({ message: 'govc: vm.power: flag provided but not defined: -of', exitCode: 2 }));
    expect(govc.run('device.ls -vm')).toEqual(E.left({ message: 'govc: device.ls: flag needs an argument: -vm', exitCode: 2 }));
    expect(govc.run('device.remove -vm vm-a -keep=maybe disk-1000-0')).toEqual(
      E.left({ message: 'govc: device.remove: invalid boolean value "maybe" for -keep: parse error', exitCode: 2 }),
    );
    expect(govc.run('vm.destroy vm-a')).toEqual(E.left({ message: 'govc: unknown command "vm.destroy"', exitCode: 1 }));
  });

  it("reports a missing VM like govc: vm 'x' not found", () => {
    const { govc } = setup();
    expect(govc.run('govc vm.power -off nope')).toEqual(E.left({ message: "govc: vm 'nope' not found", exitCode: 1 }));
    expect(govc.run('device.ls -vm nope')).toEqual(E.left({ message: "govc: vm 'nope' not found", exitCode: 1 }));
  });
});

describe('govc commands', () => {
  it('vm.power prints one line per VM and -force ignores state errors', () => {
    const { vc, govc } = setup();
    expect(ok(govc.run('vm.power -off vm-a vm-b'))).toEqual(['Powering off VirtualMachine:vm-1001... OK', 'Powering off VirtualMachine:vm-1002... OK']);
    expect(vc.vm('vm-a')?.powerState).toBe('poweredOff');
    expect(govc.run('vm.power -off vm-a')).toEqual(E.left({ message: 'govc: The attempted operation cannot be performed in the current state (Powered off).', exitCode: 1 }));
    expect(ok(govc.run('vm.power -off -force vm-a'))).toEqual(['Powering off VirtualMachine:vm-1001... OK']);
    expect(ok(govc.run('vm.power -on vm-a'))).toEqual(['Powering on VirtualMachine:vm-1001... OK']);
    expect(ok(govc.run('vm.power -reset vm-a'))).toEqual(['Reset VirtualMachine:vm-1001... OK']);
    expect(vc.recentTasks().filter((t) => t.initiator === 'govc').map((t) => `${t.name} ${t.target} ${t.status}`)).toEqual([
      'Power Off virtual machine vm-a Completed',
      'Power Off virtual machine vm-b Completed',
      'Power Off virtual machine vm-a Failed',
      'Power Off virtual machine vm-a Failed',
      'Power On virtual machine vm-a Completed',
      'Reset virtual machine vm-a Completed',
    ]);
  });

  it('vm.disk.attach -link=false, device.ls and device.info show the disk on the first controller', () => {
    const { govc } = setup();
    expect(ok(govc.run(`vm.disk.attach -vm vm-a -link=false -disk kubevols/kubernetes-dynamic-pvc-1.vmdk`))).toEqual([]);
    expect(ok(govc.run('device.ls -vm vm-a'))).toEqual([
      'lsilogic-1000  VirtualLsiLogicController  LSI Logic',
      'disk-1000-0    VirtualDisk                3,145,728 KB',
      'disk-1000-1    VirtualDisk                1,048,576 KB',
      'ethernet-0     VirtualVmxnet3             VM Network',
    ]);
    expect(ok(govc.run('device.info -vm vm-a disk-1000-1'))).toEqual([
      'Name:           disk-1000-1',
      '  Type:         VirtualDisk',
      '  Label:        Hard disk 2',
      '  Summary:      1,048,576 KB',
      '  Key:          2001',
      '  Controller:   lsilogic-1000',
      '  Unit number:  1',
      `  File:         ${PV}`,
    ]);
    expect(govc.run('device.info -vm vm-a disk-1000-9')).toEqual(E.left({ message: "govc: device 'disk-1000-9' not found", exitCode: 1 }));
  });

  it('vm.disk.attach with the default -link=true attaches a child disk and leaves the parent untouched', () => {
    const { vc, govc } = setup();
    vc.file(PV)!.content.set('row', 'v1');
    ok(govc.run(`vm.disk.attach -vm vm-c -disk "${PV}"`));
    const child = vc.file('[vsanDatastore] vm-c/kubernetes-dynamic-pvc-1-000001.vmdk');
    expect(child?.parent).toBe(PV);
    expect(child?.content.get('row')).toBe('v1');
    expect(vc.vm('vm-c')?.disks.map((d) => d.fileName)).toContain(child?.path);
  });

  it('device.remove deletes the VMDK (and its content) by default, keeps it with -keep', () => {
    const { vc, govc } = setup();
    ok(govc.run(`vm.disk.attach -vm vm-a -link=false -disk "${PV}"`));
    vc.file(PV)!.content.set('mydemo.emp/100', 'Cormac');
    ok(govc.run('device.remove -vm vm-a -keep disk-1000-1'));
    expect(vc.file(PV)?.content.get('mydemo.emp/100')).toBe('Cormac');
    ok(govc.run(`vm.disk.attach -vm vm-a -link=false -disk "${PV}"`));
    ok(govc.run('device.remove -vm vm-a disk-1000-1'));
    expect(vc.file(PV)).toBeUndefined();
  });

  it('datastore.ls lists folders and files; disk.ls lists first-class disks; vm.info describes a VM', () => {
    const { govc } = setup();
    expect(ok(govc.run('datastore.ls'))).toEqual(['kubevols', 'vm-a', 'vm-b', 'vm-c']);
    expect(ok(govc.run('datastore.ls -ds vsanDatastore kubevols'))).toEqual(['kubernetes-dynamic-pvc-1.vmdk']);
    expect(govc.run('datastore.ls nope')).toEqual(E.left({ message: 'govc: File [vsanDatastore] nope was not found', exitCode: 1 }));
    expect(ok(govc.run('disk.ls'))).toEqual(['0b3b4a2c-1111-4c4c-9a9a-000000000001  kubernetes-dynamic-pvc-1']);
    const info = ok(govc.run('vm.info vm-a'));
    expect(info[0]).toBe('Name:           vm-a');
    expect(info).toContain('  Path:         /Datacenter/vm/vm-a');
    expect(info).toContain('  Power state:  poweredOn');
    expect(info).toContain('  Boot time:    2019-06-01 00:00:00 +0000 UTC');
    expect(info).toContain('  Host:         10.27.51.11');
  });
});
