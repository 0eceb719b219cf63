import { describe, expect, it } from '@jest/globals';
import { SeededRandom, SimClock, type TimerHandle } from '@failsim/core';
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

/**
 * The queue as it was before its timers shared one action: a handle and a closure per add.
 * The pooled queue must schedule, cancel and fire the same timers in the same order.
 */
class HandleQueue {
  readonly #due = new Map<string, TimerHandle>();
  readonly #failures = new Map<string, number>();
  constructor(
    readonly clock: SimClock,
    readonly reconcile: (key: string) => ReconcileResult,
  ) {}
  addAfter(key: string, delayMs: number, purpose?: string): void {
    const dueAt = this.clock.now() + Math.max(0, delayMs);
    const pending = this.#due.get(key);
    if (pending?.active && pending.dueAt <= dueAt) return;
    pending?.cancel();
    this.#due.set(key, this.clock.scheduleAt(dueAt, () => this.#process(key), { owner: 'test-controller', purpose: purpose ?? 'work queue' }));
  }
  get length(): number {
    return this.#due.size;
  }
  stop(): void {
    for (const handle of this.#due.values()) handle.cancel();
    this.#due.clear();
  }
  #process(key: string): void {
    this.#due.delete(key);
    const result = this.reconcile(key);
    if (result?.retry) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      this.addAfter(key, Math.min(1_000_000, 5 * 2 ** (failures - 1)), 'retry after a failed reconcile');
      return;
    }
    this.#failures.delete(key);
    if (result?.requeueAfter !== undefined) this.addAfter(key, result.requeueAfter, 'requeue after');
  }
}

/** Records what a clock's observer sees, as text. */
const recordTimers = (clock: SimClock): string[] => {
  const log: string[] = [];
  clock.observe({
    scheduled: (id, dueAt, label) => log.push(`s ${id} ${dueAt} ${label.purpose}`),
    cancelled: (id) => log.push(`c ${id}`),
    fired: (id, label) => log.push(`f ${id} ${clock.now()} ${label.purpose}`),
  });
  return log;
};

describe('WorkQueue timers', () => {
  it('schedules, cancels and fires the same timers as a handle per add', () => {
    // A seeded script of adds at random delays over a few keys, with reconciles that
    // requeue, fail or re-add other keys: both queues see the same script.
    const run = (pooled: boolean) => {
      const clock = new SimClock();
      const log = recordTimers(clock);
      const random = new SeededRandom(8);
      const seen: string[] = [];
      const keys = ['a', 'b', 'c', 'd', 'e'];
      const target: { queue?: { addAfter(key: string, delayMs: number): void } } = {};
      const reconcile = (key: string): ReconcileResult => {
        seen.push(`${clock.now()} ${key}`);
        const roll = random.int(0, 10);
        if (roll < 2) return { requeueAfter: random.int(0, 50) };
        if (roll < 4) return { retry: true };
        if (roll < 6) target.queue!.addAfter(random.pick(keys), random.int(-5, 30));
        return undefined;
      };
      const queue = pooled ? new WorkQueue(clock, reconcile, { owner: 'test-controller' }) : new HandleQueue(clock, reconcile);
      target.queue = queue;
      for (let step = 0; step < 400; step++) {
        queue.addAfter(random.pick(keys), random.int(-5, 40));
        if (random.int(0, 3) === 0) clock.runFor(random.int(0, 20));
      }
      clock.runFor(100_000);
      return { seen, log, events: clock.eventsRun };
    };
    const pooled = run(true);
    const reference = run(false);
    expect(pooled.seen.length).toBeGreaterThan(200);
    expect(pooled.log.some((l) => l.startsWith('c '))).toBe(true);
    expect(pooled).toEqual(reference);
  });

  it('cancels every waiting timer when stopped', () => {
    const { clock, queue } = setup();
    queue.addAfter('a', 10);
    queue.addAfter('b', 20);
    queue.addAfter('a', 5);
    expect(clock.pendingCount).toBe(2);
    queue.stop();
    expect(clock.pendingCount).toBe(0);
    expect(queue.length).toBe(0);
  });

  it('keeps the same length and cancels in the same order on stop, with fired keys swept', () => {
    // Many keys (more than the 64 fired entries a queue keeps before sweeping) added in
    // bursts, fired, re-added: the queue's length and the timers its stop() cancels, in
    // order (the clock reuses cancelled slots), are those of a map that deletes fired keys.
    const run = (pooled: boolean) => {
      const clock = new SimClock();
      const log = recordTimers(clock);
      const random = new SeededRandom(15);
      const keys = Array.from({ length: 200 }, (_, i) => `ns/pod-${i}`);
      const lengths: number[] = [];
      const queue = pooled ? new WorkQueue(clock, () => undefined, { owner: 'test-controller' }) : new HandleQueue(clock, () => undefined);
      for (let step = 0; step < 3_000; step++) {
        queue.addAfter(random.pick(keys), random.int(-5, 40));
        if (random.int(0, 4) === 0) clock.runFor(random.int(0, 30));
        lengths.push(queue.length);
      }
      queue.stop();
      return { log, lengths, pending: clock.pendingCount };
    };
    const pooled = run(true);
    const reference = run(false);
    expect(pooled.log.filter((l) => l.startsWith('f ')).length).toBeGreaterThan(1_000);
    expect(pooled.pending).toBe(0);
    expect(pooled).toEqual(reference);
  });
});
