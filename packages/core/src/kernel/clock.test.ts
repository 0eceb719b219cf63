import { describe, it, expect } from '@jest/globals';
import { SimClock, type SlotTimerLabel, type TimerHandle, type TimerLabel } from './clock.js';

const label: TimerLabel = { owner: 'test', purpose: 'a timer' };

/** Schedules timers that append their name to `log` when they run. */
function recorder(clock: SimClock): { log: string[]; at: (delay: number, name: string) => void } {
  const log: string[] = [];
  return { log, at: (delay, name) => void clock.schedule(delay, () => log.push(name), label) };
}

describe('SimClock time and dates', () => {
  it('starts at 0 on the default epoch', () => {
    const clock = new SimClock();
    expect(clock.now()).toBe(0);
    expect(clock.epochMs).toBe(Date.parse('2019-06-01T00:00:00Z'));
    expect(clock.date().toISOString()).toBe('2019-06-01T00:00:00.000Z');
  });

  it('accepts an epoch as a string or a Date and rejects an invalid one', () => {
    expect(new SimClock({ epoch: '2020-01-02T03:04:05Z' }).iso()).toBe('2020-01-02T03:04:05Z');
    expect(new SimClock({ epoch: new Date(Date.UTC(2021, 0, 1)) }).iso()).toBe('2021-01-01T00:00:00Z');
    expect(() => new SimClock({ epoch: 'not a date' })).toThrow(RangeError);
  });

  it('formats metav1.Time truncated to seconds and MicroTime with six digits', () => {
    const clock = new SimClock();
    expect(clock.iso(5_999)).toBe('2019-06-01T00:00:05Z');
    expect(clock.isoMicro(5_123)).toBe('2019-06-01T00:00:05.123000Z');
    expect(clock.isoMicro(5_123.456)).toBe('2019-06-01T00:00:05.123456Z');
    expect(clock.isoMicro(0.123)).toBe('2019-06-01T00:00:00.000123Z');
    expect(clock.isoMicro(0)).toBe('2019-06-01T00:00:00.000000Z');
    // The last text is remembered: asking again, and then for another time, stays right.
    expect(clock.isoMicro(0)).toBe('2019-06-01T00:00:00.000000Z');
    expect(clock.isoMicro(5_123.456)).toBe('2019-06-01T00:00:05.123456Z');
    expect(clock.iso(-1)).toBe('2019-05-31T23:59:59Z');
    expect(clock.date(86_400_000).toISOString()).toBe('2019-06-02T00:00:00.000Z');
  });

  it('formats metav1.Time as the Date of the epoch plus whole seconds, for an epoch off the minute and times in any order', () => {
    // The minute is remembered apart from the second: seconds within it, minutes and days
    // crossed both ways, and an epoch whose second and millisecond fall anywhere.
    for (const epoch of ['2019-06-01T00:00:00Z', '2020-02-28T23:59:30.750Z', '2019-12-31T23:59:59.999Z']) {
      const clock = new SimClock({ epoch });
      const expected = (t: number): string => new Date(Date.parse(epoch) + Math.floor(t / 1000) * 1000).toISOString().slice(0, 19) + 'Z';
      const times = [0, 999, 1_000, 29_250, 30_000, 59_999, 60_000, 61_001, 10_000, 86_400_000, 86_399_999, 3_600_000 * 24 * 366 + 1_234, -1, -60_001];
      for (const t of times) expect(clock.iso(t)).toBe(expected(t));
    }
    // The virtual time is truncated to whole seconds before the epoch is added.
    expect(new SimClock({ epoch: '2019-12-31T23:59:59.999Z' }).iso(999)).toBe('2019-12-31T23:59:59Z');
    expect(new SimClock({ epoch: '2019-12-31T23:59:59.999Z' }).iso(1_000)).toBe('2020-01-01T00:00:00Z');
  });

  it('formats metav1.MicroTime as the Date of the epoch plus the time, whichever minute and second the last one was in', () => {
    // isoMicro shares iso's remembered minute and hour: interleaved calls, both ways across
    // seconds, minutes and days, from an epoch whose millisecond falls anywhere.
    for (const epoch of ['2019-06-01T00:00:00Z', '2020-02-28T23:59:30.750Z', '2019-12-31T23:59:59.999Z']) {
      const clock = new SimClock({ epoch });
      const expected = (t: number): string => {
        const whole = Math.floor(t);
        const date = new Date(Date.parse(epoch) + whole).toISOString();
        return `${date.slice(0, 19)}.${String(Number(date.slice(20, 23)) * 1000 + Math.round((t - whole) * 1000)).padStart(6, '0')}Z`;
      };
      // Fractions a float64 holds exactly: the truncation of others is the test above's.
      const times = [0, 0.5, 999.125, 1_000, 29_250.25, 59_999, 60_000.375, 10_000, 86_400_000, 86_399_999.875, 3_600_000 * 24 * 366 + 1_234.5, -1, -60_000.5];
      for (const t of times) {
        expect(clock.isoMicro(t)).toBe(expected(t));
        clock.iso(t + 3_600_000);
      }
    }
  });

  it('formats the current time by default', () => {
    const clock = new SimClock();
    clock.runUntil(65_000);
    expect(clock.iso()).toBe('2019-06-01T00:01:05Z');
    expect(clock.isoMicro()).toBe('2019-06-01T00:01:05.000000Z');
  });
});

