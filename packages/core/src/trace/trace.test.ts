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
