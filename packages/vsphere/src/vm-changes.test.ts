import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { smallVcenter } from './testing/small-vcenter.js';
import { settled } from './vcenter.js';
import type { VirtualMachine } from './inventory.js';
import { VmChanges } from './vm-changes.js';

describe('VmChanges', () => {
  it('tells the VMs created, changed and removed since the last look, and nothing when none was', () => {
    const vc = smallVcenter();
    const changes = new VmChanges(vc);
    const seen: string[] = [];
    const look = (): string[] => {
      seen.length = 0;
      changes.look(
        (vm, before) => seen.push(`${before === undefined ? 'new' : 'changed'} ${vm.name} ${vm.powerState}`),
        (before) => seen.push(`gone ${before.name}`),
      );
      return [...seen];
    };
    const names = vc.vms().map((vm) => vm.name);
    expect(look()).toEqual(vc.vms().map((vm) => `new ${vm.name} ${vm.powerState}`));
    expect(look()).toEqual([]);
    expect(E.isRight(settled(vc.powerOff(names[0]!, { durationMs: 0 })))).toBe(true);
    expect(look()).toEqual([`changed ${names[0]} poweredOff`]);
    expect(E.isRight(settled(vc.unregisterVm(names[0]!, { durationMs: 0 })))).toBe(true);
    expect(look()).toEqual([`gone ${names[0]}`]);
    expect(look()).toEqual([]);
  });

  it('tells what a walk of every VM would, in inventory order, through creations, removals and re-creations', () => {
    const vc = smallVcenter();
    const changes = new VmChanges(vc);
    // The reference: every VM compared with the last look, in inventory order, then the gone ones.
    const last = new Map<string, VirtualMachine>();
    const walk = (): string[] => {
      const out: string[] = [];
      const vms = vc.vms();
      for (const vm of vms) {
        const before = last.get(vm.name);
        if (before === vm) continue;
        last.set(vm.name, vm);
        out.push(`${before === undefined ? 'new' : before.moref === vm.moref ? 'changed' : 'again'} ${vm.name} ${vm.powerState}`);
      }
      const present = new Set(vms.map((vm) => vm.name));
      for (const [name] of last) if (!present.has(name) && last.delete(name)) out.push(`gone ${name}`);
      return out;
    };
    const look = (): string[] => {
      const out: string[] = [];
      changes.look(
        (vm, before) => out.push(`${before === undefined ? 'new' : before.moref === vm.moref ? 'changed' : 'again'} ${vm.name} ${vm.powerState}`),
        (before) => out.push(`gone ${before.name}`),
      );
      return out;
    };
    const ok = (task: ReturnType<typeof vc.powerOn>): void => expect(E.isRight(settled(task))).toBe(true);
    const steps: (() => void)[] = [
      () => undefined,
      // Changed in the reverse of inventory order.
      () => {
        ok(vc.powerOn('vm-c', { durationMs: 0 }));
        ok(vc.powerOff('vm-a', { durationMs: 0 }));
      },
      // Two gone at once, a third created.
      () => {
        ok(vc.powerOff('vm-b', { durationMs: 0 }));
        ok(vc.unregisterVm('vm-b', { durationMs: 0 }));
        ok(vc.unregisterVm('vm-a', { durationMs: 0 }));
        vc.createVm({ name: 'vm-d', host: '10.27.51.11' });
      },
      // Removed and made again under its name between two looks, after a newer VM.
      () => {
        ok(vc.powerOff('vm-c', { durationMs: 0 }));
        ok(vc.unregisterVm('vm-c', { durationMs: 0 }));
        vc.createVm({ name: 'vm-c', host: '10.27.51.12', powerState: 'poweredOff' });
        ok(vc.powerOff('vm-d', { durationMs: 0 }));
      },
      // Changed twice, then back: a new object each time.
      () => {
        ok(vc.powerOn('vm-d', { durationMs: 0 }));
        ok(vc.powerOff('vm-d', { durationMs: 0 }));
        vc.createVm({ name: 'vm-a', host: '10.27.51.13' });
      },
    ];
    const told: string[][] = [];
    for (const step of steps) {
      step();
      const expected = walk();
      expect(look()).toEqual(expected);
      told.push(expected);
    }
    expect(told.slice(1)).toEqual([
      ['changed vm-a poweredOff', 'changed vm-c poweredOn'],
      ['new vm-d poweredOn', 'gone vm-a', 'gone vm-b'],
      ['changed vm-d poweredOff', 'again vm-c poweredOff'],
      ['changed vm-d poweredOff', 'new vm-a poweredOn'],
    ]);
  });
});