describe('SimClock ordering', () => {
  it('runs timers by due time, then by scheduling order', () => {
    const clock = new SimClock();
    const { log, at } = recorder(clock);
    at(30, 'c');
    at(10, 'a1');
    at(20, 'b');
    at(10, 'a2');
    at(10, 'a3');
    expect(clock.runUntilIdle()).toBe(5);
    expect(log).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
    expect(clock.now()).toBe(30);
  });

  it('runs a timer scheduled for the current time after the running one and its peers', () => {
    const clock = new SimClock();
    const log: string[] = [];
    clock.schedule(
      10,
      () => {
        log.push('first');
        clock.schedule(0, () => log.push('nested'), label);
      },
      label,
    );
    clock.schedule(10, () => log.push('second'), label);
    clock.runUntilIdle();
    expect(log).toEqual(['first', 'second', 'nested']);
    expect(clock.now()).toBe(10);
  });

  it('clamps a negative delay and a past time to now, and rejects NaN and Infinity', () => {
    const clock = new SimClock();
    clock.runUntil(100);
    expect(clock.schedule(-5, () => undefined, label).dueAt).toBe(100);
    expect(clock.scheduleAt(50, () => undefined, label).dueAt).toBe(100);
    expect(() => clock.schedule(NaN, () => undefined, label)).toThrow(RangeError);
    expect(() => clock.schedule(Infinity, () => undefined, label)).toThrow(RangeError);
    expect(() => clock.scheduleAt(NaN, () => undefined, label)).toThrow(RangeError);
    expect(clock.pendingCount).toBe(2);
  });

  it('keeps order and the heap invariant over many random timers with ties', () => {
    const clock = new SimClock();
    const seen: [number, number][] = [];
    let seed = 7;
    for (let i = 0; i < 5_000; i++) {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      const handle = clock.schedule(seed % 97, () => seen.push([clock.now(), handle.id]), label);
    }
    clock.runUntilIdle();
    expect(seen).toHaveLength(5_000);
    const sorted = [...seen].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(seen).toEqual(sorted);
  });

  it('assigns ids from a per-clock counter', () => {
    const a = new SimClock();
    const b = new SimClock();
    expect([a.schedule(1, () => undefined, label).id, a.schedule(1, () => undefined, label).id]).toEqual([1, 2]);
    expect(b.schedule(1, () => undefined, label).id).toBe(1);
  });
});

