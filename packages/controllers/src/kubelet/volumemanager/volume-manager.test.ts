import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, type EventTraceEntry, type Simulation } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { profile112, profile114, profile118, profile128 } from '../../profiles/profiles.js';
import type { VersionProfile } from '../../profiles/profile.js';
import { defaultTimings } from '../../runtime/context.js';
import { Kubelet } from '../kubelet.js';
import { createBoundClaim, createCassandraPod, FakeVsphereVolumePlugin, markAttached, PV_NAME, right, UNIQUE_NAME } from './test-support.js';
import { failedMountMessage, KubeletVolumeManager } from './volume-manager.js';

const IMAGE = 'harbor.rainpole.com/library/cassandra:v11';

const setup = (profile: VersionProfile = profile112) => {
  const sim = createSimulation({ seed: 11 });
  const ctx = { sim, profile, timings: defaultTimings };
  const plugin = new FakeVsphereVolumePlugin(sim);
  createBoundClaim(sim);
  const vm = new KubeletVolumeManager({ ctx, nodeName: 'w1', plugins: [plugin] });
  const kubelet = new Kubelet(ctx, { nodeName: 'w1', volumeManager: vm, images: [IMAGE] });
  kubelet.start();
  const pod = createCassandraPod(sim, 'w1');
  return { sim, plugin, vm, kubelet, pod };
};

const events = (sim: Simulation, reason: string): EventTraceEntry[] => sim.trace.entries.filter((e): e is EventTraceEntry => e.type === 'event' && e.reason === reason);
const started = (sim: Simulation): number[] => events(sim, 'Started').map((e) => e.t);
const nodeStatus = (sim: Simulation) => right(sim.api.client('kubectl').get('Node', 'w1')).status;
const getPod = (sim: Simulation): Pod | undefined => {
  const got = sim.api.client('kubectl').get('Pod', 'cassandra-0', 'cassandra');
  return E.isRight(got) ? got.right : undefined;
};

