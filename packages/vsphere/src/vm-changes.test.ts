import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { smallVcenter } from './testing/small-vcenter.js';
import { settled } from './vcenter.js';
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
});