describe('SimClock running', () => {
  it('step runs exactly the next timer and reports an empty queue', () => {
    const clock = new SimClock();
    const { log, at } = recorder(clock);
    at(10, 'a');
    at(20, 'b');
    expect(clock.step()).toBe(true);
    expect(log).toEqual(['a']);
    expect(clock.now()).toBe(10);
    expect(clock.step()).toBe(true);
    expect(clock.step()).toBe(false);
    expect(clock.now()).toBe(20);
    expect(clock.eventsRun).toBe(2);
  });

  it('runUntil runs timers due at or before the time, then moves time to it', () => {
    const clock = new SimClock();
    const { log, at } = recorder(clock);
    at(10, 'a');
    at(20, 'b');
    at(21, 'c');
    expect(clock.runUntil(20)).toBe(2);
    expect(log).toEqual(['a', 'b']);
    expect(clock.now()).toBe(20);
    expect(clock.runUntil(15)).toBe(0);
    expect(clock.now()).toBe(20);
    expect(clock.runFor(100)).toBe(1);
    expect(clock.now()).toBe(120);
    expect(() => clock.runUntil(NaN)).toThrow(RangeError);
    expect(() => clock.runUntil(Infinity)).toThrow(RangeError);
  });

  it('runUntil runs timers scheduled during the run when they fall inside the window', () => {
    const clock = new SimClock();
    const times: number[] = [];
    const tick = (): void => {
      times.push(clock.now());
      clock.schedule(5_000, tick, label);
    };
    clock.schedule(5_000, tick, label);
    expect(clock.runUntil(20_000)).toBe(4);
    expect(times).toEqual([5_000, 10_000, 15_000, 20_000]);
    expect(clock.pendingCount).toBe(1);
  });

  it('runUntilIdle stops at maxEvents with time at the last event run', () => {
    const clock = new SimClock();
    const { log, at } = recorder(clock);
    at(10, 'a');
    at(20, 'b');
    at(30, 'c');
    expect(clock.runUntilIdle({ maxEvents: 2 })).toBe(2);
    expect(log).toEqual(['a', 'b']);
    expect(clock.now()).toBe(20);
    expect(clock.runUntilIdle({ maxEvents: 0 })).toBe(0);
    expect(() => clock.runUntilIdle({ maxEvents: -1 })).toThrow(RangeError);
  });

  it('runUntilIdle with until does not run later timers nor jump time', () => {
    const clock = new SimClock();
    const { log, at } = recorder(clock);
    at(10, 'a');
    at(50, 'b');
    expect(clock.runUntilIdle({ until: 40 })).toBe(1);
    expect(log).toEqual(['a']);
    expect(clock.now()).toBe(10);
    expect(clock.nextDueAt()).toBe(50);
  });

  it('lets an action error propagate and stays consistent', () => {
    const clock = new SimClock();
    const { log, at } = recorder(clock);
    at(10, 'a');
    clock.schedule(
      20,
      () => {
        throw new Error('boom');
      },
      label,
    );
    at(30, 'c');
    expect(() => clock.runUntil(100)).toThrow('boom');
    expect(clock.now()).toBe(20);
    expect(clock.eventsRun).toBe(2);
    expect(clock.pendingCount).toBe(1);
    expect(clock.runUntil(100)).toBe(1);
    expect(log).toEqual(['a', 'c']);
    expect(clock.now()).toBe(100);
  });

  it('refuses to be run from inside an action', () => {
    const clock = new SimClock();
    let inner: unknown;
    clock.schedule(
      10,
      () => {
        try {
          clock.step();
        } catch (error) {
          inner = error;
        }
      },
      label,
    );
    clock.runUntilIdle();
    expect(inner).toBeInstanceOf(Error);
    expect(clock.step()).toBe(false);
  });
});

