import { describe, expect, it } from '@jest/globals';
import { afterPowerOff, runUntil, testSession } from '../test-session.js';
import { samplePods } from './pods.js';

describe('samplePods', () => {
  it('shows cassandra-0 Running 1/1 on a worker once the StatefulSet is up', () => {
    const session = testSession();
    expect(runUntil(session, () => samplePods(session.run).some((p) => p.name === 'cassandra-0' && p.status === 'Running'))).toBe(true);
    const row = samplePods(session.run).find((p) => p.name === 'cassandra-0');
    expect(row).toMatchObject({ namespace: 'cassandra', ready: '1/1', status: 'Running', restarts: 0 });
    expect(row?.node).toMatch(/^worker-\d$/);
  });

  it('shows the pod Unknown (NodeLost) once the 1.12 node controller marks it, about 5 min after the power-off', () => {
    const session = afterPowerOff(320);
    expect(samplePods(session.run).find((p) => p.name === 'cassandra-0')?.status).toBe('Unknown');
  });
});
