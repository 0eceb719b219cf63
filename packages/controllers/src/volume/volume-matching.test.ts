import { describe, expect, it } from '@jest/globals';
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { findMatchingVolume } from './volume-matching.js';

const pv = (name: string, storage: string, extra: Partial<NonNullable<PersistentVolume['spec']>> = {}, meta: Partial<NonNullable<PersistentVolume['metadata']>> = {}): PersistentVolume => ({
  metadata: { name, ...meta },
  spec: { capacity: { storage }, accessModes: ['ReadWriteOnce'], ...extra },
  status: { phase: 'Available' },
});

const claim = (spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'default', uid: 'c1' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, ...spec },
});

const name = (v: PersistentVolume | undefined): string | undefined => v?.metadata?.name;

describe('findMatchingVolume', () => {
  it('picks the smallest Available volume that is large enough', () => {
    expect(name(findMatchingVolume(claim(), [pv('a', '10Gi'), pv('b', '1Gi'), pv('c', '3Gi'), pv('d', '2Gi')]))).toBe('d');
  });

  it('prefers the access-mode group with the fewest modes, even over a smaller volume', () => {
    const volumes = [pv('rwo-rox', '2Gi', { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }), pv('rwo', '5Gi')];
    expect(name(findMatchingVolume(claim(), volumes))).toBe('rwo');
    expect(findMatchingVolume(claim({ accessModes: ['ReadWriteMany'] }), volumes)).toBeUndefined();
  });

  it('skips volumes of another class, phase, claim, selector, volume mode or being deleted', () => {
    const volumes = [
      pv('class', '5Gi', { storageClassName: 'fast' }),
      { ...pv('released', '5Gi'), status: { phase: 'Released' } },
      pv('claimed', '5Gi', { claimRef: { namespace: 'default', name: 'other' } }),
      pv('block', '5Gi', { volumeMode: 'Block' }),
      pv('deleting', '5Gi', {}, { deletionTimestamp: '2019-06-01T00:00:00Z' }),
      pv('gold', '5Gi', {}, { labels: { tier: 'gold' } }),
    ];
    expect(findMatchingVolume(claim({ selector: { matchLabels: { tier: 'silver' } } }), volumes)).toBeUndefined();
    expect(name(findMatchingVolume(claim({ selector: { matchLabels: { tier: 'gold' } } }), volumes))).toBe('gold');
    expect(name(findMatchingVolume(claim({ storageClassName: 'fast' }), volumes))).toBe('class');
  });

  it('returns a volume pre-bound to the claim whatever its phase, but leaves delayed binding to the scheduler', () => {
    const reserved = { ...pv('reserved', '5Gi', { claimRef: { namespace: 'default', name: 'data' } }), status: { phase: 'Pending' } };
    expect(name(findMatchingVolume(claim(), [pv('free', '2Gi'), reserved]))).toBe('reserved');
    expect(name(findMatchingVolume(claim(), [pv('free', '2Gi'), reserved], { delayBinding: true }))).toBe('reserved');
    expect(findMatchingVolume(claim(), [pv('free', '2Gi')], { delayBinding: true })).toBeUndefined();
  });

  it('on the scheduler path, keeps to volumes whose node affinity allows the node', () => {
    const zoned = (n: string, zone: string) =>
      pv(n, '2Gi', { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [zone] }] }] } } });
    const node: Node = { metadata: { name: 'w1', labels: { zone: 'b' } } };
    expect(name(findMatchingVolume(claim(), [zoned('in-a', 'a'), zoned('in-b', 'b')], { node }))).toBe('in-b');
  });
});
