import { describe, expect, it } from '@jest/globals';
import { testSession } from '../test-session.js';
import { deriveFromList, listOf, memo } from './snapshot.js';

describe('the frame snapshot', () => {
  it('lists once per state: the same array until a write or the clock moves', () => {
    const session = testSession();
    session.advance(60_000);
    const run = session.run;
    const first = listOf(run, 'Node');
    expect(listOf(run, 'Node')).toBe(first);
    expect(first.map((n) => n.metadata?.name)).toEqual(['master-0', 'worker-0', 'worker-1', 'worker-2', 'worker-3']);
    run.env.cluster.sim.clock.runFor(1_000);
    expect(listOf(run, 'Node')).not.toBe(first);
  });

  it('sees a write at the same virtual time (the resourceVersion moved)', () => {
    const session = testSession();
    session.advance(60_000);
    const before = listOf(session.run, 'Node');
    session.command('kubectl delete node worker-3');
    expect(listOf(session.run, 'Node')).toHaveLength(before.length - 1);
  });

  it('computes a memo once per state', () => {
    const session = testSession();
    let calls = 0;
    const f = (): number => ++calls;
    expect(memo(session.run, 'k', f)).toBe(1);
    expect(memo(session.run, 'k', f)).toBe(1);
    session.run.env.cluster.sim.clock.runFor(1_000);
    expect(memo(session.run, 'k', f)).toBe(2);
  });

  it('derives from a list again only when an object in it changed, not when the clock moved', () => {
    const session = testSession();
    session.advance(60_000);
    const run = session.run;
    let calls = 0;
    const count = (items: readonly unknown[]): number => (calls++, items.length);
    const pods = listOf(run, 'Pod');
    expect(deriveFromList(run, 'n', pods, count)).toBe(pods.length);
    // A new list (the clock moved) holding the same frozen objects: nothing recomputed.
    expect(deriveFromList(run, 'n', [...pods], count)).toBe(pods.length);
    expect(calls).toBe(1);
    expect(deriveFromList(run, 'n', pods.slice(1), count)).toBe(pods.length - 1);
    expect(calls).toBe(2);
    session.command('kubectl delete node worker-3');
    session.advance(60_000);
    expect(deriveFromList(run, 'n', listOf(run, 'Pod'), count)).toBe(listOf(run, 'Pod').length);
    expect(calls).toBe(3);
  });
});
