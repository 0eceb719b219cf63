import { describe, expect, it } from '@jest/globals';
import { SimClock } from '@failsim/core';
import { every } from './periodic.js';

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
});
