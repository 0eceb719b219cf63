import { describe, expect, it } from '@jest/globals';
import { config } from 'rxjs';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { createSimulation } from '../simulation.js';
import { left, right } from '../testing/either.js';
import { GarbageCollector } from './garbage-collector.js';
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

  it('orders dependents of several kinds by their last writes, and forgets a deleted object of a kind', () => {
    // Updates find their record among the objects of their kind: a dependent of another
    // kind, re-created under the same name (a new uid), must keep the one order of writes.
    const { kubectl, sim } = setup();
    const owner = right(kubectl.create('Lease', lease('owner')));
    const ref = ownerRef(owner);
    right(kubectl.create('Lease', lease('l', [owner])));
    right(kubectl.create('PersistentVolume', { metadata: { name: 'pv', ownerReferences: [ref] }, spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } }));
    right(kubectl.create('Lease', lease('m', [owner])));
    right(kubectl.patch('PersistentVolume', 'pv', { metadata: { labels: { a: 'b' } } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'm'));
    right(kubectl.create('Lease', lease('m', [owner])));
    right(kubectl.patch('Lease', 'l', { spec: { holderIdentity: 'w1' } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'owner'));
    const removed = sim.trace.entries.flatMap((e) => (e.type === 'write' && e.verb === 'remove' && e.by.startsWith('garbage-collector') ? [`${e.kind}/${e.name}`] : []));
    expect(removed).toEqual(['PersistentVolume/pv', 'Lease/m', 'Lease/l']);
    expect(right(kubectl.list('Lease')).items).toHaveLength(0);
    expect(right(kubectl.list('PersistentVolume')).items).toHaveLength(0);
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

  it('finds an owner by uid whatever kind the reference names, and lists a twice-named owner once', () => {
    // The records are indexed by kind; an owner reference with another kind must still find
    // its owner (upstream's graph is by uid), and a dependent that names one owner twice is
    // collected once.
    const { kubectl, collected } = setup();
    const owner = right(kubectl.create('Lease', lease('owner')));
    const other = right(kubectl.create('Lease', lease('other')));
    const misnamed = { ...ownerRef(owner), kind: 'ConfigMap' };
    right(kubectl.create('Lease', { metadata: { name: 'misnamed', ownerReferences: [ownerRef(other), misnamed] }, spec: {} }));
    right(kubectl.create('Lease', { metadata: { name: 'twice', ownerReferences: [ownerRef(owner), ownerRef(owner)] }, spec: {} }));
    // "misnamed" keeps an owner that exists, under whatever kind its reference says.
    right(kubectl.delete('Lease', 'other'));
    expect(collected()).toEqual([]);
    right(kubectl.delete('Lease', 'owner'));
    expect(collected()).toEqual(['misnamed', 'twice']);
    expect(right(kubectl.list('Lease')).items).toHaveLength(0);
  });

  it('forgets a deleted dependent: a later owner deletion does not list it again', () => {
    const { kubectl, collected } = setup();
    const owner = right(kubectl.create('Lease', lease('owner')));
    for (const name of ['a', 'b', 'c']) right(kubectl.create('Lease', lease(name, [owner])));
    right(kubectl.delete('Lease', 'b'));
    right(kubectl.create('Lease', lease('b', [owner])));
    right(kubectl.delete('Lease', 'owner'));
    expect(collected()).toEqual(['a', 'c', 'b']);
  });

  it('keeps each owner\'s dependents right through removals, owner changes and second owners', () => {
    // A record knows its place in its first owner's list (removal without a scan): removals
    // from the middle move the last record into the hole, and owner changes move records
    // between lists; every owner must still collect exactly its own dependents.
    const { kubectl, collected } = setup();
    const x = right(kubectl.create('Lease', lease('x')));
    const y = right(kubectl.create('Lease', lease('y')));
    const names = Array.from({ length: 12 }, (_, i) => `d${i}`);
    names.forEach((name, i) => right(kubectl.create('Lease', lease(name, i % 3 === 0 ? [y, x] : [x]))));
    for (const name of ['d1', 'd5', 'd0']) right(kubectl.delete('Lease', name));
    // d2 moves from x to y; d4 gains y as a second owner; d6 (y first, then x) loses y.
    right(kubectl.patch('Lease', 'd2', { metadata: { ownerReferences: [ownerRef(y)] } }, { type: 'merge' }));
    right(kubectl.patch('Lease', 'd4', { metadata: { ownerReferences: [ownerRef(x), ownerRef(y)] } }, { type: 'merge' }));
    right(kubectl.patch('Lease', 'd6', { metadata: { ownerReferences: [ownerRef(x)] } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'd7'));
    // y's dependents still have x as an owner: only d2, whose sole owner y was, goes with y.
    right(kubectl.delete('Lease', 'y'));
    expect(collected()).toEqual(['d2']);
    right(kubectl.delete('Lease', 'x'));
    // In the order of their last writes: d3, d8, d9, d10, d11 (created), then d4, d6 (patched).
    expect(collected()).toEqual(['d2', 'd3', 'd8', 'd9', 'd10', 'd11', 'd4', 'd6']);
    expect(right(kubectl.list('Lease')).items).toHaveLength(0);
  });

  it('keeps owners\' dependents right when a second-owner list moves a record to the number of its place in its first owner\'s list', () => {
    // y's list [b, d, e] (d's place 1); x's list [a, d]: removing a moves d to place 0 of
    // x's list, whose length is then 1, d's place in y's list: its place goes stale (0), and
    // later removals from y's list must still find and move the right records.
    const { kubectl, collected } = setup();
    const y = right(kubectl.create('Lease', lease('y')));
    const x = right(kubectl.create('Lease', lease('x')));
    right(kubectl.create('Lease', lease('b', [y])));
    right(kubectl.create('Lease', lease('a', [x])));
    right(kubectl.create('Lease', lease('d', [y, x])));
    right(kubectl.create('Lease', lease('e', [y])));
    right(kubectl.delete('Lease', 'a'));
    right(kubectl.delete('Lease', 'd'));
    right(kubectl.delete('Lease', 'b'));
    // y's list is [e] alone, x's is empty.
    right(kubectl.delete('Lease', 'x'));
    expect(collected()).toEqual([]);
    right(kubectl.delete('Lease', 'y'));
    expect(collected()).toEqual(['e']);
    expect(right(kubectl.list('Lease')).items).toHaveLength(0);
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

  it('collects an object that gained its owner after creation, and keeps one that dropped its owners', () => {
    const { kubectl, collected } = setup();
    const owner = right(kubectl.create('Lease', lease('owner')));
    right(kubectl.create('Lease', lease('adopted')));
    right(kubectl.create('Lease', lease('released', [owner])));
    right(kubectl.patch('Lease', 'adopted', { metadata: { ownerReferences: [ownerRef(owner)] } }, { type: 'merge' }));
    right(kubectl.patch('Lease', 'released', { metadata: { ownerReferences: null } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'owner'));
    expect(collected()).toEqual(['adopted']);
    expect(right(kubectl.list('Lease')).items.map((l) => l.metadata?.name)).toEqual(['released']);
  });

  it('empties a terminating namespace: the objects in the order it first saw them, then the Events as listed', () => {
    const { sim, kubectl } = setup();
    right(kubectl.create('Namespace', { metadata: { name: 'team' } }));
    right(kubectl.create('Lease', { ...lease('a'), metadata: { name: 'a', namespace: 'team' } }));
    const involvedObject = { kind: 'Lease', namespace: 'team', name: 'a' };
    right(kubectl.create('Event', { metadata: { name: 'a.1', namespace: 'team' }, involvedObject, reason: 'Test', message: 'first' }));
    right(kubectl.create('Lease', { ...lease('b'), metadata: { name: 'b', namespace: 'team' } }));
    right(kubectl.create('Event', { metadata: { name: 'a.2', namespace: 'team' }, involvedObject, reason: 'Test', message: 'second' }));
    // A later write keeps an object's place.
    right(kubectl.patch('Lease', 'a', { spec: { holderIdentity: 'w9' } }, { type: 'merge', namespace: 'team' }));
    right(kubectl.delete('Namespace', 'team'));
    const removed = sim.trace.entries.flatMap((e) => (e.type === 'write' && e.verb === 'remove' && e.namespace === 'team' ? [`${e.kind}/${e.name}`] : []));
    // Upstream's namespace deleter goes one resource type at a time: the Events together.
    expect(removed).toEqual(['Lease/a', 'Lease/b', 'Event/a.1', 'Event/a.2']);
    expect(left(kubectl.get('Namespace', 'team')).reason).toBe('NotFound');
  });

  it('waits for an Event that cannot go yet before letting a namespace go', () => {
    const { sim, kubectl } = setup();
    right(kubectl.create('Namespace', { metadata: { name: 'team' } }));
    const involvedObject = { kind: 'Lease', namespace: 'team', name: 'a' };
    right(kubectl.create('Event', { metadata: { name: 'a.1', namespace: 'team' }, involvedObject, reason: 'Test', message: 'first' }));
    right(kubectl.create('Event', { metadata: { name: 'a.2', namespace: 'team', finalizers: ['example.com/hold'] }, involvedObject, reason: 'Test', message: 'held' }));
    right(kubectl.create('Event', { metadata: { name: 'a.3', namespace: 'team' }, involvedObject, reason: 'Test', message: 'third' }));
    right(kubectl.delete('Namespace', 'team'));
    const removed = () => sim.trace.entries.flatMap((e) => (e.type === 'write' && e.verb === 'remove' && e.namespace === 'team' ? [`${e.kind}/${e.name}`] : []));
    expect(removed()).toEqual(['Event/a.1', 'Event/a.3']);
    expect(right(kubectl.get('Namespace', 'team')).status?.phase).toBe('Terminating');
    expect(right(kubectl.get('Event', 'a.2', 'team')).metadata?.deletionTimestamp).toBeDefined();
    right(kubectl.patch('Event', 'a.2', { metadata: { finalizers: null } }, { type: 'merge', namespace: 'team' }));
    expect(removed()).toEqual(['Event/a.1', 'Event/a.3', 'Event/a.2']);
    expect(left(kubectl.get('Namespace', 'team')).reason).toBe('NotFound');
  });

  it('looks an ownerless Event up when a dependent names it as owner, and collects the dependent when it goes', () => {
    const { kubectl, collected } = setup();
    const involvedObject = { kind: 'Lease', namespace: 'default', name: 'x' };
    const event = right(kubectl.create('Event', { metadata: { name: 'x.1' }, involvedObject, reason: 'Test', message: 'owner' }));
    const byEvent: OwnerReference = { apiVersion: 'v1', kind: 'Event', name: 'x.1', uid: event.metadata?.uid ?? '' };
    right(kubectl.create('Lease', { metadata: { name: 'kept', ownerReferences: [byEvent] }, spec: { holderIdentity: 'w0' } }));
    // A reference to an Event of that name with another uid is dangling (upstream's isDangling).
    const stale: OwnerReference = { ...byEvent, uid: 'not-the-uid' };
    right(kubectl.create('Lease', { metadata: { name: 'stale', ownerReferences: [stale] }, spec: { holderIdentity: 'w0' } }));
    right(kubectl.create('Lease', lease('other')));
    right(kubectl.delete('Lease', 'other'));
    expect(collected()).toEqual([]);
    // The dependents are visited when an owner of theirs goes, here the stale one's other owner.
    const other = right(kubectl.create('Lease', lease('other2')));
    right(kubectl.patch('Lease', 'stale', { metadata: { ownerReferences: [stale, ownerRef(other)] } }, { type: 'merge' }));
    right(kubectl.patch('Lease', 'kept', { metadata: { ownerReferences: [byEvent, ownerRef(other)] } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'other2'));
    expect(collected()).toEqual(['stale']);
    right(kubectl.delete('Event', 'x.1'));
    expect(collected()).toEqual(['stale', 'kept']);
  });

  // Upstream's collector ignores Events (--gc-ignored-resources defaults to events): an
  // Event is never collected through its owners nor freed of a finalizer by the collector;
  // the Event TTL removes it. The API server's --event-ttl is an hour.
  const EVENT_TTL_MS = 60 * 60 * 1000;

  it('leaves an Event deleted with Foreground propagation to its TTL, and then collects its dependents', () => {
    const { sim, kubectl, collected } = setup();
    const involvedObject = { kind: 'Lease', namespace: 'default', name: 'x' };
    const event = right(kubectl.create('Event', { metadata: { name: 'x.1' }, involvedObject, reason: 'Test', message: 'owner' }));
    const byEvent: OwnerReference = { apiVersion: 'v1', kind: 'Event', name: 'x.1', uid: event.metadata?.uid ?? '', blockOwnerDeletion: true };
    right(kubectl.create('Lease', { metadata: { name: 'dep', ownerReferences: [byEvent], finalizers: ['example.com/hold'] }, spec: { holderIdentity: 'w0' } }));
    right(kubectl.delete('Event', 'x.1', { propagationPolicy: 'Foreground' }));
    right(kubectl.patch('Lease', 'dep', { metadata: { finalizers: null } }, { type: 'merge' }));
    sim.clock.runFor(EVENT_TTL_MS / 2);
    // Its dependent was not deleted for it, nor its finalizer removed: it exists, terminating.
    const held = right(kubectl.get('Event', 'x.1'));
    expect(held.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect(held.metadata?.deletionTimestamp).toBeDefined();
    expect(right(kubectl.get('Lease', 'dep')).metadata?.name).toBe('dep');
    sim.clock.runFor(EVENT_TTL_MS);
    expect(left(kubectl.get('Event', 'x.1')).reason).toBe('NotFound');
    // Its owner gone, the dependent goes (upstream: once attemptToDelete's GET finds it gone).
    expect(collected()).toEqual(['dep']);
  });

  it('never collects an Event through its ownerReferences: Events go with their TTL', () => {
    const { sim, kubectl } = setup();
    const owner = right(kubectl.create('Lease', lease('owner')));
    const involvedObject = { kind: 'Lease', namespace: 'default', name: 'owner' };
    right(kubectl.create('Event', { metadata: { name: 'owned.1', ownerReferences: [ownerRef(owner)] }, involvedObject, reason: 'Test', message: 'a' }));
    right(kubectl.create('Event', { metadata: { name: 'adopted.1' }, involvedObject, reason: 'Test', message: 'b' }));
    right(kubectl.create('Event', { metadata: { name: 'free.1' }, involvedObject, reason: 'Test', message: 'c' }));
    right(kubectl.patch('Event', 'adopted.1', { metadata: { ownerReferences: [ownerRef(owner)] } }, { type: 'merge' }));
    right(kubectl.delete('Lease', 'owner'));
    const names = () => right(kubectl.list('Event')).items.map((e) => e.metadata?.name);
    expect(names()).toEqual(['adopted.1', 'free.1', 'owned.1']);
    sim.clock.runFor(EVENT_TTL_MS + 1000);
    expect(names()).toEqual([]);
    const removedBy = sim.trace.entries.flatMap((e) => (e.type === 'write' && e.verb === 'remove' && e.kind === 'Event' ? [e.by] : []));
    expect(removedBy.some((by) => by.startsWith('garbage-collector'))).toBe(false);
  });

  it('takes the watch through its sink: stops when unsubscribed, and reports a failed watch as unhandled and ends', async () => {
    const { sim, kubectl, collected } = setup();
    const wrote = (by: string): string[] => sim.trace.entries.flatMap((e) => (e.type === 'write' && e.by.startsWith(by) ? [e.name] : []));
    const stopped = new GarbageCollector(sim.api.client('stopped-collector')).start();
    stopped.unsubscribe();
    expect(stopped.closed).toBe(true);
    const owner = right(kubectl.create('Lease', lease('owner')));
    right(kubectl.create('Lease', lease('a', [owner])));
    right(kubectl.delete('Lease', 'owner'));
    expect(collected()).toEqual(['a']);
    expect(wrote('stopped-collector')).toEqual([]);

    const reported: unknown[] = [];
    const before = config.onUnhandledError;
    config.onUnhandledError = (error) => void reported.push(error);
    try {
      sim.api.reachability.set('node/w9', false);
      const failed = new GarbageCollector(sim.api.client('far-collector', 'node/w9')).start();
      expect(failed.closed).toBe(true);
      // RxJS reports on a 0 ms host timer (reportUnhandledError): one set after it fires after.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(reported.map((e) => (e as { reason?: string }).reason)).toEqual(['Unreachable']);
    } finally {
      config.onUnhandledError = before;
    }
  });
});
