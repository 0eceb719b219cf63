import { describe, expect, it } from '@jest/globals';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { createSimulation } from '../simulation.js';
import { left, right } from '../testing/either.js';
import type { KubeObject } from './resources.js';

const ownerRef = (owner: KubeObject): OwnerReference => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  name: owner.metadata?.name ?? '',
  uid: owner.metadata?.uid ?? '',
});

// Leases stand for any owner and dependent: the collector treats every kind alike.
const lease = (name: string, owners: readonly KubeObject[] = []): Lease => ({
  metadata: { name, ...(owners.length ? { ownerReferences: owners.map(ownerRef) } : {}) },
  spec: { holderIdentity: 'w0' },
});

const setup = () => {
  const sim = createSimulation();
  const kubectl = sim.api.client('kubectl');
  /** Names of the Leases the garbage collector deleted, in order. */
  const collected = (): string[] =>
    sim.trace.entries.flatMap((e) => (e.type === 'write' && e.verb === 'remove' && e.by.startsWith('garbage-collector') ? [e.name] : []));
  return { sim, kubectl, collected };
};

describe('GarbageCollector', () => {
  it('deletes the dependents of a deleted owner in the order of their last writes', () => {
    const { kubectl, collected } = setup();
    const owner = right(kubectl.create('Lease', lease('owner')));
    for (const name of ['a', 'b', 'c']) right(kubectl.create('Lease', lease(name, [owner])));
    // Writes that keep the owners still count as the dependents' last writes.
    right(kubectl.patch('Lease', 'a', { spec: { holderIdentity: 'w1' } }, { type: 'merge' }));
    right(kubectl.patch('Lease', 'b', { spec: { holderIdentity: 'w1' } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'owner'));
    expect(collected()).toEqual(['c', 'a', 'b']);
    expect(right(kubectl.list('Lease')).items).toHaveLength(0);
  });

  it('follows owner changes: a dependent moved to another owner stays with it', () => {
    const { kubectl, collected } = setup();
    const first = right(kubectl.create('Lease', lease('first')));
    const second = right(kubectl.create('Lease', lease('second')));
    right(kubectl.create('Lease', lease('moved', [first])));
    right(kubectl.create('Lease', lease('both', [first, second])));
    right(kubectl.patch('Lease', 'moved', { metadata: { ownerReferences: [ownerRef(second)] } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'first'));
    // "both" still has an owner; "moved" no longer names the deleted one.
    expect(collected()).toEqual([]);
    right(kubectl.delete('Lease', 'second'));
    // "moved" was written last (its owner change), so it goes last.
    expect(collected()).toEqual(['both', 'moved']);
  });

  it('orphans dependents of an owner deleted with the orphan finalizer', () => {
    const { kubectl, collected } = setup();
    const owner = right(kubectl.create('Lease', lease('owner')));
    right(kubectl.create('Lease', lease('kept', [owner])));
    right(kubectl.delete('Lease', 'owner', { propagationPolicy: 'Orphan' }));
    expect(left(kubectl.get('Lease', 'owner')).reason).toBe('NotFound');
    expect(right(kubectl.get('Lease', 'kept')).metadata?.ownerReferences).toBeUndefined();
    // Only the owner goes, when the collector lifts its finalizer.
    expect(collected()).toEqual(['owner']);
  });

  it('deletes dependents first with foreground propagation, in the order of their last writes', () => {
    const { kubectl, collected } = setup();
    const owner = right(kubectl.create('Lease', lease('owner')));
    for (const name of ['a', 'b']) right(kubectl.create('Lease', lease(name, [owner])));
    right(kubectl.patch('Lease', 'a', { spec: { holderIdentity: 'w1' } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'owner', { propagationPolicy: 'Foreground' }));
    expect(collected()).toEqual(['b', 'a', 'owner']);
    expect(left(kubectl.get('Lease', 'owner')).reason).toBe('NotFound');
  });
});
