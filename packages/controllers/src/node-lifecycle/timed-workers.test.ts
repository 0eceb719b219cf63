import { describe, expect, it } from '@jest/globals';
import { SimClock } from '@failsim/core';
import { TimedWorkerQueue } from './timed-workers.js';

const setup = () => {
  const clock = new SimClock();
  const fired: { key: string; at: number }[] = [];
  const queue = new TimedWorkerQueue(clock, {
    owner: 'taint-eviction-controller',
    work: (key) => fired.push({ key, at: clock.now() }),
    purpose: (w) => `delete pod ${w.key}`,
  });
  return { clock, fired, queue };
};

describe('TimedWorkerQueue', () => {
  it('fires at createdAt + delay, once per key, with a named timer', () => {
    const { clock, fired, queue } = setup();
    queue.addWork('default/web-0', 0, 300_000);
    queue.addWork('default/web-0', 0, 10_000);
    expect(clock.pending()).toEqual([expect.objectContaining({ dueAt: 300_000, owner: 'taint-eviction-controller', purpose: 'delete pod default/web-0' })]);
    expect(queue.list()).toEqual([{ key: 'default/web-0', createdAt: 0, fireAt: 300_000 }]);
    clock.runFor(400_000);
    expect(fired).toEqual([{ key: 'default/web-0', at: 300_000 }]);
    expect(queue.get('default/web-0')).toBeUndefined();
  });

  it('cancels a pending worker, but not work already started', () => {
    const { clock, fired, queue } = setup();
    queue.addWork('default/a', 0, 300_000);
    queue.addWork('default/b', 0, 0);
    expect(queue.cancelWork('default/a')).toBe(true);
    expect(queue.cancelWork('default/b')).toBe(false);
    expect(queue.cancelWork('default/none')).toBe(false);
    clock.runFor(400_000);
    expect(fired).toEqual([{ key: 'default/b', at: 0 }]);
  });

  it('cancelAll stops everything', () => {
    const { clock, fired, queue } = setup();
    queue.addWork('default/a', 0, 1_000);
    queue.cancelAll();
    clock.runFor(2_000);
    expect(fired).toEqual([]);
  });

  it('answers has and createdAt as get does, without a copy', () => {
    const { clock, queue } = setup();
    queue.addWork('default/a', 5, 300_000);
    queue.addWork('default/b', 7, 7);
    for (const key of ['default/a', 'default/b', 'default/none']) {
      expect(queue.has(key)).toBe(queue.get(key) !== undefined);
      expect(queue.createdAt(key)).toBe(queue.get(key)?.createdAt);
    }
    expect(queue.createdAt('default/a')).toBe(5);
    clock.runFor(1);
    // Started work is forgotten once done, as get forgets it.
    expect(queue.has('default/b')).toBe(false);
  });
});
