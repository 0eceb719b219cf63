import { describe, expect, it } from '@jest/globals';
import { SimClock } from '@failsim/core';
import { every, type Periodic } from './periodic.js';

describe('every', () => {
  it('runs at once and then every period, like wait.Until in virtual time', () => {
    const clock = new SimClock();
    const runs: number[] = [];
    const loop = every(clock, 5_000, { owner: 'node-lifecycle-controller', purpose: 'monitor node health' }, () => runs.push(clock.now()));
    clock.runUntil(20_000);
    expect(runs).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
    expect(clock.pending()).toEqual([{ id: expect.any(Number), dueAt: 25_000, owner: 'node-lifecycle-controller', purpose: 'monitor node health' }]);
    loop.stop();
    clock.runUntil(60_000);
    expect(runs).toHaveLength(5);
  });

  it('honours an initial delay', () => {
    const clock = new SimClock();
    const runs: number[] = [];
    every(clock, 20_000, { owner: 'pod-garbage-collector', purpose: 'gc' }, () => runs.push(clock.now()), 20_000);
    clock.runUntil(60_000);
    expect(runs).toEqual([20_000, 40_000, 60_000]);
  });

  it('stops only its own timer when loops share a label, also when stopped from inside a run', () => {
    const clock = new SimClock();
    const label = { owner: 'shared', purpose: 'loop' };
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    const loopA = every(clock, 1_000, label, () => a.push(clock.now()));
    every(clock, 1_500, label, () => b.push(clock.now()));
    // The first run comes from the clock, after the loop is assigned.
    const loopC: Periodic = every(clock, 700, label, () => {
      c.push(clock.now());
      if (c.length === 2) loopC.stop();
    });
    clock.runUntil(2_000);
    loopA.stop();
    loopA.stop();
    clock.runUntil(6_000);
    expect(a).toEqual([0, 1_000, 2_000]);
    expect(b).toEqual([0, 1_500, 3_000, 4_500, 6_000]);
    expect(c).toEqual([0, 700]);
    expect(clock.pending().map((t) => t.dueAt)).toEqual([7_500]);
  });
});
