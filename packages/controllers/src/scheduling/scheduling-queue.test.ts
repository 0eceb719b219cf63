import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { SchedulingQueue, type SchedulingQueueOptions } from './scheduling-queue.js';

const pod = (name: string, priority?: number): Pod => ({ metadata: { name, namespace: 'default' }, spec: { containers: [], priority } });

const setup = (options: Partial<SchedulingQueueOptions> = {}) => {
  const sim = createSimulation();
  let activations = 0;
  const queue = new SchedulingQueue(
    sim.clock,
    { owner: 'default-scheduler', initialBackoffMs: 1000, maxBackoffMs: 10_000, maxInUnschedulableMs: 300_000, errorsToBackoff: false, ...options },
    () => activations++,
  );
  return { sim, queue, activations: () => activations };
};

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival', () => {
    const { sim, queue } = setup();
    queue.add(pod('a'));
    sim.clock.runFor(10);
    queue.add(pod('b', 100));
    queue.add(pod('c'));
    expect([queue.pop()?.key, queue.pop()?.key, queue.pop()?.key, queue.pop()]).toEqual(['default/b', 'default/a', 'default/c', undefined]);
  });

  it('pops many pods in (priority, arrival, insertion) order, interleaved with adds', () => {
    const { sim, queue } = setup();
    const expected: { key: string; priority: number; at: number; seq: number }[] = [];
    const popped: string[] = [];
    let seq = 0;
    for (let i = 0; i < 60; i++) {
      const priority = (i * 7) % 5;
      const name = `p${i}`;
      // The key given, as the scheduler passes it, or worked out by the queue.
      if (i % 2 === 0) queue.add(pod(name, priority), `default/${name}`);
      else queue.add(pod(name, priority));
      expected.push({ key: `default/${name}`, priority, at: sim.clock.now(), seq: seq++ });
      if (i % 3 === 0) sim.clock.runFor(1);
      if (i % 10 === 9) {
        expected.sort((a, b) => b.priority - a.priority || a.at - b.at || a.seq - b.seq);
        popped.push(queue.pop()!.key);
        expect(popped.at(-1)).toBe(expected.shift()!.key);
      }
    }
    expected.sort((a, b) => b.priority - a.priority || a.at - b.at || a.seq - b.seq);
    const rest: string[] = [];
    for (let qp = queue.pop(); qp; qp = queue.pop()) rest.push(qp.key);
    expect(rest).toEqual(expected.map((e) => e.key));
  });

  it('keeps a failed pod until an event moves it, and backs it off 1, 2, 4… s, at most 10 s', () => {
    const { sim, queue } = setup();
    expect([1, 2, 3, 4, 5, 6].map((a) => queue.backoffDuration(a))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    queue.add(pod('a'));
    const qp = queue.pop()!;
    queue.addUnschedulable(qp, queue.schedulingCycle, 'rejected');
    expect(queue.whereIs('default/a')).toBe('unschedulable');
    sim.clock.runFor(400);
    queue.moveAll();
    expect(queue.whereIs('default/a')).toBe('backoff');
    // flushBackoffQCompleted runs every second from the start: the pod moves at 1 s.
    sim.clock.runUntil(999);
    expect(queue.whereIs('default/a')).toBe('backoff');
    sim.clock.runUntil(1000);
    expect(queue.whereIs('default/a')).toBe('active');
  });

  it('sends a pod back at once when an event came while it was being scheduled', () => {
    const { queue } = setup({ initialBackoffMs: 0, maxBackoffMs: 0 });
    queue.add(pod('a'));
    const qp = queue.pop()!;
    const cycle = queue.schedulingCycle;
    queue.moveAll();
    queue.addUnschedulable(qp, cycle, 'rejected');
    expect(queue.whereIs('default/a')).toBe('active');
  });

  it('retries errors after back-off when the version does so', () => {
    const { queue } = setup({ errorsToBackoff: true });
    queue.add(pod('a'));
    queue.addUnschedulable(queue.pop()!, queue.schedulingCycle, 'error');
    expect(queue.whereIs('default/a')).toBe('backoff');
  });

  it('flushes pods waiting longer than the maximum at the next 30 s tick', () => {
    const { sim, queue } = setup({ maxInUnschedulableMs: 60_000 });
    sim.clock.runFor(5000);
    queue.add(pod('a'));
    queue.addUnschedulable(queue.pop()!, queue.schedulingCycle, 'rejected');
    // Waited 55 s at the 60 s tick, 85 s at the 90 s tick.
    sim.clock.runUntil(89_999);
    expect(queue.whereIs('default/a')).toBe('unschedulable');
    sim.clock.runUntil(90_000);
    expect(queue.whereIs('default/a')).toBe('active');
  });

  it('moves an unschedulable pod whose spec changed, not one whose status did', () => {
    const { queue } = setup({ initialBackoffMs: 0 });
    queue.add(pod('a'));
    queue.addUnschedulable(queue.pop()!, queue.schedulingCycle, 'rejected');
    queue.update(pod('a'), false);
    expect(queue.whereIs('default/a')).toBe('unschedulable');
    queue.update(pod('a', 5), true);
    expect(queue.whereIs('default/a')).toBe('active');
    queue.delete('default/a');
    expect(queue.has('default/a')).toBe(false);
    expect(queue.pop()).toBeUndefined();
    expect(queue.counts).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });
});
