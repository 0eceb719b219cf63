import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { InformerEvent } from '@failsim/core';
import { Informer, SeededRandom, createSimulation } from '@failsim/core';
import { map } from 'rxjs';
import { InstantCreations, NAME_ALPHABET, OwnerIndex, OwnerKeys, enqueueOwnersOfPodEvent, ownerKeysForPodEvent, indexedPods, compareForDeletion, computeHash, isPodAvailable, podFromTemplate, randomSuffix, safeEncodeString } from './controller-utils.js';

const pod = (name: string, extra: { node?: string; phase?: string; ready?: string; created?: string; restarts?: number } = {}): Pod => ({
  metadata: { name, creationTimestamp: extra.created ?? '2019-06-01T00:00:00Z' },
  spec: { containers: [], ...(extra.node ? { nodeName: extra.node } : {}) },
  status: {
    phase: extra.phase ?? 'Running',
    ...(extra.ready ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: extra.ready }] } : {}),
    ...(extra.restarts !== undefined ? { containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: extra.restarts }] } : {}),
  },
});

describe('computeHash', () => {
  it('gives a frozen template the hash its copy gets, per collision count', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'n', image: 'nginx' }] } };
    const frozen = Object.freeze({ ...template });
    expect(computeHash(frozen)).toBe(computeHash(template));
    expect(computeHash(frozen)).toBe(computeHash(template));
    expect(computeHash(frozen, 1)).toBe(computeHash(template, 1));
    expect(computeHash(frozen, 1)).not.toBe(computeHash(frozen));
  });

  it('is stable, key-order independent, and changes with the template or collision count', () => {
    const a = computeHash({ metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'n', image: 'nginx' }] } });
    const b = computeHash({ spec: { containers: [{ image: 'nginx', name: 'n' }] }, metadata: { labels: { tier: 'x', app: 'web' } } });
    expect(a).toBe(b);
    expect(a).toMatch(new RegExp(`^[${NAME_ALPHABET}]{1,10}$`));
    expect(computeHash({ spec: { containers: [{ name: 'n', image: 'nginx:2' }] } })).not.toBe(a);
    expect(computeHash({ x: 1 }, 1)).not.toBe(computeHash({ x: 1 }));
  });

  it('keeps the hashes names and labels already carry (non-ASCII text, undefined members and elements, numeric keys)', () => {
    // Values of the implementation that hashed an Object.entries copy encoded with TextEncoder.
    const accented = { metadata: { labels: { app: 'wéb', tier: 'x' } }, spec: { containers: [{ name: 'n', image: 'nginx', args: [undefined, 'a'] }], nodeName: undefined } };
    const numericKeys = { metadata: { labels: { '10': 'n', '2': 'm', Z: 'z', a: 'a' } }, spec: { containers: [{ name: '😀', image: 'busybox' }] } };
    expect(computeHash(accented)).toBe('56bb869767');
    expect(computeHash(accented, 2)).toBe('6c55b56886');
    expect(computeHash(numericKeys)).toBe('8657599d4c');
    expect(computeHash({})).toBe('5859f96865');
    expect(computeHash(undefined)).toBe('5ffbfbbd64');
    // eslint-disable-next-line no-sparse-arrays
    expect(computeHash({ args: [, 'a', undefined] })).toBe('6b774b6974');
  });

  it('safe-encodes digits as rand.SafeEncodeString does', () => {
    // '0' and '1' are char codes 48 and 49: indexes 21 and 22 of the alphabet, '4' and '5'.
    expect(safeEncodeString('01')).toBe('45');
  });
});

describe('randomSuffix', () => {
  it('draws five characters of the generateName alphabet, reproducibly', () => {
    const a = randomSuffix(new SeededRandom(1));
    expect(a).toMatch(new RegExp(`^[${NAME_ALPHABET}]{5}$`));
    expect(randomSuffix(new SeededRandom(1))).toBe(a);
  });
});

