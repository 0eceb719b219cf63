import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '../simulation.js';
import { right } from '../testing/either.js';
import { SeededRandom } from '../kernel/random.js';
import { EventRecorder, defaultCorrelatorOptions, nanosHex } from './event-recorder.js';
import type { KubeObject } from './resources.js';
import { nodeLocation } from './reachability.js';

const setup = () => {
  const sim = createSimulation();
  const client = sim.api.client('attachdetach-controller');
  const pod = right(client.create('Pod', { metadata: { name: 'web-0' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
  const recorder = new EventRecorder(client, { component: 'attachdetach-controller' }, { trace: sim.trace });
  return { sim, client, pod, recorder };
};

describe('EventRecorder', () => {
  it('writes a core/v1 Event with upstream fields', () => {
    const { sim, client, pod, recorder } = setup();
    sim.clock.runFor(65_000);
    recorder.warning(pod, 'FailedAttachVolume', 'Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node and can\'t be attached to another');
    const [event] = right(client.list('Event', { fieldSelector: 'involvedObject.name=web-0' })).items;
    expect(event).toMatchObject({
      type: 'Warning',
      reason: 'FailedAttachVolume',
      count: 1,
      firstTimestamp: '2019-06-01T00:01:05Z',
      lastTimestamp: '2019-06-01T00:01:05Z',
      source: { component: 'attachdetach-controller' },
      involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'default', uid: pod.metadata?.uid },
      metadata: { namespace: 'default' },
    });
    expect(event?.metadata?.name).toMatch(/^web-0\.[0-9a-f]+$/);
  });

  it('aggregates the same event: count goes up and lastTimestamp moves', () => {
    const { sim, client, pod, recorder } = setup();
    recorder.normal(pod, 'Pulling', 'Pulling image "nginx"');
    sim.clock.runFor(10_000);
    recorder.normal(pod, 'Pulling', 'Pulling image "nginx"');
    sim.clock.runFor(10_000);
    recorder.normal(pod, 'Pulling', 'Pulling image "nginx"');
    const events = right(client.list('Event')).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 3, firstTimestamp: '2019-06-01T00:00:00Z', lastTimestamp: '2019-06-01T00:00:20Z' });
    expect(sim.trace.entries.filter((e) => e.type === 'event').map((e) => (e.type === 'event' ? e.count : 0))).toEqual([1, 2, 3]);
    // Gone (as after its TTL), the Event is written anew with the next count and the first timestamp it had (kept as a time).
    right(client.delete('Event', events[0]?.metadata?.name ?? ''));
    sim.clock.runFor(61_500);
    expect(recorder.normal(pod, 'Pulling', 'Pulling image "nginx"')).toMatchObject({ count: 4, firstTimestamp: '2019-06-01T00:00:00Z', lastTimestamp: '2019-06-01T00:01:21Z' });
    sim.clock.runFor(1_000);
    expect(recorder.normal(pod, 'Pulling', 'Pulling image "nginx"')).toMatchObject({ count: 5, firstTimestamp: '2019-06-01T00:00:00Z', lastTimestamp: '2019-06-01T00:01:22Z' });
  });

  it('combines more than ten distinct messages for one object and reason', () => {
    const { client, pod, recorder } = setup();
    for (let i = 0; i < 12; i++) recorder.warning(pod, 'FailedMount', `attempt ${i}`);
    const messages = right(client.list('Event')).items.map((e) => e.message);
    expect(messages.filter((m) => m?.startsWith('(combined from similar events): '))).toHaveLength(1);
    expect(messages).toHaveLength(10);
  });

  it('drops events beyond the spam filter burst and refills one every five minutes', () => {
    const { sim, client, pod } = setup();
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator: { maxSimilarEvents: 1000 } });
    const written = Array.from({ length: 30 }, (_, i) => recorder.warning(pod, 'BackOff', `m${i}`)).filter(Boolean);
    expect(written).toHaveLength(25);
    sim.clock.runFor(300_000);
    expect(recorder.warning(pod, 'BackOff', 'later')).toBeDefined();
    expect(recorder.warning(pod, 'BackOff', 'later still')).toBeUndefined();
  });

  it('keeps its windows exact across 2^31 ms, where times stop being stored as small integers', () => {
    const { sim, client, pod } = setup();
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator: { maxSimilarEvents: 2 } });
    const t0 = 2 ** 31 - 100_000;
    sim.clock.runUntil(t0);
    expect(Array.from({ length: 26 }, (_, i) => recorder.warning(pod, `R${i % 13}`, 'm')).filter(Boolean)).toHaveLength(25);
    const other = right(client.create('Pod', { metadata: { name: 'web-1' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    expect(recorder.warning(other, 'R0', 'first')?.message).toBe('first');
    // The bucket refills at t0 + 300,000 ms (past 2^31), not a millisecond earlier.
    sim.clock.runUntil(t0 + 299_999);
    expect(recorder.warning(pod, 'Other', 'm')).toBeUndefined();
    sim.clock.runUntil(t0 + 300_000);
    expect(recorder.warning(pod, 'Other', 'm')).toBeDefined();
    // web-1's R0 window began at t0: a second message at exactly t0 + 600,000 is in it
    // (combined), one a millisecond later starts a new window.
    sim.clock.runUntil(t0 + 600_000);
    expect(recorder.warning(other, 'R0', 'second')?.message).toBe('(combined from similar events): second');
    sim.clock.runUntil(t0 + 600_001);
    expect(recorder.warning(other, 'R0', 'third')?.message).toBe('third');
  });

  it('loses events of a recorder that cannot reach the server', () => {
    const { sim, client, pod } = setup();
    const recorder = new EventRecorder(sim.api.client('kubelet', nodeLocation('w1')), { component: 'kubelet', host: 'w1' });
    sim.reachability.set(nodeLocation('w1'), false);
    expect(recorder.normal(pod, 'Killing', 'Stopping container c')).toBeUndefined();
    expect(right(client.list('Event')).items).toHaveLength(0);
  });

  it('lets Events expire after --event-ttl', () => {
    const { sim, client, pod, recorder } = setup();
    recorder.normal(pod, 'Scheduled', 'Successfully assigned default/web-0 to w1');
    sim.clock.runFor(3_599_000);
    expect(right(client.list('Event')).items).toHaveLength(1);
    sim.clock.runFor(1_000);
    expect(right(client.list('Event')).items).toHaveLength(0);
  });

  it('forgets the least recently written event beyond 4096, as client-go\'s LRU', () => {
    const { client, pod } = setup();
    // Neither the aggregator nor the spam filter in the way: only the LRU of logged events.
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator: { maxSimilarEvents: 1e6, burst: 1e6 } });
    const count = (message: string): number | undefined => recorder.normal(pod, 'Test', message)?.count;
    expect(count('m0')).toBe(1);
    // The Event is gone: the next m0 creates it again (count 2) and makes it the newest.
    const name = right(client.list('Event')).items[0]?.metadata?.name ?? '';
    right(client.delete('Event', name));
    for (let i = 1; i < 4096; i++) count(`m${i}`);
    expect(count('m0')).toBe(2);
    // A count bump leaves the order as it is: m1, set before m0 was set again, goes first.
    expect(count('m2')).toBe(2);
    expect(count('m4096')).toBe(1);
    expect(count('m0')).toBe(3);
    expect(count('m1')).toBe(1);
    // m1 came back as the newest and pushed out m2, the oldest left.
    expect(count('m2')).toBe(1);
    expect(count('m3')).toBe(1);
  });

  it('keeps counts past 16 bits (the logger keeps them in two 16-bit halves)', () => {
    const { client, pod } = setup();
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator: { burst: 1e6 } });
    let last: number | undefined;
    for (let i = 0; i < 65_537; i++) last = recorder.normal(pod, 'BackOff', 'Back-off restarting failed container')?.count;
    expect(last).toBe(65_537);
    // The Event is gone: it is created again with the next count and its first timestamp.
    const [event] = right(client.list('Event')).items;
    right(client.delete('Event', event?.metadata?.name ?? ''));
    const again = recorder.normal(pod, 'BackOff', 'Back-off restarting failed container');
    expect([again?.count, again?.firstTimestamp, again?.metadata?.name === event?.metadata?.name]).toEqual([65_538, event?.firstTimestamp, false]);
  });

  it('correlates exactly as client-go\'s three string-keyed LRUs, through evictions of each', () => {
    const { mismatches, evictions } = compareWithModel(8, 0, {});
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(evictions.every((n) => n > 0)).toBe(true);
  });

  it('correlates the same past 2^32 ms and with a fractional burst (numbers out of the 16-bit pairs are kept aside)', () => {
    const { mismatches, evictions } = compareWithModel(9, 2 ** 32 - 600_000, { burst: 7.5, refillMs: 90_000 });
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(evictions.every((n) => n > 0)).toBe(true);
  });

  it('finds records by uid after many come and go (the open-addressing index moves runs back on delete)', () => {
    const { client } = setup();
    // Only the spam filter's LRU keeps records: 4,096 of 20,000 objects at a time, a few without a uid.
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator: { burst: 2 } });
    const objects: KubeObject[] = Array.from({ length: 20_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: i % 97 === 0 ? { name: `q${i}`, namespace: 'default', resourceVersion: '1' } : { name: `p${i}`, namespace: 'default', uid: `uid-${i % 5_000}-${i}`, resourceVersion: '1' },
    }));
    const model = new CorrelatorModel({ ...defaultCorrelatorOptions, burst: 2 });
    const random = new SeededRandom(3);
    const mismatches: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      // Recent objects again (found in the index), old ones after their eviction (made again).
      const index = random.chance(0.5) ? Math.max(0, Math.floor(i / 2) - random.int(0, 3_000)) : random.int(0, objects.length);
      const object = objects[index]!;
      const expected = model.event(object, 'Normal', 'Test', 'm', 0);
      const written = recorder.normal(object, 'Test', 'm');
      if (written?.count !== expected?.count) mismatches.push(`#${i} object ${index}: ${written?.count}, expected ${expected?.count}`);
      if (written !== undefined && expected?.name === undefined) model.named(written.metadata?.name ?? '');
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(model.evictions[0]).toBeGreaterThan(1_000);
  });

  it('finds the record of an object whose members are missing in one reference and empty in the other, as client-go\'s joined keys do', () => {
    const { client } = setup();
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator: { burst: 3 } });
    const missing: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u1', resourceVersion: '1' } };
    const empty: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: '', uid: 'u1', resourceVersion: '1' } };
    const other: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', uid: 'u2', resourceVersion: '1' } };
    const first = recorder.normal(missing, 'Pulling', 'a')!;
    recorder.normal(other, 'Pulling', 'a');
    // Found through the index (the last record is another object's), not equal to its reference: a reference as built.
    const second = recorder.normal(empty, 'Pulling', 'b')!;
    expect(second.involvedObject).toEqual({ kind: 'Pod', namespace: '', name: 'p', uid: 'u1', apiVersion: 'v1', resourceVersion: '1' });
    // Found as the last record, equal to its reference: the record's own, the same Event again.
    const third = recorder.normal({ ...missing }, 'Pulling', 'a')!;
    expect([third.count, third.metadata?.name, third.involvedObject]).toEqual([2, first.metadata?.name, first.involvedObject]);
    // One record, one token bucket: the three Events took the burst.
    expect(recorder.normal(empty, 'Pulling', 'c')).toBeUndefined();
    expect(recorder.normal(other, 'Pulling', 'c')).toBeDefined();
  });

  it('tells apart objects referenced without a uid, placed in the index by name (the taint manager names Pods by namespace and name)', () => {
    const { client } = setup();
    const recorder = new EventRecorder(client, { component: 'taint-controller' }, { correlator: { burst: 3 } });
    // Equal names in two namespaces and two kinds (one hash, one probe run), and uids equal to names.
    const objects: KubeObject[] = Array.from({ length: 12_000 }, (_, i) => {
      const name = `web-${i % 3_000}`;
      const namespace = i % 4 < 2 ? 'default' : 'kube-system';
      const kind = i % 2 === 0 ? 'Pod' : 'ReplicaSet';
      return { apiVersion: 'v1', kind, metadata: i % 5 === 4 ? { name: `o${i}`, namespace, uid: name, resourceVersion: '1' } : { name, namespace, resourceVersion: '1' } };
    });
    const model = new CorrelatorModel({ ...defaultCorrelatorOptions, burst: 3 });
    const random = new SeededRandom(5);
    const mismatches: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const index = random.int(0, objects.length);
      // A fresh reference each time, as the taint manager's podRef(key).
      const object = { ...objects[index]!, metadata: { ...objects[index]!.metadata } };
      const expected = model.event(object, 'Normal', 'TaintManagerEviction', 'm', 0);
      const written = recorder.normal(object, 'TaintManagerEviction', 'm');
      if (written?.count !== expected?.count) mismatches.push(`#${i} object ${index}: ${written?.count}, expected ${expected?.count}`);
      if (written !== undefined && expected?.name === undefined) model.named(written.metadata?.name ?? '');
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(model.evictions[0]).toBeGreaterThan(1_000);
  });
});

