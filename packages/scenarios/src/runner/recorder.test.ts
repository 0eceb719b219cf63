import { describe, expect, it } from '@jest/globals';
import { articleEnvironment } from '../environment/article-environment.js';
import { Recorder } from './recorder.js';

describe('Recorder', () => {
  it('records VM power and node status changes, from null on creation', () => {
    const env = articleEnvironment({ seed: 'recorder', nodes: [{ name: 'w1', role: 'worker' }], vmName: () => 'vm-w1' });
    const recorder = new Recorder(env, env.cluster.sim.clock.now());
    recorder.start();
    env.cluster.sim.clock.runFor(10_000);
    env.govc.run('vm.power -off vm-w1');
    env.cluster.sim.clock.runFor(60_000);
    recorder.stop();
    const mine = recorder.transitions.filter((t) => t.object === 'VirtualMachine/vm-w1' || t.object === 'Node/w1');
    expect(mine.map(({ object, field, from, to }) => [object, field, from, to])).toEqual([
      ['VirtualMachine/vm-w1', 'power', null, 'poweredOn'],
      ['Node/w1', 'status', null, 'Ready'],
      ['VirtualMachine/vm-w1', 'power', 'poweredOn', 'poweredOff'],
      ['Node/w1', 'status', 'Ready', 'NotReady'],
    ]);
    expect(mine[2]!.at).toBe(10);
    expect(recorder.events.some((e) => e.reason === 'NodeNotReady' && e.object === 'Node/w1')).toBe(true);
  });
});
