import { describe, expect, it } from '@jest/globals';
import { afterPowerOff } from '../test-session.js';
import { ChangeTracker, changeKeys, CHANGED_WINDOW_MS } from './changes.js';
import { sampleNodes } from './nodes.js';
import { samplePods } from './pods.js';

describe('ChangeTracker', () => {
  it('marks nothing on the first sample, then a changed or new row for the window of virtual time', () => {
    const t = new ChangeTracker();
    expect(t.observe('nodes', [['w1', 'Ready'], ['w2', 'Ready']], 0)).toEqual([false, false]);
    expect(t.observe('nodes', [['w1', 'Ready'], ['w2', 'NotReady'], ['w3', 'Ready']], 40_000)).toEqual([false, true, true]);
    expect(t.observe('nodes', [['w1', 'Ready'], ['w2', 'NotReady']], 40_000 + CHANGED_WINDOW_MS - 1)).toEqual([false, true]);
    expect(t.observe('nodes', [['w1', 'Ready'], ['w2', 'NotReady']], 40_000 + CHANGED_WINDOW_MS)).toEqual([false, false]);
  });

  it('remembers rows a filter hid, and keeps views apart', () => {
    const t = new ChangeTracker();
    t.observe('nodes', [['w1', 'Ready'], ['w2', 'Ready']], 0);
    t.observe('nodes', [['w1', 'Ready']], 1_000);
    expect(t.observe('nodes', [['w1', 'Ready'], ['w2', 'Ready']], 2_000)).toEqual([false, false]);
    expect(t.observe('pods', [['p1', 'Running']], 2_000)).toEqual([false]);
  });

  it('on the seed run, ignores ages and marks the node that went NotReady', () => {
    const session = afterPowerOff(30);
    const t = new ChangeTracker();
    const clock = session.run.env.cluster.sim.clock;
    t.observe('nodes', changeKeys.nodes(sampleNodes(session.run)), clock.now());
    clock.runFor(20_000);
    const rows = sampleNodes(session.run);
    const marks = t.observe('nodes', changeKeys.nodes(rows), clock.now());
    expect(rows.filter((_, i) => marks[i]).map((r) => r.status)).toEqual(['NotReady']);
  });

  it('given the very keys of its last sample, only moves the window', () => {
    const t = new ChangeTracker();
    t.observe('nodes', [['w1', 'Ready']], 0);
    const keys = [['w1', 'NotReady'], ['w2', 'Ready']] as const;
    expect(t.observe('nodes', keys, 1_000)).toEqual([true, true]);
    expect(t.observe('nodes', keys, 1_000 + CHANGED_WINDOW_MS - 1)).toEqual([true, true]);
    expect(t.observe('nodes', keys, 1_000 + CHANGED_WINDOW_MS)).toEqual([false, false]);
    // Other rows in between: compared again, as ever.
    expect(t.observe('nodes', [['w1', 'Ready']], 9_000)).toEqual([true]);
  });

  it('takes the keys the samplers built once per object: the same strings, and the same array while no Pod changed', () => {
    const session = afterPowerOff(30);
    const clock = session.run.env.cluster.sim.clock;
    const first = samplePods(session.run);
    const keys = changeKeys.pods(first);
    expect(keys).toEqual(first.map((r) => [`${r.namespace}/${r.name}`, `${r.ready}|${r.status}|${r.restarts}|${r.node}`]));
    clock.runFor(1_000);
    const next = samplePods(session.run);
    expect(next).not.toBe(first);
    expect(changeKeys.pods(next)).toBe(keys);
    // Rows built elsewhere (a filter's copy, a fixture) get keys built from their cells.
    expect(changeKeys.pods([...next])).toEqual(keys);
    const nodes = sampleNodes(session.run);
    expect(changeKeys.nodes(nodes)).toEqual(changeKeys.nodes([...nodes]));
  });
});
