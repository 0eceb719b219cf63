// The scheduler's queue of pods waiting for a node. Models PriorityQueue of
// pkg/scheduler/internal/queue/scheduling_queue.go: activeQ (ordered by priority, then by
// when the pod entered the queue), podBackoffQ (v1.15+: a pod that failed waits
// podInitialBackoff·2^(attempts−1), at most podMaxBackoff, moved on by flushBackoffQCompleted
// every second) and the unschedulable pods, which cluster events move back
// (MoveAllToActiveOrBackoffQueue) and flushUnschedulablePodsLeftover retries every 30 s once
// they waited longer than podMaxInUnschedulablePodsDuration. Both periodic flushes are
// modelled by one timer each, set for the first tick of their grid that has work to do, so
// an idle scheduler costs nothing while the ticks land where upstream's would.
import type { SimClock, TimerHandle } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { keyOf } from '../runtime/pod-util.js';

/** A pod in the queue (QueuedPodInfo). */
export interface QueuedPod {
  readonly key: string;
  pod: Pod;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When it last entered the queue: added, or put back after a failed attempt. */
  timestamp: number;
}

/** Options of a {@link SchedulingQueue}; durations in ms. */
export interface SchedulingQueueOptions {
  /** Owner on the queue's timers. */
  readonly owner: string;
  /** Back-off after the first failed attempt; 0 = none (no backoff queue, v1.12–v1.14). */
  readonly initialBackoffMs: number;
  /** Longest back-off. */
  readonly maxBackoffMs: number;
  /** Retry unschedulable pods no event moved after this long; 0 = never. */
  readonly maxInUnschedulableMs: number;
  /**
   * A pod that failed with an error rather than a plugin's rejection goes to the backoff
   * queue instead of waiting for an event (v1.28 AddUnschedulableIfNotPresent).
   */
  readonly errorsToBackoff: boolean;
}

/** How an attempt failed: a plugin rejected the pod, or something erred. */
export type FailureKind = 'rejected' | 'error';

/** Period of flushBackoffQCompleted. */
export const BACKOFF_FLUSH_PERIOD = 1_000;
/** Period of flushUnschedulablePodsLeftover. */
export const UNSCHEDULABLE_FLUSH_PERIOD = 30_000;

type Where = 'active' | 'backoff' | 'unschedulable';

interface Entry {
  readonly qp: QueuedPod;
  /**
   * spec.priority of qp.pod, read when the entry is made and whenever the queue replaces
   * the pod: activeQ compares it on every push and pop, and pod objects come in many shapes.
   */
  priority: number;
  /**
   * qp.timestamp as it was when the entry went into activeQ, which it keeps while there
   * (only a failed attempt, after Pop, sets it): activeQ compares it on every push and pop,
   * and a field of the entry is one load where the pod's record was two.
   */
  timestamp: number;
  where: Where;
  /** Insertion sequence, the last tie-break of activeQ. */
  seq: number;
  /** When it may leave the backoff queue. */
  backoffUntil: number;
}

/** A binary heap with a comparison; stale entries are skipped by the caller. */
class Heap<T> {
  readonly #items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      // A swap through a local: a destructuring swap built a two-element array per step.
      const item = items[i]!;
      items[i] = items[parent]!;
      items[parent] = item;
      i = parent;
    }
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.less(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        const item = items[i]!;
        items[i] = items[m]!;
        items[m] = item;
        i = m;
      }
    }
    return top;
  }
}

const priorityOf = (pod: Pod): number => pod.spec?.priority ?? 0;