describe('compareForDeletion (ActivePods)', () => {
  const order = (pods: Pod[]): string[] => pods.slice().sort(compareForDeletion).map((p) => p.metadata?.name ?? '');

  it('puts unscheduled, then pending, then not-ready pods first', () => {
    expect(
      order([
        pod('ready', { node: 'w1', ready: '2019-06-01T00:00:05Z' }),
        pod('notready', { node: 'w1' }),
        pod('pending', { node: 'w1', phase: 'Pending' }),
        pod('unscheduled', { phase: 'Pending' }),
        pod('unknown', { node: 'w1', phase: 'Unknown' }),
      ]),
    ).toEqual(['unscheduled', 'pending', 'unknown', 'notready', 'ready']);
  });

  it('then the most recently ready, the most restarted, the newest', () => {
    expect(order([pod('early', { node: 'w', ready: '2019-06-01T00:00:01Z' }), pod('late', { node: 'w', ready: '2019-06-01T00:00:09Z' })])).toEqual(['late', 'early']);
    expect(order([pod('calm', { node: 'w', restarts: 0 }), pod('flappy', { node: 'w', restarts: 4 })])).toEqual(['flappy', 'calm']);
    expect(order([pod('old', { node: 'w', created: '2019-06-01T00:00:00Z' }), pod('new', { node: 'w', created: '2019-06-01T00:01:00Z' })])).toEqual(['new', 'old']);
  });
});

describe('isPodAvailable', () => {
  it('needs minReadySeconds of readiness', () => {
    const p = pod('p', { ready: '2019-06-01T00:00:00Z' });
    const epoch = Date.parse('2019-06-01T00:00:00Z');
    expect(isPodAvailable(p, 0, epoch)).toBe(true);
    expect(isPodAvailable(p, 10, epoch + 9_999)).toBe(false);
    expect(isPodAvailable(p, 10, epoch + 10_000)).toBe(true);
    expect(isPodAvailable(pod('q'), 0, epoch)).toBe(false);
  });
});

describe('OwnerIndex', () => {
  it('groups children by controller uid and keeps orphans by namespace, following updates', () => {
    const index = new OwnerIndex<Pod>();
    const owned: Pod = { metadata: { name: 'a', namespace: 'ns', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }] } };
    const orphan: Pod = { metadata: { name: 'b', namespace: 'ns' } };
    index.apply({ type: 'ADDED', object: owned });
    index.apply({ type: 'ADDED', object: orphan });
    expect(index.owned('u1').map((p) => p.metadata?.name)).toEqual(['a']);
    expect(index.orphans('ns').map((p) => p.metadata?.name)).toEqual(['b']);
    const adopted: Pod = { metadata: { ...orphan.metadata, ownerReferences: owned.metadata?.ownerReferences } };
    index.apply({ type: 'MODIFIED', object: adopted, old: orphan });
    expect(index.owned('u1').map((p) => p.metadata?.name)).toEqual(['a', 'b']);
    expect(index.orphans('ns')).toEqual([]);
    index.apply({ type: 'DELETED', object: owned, old: owned });
    expect(index.owned('u1').map((p) => p.metadata?.name)).toEqual(['b']);
    expect([...index.ownedValues('u1')].map((p) => p.metadata?.name)).toEqual(['b']);
    expect([...index.ownedValues('nobody')]).toEqual([]);
    index.clear();
    expect(index.owned('u1')).toEqual([]);
  });

  it('moves a child updated in place to the end of its bucket, as a remove and add would', () => {
    const index = new OwnerIndex<Pod>();
    const refs = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }];
    const pod = (name: string, phase: string): Pod => ({ metadata: { name, namespace: 'ns', ownerReferences: refs }, status: { phase } });
    for (const name of ['a', 'b', 'c']) index.apply({ type: 'ADDED', object: pod(name, 'Pending') });
    index.apply({ type: 'MODIFIED', object: pod('a', 'Running'), old: pod('a', 'Pending') });
    expect(index.owned('u1').map((p) => `${p.metadata?.name}:${p.status?.phase}`)).toEqual(['b:Pending', 'c:Pending', 'a:Running']);
    // Released (no controller any more): from the owner's bucket to the orphans.
    const released: Pod = { metadata: { name: 'b', namespace: 'ns' } };
    index.apply({ type: 'MODIFIED', object: released, old: pod('b', 'Pending') });
    expect(index.owned('u1').map((p) => p.metadata?.name)).toEqual(['c', 'a']);
    expect(index.orphans('ns')).toEqual([released]);
    index.apply({ type: 'MODIFIED', object: { ...released, status: { phase: 'Running' } }, old: released });
    expect(index.orphans('ns').map((p) => p.status?.phase)).toEqual(['Running']);
  });
});