/** Feeds 25,000 random events to a recorder and to the string-keyed model from `startAt`; returns the differences. */
const compareWithModel = (seed: number, startAt: number, correlator: Partial<typeof defaultCorrelatorOptions>): { mismatches: string[]; evictions: number[] } => {
  {
    const { sim, client } = setup();
    sim.clock.runUntil(startAt);
    const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { correlator });
    const model = new CorrelatorModel({ ...defaultCorrelatorOptions, ...correlator });
    const random = new SeededRandom(seed);
    // More objects than an LRU holds, a few of them without a uid (placed in the index by name).
    const objects: KubeObject[] = Array.from({ length: 5_000 }, (_, i) =>
      i % 500 === 7
        ? { apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, resourceVersion: '1' } }
        : { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: i % 3 ? 'default' : 'kube-system', uid: `u${i}`, resourceVersion: '1' } },
    );
    const reasons = ['Pulling', 'Pulled', 'FailedMount', 'BackOff'];
    const mismatches: string[] = [];
    for (let i = 0; i < 25_000; i++) {
      // Hot objects (spam filter, combining) and a long tail (evictions).
      const object = objects[random.chance(0.5) ? random.int(0, 40) : random.int(0, objects.length)]!;
      const type = random.chance(0.8) ? 'Normal' : 'Warning';
      const reason = reasons[random.int(0, reasons.length)]!;
      const message = `m${random.int(0, random.chance(0.9) ? 3 : 30)}`;
      const fieldPath = random.chance(0.3) ? 'spec.containers{c}' : undefined;
      const expected = model.event(object, type, reason, message, sim.clock.now());
      const written = recorder.event(object, type, reason, message, fieldPath);
      const got = written === undefined ? 'dropped' : `${written.count} ${written.message} ${written.metadata?.name}`;
      const want = expected === undefined ? 'dropped' : `${expected.count} ${expected.message} ${expected.name ?? written?.metadata?.name}`;
      if (got !== want) mismatches.push(`#${i}: ${got}, expected ${want}`);
      if (written !== undefined && expected?.name === undefined) model.named(written.metadata?.name ?? '');
      // ~40 simulated minutes in all: refills and new windows, but no Event reaches its 1 h TTL.
      if (random.chance(0.01)) sim.clock.runFor(random.int(1, 20_000));
    }
    return { mismatches, evictions: model.evictions };
  }
};

