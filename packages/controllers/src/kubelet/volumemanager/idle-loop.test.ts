import { describe, expect, it } from '@jest/globals';
import { SimClock } from '@failsim/core';
import { IdleLoop } from './idle-loop.js';

describe('IdleLoop', () => {
  it('ticks on its 100 ms grid only when woken, and not before notBefore', () => {
    const clock = new SimClock();
    const ticks: number[] = [];
    const loop = new IdleLoop(clock, 100, { owner: 't', purpose: 'loop' }, () => ticks.push(clock.now()));
    clock.runUntil(250);
    loop.wake();
    loop.wake();
    clock.runUntil(1_000);
    expect(ticks).toEqual([300]);
    loop.wake(1_450);
    loop.wake(1_200);
    clock.runUntil(2_000);
    expect(ticks).toEqual([300, 1_200]);
    expect(clock.pending()).toEqual([]);
  });

  it('does nothing while stopped and restarts its grid on start', () => {
    const clock = new SimClock();
    const ticks: number[] = [];
    const loop = new IdleLoop(clock, 100, { owner: 't', purpose: 'loop' }, () => ticks.push(clock.now()));
    loop.wake();
    loop.stop();
    loop.wake();
    clock.runUntil(1_030);
    loop.start();
    loop.wake();
    clock.runUntil(2_000);
    expect(ticks).toEqual([1_130]);
  });
});
