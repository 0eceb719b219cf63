import { describe, it, expect } from '@jest/globals';
import { SimClock, type TimerLabel } from './clock.js';
import { Pacer, systemWallClock, type PacerOptions, type PacerState, type WallClock } from './pacer.js';

const label: TimerLabel = { owner: 'test', purpose: 'paced event' };

/** A wall clock moved by hand: `advance(ms)` moves time and fires due intervals as ticks. */
class FakeWall implements WallClock {
  time = 1_000_000;
  private readonly intervals = new Map<number, { fn: () => void; ms: number; next: number }>();
  private nextHandle = 1;

  now(): number {
    return this.time;
  }

  setInterval(fn: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.intervals.set(handle, { fn, ms, next: this.time + ms });
    return handle;
  }

  clearInterval(handle: unknown): void {
    this.intervals.delete(handle as number);
  }

  get active(): number {
    return this.intervals.size;
  }

  /** Moves wall time forward by `ms`, firing each interval tick at its own wall time. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let due: { fn: () => void; ms: number; next: number } | undefined;
      for (const entry of this.intervals.values()) if (entry.next <= end && (!due || entry.next < due.next)) due = entry;
      if (!due) break;
      this.time = due.next;
      due.next += due.ms;
      due.fn();
    }
    this.time = end;
  }
}

function setup(options: PacerOptions = {}) {
  const clock = new SimClock();
  const wall = new FakeWall();
  const pacer = new Pacer(clock, { tickMs: 100, ...options, wall });
  const states: PacerState[] = [];
  pacer.subscribe((state) => states.push(state));
  return { clock, wall, pacer, states };
}

/** Schedules a timer every `period` virtual ms, forever. */
function periodic(clock: SimClock, period: number): number[] {
  const times: number[] = [];
  const tick = (): void => {
    times.push(clock.now());
    clock.schedule(period, tick, label);
  };
  clock.schedule(period, tick, label);
  return times;
}

describe('Pacer', () => {
  it('does nothing until started', () => {
    const { clock, wall, pacer } = setup();
    wall.advance(10_000);
    expect(clock.now()).toBe(0);
    expect(pacer.state).toEqual({ running: false, paused: false, speed: 1, virtualNow: 0 });
    expect(wall.active).toBe(0);
  });

  it('advances virtual time at speed 1 in step with the wall clock', () => {
    const { clock, wall, pacer } = setup();
    const times = periodic(clock, 250);
    pacer.start();
    wall.advance(100);
    expect(clock.now()).toBe(100);
    wall.advance(900);
    expect(clock.now()).toBe(1_000);
    expect(times).toEqual([250, 500, 750, 1_000]);
  });

  it('keeps virtual time in whole milliseconds when the wall clock has fractions', () => {
    const { clock, wall, pacer } = setup();
    pacer.start();
    // performance.now() reads fractions of a millisecond; ticks never land on whole ones.
    let jitter = 0;
    wall.now = () => wall.time + (jitter = (jitter + 0.37) % 1);
    for (let i = 0; i < 7; i++) {
      wall.advance(100);
      expect(Number.isInteger(clock.now())).toBe(true);
    }
    expect(clock.now()).toBeGreaterThanOrEqual(699);
    expect(clock.now()).toBeLessThanOrEqual(701);
  });

  it('runs speed × wall time of virtual time per tick', () => {
    const { clock, wall, pacer } = setup({ speed: 60 });
    pacer.start();
    wall.advance(1_000);
    expect(clock.now()).toBe(60_000);
    pacer.setSpeed(600);
    wall.advance(1_000);
    expect(clock.now()).toBe(660_000);
  });

  it('never jumps time when the speed changes between ticks', () => {
    const { clock, wall, pacer } = setup({ speed: 10 });
    pacer.start();
    wall.advance(150);
    expect(clock.now()).toBe(1_000);
    // The 50 wall ms since the last tick are dropped, not replayed at the new speed.
    pacer.setSpeed(600);
    expect(clock.now()).toBe(1_000);
    wall.advance(50);
    expect(clock.now()).toBe(1_000 + 50 * 600);
    wall.advance(100);
    expect(clock.now()).toBe(1_000 + 150 * 600);
  });

  it('pauses, steps while paused and resumes without making up the paused time', () => {
    const { clock, wall, pacer, states } = setup();
    clock.schedule(5_000, () => undefined, label);
    clock.schedule(9_000, () => undefined, label);
    pacer.start();
    wall.advance(1_000);
    pacer.pause();
    expect(wall.active).toBe(0);
    wall.advance(10_000);
    expect(clock.now()).toBe(1_000);
    expect(pacer.step()).toBe(true);
    expect(clock.now()).toBe(5_000);
    expect(pacer.state.virtualNow).toBe(5_000);
    pacer.resume();
    wall.advance(1_000);
    expect(clock.now()).toBe(6_000);
    expect(pacer.step()).toBe(false);
    expect(states.map((s) => [s.paused, s.virtualNow])).toContainEqual([true, 5_000]);
  });

  it('step while stopped runs one event; step on an empty queue returns false', () => {
    const { clock, pacer } = setup();
    clock.schedule(30_000, () => undefined, label);
    expect(pacer.step()).toBe(true);
    expect(clock.now()).toBe(30_000);
    expect(pacer.step()).toBe(false);
  });

  it('caps events per tick and lags rather than bursting', () => {
    const { clock, wall, pacer } = setup({ maxEventsPerTick: 5 });
    const times = periodic(clock, 10);
    pacer.start();
    wall.advance(100);
    // 10 events were due by virtual 100; the cap ran 5 and re-anchored at virtual 50.
    expect(times).toEqual([10, 20, 30, 40, 50]);
    expect(clock.now()).toBe(50);
    wall.advance(100);
    expect(clock.now()).toBe(100);
    expect(times.length).toBe(10);
  });

  it("at 'max' runs up to maxEventsPerTick events a tick and does not move time when idle", () => {
    const { clock, wall, pacer } = setup({ speed: 'max', maxEventsPerTick: 3 });
    for (const at of [1_000, 2_000, 3_000, 4_000]) clock.scheduleAt(at, () => undefined, label);
    pacer.start();
    wall.advance(100);
    expect(clock.now()).toBe(3_000);
    wall.advance(100);
    expect(clock.now()).toBe(4_000);
    wall.advance(1_000);
    expect(clock.now()).toBe(4_000);
    pacer.setSpeed(1);
    wall.advance(100);
    expect(clock.now()).toBe(4_100);
  });

  it('does not run past until', () => {
    const { clock, wall, pacer } = setup({ speed: 10, until: 1_500 });
    const times = periodic(clock, 400);
    pacer.start();
    wall.advance(1_000);
    expect(clock.now()).toBe(1_500);
    expect(times).toEqual([400, 800, 1_200]);
    pacer.pause();
    expect(pacer.step()).toBe(false);
    expect(clock.now()).toBe(1_500);

    const max = setup({ speed: 'max', until: 1_500 });
    const maxTimes = periodic(max.clock, 400);
    max.pacer.start();
    max.wall.advance(1_000);
    expect(maxTimes).toEqual([400, 800, 1_200]);
    expect(max.clock.now()).toBe(1_200);
  });

  it('runs zero-delay events scheduled at until once it is reached', () => {
    const { clock, wall, pacer } = setup({ until: 500 });
    pacer.start();
    wall.advance(1_000);
    expect(clock.now()).toBe(500);
    let ran = false;
    clock.schedule(0, () => (ran = true), label);
    wall.advance(100);
    expect(ran).toBe(true);
  });

  it('paces on from where an outside run left the clock', () => {
    const { clock, wall, pacer } = setup();
    pacer.start();
    wall.advance(100);
    clock.runUntil(10_000);
    wall.advance(100);
    expect(clock.now()).toBe(10_000);
    wall.advance(100);
    expect(clock.now()).toBe(10_100);
  });

  it('notifies on state changes and on ticks that moved time, until unsubscribed', () => {
    const { clock, wall, pacer } = setup({ speed: 'max' });
    const states: PacerState[] = [];
    const off = pacer.subscribe((s) => states.push(s));
    pacer.start();
    wall.advance(300);
    expect(states).toEqual([{ running: true, paused: false, speed: 'max', virtualNow: 0 }]);
    clock.schedule(50, () => undefined, label);
    wall.advance(100);
    expect(states.at(-1)).toEqual({ running: true, paused: false, speed: 'max', virtualNow: 50 });
    pacer.setSpeed(10);
    pacer.setSpeed(10);
    pacer.pause();
    pacer.pause();
    pacer.resume();
    pacer.stop();
    pacer.stop();
    expect(states.slice(2).map((s) => [s.running, s.paused, s.speed])).toEqual([
      [true, false, 10],
      [true, true, 10],
      [true, false, 10],
      [false, false, 10],
    ]);
    expect(wall.active).toBe(0);
    off();
    pacer.start();
    expect(states).toHaveLength(6);
  });

  it('stops and rethrows when an event throws', () => {
    const { clock, wall, pacer } = setup();
    clock.schedule(
      50,
      () => {
        throw new Error('model bug');
      },
      label,
    );
    pacer.start();
    expect(() => wall.advance(100)).toThrow('model bug');
    expect(pacer.state.running).toBe(false);
    expect(wall.active).toBe(0);
    expect(clock.now()).toBe(50);
  });

  it('validates its options', () => {
    const clock = new SimClock();
    expect(() => new Pacer(clock, { speed: 0 })).toThrow(RangeError);
    expect(() => new Pacer(clock, { speed: -1 })).toThrow(RangeError);
    expect(() => new Pacer(clock, { tickMs: 0 })).toThrow(RangeError);
    expect(() => new Pacer(clock, { maxEventsPerTick: 0.5 })).toThrow(RangeError);
    expect(() => new Pacer(clock, { until: NaN })).toThrow(RangeError);
    expect(() => new Pacer(clock).setSpeed(NaN)).toThrow(RangeError);
  });

  it('ships a system wall clock with a monotonic now', () => {
    const a = systemWallClock.now();
    expect(systemWallClock.now()).toBeGreaterThanOrEqual(a);
    const handle = systemWallClock.setInterval(() => undefined, 60_000);
    systemWallClock.clearInterval(handle);
  });
});
