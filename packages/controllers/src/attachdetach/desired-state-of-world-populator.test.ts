import { describe, expect, it } from '@jest/globals';
import type { PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation, Informer } from '@failsim/core';
import { DesiredStateOfWorld } from './desired-state-of-world.js';
import { DesiredStateOfWorldPopulator, determineVolumeAction } from './desired-state-of-world-populator.js';

const volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }];

describe('determineVolumeAction', () => {
  it('drops the volumes of terminated pods unless the node keeps them', () => {
    const dsw = new DesiredStateOfWorld();
    dsw.addNode('w1', false);
    dsw.addNode('w2', true);
    const running: Pod = { metadata: { name: 'a', deletionTimestamp: '2019-06-01T00:00:00Z' }, spec: { nodeName: 'w1', containers: [], volumes }, status: { containerStatuses: [{ name: 'c', image: '', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] } };
    expect(determineVolumeAction(running, dsw)).toBe(true);
    const failed: Pod = { metadata: { name: 'b' }, spec: { nodeName: 'w1', containers: [], volumes }, status: { phase: 'Failed' } };
    expect(determineVolumeAction(failed, dsw)).toBe(false);
    expect(determineVolumeAction({ ...failed, spec: { ...failed.spec!, nodeName: 'w2' } }, dsw)).toBe(true);
    expect(determineVolumeAction({ metadata: { name: 'c' }, spec: { containers: [] } }, dsw)).toBe(false);
  });
});

describe('DesiredStateOfWorldPopulator', () => {
  it('removes pods the informer no longer has every minute', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const pods = new Informer(client, 'Pod');
    pods.events$.subscribe();
    const dsw = new DesiredStateOfWorld();
    dsw.addNode('w1', false);
    const pv: PersistentVolume = { metadata: { name: 'pv-1' } };
    dsw.addPod({ metadata: { name: 'gone', namespace: 'default', uid: 'u1' } }, pv, 'p/pv-1', 'w1');
    const added: string[] = [];
    const populator = new DesiredStateOfWorldPopulator(sim.clock, dsw, pods, (p) => added.push(p.metadata?.name ?? ''), 'test');
    populator.start();
    sim.clock.runFor(1);
    expect(dsw.volumeExists('p/pv-1', 'w1')).toBe(false);
    populator.stop();
  });
});
