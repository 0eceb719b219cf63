import { describe, expect, it } from '@jest/globals';
import { createSimulation, EventRecorder } from '@failsim/core';
import { ActualStateOfWorld } from './actual-state-of-world.js';
import { DesiredStateOfWorld } from './desired-state-of-world.js';
import { Reconciler } from './reconciler.js';
import { FakeVsphereVolumePlugin, PV_NAME, right, UNIQUE_NAME } from './test-support.js';

const setup = () => {
  const sim = createSimulation({ seed: 3 });
  const kubectl = sim.api.client('kubectl');
  right(kubectl.create('Node', { metadata: { name: 'w1' } }));
  const plugin = new FakeVsphereVolumePlugin(sim);
  const desired = new DesiredStateOfWorld();
  const actual = new ActualStateOfWorld();
  const mounted: number[] = [];
  const unmounted: number[] = [];
  const client = sim.api.client('kubelet');
  const reconciler = new Reconciler({
    clock: sim.clock,
    nodeName: 'w1',
    client,
    recorder: new EventRecorder(client, { component: 'kubelet', host: 'w1' }),
    desired,
    actual,
    owner: 'kubelet/w1',
    onMounted: () => mounted.push(sim.clock.now()),
    onUnmounted: () => unmounted.push(sim.clock.now()),
  });
  const pv = { metadata: { name: PV_NAME }, spec: { vsphereVolume: { volumePath: `[vsanDatastore] kubevols/kubernetes-dynamic-${PV_NAME}.vmdk` } } };
  desired.addPod({ metadata: { name: 'p', uid: 'u1' } });
  desired.addVolume({ podUid: 'u1', outerName: 'data', uniqueName: UNIQUE_NAME, attachable: true, pv, plugin });
  const setNodeStatus = (status: object): void => {
    const node = right(kubectl.get('Node', 'w1'));
    right(kubectl.updateStatus('Node', { ...node, status }));
  };
  return { sim, plugin, desired, actual, reconciler, mounted, unmounted, setNodeStatus };
};

describe('Reconciler', () => {
  it('verifies volumesInUse, then volumesAttached, then mounts; verification backs off 500 ms doubling', () => {
    const { sim, plugin, reconciler, mounted, setNodeStatus } = setup();
    reconciler.wake();
    sim.clock.runUntil(1_000);
    expect(reconciler.lastError({ podUid: 'u1', outerName: 'data', uniqueName: UNIQUE_NAME, attachable: true })).toMatch(/has not been added to the list of VolumesInUse/);
    setNodeStatus({ volumesInUse: [UNIQUE_NAME] });
    // Attempts at 100, 600, 1600: the one at 1.6 s sees the volume in use but not attached.
    sim.clock.runUntil(1_700);
    expect(reconciler.lastError({ podUid: 'u1', outerName: 'data', uniqueName: UNIQUE_NAME, attachable: true })).toMatch(/Volume not attached according to node status$/);
    setNodeStatus({ volumesInUse: [UNIQUE_NAME], volumesAttached: [{ name: UNIQUE_NAME, devicePath: '/dev/sdb' }] });
    sim.clock.runUntil(10_000);
    // Next retry at 3.6 s verifies; the mount starts at the next tick and takes 1 s.
    expect(plugin.calls.map((c) => [c.t, c.op])).toEqual([[3_700, 'mount']]);
    expect(mounted).toEqual([4_700]);
    expect(sim.clock.pending().filter((t) => t.owner === 'kubelet/w1')).toEqual([]);
  });

  it('unmounts a volume no pod wants, then forgets the device', () => {
    const { sim, plugin, desired, actual, reconciler, unmounted, setNodeStatus } = setup();
    setNodeStatus({ volumesInUse: [UNIQUE_NAME], volumesAttached: [{ name: UNIQUE_NAME, devicePath: '/dev/sdb' }] });
    reconciler.wake();
    sim.clock.runUntil(5_000);
    desired.removePod('u1');
    reconciler.wake();
    sim.clock.runUntil(10_000);
    expect(plugin.calls.map((c) => [c.t, c.op])).toEqual([
      [200, 'mount'],
      [5_100, 'unmount'],
    ]);
    expect(unmounted).toEqual([5_600]);
    expect(actual.attachedVolumes()).toEqual([]);
  });
});