/** The correlator as client-go keys it: three LRUs of joined strings (what the recorder must match). */
class CorrelatorModel {
  readonly #buckets = new ModelLru<{ tokens: number; last: number }>();
  readonly #similar = new ModelLru<{ first: number; messages: Set<string> }>();
  readonly #logged = new ModelLru<{ name: string; count: number }>();
  #pending: { name: string; count: number } | undefined;

  constructor(readonly options = defaultCorrelatorOptions) {}

  get evictions(): number[] {
    return [this.#buckets.evictions, this.#similar.evictions, this.#logged.evictions];
  }

  /** What the Event should be: undefined if dropped; `name` undefined when it is created. */
  event(object: KubeObject, type: string, reason: string, message: string, now: number): { count: number; message: string; name?: string } | undefined {
    const meta = object.metadata ?? {};
    const objKey = [object.kind, meta.namespace, meta.name, meta.uid, object.apiVersion].join('\u0000');
    const { burst, refillMs, similarWindowMs, maxSimilarEvents } = this.options;
    let bucket = this.#buckets.get(objKey);
    if (!bucket) this.#buckets.set(objKey, (bucket = { tokens: burst, last: now }));
    const refilled = Math.floor((now - bucket.last) / refillMs);
    if (refilled > 0) {
      bucket.tokens = Math.min(burst, bucket.tokens + refilled);
      bucket.last += refilled * refillMs;
    }
    if (bucket.tokens <= 0) return undefined;
    bucket.tokens--;
    const similarKey = [objKey, type, reason].join('\u0000');
    let similar = this.#similar.get(similarKey);
    if (!similar || now - similar.first > similarWindowMs) this.#similar.set(similarKey, (similar = { first: now, messages: new Set() }));
    const combined = similar.messages.add(message).size >= maxSimilarEvents;
    const logKey = combined ? similarKey : [similarKey, message].join('\u0000');
    const finalMessage = combined ? `(combined from similar events): ${message}` : message;
    const previous = this.#logged.get(logKey);
    if (previous) {
      previous.count++;
      return { count: previous.count, message: finalMessage, name: previous.name };
    }
    this.#logged.set(logKey, (this.#pending = { name: '', count: 1 }));
    return { count: 1, message: finalMessage };
  }

  /** The name the server gave the Event just created. */
  named(name: string): void {
    if (this.#pending) this.#pending.name = name;
  }
}

/** A Map in insertion order, set again = moved last, at most 4096 keys (client-go's maxLruCacheEntries). */
class ModelLru<V> {
  readonly #entries = new Map<string, V>();
  evictions = 0;

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > 4096) {
      this.#entries.delete(this.#entries.keys().next().value as string);
      this.evictions++;
    }
  }
}

