import { describe, it, expect } from '@jest/globals';
import {
  Subject,
  TimeoutError,
  bufferTime,
  debounceTime,
  delay,
  interval,
  of,
  take,
  timeout,
  timer,
  type SchedulerAction,
} from 'rxjs';
import { SimClock, type TimerLabel } from './clock.js';
import { createSimScheduler } from './scheduler.js';

const label: TimerLabel = { owner: 'test', purpose: 'rx timer' };
const feed: TimerLabel = { owner: 'test', purpose: 'feed input' };

/** A clock, a scheduler on it and a log of `[virtual time, value]` pairs. */
function setup() {
  const clock = new SimClock();
  const scheduler = createSimScheduler(clock, label);
  const log: [number, unknown][] = [];
  const record = (value: unknown): void => void log.push([clock.now(), value]);
  /** Emits `value` on `subject` at virtual time `at`. */
  const emitAt = <T>(subject: Subject<T>, at: number, value: T): void =>
    void clock.scheduleAt(at, () => subject.next(value), feed);
  return { clock, scheduler, log, record, emitAt };
}

describe('createSimScheduler', () => {
  it('reads the clock for now()', () => {
    const { clock, scheduler } = setup();
    clock.runUntil(1_234);
    expect(scheduler.now()).toBe(1_234);
  });

  it('runs timer() at its exact virtual time', () => {
    const { clock, scheduler, log, record } = setup();
    timer(40_000, scheduler).subscribe({ next: record, complete: () => record('done') });
    clock.runUntil(39_999);
    expect(log).toEqual([]);
    clock.runUntil(100_000);
    expect(log).toEqual([
      [40_000, 0],
      [40_000, 'done'],
    ]);
    expect(clock.pendingCount).toBe(0);
  });

  it('runs interval() by rescheduling the same action, one pending timer at a time', () => {
    const { clock, scheduler, log, record } = setup();
    interval(5_000, scheduler).pipe(take(4)).subscribe(record);
    clock.runUntil(12_000);
    expect(log).toEqual([
      [5_000, 0],
      [10_000, 1],
    ]);
    expect(clock.pendingCount).toBe(1);
    expect(clock.nextDueAt()).toBe(15_000);
    clock.runUntil(60_000);
    expect(log.map(([t]) => t)).toEqual([5_000, 10_000, 15_000, 20_000]);
    expect(clock.pendingCount).toBe(0);
  });

  it('delays values by delay()', () => {
    const { clock, scheduler, log, record, emitAt } = setup();
    const input = new Subject<string>();
    input.pipe(delay(300, scheduler)).subscribe(record);
    emitAt(input, 1_000, 'a');
    emitAt(input, 1_100, 'b');
    clock.runUntil(10_000);
    expect(log).toEqual([
      [1_300, 'a'],
      [1_400, 'b'],
    ]);
  });

  it('emits the last value once the input is quiet for debounceTime()', () => {
    const { clock, scheduler, log, record, emitAt } = setup();
    const input = new Subject<number>();
    input.pipe(debounceTime(100, scheduler)).subscribe(record);
    emitAt(input, 0, 1);
    emitAt(input, 50, 2);
    emitAt(input, 120, 3);
    emitAt(input, 400, 4);
    clock.runUntil(1_000);
    expect(log).toEqual([
      [220, 3],
      [500, 4],
    ]);
    expect(clock.pendingCount).toBe(0);
  });

  it('errors at the exact deadline with timeout()', () => {
    const { clock, scheduler, log, record, emitAt } = setup();
    const input = new Subject<string>();
    input.pipe(timeout(1_000, scheduler)).subscribe({
      next: record,
      error: (error: unknown) => record(error instanceof TimeoutError ? 'timeout' : error),
    });
    emitAt(input, 600, 'a');
    clock.runUntil(5_000);
    expect(log).toEqual([
      [600, 'a'],
      [1_600, 'timeout'],
    ]);
  });

  it('collects buffers with bufferTime()', () => {
    const { clock, scheduler, log, record, emitAt } = setup();
    const input = new Subject<number>();
    input.pipe(bufferTime(1_000, scheduler), take(3)).subscribe(record);
    emitAt(input, 100, 1);
    emitAt(input, 900, 2);
    emitAt(input, 1_500, 3);
    clock.runUntil(10_000);
    expect(log).toEqual([
      [1_000, [1, 2]],
      [2_000, [3]],
      [3_000, []],
    ]);
  });

  it('cancels the pending timer on unsubscribe', () => {
    const { clock, scheduler, log, record } = setup();
    const subscription = interval(1_000, scheduler).subscribe(record);
    timer(500, scheduler).subscribe(record);
    expect(clock.pendingCount).toBe(2);
    clock.runUntil(2_500);
    expect(clock.pendingCount).toBe(1);
    subscription.unsubscribe();
    expect(clock.pendingCount).toBe(0);
    clock.runUntil(10_000);
    expect(log).toEqual([
      [500, 0],
      [1_000, 0],
      [2_000, 1],
    ]);
  });

  it('labels each timer with its scheduler so the clocks view can tell them apart', () => {
    const clock = new SimClock();
    const lifecycle = createSimScheduler(clock, { owner: 'node-lifecycle', purpose: 'node monitor period' });
    const attach = createSimScheduler(clock, { owner: 'attach-detach', purpose: 'reconciler loop period' });
    interval(5_000, lifecycle).subscribe();
    interval(100, attach).subscribe();
    expect(clock.pending()).toEqual([
      { id: 2, dueAt: 100, owner: 'attach-detach', purpose: 'reconciler loop period' },
      { id: 1, dueAt: 5_000, owner: 'node-lifecycle', purpose: 'node monitor period' },
    ]);
  });

  it('passes state, reschedules with new state and replaces a pending run', () => {
    const { clock, scheduler, log } = setup();
    scheduler.schedule(
      function (this: SchedulerAction<number>, n?: number) {
        log.push([clock.now(), n]);
        if (n !== undefined && n < 3) this.schedule(n + 1, 10);
      },
      10,
      1,
    );
    clock.runUntil(1_000);
    expect(log).toEqual([
      [10, 1],
      [20, 2],
      [30, 3],
    ]);

    const action = scheduler.schedule(() => log.push([clock.now(), 'replaced']), 100) as SchedulerAction<void>;
    action.schedule(undefined, 300);
    expect(clock.pendingCount).toBe(1);
    clock.runUntil(2_000);
    expect(log.at(-1)).toEqual([1_300, 'replaced']);
  });

  it('schedules nothing for an infinite delay', () => {
    const { clock, scheduler, log, record } = setup();
    timer(Infinity, scheduler).subscribe(record);
    expect(clock.pendingCount).toBe(0);
    clock.runUntilIdle();
    expect(log).toEqual([]);
  });

  it('closes an action whose work throws and lets the error out of the clock', () => {
    const { clock, scheduler } = setup();
    const action = scheduler.schedule(() => {
      throw new Error('work failed');
    }, 10);
    expect(() => clock.runUntil(100)).toThrow('work failed');
    expect(action.closed).toBe(true);
    expect(clock.now()).toBe(10);
  });

  it('works with synchronous sources mixed in', () => {
    const { clock, scheduler, log, record } = setup();
    of(1, 2).pipe(delay(50, scheduler)).subscribe(record);
    clock.runUntilIdle();
    expect(log).toEqual([
      [50, 1],
      [50, 2],
    ]);
  });
});
