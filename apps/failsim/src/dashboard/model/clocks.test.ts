import { describe, expect, it } from '@jest/globals';
import { SimClock } from '@failsim/core';
import { afterPowerOff } from '../test-session.js';
import { sampleClocks, TimerIndex } from './clocks.js';

describe('sampleClocks', () => {
  it('groups pending timers by owner with a countdown, soonest first, and hides housekeeping loops unless asked', () => {
    const clock = new SimClock();
    clock.schedule(40_000, () => {}, { owner: 'node-lifecycle', purpose: 'grace period of node w2' });
    clock.schedule(360_000, () => {}, { owner: 'attachdetach', purpose: 'force detach of pv-1' });
    clock.schedule(100, () => {}, { owner: 'attachdetach', purpose: 'attach/detach reconciler pass (100 ms loop)' });
    expect(sampleClocks(clock)).toEqual([
      { owner: 'node-lifecycle', timers: [{ purpose: 'grace period of node w2', dueAt: 40_000, countdown: 'in 40s' }] },
      { owner: 'attachdetach', timers: [{ purpose: 'force detach of pv-1', dueAt: 360_000, countdown: 'in 6m' }] },
    ]);
    expect(sampleClocks(clock, { all: true }).find((g) => g.owner === 'attachdetach')?.timers).toHaveLength(2);
  });

  it('on a real run after the power-off shows the scenario runner waiting for its next step', () => {
    const session = afterPowerOff(50);
    const runner = sampleClocks(session.run.env.cluster.sim.clock, { limit: Infinity }).find((g) => g.owner === 'scenario-runner');
    // `after: 70m` from the power-off's end, 50 s ago: kubectl's duration printer reads 69m.
    expect(runner?.timers).toEqual([{ purpose: 'step delete-node after 4200s', dueAt: expect.any(Number), countdown: 'in 69m' }]);
  });

  it('reads the failure timers from a TimerIndex kept by the clock observer: the same groups as listing all', () => {
    const clock = new SimClock();
    clock.schedule(100, () => {}, { owner: 'attachdetach', purpose: 'attach/detach reconciler pass (100 ms loop)' });
    const early = clock.schedule(1_000, () => {}, { owner: 'node-lifecycle', purpose: 'grace period of node w1' });
    const index = new TimerIndex(clock);
    clock.schedule(40_000, () => {}, { owner: 'node-lifecycle', purpose: 'grace period of node w2' });
    clock.schedule(360_000, () => {}, { owner: 'attachdetach', purpose: 'force detach of pv-1' });
    expect(index.pending().map((t) => t.purpose)).toEqual(['grace period of node w1', 'grace period of node w2', 'force detach of pv-1']);
    early.cancel();
    clock.runFor(40_000);
    expect(sampleClocks(clock, { index })).toEqual(sampleClocks(clock));
    expect(index.pending().map((t) => t.purpose)).toEqual(['force detach of pv-1']);
    index.detach();
    clock.schedule(1, () => {}, { owner: 'x', purpose: 'after detach' });
    expect(index.pending()).toHaveLength(1);
  });
});