describe('OwnerIndex across namespaces', () => {
  it('keeps apart same-named children of one owner uid in different namespaces', () => {
    // Children are keyed by name inside a bucket; a reference across namespaces (never
    // valid upstream) must not make two pods one.
    const index = new OwnerIndex<Pod>();
    const refs = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }];
    const a: Pod = { metadata: { name: 'p', namespace: 'ns1', ownerReferences: refs } };
    const b: Pod = { metadata: { name: 'p', namespace: 'ns2', ownerReferences: refs } };
    index.apply({ type: 'ADDED', object: a });
    index.apply({ type: 'ADDED', object: b });
    expect(index.owned('u1')).toEqual([a, b]);
    const a2: Pod = { ...a, status: { phase: 'Running' } };
    index.apply({ type: 'MODIFIED', object: a2, old: a });
    expect(index.owned('u1')).toEqual([b, a2]);
    index.apply({ type: 'DELETED', object: b, old: b });
    expect(index.owned('u1')).toEqual([a2]);
  });
});

describe('enqueueOwnersOfPodEvent', () => {
  const rsRef = (name: string, uid: string) => [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid, controller: true }];
  const owners = [
    { metadata: { namespace: 'ns', name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } },
    { metadata: { namespace: 'ns', name: 'all-web' }, spec: { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' as const }] } } },
    { metadata: { namespace: 'other', name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } },
  ];
  const shared = rsRef('rs-a', 'ua');
  const web = { app: 'web' };
  const pods: Pod[] = [
    { metadata: { name: 'p', namespace: 'ns', ownerReferences: shared } },
    { metadata: { name: 'p', namespace: 'ns', ownerReferences: shared, labels: web } },
    { metadata: { name: 'p', namespace: 'ns', ownerReferences: rsRef('rs-b', 'ub') } },
    { metadata: { name: 'p', namespace: 'ns', ownerReferences: rsRef('rs-a', 'ua') } },
    { metadata: { name: 'p', namespace: 'ns', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'us', controller: true }] } },
    { metadata: { name: 'p', namespace: 'ns', labels: web } },
    { metadata: { name: 'p', namespace: 'ns', labels: { app: 'api' } } },
    { metadata: { name: 'p', namespace: 'ns', labels: web }, status: { phase: 'Running' } },
    { metadata: { name: 'p', labels: web, ownerReferences: shared } },
  ];

  it('adds the keys ownerKeysForPodEvent returns, first occurrences in order, for every pair of versions', () => {
    const keys = new OwnerKeys();
    for (const type of ['ADDED', 'MODIFIED', 'DELETED'] as const) {
      for (const old of type === 'ADDED' ? [undefined] : pods) {
        for (const object of pods) {
          const event: InformerEvent<Pod> = old ? { type, object, old } : { type, object };
          const added: string[] = [];
          enqueueOwnersOfPodEvent(event, 'ReplicaSet', () => owners, keys, { add: (key) => added.push(key) });
          expect([...new Set(added)]).toEqual([...new Set(ownerKeysForPodEvent(event, 'ReplicaSet', () => owners))]);
        }
      }
    }
  });

  it('remembers one key per owner uid, rebuilt when the name or namespace differs', () => {
    const keys = new OwnerKeys();
    const [ref] = rsRef('rs-a', 'ua');
    const first = keys.keyOf('ns', ref!);
    expect(first).toBe('ns/rs-a');
    expect(keys.keyOf('ns', ref!)).toBe(first);
    expect(keys.keyOf('ns2', ref!)).toBe('ns2/rs-a');
    expect(keys.keyOf('ns', { ...ref!, name: 'rs-z' })).toBe('ns/rs-z');
  });
});