describe('SimClock cancellation and introspection', () => {
  it('cancel skips the timer, updates counts and is idempotent', () => {
    const clock = new SimClock();
    const { log } = recorder(clock);
    const a = clock.schedule(10, () => log.push('a'), label);
    const b = clock.schedule(20, () => log.push('b'), label);
    expect(a.active).toBe(true);
    expect(clock.pendingCount).toBe(2);
    a.cancel();
    a.cancel();
    expect(a.active).toBe(false);
    expect(clock.pendingCount).toBe(1);
    expect(clock.nextDueAt()).toBe(20);
    clock.runUntilIdle();
    expect(log).toEqual(['b']);
    expect(b.active).toBe(false);
    b.cancel();
    expect(clock.pendingCount).toBe(0);
    expect(clock.nextDueAt()).toBeUndefined();
  });

  it('a handle stays inactive after its slot is reused by a later timer', () => {
    const clock = new SimClock();
    const first = clock.schedule(10, () => undefined, label);
    clock.runUntilIdle();
    const second = clock.schedule(10, () => undefined, label);
    expect(first.active).toBe(false);
    expect(second.active).toBe(true);
    first.cancel();
    expect(second.active).toBe(true);
    expect(clock.pendingCount).toBe(1);
    const cancelled = clock.schedule(5, () => undefined, label);
    cancelled.cancel();
    expect(clock.nextDueAt()).toBe(20);
    const third = clock.schedule(1, () => undefined, label);
    expect(cancelled.active).toBe(false);
    expect(third.active).toBe(true);
  });

  it('a handle is inactive inside its own action', () => {
    const clock = new SimClock();
    let inside: boolean | undefined;
    const handle = clock.schedule(10, () => (inside = handle.active), label);
    clock.runUntilIdle();
    expect(inside).toBe(false);
  });

  it('a timer can cancel another due at the same time', () => {
    const clock = new SimClock();
    const log: string[] = [];
    clock.schedule(10, () => later.cancel(), label);
    const later = clock.schedule(10, () => log.push('later'), label);
    clock.runUntilIdle();
    expect(log).toEqual([]);
    expect(clock.eventsRun).toBe(1);
  });

  it('compacts under heavy cancellation without losing live timers', () => {
    const clock = new SimClock();
    let ran = 0;
    const keep: TimerHandle[] = [];
    for (let i = 0; i < 10_000; i++) {
      const handle = clock.schedule(1_000 + (i % 50), () => ran++, label);
      if (i % 10 === 0) keep.push(handle);
      else handle.cancel();
    }
    expect(clock.pendingCount).toBe(1_000);
    expect(clock.pending()).toHaveLength(1_000);
    expect(keep.every((h) => h.active)).toBe(true);
    expect(clock.runUntilIdle()).toBe(1_000);
    expect(ran).toBe(1_000);
  });

  it('pending lists live timers by (dueAt, id) with their labels', () => {
    const clock = new SimClock();
    const grace: TimerLabel = { owner: 'node-lifecycle', purpose: 'grace period of node w2' };
    const monitor: TimerLabel = { owner: 'node-lifecycle', purpose: 'monitor tick' };
    clock.schedule(40_000, () => undefined, grace);
    clock.schedule(5_000, () => undefined, monitor).cancel();
    clock.schedule(5_000, () => undefined, monitor);
    clock.schedule(40_000, () => undefined, monitor);
    expect(clock.pending()).toEqual([
      { id: 3, dueAt: 5_000, owner: 'node-lifecycle', purpose: 'monitor tick' },
      { id: 1, dueAt: 40_000, owner: 'node-lifecycle', purpose: 'grace period of node w2' },
      { id: 4, dueAt: 40_000, owner: 'node-lifecycle', purpose: 'monitor tick' },
    ]);
  });
});

describe('SimClock against a reference model', () => {
  it('matches a sorted-list queue over random schedule, cancel, step and run operations', () => {
    let seed = 12_345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return seed % n;
    };
    const clock = new SimClock();
    // The reference: live timers by id with their due time, fired ids in order, its own time.
    const model = new Map<number, number>();
    let modelNow = 0;
    const modelFired: number[] = [];
    const fired: number[] = [];
    const handles: TimerHandle[] = [];
    const modelRun = (until: number, max: number): void => {
      const due: [number, number][] = [];
      for (const entry of model) if (entry[1] <= until) due.push(entry);
      due.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      for (const [id, at] of due.slice(0, max)) {
        model.delete(id);
        modelNow = at;
        modelFired.push(id);
      }
    };
    const schedule = (delay: number): void => {
      const handle = clock.schedule(delay, () => fired.push(handle.id), label);
      handles.push(handle);
      model.set(handle.id, modelNow + delay);
    };
    // Collected rather than asserted one by one: tens of thousands of expect() calls are slow.
    const activeMismatches: number[] = [];
    const countMismatches: number[] = [];
    const cancel = (handle: TimerHandle): void => {
      if (handle.active !== model.has(handle.id)) activeMismatches.push(handle.id);
      handle.cancel();
      model.delete(handle.id);
    };
    for (let op = 0; op < 6_000; op++) {
      const kind = rand(100);
      if (kind < 50) {
        schedule(rand(4) === 0 ? 0 : rand(500));
      } else if (kind < 80) {
        const handle = handles[rand(handles.length)];
        if (handle) cancel(handle);
      } else if (kind < 90) {
        clock.step();
        modelRun(Infinity, 1);
      } else if (kind < 99) {
        const until = modelNow + rand(300);
        clock.runUntil(until);
        modelRun(until, Infinity);
        modelNow = Math.max(modelNow, until);
      } else {
        // A burst of timers mostly cancelled again, enough to make the heap compact.
        const start = handles.length;
        for (let i = 0; i < 3_000; i++) schedule(rand(1_000));
        for (let i = start; i < handles.length; i++) if (rand(10) !== 0) cancel(handles[i]!);
      }
      if (clock.pendingCount !== model.size) countMismatches.push(op);
    }
    expect(activeMismatches).toEqual([]);
    expect(countMismatches).toEqual([]);
    clock.runUntilIdle();
    modelRun(Infinity, Infinity);
    expect(fired).toEqual(modelFired);
    expect(clock.now()).toBe(modelNow);
    expect(handles.every((h) => !h.active)).toBe(true);
  });
});

