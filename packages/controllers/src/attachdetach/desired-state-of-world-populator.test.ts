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

  it('re-lists only the candidate pods when given them, every 3 minutes', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const pods = new Informer(client, 'Pod');
    pods.events$.subscribe();
    for (const name of ['a', 'b']) {
      const created = client.create('Pod', { metadata: { name, namespace: 'default' }, spec: { nodeName: 'w1', containers: [{ name: 'c', image: 'i' }], volumes } });
      expect(created._tag).toBe('Right');
    }
    const dsw = new DesiredStateOfWorld();
    dsw.addNode('w1', false);
    sim.clock.runFor(1);
    const added: string[] = [];
    const populator = new DesiredStateOfWorldPopulator(sim.clock, dsw, pods, (p) => added.push(p.metadata?.name ?? ''), 'test', { candidates: () => pods.list().filter((p) => p.metadata?.name === 'b') });
    populator.start();
    sim.clock.runFor(0);
    expect(added).toEqual(['b']);
    sim.clock.runFor(179_000);
    expect(added).toEqual(['b']);
    sim.clock.runFor(1_000);
    expect(added).toEqual(['b', 'b']);
    populator.stop();
  });

  it('skips the removal sweep while the caller says nothing it reads changed', () => {
    const sim = createSimulation();
    const pods = new Informer(sim.api.client('test'), 'Pod');
    pods.events$.subscribe();
    const dsw = new DesiredStateOfWorld();
    dsw.addNode('w1', false);
    dsw.addPod({ metadata: { name: 'gone', namespace: 'default', uid: 'u1' } }, { metadata: { name: 'pv-1' } }, 'p/pv-1', 'w1');
    let changed = false;
    const asked: number[] = [];
    const sweepNeeded = (): boolean => {
      asked.push(sim.clock.now());
      const was = changed;
      changed = false;
      return was;
    };
    const populator = new DesiredStateOfWorldPopulator(sim.clock, dsw, pods, () => undefined, 'test', { sweepNeeded });
    populator.start();
    sim.clock.runFor(60_000);
    expect(asked).toEqual([0, 60_000]);
    expect(dsw.volumeExists('p/pv-1', 'w1')).toBe(true);
    changed = true;
    sim.clock.runFor(60_000);
    expect(dsw.volumeExists('p/pv-1', 'w1')).toBe(false);
    populator.stop();
  });
});
