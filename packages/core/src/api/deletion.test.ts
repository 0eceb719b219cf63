import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { createSimulation } from '../simulation.js';
import { left, right } from '../testing/either.js';

const pod = (name: string, nodeName?: string, owner?: OwnerReference): Pod => ({
  metadata: { name, ...(owner ? { ownerReferences: [owner] } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx:1.17' }], ...(nodeName ? { nodeName } : {}) },
});

describe('graceful deletion', () => {
  it('keeps a bound Pod Terminating until it is deleted with grace 0', () => {
    const sim = createSimulation();
    const kubectl = sim.api.client('kubectl');
    right(kubectl.create('Pod', pod('web-0', 'w1')));
    sim.clock.runFor(10_000);
    const terminating = right(kubectl.delete('Pod', 'web-0'));
    expect(terminating.metadata?.deletionTimestamp).toBe('2019-06-01T00:00:40Z');
    expect(terminating.metadata?.deletionGracePeriodSeconds).toBe(30);
    sim.clock.runFor(3_600_000);
    expect(right(kubectl.get('Pod', 'web-0')).metadata?.deletionTimestamp).toBe('2019-06-01T00:00:40Z');
    const kubelet = sim.api.client('kubelet', 'node/w1');
    right(kubelet.delete('Pod', 'web-0', { gracePeriodSeconds: 0 }));
    expect(left(kubectl.get('Pod', 'web-0')).reason).toBe('NotFound');
  });

  it('removes at once a Pod that was never bound, and any Pod deleted with --grace-period=0', () => {
    const kubectl = createSimulation().api.client('kubectl');
    right(kubectl.create('Pod', pod('pending')));
    right(kubectl.create('Pod', pod('bound', 'w1')));
    right(kubectl.delete('Pod', 'pending'));
    right(kubectl.delete('Pod', 'bound', { gracePeriodSeconds: 0 }));
    expect(right(kubectl.list('Pod')).items).toHaveLength(0);
  });

  it('lets a later delete shorten the grace period but never lengthen it', () => {
    const sim = createSimulation();
    const kubectl = sim.api.client('kubectl');
    right(kubectl.create('Pod', pod('p', 'w1')));
    right(kubectl.delete('Pod', 'p', { gracePeriodSeconds: 60 }));
    const shorter = right(kubectl.delete('Pod', 'p', { gracePeriodSeconds: 10 }));
    expect(shorter.metadata?.deletionGracePeriodSeconds).toBe(10);
    expect(shorter.metadata?.deletionTimestamp).toBe('2019-06-01T00:00:10Z');
    const longer = right(kubectl.delete('Pod', 'p', { gracePeriodSeconds: 120 }));
    expect(longer.metadata?.deletionGracePeriodSeconds).toBe(10);
    expect(longer.metadata?.resourceVersion).toBe(shorter.metadata?.resourceVersion);
  });

  it('checks delete preconditions', () => {
    const kubectl = createSimulation().api.client('kubectl');
    right(kubectl.create('Pod', pod('p', 'w1')));
    const failed = left(kubectl.delete('Pod', 'p', { preconditions: { uid: 'other' } }));
    expect(failed.reason).toBe('Conflict');
    expect(failed.message).toContain('Precondition failed: UID in precondition: other');
  });
});

describe('finalizers', () => {
  it('keep an object with a deletionTimestamp until the last one is removed', () => {
    const client = createSimulation().api.client('pv-protection-controller');
    right(client.create('PersistentVolumeClaim', {
      metadata: { name: 'data', finalizers: ['kubernetes.io/pvc-protection'] },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }));
    const deleting = right(client.delete('PersistentVolumeClaim', 'data'));
    expect(deleting.metadata?.deletionTimestamp).toBe('2019-06-01T00:00:00Z');
    expect(deleting.metadata?.deletionGracePeriodSeconds).toBe(0);
    const stillThere = right(client.get('PersistentVolumeClaim', 'data'));
    expect(stillThere.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    const added = left(client.update('PersistentVolumeClaim', { ...stillThere, metadata: { ...stillThere.metadata, finalizers: ['kubernetes.io/pvc-protection', 'x'] } }));
    expect(added.message).toContain('no new finalizers can be added if the object is being deleted');
    right(client.patch('PersistentVolumeClaim', 'data', { metadata: { finalizers: null } }, { type: 'merge' }));
    expect(left(client.get('PersistentVolumeClaim', 'data')).reason).toBe('NotFound');
  });

  it('keep a bound Pod with grace 0 until removed too', () => {
    const client = createSimulation().api.client('test');
    right(client.create('Pod', { ...pod('p', 'w1'), metadata: { name: 'p', finalizers: ['example.com/hold'] } }));
    right(client.delete('Pod', 'p', { gracePeriodSeconds: 0 }));
    expect(right(client.get('Pod', 'p')).metadata?.deletionGracePeriodSeconds).toBe(0);
    right(client.patch('Pod', 'p', { metadata: { finalizers: [] } }, { type: 'merge' }));
    expect(left(client.get('Pod', 'p')).reason).toBe('NotFound');
  });
});

describe('cascading deletion through ownerReferences', () => {
  const setup = () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const rs = right(client.create('ReplicaSet', {
      metadata: { name: 'web-abc' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    }));
    const owner: OwnerReference = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: rs.metadata!.uid!, controller: true, blockOwnerDeletion: true };
    right(client.create('Pod', pod('web-abc-1', undefined, owner)));
    right(client.create('Pod', pod('web-abc-2', 'w1', owner)));
    return { sim, client };
  };

  it('deletes dependents in the background once the owner is gone', () => {
    const { client } = setup();
    right(client.delete('ReplicaSet', 'web-abc'));
    expect(left(client.get('ReplicaSet', 'web-abc')).reason).toBe('NotFound');
    expect(left(client.get('Pod', 'web-abc-1')).reason).toBe('NotFound');
    // The bound pod is deleted gracefully, like any other delete: it is now Terminating.
    expect(right(client.get('Pod', 'web-abc-2')).metadata?.deletionTimestamp).toBeDefined();
  });

  it('orphans dependents with propagationPolicy Orphan', () => {
    const { client } = setup();
    right(client.delete('ReplicaSet', 'web-abc', { propagationPolicy: 'Orphan' }));
    expect(left(client.get('ReplicaSet', 'web-abc')).reason).toBe('NotFound');
    const kept = right(client.list('Pod')).items;
    expect(kept.map((p) => p.metadata?.name)).toEqual(['web-abc-1', 'web-abc-2']);
    expect(kept.every((p) => p.metadata?.ownerReferences === undefined && !p.metadata?.deletionTimestamp)).toBe(true);
  });

  it('removes the owner last with propagationPolicy Foreground', () => {
    const { client } = setup();
    right(client.delete('ReplicaSet', 'web-abc', { propagationPolicy: 'Foreground' }));
    const owner = right(client.get('ReplicaSet', 'web-abc'));
    expect(owner.metadata?.finalizers).toEqual(['foregroundDeletion']);
    right(client.delete('Pod', 'web-abc-2', { gracePeriodSeconds: 0 }));
    expect(left(client.get('ReplicaSet', 'web-abc')).reason).toBe('NotFound');
  });

  it('empties a terminating namespace before removing it', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    right(client.create('Namespace', { metadata: { name: 'cassandra' } }));
    right(client.create('Pod', { ...pod('db', 'w1'), metadata: { name: 'db', namespace: 'cassandra' } }));
    const ns = right(client.delete('Namespace', 'cassandra'));
    expect(ns.status?.phase).toBe('Terminating');
    expect(left(client.create('Pod', { ...pod('late'), metadata: { name: 'late', namespace: 'cassandra' } })).message).toBe(
      'pods "late" is forbidden: unable to create new content in namespace cassandra because it is being terminated',
    );
    expect(right(client.get('Namespace', 'cassandra')).status?.phase).toBe('Terminating');
    right(client.delete('Pod', 'db', { namespace: 'cassandra', gracePeriodSeconds: 0 }));
    expect(left(client.get('Namespace', 'cassandra')).reason).toBe('NotFound');
  });
});

describe('eviction', () => {
  const setup = (disruptionsAllowed: number) => {
    const client = createSimulation().api.client('kubectl');
    right(client.create('Pod', { ...pod('db-0', 'w1'), metadata: { name: 'db-0', labels: { app: 'db' } } }));
    right(client.updateStatus('Pod', { ...right(client.get('Pod', 'db-0')), status: { phase: 'Running' } }));
    const pdb = right(client.create('PodDisruptionBudget', { metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } }));
    right(client.updateStatus('PodDisruptionBudget', { ...pdb, status: { disruptionsAllowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } }));
    return client;
  };

  it('is refused with 429 while the disruption budget allows none', () => {
    const client = setup(0);
    const refused = left(client.evict('db-0', 'default'));
    expect(refused).toMatchObject({ reason: 'TooManyRequests', code: 429, message: "Cannot evict pod as it would violate the pod's disruption budget." });
    expect(refused.details?.causes?.[0]?.message).toBe('The disruption budget db needs 1 healthy pods and has 1 currently');
    expect(right(client.get('Pod', 'db-0')).metadata?.deletionTimestamp).toBeUndefined();
  });

  it('deletes gracefully and takes one disruption when the budget allows it', () => {
    const client = setup(1);
    expect(right(client.evict('db-0', 'default')).metadata?.deletionTimestamp).toBeDefined();
    const pdb = right(client.get('PodDisruptionBudget', 'db'));
    expect(pdb.status?.disruptionsAllowed).toBe(0);
    expect(Object.keys(pdb.status?.disruptedPods ?? {})).toEqual(['db-0']);
  });
});
