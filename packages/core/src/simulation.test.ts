import { describe, expect, it } from '@jest/globals';
import { interval, take } from 'rxjs';
import { EventRecorder } from './api/event-recorder.js';
import { nodeLocation } from './api/reachability.js';
import { createSimulation } from './simulation.js';
import { createSimScheduler } from './kernel/scheduler.js';
import { right } from './testing/either.js';

/** A small but busy program: writes, deletes, events, timers, randomness and a partition. */
const program = (seed: number): string => {
  const sim = createSimulation({ seed });
  const kubectl = sim.api.client('kubectl');
  const kubelet = sim.api.client('kubelet', nodeLocation('w1'));
  const recorder = new EventRecorder(kubelet, { component: 'kubelet', host: 'w1' }, { trace: sim.trace });
  right(kubelet.create('Node', { metadata: { name: 'w1' } }));
  interval(10_000, createSimScheduler(sim.clock, { owner: 'kubelet', purpose: 'node status of w1' }))
    .pipe(take(20))
    .subscribe((i) => {
      kubelet.patch('Node', 'w1', { metadata: { annotations: { beat: String(i) } } });
    });
  for (let i = 0; i < 5; i++) {
    const pod = right(kubectl.create('Pod', { metadata: { generateName: 'web-' }, spec: { nodeName: 'w1', containers: [{ name: 'c', image: 'nginx' }] } }));
    recorder.normal(pod, 'Started', 'Started container c');
    sim.clock.runFor(sim.random.int(1_000, 5_000));
  }
  sim.clock.scheduleAt(60_000, () => sim.reachability.set(nodeLocation('w1'), false), { owner: 'test', purpose: 'power off w1' });
  sim.clock.scheduleAt(90_000, () => {
    for (const pod of right(kubectl.list('Pod')).items) kubectl.delete('Pod', pod.metadata!.name!);
  }, { owner: 'test', purpose: 'delete pods' });
  sim.clock.scheduleAt(150_000, () => sim.reachability.set(nodeLocation('w1'), true), { owner: 'test', purpose: 'power on w1' });
  sim.clock.runUntil(300_000);
  return sim.trace.toNDJSON();
};

describe('determinism', () => {
  it('gives byte-identical traces for the same program and seed', () => {
    const a = program(42);
    const b = program(42);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
  });

  it('gives a different trace for another seed', () => {
    expect(program(1)).not.toBe(program(2));
  });
});

describe('createSimulation', () => {
  it('starts at virtual time 0 with the bootstrap namespaces', () => {
    const sim = createSimulation();
    expect(sim.clock.now()).toBe(0);
    const namespaces = right(sim.api.client('test').list('Namespace')).items.map((n) => n.metadata?.name);
    expect(namespaces).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(sim.trace.entries[0]).toEqual({ t: 0, type: 'write', verb: 'create', kind: 'Namespace', name: 'default', resourceVersion: '1', by: 'kube-apiserver@control-plane' });
  });
});
