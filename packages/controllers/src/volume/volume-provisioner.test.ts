import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { FakeProvisioner } from './volume-provisioner.js';

const claim = { metadata: { name: 'data', namespace: 'default', uid: 'u1' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
const storageClass = { metadata: { name: 'fast' }, provisioner: 'failsim.io/fake' };

describe('FakeProvisioner', () => {
  it('makes a volume of the requested size and access modes, and deletes it', () => {
    const fake = new FakeProvisioner();
    const result = fake.provision(claim, storageClass, { pvName: 'pvc-u1', reclaimPolicy: 'Delete' });
    expect(E.isRight(result) && result.right.spec).toEqual({
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      hostPath: { path: '/tmp/failsim/pvc-u1' },
    });
    expect([...fake.volumes]).toEqual(['pvc-u1']);
    expect(E.isRight(fake.delete({ metadata: { name: 'pvc-u1' } }))).toBe(true);
    expect(fake.volumes.size).toBe(0);
    expect(fake.calls).toEqual([
      { op: 'provision', name: 'pvc-u1' },
      { op: 'delete', name: 'pvc-u1' },
    ]);
  });

  it('fails the queued number of calls with the given messages', () => {
    const fake = new FakeProvisioner({ name: 'example.com/disk', provisionDurationMs: 5000 });
    fake.failProvisioning('quota exceeded');
    fake.failDeletion('disk is attached');
    expect(fake.provision(claim, storageClass, { pvName: 'pvc-u1', reclaimPolicy: 'Delete' })).toEqual(E.left('quota exceeded'));
    expect(E.isRight(fake.provision(claim, storageClass, { pvName: 'pvc-u1', reclaimPolicy: 'Delete' }))).toBe(true);
    expect(fake.delete({ metadata: { name: 'pvc-u1' } })).toEqual(E.left('disk is attached'));
    expect(fake.name).toBe('example.com/disk');
    expect(fake.provisionDurationMs).toBe(5000);
  });
});
