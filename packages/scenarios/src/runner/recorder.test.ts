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

describe('Recorder follows objects by name', () => {
  it('records a Pod deleted and re-created under the same name from null again, and its node only once bound', () => {
    const env = articleEnvironment({ seed: 'recorder-pods', nodes: [{ name: 'w1', role: 'worker' }], vmName: () => 'vm-w1' });
    const clock = env.cluster.sim.clock;
    const recorder = new Recorder(env, clock.now());
    recorder.start();
    clock.runFor(10_000);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    env.cluster.kubectl.apply([pod]);
    clock.runFor(30_000);
    env.cluster.kubectl.deletePod('p', { namespace: 'default', force: true, gracePeriod: 0 });
    clock.runFor(5_000);
    env.cluster.kubectl.apply([pod]);
    clock.runFor(30_000);
    recorder.stop();
    const mine = recorder.transitions.filter((t) => t.object === 'Pod/default/p').map(({ field, from, to }) => [field, from, to]);
    expect(mine).toEqual([
      ['status', null, 'Pending'],
      ['node', null, 'w1'],
      ['status', 'Pending', 'ContainerCreating'],
      ['status', 'ContainerCreating', 'Running'],
      ['status', 'Running', null],
      ['node', 'w1', null],
      ['status', null, 'Pending'],
      ['node', null, 'w1'],
      ['status', 'Pending', 'ContainerCreating'],
      ['status', 'ContainerCreating', 'Running'],
    ]);
  });
});
