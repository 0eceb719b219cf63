import { describe, expect, it } from '@jest/globals';
import { afterPowerOff, testSession } from '../test-session.js';
import { sampleBoshTasks, sampleVsphereTasks } from './tasks.js';

describe('task samplers', () => {
  it('list vCenter tasks newest first: the power-off by govc', () => {
    const session = afterPowerOff(5);
    const [last] = sampleVsphereTasks(session.run);
    expect(last).toMatchObject({ initiator: 'govc', status: 'Completed', error: '' });
    expect(last?.name).toBe('Power Off virtual machine');
    expect(last?.started).toMatch(/^T\+\d\d:\d\d$/);
  });

  it('list the director\'s tasks newest first, after a bosh cck', () => {
    const session = testSession();
    const deployment = session.run.env.deployment;
    expect(session.command(`bosh -d ${deployment} cck --report`)._tag).toBe('Right');
    session.run.env.cluster.sim.clock.runFor(600_000);
    const rows = sampleBoshTasks(session.run);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ deployment, description: 'scan cloud' });
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a));
  });
});
