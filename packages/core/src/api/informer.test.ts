import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { config, firstValueFrom, map, type Subscription } from 'rxjs';
import { createSimulation } from '../simulation.js';
import { right } from '../testing/either.js';
import { Informer } from './informer.js';
import { nodeLocation } from './reachability.js';

const pod = (name: string, image = 'nginx:1.17', namespace = 'default'): Pod => ({ metadata: { name, namespace }, spec: { containers: [{ name: 'c', image }] } });

describe('Informer', () => {
  it('lists its cache in key order through adds, updates and deletes', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    right(client.create('Pod', pod('b')));
    const informer = new Informer(client, 'Pod');
    const subscription = informer.events$.subscribe(() => undefined);
    const names = (): string[] => informer.list().map((p) => p.metadata?.name ?? '');
    expect(names()).toEqual(['b']);
    right(client.create('Pod', pod('c')));
    right(client.create('Pod', pod('a')));
    expect(names()).toEqual(['a', 'b', 'c']);
    right(client.patch('Pod', 'b', { metadata: { labels: { x: 'y' } } }, { namespace: 'default', type: 'merge' }));
    // An update keeps the order and lists the new object.
    expect(informer.list()[1]?.metadata?.labels).toEqual({ x: 'y' });
    right(client.delete('Pod', 'a', { namespace: 'default' }));
    expect(names()).toEqual(['b', 'c']);
    subscription.unsubscribe();
  });

  it('counts the changes of its cache: adds, updates and deletes, not writes of other kinds', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    right(client.create('Pod', pod('b')));
    const informer = new Informer(client, 'Pod');
    const subscription = informer.events$.subscribe(() => undefined);
    expect(informer.changes).toBe(1);
    right(client.create('Pod', pod('a')));
    right(client.patch('Pod', 'b', { metadata: { labels: { x: 'y' } } }, { namespace: 'default', type: 'merge' }));
    expect(informer.changes).toBe(3);
    right(client.create('Lease', { metadata: { name: 'c', namespace: 'default' } }));
    expect(informer.changes).toBe(3);
    right(client.delete('Pod', 'a', { namespace: 'default' }));
    expect(informer.changes).toBe(4);
    subscription.unsubscribe();
  });

  it('delivers nothing more to a subscriber that left, even in the middle of an event', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const informer = new Informer(client, 'Pod');
    const seen: string[] = [];
    const leaving: { subscription?: { unsubscribe(): void } } = {};
    const first = informer.events$.subscribe((e) => {
      seen.push(`first ${e.type} ${e.object.metadata?.name}`);
      leaving.subscription?.unsubscribe();
    });
    leaving.subscription = informer.events$.subscribe((e) => seen.push(`second ${e.type} ${e.object.metadata?.name}`));
    right(client.create('Pod', pod('a')));
    right(client.create('Pod', pod('b')));
    // The second left while the first handled "a": a closed subscriber takes nothing.
    expect(seen).toEqual(['first ADDED a', 'first ADDED b']);
    first.unsubscribe();
  });

  it('finds objects by namespace and name, and lists them in "namespace/name" order', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    for (const ns of ['a-b', 'a']) right(client.create('Namespace', { metadata: { name: ns } }));
    right(client.create('Pod', pod('x', 'nginx', 'a')));
    right(client.create('Pod', pod('x', 'nginx', 'a-b')));
    right(client.create('Pod', pod('y')));
    const informer = new Informer(client, 'Pod');
    const subscription = informer.events$.subscribe(() => undefined);
    expect(informer.get('x', 'a')?.metadata?.namespace).toBe('a');
    expect(informer.get('y')?.metadata?.namespace).toBe('default');
    expect(informer.get('y', '')).toBeUndefined();
    expect(informer.get('x')).toBeUndefined();
    // "a-b/x" sorts before "a/x" ('-' < '/'): the order of the keys, not of namespace then name.
    expect(informer.list().map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['a-b/x', 'a/x', 'default/y']);
    expect(informer.size).toBe(3);
    const nodes = new Informer(client, 'Node');
    const nodeSubscription = nodes.events$.subscribe(() => undefined);
    right(client.create('Node', { metadata: { name: 'w1' } }));
    expect(nodes.get('w1')?.metadata?.name).toBe('w1');
    expect(nodes.get('w1', 'default')?.metadata?.name).toBe('w1');
    subscription.unsubscribe();
    nodeSubscription.unsubscribe();
  });

  it('relists after its watch expired and deletes what is gone in the order it was cached', () => {
    const sim = createSimulation({ watchCacheSize: 2 });
    const admin = sim.api.client('test');
    const location = nodeLocation('w1');
    const informer = new Informer(sim.api.client('kubelet', location), 'Pod');
    const seen: string[] = [];
    const subscription = informer.events$.subscribe((e) => seen.push(`${e.type} ${e.object.metadata?.name}${e.old ? ` (was ${e.old.metadata?.resourceVersion})` : ''}`));
    const rv = new Map<string, string | undefined>();
    for (const name of ['d', 'a', 'c', 'b']) rv.set(name, right(admin.create('Pod', pod(name))).metadata?.resourceVersion);
    seen.length = 0;
    sim.reachability.set(location, false);
    right(admin.delete('Pod', 'd', { namespace: 'default' }));
    right(admin.delete('Pod', 'c', { namespace: 'default' }));
    right(admin.patch('Pod', 'a', { metadata: { labels: { x: 'y' } } }, { namespace: 'default', type: 'merge' }));
    right(admin.create('Pod', pod('e')));
    right(admin.create('Pod', pod('f')));
    sim.reachability.set(location, true);
    // The list brings "a" (changed), "e" and "f" in key order, then "d" and "c" go in the
    // order they were first cached (not in key order).
    expect(seen).toEqual([`MODIFIED a (was ${rv.get('a')})`, 'ADDED e', 'ADDED f', `DELETED d (was ${rv.get('d')})`, `DELETED c (was ${rv.get('c')})`]);
    expect(informer.list().map((p) => p.metadata?.name)).toEqual(['a', 'b', 'e', 'f']);
    subscription.unsubscribe();
  });
  it('relists across namespaces and deletes what is gone in the order it was cached, over all namespaces', () => {
    const sim = createSimulation({ watchCacheSize: 2 });
    const admin = sim.api.client('test');
    for (const ns of ['a', 'b']) right(admin.create('Namespace', { metadata: { name: ns } }));
    const location = nodeLocation('w1');
    const informer = new Informer(sim.api.client('kubelet', location), 'Pod');
    const seen: string[] = [];
    const subscription = informer.events$.subscribe((e) => seen.push(`${e.type} ${e.object.metadata?.namespace}/${e.object.metadata?.name}`));
    const create = (ns: string, name: string): void => void right(admin.create('Pod', pod(name, 'nginx', ns)));
    const remove = (ns: string, name: string): void => void right(admin.delete('Pod', name, { namespace: ns }));
    // One namespace, then two, back to one (b), then two again; "b/p1" is cached again last.
    create('b', 'p1');
    create('b', 'p0');
    create('a', 'p2');
    create('b', 'p3');
    remove('a', 'p2');
    create('a', 'p4');
    create('b', 'p5');
    remove('b', 'p1');
    create('a', 'p6');
    create('b', 'p1');
    create('default', 'keep');
    expect(informer.list().map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['a/p4', 'a/p6', 'b/p0', 'b/p1', 'b/p3', 'b/p5', 'default/keep']);
    seen.length = 0;
    sim.reachability.set(location, false);
    for (const [ns, name] of [['a', 'p6'], ['b', 'p1'], ['b', 'p3'], ['a', 'p4'], ['b', 'p0'], ['b', 'p5']] as const) remove(ns, name);
    create('a', 'p7');
    sim.reachability.set(location, true);
    // Deleted in the order first cached across namespaces, not in key or namespace order.
    expect(seen).toEqual(['ADDED a/p7', 'DELETED b/p0', 'DELETED b/p3', 'DELETED a/p4', 'DELETED b/p5', 'DELETED a/p6', 'DELETED b/p1']);
    expect(informer.list().map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual(['a/p7', 'default/keep']);
    expect(informer.size).toBe(2);
    subscription.unsubscribe();
  });

  it('keeps objects of one name in several namespaces apart through adds, updates, deletes and a relist', () => {
    const sim = createSimulation({ watchCacheSize: 2 });
    const admin = sim.api.client('test');
    for (const ns of ['a', 'b', 'c']) right(admin.create('Namespace', { metadata: { name: ns } }));
    const location = nodeLocation('w1');
    const informer = new Informer(sim.api.client('kubelet', location), 'Pod');
    const seen: string[] = [];
    const subscription = informer.events$.subscribe((e) => seen.push(`${e.type} ${e.object.metadata?.namespace}/${e.object.metadata?.name}${e.old ? ` (was ${e.old.spec?.containers[0]?.image})` : ''}`));
    const create = (ns: string, name: string, image = 'v1'): void => void right(admin.create('Pod', pod(name, image, ns)));
    const update = (ns: string, name: string, image: string): void =>
      void right(admin.patch('Pod', name, { spec: { containers: [{ name: 'c', image }] } }, { namespace: ns, type: 'strategic' }));
    const remove = (ns: string, name: string): void => void right(admin.delete('Pod', name, { namespace: ns }));
    const listed = (): string[] => informer.list().map((p) => `${p.metadata?.namespace}/${p.metadata?.name}:${p.spec?.containers[0]?.image}`);
    create('a', 'x');
    create('b', 'x');
    create('a', 'y');
    update('b', 'x', 'v2');
    expect(informer.get('x', 'a')?.spec?.containers[0]?.image).toBe('v1');
    expect(informer.get('x', 'b')?.spec?.containers[0]?.image).toBe('v2');
    // "a/x" goes: "b/x" is still found, and "c/x" comes after it.
    remove('a', 'x');
    expect(informer.get('x', 'a')).toBeUndefined();
    expect(informer.get('x', 'b')?.spec?.containers[0]?.image).toBe('v2');
    create('c', 'x');
    create('a', 'x', 'v3');
    update('c', 'x', 'v4');
    expect(listed()).toEqual(['a/x:v3', 'a/y:v1', 'b/x:v2', 'c/x:v4']);
    expect(informer.size).toBe(4);
    expect(seen.slice(-4)).toEqual(['DELETED a/x (was v1)', 'ADDED c/x', 'ADDED a/x', 'MODIFIED c/x (was v1)']);
    seen.length = 0;
    sim.reachability.set(location, false);
    update('a', 'x', 'v5');
    for (const [ns, name] of [['c', 'x'], ['b', 'x'], ['a', 'y']] as const) remove(ns, name);
    create('b', 'x', 'v6');
    sim.reachability.set(location, true);
    // "b/x" is a new object (another uid) but has the cached one's key: MODIFIED, in place.
    expect(seen).toEqual(['MODIFIED a/x (was v3)', 'MODIFIED b/x (was v2)', 'DELETED a/y (was v1)', 'DELETED c/x (was v4)']);
    expect(listed()).toEqual(['a/x:v5', 'b/x:v6']);
    remove('b', 'x');
    expect(informer.get('x', 'b')).toBeUndefined();
    expect(informer.get('x', 'a')?.spec?.containers[0]?.image).toBe('v5');
    expect(informer.size).toBe(1);
    subscription.unsubscribe();
  });

  it('relists a cluster-scoped kind and deletes what is gone in the order it was cached', () => {
    const sim = createSimulation({ watchCacheSize: 2 });
    const admin = sim.api.client('test');
    const location = nodeLocation('w1');
    const informer = new Informer(sim.api.client('kubelet', location), 'Node');
    const seen: string[] = [];
    const subscription = informer.events$.subscribe((e) => seen.push(`${e.type} ${e.object.metadata?.name}`));
    for (const name of ['n3', 'n1', 'n2', 'n0']) right(admin.create('Node', { metadata: { name } }));
    right(admin.delete('Node', 'n3'));
    right(admin.create('Node', { metadata: { name: 'n3' } }));
    seen.length = 0;
    sim.reachability.set(location, false);
    for (const name of ['n0', 'n3', 'n1']) right(admin.delete('Node', name));
    sim.reachability.set(location, true);
    expect(seen).toEqual(['DELETED n1', 'DELETED n0', 'DELETED n3']);
    expect(informer.list().map((n) => n.metadata?.name)).toEqual(['n2']);
    subscription.unsubscribe();
  });

  it('calls handlers directly as RxJS would: a throw is reported and delivery goes on, piped subscribers see the same events', async () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const informer = new Informer(client, 'Pod');
    const reported: unknown[] = [];
    const before = config.onUnhandledError;
    config.onUnhandledError = (error) => void reported.push(error);
    try {
      const seen: string[] = [];
      const observer = {
        prefix: 'object',
        next(this: { prefix: string }, e: { type: string; object: Pod }): void {
          seen.push(`${this.prefix} ${e.type} ${e.object.metadata?.name}`);
        },
      };
      const subscriptions: Subscription[] = [
        informer.events$.subscribe((e) => {
          seen.push(`throwing ${e.type} ${e.object.metadata?.name}`);
          throw new Error(`bad ${e.object.metadata?.name}`);
        }),
        informer.events$.subscribe(observer),
        informer.events$.pipe(map((e) => `piped ${e.type} ${e.object.metadata?.name}`)).subscribe((line) => seen.push(line)),
      ];
      const first = firstValueFrom(informer.events$);
      right(client.create('Pod', pod('a')));
      right(client.patch('Pod', 'a', { metadata: { labels: { x: 'y' } } }, { namespace: 'default', type: 'merge' }));
      expect((await first).object.metadata?.name).toBe('a');
      expect(seen).toEqual(['throwing ADDED a', 'object ADDED a', 'piped ADDED a', 'throwing MODIFIED a', 'object MODIFIED a', 'piped MODIFIED a']);
      // RxJS reports on a 0 ms host timer (reportUnhandledError): one set after them fires after.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(reported.map((e) => (e as Error).message)).toEqual(['bad a', 'bad a']);
      // A subscriber that joins a running informer first gets an ADDED per cached object.
      const late: string[] = [];
      subscriptions.push(informer.events$.subscribe((e) => late.push(`${e.type} ${e.object.metadata?.name}`)));
      expect(late).toEqual(['ADDED a']);
      for (const subscription of subscriptions) subscription.unsubscribe();
      expect(subscriptions.every((s) => s.closed)).toBe(true);
    } finally {
      config.onUnhandledError = before;
    }
  });

  it('ends every kind of subscriber with a list error as RxJS would, and stops', async () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const informer = new Informer(client, 'Pod', { labelSelector: 'a in (' });
    const reported: unknown[] = [];
    const before = config.onUnhandledError;
    config.onUnhandledError = (error) => void reported.push(error);
    try {
      const errors: string[] = [];
      const withError = informer.events$.subscribe({ error: (e: { reason?: string }) => errors.push(`observer ${e.reason}`) });
      const piped = informer.events$.pipe(map((e) => e.type)).subscribe({ error: (e: { reason?: string }) => errors.push(`piped ${e.reason}`) });
      const bare = informer.events$.subscribe(() => undefined);
      expect(errors).toEqual(['observer BadRequest', 'piped BadRequest']);
      expect([withError.closed, piped.closed, bare.closed]).toEqual([true, true, true]);
      await new Promise((resolve) => setTimeout(resolve, 0));
      // The subscriber without an error callback has it reported.
      expect(reported.map((e) => (e as { reason?: string }).reason)).toEqual(['BadRequest']);
    } finally {
      config.onUnhandledError = before;
    }
  });

  it('gives each update the object its own cache held as old, through a cut-off, a selector and rebuilt Events', () => {
    const sim = createSimulation();
    const admin = sim.api.client('test');
    const location = nodeLocation('w1');
    const web = new Informer(sim.api.client('kubelet', location), 'Pod', { labelSelector: 'app=web' });
    const events = new Informer(admin, 'Event');
    const seen: string[] = [];
    const last = new Map<string, unknown>();
    const check = (who: string, e: { type: string; object: { metadata?: { name?: string; resourceVersion?: string } }; old?: unknown }): void => {
      const name = e.object.metadata?.name ?? '';
      // The old object is the very one delivered before (identity, not equality).
      seen.push(`${who} ${e.type} ${name} ${e.old === undefined ? 'new' : e.old === last.get(`${who}/${name}`) ? 'same' : 'OTHER'}`);
      last.set(`${who}/${name}`, e.type === 'DELETED' ? undefined : e.object);
    };
    const subscriptions = [web.events$.subscribe((e) => check('web', e)), events.events$.subscribe((e) => check('event', e))];
    right(admin.create('Pod', { ...pod('a'), metadata: { name: 'a', namespace: 'default', labels: { app: 'web' } } }));
    sim.reachability.set(location, false);
    for (const image of ['v2', 'v3']) right(admin.patch('Pod', 'a', { spec: { containers: [{ name: 'c', image }] } }, { namespace: 'default', type: 'strategic' }));
    sim.reachability.set(location, true);
    right(admin.patch('Pod', 'a', { metadata: { labels: { app: 'db' } } }, { namespace: 'default', type: 'merge' }));
    // An Event of the recorder's shape is kept as a row, and each read rebuilds it (EventStore).
    const at = '2026-01-01T00:00:00Z';
    right(
      admin.create('Event', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'e', namespace: 'default' },
        involvedObject: { kind: 'Pod', name: 'a', namespace: 'default' },
        reason: 'R',
        message: 'm',
        source: { component: 'test' },
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
        type: 'Normal',
        reportingComponent: '',
        reportingInstance: '',
      }),
    );
    right(admin.patch('Event', 'e', { count: 2 }, { namespace: 'default', type: 'merge' }));
    expect(seen).toEqual(['web ADDED a new', 'web MODIFIED a same', 'web MODIFIED a same', 'web DELETED a same', 'event ADDED e new', 'event MODIFIED e same']);
    for (const subscription of subscriptions) subscription.unsubscribe();
  });

  it('stops the newest watch when a restarted watch failed as it began and a relist started another', () => {
    const sim = createSimulation({ watchCacheSize: 2 });
    const admin = sim.api.client('test');
    const location = nodeLocation('w1');
    const informer = new Informer(sim.api.client('kubelet', location), 'Pod');
    right(admin.create('Pod', pod('a')));
    // The first event cuts the caller off, so the watch after the list fails as it begins
    // and waits for the network; meanwhile three writes expire its resourceVersion.
    let cut = false;
    const subscription = informer.events$.subscribe(() => {
      if (!cut) sim.reachability.set(location, false);
      cut = true;
    });
    for (const name of ['b', 'c', 'd']) right(admin.create('Pod', pod(name)));
    // Back on the network: the restarted watch gets 410 at once, the relist starts a new one.
    sim.reachability.set(location, true);
    expect(informer.list().map((p) => p.metadata?.name)).toEqual(['a', 'b', 'c', 'd']);
    subscription.unsubscribe();
    // Stopped: the relist's watch must be the one stopped, so nothing more reaches the cache.
    right(admin.create('Pod', pod('e')));
    expect(informer.get('e')).toBeUndefined();
  });

  it('hands informers that take the same watch event one equal event, each with its own cache\'s old object', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const all = new Informer(client, 'Pod');
    const also = new Informer(client, 'Pod');
    const web = new Informer(client, 'Pod', { labelSelector: 'app=web' });
    type Seen = { type: string; object: Pod; old?: Pod; before: Pod | undefined };
    const watch = (informer: Informer<'Pod'>, seen: Seen[]): { unsubscribe(): void } => {
      // What the informer held before each event, kept by the test itself.
      const held = new Map<string, Pod>();
      return informer.events$.subscribe((e) => {
        const name = e.object.metadata?.name ?? '';
        seen.push({ ...e, before: held.get(name) });
        if (e.type === 'DELETED') held.delete(name);
        else held.set(name, e.object);
      });
    };
    const seenAll: Seen[] = [];
    const seenAlso: Seen[] = [];
    const seenWeb: Seen[] = [];
    const events: object[] = [];
    const subscriptions = [watch(all, seenAll), watch(also, seenAlso), watch(web, seenWeb), all.events$.subscribe((e) => events.push(e)), also.events$.subscribe((e) => events.push(e))];
    const labelled = (name: string, app: string): Pod => ({ ...pod(name), metadata: { name, namespace: 'default', labels: { app } } });
    right(client.create('Pod', labelled('a', 'web')));
    right(client.create('Pod', labelled('b', 'db')));
    right(client.patch('Pod', 'a', { metadata: { labels: { app: 'db' } } }, { namespace: 'default', type: 'merge' }));
    right(client.patch('Pod', 'b', { metadata: { labels: { app: 'web' } } }, { namespace: 'default', type: 'merge' }));
    right(client.patch('Pod', 'a', { metadata: { labels: { app: 'web' } } }, { namespace: 'default', type: 'merge' }));
    right(client.delete('Pod', 'a', { namespace: 'default' }));
    right(client.delete('Pod', 'b', { namespace: 'default' }));
    for (const seen of [seenAll, seenAlso, seenWeb]) {
      // Every event's old is the object that informer held, by identity, and only when it held one.
      for (const e of seen) expect(e.old).toBe(e.before);
    }
    expect(seenAll.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED a', 'ADDED b', 'MODIFIED a', 'MODIFIED b', 'MODIFIED a', 'DELETED a', 'DELETED b']);
    expect(seenWeb.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED a', 'DELETED a', 'ADDED b', 'ADDED a', 'DELETED a', 'DELETED b']);
    // The two unfiltered informers took the same seven events: one object each, shared.
    expect(events).toHaveLength(14);
    for (let i = 0; i < 7; i++) expect(events[i * 2 + 1]).toBe(events[i * 2]);
    for (const subscription of subscriptions) subscription.unsubscribe();
  });
});
