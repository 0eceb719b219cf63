// The taint eviction controller's scheduled deletions: k/k
// pkg/controller/tainteviction/timed_workers.go (main; NoExecuteTaintManager's
// timed_workers.go before 1.29), on the simulation clock. Each pod has at most one worker;
// a worker due now runs right after the current action (upstream starts a goroutine) and
// cannot be cancelled any more, one due later is a named timer.
import type { SimClock, TimerHandle } from '@failsim/core';

/** A scheduled piece of work, as the controller sees it. */
export interface TimedWork {
  /** The pod's `namespace/name`. */
  readonly key: string;
  /** When the work was created (the controller's observation time). */
  readonly createdAt: number;
  /** When it fires. */
  readonly fireAt: number;
}

interface Worker extends TimedWork {
  readonly timer: TimerHandle;
  /** Started at once: upstream keeps a nil worker for it, which CancelWork cannot stop. */
  readonly immediate: boolean;
}

/** Options of a {@link TimedWorkerQueue}. */
export interface TimedWorkerQueueOptions {
  /** Owner of the timers (the controller's name). */
  readonly owner: string;
  /** The work: deletes the pod. Called with the key and the time it was due. */
  readonly work: (key: string, fireAt: number) => void;
  /** What the timer of `work` is for, for the clocks view. */
  readonly purpose: (work: TimedWork) => string;
}

/** TimedWorkerQueue: at most one pending worker per key. */
export class TimedWorkerQueue {
  readonly #clock: SimClock;
  readonly #options: TimedWorkerQueueOptions;
  readonly #workers = new Map<string, Worker>();

  constructor(clock: SimClock, options: TimedWorkerQueueOptions) {
    this.#clock = clock;
    this.#options = options;
  }

  /**
   * AddWork: schedules work for `key` to fire `fireAt - createdAt` from now (at once when
   * that is not positive); does nothing if `key` already has a worker.
   */
  addWork(key: string, createdAt: number, fireAt: number): void {
    if (this.#workers.has(key)) return;
    const delay = fireAt - createdAt;
    const immediate = delay <= 0;
    const work: TimedWork = { key, createdAt, fireAt };
    const timer: TimerHandle = this.#clock.schedule(
      immediate ? 0 : delay,
      () => {
        this.#options.work(key, fireAt);
        // Upstream deletes whatever entry the key has once the work is done; only ours here,
        // so a worker added meanwhile (after a cancel) survives.
        if (this.#workers.get(key)?.timer === timer) this.#workers.delete(key);
      },
      { owner: this.#options.owner, purpose: this.#options.purpose(work) },
    );
    this.#workers.set(key, { ...work, timer, immediate });
  }

  /** CancelWork: forgets `key`'s worker; true if a pending timer was stopped (not for work already started). */
  cancelWork(key: string): boolean {
    const worker = this.#workers.get(key);
    if (!worker) return false;
    this.#workers.delete(key);
    if (worker.immediate) return false;
    worker.timer.cancel();
    return true;
  }

  /** Whether `key` has a worker (started or not), without {@link TimedWorkerQueue.get}'s copy. */
  has(key: string): boolean {
    return this.#workers.has(key);
  }

  /** When `key`'s worker was created, if it has one ({@link TimedWorkerQueue.get}'s createdAt, without the copy). */
  createdAt(key: string): number | undefined {
    return this.#workers.get(key)?.createdAt;
  }

  /** GetWorkerUnsafe: `key`'s worker, if any. */
  get(key: string): TimedWork | undefined {
    const worker = this.#workers.get(key);
    return worker && { key: worker.key, createdAt: worker.createdAt, fireAt: worker.fireAt };
  }

  /** Every pending worker, by fire time. */
  list(): TimedWork[] {
    return [...this.#workers.values()]
      .map((w) => ({ key: w.key, createdAt: w.createdAt, fireAt: w.fireAt }))
      .sort((a, b) => a.fireAt - b.fireAt || (a.key < b.key ? -1 : 1));
  }

  /** CancelAndWait: stops every timer, including work not started yet. */
  cancelAll(): void {
    for (const worker of this.#workers.values()) worker.timer.cancel();
    this.#workers.clear();
  }
}
