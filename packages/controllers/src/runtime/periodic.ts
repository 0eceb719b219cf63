// Upstream's periodic loops (wait.Until / wait.UntilWithContext): run now, then again
// `period` after each run finished. In virtual time a run takes no time, so runs fall
// exactly every `period` from the start.
import type { SimClock, TimerHandle, TimerLabel } from '@failsim/core';

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
  let timer: TimerHandle | undefined;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    work();
    if (!stopped) timer = clock.schedule(periodMs, run, label);
  };
  timer = clock.schedule(initialDelayMs, run, label);
  return {
    stop: () => {
      stopped = true;
      timer?.cancel();
    },
  };
};
