import { describe, expect, it } from '@jest/globals';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { MatchableVolumes } from './matchable-volumes.js';

const pv = (name: string, phase: string, claim?: string, deleting = false): PersistentVolume => ({
  metadata: { name, ...(deleting ? { deletionTimestamp: '2019-06-01T00:00:00Z' } : {}) },
  spec: claim ? { claimRef: { namespace: claim.split('/')[0], name: claim.split('/')[1] } } : {},
  status: { phase },
});
const names = (list: readonly PersistentVolume[]) => list.map((v) => v.metadata?.name);

describe('MatchableVolumes', () => {
  it('keeps the Available volumes in name order whatever order they arrive in', () => {
    const m = new MatchableVolumes();
    for (const name of ['pv-c', 'pv-a', 'pv-b']) m.apply({ type: 'ADDED', object: pv(name, 'Available') });
    m.apply({ type: 'ADDED', object: pv('pv-0', 'Bound', 'ns/other') });
    expect(names(m.for('ns/claim'))).toEqual(['pv-a', 'pv-b', 'pv-c']);
  });

  it('puts the volumes pre-bound to a claim first, and only for that claim', () => {
    const m = new MatchableVolumes();
    m.apply({ type: 'ADDED', object: pv('pv-a', 'Available') });
    m.apply({ type: 'ADDED', object: pv('pv-z', 'Available', 'ns/claim') });
    expect(names(m.for('ns/claim'))).toEqual(['pv-z', 'pv-a']);
    expect(names(m.for('ns/else'))).toEqual(['pv-a']);
  });

  it('follows a volume through binding, deletion and removal', () => {
    const m = new MatchableVolumes();
    const available = pv('pv-a', 'Available');
    m.apply({ type: 'ADDED', object: available });
    const bound = pv('pv-a', 'Bound', 'ns/claim');
    m.apply({ type: 'MODIFIED', object: bound, old: available });
    expect(names(m.for('ns/other'))).toEqual([]);
    expect(names(m.for('ns/claim'))).toEqual(['pv-a']);
    const deleting = pv('pv-a', 'Released', 'ns/claim', true);
    m.apply({ type: 'MODIFIED', object: deleting, old: bound });
    expect(names(m.for('ns/claim'))).toEqual([]);
    m.apply({ type: 'DELETED', object: deleting, old: deleting });
    const released = pv('pv-b', 'Available');
    m.apply({ type: 'ADDED', object: released });
    m.apply({ type: 'DELETED', object: released, old: released });
    expect(names(m.for('ns/claim'))).toEqual([]);
  });

  it('replaces a changed Available volume in place', () => {
    const m = new MatchableVolumes();
    const v1 = pv('pv-a', 'Available');
    m.apply({ type: 'ADDED', object: v1 });
    const v2 = { ...pv('pv-a', 'Available'), metadata: { name: 'pv-a', labels: { x: 'y' } } };
    m.apply({ type: 'MODIFIED', object: v2, old: v1 });
    expect(m.for('ns/c')).toEqual([v2]);
  });
});
