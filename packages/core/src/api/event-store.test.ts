import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../kernel/random.js';
import { EventStore } from './event-store.js';
import { ObjectStore } from './object-store.js';
import type { KubeObject } from './resources.js';

const involvedObject = Object.freeze({ kind: 'Pod', namespace: 'db', name: 'db-0', uid: 'a1b2c3d4-0000-4000-8000-00000000000f', apiVersion: 'v1', resourceVersion: '12' });
const source = Object.freeze({ component: 'kubelet', host: 'w1' });

/** An Event as the API server stores it: frozen literals, the recorder's key order. */
const stored = (name: string, namespace = 'db', uid = 'df8649dc-ebc3-4865-b495-9764c3296495', resourceVersion = '42', extra: Record<string, unknown> = {}): KubeObject =>
  Object.freeze({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: Object.freeze({ name, namespace, uid, creationTimestamp: '2019-06-01T00:01:00Z', resourceVersion, ...extra }),
    involvedObject,
    reason: 'Pulled',
    message: 'Successfully pulled image "postgres:16"',
    source,
    firstTimestamp: '2019-06-01T00:01:00Z',
    lastTimestamp: '2019-06-01T00:01:05Z',
    count: 2,
    type: 'Normal',
    reportingComponent: 'kubelet',
    reportingInstance: 'w1',
  });

/** Keys at every depth, in order: the same JSON needs the same key order too. */
const keysDeep = (value: unknown): unknown =>
  value !== null && typeof value === 'object' ? Object.entries(value).map(([k, v]) => [k, keysDeep(v)]) : value;

