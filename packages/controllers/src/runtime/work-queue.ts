// The controller work queue of client-go (util/workqueue): event handlers add keys, a
// worker reconciles each key, a key is never processed twice at once, adds while a key
// waits are merged, "requeue after" waits in virtual time, and failures back off per key
// (ItemExponentialFailureRateLimiter: 5 ms doubling to 1000 s).
import type { SimClock, TimerHandle, TimerLabel } from '@failsim/core';

/** What a reconcile asks for next. */
export type ReconcileResult = void | {
  /** Reconcile this key again after this many ms (a wait, not a failure). */
  readonly requeueAfter?: number;
  /** The reconcile failed: retry with per-key exponential back-off. */
  readonly retry?: boolean;
};

/** Options of a {@link WorkQueue}. */
export interface WorkQueueOptions {
  /** Owner shown on the queue's timers (the controller's name). */
  readonly owner: string;
  /** Delay before a newly added key is processed; upstream's is the informer + worker latency (ms). Default 0. */
  readonly latencyMs?: number;
  /** First back-off after a failed reconcile (ms). Default 5. */
  readonly baseRetryMs?: number;
  /** Longest back-off (ms). Default 1,000,000. */
  readonly maxRetryMs?: number;
}

/** A deduplicating, delaying work queue processed on the simulation clock. */
export class WorkQueue {
  readonly #clock: SimClock;
  readonly #reconcile: (key: string) => ReconcileResult;
  readonly #options: Required<WorkQueueOptions>;
  readonly #label: TimerLabel;
  readonly #due = new Map<string, TimerHandle>();
  readonly #failures = new Map<string, number>();
  #stopped = false;

  constructor(clock: SimClock, reconcile: (key: string) => ReconcileResult, options: WorkQueueOptions) {
    this.#clock = clock;
    this.#reconcile = reconcile;
    this.#options = { latencyMs: 0, baseRetryMs: 5, maxRetryMs: 1_000_000, ...options };
    this.#label = { owner: options.owner, purpose: 'work queue' };
  }

  /** Queues `key` for processing now (after the queue's latency), merging with a pending add. */
  add(key: string): void {
    this.addAfter(key, this.#options.latencyMs);
  }

  /** Queues `key` after `delayMs`; an earlier pending time wins, as in a delaying queue. */
  addAfter(key: string, delayMs: number, purpose?: string): void {
    if (this.#stopped) return;
    const dueAt = this.#clock.now() + Math.max(0, delayMs);
    const pending = this.#due.get(key);
    if (pending?.active && pending.dueAt <= dueAt) return;
    pending?.cancel();
    const label = purpose ? { owner: this.#options.owner, purpose } : this.#label;
    this.#due.set(key, this.#clock.scheduleAt(dueAt, () => this.#process(key), label));
  }

  /** Keys waiting to be processed. */
  get length(): number {
    return [...this.#due.values()].filter((t) => t.active).length;
  }

  /** Drops every pending key and accepts no more. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#due.values()) timer.cancel();
    this.#due.clear();
  }

  #process(key: string): void {
    this.#due.delete(key);
    const result = this.#reconcile(key);
    if (result?.retry) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      const delay = Math.min(this.#options.maxRetryMs, this.#options.baseRetryMs * 2 ** (failures - 1));
      this.addAfter(key, delay, 'retry after a failed reconcile');
      return;
    }
    this.#failures.delete(key);
    if (result?.requeueAfter !== undefined) this.addAfter(key, result.requeueAfter, 'requeue after');
  }
}
