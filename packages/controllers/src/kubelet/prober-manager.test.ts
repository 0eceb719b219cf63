import { describe, expect, it } from '@jest/globals';
import { createSimulation, EventRecorder, nodeLocation, type EventTraceEntry } from '@failsim/core';
import type { Pod, Probe } from 'kubernetes-types/core/v1.js';
import { ContainerRuntime } from './container-runtime.js';
import { ProberManager } from './prober-manager.js';

const setup = (probe: Probe, result: () => boolean) => {
  const sim = createSimulation();
  const runtime = new ContainerRuntime({ clock: sim.clock, random: sim.random.fork('rt'), nodeName: 'w1', runtimeVersion: 'docker://18.6.1', podCIDR: '10.200.0.0/24', hostIP: '10.0.0.10' });
  const changes: number[] = [];
  const prober = new ProberManager({
    clock: sim.clock,
    runtime,
    recorder: new EventRecorder(sim.api.client('kubelet', nodeLocation('w1')), { component: 'kubelet', host: 'w1' }, { trace: sim.trace }),
    probe: result,
    owner: 'kubelet/w1',
    onChange: () => changes.push(sim.clock.now()),
  });
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', uid: 'u1' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.17', readinessProbe: probe }, { name: 'sidecar', image: 'busybox' }] },
  };
  const start = (restartCount = 0) => {
    const c = runtime.createContainer('u1', pod.spec!.containers[0]!, restartCount);
    runtime.startContainer('u1', c.id);
    return runtime.latest('u1', 'web')!;
  };
  const unhealthy = () => sim.trace.entries.filter((e): e is EventTraceEntry => e.type === 'event' && e.reason === 'Unhealthy').map((e) => e.t);
  runtime.runSandbox(pod);
  return { sim, runtime, prober, pod, start, changes, unhealthy };
};

describe('ProberManager', () => {
  it('probes every period from the pod being added, from initialDelaySeconds after the start on', () => {
    const { sim, runtime, prober, pod, start, changes } = setup({ initialDelaySeconds: 5, periodSeconds: 10 }, () => true);
    prober.addPod(pod);
    sim.clock.runFor(3_000);
    const web = start();
    expect(prober.isReady(web)).toBe(false);
    // Probe ticks at 0, 10, 20 s; at 10 s the container has run 7 s ≥ 5 s.
    sim.clock.runFor(6_999);
    expect(prober.isReady(web)).toBe(false);
    sim.clock.runFor(1);
    expect(prober.isReady(web)).toBe(true);
    expect(changes).toEqual([10_000]);
    const sidecar = runtime.createContainer('u1', pod.spec!.containers[1]!, 0);
    expect(prober.isReady(sidecar)).toBe(true);
  });

  it('needs failureThreshold failures to turn unready, with an Unhealthy event per failed probe', () => {
    let ok = true;
    const { sim, prober, pod, start, unhealthy } = setup({ periodSeconds: 5, failureThreshold: 3 }, () => ok);
    const web = start();
    prober.addPod(pod);
    sim.clock.runFor(1);
    expect(prober.isReady(web)).toBe(true);
    ok = false;
    sim.clock.runFor(10_000);
    expect(prober.isReady(web)).toBe(true);
    sim.clock.runFor(5_000);
    expect(prober.isReady(web)).toBe(false);
    expect(unhealthy()).toEqual([5_000, 10_000, 15_000]);
    const event = sim.trace.entries.find((e): e is EventTraceEntry => e.type === 'event' && e.reason === 'Unhealthy');
    expect(event).toMatchObject({ eventType: 'Warning', message: 'Readiness probe failed: ', object: 'Pod/default/web-0', source: 'kubelet, w1' });
  });

  it('starts a new container from not ready, and stops probing a removed pod', () => {
    const { sim, runtime, prober, pod, start, unhealthy } = setup({ periodSeconds: 10 }, () => false);
    const first = start();
    prober.addPod(pod);
    sim.clock.runFor(1);
    runtime.stopContainer('u1', first.id, 0, 0);
    sim.clock.runFor(1);
    const second = start(1);
    expect(prober.isReady(second)).toBe(false);
    prober.removePod('u1');
    sim.clock.runFor(60_000);
    expect(unhealthy()).toEqual([0]);
    expect(sim.clock.pending().filter((t) => t.owner === 'kubelet/w1')).toEqual([]);
  });
});
