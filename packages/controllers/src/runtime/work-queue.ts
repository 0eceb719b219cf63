// The controller work queue of client-go (util/workqueue): event handlers add keys, a
// worker reconciles each key, a key is never processed twice at once, adds while a key
// waits are merged, "requeue after" waits in virtual time, and failures back off per key
// (ItemExponentialFailureRateLimiter: 5 ms doubling to 1000 s).
import type { SimClock, TimerLabel, TimerSlot } from '@failsim/core';
import { MinHeap } from './min-heap.js';

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

/** Most records a queue keeps for reuse. */
const POOL_SIZE = 16;

/**
 * A waiting key: its clock timer's slot and label, and its place in the queue's own order.
 * Records are pooled: a queue takes one per add that is not merged, on every pod or node
 * event of the controllers that use it, and gives it back once it is out of the heap.
 */
interface Waiting {
  key: string;
  dueAt: number;
  /** Scheduling order: the clock fires equal due times by timer id, which grows with it. */
  seq: number;
  slot: TimerSlot;
  label: TimerLabel;
  /** False once superseded by an earlier add, fired, or stopped. */
  live: boolean;
}

/** Firing order of this queue's timers: due time, then scheduling order (the clock's timer id order). */
const before = (a: Waiting, b: Waiting): boolean => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);

/**
 * A deduplicating, delaying work queue processed on the simulation clock.
 *
 * Each add that is not merged schedules one clock timer, as a timer per add with its own
 * closure did, so timer ids, firing order and the clocks view are the same; but the timers
 * share one action and carry no handle. The action knows which key is due because this
 * queue's live timers fire in (due time, scheduling order), which its own heap mirrors.
 */
export class WorkQueue {
  readonly #clock: SimClock;
  readonly #reconcile: (key: string) => ReconcileResult;
  readonly #options: Required<WorkQueueOptions>;
  readonly #label: TimerLabel;
  /** Labels by purpose ("requeue after", "retry after a failed reconcile", a caller's own). */
  readonly #labels = new Map<string, TimerLabel>();
  readonly #due = new Map<string, Waiting>();
  /** Keys added with a delay, by (due time, scheduling order). */
  readonly #order = new MinHeap<Waiting>(before);
  /**
   * Keys added with no delay, in scheduling order, which is also due-time order (each is due
   * when added, and time only moves forward): most adds, kept out of the heap's log n.
   */
  readonly #fifo: Waiting[] = [];
  #fifoHead = 0;
  readonly #pool: Waiting[] = [];
  readonly #failures = new Map<string, number>();
  #seq = 0;
  #stopped = false;
  /** The one action of every timer of this queue. */
  readonly #fire = (): void => this.#fireNext();

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
    const delay = delayMs > 0 ? delayMs : 0;
    // The clock computes the same sum from the delay (SimClock.scheduleUnheld).
    const dueAt = this.#clock.now() + delay;
    const pending = this.#due.get(key);
    if (pending !== undefined) {
      if (pending.dueAt <= dueAt) return;
      // Superseded: its timer is cancelled; the record leaves the heap when it reaches the top.
      pending.live = false;
      this.#clock.cancelUnheld(pending.slot, pending.label);
    }
    const label = purpose ? this.#labelFor(purpose) : this.#label;
    const slot = this.#clock.scheduleUnheld(delay, this.#fire, label);
    const waiting = this.#pool.pop() ?? { key, dueAt, seq: 0, slot, label, live: true };
    waiting.key = key;
    waiting.dueAt = dueAt;
    waiting.seq = this.#seq++;
    waiting.slot = slot;
    waiting.label = label;
    waiting.live = true;
    this.#due.set(key, waiting);
    if (delay === 0) this.#fifo.push(waiting);
    else this.#order.push(waiting);
  }

  /** Keys waiting to be processed. */
  get length(): number {
    return this.#due.size;
  }

  /** Drops every pending key and accepts no more. */
  stop(): void {
    this.#stopped = true;
    for (const waiting of this.#due.values()) this.#clock.cancelUnheld(waiting.slot, waiting.label);
    this.#due.clear();
    this.#order.clear();
    this.#fifo.length = 0;
    this.#fifoHead = 0;
    this.#pool.length = 0;
  }

  /**
   * A timer of this queue fired: it is the live record first in (due time, scheduling
   * order), since cancelled timers do not fire and live ones fire in that order.
   */
  #fireNext(): void {
    const fifo = this.#fifo;
    const order = this.#order;
    // Records superseded or stopped leave from the front of either list.
    while (this.#fifoHead < fifo.length && !fifo[this.#fifoHead]!.live) this.#release(fifo[this.#fifoHead++]!);
    for (let top = order.peek(); top !== undefined && !top.live; top = order.peek()) this.#release(order.pop()!);
    const first = this.#fifoHead < fifo.length ? fifo[this.#fifoHead] : undefined;
    const top = order.peek();
    let next: Waiting;
    if (first !== undefined && (top === undefined || before(first, top))) {
      next = first;
      this.#fifoHead++;
      // Emptied (the usual case: no-delay keys fire soon after they are added): start over.
      if (this.#fifoHead === fifo.length) {
        fifo.length = 0;
        this.#fifoHead = 0;
      } else if (this.#fifoHead > 1024 && this.#fifoHead * 2 > fifo.length) {
        fifo.splice(0, this.#fifoHead);
        this.#fifoHead = 0;
      }
    } else if (top !== undefined) {
      next = order.pop()!;
    } else return;
    const key = next.key;
    next.live = false;
    this.#due.delete(key);
    this.#release(next);
    this.#process(key);
  }

  /**
   * Gives a record back to the pool, unless the pool already holds {@link POOL_SIZE}: after
   * a burst (a kubelet starting 30 pods) an unbounded pool kept every record of the burst,
   * and its key, for the queue's lifetime (~3 MB at 300 nodes).
   */
  #release(waiting: Waiting): void {
    if (this.#pool.length >= POOL_SIZE) return;
    waiting.key = '';
    this.#pool.push(waiting);
  }

  #labelFor(purpose: string): TimerLabel {
    let label = this.#labels.get(purpose);
    if (label === undefined) this.#labels.set(purpose, (label = { owner: this.#options.owner, purpose }));
    return label;
  }

  #process(key: string): void {
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
