import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation } from '@failsim/core';
import { DesiredStateOfWorld } from './desired-state-of-world.js';
import { DesiredStateOfWorldPopulator, resolveVolume } from './desired-state-of-world-populator.js';
import { createBoundClaim, createCassandraPod, FakeVsphereVolumePlugin, right, UNIQUE_NAME } from './test-support.js';

describe('resolveVolume', () => {
  it('resolves a claim to its bound PV and the plugin, other volumes to kubelet-mounted ones', () => {
    const sim = createSimulation({ seed: 1 });
    createBoundClaim(sim);
    const pod = createCassandraPod(sim, 'w1');
    const client = sim.api.client('kubelet');
    const plugins = [new FakeVsphereVolumePlugin(sim)];
    const [data, token] = pod.spec?.volumes ?? [];
    expect(resolveVolume(client, plugins, pod, data!)).toMatchObject(E.right({ outerName: 'cassandra-data', uniqueName: UNIQUE_NAME, attachable: true }));
    expect(resolveVolume(client, plugins, pod, token!)).toMatchObject(E.right({ outerName: 'default-token-6fj8b', attachable: false }));
    expect(resolveVolume(client, [], pod, data!)).toMatchObject(E.right({ attachable: false }));
  });

  it('builds each volume with its members in one order per kind (podUid, outerName first)', () => {
    const sim = createSimulation({ seed: 1 });
    createBoundClaim(sim);
    const pod = createCassandraPod(sim, 'w1');
    const client = sim.api.client('kubelet');
    const [data, token] = pod.spec?.volumes ?? [];
    const keys = (r: ReturnType<typeof resolveVolume>): string[] => (E.isRight(r) ? Object.keys(r.right) : []);
    expect(keys(resolveVolume(client, [new FakeVsphereVolumePlugin(sim)], pod, data!))).toEqual(['podUid', 'outerName', 'uniqueName', 'attachable', 'pv', 'plugin']);
    expect(keys(resolveVolume(client, [], pod, data!))).toEqual(['podUid', 'outerName', 'uniqueName', 'attachable', 'pv']);
    expect(keys(resolveVolume(client, [], pod, token!))).toEqual(['podUid', 'outerName', 'uniqueName', 'attachable']);
  });

  it('explains a claim that is missing or not bound', () => {
    const sim = createSimulation({ seed: 1 });
    const client = sim.api.client('kubelet');
    const pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' } };
    expect(resolveVolume(client, [], pod, { name: 'd', persistentVolumeClaim: { claimName: 'c' } })).toEqual(
      E.left('error processing PVC "default"/"c": failed to fetch PVC from API server: persistentvolumeclaims "c" not found'),
    );
    right(sim.api.client('kubectl').create('PersistentVolumeClaim', { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }));
    expect(resolveVolume(client, [], pod, { name: 'd', persistentVolumeClaim: { claimName: 'c' } })).toEqual(
      E.left('error processing PVC "default"/"c": PVC default/c has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")'),
    );
  });
});

describe('DesiredStateOfWorldPopulator', () => {
  it('adds a pod\'s volumes at its next 100 ms tick and retries an unbound claim every tick until it binds', () => {
    const sim = createSimulation({ seed: 1 });
    const desired = new DesiredStateOfWorld();
    let added = 0;
    const populator = new DesiredStateOfWorldPopulator({
      clock: sim.clock,
      client: sim.api.client('kubelet'),
      plugins: [new FakeVsphereVolumePlugin(sim)],
      desired,
      owner: 'kubelet/w1',
      onAdded: () => added++,
    });
    const pod = createCassandraPod(sim, 'w1');
    const uid = pod.metadata?.uid ?? '';
    populator.addPod(pod);
    sim.clock.runUntil(1_000);
    expect(desired.hasVolume(uid, 'default-token-6fj8b')).toBe(true);
    expect(desired.hasVolume(uid, 'cassandra-data')).toBe(false);
    expect(populator.podErrors(uid)[0]).toMatch(/failed to fetch PVC from API server/);
    createBoundClaim(sim);
    sim.clock.runUntil(1_100);
    expect(desired.hasVolume(uid, 'cassandra-data')).toBe(true);
    expect(added).toBe(2);
    // Nothing left to do: the loop sleeps.
    expect(sim.clock.pending().filter((t) => t.owner === 'kubelet/w1')).toEqual([]);
    populator.removePod(uid);
    expect(desired.pod(uid)).toBeUndefined();
  });
});
