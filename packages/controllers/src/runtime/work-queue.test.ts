import { describe, expect, it } from '@jest/globals';
import { SimClock } from '@failsim/core';
import { WorkQueue, type ReconcileResult } from './work-queue.js';

const setup = (reconcile: (key: string) => ReconcileResult = () => undefined) => {
  const clock = new SimClock();
  const seen: string[] = [];
  const queue = new WorkQueue(
    clock,
    (key) => {
      seen.push(`${clock.now()} ${key}`);
      return reconcile(key);
    },
    { owner: 'test-controller' },
  );
  return { clock, seen, queue };
};

describe('WorkQueue', () => {
  it('merges adds of a waiting key and processes it once', () => {
    const { clock, seen, queue } = setup();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    expect(queue.length).toBe(2);
    clock.runUntilIdle();
    expect(seen).toEqual(['0 a', '0 b']);
  });

  it('keeps the earlier of two delayed adds', () => {
    const { clock, seen, queue } = setup();
    queue.addAfter('a', 5_000);
    queue.addAfter('a', 9_000);
    queue.addAfter('a', 2_000);
    clock.runUntilIdle();
    expect(seen).toEqual(['2000 a']);
  });

  it('requeues after the time a reconcile asks for, with a named timer', () => {
    let runs = 0;
    const { clock, seen, queue } = setup(() => (++runs < 3 ? { requeueAfter: 300_000 } : undefined));
    queue.add('ns/web-0');
    clock.runFor(1);
    expect(clock.pending().map((t) => `${t.owner}: ${t.purpose}`)).toEqual(['test-controller: requeue after']);
    clock.runUntilIdle();
    expect(seen).toEqual(['0 ns/web-0', '300000 ns/web-0', '600000 ns/web-0']);
  });

  it('backs off failures exponentially per key from 5 ms', () => {
    let runs = 0;
    const { clock, seen, queue } = setup(() => (++runs <= 4 ? { retry: true } : undefined));
    queue.add('k');
    clock.runUntilIdle();
    expect(seen).toEqual(['0 k', '5 k', '15 k', '35 k', '75 k']);
  });

  it('drops everything once stopped', () => {
    const { clock, seen, queue } = setup();
    queue.addAfter('a', 10);
    queue.stop();
    queue.add('b');
    clock.runUntilIdle();
    expect(seen).toEqual([]);
  });
});