describe('SimClock timers due now (the lane beside the heap)', () => {
  it('fires timers scheduled by actions for now, later and at equal times in (dueAt, id) order, skipping cancelled ones', () => {
    let seed = 777;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return seed % n;
    };
    const clock = new SimClock();
    const fired: [number, number][] = [];
    const live = new Map<number, TimerHandle>();
    const cancelledIds = new Set<number>();
    let scheduledCount = 0;
    const observed: number[] = [];
    const schedule = (delay: number): void => {
      if (scheduledCount >= 40_000) return;
      scheduledCount++;
      const handle: TimerHandle = clock.schedule(
        delay,
        () => {
          fired.push([clock.now(), handle.id]);
          live.delete(handle.id);
          // Most actions enqueue work for now (a watch handler's add), some for later; some cancel.
          for (let k = rand(4); k > 0; k--) schedule(rand(3) === 0 ? rand(50) : 0);
          if (rand(5) === 0 && live.size > 0) {
            const ids = [...live.keys()];
            const victim = live.get(ids[rand(ids.length)]!)!;
            victim.cancel();
            live.delete(victim.id);
            cancelledIds.add(victim.id);
          }
        },
        label,
      );
      live.set(handle.id, handle);
    };
    for (let i = 0; i < 200; i++) schedule(rand(100));
    // An observer attached mid-run learns the ids of timers already in the lane.
    clock.runUntil(60);
    const stop = clock.observe({ scheduled() {}, cancelled: (id) => observed.push(id), fired() {} });
    const expectedPending = [...live.values()].map((h) => [h.dueAt, h.id]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    expect(clock.pending().map((t) => [t.dueAt, t.id])).toEqual(expectedPending);
    clock.runUntilIdle();
    stop();
    // Strictly increasing (dueAt, id): the order is fully determined by the schedule.
    const outOfOrder = fired.filter((f, i) => i > 0 && (f[0] < fired[i - 1]![0] || (f[0] === fired[i - 1]![0] && f[1] <= fired[i - 1]![1])));
    expect(outOfOrder).toEqual([]);
    expect(fired.filter(([, id]) => cancelledIds.has(id))).toEqual([]);
    expect(fired.length + cancelledIds.size).toBe(scheduledCount);
    expect(observed.every((id) => cancelledIds.has(id))).toBe(true);
    expect(clock.pendingCount).toBe(0);
  });

  it('compacts lane entries cancelled in bulk and keeps the live ones in order', () => {
    const clock = new SimClock();
    const log: number[] = [];
    clock.schedule(
      5,
      () => {
        const handles = Array.from({ length: 5_000 }, (_, i) => clock.schedule(0, () => log.push(i), label));
        for (let i = 0; i < handles.length; i++) if (i % 7 !== 0) handles[i]!.cancel();
      },
      label,
    );
    clock.schedule(5, () => log.push(-1), label);
    clock.runUntilIdle();
    expect(log[0]).toBe(-1);
    expect(log.slice(1)).toEqual(Array.from({ length: 5_000 }, (_, i) => i).filter((i) => i % 7 === 0));
  });
});

