import { describe, expect, it } from '@jest/globals';
import { Trace, type TraceEntry } from './trace.js';

describe('Trace', () => {
  it('rebuilds writes, Events and reachability changes with the keys and values recorded', () => {
    const entries: TraceEntry[] = [
      { t: 0, type: 'write', verb: 'create', kind: 'Namespace', name: 'default', resourceVersion: '1', by: 'kube-apiserver@control-plane' },
      { t: 5, type: 'write', verb: 'status', kind: 'Pod', namespace: 'default', name: 'web-0', resourceVersion: '2', by: 'kubelet@node-1' },
      { t: 5.25, type: 'event', eventType: 'Warning', reason: 'FailedMount', message: 'Unable to mount volumes', object: 'Pod/default/web-0', count: 3, source: 'kubelet, node-1' },
      { t: 60_000, type: 'reachability', location: 'node-1', reachable: false },
      { t: 61_000, type: 'reachability', location: 'node-1', reachable: true },
    ];
    const trace = new Trace();
    for (const entry of entries) trace.record(entry);
    expect(trace.size).toBe(5);
    expect(trace.entries).toEqual(entries);
    expect(trace.toNDJSON()).toBe(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  });

  it('records a write or an Event from its values as record() of the entry would', () => {
    const byObject = new Trace();
    const byValues = new Trace();
    byObject.record({ t: 1, type: 'write', verb: 'patch', kind: 'Node', name: 'node-1', resourceVersion: '7', by: 'kubelet@node-1' });
    byObject.record({ t: 2, type: 'write', verb: 'remove', kind: 'Event', namespace: 'kube-system', name: 'x.1', resourceVersion: '8', by: 'kube-apiserver@control-plane' });
    byObject.record({ t: 3, type: 'event', eventType: 'Normal', reason: 'Pulled', message: 'ok', object: 'Pod/default/a', count: 1, source: 'kubelet, node-1' });
    byValues.recordWrite(1, 'patch', 'Node', undefined, 'node-1', 7, 'kubelet@node-1');
    byValues.recordWrite(2, 'remove', 'Event', 'kube-system', 'x.1', 8, 'kube-apiserver@control-plane');
    byValues.recordEvent(3, 'Normal', 'Pulled', 'ok', 'Pod/default/a', 1, 'kubelet, node-1');
    expect(byValues.toNDJSON()).toBe(byObject.toNDJSON());
    // An empty namespace is left out, as the API server's cluster-scoped writes are.
    byValues.recordWrite(4, 'create', 'Node', '', 'node-2', 9, 'x@y');
    expect(byValues.entries[3]).toEqual({ t: 4, type: 'write', verb: 'create', kind: 'Node', name: 'node-2', resourceVersion: '9', by: 'x@y' });
    expect(Object.keys(byValues.entries[3]!)).toEqual(['t', 'type', 'verb', 'kind', 'name', 'resourceVersion', 'by']);
  });

  it('records an Event by its object text id as recordEvent of the text would, listeners and odd counts included', () => {
    const byText = new Trace();
    const byId = new Trace();
    const seenByText: TraceEntry[] = [];
    const seenById: TraceEntry[] = [];
    const a = byId.objectId('Pod/default/a');
    const node = byId.objectId('Node/w1');
    expect(byId.objectId('Pod/default/a')).toBe(a);
    // A source by its id, another by its text.
    const w1 = byId.sourceId('kubelet, w1');
    expect(byId.sourceId('kubelet, w1')).toBe(w1);
    byText.recordEvent(1, 'Normal', 'Pulled', 'ok', 'Pod/default/a', 1, 'kubelet, w1');
    byId.recordEventOf(1, 'Normal', 'Pulled', 'ok', a, 1, 'kubelet, w1', w1);
    byText.recordEvent(2, 'Warning', 'NodeNotReady', 'down', 'Node/w1', 1.5, 'node-controller');
    byId.recordEventOf(2, 'Warning', 'NodeNotReady', 'down', node, 1.5, 'node-controller');
    byText.recordEvent(3, 'Normal', 'Pulled', 'ok', 'Node/w1', 1, 'node-controller');
    byId.recordEventOf(3, 'Normal', 'Pulled', 'ok', node, 1, 'node-controller');
    byText.recordEvent(4, 'Normal', 'Created', 'ok', 'Pod/default/a', 1, 'kubelet, w1');
    byId.recordEventOf(4, 'Normal', 'Created', 'ok', a, 1, 'kubelet, w1', w1);
    byText.subscribe((e) => seenByText.push(e));
    byId.subscribe((e) => seenById.push(e));
    byText.recordEvent(3, 'Normal', 'Started', 'go', 'Pod/default/a', 2, 'kubelet, w1');
    byId.recordEventOf(3, 'Normal', 'Started', 'go', a, 2, 'kubelet, w1', w1);
    expect(byId.toNDJSON()).toBe(byText.toNDJSON());
    expect(seenById).toEqual(seenByText);
    expect(byId.entries[4]).toEqual({ t: 3, type: 'event', eventType: 'Normal', reason: 'Started', message: 'go', object: 'Pod/default/a', count: 2, source: 'kubelet, w1' });
  });

  it('keeps entries the columns cannot rebuild exactly as they were recorded', () => {
    const odd = [
      { t: 1, type: 'write', verb: 'update', kind: 'Pod', namespace: 'default', name: 'a', resourceVersion: '007', by: 'x' },
      { t: 2, by: 'x', type: 'write', verb: 'update', kind: 'Pod', name: 'a', resourceVersion: '8' },
      { t: 3, type: 'event', eventType: 'Normal', reason: 'R', message: 'm', object: 'o', count: 1.5, source: 's' },
      { t: 4, type: 'write', verb: 'update', kind: 'Pod', namespace: '', name: 'a', resourceVersion: '9', by: 'x' },
    ] as unknown as TraceEntry[];
    const trace = new Trace();
    for (const entry of odd) trace.record(entry);
    expect(trace.toNDJSON()).toBe(odd.map((e) => `${JSON.stringify(e)}\n`).join(''));
  });

  it('crosses chunk boundaries and tells subscribers every entry', () => {
    const trace = new Trace();
    const told: TraceEntry[] = [];
    for (let i = 0; i < 40_000; i++) trace.recordWrite(i, 'update', 'Lease', 'kube-node-lease', `node-${i % 7}`, i + 1, 'kubelet@node');
    const unsubscribe = trace.subscribe((e) => told.push(e));
    trace.recordWrite(40_000, 'create', 'Pod', 'default', 'b', 40_001, 'me@there');
    unsubscribe();
    trace.recordWrite(40_001, 'create', 'Pod', 'default', 'c', 40_002, 'me@there');
    expect(trace.size).toBe(40_002);
    expect(trace.entries[20_000]).toEqual({ t: 20_000, type: 'write', verb: 'update', kind: 'Lease', namespace: 'kube-node-lease', name: 'node-1', resourceVersion: '20001', by: 'kubelet@node' });
    expect(told).toEqual([{ t: 40_000, type: 'write', verb: 'create', kind: 'Pod', namespace: 'default', name: 'b', resourceVersion: '40001', by: 'me@there' }]);
    expect(trace.entries[40_001]).toMatchObject({ name: 'c', resourceVersion: '40002' });
  });

  it('returns the same entries array until something is recorded', () => {
    const trace = new Trace();
    trace.recordWrite(0, 'create', 'Pod', 'default', 'a', 1, 'x');
    const first = trace.entries;
    expect(trace.entries).toBe(first);
    trace.recordWrite(1, 'delete', 'Pod', 'default', 'a', 2, 'x');
    expect(trace.entries).not.toBe(first);
    expect(trace.entries).toHaveLength(2);
  });

  it('tells write listeners the row and values of each write, and reads a row back', () => {
    const trace = new Trace();
    const told: unknown[][] = [];
    trace.recordEvent(0, 'Normal', 'R', 'm', 'Pod/default/a', 1, 's');
    const stop = trace.onWrite((...args) => told.push(args));
    trace.recordWrite(1, 'create', 'Pod', 'default', 'a', 2, 'me@here');
    trace.recordEvent(2, 'Normal', 'R', 'm', 'Pod/default/a', 2, 's');
    trace.record({ t: 3, type: 'write', verb: 'update', kind: 'Node', name: 'n1', resourceVersion: '3', by: 'x@y' });
    // A resourceVersion the columns cannot hold is kept raw, and still told.
    trace.recordWrite(4, 'patch', 'Node', undefined, 'n1', 2 ** 40, 'x@y');
    stop();
    trace.recordWrite(5, 'delete', 'Pod', 'default', 'a', 2 ** 40 + 1, 'me@here');
    expect(told).toEqual([
      [1, 1, 'create', 'Pod', 'default', 'a', 2, 'me@here'],
      [3, 3, 'update', 'Node', undefined, 'n1', 3, 'x@y'],
      [4, 4, 'patch', 'Node', undefined, 'n1', 2 ** 40, 'x@y'],
    ]);
    expect(trace.at(1)).toEqual({ t: 1, type: 'write', verb: 'create', kind: 'Pod', namespace: 'default', name: 'a', resourceVersion: '2', by: 'me@here' });
    expect(trace.at(4)).toEqual(trace.entries[4]);
    expect(trace.at(4)).toMatchObject({ resourceVersion: String(2 ** 40) });
    expect(trace.at(6)).toBeUndefined();
    expect(trace.at(-1)).toBeUndefined();
  });

  it('builds entries for subscribers only, after the write listeners', () => {
    const trace = new Trace();
    const order: string[] = [];
    trace.subscribe((e) => order.push(`entry ${e.type}`));
    trace.onWrite((row) => order.push(`write ${row}`));
    trace.recordWrite(1, 'create', 'Pod', 'default', 'a', 2, 'me@here');
    trace.recordEvent(2, 'Normal', 'R', 'm', 'Pod/default/a', 1, 's');
    expect(order).toEqual(['write 0', 'entry write', 'entry event']);
    expect(trace.toNDJSON()).toBe(trace.entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  });
});

describe('Trace columns (issue 8)', () => {
  it('keeps times that are not whole milliseconds below 2^32 exactly, and Event objects by id', () => {
    const entries: TraceEntry[] = [
      { t: 0.5, type: 'write', verb: 'create', kind: 'Pod', namespace: 'default', name: 'a', resourceVersion: '1', by: 'x@y' },
      { t: 2 ** 32, type: 'write', verb: 'update', kind: 'Pod', namespace: 'default', name: 'a', resourceVersion: '2', by: 'x@y' },
      { t: 2 ** 32 - 1, type: 'event', eventType: 'Normal', reason: 'R', message: 'm', object: 'Pod/default/a', count: 1, source: 's' },
      { t: 7.25, type: 'event', eventType: 'Normal', reason: 'R', message: 'm', object: 'Pod/default/b', count: 2, source: 's' },
      { t: 8, type: 'event', eventType: 'Normal', reason: 'R', message: 'm', object: 'Pod/default/a', count: 3, source: 's' },
      { t: -1, type: 'reachability', location: 'node-1', reachable: false },
    ];
    const byObject = new Trace();
    for (const entry of entries) byObject.record(entry);
    expect(byObject.entries).toEqual(entries);
    const byValues = new Trace();
    byValues.recordWrite(0.5, 'create', 'Pod', 'default', 'a', 1, 'x@y');
    byValues.recordWrite(2 ** 32, 'update', 'Pod', 'default', 'a', 2, 'x@y');
    byValues.recordEvent(2 ** 32 - 1, 'Normal', 'R', 'm', 'Pod/default/a', 1, 's');
    byValues.recordEvent(7.25, 'Normal', 'R', 'm', 'Pod/default/b', 2, 's');
    byValues.recordEvent(8, 'Normal', 'R', 'm', 'Pod/default/a', 3, 's');
    byValues.record(entries[5]!);
    expect(byValues.toNDJSON()).toBe(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  });
});

describe('Trace narrow columns and their fallbacks (issue 8)', () => {
  /** The NDJSON of `entries`, as every read must give it. */
  const ndjson = (entries: readonly TraceEntry[]): string => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

  it('widens a chunk column when a writer, kind or namespace id does not fit 16 bits', () => {
    // 70,000 distinct writers and namespaces: ids past 0xffff, in the first chunk (which then
    // doubles as a wide chunk) and in later ones; kinds past 0xffff at the end.
    const expected: TraceEntry[] = [];
    const trace = new Trace();
    for (let i = 0; i < 70_000; i++) {
      const namespace = i % 3 === 0 ? undefined : `ns-${i}`;
      const entry: TraceEntry = namespace
        ? { t: i, type: 'write', verb: 'update', kind: 'Pod', namespace, name: `p-${i % 5}`, resourceVersion: String(i + 1), by: `kubelet@node-${i}` }
        : { t: i, type: 'write', verb: 'update', kind: 'Node', name: `p-${i % 5}`, resourceVersion: String(i + 1), by: `kubelet@node-${i}` };
      expected.push(entry);
      trace.recordWrite(i, 'update', namespace ? 'Pod' : 'Node', namespace, `p-${i % 5}`, i + 1, `kubelet@node-${i}`);
    }
    for (let i = 0; i < 3; i++) {
      const entry: TraceEntry = { t: 70_000 + i, type: 'write', verb: 'create', kind: `Kind${i}`, namespace: 'default', name: 'x', resourceVersion: '1', by: 'x@y' };
      expected.push(entry);
      trace.record(entry);
    }
    expect(trace.at(0)).toEqual(expected[0]);
    expect(trace.at(65_600)).toEqual(expected[65_600]);
    expect(trace.at(70_002)).toEqual(expected[70_002]);
    expect(trace.toNDJSON()).toBe(ndjson(expected));
  });

  it('widens for an Event count, reason or source and a location past 16 bits, in the first chunk too', () => {
    const trace = new Trace();
    const expected: TraceEntry[] = [];
    // Fill the string table past 0xffff with writers first.
    for (let i = 0; i < 65_540; i++) trace.recordWrite(i, 'patch', 'Lease', 'kube-node-lease', 'l', i + 1, `w${i}`);
    for (let i = 0; i < 65_540; i++) expected.push({ t: i, type: 'write', verb: 'patch', kind: 'Lease', namespace: 'kube-node-lease', name: 'l', resourceVersion: String(i + 1), by: `w${i}` });
    const more: TraceEntry[] = [
      { t: 1, type: 'event', eventType: 'Warning', reason: 'BackOff', message: 'm', object: 'Pod/default/a', count: 70_000, source: 'kubelet, w' },
      { t: 2, type: 'event', eventType: 'Normal', reason: 'NewReason', message: 'm', object: 'Pod/default/a', count: 2 ** 32 - 1, source: 'new source' },
      { t: 3, type: 'reachability', location: 'new-location', reachable: false },
      { t: 4, type: 'event', eventType: 'Normal', reason: 'BackOff', message: 'm2', object: 'Pod/default/b', count: 3, source: 'kubelet, w' },
    ];
    trace.recordEvent(1, 'Warning', 'BackOff', 'm', 'Pod/default/a', 70_000, 'kubelet, w');
    trace.recordEvent(2, 'Normal', 'NewReason', 'm', 'Pod/default/a', 2 ** 32 - 1, 'new source');
    trace.record(more[2]!);
    trace.record(more[3]!);
    expected.push(...more);
    expect(trace.at(65_540)).toEqual(more[0]);
    expect(trace.at(65_541)).toEqual(more[1]);
    expect(trace.toNDJSON()).toBe(ndjson(expected));

    // A fresh trace: a wide count in its small first chunk, kept as it doubles.
    const small = new Trace();
    small.recordEvent(0, 'Normal', 'R', 'm', 'o', 1_000_000, 's');
    for (let i = 1; i < 5_000; i++) small.recordEvent(i, 'Normal', 'R', 'm', 'o', i, 's');
    expect(small.at(0)).toMatchObject({ count: 1_000_000 });
    expect(small.at(4_999)).toMatchObject({ t: 4_999, count: 4_999 });
  });

  it('widens a chunk time column when a time is more than 65.5 s after its first or before it', () => {
    const trace = new Trace();
    const expected: TraceEntry[] = [];
    const write = (t: number, rv: number): void => {
      trace.recordWrite(t, 'update', 'Lease', 'kube-node-lease', 'w-1', rv, 'kubelet@w-1');
      expected.push({ t, type: 'write', verb: 'update', kind: 'Lease', namespace: 'kube-node-lease', name: 'w-1', resourceVersion: String(rv), by: 'kubelet@w-1' });
    };
    // A RAW row first: it has no time of its own; the first chunk's base is the next row's.
    const raw = { t: 0.5, type: 'reachability', location: 'w-1', reachable: false } as const;
    trace.record(raw);
    expected.push(raw);
    write(1_000_000, 1);
    write(1_000_000 + 65_535, 2); // the last offset that fits
    write(1_000_000 + 65_536, 3); // widens the first chunk (1,024 rows), which then doubles
    for (let i = 0; i < 2_000; i++) write(1_100_000 + i, 4 + i);
    write(999, 2_004); // earlier than the widened chunk's first time
    // The second chunk (row 16,384 on) is narrow until a time before its first one.
    for (let i = expected.length; i < 16_384 + 10; i++) write(2_000_000 + i, i);
    write(1_999_000, 98);
    write(2 ** 32 - 1, 99);
    write(5, 100);
    expect(trace.at(0)).toEqual(raw);
    expect(trace.at(3)).toEqual(expected[3]);
    expect(trace.at(16_390)).toEqual(expected[16_390]);
    expect(trace.entries).toEqual(expected);
    expect(trace.toNDJSON()).toBe(ndjson(expected));
  });

  it('keeps Events whose type does not fit the row code as recorded', () => {
    const trace = new Trace();
    const expected: TraceEntry[] = [];
    for (let i = 0; i < 300; i++) {
      const entry: TraceEntry = { t: i, type: 'event', eventType: `Type${i}`, reason: 'R', message: `m${i}`, object: 'Node/n', count: 1, source: 's' };
      expected.push(entry);
      if (i % 2 === 0) trace.recordEvent(i, `Type${i}`, 'R', `m${i}`, 'Node/n', 1, 's');
      else trace.record(entry);
    }
    // The first types again: still in the row code.
    trace.recordEvent(300, 'Type0', 'R', 'again', 'Node/n', 2, 's');
    expected.push({ t: 300, type: 'event', eventType: 'Type0', reason: 'R', message: 'again', object: 'Node/n', count: 2, source: 's' });
    expect(trace.size).toBe(301);
    expect(trace.at(299)).toEqual(expected[299]);
    expect(trace.entries).toEqual(expected);
    expect(trace.toNDJSON()).toBe(ndjson(expected));
  });
});

describe('Trace rows without a name column and narrow versions (issue 8)', () => {
  const ndjson = (entries: readonly TraceEntry[]): string => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

  it('reads back every row of a mixed trace the same by at(), entries and NDJSON', () => {
    // A seeded walk: kubelets renewing their own Lease and Node (self-named rows) among
    // Pod writes, Events about 70,000 objects (ids past 16 bits), reachability changes,
    // raw rows, and resourceVersions that jump back and past 65,535 in some chunks.
    const trace = new Trace();
    const expected: TraceEntry[] = [];
    let x = 11;
    const next = (m: number): number => {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      return x % m;
    };
    let rv = 1;
    // 66,000 objects first, so the walk's Event object ids are past 16 bits.
    for (let i = 0; i < 66_000; i++) trace.recordEvent(0, 'Normal', 'R', 'm', `Node/n-${i}`, 1, 's');
    for (let i = 0; i < 66_000; i++) expected.push({ t: 0, type: 'event', eventType: 'Normal', reason: 'R', message: 'm', object: `Node/n-${i}`, count: 1, source: 's' });
    for (let row = 66_000; row < 156_000; row++) {
      const t = row * 3;
      const node = `node-${next(50)}`;
      const pick = next(20);
      if (row > 106_000 && row < 106_100) rv += 70_000; // chunk 2: versions past 16 bits from its first
      if (row === 126_000) rv = 5; // chunk 3: a version below its first
      if (pick < 8) {
        const kind = pick < 5 ? 'Lease' : 'Node';
        const namespace = kind === 'Lease' ? 'kube-node-lease' : undefined;
        const name = pick === 4 ? `${node}-other` : node;
        trace.recordWrite(t, pick < 5 ? 'update' : 'status', kind, namespace, name, rv, `kubelet@${node}`);
        expected.push({ t, type: 'write', verb: pick < 5 ? 'update' : 'status', kind, ...(namespace ? { namespace } : {}), name, resourceVersion: String(rv), by: `kubelet@${node}` });
        rv++;
      } else if (pick < 12) {
        trace.recordWrite(t, 'status', 'Pod', 'default', `web-${row}`, rv, `kubelet@${node}`);
        expected.push({ t, type: 'write', verb: 'status', kind: 'Pod', namespace: 'default', name: `web-${row}`, resourceVersion: String(rv), by: `kubelet@${node}` });
        rv++;
      } else if (pick < 18) {
        const type = pick === 17 ? 'Warning' : 'Normal';
        const object = `Pod/default/web-${row}`;
        trace.recordEvent(t, type, 'Pulled', `pulled ${row % 7}`, object, 1 + (row % 300), `kubelet, ${node}`);
        expected.push({ t, type: 'event', eventType: type, reason: 'Pulled', message: `pulled ${row % 7}`, object, count: 1 + (row % 300), source: `kubelet, ${node}` });
      } else if (pick === 18) {
        const entry: TraceEntry = { t, type: 'reachability', location: node, reachable: row % 2 === 0 };
        trace.record(entry);
        expected.push(entry);
      } else {
        // An Event of a third type: kept as recorded.
        const entry: TraceEntry = { t, type: 'event', eventType: 'Odd', reason: 'R', message: 'm', object: 'Node/n', count: 1, source: 's' };
        trace.recordEvent(t, 'Odd', 'R', 'm', 'Node/n', 1, 's');
        expected.push(entry);
      }
    }
    expect(trace.size).toBe(expected.length);
    for (let row = 0; row < expected.length; row += 1) {
      if (row % 97 === 0 || (row % 16_384) < 40 || (row % 16_384) > 16_340) expect(trace.at(row)).toEqual(expected[row]);
    }
    expect(trace.entries).toEqual(expected);
    expect(trace.toNDJSON()).toBe(ndjson(expected));
  });

  it('stores a write naming its writer\'s first name of its kind without a name and reads it back equal', () => {
    const trace = new Trace();
    trace.recordWrite(1, 'create', 'Node', undefined, 'node-1', 1, 'kubelet@node-1');
    trace.recordWrite(2, 'update', 'Lease', 'kube-node-lease', 'node-1', 2, 'kubelet@node-1');
    trace.recordWrite(3, 'status', 'Pod', 'default', 'web-0', 3, 'kubelet@node-1');
    // An equal name built anew is the same name.
    trace.recordWrite(4, 'status', 'Node', undefined, ['node', '1'].join('-'), 4, 'kubelet@node-1');
    trace.recordWrite(5, 'status', 'Pod', 'default', 'web-1', 5, 'kubelet@node-1');
    trace.recordWrite(6, 'status', 'Pod', 'default', 'web-0', 6, 'kubelet@node-2');
    trace.recordWrite(7, 'status', 'Pod', 'default', 'web-0', 7, 'kubelet@node-1');
    expect(trace.entries.map((e) => (e.type === 'write' ? `${e.name} ${e.by}` : ''))).toEqual([
      'node-1 kubelet@node-1',
      'node-1 kubelet@node-1',
      'web-0 kubelet@node-1',
      'node-1 kubelet@node-1',
      'web-1 kubelet@node-1',
      'web-0 kubelet@node-2',
      'web-0 kubelet@node-1',
    ]);
    expect([0, 1, 2, 3, 4, 5, 6].map((row) => trace.at(row))).toEqual(trace.entries);
  });

  it('tells a writer\'s own name from others that end alike and are as long, the empty name included', () => {
    const trace = new Trace();
    const names = ['web-10', 'web-20', 'web-10', '', 'web-10', 'xeb-10', '', 'web-1'];
    names.forEach((name, i) => trace.recordWrite(i, 'status', 'Pod', 'default', name, i + 1, 'kubelet@node-1'));
    ['', 'a', ''].forEach((name, i) => trace.recordWrite(10 + i, 'status', 'Pod', 'default', name, 20 + i, 'kubelet@node-2'));
    expect(trace.entries.map((e) => (e.type === 'write' ? e.name : undefined))).toEqual([...names, '', 'a', '']);
  });

  it('records a write by its writer id as by its writer name', () => {
    const byName = new Trace();
    const byId = new Trace();
    const writers = ['kubelet@node-1', 'scheduler@control-plane', 'kubelet@node-2'];
    // Some writers known by id before any write, one first seen by name.
    const ids = [byId.writerId(writers[0]!), byId.writerId(writers[1]!)];
    for (let i = 0; i < 60; i++) {
      const by = writers[i % 3]!;
      const name = i % 4 === 0 ? 'node-1' : `web-${i}`;
      byName.recordWrite(i, 'status', 'Pod', 'default', name, i + 1, by);
      if (i % 3 === 2) byId.recordWrite(i, 'status', 'Pod', 'default', name, i + 1, by);
      else byId.recordWrite(i, 'status', 'Pod', 'default', name, i + 1, by, ids[i % 3]);
    }
    expect(byId.writerId(writers[2]!)).toBe(2);
    expect(byId.toNDJSON()).toBe(byName.toNDJSON());
    // Whose ids a caller's cache holds is told by the serial.
    expect(byId.serial).not.toBe(byName.serial);
  });
});
