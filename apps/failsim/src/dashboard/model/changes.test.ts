import { describe, expect, it } from '@jest/globals';
import { afterPowerOff } from '../test-session.js';
import { ChangeTracker, changeKeys, CHANGED_WINDOW_MS } from './changes.js';
import { sampleNodes } from './nodes.js';

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
});