describe('SimClock timers without handles', () => {
  it('orders them with handled timers by due time and scheduling order, and cancels them by slot and label', () => {
    const clock = new SimClock();
    const log: string[] = [];
    const labels = ['a', 'b', 'c', 'd'].map((name): TimerLabel => ({ owner: 'test', purpose: name }));
    clock.schedule(10, () => log.push('handled-1'), label);
    const a = clock.scheduleUnheld(10, () => log.push('a'), labels[0]!);
    const b = clock.scheduleUnheld(5, () => log.push('b'), labels[1]!);
    clock.schedule(10, () => log.push('handled-2'), label);
    const c = clock.scheduleUnheld(10, () => log.push('c'), labels[2]!);
    expect(clock.pending().map((t) => t.purpose)).toEqual(['b', 'a timer', 'a', 'a timer', 'c']);
    expect(clock.isUnheldPending(a, labels[0]!)).toBe(true);
    // Another label does not name the timer in that slot.
    expect(clock.cancelUnheld(a, labels[3]!)).toBe(false);
    expect(clock.cancelUnheld(a, labels[0]!)).toBe(true);
    expect(clock.isUnheldPending(a, labels[0]!)).toBe(false);
    expect(clock.cancelUnheld(a, labels[0]!)).toBe(false);
    clock.runFor(5);
    expect(log).toEqual(['b']);
    expect(clock.isUnheldPending(b, labels[1]!)).toBe(false);
    expect(clock.cancelUnheld(b, labels[1]!)).toBe(false);
    // The fired timer's slot is reused: its label no longer matches.
    const d = clock.scheduleUnheld(1, () => log.push('d'), labels[3]!);
    expect(clock.cancelUnheld(d, labels[1]!)).toBe(false);
    clock.runFor(10);
    expect(log).toEqual(['b', 'd', 'handled-1', 'handled-2', 'c']);
    expect(clock.isUnheldPending(c, labels[2]!)).toBe(false);
    expect(clock.pendingCount).toBe(0);
  });

  it('tells an observer the id of a cancelled timer, also one scheduled before it attached', () => {
    const clock = new SimClock();
    const early: TimerLabel = { owner: 'test', purpose: 'early' };
    const late: TimerLabel = { owner: 'test', purpose: 'late' };
    clock.schedule(1, () => undefined, label);
    const earlySlot = clock.scheduleUnheld(50, () => undefined, early);
    const cancelled: number[] = [];
    const detach = clock.observe({ scheduled: () => undefined, cancelled: (id) => cancelled.push(id), fired: () => undefined });
    const lateSlot = clock.scheduleUnheld(60, () => undefined, late);
    const ids = new Map(clock.pending().map((t) => [t.purpose, t.id]));
    expect(clock.cancelUnheld(lateSlot, late)).toBe(true);
    expect(clock.cancelUnheld(earlySlot, early)).toBe(true);
    expect(cancelled).toEqual([ids.get('late'), ids.get('early')]);
    detach();
    expect(clock.pendingCount).toBe(1);
  });

  it('reports a shared SlotTimerLabel as the label it gives for each timer\'s slot, in listings and to observers', () => {
    const clock = new SimClock();
    const names = new Map<number, string>();
    const asked: number[] = [];
    const shared: SlotTimerLabel = {
      owner: 'test',
      purpose: 'shared',
      labelAt: (slot) => {
        asked.push(slot);
        return { owner: 'test', purpose: `timer of ${names.get(slot) ?? '?'}` };
      },
    };
    const log: string[] = [];
    const a = clock.scheduleUnheld(10, () => log.push('a'), shared);
    names.set(a, 'a');
    const b = clock.scheduleUnheld(20, () => log.push('b'), shared);
    names.set(b, 'b');
    clock.schedule(15, () => log.push('plain'), label);
    // Nothing asks for a label while nobody reports one.
    expect(asked).toEqual([]);
    expect(clock.pending().map((t) => t.purpose)).toEqual(['timer of a', 'a timer', 'timer of b']);
    const seen: string[] = [];
    clock.observe({ scheduled: (_id, _due, l) => seen.push(`s ${l.purpose}`), cancelled: () => undefined, fired: (_id, l) => seen.push(`f ${l.purpose}`) });
    clock.runFor(30);
    expect(log).toEqual(['a', 'plain', 'b']);
    expect(seen).toEqual(['f timer of a', 'f a timer', 'f timer of b']);
    // One shared label cancels by slot as any other.
    const c = clock.scheduleUnheld(5, () => log.push('c'), shared);
    expect(clock.isUnheldPending(c, shared)).toBe(true);
    expect(clock.cancelUnheld(c, shared)).toBe(true);
    expect(clock.pendingCount).toBe(0);
  });
});

