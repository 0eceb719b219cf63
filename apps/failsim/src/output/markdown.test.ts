import { describe, expect, it } from '@jest/globals';
import type { Snapshot } from './capture.js';
import { cell, markdown } from './markdown.js';
import { sampleResult } from './testdata/sample-result.js';

const snapshots: Snapshot[] = [
  { at: 340, command: 'kubectl get nodes', lines: ['NAME       STATUS     ROLES    AGE     VERSION', 'worker-2   NotReady   <none>   5m40s   v1.12.4'], reason: 'node/worker-2 NotReady', typed: true },
  { at: 400, command: 'vSphere Client: Recent Tasks', lines: ['Task Name'], reason: 'step done', typed: false },
  { at: 500, command: 'kubectl get events -n cassandra --sort-by=.lastTimestamp', lines: ['LAST SEEN   TYPE'], reason: 'end of run', typed: true },
];

describe('markdown', () => {
  const text = markdown({ result: sampleResult, title: 'A sample run', snapshots });

  it('opens with the title and a summary line', () => {
    expect(text.split('\n').slice(0, 3)).toEqual(['# A sample run', '', '`sample` · profile 1.12 · seed 7 · **FAILED**']);
  });

  it('has a timeline table of steps, transitions and Warning Events', () => {
    expect(text).toContain(
      [
        '| T+ | what | detail |',
        '|---|---|---|',
        '| 00:00 | `kubectl apply -f <resources>` | namespace/cassandra created |',
        '| 05:40 | `govc vm.power -off worker-2` (failed) | govc: boom |',
        '| 05:40 | pod/cassandra/cassandra-0 | status Running → Unknown |',
        '| 05:40 | node/worker-2 | ⚠ NodeNotReady: Node worker-2 status is now: NodeNotReady (×3) |',
      ].join('\n'),
    );
  });

  it('puts each snapshot in a text block under the step it followed, the end under its own heading', () => {
    expect(text).toContain(
      [
        '### T+05:40 `govc vm.power -off worker-2`',
        '',
        'T+05:40 (node/worker-2 NotReady): `$ kubectl get nodes`',
        '',
        '```text',
        'NAME       STATUS     ROLES    AGE     VERSION',
        'worker-2   NotReady   <none>   5m40s   v1.12.4',
        '```',
        '',
        'T+06:40 (step done): vSphere Client: Recent Tasks',
      ].join('\n'),
    );
    expect(text).toContain('### End of run (T+08:20)\n\nT+08:20 (end of run): `$ kubectl get events -n cassandra --sort-by=.lastTimestamp`');
  });

  it('lists the expectations as a checklist, then the hazards', () => {
    expect(text.endsWith([
      '## Expectations', '',
      '- [x] node/worker-2 is NotReady within 50s — Node/worker-2 became NotReady at 40s',
      '- [ ] pod/cassandra/cassandra-0 is Running within 1m — never Running', '',
      '## Hazards', '',
      '- ⚠ T+06:40 **SplitBrain**: 2 copies of StatefulSet cassandra/cassandra identity cassandra-0 are running at once', '',
    ].join('\n'))).toBe(true);
  });

  it('leaves the operator section out without snapshots', () => {
    expect(markdown({ result: sampleResult, title: 't', snapshots: [] })).not.toContain('What an operator saw');
  });
});

describe('cell', () => {
  it('keeps a table cell on one line, escapes pipes and cuts long text', () => {
    expect(cell('a | b\n  c')).toBe('a \\| b c');
    expect(cell('abcdef', 4)).toBe('abc…');
  });
});

describe('markdown of a cluster with more than 50 Pods', () => {
  it('counts the routine of Pods starting in one row a second, and keeps the rest', () => {
    const pods = Array.from({ length: 60 }, (_, i) => `Pod/shop/web-${i}`);
    const result = {
      ...sampleResult,
      steps: [],
      events: pods.map((object) => ({ at: 61, type: 'Normal', reason: 'Started', object, message: 'Started container web', count: 1, source: 'kubelet, w-1' })),
      transitions: [
        ...pods.map((object) => ({ at: 60, object, field: 'status' as const, from: null, to: 'Pending' })),
        ...pods.map((object) => ({ at: 60.5, object, field: 'node' as const, from: null, to: 'w-1' })),
        ...pods.map((object) => ({ at: 61, object, field: 'status' as const, from: 'Pending', to: 'Running' })),
        { at: 400, object: 'Pod/shop/web-3', field: 'status' as const, from: 'Running', to: 'Terminating' },
      ],
    };
    const rows = markdown({ result, title: 'A large run', snapshots: [] }).split('\n').filter((l) => /^\| \d\d:\d\d /.test(l));
    expect(rows).toEqual([
      '| 01:00 | routine | routine starts of 60 Pods: status: Pending 60; bound to a node 60 |',
      '| 01:01 | routine | routine starts of 60 Pods: status: Running 60; Normal: Started 60 |',
      '| 06:40 | pod/shop/web-3 | status Running → Terminating |',
    ]);
  });
});