/** The pods waiting for the scheduler. */
export class SchedulingQueue {
  readonly #clock: SimClock;
  readonly #options: SchedulingQueueOptions;
  readonly #onActive: () => void;
  /** Where the grids of the periodic flushes start: when the scheduler started. */
  readonly #origin: number;
  readonly #entries = new Map<string, Entry>();
  readonly #active = new Heap<Entry>((a, b) => {
    if (a.priority !== b.priority) return a.priority > b.priority;
    if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
    return a.seq < b.seq;
  });
  readonly #backoff = new Heap<Entry>((a, b) => a.backoffUntil < b.backoffUntil || (a.backoffUntil === b.backoffUntil && a.seq < b.seq));
  /** Unschedulable pods in the order they became so (so the oldest is first). */
  readonly #unschedulable = new Map<string, Entry>();
  #activeCount = 0;
  #seq = 0;
  #schedulingCycle = 0;
  #moveRequestCycle = -1;
  #backoffTimer: TimerHandle | undefined;
  #leftoverTimer: TimerHandle | undefined;

  constructor(clock: SimClock, options: SchedulingQueueOptions, onActive: () => void) {
    this.#clock = clock;
    this.#options = options;
    this.#onActive = onActive;
    this.#origin = clock.now();
  }

  /** Number of scheduling cycles so far (SchedulingCycle). */
  get schedulingCycle(): number {
    return this.#schedulingCycle;
  }

  /** Pods per sub-queue. */
  get counts(): { readonly active: number; readonly backoff: number; readonly unschedulable: number } {
    let backoff = 0;
    for (const e of this.#entries.values()) if (e.where === 'backoff') backoff++;
    return { active: this.#activeCount, backoff, unschedulable: this.#unschedulable.size };
  }

  /** Whether the pod with `key` is queued anywhere. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Where the pod with `key` waits, if queued. */
  whereIs(key: string): Where | undefined {
    return this.#entries.get(key)?.where;
  }

  /** A new pending pod (Add); one already queued only gets its object replaced. `key` is the pod's keyOf, when the caller has it. */
  add(pod: Pod, key: string = keyOf(pod)): void {
    const entry = this.#entries.get(key);
    if (entry) {
      entry.qp.pod = pod;
      entry.priority = priorityOf(pod);
      return;
    }
    const now = this.#clock.now();
    this.#toActive({ qp: { key, pod, attempts: 0, timestamp: now }, priority: priorityOf(pod), timestamp: now, where: 'active', seq: 0, backoffUntil: 0 });
  }

  /**
   * The pod changed (Update). A pod waiting as unschedulable whose spec or metadata changed
   * (isPodUpdated: not just its status) may fit now, so it moves on. `key` is the pod's
   * keyOf, when the caller has it.
   */
  update(pod: Pod, meaningful: boolean, key: string = keyOf(pod)): void {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.add(pod, key);
      return;
    }
    entry.qp.pod = pod;
    entry.priority = priorityOf(pod);
    if (entry.where === 'unschedulable' && meaningful) {
      this.#unschedulable.delete(entry.qp.key);
      this.#moveOut(entry);
    }
  }

  /** The pod is gone, bound elsewhere, or being deleted. */
  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    if (entry.where === 'active') this.#activeCount--;
    if (entry.where === 'unschedulable') this.#unschedulable.delete(key);
  }

  /** The next pod to schedule (Pop), which leaves the queue until put back. */
  pop(): QueuedPod | undefined {
    for (;;) {
      const entry = this.#active.pop();
      if (!entry) return undefined;
      if (this.#entries.get(entry.qp.key) !== entry || entry.where !== 'active') continue;
      this.#entries.delete(entry.qp.key);
      this.#activeCount--;
      this.#schedulingCycle++;
      entry.qp.attempts++;
      return entry.qp;
    }
  }

  /**
   * Puts back a pod whose attempt in cycle `podCycle` failed (AddUnschedulableIfNotPresent).
   * It waits for an event — unless one came while it was being scheduled, or it failed with
   * an error in a version that retries those after back-off.
   */
  addUnschedulable(qp: QueuedPod, podCycle: number, kind: FailureKind): void {
    if (this.#entries.has(qp.key)) return;
    qp.timestamp = this.#clock.now();
    const entry: Entry = { qp, priority: priorityOf(qp.pod), timestamp: qp.timestamp, where: 'unschedulable', seq: 0, backoffUntil: 0 };
    if (this.#moveRequestCycle >= podCycle || (kind === 'error' && this.#options.errorsToBackoff)) {
      this.#moveOut(entry);
      return;
    }
    this.#entries.set(qp.key, entry);
    this.#unschedulable.set(qp.key, entry);
    this.#armLeftoverFlush();
  }

  /** A cluster event that may make pods schedulable (MoveAllToActiveOrBackoffQueue). */
  moveAll(): void {
    this.#moveRequestCycle = this.#schedulingCycle;
    if (this.#unschedulable.size === 0) return;
    const entries = [...this.#unschedulable.values()];
    this.#unschedulable.clear();
    for (const entry of entries) this.#moveOut(entry);
  }

  /** Cancels the queue's timers. */
  stop(): void {
    this.#backoffTimer?.cancel();
    this.#leftoverTimer?.cancel();
  }

  /** Back-off of a pod after `attempts` attempts (calculateBackoffDuration). */
  backoffDuration(attempts: number): number {
    const { initialBackoffMs, maxBackoffMs } = this.#options;
    let duration = initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      if (duration > maxBackoffMs - duration) return maxBackoffMs;
      duration += duration;
    }
    return Math.min(duration, maxBackoffMs);
  }

  /** To the backoff queue while backing off, else straight to activeQ. */
  #moveOut(entry: Entry): void {
    const until = entry.qp.timestamp + this.backoffDuration(entry.qp.attempts);
    if (this.#options.initialBackoffMs > 0 && until > this.#clock.now()) {
      entry.where = 'backoff';
      entry.backoffUntil = until;
      entry.seq = ++this.#seq;
      this.#entries.set(entry.qp.key, entry);
      this.#backoff.push(entry);
      this.#armBackoffFlush();
      return;
    }
    this.#toActive(entry);
  }

  #toActive(entry: Entry): void {
    entry.where = 'active';
    entry.timestamp = entry.qp.timestamp;
    entry.seq = ++this.#seq;
    this.#entries.set(entry.qp.key, entry);
    this.#active.push(entry);
    this.#activeCount++;
    this.#onActive();
  }

  /** First tick of a grid of `period` at or after `t`. */
  #tickAtOrAfter(t: number, period: number): number {
    return this.#origin + Math.max(0, Math.ceil((t - this.#origin) / period)) * period;
  }

  #armBackoffFlush(): void {
    let head = this.#backoff.peek();
    while (head && (this.#entries.get(head.qp.key) !== head || head.where !== 'backoff')) {
      this.#backoff.pop();
      head = this.#backoff.peek();
    }
    if (!head) return;
    const at = this.#tickAtOrAfter(head.backoffUntil, BACKOFF_FLUSH_PERIOD);
    if (this.#backoffTimer?.active && this.#backoffTimer.dueAt <= at) return;
    this.#backoffTimer?.cancel();
    this.#backoffTimer = this.#clock.scheduleAt(at, () => this.#flushBackoff(), {
      owner: this.#options.owner,
      purpose: `back-off of pod ${head.qp.key} ends (attempt ${head.qp.attempts})`,
    });
  }

  /** flushBackoffQCompleted: pods whose back-off is over go to activeQ. */
  #flushBackoff(): void {
    const now = this.#clock.now();
    for (;;) {
      const head = this.#backoff.peek();
      if (!head) break;
      if (this.#entries.get(head.qp.key) !== head || head.where !== 'backoff') {
        this.#backoff.pop();
        continue;
      }
      if (head.backoffUntil > now) break;
      this.#backoff.pop();
      this.#toActive(head);
    }
    this.#armBackoffFlush();
  }

  #armLeftoverFlush(): void {
    const max = this.#options.maxInUnschedulableMs;
    if (max <= 0 || this.#leftoverTimer?.active) return;
    const oldest = this.#unschedulable.values().next().value;
    if (!oldest) return;
    // The first tick at which the pod has waited strictly longer than the maximum.
    const at = this.#origin + (Math.floor((oldest.qp.timestamp + max - this.#origin) / UNSCHEDULABLE_FLUSH_PERIOD) + 1) * UNSCHEDULABLE_FLUSH_PERIOD;
    this.#leftoverTimer = this.#clock.scheduleAt(at, () => this.#flushLeftover(), {
      owner: this.#options.owner,
      purpose: `retry unschedulable pod ${oldest.qp.key} (unschedulable longer than ${max / 1000}s)`,
    });
  }

  /** flushUnschedulablePodsLeftover. */
  #flushLeftover(): void {
    const now = this.#clock.now();
    const max = this.#options.maxInUnschedulableMs;
    const due: Entry[] = [];
    for (const entry of this.#unschedulable.values()) {
      if (now - entry.qp.timestamp <= max) break;
      due.push(entry);
    }
    for (const entry of due) {
      this.#unschedulable.delete(entry.qp.key);
      this.#moveOut(entry);
    }
    this.#armLeftoverFlush();
  }
}