/** Length of one of the clock's private queue columns: white-box, to pin that memory is given back. */
function columnLength(clock: SimClock, column: 'times' | 'laneTimes' | 'ids'): number {
  const queue: unknown = Reflect.get(clock, 'queue');
  return (Reflect.get(queue as object, column) as Float64Array | Uint32Array).length;
}

describe('SimClock queue memory (issue 8)', () => {
  it('gives heap room back as the queue drains, keeping (dueAt, id) order through shrinks and regrowth', () => {
    let seed = 4242;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return seed % n;
    };
    const clock = new SimClock();
    const fired: [number, number][] = [];
    const add = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const handle: TimerHandle = clock.schedule(1 + rand(10_000), () => fired.push([clock.now(), handle.id]), label);
      }
    };
    add(100_000);
    const grownTo = columnLength(clock, 'times');
    expect(grownTo).toBeGreaterThanOrEqual(100_000);
    // Grown by a quarter past 65,536 slots, not doubled to 131,072.
    expect(grownTo).toBeLessThan(131_072);
    clock.runUntil(clock.now() + 9_000);
    const left = clock.pendingCount;
    expect(left).toBeLessThan(grownTo / 4);
    expect(columnLength(clock, 'times')).toBeLessThanOrEqual(grownTo / 2);
    // Refill past the shrunk room, then drain: nothing is lost or reordered.
    add(60_000);
    clock.runUntilIdle();
    expect(fired).toHaveLength(160_000);
    const outOfOrder = fired.filter((f, i) => i > 0 && (f[0] < fired[i - 1]![0] || (f[0] === fired[i - 1]![0] && f[1] <= fired[i - 1]![1])));
    expect(outOfOrder).toEqual([]);
    expect(columnLength(clock, 'times')).toBeLessThan(8_192);
  });

  it('gives lane room back after a burst, and later bursts still run in scheduling order', () => {
    const clock = new SimClock();
    const log: number[] = [];
    const burst = (at: number, count: number, base: number): void =>
      void clock.scheduleAt(at, () => {
        for (let i = 0; i < count; i++) clock.schedule(0, () => log.push(base + i), label);
      }, label);
    burst(10, 100_000, 0);
    for (let k = 0; k < 6; k++) burst(20 + k, 100, 1_000_000 + k * 1_000);
    clock.runUntil(10);
    expect(columnLength(clock, 'laneTimes')).toBeGreaterThanOrEqual(100_000);
    clock.runUntilIdle();
    expect(columnLength(clock, 'laneTimes')).toBeLessThanOrEqual(1 << 14);
    const expected = Array.from({ length: 100_000 }, (_, i) => i);
    for (let k = 0; k < 6; k++) for (let i = 0; i < 100; i++) expected.push(1_000_000 + k * 1_000 + i);
    expect(log).toEqual(expected);
  });

  it('widens ids past 2^32 exactly, keeping ties in scheduling order and cancellation by handle', () => {
    const clock = new SimClock();
    // 4 billion timers would take hours: start the counter just below 32 bits instead.
    const queue: unknown = Reflect.get(clock, 'queue');
    Reflect.set(queue as object, 'nextId', 2 ** 32 - 3);
    const log: number[] = [];
    const handles: TimerHandle[] = [];
    for (let i = 0; i < 6; i++) handles.push(clock.schedule(100, () => log.push(handles[i]!.id), label));
    clock.schedule(50, () => {
      for (let i = 0; i < 3; i++) handles.push(clock.schedule(0, () => log.push(handles[6 + i]!.id), label));
    }, label);
    handles[4]!.cancel();
    expect(handles.slice(0, 6).map((h) => h.id)).toEqual([2 ** 32 - 3, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 32 + 2]);
    expect(Reflect.get(queue as object, 'ids')).toBeInstanceOf(Float64Array);
    expect(clock.pending().map((t) => t.id)).toEqual([2 ** 32 + 3, 2 ** 32 - 3, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 2]);
    clock.runUntilIdle();
    expect(log).toEqual([2 ** 32 + 4, 2 ** 32 + 5, 2 ** 32 + 6, 2 ** 32 - 3, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 2]);
    expect(handles.every((h) => !h.active)).toBe(true);
  });
});
