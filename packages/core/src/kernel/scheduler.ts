// RxJS on virtual time: every time-based operator takes a scheduler, so model code that
// passes this one gets its timers on the SimClock instead of the wall clock.

import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { SimClock, TimerHandle, TimerLabel } from './clock.js';

type Work<T> = (this: SchedulerAction<T>, state?: T) => void;

/**
 * One scheduled unit of work, with the contract of RxJS's AsyncAction: it runs once unless
 * its work calls `this.schedule(...)` again (that is how `interval` repeats), and
 * unsubscribing cancels the pending run.
 */
class SimAction<T> extends Subscription implements SchedulerAction<T> {
  private timer: TimerHandle | undefined;
  private state: T | undefined;

  constructor(
    private readonly clock: SimClock,
    private readonly label: TimerLabel,
    private readonly work: Work<T>,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    // Rescheduling before the pending run replaces it, as AsyncAction does.
    this.timer?.cancel();
    // "Never" has an exact meaning in virtual time: no timer at all. (A wall-clock
    // setInterval would instead overflow and fire at once.)
    this.timer = delay === Infinity ? undefined : this.clock.schedule(delay, this.run, this.label);
    return this;
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.timer?.cancel();
    this.timer = undefined;
    super.unsubscribe();
  }

  // One bound function per action, not one closure per run.
  private readonly run = (): void => {
    this.timer = undefined;
    try {
      this.work.call(this, this.state);
    } catch (error) {
      // AsyncAction closes an action whose work threw before rethrowing; so do we, and the
      // error propagates out of the clock's step/run call.
      this.unsubscribe();
      throw error;
    }
  };
}

class SimScheduler implements SchedulerLike {
  constructor(
    private readonly clock: SimClock,
    private readonly label: TimerLabel,
  ) {}

  now(): number {
    return this.clock.now();
  }

  schedule<T>(work: Work<T>, delay = 0, state?: T): Subscription {
    return new SimAction<T>(this.clock, this.label, work).schedule(state, delay);
  }
}

/**
 * Creates an RxJS scheduler on `clock`: `now()` is the clock's virtual time and every
 * delay becomes a clock timer carrying `label`, so it shows in {@link SimClock.pending}.
 *
 * Semantics at the edges: a delay of 0 (or negative) runs after the timers already due
 * now; a delay of Infinity never runs and schedules nothing; NaN throws RangeError (from
 * the clock). An error thrown by scheduled work closes that action and propagates out of
 * the clock's step/run call.
 *
 * @example
 * ```ts
 * const scheduler = createSimScheduler(clock, { owner: 'node-lifecycle', purpose: 'monitor node status' });
 * interval(5_000, scheduler).subscribe(() => monitorNodeHealth());
 * clock.runFor(60_000); // 12 ticks
 * ```
 */
export function createSimScheduler(clock: SimClock, label: TimerLabel): SchedulerLike {
  return new SimScheduler(clock, label);
}