describe('KubeletVolumeManager: attach verification and mount', () => {
  it('reports the volume in use, waits for volumesAttached, mounts, and only then starts the pod', () => {
    const { sim, plugin, vm, pod } = setup();
    const uid = pod.metadata?.uid ?? '';
    sim.clock.runUntil(5_000);
    // Not yet reported in node status: the first verification fails on volumesInUse.
    expect(vm.volumesInUse()).toEqual([UNIQUE_NAME]);
    expect(vm.errors(uid)).toEqual([
      `VerifyControllerAttachedVolume failed for volume "${PV_NAME}" (UniqueName: "${UNIQUE_NAME}") pod "cassandra-0" (UID: "${uid}") : Volume has not been added to the list of VolumesInUse in the node's volume status`,
    ]);
    // The secret volume mounts at once; the claim's waits.
    expect(vm.mountedVolumes(uid)).toEqual(['default-token-6fj8b']);
    sim.clock.runUntil(30_000);
    expect(nodeStatus(sim)?.volumesInUse).toEqual([UNIQUE_NAME]);
    expect(vm.errors(uid)[0]).toMatch(/: Volume not attached according to node status$/);
    expect(plugin.calls).toEqual([]);
    expect(started(sim)).toEqual([]);
    expect(getPod(sim)?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');

    markAttached(sim, 'w1');
    sim.clock.runUntil(200_000);
    const mounts = plugin.calls.filter((c) => c.op === 'mount');
    expect(mounts).toHaveLength(1);
    // Verification backs off 500 ms doubling up to 2m2s: the next retry after 30 s is within 32 s.
    expect(mounts[0]!.t).toBeGreaterThan(30_000);
    expect(mounts[0]!.t).toBeLessThanOrEqual(30_000 + 32_000 + 200);
    const [start] = started(sim);
    // Mount takes 1 s, then the next 300 ms poll of the wait, then create (300 ms) and start (200 ms).
    expect(start).toBeGreaterThanOrEqual(mounts[0]!.t + 1_000 + 500);
    expect(start).toBeLessThanOrEqual(mounts[0]!.t + 1_000 + 300 + 500);
    expect(vm.mountedVolumes(uid)).toEqual(['cassandra-data', 'default-token-6fj8b']);
    expect(events(sim, 'FailedMount')).toEqual([]);
  });

  it('starts a pod whose volume is already attached about a node status update later', () => {
    const { sim, plugin } = setup(profile114);
    sim.clock.runUntil(200);
    markAttached(sim, 'w1');
    sim.clock.runUntil(60_000);
    const [mount] = plugin.calls;
    // volumesInUse reaches the Node with the first status update after the pod (10 s period).
    expect(mount!.t).toBeGreaterThanOrEqual(10_000);
    expect(mount!.t).toBeLessThanOrEqual(17_000);
    expect(started(sim)).toHaveLength(1);
  });

  it('raises FailedMount for a failed mount and retries with back-off', () => {
    const { sim, plugin } = setup();
    plugin.mountError = 'mount failed: exit status 32';
    sim.clock.runUntil(100);
    markAttached(sim, 'w1');
    sim.clock.runUntil(60_000);
    const failed = events(sim, 'FailedMount');
    expect(failed[0]!.message).toBe(`MountVolume.MountDevice failed for volume "${PV_NAME}" : mount failed: exit status 32`);
    const mounts = plugin.calls.map((c) => c.t);
    // 500 ms, 1 s, 2 s … between the end of one attempt (1 s long) and the next.
    expect(mounts.slice(1, 4).map((t, i) => t - mounts[i]! - 1_000)).toEqual([500, 1_000, 2_000]);
    expect(started(sim)).toEqual([]);
  });
});

describe('KubeletVolumeManager: the 2m3s wait', () => {
  const expectRepeats = (sim: Simulation, expected: string): void => {
    const failed = events(sim, 'FailedMount');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    const first = failed[0]!;
    expect(first.message).toBe(expected);
    expect(first.object).toContain('cassandra-0');
    // The wait starts with the pod's first sync, right after the kubelet sees it.
    expect(first.t).toBeGreaterThanOrEqual(123_000);
    expect(first.t).toBeLessThanOrEqual(123_100);
    // Then the pod sync back-off (10 s × [1, 1.5)) and another 2m3s wait: about every 2m15s.
    const second = sim.trace.entries.filter((e): e is EventTraceEntry => e.type === 'event' && e.reason === 'FailedMount' && e.count === 2)[0] ?? failed[1]!;
    expect(second.t - first.t).toBeGreaterThanOrEqual(133_000);
    expect(second.t - first.t).toBeLessThan(138_000);
  };

  it('1.12: "Unable to mount volumes for pod …" with the unattached list naming every volume', () => {
    const { sim, pod } = setup(profile112);
    sim.clock.runUntil(300_000);
    const uid = pod.metadata?.uid ?? '';
    expectRepeats(
      sim,
      `Unable to mount volumes for pod "cassandra-0_cassandra(${uid})": timeout expired waiting for volumes to attach or mount for pod "cassandra"/"cassandra-0". ` +
        'list of unmounted volumes=[cassandra-data]. list of unattached volumes=[cassandra-data default-token-6fj8b]',
    );
    expect(started(sim)).toEqual([]);
  });

  it('1.18: "Unable to attach or mount volumes: …: timed out waiting for the condition"', () => {
    const { sim } = setup(profile118);
    sim.clock.runUntil(300_000);
    expectRepeats(
      sim,
      'Unable to attach or mount volumes: unmounted volumes=[cassandra-data], unattached volumes=[cassandra-data default-token-6fj8b]: timed out waiting for the condition',
    );
  });

  it('1.28: no event when the wait times out; the pod stays ContainerCreating, then starts once attached', () => {
    const { sim, plugin } = setup(profile128);
    sim.clock.runUntil(600_000);
    expect(events(sim, 'FailedMount')).toEqual([]);
    expect(getPod(sim)?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    markAttached(sim, 'w1');
    sim.clock.runUntil(900_000);
    expect(plugin.calls.filter((c) => c.op === 'mount')).toHaveLength(1);
    expect(started(sim)).toHaveLength(1);
  });

  it('a volume mounted during the back-off starts the pod when the back-off ends', () => {
    const { sim, plugin } = setup(profile112);
    sim.clock.runUntil(123_050);
    const [failed] = events(sim, 'FailedMount');
    expect(failed).toBeDefined();
    markAttached(sim, 'w1');
    sim.clock.runUntil(400_000);
    const [mount] = plugin.calls;
    const [start] = started(sim);
    // Mounted (≤ 2m2s back-off of verification) and started after the mount.
    expect(mount!.t).toBeGreaterThan(123_050);
    expect(start).toBeGreaterThan(mount!.t + 1_000);
  });
});

describe('KubeletVolumeManager: unmount', () => {
  it('unmounts after the pod is deleted, then the pod goes and volumesInUse clears', () => {
    const { sim, plugin, vm, pod } = setup(profile114);
    sim.clock.runUntil(100);
    markAttached(sim, 'w1');
    sim.clock.runUntil(60_000);
    expect(started(sim)).toHaveLength(1);
    right(sim.api.client('kubectl').delete('Pod', 'cassandra-0', { namespace: 'cassandra' }));
    // Containers stop within 1 s; the next reconciler tick (100 ms grid) unmounts, which takes 500 ms.
    sim.clock.runUntil(61_500);
    const unmount = plugin.calls.find((c) => c.op === 'unmount');
    expect(unmount).toEqual({ t: 61_100, op: 'unmount', pv: PV_NAME, podUid: pod.metadata?.uid });
    expect(vm.podVolumesExist(pod)).toBe(true);
    expect(getPod(sim)).toBeDefined();
    expect(vm.volumesInUse()).toEqual([UNIQUE_NAME]);
    // Unmounted at 61.6 s: the kubelet confirms the deletion at once, and the volume leaves volumesInUse.
    sim.clock.runUntil(61_600);
    expect(vm.podVolumesExist(pod)).toBe(false);
    expect(getPod(sim)).toBeUndefined();
    // The next reconciler tick forgets the device nothing mounts any more.
    expect(vm.volumesInUse()).toEqual([UNIQUE_NAME]);
    sim.clock.runUntil(61_700);
    expect(vm.volumesInUse()).toEqual([]);
    // The node status update after that (every 10 s since 100 ms) clears node.status.volumesInUse.
    sim.clock.runUntil(70_099);
    expect(nodeStatus(sim)?.volumesInUse).toEqual([UNIQUE_NAME]);
    sim.clock.runUntil(70_100);
    expect(nodeStatus(sim)?.volumesInUse).toBeUndefined();
  });

  it('a power-off forgets every mount; the kubelet verifies and mounts again after boot', () => {
    const { sim, plugin, kubelet, vm, pod } = setup(profile114);
    sim.clock.runUntil(100);
    markAttached(sim, 'w1');
    sim.clock.runUntil(60_000);
    kubelet.stop({ containers: 'kill' });
    expect(vm.podVolumesExist(pod)).toBe(false);
    sim.clock.runUntil(120_000);
    kubelet.start();
    sim.clock.runUntil(200_000);
    expect(plugin.calls.filter((c) => c.op === 'mount')).toHaveLength(2);
    expect(started(sim)).toHaveLength(2);
  });
});

describe('KubeletVolumeManager.volumesInUse', () => {
  it('answers with the same frozen array while the attachable volumes stay the same, and node status stores that array', () => {
    const { sim, vm } = setup(profile114);
    sim.clock.runUntil(5_000);
    const first = vm.volumesInUse();
    expect(first).toEqual([UNIQUE_NAME]);
    expect(Object.isFrozen(first)).toBe(true);
    expect(vm.volumesInUse()).toBe(first);
    markAttached(sim, 'w1');
    sim.clock.runUntil(60_000);
    // Attached and mounted since: the same name, so still the same array, shared by the Node.
    expect(vm.volumesInUse()).toBe(first);
    expect(nodeStatus(sim)?.volumesInUse).toBe(first);
    right(sim.api.client('kubectl').delete('Pod', 'cassandra-0', { namespace: 'cassandra' }));
    sim.clock.runUntil(62_000);
    expect(vm.volumesInUse()).toEqual([]);
    expect(vm.volumesInUse()).toBe(vm.volumesInUse());
  });
});

describe('failedMountMessage', () => {
  it('has no text from 1.28', () => {
    const pod: Pod = { metadata: { name: 'p', namespace: 'n', uid: 'u' } };
    expect(failedMountMessage(profile128.texts.failedMountStyle, pod, ['a'], ['a'])).toBeUndefined();
    expect(failedMountMessage(profile118.texts.failedMountStyle, pod, ['a'], [])).toBe(
      'Unable to attach or mount volumes: unmounted volumes=[a], unattached volumes=[]: timed out waiting for the condition',
    );
  });
});

describe('KubeletVolumeManager.factory', () => {
  it('plugs into the kubelet config, which builds one manager for its node', () => {
    const sim = createSimulation({ seed: 5 });
    const ctx = { sim, profile: profile114, timings: defaultTimings };
    const plugin = new FakeVsphereVolumePlugin(sim);
    createBoundClaim(sim);
    const kubelet = new Kubelet(ctx, { nodeName: 'w1', volumeManager: KubeletVolumeManager.factory([plugin]), images: [IMAGE] });
    kubelet.start();
    createCassandraPod(sim, 'w1');
    sim.clock.runUntil(200);
    markAttached(sim, 'w1');
    sim.clock.runUntil(60_000);
    expect(nodeStatus(sim)?.volumesInUse).toEqual([UNIQUE_NAME]);
    expect(plugin.calls).toHaveLength(1);
    expect(started(sim)).toHaveLength(1);
  });
});
