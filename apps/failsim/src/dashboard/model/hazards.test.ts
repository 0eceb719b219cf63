import { describe, expect, it } from '@jest/globals';
import type { HazardRecord } from '@failsim/scenarios';
import { afterForceDelete } from '../test-session.js';
import { chainHazardKinds, hazardBadge, hazardMarks, podHazards, sampleHazards } from './hazards.js';
import { samplePods } from './pods.js';
import { sampleStorage } from './storage.js';

const split: HazardRecord = { at: 806.512, kind: 'SplitBrain', object: 'Pod/cassandra/cassandra-0', message: '2 copies …' };
const detached: HazardRecord = { at: 791, kind: 'DetachedWhileMounted', object: 'Pod/cassandra/cassandra-0', message: 'disk … removed' };
const deleted: HazardRecord = { at: 900, kind: 'VolumeDataDeleted', object: 'PersistentVolume/pvc-2', message: 'VMDK deleted' };

describe('hazards model', () => {
  it('lists hazards newest first with their T+ time, kind and the object as the transcript names it', () => {
    expect(sampleHazards([detached, split])).toEqual([
      { time: 'T+13:26', kind: 'SplitBrain', object: 'pod/cassandra/cassandra-0', objectKey: 'Pod/cassandra/cassandra-0', message: '2 copies …' },
      { time: 'T+13:11', kind: 'DetachedWhileMounted', object: 'pod/cassandra/cassandra-0', objectKey: 'Pod/cassandra/cassandra-0', message: 'disk … removed' },
    ]);
  });

  it('badges the count in words', () => {
    expect(hazardBadge(0)).toBe('');
    expect(hazardBadge(1)).toBe('⚠ 1 hazard');
    expect(hazardBadge(2)).toBe('⚠ 2 hazards');
  });

  it('marks the pod a hazard names and the storage chain of its pod or of its PV', () => {
    const marks = hazardMarks([detached, split, deleted, split]);
    expect(marks.get('Pod/cassandra/cassandra-0')).toEqual(['DetachedWhileMounted', 'SplitBrain']);
    const pod = { namespace: 'cassandra', ready: '1/1', status: 'Running', restarts: 0, age: '1m', node: 'worker-0' };
    expect(podHazards([{ ...pod, name: 'cassandra-0' }, { ...pod, name: 'cassandra-1' }], marks)).toEqual([true, false]);
    const chain = { podNode: 'worker-0', pvc: 'cassandra/data', pvcPhase: 'Bound', vmdk: '-', vms: [], attachedPerKubernetes: [], lock: '-' };
    expect(chainHazardKinds({ ...chain, pod: '-', pv: 'pvc-2' }, marks)).toEqual(['VolumeDataDeleted']);
    expect(chainHazardKinds({ ...chain, pod: 'cassandra/cassandra-0', pv: 'pvc-1' }, marks)).toEqual(['DetachedWhileMounted', 'SplitBrain']);
    expect(chainHazardKinds({ ...chain, pod: 'cassandra/cassandra-1', pv: 'pvc-1' }, marks)).toEqual([]);
  });

  it('on force-delete-pod: none 5m55s after the force delete; DetachedWhileMounted then SplitBrain within 6m..7m, on cassandra-0 and its chain', () => {
    const early = afterForceDelete(355);
    expect(early.hazards).toEqual([]);
    const session = afterForceDelete(390);
    const t0 = session.run.finish().steps.find((s) => s.command === 'kubectl delete pod cassandra-0 -n cassandra --force --grace-period=0')?.at ?? Number.NaN;
    expect(session.hazards.map((h) => [h.kind, h.object])).toEqual([
      ['DetachedWhileMounted', 'Pod/cassandra/cassandra-0'],
      ['SplitBrain', 'Pod/cassandra/cassandra-0'],
    ]);
    for (const h of session.hazards) {
      expect(h.at - t0).toBeGreaterThanOrEqual(360);
      expect(h.at - t0).toBeLessThanOrEqual(420);
    }
    expect(session.hazards[0]!.message).toMatch(/^disk \[vsanDatastore\] kubevols\/kubernetes-dynamic-pvc-[0-9a-f-]+\.vmdk of PersistentVolume pvc-[0-9a-f-]+ was removed from VM worker-2 while Pod cassandra\/cassandra-0 on node worker-2 still has it mounted$/);
    expect(session.hazards[1]!.message).toMatch(/^2 copies of StatefulSet cassandra\/cassandra identity cassandra-0 are running at once: .* on node worker-2 \(partitioned\) and pod uid .* on node worker-0; both may write the same data$/);
    // The same hazards the batch result reports (run.finish().hazards).
    expect(session.run.finish().hazards).toEqual(session.hazards);
    const marks = hazardMarks(session.hazards);
    const pods = samplePods(session.run);
    expect(pods.filter((_, i) => podHazards(pods, marks)[i]).map((p) => `${p.namespace}/${p.name}`)).toEqual(['cassandra/cassandra-0']);
    expect(sampleStorage(session.run).map((c) => chainHazardKinds(c, marks))).toEqual([['DetachedWhileMounted', 'SplitBrain']]);
  });

  it('a restart starts the hazard list afresh', () => {
    const session = afterForceDelete(390);
    expect(session.hazards).toHaveLength(2);
    session.restart();
    expect(session.hazards).toEqual([]);
    session.stop();
  });
});
