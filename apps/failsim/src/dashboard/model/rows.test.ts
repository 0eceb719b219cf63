import { describe, expect, it } from '@jest/globals';
import { INITIAL_UI } from '../ui-state.js';
import { afterPowerOff } from '../test-session.js';
import { rowCount, selectedTarget, visibleEvents, visibleNodes, visiblePods, visibleStorage } from './rows.js';

describe('rows after the filter and Ctrl-Z', () => {
  const session = afterPowerOff(360);
  const run = session.run;

  it('filters nodes by text and keeps only faulty ones with faults-only', () => {
    expect(visibleNodes(run, { filter: 'WORKER-1', faultsOnly: false }).map((r) => r.name)).toEqual(['worker-1']);
    const faulty = visibleNodes(run, { filter: '', faultsOnly: true });
    expect(faulty.map((r) => [r.status, r.power])).toEqual([['NotReady', 'poweredOff']]);
  });

  it('keeps the lost node\'s pods with faults-only and Warnings only for events', () => {
    // The StatefulSet pod reads Unknown; the lost node's DaemonSet pods NodeLost (kubectl 1.14's printPod).
    const faulty = visiblePods(run, { filter: '', faultsOnly: true });
    expect(faulty.map((r) => r.status).sort()).toEqual(['NodeLost', 'NodeLost', 'Unknown']);
    expect(faulty.find((r) => r.status === 'Unknown')?.name).toBe('cassandra-0');
    expect(visibleEvents(run, { filter: '', faultsOnly: false, warningsOnly: true }).every((e) => e.type === 'Warning')).toBe(true);
    expect(visibleEvents(run, { filter: 'NodeNotReady', faultsOnly: false, warningsOnly: false }).map((e) => e.reason)).toContain('NodeNotReady');
    expect(visibleStorage(run, { filter: 'nothing-like-this', faultsOnly: false })).toEqual([]);
  });

  it('says which object the selected row stands for, and how many rows j/k move over', () => {
    expect(selectedTarget(run, { ...INITIAL_UI, selected: 1 })).toEqual({ kind: 'Node', name: 'worker-0' });
    expect(selectedTarget(run, { ...INITIAL_UI, view: 'pods', filter: 'cassandra-0' })).toEqual({ kind: 'Pod', name: 'cassandra-0', namespace: 'cassandra' });
    expect(selectedTarget(run, { ...INITIAL_UI, view: 'storage' })).toEqual({ kind: 'PersistentVolumeClaim', namespace: 'cassandra', name: 'cassandra-data-cassandra-0' });
    expect(selectedTarget(run, { ...INITIAL_UI, view: 'events', filter: 'NodeNotReady' })?.kind).toBe('Node');
    expect(selectedTarget(run, { ...INITIAL_UI, view: 'clocks' })).toBeUndefined();
    expect(selectedTarget(run, { ...INITIAL_UI, selected: 99 })).toBeUndefined();
    expect(rowCount(run, INITIAL_UI)).toBe(5);
    expect(rowCount(run, { ...INITIAL_UI, view: 'log' })).toBe(0);
  });
});
