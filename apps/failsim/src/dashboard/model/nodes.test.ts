import { describe, expect, it } from '@jest/globals';
import { afterPowerOff, testSession } from '../test-session.js';
import { sampleNodes } from './nodes.js';

describe('sampleNodes', () => {
  it('lists the five nodes Ready, their VMs powered on, with fresh heartbeats', () => {
    const session = testSession();
    session.run.env.cluster.sim.clock.runFor(60_000);
    const rows = sampleNodes(session.run);
    expect(rows.map((r) => r.name)).toEqual(['master-0', 'worker-0', 'worker-1', 'worker-2', 'worker-3']);
    for (const r of rows) expect(r).toMatchObject({ status: 'Ready', power: 'poweredOn' });
    expect(rows[0]?.taints).toBe('node-role.kubernetes.io/master:NoSchedule');
    expect(rows.slice(1).map((r) => r.taints)).toEqual(['<none>', '<none>', '<none>', '<none>']);
    // PKS 1.12 workers carry no node-role label: kubectl prints <none>.
    expect(rows.find((r) => r.name === 'worker-1')?.roles).toBe('<none>');
  });

  it('50 virtual seconds after the power-off: the node of cassandra-0 is NotReady, its VM poweredOff, its heartbeat stale', () => {
    const session = afterPowerOff(50);
    const vmOff = sampleNodes(session.run).find((r) => r.power === 'poweredOff');
    expect(vmOff).toBeDefined();
    expect(vmOff?.status).toBe('NotReady');
    // The last heartbeat came before the power-off (the 1.12 kubelet posts every 10 s).
    expect(Number(/^(\d+)s$/.exec(vmOff?.heartbeat ?? '')?.[1])).toBeGreaterThanOrEqual(50);
    // cassandra-0 and the node's DaemonSet pods are still bound to it.
    expect(vmOff?.pods).toBeGreaterThanOrEqual(1);
  });
});
