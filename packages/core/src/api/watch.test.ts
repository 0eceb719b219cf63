import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation } from '../simulation.js';
import { right } from '../testing/either.js';
import type { ApiError } from './errors.js';
import { ChangeLog, type Change, type WatchEvent } from './watch.js';

const pod = (name: string, labels: Record<string, string> = {}): Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});
const summary = (events: WatchEvent[]): string[] => events.map((e) => `${e.type} ${e.object.metadata?.name}@${e.object.metadata?.resourceVersion}`);

describe('watch', () => {
  it('gives two watchers the same changes in the same order, even when a handler writes', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const rv = sim.api.resourceVersion;
    const first: WatchEvent[] = [];
    const second: WatchEvent[] = [];
    // The first watcher reacts to every ADDED pod by labelling it: a write inside delivery.
    client.watch('Pod', { resourceVersion: rv }).subscribe((e) => {
      first.push(e);
      if (e.type === 'ADDED') right(client.patch('Pod', e.object.metadata!.name!, { metadata: { labels: { seen: 'yes' } } }));
    });
    client.watch('Pod', { resourceVersion: rv }).subscribe((e) => second.push(e));
    right(client.create('Pod', pod('a')));
    right(client.create('Pod', pod('b')));
    expect(summary(first)).toEqual(summary(second));
    expect(first.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED a', 'MODIFIED a', 'ADDED b', 'MODIFIED b']);
    const rvs = first.map((e) => Number(e.object.metadata?.resourceVersion));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
  });

  it('replays what a watch from an old resourceVersion missed, then goes on live', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const start = sim.api.resourceVersion;
    right(client.create('Pod', pod('a')));
    right(client.delete('Pod', 'a'));
    right(client.create('Pod', pod('b')));
    const seen: WatchEvent[] = [];
    client.watch('Pod', { resourceVersion: start }).subscribe((e) => seen.push(e));
    right(client.create('Pod', pod('c')));
    expect(seen.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED a', 'DELETED a', 'ADDED b', 'ADDED c']);
  });

  it('starts with a synthetic ADDED per object when no resourceVersion is given', () => {
    const client = createSimulation().api.client('test');
    right(client.create('Pod', pod('b')));
    right(client.create('Pod', pod('a')));
    const seen: WatchEvent[] = [];
    client.watch('Pod').subscribe((e) => seen.push(e));
    expect(seen.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED a', 'ADDED b']);
  });

  it('fails with 410 Expired from a resourceVersion older than the watch cache', () => {
    const sim = createSimulation({ watchCacheSize: 3 });
    const client = sim.api.client('test');
    for (const name of ['a', 'b', 'c', 'd', 'e']) right(client.create('Pod', pod(name)));
    let error: ApiError | undefined;
    client.watch('Pod', { resourceVersion: '1' }).subscribe({ error: (e: ApiError) => (error = e) });
    expect(error).toMatchObject({ reason: 'Expired', code: 410 });
    expect(error?.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  it('turns objects entering and leaving a selector into ADDED and DELETED', () => {
    const client = createSimulation().api.client('test');
    const seen: WatchEvent[] = [];
    client.watch('Pod', { labelSelector: 'tier=db' }).subscribe((e) => seen.push(e));
    right(client.create('Pod', pod('a')));
    right(client.patch('Pod', 'a', { metadata: { labels: { tier: 'db' } } }));
    right(client.patch('Pod', 'a', { metadata: { labels: { tier: 'db', x: '1' } } }));
    right(client.patch('Pod', 'a', { metadata: { labels: { tier: 'web' } } }));
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('watches by field selector, as a kubelet watches its own pods', () => {
    const client = createSimulation().api.client('test');
    const seen: string[] = [];
    client.watch('Pod', { fieldSelector: 'spec.nodeName=w1' }).subscribe((e) => seen.push(`${e.type} ${e.object.metadata?.name}`));
    right(client.create('Pod', pod('a')));
    right(client.bind('a', 'default', 'w1'));
    right(client.create('Pod', pod('b')));
    right(client.bind('b', 'default', 'w2'));
    expect(seen).toEqual(['ADDED a']);
  });

  it('stops delivering after unsubscribe', () => {
    const client = createSimulation().api.client('test');
    const seen: WatchEvent[] = [];
    const sub = client.watch('Pod').subscribe((e) => seen.push(e));
    right(client.create('Pod', pod('a')));
    sub.unsubscribe();
    right(client.create('Pod', pod('b')));
    expect(seen).toHaveLength(1);
  });

  describe('ChangeLog', () => {
    const change = (rv: number): Change =>
      rv % 2 === 0
        ? { rv, kind: 'Pod', type: 'MODIFIED', object: { metadata: { name: `p${rv}` } }, old: { metadata: { name: `p${rv - 1}` } } }
        : { rv, kind: 'Node', type: 'ADDED', object: { metadata: { name: `n${rv}` } } };

    it('keeps exactly the last `capacity` changes, and replays them as they were appended', () => {
      const log = new ChangeLog(3);
      for (let rv = 1; rv <= 7; rv++) log.append(change(rv));
      expect(log.size).toBe(3);
      expect(log.oldestResumable).toBe(4);
      expect(log.since(3, 7)).toBeUndefined();
      expect(log.since(4, 7)).toEqual([change(5), change(6), change(7)]);
      expect(Object.keys(log.since(5, 6)![0]!)).toEqual(['rv', 'kind', 'type', 'object', 'old']);
      expect(log.since(5, 6)).toEqual([change(6)]);
      expect(log.since(7, 7)).toEqual([]);
    });

    it('replays across its 2,048-change chunks and the ring\'s wrap, kind, type and old included', () => {
      const log = new ChangeLog(5_000);
      for (let rv = 1; rv <= 12_345; rv++) log.append(change(rv));
      expect(log.size).toBe(5_000);
      expect(log.oldestResumable).toBe(7_345);
      expect(log.since(7_344, 12_345)).toBeUndefined();
      const all = log.since(7_345, 12_345)!;
      expect(all).toHaveLength(5_000);
      expect(all.every((c, i) => JSON.stringify(c) === JSON.stringify(change(7_346 + i)))).toBe(true);
      expect(log.since(10_239, 10_242)).toEqual([change(10_240), change(10_241), change(10_242)]);
    });

    it('keeps the kind of a change whose kind the server does not serve', () => {
      const log = new ChangeLog(2);
      log.append({ rv: 1, kind: 'Widget' as Change['kind'], type: 'DELETED', object: { metadata: { name: 'w' } } });
      log.append(change(2));
      expect(log.since(0, 2)!.map((c) => `${c.kind} ${c.type}`)).toEqual(['Widget DELETED', 'Pod MODIFIED']);
      log.append(change(3));
      expect(log.since(1, 3)!.map((c) => `${c.kind} ${c.type}`)).toEqual(['Pod MODIFIED', 'Node ADDED']);
    });

    it('replays a DELETED change without the object before it (no watch reads it)', () => {
      const log = new ChangeLog(4);
      log.append(change(2));
      log.append({ rv: 3, kind: 'Pod', type: 'DELETED', object: { metadata: { name: 'p3' } }, old: { metadata: { name: 'p2' } } });
      expect(log.since(1, 3)).toEqual([change(2), { rv: 3, kind: 'Pod', type: 'DELETED', object: { metadata: { name: 'p3' } } }]);
    });

    it('keeps nothing with capacity 0', () => {
      const log = new ChangeLog(0);
      log.append(change(1));
      expect(log.oldestResumable).toBe(Number.POSITIVE_INFINITY);
      expect(log.since(0, 1)).toBeUndefined();
    });
  });
});
