import { describe, expect, it } from '@jest/globals';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { createSimulation } from '@failsim/core';
import { profile114 } from '../profiles/profiles.js';
import { ActualStateOfWorld } from './actual-state-of-world.js';
import { FakeAttachablePlugin } from './fake-plugin.js';
import type { OperationExecutor, VolumeToDetach } from './operation-executor.js';
import { multiAttachMessage, Reconciler, type ReconcilerDeps } from './reconciler.js';

describe('multiAttachMessage (reportMultiAttachError)', () => {
  it('has the four upstream variants', () => {
    expect(multiAttachMessage('pv-1', 'default', [])).toBe(
      'Multi-Attach error for volume "pv-1" Volume is already exclusively attached to one node and can\'t be attached to another',
    );
    expect(multiAttachMessage('pv-1', 'default', [{ namespace: 'default', name: 'a' }, { namespace: 'default', name: 'b' }])).toBe(
      'Multi-Attach error for volume "pv-1" Volume is already used by pod(s) a, b',
    );
    expect(multiAttachMessage('pv-1', 'default', [{ namespace: 'default', name: 'a' }, { namespace: 'x', name: 'c' }])).toBe(
      'Multi-Attach error for volume "pv-1" Volume is already used by pod(s) a and 1 pod(s) in different namespaces',
    );
    expect(multiAttachMessage('pv-1', 'default', [{ namespace: 'x', name: 'c' }, { namespace: 'y', name: 'd' }])).toBe(
      'Multi-Attach error for volume "pv-1" Volume is already used by 2 pod(s) in different namespaces',
    );
  });
});

describe('the 60 s verification (reconcile sync)', () => {
  /** A reconciler with only what sync reads; the executor records what it is asked. */
  const harness = (pvsByName: Map<string, PersistentVolume>) => {
    const sim = createSimulation({ seed: 'verify-groups' });
    const asw = new ActualStateOfWorld();
    const vsphere = new FakeAttachablePlugin(sim.clock, { name: 'vsphere', canSupport: (pv) => pv.metadata?.name?.startsWith('vs') === true });
    const other = new FakeAttachablePlugin(sim.clock, { name: 'other' });
    const asked: string[] = [];
    const executor = {
      verifyVolumesAreAttached: (plugin: { name: string }, volumes: readonly VolumeToDetach[], nodeName: string) => {
        asked.push(`${plugin.name}@${nodeName}: ${volumes.map((v) => `${v.volumeName}(${v.pv.metadata?.name ?? ''})`).join(' ')}`);
      },
    } as unknown as OperationExecutor;
    const deps = { clock: sim.clock, profile: profile114, asw, executor, plugins: [vsphere, other], pvFor: (name: string) => pvsByName.get(name), owner: 'test' } as unknown as ReconcilerDeps;
    return { asw, asked, reconciler: new Reconciler(deps) };
  };
  const pv = (name: string): PersistentVolume => ({ metadata: { name } });
  /** What a sync with a fresh walk asks, in order. */
  const fresh = (reconciler: Reconciler): string[] =>
    reconciler.verifyGroupsFresh().groups.map((g) => `${g.plugin.name}@${g.nodeName}: ${g.volumes.map((v) => `${v.volumeName}(${v.pv.metadata?.name ?? ''})`).join(' ')}`);

  it('asks, after each change of the actual state, what a fresh walk of every attachment would', () => {
    const pvs = new Map<string, PersistentVolume>();
    const { asw, asked, reconciler } = harness(pvs);
    const syncAndCompare = (): void => {
      asked.length = 0;
      reconciler.sync();
      expect(asked).toEqual(fresh(reconciler));
    };
    asw.markVolumeAsAttached('p/vs-1', pv('vs-1'), 'w2', '/dev/sdb');
    asw.markVolumeAsAttached('p/o-1', pv('o-1'), 'w2', '/dev/sdc');
    asw.markVolumeAsAttached('p/vs-2', pv('vs-2'), 'w1', '/dev/sdb');
    syncAndCompare();
    expect(asked).toEqual(['other@w2: p/o-1(o-1)', 'vsphere@w2: p/vs-1(vs-1)', 'vsphere@w1: p/vs-2(vs-2)']);
    const before = asw.attachmentsVersion;
    // Neither mount flags, detach timers nor node status lists are read by the sync.
    asw.setVolumesMountedByNode(Object.freeze(['p/vs-1']), 'w2');
    asw.setDetachRequestTime('p/vs-1', 'w2', 5);
    asw.removeVolumeFromReportAsAttached('p/vs-2', 'w1');
    asw.markVolumeAsAttached('p/vs-1', undefined, 'w2', '/dev/sdb');
    expect(asw.attachmentsVersion).toBe(before);
    syncAndCompare();
    // Uncertain entries are not asked about; confirmed again, they are.
    asw.markVolumeAsUncertain('p/vs-2', undefined, 'w1');
    syncAndCompare();
    expect(asked).toEqual(['other@w2: p/o-1(o-1)', 'vsphere@w2: p/vs-1(vs-1)']);
    asw.markVolumeAsAttached('p/vs-2', undefined, 'w1', '/dev/sdb');
    syncAndCompare();
    // A second node for a volume, a new PV for a known one, a detach.
    asw.markVolumeAsAttached('p/vs-1', pv('vs-1'), 'w1', '/dev/sdd');
    syncAndCompare();
    asw.markVolumeAsAttached('p/o-1', pv('vs-moved'), 'w2', '/dev/sdc');
    syncAndCompare();
    expect(asked).toEqual(['vsphere@w2: p/o-1(vs-moved) p/vs-1(vs-1)', 'vsphere@w1: p/vs-1(vs-1) p/vs-2(vs-2)']);
    asw.markVolumeAsDetached('p/vs-1', 'w2');
    syncAndCompare();
  });

  it('looks up again a PV known only by name (the lookup can change without the actual state)', () => {
    const pvs = new Map<string, PersistentVolume>();
    const { asw, asked, reconciler } = harness(pvs);
    asw.markVolumeAsAttached('p/vs-9', undefined, 'w1', '/dev/sdb');
    reconciler.sync();
    expect(asked).toEqual([]);
    pvs.set('p/vs-9', pv('vs-9'));
    reconciler.sync();
    expect(asked).toEqual(['vsphere@w1: p/vs-9(vs-9)']);
    // Filled in by setVolumeSpec: known from then on.
    asw.setVolumeSpec('p/vs-9', pv('vs-9b'));
    asked.length = 0;
    reconciler.sync();
    reconciler.sync();
    expect(asked).toEqual(['vsphere@w1: p/vs-9(vs-9b)', 'vsphere@w1: p/vs-9(vs-9b)']);
  });
});