describe('IndexedInformer', () => {
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true };
  const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };
  const setup = () => {
    const sim = createSimulation({ seed: 'indexed-informer' });
    const kubectl = sim.api.client('kubectl');
    const pods = new Informer(sim.api.client('kube-controller-manager'), 'Pod');
    return { kubectl, pods, indexed: indexedPods(pods) };
  };

  it('is one per Pod informer, and its index is current when a subscriber sees an event', () => {
    const { kubectl, pods, indexed } = setup();
    expect(indexedPods(pods)).toBe(indexed);
    kubectl.create('Pod', { metadata: { name: 'a', ownerReferences: [owner] }, spec: podSpec });
    const seen: string[] = [];
    const first = indexed.events$.subscribe((e) => seen.push(`${e.type} ${e.object.metadata?.name ?? ''}: ${indexed.index.owned('u1').length}`));
    kubectl.create('Pod', { metadata: { name: 'b', ownerReferences: [owner] }, spec: podSpec });
    const second = indexed.events$.subscribe((e) => seen.push(`second ${e.type} ${e.object.metadata?.name ?? ''}: ${indexed.index.owned('u1').length}`));
    kubectl.delete('Pod', 'a', { gracePeriodSeconds: 0 });
    expect(seen).toEqual(['ADDED a: 1', 'ADDED b: 2', 'second ADDED a: 2', 'second ADDED b: 2', 'DELETED a: 1', 'second DELETED a: 1']);
    first.unsubscribe();
    second.unsubscribe();
  });

  it('forgets when its last subscriber leaves and rebuilds from the informer for the next', () => {
    const { kubectl, pods, indexed } = setup();
    const other = pods.events$.subscribe(); // another controller keeps the informer running
    const first = indexed.events$.subscribe();
    kubectl.create('Pod', { metadata: { name: 'a', ownerReferences: [owner] }, spec: podSpec });
    first.unsubscribe();
    expect(indexed.index.owned('u1')).toEqual([]);
    kubectl.create('Pod', { metadata: { name: 'b', ownerReferences: [owner] }, spec: podSpec });
    kubectl.delete('Pod', 'a', { gracePeriodSeconds: 0 });
    const again = indexed.events$.subscribe();
    expect(indexed.index.owned('u1').map((p) => p.metadata?.name)).toEqual(['b']);
    again.unsubscribe();
    other.unsubscribe();
  });
  it('hands functions and observers on to the informer, piped subscribers through RxJS: all after the index, in subscription order', () => {
    const { kubectl, indexed } = setup();
    const seen: string[] = [];
    const line = (who: string, e: InformerEvent<Pod>): string => `${who} ${e.type} ${e.object.metadata?.name ?? ''}: ${indexed.index.owned('u1').length}`;
    const subscriptions = [
      indexed.events$.subscribe((e) => seen.push(line('fn', e))),
      indexed.events$.pipe(map((e) => line('piped', e))).subscribe((l) => seen.push(l)),
      indexed.events$.subscribe({ next: (e) => seen.push(line('observer', e)) }),
    ];
    kubectl.create('Pod', { metadata: { name: 'a', ownerReferences: [owner] }, spec: podSpec });
    kubectl.delete('Pod', 'a', { gracePeriodSeconds: 0 });
    expect(seen).toEqual(['fn ADDED a: 1', 'piped ADDED a: 1', 'observer ADDED a: 1', 'fn DELETED a: 0', 'piped DELETED a: 0', 'observer DELETED a: 0']);
    kubectl.create('Pod', { metadata: { name: 'b', ownerReferences: [owner] }, spec: podSpec });
    subscriptions[0]!.unsubscribe();
    subscriptions[2]!.unsubscribe();
    // The piped subscriber still holds the index.
    expect(indexed.index.owned('u1').map((p) => p.metadata?.name)).toEqual(['b']);
    subscriptions[1]!.unsubscribe();
    expect(subscriptions.every((s) => s.closed)).toBe(true);
    expect(indexed.index.owned('u1')).toEqual([]);
  });
});

describe('InstantCreations', () => {
  it('remembers creations of the current instant only', () => {
    let now = 0;
    const created = new InstantCreations(() => now);
    created.record('ns/rs', 'rs-abcde');
    expect(created.unseen('ns/rs', () => false)).toEqual(['rs-abcde']);
    expect(created.unseen('ns/rs', (n) => n === 'rs-abcde')).toEqual([]);
    now = 1;
    expect(created.unseen('ns/rs', () => false)).toEqual([]);
  });
});

describe('podFromTemplate', () => {
  it('copies labels, annotations and spec, and sets the controller reference', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ns', uid: 'u1' } };
    const p = podFromTemplate({ metadata: { labels: { app: 'a' }, annotations: { k: 'v' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, owner, 'rs-x');
    expect(p.metadata).toEqual({
      name: 'rs-x',
      namespace: 'ns',
      labels: { app: 'a' },
      annotations: { k: 'v' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true }],
    });
    expect(p.spec?.containers).toEqual([{ name: 'c', image: 'i' }]);
  });
});
