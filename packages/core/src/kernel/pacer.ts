// The one place that touches the wall clock: it paces the virtual clock for live viewing.
// The model never sees wall time; it only sees events run in the same order, faster or
// slower.

import type { SimClock } from './clock.js';

/** The wall-clock services the pacer needs; tests pass a fake. */
export interface WallClock {
  /** Monotonic wall time in ms. */
  now(): number;
  /** Calls `fn` every `ms` wall milliseconds until cleared; returns a handle for clearInterval. */
  setInterval(fn: () => void, ms: number): unknown;
  /** Stops an interval started by setInterval. */
  clearInterval(handle: unknown): void;
}

/** The real wall clock: `performance.now()` and the global setInterval/clearInterval. */
export const systemWallClock: WallClock = {
  now: () => performance.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** Virtual ms per wall ms (1, 10, 60, 600…), or 'max' to run events as fast as possible. */
export type PacerSpeed = number | 'max';

/** Options of a {@link Pacer}. */
export interface PacerOptions {
  /** Initial speed; default 1. */
  speed?: PacerSpeed;
  /** Wall ms between ticks; default 33 (about 30 ticks a second). */
  tickMs?: number;
  /** Wall clock to pace against; default {@link systemWallClock}. */
  wall?: WallClock;
  /** Most events run in one tick, so one tick never freezes the process; default 100,000. */
  maxEventsPerTick?: number;
  /** Virtual time at which pacing stops advancing (events due later are not run). */
  until?: number;
}

/** A snapshot of a pacer, as passed to its listeners. */
export interface PacerState {
  /** True between start() and stop(). */
  readonly running: boolean;
  /** True while paused; a paused pacer only moves by step(). */
  readonly paused: boolean;
  /** Current speed. */
  readonly speed: PacerSpeed;
  /** The clock's virtual time when the snapshot was taken. */
  readonly virtualNow: number;
}

const DEFAULTS = { speed: 1, tickMs: 33, maxEventsPerTick: 100_000 } as const;

function checkSpeed(speed: PacerSpeed): void {
  if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0)) {
    throw new RangeError(`Pacer: speed must be a positive number or 'max', got ${speed}`);
  }
}

/**
 * Advances a {@link SimClock} against the wall clock for live use (the dashboard): at
 * speed N, one wall second runs N virtual seconds of events.
 *
 * On each wall tick the target is the virtual time at the last anchor plus the wall time
 * elapsed since then times the speed; events up to the target run, at most
 * `maxEventsPerTick` of them. When that cap stops a tick short, the pacer re-anchors where
 * it stopped, so a busy simulation lags behind the wall clock instead of bursting to catch
 * up. Pause, resume and setSpeed also re-anchor, so time never jumps. At 'max' each tick
 * runs up to `maxEventsPerTick` events and leaves time alone when the queue is empty.
 * Nothing runs past `until`.
 *
 * An event that throws stops the pacer (listeners see `running: false`) and the error
 * propagates out of the tick, i.e. out of the wall clock's interval callback.
 *
 * @example
 * ```ts
 * const pacer = new Pacer(clock, { speed: 60 });
 * const off = pacer.subscribe((s) => render(s.virtualNow));
 * pacer.start();
 * pacer.setSpeed(600); // faster, from where it is now
 * ```
 */
export class Pacer {
  private readonly clock: SimClock;
  private readonly wall: WallClock;
  private readonly tickMs: number;
  private readonly maxEventsPerTick: number;
  private readonly until: number;
  private readonly listeners = new Set<(state: PacerState) => void>();
  private speed: PacerSpeed;
  private running = false;
  private paused = false;
  private ticking = false;
  private interval: unknown;
  private anchorWall = 0;
  private anchorVirtual = 0;

  /** Creates a stopped, unpaused pacer; invalid options throw RangeError. */
  constructor(clock: SimClock, options: PacerOptions = {}) {
    this.clock = clock;
    this.wall = options.wall ?? systemWallClock;
    this.speed = options.speed ?? DEFAULTS.speed;
    this.tickMs = options.tickMs ?? DEFAULTS.tickMs;
    this.maxEventsPerTick = options.maxEventsPerTick ?? DEFAULTS.maxEventsPerTick;
    this.until = options.until ?? Infinity;
    checkSpeed(this.speed);
    if (!(Number.isFinite(this.tickMs) && this.tickMs > 0)) {
      throw new RangeError(`Pacer: tickMs must be a positive number, got ${this.tickMs}`);
    }
    if (!(Number.isInteger(this.maxEventsPerTick) && this.maxEventsPerTick > 0)) {
      throw new RangeError(`Pacer: maxEventsPerTick must be a positive integer, got ${this.maxEventsPerTick}`);
    }
    if (Number.isNaN(this.until)) throw new RangeError('Pacer: until must be a number, got NaN');
  }

