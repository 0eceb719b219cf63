import { describe, expect, it } from '@jest/globals';
import { sampleResult } from './testdata/sample-result.js';
import type { Snapshot } from './capture.js';
import { append, isSystemObject, shortObject, transcript } from './transcript.js';

describe('transcript', () => {
  it('prints the timeline with virtual time in the margin, then the expectations and the verdict', () => {
    expect(transcript(sampleResult)).toBe(
      [
        'T+00:00    $ kubectl apply -f <resources>',
        '             namespace/cassandra created',
        'T+05:40    $ govc vm.power -off worker-2   (failed)',
        '             govc: boom',
        '',
        '             more',
        'T+05:40    pod/cassandra/cassandra-0  status Running → Unknown',
        'T+05:40    node/worker-2  Warning NodeNotReady: Node worker-2 status is now: NodeNotReady (×3)  [node-controller]',
        '',
        'Expectations:',
        '  ✓ node/worker-2 is NotReady within 50s',
        '      Node/worker-2 became NotReady at 40s',
        '  ✗ pod/cassandra/cassandra-0 is Running within 1m',
        '      never Running',
        '',
        'Hazards:',
        '  ⚠ T+06:40  SplitBrain: 2 copies of StatefulSet cassandra/cassandra identity cassandra-0 are running at once',
        '',
        'FAILED  sample (profile 1.12, seed 7)',
        '',
      ].join('\n'),
    );
  });

  it('names objects as scenario files do', () => {
    expect(shortObject('PersistentVolume/pvc-1')).toBe('pv/pvc-1');
    expect(shortObject('VirtualMachine/worker-0')).toBe('vm/worker-0');
    expect(shortObject('ReplicaSet/kube-system/coredns')).toBe('replicaset/kube-system/coredns');
    expect(shortObject('odd')).toBe('odd');
  });

  it('shows creation and removal as (none)', () => {
    const text = transcript({ ...sampleResult, steps: [], events: [], expectations: [], transitions: [{ at: 1, object: 'PersistentVolume/pv-1', field: 'attachedTo', from: null, to: '' }] });
    expect(text).toContain('T+00:01    pv/pv-1  attachedTo (none) → ""');
    expect(text).toContain('No expectations.');
  });

  it('indents each snapshot under the last line at or before its time, with the command typed', () => {
    const snapshots: Snapshot[] = [
      { at: 340, command: 'kubectl get pods -o wide -n cassandra', lines: ['NAME          READY   STATUS    ', 'cassandra-0   1/1     Unknown'], reason: 'pod/cassandra/cassandra-0 Unknown', typed: true },
      { at: 341, command: 'vSphere Client: Recent Tasks', lines: ['Task Name'], reason: 'step done', typed: false },
      { at: 400, command: 'kubectl get events --sort-by=.lastTimestamp', lines: ['LAST SEEN'], reason: 'end of run', typed: true },
    ];
    const lines = transcript(sampleResult, snapshots).split('\n');
    const from = lines.indexOf('T+05:40    node/worker-2  Warning NodeNotReady: Node worker-2 status is now: NodeNotReady (×3)  [node-controller]');
    expect(lines.slice(from + 1, from + 11)).toEqual([
      '             $ kubectl get pods -o wide -n cassandra',
      '             NAME          READY   STATUS',
      '             cassandra-0   1/1     Unknown',
      'T+05:41    (step done)',
      '             [vSphere Client: Recent Tasks]',
      '             Task Name',
      'T+06:40    (end of run)',
      '             $ kubectl get events --sort-by=.lastTimestamp',
      '             LAST SEEN',
      '',
    ]);
  });

  it('leaves out the lines about kube-system objects', () => {
    const text = transcript({ ...sampleResult, transitions: [{ at: 1, object: 'Pod/kube-system/coredns-1', field: 'status', from: null, to: 'Pending' }], events: [] });
    expect(text).not.toContain('coredns');
    expect(isSystemObject('Pod/kube-system/coredns-1')).toBe(true);
    expect(isSystemObject('Node/kube-system')).toBe(false);
  });
});

describe('append', () => {
  it('appends more lines than a spread call can pass (a 5,000-node run prints 150,000 rows at once)', () => {
    const lines = ['first'];
    append(lines, Array.from({ length: 300_000 }, (_, i) => `row ${i}`));
    expect(lines).toHaveLength(300_001);
    expect(lines.at(-1)).toBe('row 299999');
  });
});
