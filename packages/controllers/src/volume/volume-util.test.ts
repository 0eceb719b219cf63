import { describe, expect, it } from '@jest/globals';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import {
  ANN_BETA_STORAGE_CLASS,
  ANN_BIND_COMPLETED,
  claimClass,
  claimKey,
  claimRefKey,
  isClaimBound,
  isPodTerminated,
  isVolumeBoundToClaim,
  podClaimNames,
  volumeClass,
} from './volume-util.js';

const claim: PersistentVolumeClaim = { metadata: { name: 'data-web-0', namespace: 'db', uid: 'c1' }, spec: { storageClassName: 'fast' } };

describe('class helpers', () => {
  it('prefer the beta annotation, then the field, then ""', () => {
    expect(claimClass(claim)).toBe('fast');
    expect(claimClass({ metadata: { annotations: { [ANN_BETA_STORAGE_CLASS]: 'old' } }, spec: { storageClassName: 'fast' } })).toBe('old');
    expect(claimClass({ spec: {} })).toBe('');
    expect(volumeClass({ spec: { storageClassName: 'fast' } })).toBe('fast');
  });
});

describe('binding helpers', () => {
  it('match a claimRef by name and namespace, with the uid when it has one', () => {
    const pv = (uid?: string): PersistentVolume => ({ metadata: { name: 'pv' }, spec: { claimRef: { name: 'data-web-0', namespace: 'db', uid } } });
    expect(isVolumeBoundToClaim(pv(), claim)).toBe(true);
    expect(isVolumeBoundToClaim(pv('c1'), claim)).toBe(true);
    expect(isVolumeBoundToClaim(pv('other'), claim)).toBe(false);
    expect(claimRefKey(pv())).toBe('db/data-web-0');
    expect(claimKey(claim)).toBe('db/data-web-0');
  });

  it('call a claim bound only with a volume name and bind-completed', () => {
    expect(isClaimBound({ spec: { volumeName: 'pv' } })).toBe(false);
    expect(isClaimBound({ metadata: { annotations: { [ANN_BIND_COMPLETED]: 'yes' } }, spec: { volumeName: 'pv' } })).toBe(true);
  });
});

describe('pod helpers', () => {
  const pod = (extra: Partial<Pod>): Pod => ({
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c' }], volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'x' } }, { name: 'b', emptyDir: {} }] },
    ...extra,
  });

  it('lists claim names', () => {
    expect(podClaimNames(pod({}))).toEqual(['x']);
  });

  it('calls a pod terminated when terminal, or deleted with no running container', () => {
    expect(isPodTerminated(pod({ status: { phase: 'Running' } }))).toBe(false);
    expect(isPodTerminated(pod({ status: { phase: 'Failed' } }))).toBe(true);
    const deleting = { name: 'p', deletionTimestamp: '2019-06-01T00:00:30Z' };
    expect(isPodTerminated(pod({ metadata: deleting, status: { containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] } }))).toBe(false);
    expect(isPodTerminated(pod({ metadata: deleting, status: { containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } }] } }))).toBe(true);
  });
});