  /** Starts ticking from the clock's current time; a no-op if running. A paused pacer stays paused. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.reanchor();
    this.syncInterval();
    this.emit();
  }

  /** Stops ticking; a no-op if stopped. Leaves `paused` as it is. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.syncInterval();
    this.emit();
  }

  /** Stops time from advancing until resume(); a no-op if already paused. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.syncInterval();
    this.emit();
  }

  /** Lets time advance again from where it is (the paused wall time is not made up); a no-op if not paused. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.reanchor();
    this.syncInterval();
    this.emit();
  }

  /** Changes the speed from the current virtual time on; RangeError unless a positive number or 'max'. */
  setSpeed(speed: PacerSpeed): void {
    checkSpeed(speed);
    if (speed === this.speed) return;
    this.speed = speed;
    this.reanchor();
    this.emit();
  }

  /**
   * Runs the next event (clock.step) while paused or stopped; returns false without running
   * anything while the pacer is advancing on its own, when the queue is empty or when the
   * next event is due after `until`.
   */
  step(): boolean {
    if (this.running && !this.paused) return false;
    const next = this.clock.nextDueAt();
    if (next === undefined || next > this.until) return false;
    const ran = this.clock.step();
    this.reanchor();
    this.emit();
    return ran;
  }

  /** A snapshot of the pacer's state. */
  get state(): PacerState {
    return { running: this.running, paused: this.paused, speed: this.speed, virtualNow: this.clock.now() };
  }

  /**
   * Calls `listener` after every tick that ran events or moved time, and after every state
   * change (start, stop, pause, resume, setSpeed, step). Returns the unsubscribe function.
   */
  subscribe(listener: (state: PacerState) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private tick(): void {
    if (!this.running || this.paused) return;
    const clock = this.clock;
    const timeBefore = clock.now();
    const eventsBefore = clock.eventsRun;
    try {
      if (this.speed === 'max') {
        clock.runUntilIdle({ until: this.until, maxEvents: this.maxEventsPerTick });
        this.reanchor();
      } else {
        this.advance(this.speed);
      }
    } catch (error) {
      this.stop();
      throw error;
    }
    if (clock.now() !== timeBefore || clock.eventsRun !== eventsBefore) this.emit();
  }

  private advance(speed: number): void {
    const clock = this.clock;
    const wallNow = this.wall.now();
    // Whole milliseconds: the wall clock has fractions, virtual time must not (event
    // timestamps, MicroTime and the trace all take integer ms).
    const target = Math.min(Math.floor(this.anchorVirtual + (wallNow - this.anchorWall) * speed), this.until);
    if (clock.now() > target) {
      // Someone else (a dashboard command, a step) moved the clock past the schedule: pace
      // on from there rather than idle until the wall clock catches up.
      this.reanchor(wallNow);
      return;
    }
    const ran = clock.runUntilIdle({ until: target, maxEvents: this.maxEventsPerTick });
    const next = clock.nextDueAt();
    if (ran === this.maxEventsPerTick && next !== undefined && next <= target) {
      this.reanchor(wallNow);
      return;
    }
    clock.runUntil(target);
  }

  private reanchor(wallNow: number = this.wall.now()): void {
    this.anchorWall = wallNow;
    this.anchorVirtual = this.clock.now();
  }

  private syncInterval(): void {
    const shouldTick = this.running && !this.paused;
    if (shouldTick === this.ticking) return;
    this.ticking = shouldTick;
    if (shouldTick) {
      this.interval = this.wall.setInterval(() => this.tick(), this.tickMs);
    } else {
      this.wall.clearInterval(this.interval);
      this.interval = undefined;
    }
  }

  private emit(): void {
    const state = this.state;
    for (const listener of [...this.listeners]) listener(state);
  }
}
