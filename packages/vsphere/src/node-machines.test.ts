import { describe, expect, it } from '@jest/globals';
import { bindNodeMachines } from './node-machines.js';
import { smallVcenter } from './testing/small-vcenter.js';

describe('bindNodeMachines', () => {
  it('drives node power from VM power events, ignoring VMs without a node', () => {
    const vc = smallVcenter();
    const calls: string[] = [];
    const sub = bindNodeMachines(vc, { powerOff: (n) => calls.push(`off ${n}`), powerOn: (n) => calls.push(`on ${n}`), reset: (n) => calls.push(`reset ${n}`) }, new Map([['w1', 'vm-a']]));
    vc.powerOff('vm-a');
    vc.powerOff('vm-b');
    vc.clock.runUntilIdle();
    vc.powerOn('vm-a');
    vc.clock.runUntilIdle();
    vc.reset('vm-a');
    vc.clock.runUntilIdle();
    sub.unsubscribe();
    vc.powerOff('vm-a');
    vc.clock.runUntilIdle();
    expect(calls).toEqual(['off w1', 'on w1', 'reset w1']);
  });
});