describe('EventStore', () => {
  it('gives back an Event as it was stored: same members, same order, frozen, shared references kept', () => {
    const store = new EventStore();
    const event = stored('db-0.17a8b');
    store.set(event);
    const read = store.get('db', 'db-0.17a8b')!;
    expect(read).not.toBe(event);
    expect(JSON.stringify(read)).toBe(JSON.stringify(event));
    expect(keysDeep(read)).toEqual(keysDeep(event));
    expect(Object.isFrozen(read) && Object.isFrozen(read.metadata)).toBe(true);
    expect((read as unknown as { involvedObject: unknown }).involvedObject).toBe(involvedObject);
    expect(store.has('db', 'db-0.17a8b')).toBe(true);
    expect(store.has('other', 'db-0.17a8b')).toBe(false);
    expect(store.get('db', 'nope')).toBeUndefined();
  });

  it('round-trips every uuid, the extremes included', () => {
    const store = new EventStore();
    const random = new SeededRandom(7);
    const uids = ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', ...Array.from({ length: 2_000 }, () => random.uuid())];
    uids.forEach((uid, i) => store.set(stored(`e${i}`, 'db', uid, String(i + 1))));
    uids.forEach((uid, i) => expect(store.get('db', `e${i}`)?.metadata?.uid).toBe(uid));
    expect(store.get('db', 'e0')?.metadata?.resourceVersion).toBe('1');
  });

  it('stores an Event written with its uid words as it would have parsed them', () => {
    const store = new EventStore();
    const told = new EventStore();
    const random = new SeededRandom(7);
    const words = new Uint32Array(4);
    for (let i = 0; i < 300; i++) {
      const uid = random.uuidInto(words, 0);
      const event = stored(`e${i}`, 'db', uid, String(i + 1));
      store.set(event);
      told.write(event, words);
      expect(JSON.stringify(told.get('db', `e${i}`))).toBe(JSON.stringify(event));
    }
    expect(told.list().map((e) => JSON.stringify(e))).toEqual(store.list().map((e) => JSON.stringify(e)));
  });

  it('checks an Event written without uid words as set() does, and gives its row either way', () => {
    const store = new EventStore();
    const told = store.write(stored('told', 'db', undefined, '1'), new Uint32Array([1, 2, 3, 4]));
    expect(store.get('db', 'told')?.metadata?.uid).toBe('00000001-0000-0002-0000-000300000004');
    const odd = stored('odd', 'db', 'not-a-uuid');
    const oddRow = store.write(odd, undefined);
    expect(store.get('db', 'odd')).toBe(odd);
    const plain = stored('plain');
    const plainRow = store.write(plain, undefined);
    expect(store.get('db', 'plain')?.metadata?.uid).toBe(plain.metadata?.uid);
    expect(new Set([told, oddRow, plainRow]).size).toBe(3);
    // Written again, an Event keeps its row.
    expect(store.write(stored('plain', 'db', undefined, '43'), undefined)).toBe(plainRow);
  });

  it('keeps whole the Events a row does not hold exactly', () => {
    const odd: KubeObject[] = [
      stored('upper', 'db', 'DF8649DC-EBC3-4865-B495-9764C3296495'),
      stored('short-uid', 'db', 'df8649dc'),
      stored('no-dashes', 'db', 'df8649dcxebc3x4865xb495x9764c3296495'),
      stored('zero-rv', 'db', undefined, '0'),
      stored('leading-zero', 'db', undefined, '042'),
      stored('big-rv', 'db', undefined, '4294967296'),
      stored('labelled', 'db', undefined, '42', { labels: { a: 'b' } }),
      Object.freeze({ ...stored('events-v1'), apiVersion: 'events.k8s.io/v1' }),
      Object.freeze({ kind: 'Event', apiVersion: 'v1', metadata: Object.freeze({ name: 'reordered', namespace: 'db' }), reason: 'x' }),
    ];
    const store = new EventStore();
    for (const event of odd) store.set(event);
    for (const event of odd) expect(store.get('db', event.metadata!.name!)).toBe(event);
    expect(store.get('db', 'big-rv')?.metadata?.resourceVersion).toBe('4294967296');
    expect(store.size).toBe(odd.length);
  });

  it('replaces, deletes and reuses rows, whole or not', () => {
    const store = new EventStore();
    store.set(stored('a', 'db', undefined, '1'));
    const labelled = stored('a', 'db', undefined, '2', { labels: { x: 'y' } });
    store.set(labelled);
    expect(store.get('db', 'a')).toBe(labelled);
    store.set(stored('a', 'db', undefined, '3'));
    expect(store.get('db', 'a')?.metadata?.resourceVersion).toBe('3');
    expect(store.get('db', 'a')?.metadata).not.toHaveProperty('labels');
    expect(store.delete('db', 'a')).toBe(true);
    expect(store.delete('db', 'a')).toBe(false);
    expect(store.get('db', 'a')).toBeUndefined();
    expect(store.size).toBe(0);
    // The freed row holds the next Event, and nothing of the last one.
    store.set(stored('b', 'db', undefined, '4'));
    expect(JSON.stringify(store.get('db', 'b'))).toBe(JSON.stringify(stored('b', 'db', undefined, '4')));
    expect(store.size).toBe(1);
  });

  it('removes an Event once, giving it as stored and as the DELETED change carries it', () => {
    const store = new EventStore();
    const event = stored('db-0.17a8b', 'db', undefined, '42');
    store.set(event);
    const { old, removed, storedVersion } = store.remove('db', 'db-0.17a8b', '43')!;
    expect(old).toBeUndefined();
    expect(storedVersion).toBe(42);
    // What the server's removedVersion builds: the same members in the same order, resourceVersion replaced.
    const expected = { ...event, metadata: { ...event.metadata, resourceVersion: '43' } };
    expect(JSON.stringify(removed)).toBe(JSON.stringify(expected));
    expect(keysDeep(removed)).toEqual(keysDeep(expected));
    expect(Object.isFrozen(removed) && Object.isFrozen(removed!.metadata)).toBe(true);
    expect(store.has('db', 'db-0.17a8b')).toBe(false);
    expect(store.size).toBe(0);
    expect(store.remove('db', 'db-0.17a8b', '44')).toBeUndefined();
    // An Event kept whole comes back itself, its DELETED version left to the server.
    const labelled = stored('whole', 'db', undefined, '45', { labels: { a: 'b' } });
    store.set(labelled);
    expect(store.remove('db', 'whole', '46')).toEqual({ old: labelled, removed: undefined, storedVersion: 45 });
    // A row with an undefined member too (the server's copy would drop it).
    const sparse = Object.freeze({ ...stored('sparse'), message: undefined }) as unknown as KubeObject;
    store.set(sparse);
    const taken = store.remove('db', 'sparse', '47')!;
    expect(taken.removed).toBeUndefined();
    expect(keysDeep(taken.old)).toEqual(keysDeep(sparse));
    expect(taken.storedVersion).toBe(42);
    // The freed rows are taken again, holding nothing of the removed Events.
    store.set(stored('next', 'db', undefined, '48'));
    expect(JSON.stringify(store.get('db', 'next'))).toBe(JSON.stringify(stored('next', 'db', undefined, '48')));
  });

  it('removes by row only while the row holds the write it is asked for, as remove() by name would', () => {
    const store = new EventStore();
    const rowA = store.write(stored('a', 'db', undefined, '10'), undefined);
    const rowB = store.write(stored('b', 'db', undefined, '11'), undefined);
    expect(rowB).not.toBe(rowA);
    // Written again (a count bump): the row holds the later write only.
    expect(store.write(stored('a', 'db', undefined, '12'), undefined)).toBe(rowA);
    expect(store.removeRow(rowA, 10, 'db', 'a', '13')).toBeUndefined();
    expect(store.has('db', 'a')).toBe(true);
    const byRow = store.removeRow(rowA, 12, 'db', 'a', '13')!;
    const expected = stored('a', 'db', undefined, '13');
    expect(byRow.storedVersion).toBe(12);
    expect(JSON.stringify(byRow.removed)).toBe(JSON.stringify(expected));
    expect(keysDeep(byRow.removed)).toEqual(keysDeep(expected));
    expect(store.has('db', 'a')).toBe(false);
    expect(store.removeRow(rowA, 12, 'db', 'a', '14')).toBeUndefined();
    // Deleted, then its row taken by another Event.
    store.delete('db', 'b');
    expect(store.write(stored('c', 'default', undefined, '15'), undefined)).toBe(rowB);
    expect(store.removeRow(rowB, 11, 'db', 'b', '16')).toBeUndefined();
    expect(store.has('default', 'c')).toBe(true);
    // Kept whole: no row holds its resourceVersion, remove() by name takes it.
    const labelled = stored('whole', 'db', undefined, '17', { labels: { a: 'b' } });
    expect(store.removeRow(store.write(labelled, undefined), 17, 'db', 'whole', '18')).toBeUndefined();
    expect(store.remove('db', 'whole', '18')).toEqual({ old: labelled, removed: undefined, storedVersion: 17 });
    expect(store.removeRow(-1, 15, 'default', 'c', '19')).toBeUndefined();
    expect(store.removeRow(99, 15, 'default', 'c', '19')).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it('removes by row past table rebuilds and tombstones, leaving every other Event found by name', () => {
    const store = new EventStore();
    const rows: [string, number, number][] = [];
    for (let i = 1; i <= 3_000; i++) {
      rows.push([`e${i}.17a8b`, store.write(stored(`e${i}.17a8b`, i % 2 ? 'db' : 'default', undefined, String(i)), undefined), i]);
    }
    for (const [name, row, rv] of rows.slice(0, 2_000)) expect(store.removeRow(row, rv, rv % 2 ? 'db' : 'default', name, '9999')?.storedVersion).toBe(rv);
    expect(store.size).toBe(1_000);
    for (const [name, , rv] of rows.slice(2_000)) expect(store.get(rv % 2 ? 'db' : 'default', name)?.metadata?.resourceVersion).toBe(String(rv));
  });

  it('lists as the object store does: namespaces in order, names sorted', () => {
    const random = new SeededRandom('event-store-list');
    const events = new EventStore();
    const objects = new ObjectStore();
    for (let i = 0; i < 5_000; i++) {
      const event = stored(`pod-${random.int(0, 3_000)}.${random.int(0, 1 << 30).toString(16)}`, ['db', 'default', 'kube-system'][random.int(0, 3)], random.uuid(), String(i + 1));
      events.set(event);
      objects.set(event);
      if (random.int(0, 10) === 0) {
        const [victim] = objects.list();
        events.delete(victim!.metadata!.namespace, victim!.metadata!.name!);
        objects.delete(victim!.metadata!.namespace, victim!.metadata!.name!);
      }
    }
    expect(events.size).toBe(objects.size);
    expect(JSON.stringify(events.list())).toBe(JSON.stringify(objects.list()));
    expect(JSON.stringify(events.list('db'))).toBe(JSON.stringify(objects.list('db')));
    expect(events.list('nowhere')).toEqual([]);
  });

  it('shares one shape and one times between Events that have the same, and gives each Event its own members back', () => {
    const store = new EventStore();
    const source2 = Object.freeze({ component: 'kubelet', host: 'w2' });
    const variants: Record<string, unknown>[] = [
      {},
      { reason: 'Created' },
      { source: source2, reportingInstance: 'w2' },
      { type: 'Warning' },
      { count: 1, lastTimestamp: '2019-06-01T00:01:00Z' },
      { count: 3, lastTimestamp: '2019-06-01T00:01:09Z' },
      { count: 1, lastTimestamp: '2019-06-01T00:01:00Z', firstTimestamp: '2019-06-01T00:01:00Z' },
    ];
    const events: KubeObject[] = Array.from({ length: 70 }, (_, i) => {
      const base = stored(`e${i}`, 'db', undefined, String(i + 1)) as unknown as Record<string, unknown>;
      return Object.freeze({ ...base, ...variants[i % variants.length] });
    });
    events.forEach((event) => store.set(event));
    for (const event of events) {
      const read = store.get('db', String(event.metadata?.name))!;
      expect(JSON.stringify(read)).toBe(JSON.stringify(event));
      expect(keysDeep(read)).toEqual(keysDeep(event));
    }
    // A primitive source (not shared) and more reasons for one source than it keeps shapes of.
    const odd = Array.from({ length: 200 }, (_, i) => {
      const base = stored(`odd${i}`, 'db', undefined, String(100 + i)) as unknown as Record<string, unknown>;
      return Object.freeze({ ...base, reason: `R${i}`, ...(i % 2 === 0 ? { source: `text-${i}` } : {}) }) as unknown as KubeObject;
    });
    odd.forEach((event) => store.set(event));
    odd.forEach((event) => expect(JSON.stringify(store.get('db', event.metadata!.name!))).toBe(JSON.stringify(event)));
  });

  it('finds every Event by namespace and name through growth, deletions and the table rebuilt', () => {
    const random = new SeededRandom('event-store-table');
    const store = new EventStore();
    const model = new Map<string, string>();
    let rv = 0;
    for (let round = 0; round < 20_000; round++) {
      const ns = ['db', 'default', 'kube-system', 'x'][random.int(0, 4)]!;
      const name = `pod-${random.int(0, 3_000)}.${random.int(0, 64).toString(16)}`;
      const key = `${ns}/${name}`;
      if (random.int(0, 3) === 0) {
        expect(store.delete(ns, name)).toBe(model.delete(key));
      } else {
        store.set(stored(name, ns, undefined, String(++rv)));
        model.set(key, String(rv));
      }
      // Waves of removals, as the Event expiry: the table fills with tombstones and shrinks.
      if (round % 5_000 === 4_999) {
        for (const k of [...model.keys()]) {
          const [n, ...rest] = k.split('/');
          expect(store.remove(n, rest.join('/'), '1')).toBeDefined();
          model.delete(k);
        }
      }
    }
    expect(store.size).toBe(model.size);
    for (const [key, version] of model) {
      const [ns, name] = key.split('/') as [string, string];
      expect(store.has(ns, name)).toBe(true);
      expect(store.get(ns, name)?.metadata?.resourceVersion).toBe(version);
    }
    expect(store.has('db', 'pod-1')).toBe(false);
    expect(store.get('nowhere', 'pod-1.0')).toBeUndefined();
  });

  it('answers has, get, set and delete as a map would, a name asked again around other changes', () => {
    const random = new SeededRandom('event-store-asked');
    const store = new EventStore();
    const model = new Map<string, string>();
    let rv = 0;
    const names = ['a.1', 'a.2', 'b.1', 'b.2', 'c.1'];
    for (let round = 0; round < 5_000; round++) {
      const ns = ['db', 'default'][random.int(0, 2)]!;
      const name = names[random.int(0, names.length)]!;
      const key = `${ns}/${name}`;
      // Asked first, as the API server's create does, then one change to this name or another.
      expect(store.has(ns, name)).toBe(model.has(key));
      const other = `${ns}/${names[random.int(0, names.length)]!}`;
      const [ons, oname] = other.split('/') as [string, string];
      switch (random.int(0, 4)) {
        case 0:
          store.set(stored(name, ns, undefined, String(++rv)));
          model.set(key, String(rv));
          break;
        case 1:
          expect(store.delete(ns, name)).toBe(model.delete(key));
          break;
        case 2:
          store.set(stored(oname, ons, undefined, String(++rv)));
          model.set(other, String(rv));
          break;
        default:
          expect(store.delete(ons, oname)).toBe(model.delete(other));
      }
      expect(store.has(ns, name)).toBe(model.has(key));
      expect(store.get(ns, name)?.metadata?.resourceVersion).toBe(model.get(key));
    }
    expect(store.size).toBe(model.size);
  });
});
