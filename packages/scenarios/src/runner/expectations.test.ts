import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { parseTemplate } from '../format/reference.js';
import type { Expectation } from '../format/scenario.js';
import { carriesTaint, checkExpectation, formatMs } from './expectations.js';
import type { Transition } from './recorder.js';

const name = (text: string) => {
  const t = parseTemplate(text);
  if (E.isLeft(t)) throw new Error(t.left);
  return t.right;
};
const position = { file: 's.yaml', line: 1, column: 1 };
const node = (at: number, from: string | null, to: string | null): Transition => ({ at, object: 'Node/w1', field: 'status', from, to });
const transitions = [node(0, null, 'Ready'), node(100, 'Ready', 'NotReady'), node(500, 'NotReady', 'Ready')];

describe('checkExpectation', () => {
  it('formats durations as scenarios write them', () => {
    expect([0, 500, 40_000, 300_000, 5_400_000].map(formatMs)).toEqual(['0s', '500ms', '40s', '5m', '1h30m']);
  });

  it('state: passes inside the window and says when; fails outside with what happened', () => {
    const exp: Expectation = { kind: 'state', object: { kind: 'node', name: name('w1') }, status: 'NotReady', within: { fromMs: 30_000, toMs: 50_000 }, after: 'off', position };
    const ctx = { object: E.right('w1'), transitions, events: [], end: 1000 };
    expect(checkExpectation(exp, { ...ctx, anchor: 60 })).toEqual({ description: 'node/w1 is NotReady within 30s..50s after off', passed: true, detail: 'Node/w1 became NotReady at 100s (40s after off)' });
    expect(checkExpectation(exp, { ...ctx, anchor: 20 }).detail).toBe('expected Node/w1 NotReady between 50s and 70s; it was Ready at 70s and became NotReady only at 100s (80s after off)');
    expect(checkExpectation(exp, { ...ctx, anchor: undefined }).detail).toBe('step "off" never ran');
  });

  it('held: fails when the status is left too early', () => {
    const exp: Expectation = { kind: 'held', object: { kind: 'node', name: name('w1') }, status: 'NotReady', forMs: 600_000, position };
    const result = checkExpectation(exp, { anchor: 0, object: E.right('w1'), transitions, events: [], end: 1000 });
    expect(result.passed).toBe(false);
    expect(result.detail).toBe('Node/w1 became NotReady at 100s (100s from the start) but changed to Ready at 500s (500s from the start), after 400s of the 10m');
  });

  it('taint: reads the Node\'s taints, matching by key, key:Effect or key=value:Effect', () => {
    const taints = (at: number, from: string | null, to: string | null): Transition => ({ at, object: 'Node/w1', field: 'taints', from, to });
    const u = 'node.kubernetes.io/unreachable';
    // Tainted NoSchedule at 100 s, NoExecute at 160 s (the rate-limited pass), cleared at 500 s.
    const h = [...transitions, taints(100, null, `${u}:NoSchedule`), taints(160, `${u}:NoSchedule`, `${u}:NoSchedule,${u}:NoExecute`), taints(500, `${u}:NoSchedule,${u}:NoExecute`, '')];
    const ref = { kind: 'node' as const, name: name('w1') };
    const ctx = { object: E.right('w1'), transitions: h, events: [], end: 1000, anchor: 60 };
    const state = (taint: string, fromMs: number, toMs: number, absent = false): Expectation => ({ kind: 'state', object: ref, taint, absent, within: { fromMs, toMs }, after: 'off', position });
    expect(checkExpectation(state(`${u}:NoExecute`, 30_000, 120_000), ctx)).toEqual({
      description: `node/w1 is tainted ${u}:NoExecute within 30s..2m after off`,
      passed: true,
      detail: `Node/w1 became tainted ${u}:NoExecute at 160s (100s after off)`,
    });
    expect(checkExpectation(state(`${u}:NoExecute`, 30_000, 60_000), ctx)).toMatchObject({
      passed: false,
      detail: `expected Node/w1 tainted ${u}:NoExecute between 90s and 120s; it was tainted ${u}:NoSchedule at 120s and became tainted ${u}:NoExecute only at 160s (100s after off)`,
    });
    expect(checkExpectation(state(u, 30_000, 60_000), ctx).passed).toBe(true);
    expect(checkExpectation(state(`${u}:NoExecute`, 0, 30_000, true), ctx)).toMatchObject({ passed: true, detail: `Node/w1 was untainted ${u}:NoExecute at 60s (0s after off)` });
    const held = checkExpectation({ kind: 'held', object: ref, taint: u, absent: false, forMs: 600_000, position }, { ...ctx, anchor: 0 });
    expect(held).toMatchObject({ passed: false, detail: `Node/w1 became tainted ${u} at 100s (100s from the start) but changed to untainted at 500s (500s from the start), after 400s of the 10m` });
    // A Node the run never saw is not taken as untainted.
    expect(checkExpectation(state(u, 0, 30_000, true), { ...ctx, object: E.right('w9') })).toMatchObject({ passed: false, detail: 'Node/w9 never existed during the run (is the name right?)' });
  });

  it('carriesTaint: a shorter form matches any value and effect', () => {
    expect(carriesTaint('dedicated=db:NoSchedule,x:NoExecute', 'dedicated')).toBe(true);
    expect(carriesTaint('dedicated=db:NoSchedule', 'dedicated:NoSchedule')).toBe(true);
    expect(carriesTaint('dedicated=db:NoSchedule', 'dedicated=db:NoSchedule')).toBe(true);
    expect(carriesTaint('dedicated=db:NoSchedule', 'dedicated=web:NoSchedule')).toBe(false);
    expect(carriesTaint('dedicated=db:NoSchedule', 'dedicated:NoExecute')).toBe(false);
    expect(carriesTaint('x:NoExecute', 'dedicated')).toBe(false);
    expect(carriesTaint('', 'x')).toBe(false);
    expect(carriesTaint(null, 'x')).toBe(false);
  });

  it('event: matches reason, message and window', () => {
    const exp: Expectation = { kind: 'event', reason: 'NodeNotReady', message: /NotReady$/, within: { fromMs: 0, toMs: 10_000 }, position };
    const events = [{ at: 12, type: 'Normal', reason: 'NodeNotReady', object: 'Node/w1', message: 'Node w1 status is now: NodeNotReady', count: 1, source: 'node-controller' }];
    expect(checkExpectation(exp, { anchor: 0, transitions, events, end: 100 }).detail).toBe(
      'expected NodeNotReady between 0s and 10s; the first such event was at 12s (12s from the start): Node w1 status is now: NodeNotReady',
    );
    expect(checkExpectation(exp, { anchor: 5, transitions, events, end: 100 }).passed).toBe(true);
  });

  it('absent: a removal (to null) matches, a re-creation in the same instant ends a hold', () => {
    const pod = (at: number, from: string | null, to: string | null): Transition => ({ at, object: 'Pod/ns/p', field: 'status', from, to });
    // Deleted at 100 s and re-created at once; deleted again at 300 s and left so.
    const h = [pod(0, null, 'Running'), pod(100, 'Running', null), pod(100, null, 'Pending'), pod(300, 'Pending', null)];
    const ref = { kind: 'pod' as const, namespace: 'ns', name: name('p') };
    const ctx = { object: E.right('p'), transitions: h, events: [], end: 1000 };
    const state = (fromMs: number, toMs: number): Expectation => ({ kind: 'state', object: ref, status: 'absent', within: { fromMs, toMs }, position });
    expect(checkExpectation(state(50_000, 150_000), { ...ctx, anchor: 0 })).toMatchObject({ passed: true, detail: 'Pod/ns/p became absent at 100s (100s from the start)' });
    expect(checkExpectation(state(150_000, 250_000), { ...ctx, anchor: 0 })).toMatchObject({
      passed: false,
      detail: 'expected Pod/ns/p absent between 150s and 250s; it was Pending at 250s and became absent only at 300s (300s from the start)',
    });
    const held = (forMs: number, anchor: number) => checkExpectation({ kind: 'held', object: ref, status: 'absent', forMs, position }, { ...ctx, anchor });
    expect(held(60_000, 50)).toMatchObject({ passed: false, detail: 'Pod/ns/p became absent at 100s (50s from the start) but changed to Pending at 100s (50s from the start), after 0s of the 1m' });
    expect(held(600_000, 200)).toMatchObject({ passed: true, detail: 'Pod/ns/p was absent from 300s (100s from the start) to the end' });
    // Before its creation an object is absent too; a name the run never saw is refused.
    expect(checkExpectation(state(0, 0), { ...ctx, anchor: 0, transitions: [pod(5, null, 'Pending')] }).passed).toBe(true);
    expect(checkExpectation(state(0, 10_000), { ...ctx, anchor: 0, transitions: [] })).toMatchObject({
      passed: false,
      detail: 'Pod/ns/p never existed during the run, so it cannot be seen absent (is the name right?)',
    });
  });

  it('held: a hold that starts at the anchor and runs to the end passes', () => {
    const exp: Expectation = { kind: 'held', object: { kind: 'node', name: name('w1') }, status: 'NotReady', forMs: 100_000, after: 'x', position };
    expect(checkExpectation(exp, { anchor: 150, object: E.right('w1'), transitions, events: [], end: 1000 })).toMatchObject({ passed: true, detail: 'Node/w1 was NotReady from 150s (0s after x) until 500s (350s after x)' });
  });

  it('pv: the status is the VMs the disk is attached to', () => {
    const pv = (at: number, from: string | null, to: string | null): Transition => ({ at, object: 'PersistentVolume/pvc-1', field: 'attachedTo', from, to });
    const exp: Expectation = { kind: 'held', object: { kind: 'pv', name: name('pvc-1') }, status: 'w1', forMs: 60_000, after: 'x', position };
    const ctx = { object: E.right('pvc-1'), transitions: [pv(1, null, ''), pv(5, '', 'w1'), pv(200, 'w1', '')], events: [], end: 300 };
    expect(checkExpectation(exp, { ...ctx, anchor: 10 })).toMatchObject({ passed: true, detail: 'PersistentVolume/pvc-1 was w1 from 10s (0s after x) until 200s (190s after x)' });
    expect(checkExpectation(exp, { ...ctx, anchor: 150 }).passed).toBe(false);
  });
});