describe('EventRecorder shared message texts (issue 8)', () => {
  it('reports on an object again with the reference it first did, only while that reference is the one it would build', () => {
    const { sim, client, pod, recorder } = setup();
    const other = right(client.create('Pod', { metadata: { name: 'web-1' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }));
    const first = recorder.event(pod, 'Normal', 'Pulling', 'Pulling image "nginx"', 'spec.containers{c}')!;
    recorder.event(other, 'Normal', 'Pulling', 'Pulling image "nginx"', 'spec.containers{c}');
    // A copy of the same Pod version, after another object: the record's reference.
    const again = recorder.event({ ...pod }, 'Normal', 'Pulled', 'Successfully pulled image "nginx"', 'spec.containers{c}')!;
    expect(again.involvedObject).toBe(first.involvedObject);
    // Another field path, or another version of the Pod: a reference of its own, as built.
    const container = recorder.event(pod, 'Normal', 'Created', 'Created container c')!;
    expect(container.involvedObject).not.toBe(first.involvedObject);
    expect(Object.keys(container.involvedObject)).toEqual(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion']);
    const updated = right(client.patch('Pod', 'web-0', { metadata: { labels: { a: 'b' } } }));
    recorder.event(other, 'Normal', 'Started', 'Started container c', 'spec.containers{c}');
    const later = recorder.event(updated, 'Normal', 'Started', 'Started container c', 'spec.containers{c}')!;
    expect(later.involvedObject).toEqual({ ...first.involvedObject, resourceVersion: updated.metadata!.resourceVersion });
    expect(Object.keys(later.involvedObject)).toEqual(Object.keys(first.involvedObject));
    // The trace names each object as before.
    expect(sim.trace.entries.filter((e) => e.type === 'event').map((e) => (e.type === 'event' ? e.object : ''))).toEqual([
      'Pod/default/web-0',
      'Pod/default/web-1',
      'Pod/default/web-0',
      'Pod/default/web-0',
      'Pod/default/web-1',
      'Pod/default/web-0',
    ]);
  });

  it('writes each message as given, also once the shared table has been cleared', () => {
    const { client, pod, recorder } = setup();
    // More distinct texts than the table holds (4096): it starts over, contents never change.
    for (let i = 0; i < 4100; i++) recorder.normal({ ...pod, metadata: { ...pod.metadata, name: `p${i}`, uid: `u${i}` } }, 'Pulling', ` Pulling image "img-${i}" `);
    recorder.normal(pod, 'Pulling', 'Pulling image "img-0"');
    const other = new EventRecorder(client, { component: 'kubelet', host: 'node-1' });
    other.normal(pod, 'Pulling', 'Pulling image "img-0"');
    const events = right(client.list('Event', { fieldSelector: 'involvedObject.name=web-0' })).items;
    expect(events.map((e) => `${e.source?.component} ${e.message}`).sort()).toEqual([
      'attachdetach-controller Pulling image "img-0"',
      'kubelet Pulling image "img-0"',
    ]);
    const p17 = right(client.list('Event', { fieldSelector: 'involvedObject.name=p17' })).items;
    // Trimming only flattens a text: one with spaces around it is written as it came.
    expect(p17.map((e) => e.message)).toEqual([' Pulling image "img-17" ']);
  });
  it('writes event-name nanos in hex exactly as BigInt does (names stay what they were)', () => {
    const random = new SeededRandom('nanos');
    const cases: [number, number][] = [
      [0, 0],
      [0, 1],
      [0, 999_999],
      [1, 0],
      [16_777_215, 999_999],
      [16_777_216, 0],
      [1_795_000_000_000, 0],
      [1_795_000_000_000, 123_456],
      [2 ** 40, 999_999],
      [Number.MAX_SAFE_INTEGER, 999_999],
    ];
    for (let i = 0; i < 2_000; i++) cases.push([random.int(0, 2 ** 44), random.int(0, 1_000_000)]);
    for (const [ms, sub] of cases) expect(nanosHex(ms, sub)).toBe((BigInt(ms) * 1_000_000n + BigInt(sub)).toString(16));
  });

  it('names Events of the same millisecond one nanosecond apart, across recorders of a server', () => {
    const { sim, client, pod, recorder } = setup();
    const other = new EventRecorder(client, { component: 'kubelet', host: 'w1' });
    const names = [recorder.normal(pod, 'A', 'a'), other.normal(pod, 'B', 'b'), recorder.normal(pod, 'C', 'c')].map((e) => e?.metadata?.name);
    const base = BigInt(sim.clock.epochMs + sim.clock.now()) * 1_000_000n;
    expect(names).toEqual([0n, 1n, 2n].map((d) => `web-0.${(base + d).toString(16)}`));
    sim.clock.runFor(1);
    expect(recorder.normal(pod, 'D', 'd')?.metadata?.name).toBe(`web-0.${(base + 1_000_000n).toString(16)}`);
  });
});
