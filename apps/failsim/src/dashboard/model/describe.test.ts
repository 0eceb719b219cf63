import { describe, expect, it } from '@jest/globals';
import { afterPowerOff } from '../test-session.js';
import { describeTarget } from './describe.js';
import { sampleNodes } from './nodes.js';

describe('describeTarget', () => {
  const session = afterPowerOff(360);
  const lost = sampleNodes(session.run).find((n) => n.status === 'NotReady')!.name;

  it('describes a lost node: its unreachable taint, its VM powered off, Ready Unknown, then its Events', () => {
    const lines = describeTarget(session.run, { kind: 'Node', name: lost });
    expect(lines[0]).toBe(`Name:               ${lost}`);
    expect(lines).toContain('Unschedulable:      false');
    // 1.12 taints NoSchedule only (TaintBasedEvictions is off there).
    expect(lines.join('\n')).toMatch(/^Taints: +node\.kubernetes\.io\/unreachable:NoSchedule$/m);
    expect(lines.join('\n')).toMatch(/^VM: +\S+ \(poweredOff\)$/m);
    expect(lines.join('\n')).toMatch(/^ {2}Ready +Unknown .*NodeStatusUnknown +Kubelet stopped posting node status\.$/m);
    expect(lines).toContain('Events:');
    expect(lines.join('\n')).toMatch(/NodeNotReady +.* Node \S+ status is now: NodeNotReady/);
  });

  it('describes the pod as kubectl describe pod does, and its claim as the storage chain', () => {
    const pod = describeTarget(session.run, { kind: 'Pod', name: 'cassandra-0', namespace: 'cassandra' });
    expect(pod[0]).toMatch(/^Name: +cassandra-0$/);
    expect(pod.join('\n')).toMatch(/^Status: +Terminating \(lasts /m);
    const pvc = describeTarget(session.run, { kind: 'PersistentVolumeClaim', name: 'cassandra-data-cassandra-0', namespace: 'cassandra' });
    expect(pvc).toContain('Status:        Bound');
    expect(pvc.join('\n')).toMatch(/^In VMs: +\S+ \(\S+, poweredOff\)$/m);
  });

  it('says NotFound, as kubectl does, for an object that is gone', () => {
    expect(describeTarget(session.run, { kind: 'Node', name: 'worker-9' })).toEqual(['Error from server (NotFound): nodes "worker-9" not found']);
    expect(describeTarget(session.run, { kind: 'PersistentVolumeClaim', name: 'x', namespace: 'cassandra' })).toEqual(['Error from server (NotFound): persistentvolumeclaims "x" not found']);
  });
});
