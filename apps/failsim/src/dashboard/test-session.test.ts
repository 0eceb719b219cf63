import { describe, expect, it } from '@jest/globals';
import { afterPowerOff, testSession } from './test-session.js';

describe('test sessions', () => {
  it('start a library scenario at T+0 with its resources applied, on a clock nobody paces', () => {
    const session = testSession();
    expect(session.run.env.cluster.sim.clock.now()).toBe(session.run.startMs);
    expect(session.log).toEqual([]);
    expect(session.pacer.state).toMatchObject({ running: true, paused: false, speed: 10 });
  });

  it('step past the power-off: the next step is the node deletion', () => {
    expect(afterPowerOff(5).run.nextStep()?.id).toBe('delete-node');
  });
});
