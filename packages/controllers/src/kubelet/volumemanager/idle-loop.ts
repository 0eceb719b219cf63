// Upstream's volume manager loops are wait.Until(…, 100ms) goroutines that run forever
// (pkg/kubelet/volumemanager/volume_manager.go · v1.12). Here a loop keeps the same phase
// (ticks fall on origin + k × period) but only holds a timer while it has work, so an idle
// node costs nothing.
import type { SimClock, TimerHandle, TimerLabel } from '@failsim/core';

/** A periodic loop that ticks only when asked to, on a fixed grid. */
export class IdleLoop {
  readonly #clock: SimClock;
  readonly #period: number;
  readonly #label: TimerLabel;
  readonly #tick: () => void;
  #origin: number;
  #timer: TimerHandle | undefined;
  #running = true;

  constructor(clock: SimClock, periodMs: number, label: TimerLabel, tick: () => void) {
    this.#clock = clock;
    this.#period = periodMs;
    this.#label = label;
    this.#tick = tick;
    this.#origin = clock.now();
  }

  /** Ticks at the first grid time strictly after now and no earlier than `notBefore`; an earlier pending tick wins. */
  wake(notBefore = Number.NEGATIVE_INFINITY): void {
    if (!this.#running) return;
    const now = this.#clock.now();
    const from = Math.max(now + 1, notBefore);
    const at = this.#origin + Math.ceil((from - this.#origin) / this.#period) * this.#period;
    if (this.#timer?.active && this.#timer.dueAt <= at) return;
    this.#timer?.cancel();
    this.#timer = this.#clock.scheduleAt(at, () => {
      this.#timer = undefined;
      this.#tick();
    }, this.#label);
  }

  /** Stops ticking until {@link IdleLoop.start}. */
  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** Runs again, with the grid starting now (a new goroutine). */
  start(): void {
    this.#running = true;
    this.#origin = this.#clock.now();
  }
}
