import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import {
  getPodVolumes,
  VOLUME_BIND_CONFLICT,
  VOLUME_CONFLICT_BIND,
  VOLUME_CONFLICT_NODE,
  VOLUME_NODE_CONFLICT,
  volumeConflicts,
  volumeReasons,
  type VolumeListers,
} from './volume-binding.js';

const pod: Pod = {
  metadata: { name: 'db-0', namespace: 'default' },
  spec: { containers: [], volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'a' } }, { name: 'b', persistentVolumeClaim: { claimName: 'b' } }] },
};

const claim = (name: string, extra: Partial<PersistentVolumeClaim> = {}): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  ...extra,
});

const listers = (claims: PersistentVolumeClaim[], volumes: PersistentVolume[] = [], classes: StorageClass[] = []): VolumeListers => ({
  claim: (_ns, name) => claims.find((c) => c.metadata?.name === name),
  volume: (name) => volumes.find((v) => v.metadata?.name === name),
  storageClass: (name) => classes.find((c) => c.metadata?.name === name),
  volumes: () => volumes,
});

const boundClaim = (name: string, volumeName: string): PersistentVolumeClaim =>
  claim(name, { metadata: { name, namespace: 'default', annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } }, spec: { volumeName } });

describe('getPodVolumes', () => {
  it('fails for a missing or deleted claim', () => {
    expect(getPodVolumes(pod, listers([claim('a')]))).toEqual(E.left('persistentvolumeclaim "b" not found'));
    expect(getPodVolumes(pod, listers([claim('a'), claim('b', { metadata: { name: 'b', deletionTimestamp: 'x' } })]))).toEqual(
      E.left('persistentvolumeclaim "b" is being deleted'),
    );
  });

  it('answers a pod without claims with an empty, shared result', () => {
    const plain: Pod = { metadata: { name: 'web', namespace: 'default' }, spec: { containers: [], volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }] } };
    const empty = { boundVolumes: [], missingVolumes: [], delayedClaims: [], unboundImmediate: false };
    expect(getPodVolumes(plain, listers([]))).toEqual(E.right(empty));
    expect(getPodVolumes({ metadata: { name: 'bare' } }, listers([]))).toBe(getPodVolumes(plain, listers([])));
  });

  it('sorts claims into bound, delayed and unbound Immediate', () => {
    const wffc: StorageClass = { metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' };
    const pv: PersistentVolume = { metadata: { name: 'pv-a' }, spec: {} };
    const result = getPodVolumes(pod, listers([boundClaim('a', 'pv-a'), claim('b', { spec: { storageClassName: 'local' } })], [pv], [wffc]));
    expect(E.isRight(result) && result.right.boundVolumes).toEqual([pv]);
    expect(E.isRight(result) && result.right.delayedClaims.length).toBe(1);
    expect(E.isRight(result) && result.right.unboundImmediate).toBe(false);
    const immediate = getPodVolumes(pod, listers([boundClaim('a', 'gone'), claim('b')]));
    expect(E.isRight(immediate) && [immediate.right.unboundImmediate, immediate.right.missingVolumes]).toEqual([true, ['gone']]);
  });
});

describe('volumeReasons', () => {
  const node = (name: string, zone: string): Node => ({ metadata: { name, labels: { zone } } });

  it('rejects a node a bound volume cannot reach', () => {
    const pv: PersistentVolume = {
      metadata: { name: 'pv-a' },
      spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
    };
    const volumes = { boundVolumes: [pv], missingVolumes: [], delayedClaims: [], unboundImmediate: false };
    expect(volumeReasons(volumes, node('w1', 'a'), listers([]))).toEqual([]);
    expect(volumeReasons(volumes, node('w2', 'b'), listers([]))).toEqual([VOLUME_NODE_CONFLICT]);
  });

  it('accepts a node where a delayed claim can be provisioned or was selected', () => {
    const zoned: StorageClass = {
      metadata: { name: 'zoned' },
      provisioner: 'failsim.io/fake',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: ['a'] }] }],
    };
    const delayed = (c: PersistentVolumeClaim) => ({ boundVolumes: [], missingVolumes: [], delayedClaims: [{ claim: c, storageClass: zoned }], unboundImmediate: false });
    expect(volumeReasons(delayed(claim('a')), node('w1', 'a'), listers([]))).toEqual([]);
    expect(volumeReasons(delayed(claim('a')), node('w2', 'b'), listers([]))).toEqual([VOLUME_BIND_CONFLICT]);
    const selected = claim('a', { metadata: { name: 'a', annotations: { 'volume.kubernetes.io/selected-node': 'w9' } } });
    expect(volumeReasons(delayed(selected), node('w1', 'a'), listers([]))).toEqual([VOLUME_BIND_CONFLICT]);
    expect(volumeReasons(delayed(selected), node('w9', 'b'), listers([]))).toEqual([]);
  });
});

describe('volumeConflicts', () => {
  it('has a bit for each reason volumeReasons gives, in every combination', () => {
    const node = (name: string, zone: string): Node => ({ metadata: { name, labels: { zone } } });
    const inZone = (zone: string): PersistentVolume => ({
      metadata: { name: `pv-${zone}` },
      spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [zone] }] }] } } },
    });
    const zoned: StorageClass = {
      metadata: { name: 'zoned' },
      provisioner: 'failsim.io/fake',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: ['a'] }] }],
    };
    const bits = (reasons: string[]) => (reasons.includes(VOLUME_NODE_CONFLICT) ? VOLUME_CONFLICT_NODE : 0) | (reasons.includes(VOLUME_BIND_CONFLICT) ? VOLUME_CONFLICT_BIND : 0);
    const seen = new Set<number>();
    for (const bound of [[], [inZone('a')], [inZone('b'), inZone('a')]])
      for (const delayed of [[], [{ claim: claim('c'), storageClass: zoned }]])
        for (const n of [node('w1', 'a'), node('w2', 'b')]) {
          const volumes = { boundVolumes: bound, missingVolumes: [], delayedClaims: delayed, unboundImmediate: false };
          const conflicts = volumeConflicts(volumes, n, listers([]));
          expect(conflicts).toBe(bits(volumeReasons(volumes, n, listers([]))));
          seen.add(conflicts);
        }
    expect([...seen].sort()).toEqual([0, VOLUME_CONFLICT_NODE, VOLUME_CONFLICT_BIND, VOLUME_CONFLICT_NODE | VOLUME_CONFLICT_BIND].sort());
  });
});
