// Upstream's periodic loops (wait.Until / wait.UntilWithContext): run now, then again
// `period` after each run finished. In virtual time a run takes no time, so runs fall
// exactly every `period` from the start.
import type { SimClock, TimerLabel, TimerSlot } from '@failsim/core';

/** A running periodic loop. */
export interface Periodic {
  /** Stops the loop; a run already due does not happen. */
  stop(): void;
}

/**
 * Runs `work` every `periodMs` of virtual time, the first time after `initialDelayMs`
 * (default 0: at once). Each run's timer carries `label`, so the clocks view shows it.
 */
export const every = (clock: SimClock, periodMs: number, label: TimerLabel, work: () => void, initialDelayMs = 0): Periodic => {
  // The timers are scheduled without handles (same ids, same order as schedule): a loop
  // reschedules itself on every run — the node monitor every 5 s, the pod GC every 20 s,
  // on every simulation — and a handle each run was garbage at once. `pending` says
  // whether `slot` is still this loop's timer, so stop() cancels only a timer not yet run
  // (a slot is reused once its timer ran, perhaps by a timer with the same label).
  let slot: TimerSlot = 0;
  let pending = false;
  let stopped = false;
  const run = (): void => {
    pending = false;
    if (stopped) return;
    work();
    if (!stopped) {
      slot = clock.scheduleUnheld(periodMs, run, label);
      pending = true;
    }
  };
  slot = clock.scheduleUnheld(initialDelayMs, run, label);
  pending = true;
  return {
    stop: () => {
      stopped = true;
      if (pending) clock.cancelUnheld(slot, label);
      pending = false;
    },
  };
};
