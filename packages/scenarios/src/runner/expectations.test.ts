import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { parseTemplate } from '../format/reference.js';
import type { Expectation } from '../format/scenario.js';
import { checkExpectation, formatMs } from './expectations.js';
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

  it('event: matches reason, message and window', () => {
    const exp: Expectation = { kind: 'event', reason: 'NodeNotReady', message: /NotReady$/, within: { fromMs: 0, toMs: 10_000 }, position };
    const events = [{ at: 12, type: 'Normal', reason: 'NodeNotReady', object: 'Node/w1', message: 'Node w1 status is now: NodeNotReady', count: 1, source: 'node-controller' }];
    expect(checkExpectation(exp, { anchor: 0, transitions, events, end: 100 }).detail).toBe(
      'expected NodeNotReady between 0s and 10s; the first such event was at 12s (12s from the start): Node w1 status is now: NodeNotReady',
    );
    expect(checkExpectation(exp, { anchor: 5, transitions, events, end: 100 }).passed).toBe(true);
  });
});
