// The node lifecycle controller's per-zone work queue, in virtual time. Models upstream
// k/k pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go (main, unchanged in
// substance since 1.8): a unique, time-ordered queue whose Try walks the head while a
// token-bucket limiter (client-go util/flowcontrol NewTokenBucketRateLimiter over
// golang.org/x/time/rate, which starts full) grants tokens, and whose limiter is swapped
// when the zone's disruption state changes.
import { MinHeap } from '../runtime/min-heap.js';

/** scheduler.NodeEvictionPeriod: how often the tainting/eviction pass runs (ms). */
export const NODE_EVICTION_PERIOD = 100;

/** scheduler.EvictionRateLimiterBurst. */
export const EVICTION_RATE_LIMITER_BURST = 1;

// Float slack: 10 s at 0.1/s must give exactly one token, not 0.9999999999999999.
const EPSILON = 1e-9;

/** flowcontrol.RateLimiter as the zone queues use it, on the simulation clock (ms). */
export interface RateLimiter {
  /** Tokens per second; 0 for a limiter that never accepts. */
  readonly qps: number;
  /** Takes a token if one is available at `now` (a refusal takes nothing). */
  tryAccept(now: number): boolean;
  /** The earliest time a token is available, or undefined if never. */
  availableAt(now: number): number | undefined;
}

/**
 * A token bucket (golang.org/x/time/rate with AllowN): `burst` tokens at the start, refilled
 * continuously at `qps` per second up to `burst`.
 */
export class TokenBucket implements RateLimiter {
  #tokens: number;
  #last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#last = now;
  }

  tryAccept(now: number): boolean {
    this.#advance(now);
    if (this.#tokens + EPSILON < 1) return false;
    this.#tokens = Math.max(0, this.#tokens - 1);
    return true;
  }

  availableAt(now: number): number {
    this.#advance(now);
    if (this.#tokens + EPSILON >= 1) return now;
    return now + ((1 - this.#tokens) * 1000) / this.qps;
  }

  #advance(now: number): void {
    if (now <= this.#last) return;
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) * this.qps) / 1000);
    this.#last = now;
  }
}

/** flowcontrol.NewFakeNeverRateLimiter: what a zone gets when its eviction rate is 0. */
export const neverRateLimiter: RateLimiter = {
  qps: 0,
  tryAccept: () => false,
  availableAt: () => undefined,
};

/** A queued node (scheduler.TimedValue); times in virtual ms. */
export interface TimedValue {
  /** The node name. */
  readonly value: string;
  /** The node's UID when it was queued. */
  readonly uid: string;
  readonly addedAt: number;
  processAt: number;
}

/** What the action passed to {@link RateLimitedTimedQueue.try} returns: done, or retry after `wait` ms. */
export type TryResult = { readonly done: true } | { readonly done: false; readonly wait: number };

interface Entry extends TimedValue {
  readonly seq: number;
}

/**
 * scheduler.RateLimitedTimedQueue: each node at most once (until {@link RateLimitedTimedQueue.remove}),
 * ordered by processAt, processed only while the limiter grants tokens.
 */
export class RateLimitedTimedQueue {
  #limiter: RateLimiter;
  readonly #set = new Set<string>();
  readonly #heap = new MinHeap<Entry>((a, b) => a.processAt < b.processAt || (a.processAt === b.processAt && a.seq < b.seq));
  #seq = 0;

  constructor(limiter: RateLimiter) {
    this.#limiter = limiter;
  }

  /** The current limiter's rate. */
  get qps(): number {
    return this.#limiter.qps;
  }

  /** Nodes waiting to be processed. */
  get length(): number {
    return this.#heap.size;
  }

  /** True while `value` is queued or was processed and not yet {@link RateLimitedTimedQueue.remove}d. */
  has(value: string): boolean {
    return this.#set.has(value);
  }

  /** Queues `value` to be processed from `now`; false if it is already known (queued or processed). */
  add(value: string, uid: string, now: number): boolean {
    if (this.#set.has(value)) return false;
    this.#set.add(value);
    this.#heap.push({ value, uid, addedAt: now, processAt: now, seq: this.#seq++ });
    return true;
  }

  /** Forgets `value` so it may be added again; true if it was known. */
  remove(value: string): boolean {
    if (!this.#set.delete(value)) return false;
    const i = this.#heap.findIndex((e) => e.value === value);
    if (i >= 0) this.#heap.removeAt(i);
    return true;
  }

  /**
   * Processes the head while tokens last (Try): a token is taken before looking at the head,
   * as upstream does. `action` returning done drops the entry but keeps it known, so it is
   * not queued again until removed; otherwise it is retried `wait` ms (+1 ns) later.
   */
  try(now: number, action: (value: TimedValue) => TryResult): void {
    let head = this.#heap.peek();
    while (head) {
      if (!this.#limiter.tryAccept(now)) break;
      if (now < head.processAt) break;
      const result = action(head);
      if (result.done) {
        this.#heap.pop();
      } else {
        head.processAt = now + result.wait + 1e-6;
        this.#heap.fix(0);
      }
      head = this.#heap.peek();
    }
  }

  /**
   * SwapLimiter: a new token bucket (burst 1) at `qps`, or a never-accepting limiter for 0;
   * nothing happens if the rate is unchanged. When the old limiter has no token left, the
   * new one starts empty too.
   */
  swapLimiter(qps: number, now: number): void {
    if (this.#limiter.qps === qps) return;
    if (qps <= 0) {
      this.#limiter = neverRateLimiter;
      return;
    }
    const next = new TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, now);
    if (!this.#limiter.tryAccept(now)) next.tryAccept(now);
    this.#limiter = next;
  }

  /**
   * When a {@link RateLimitedTimedQueue.try} could next do something: the later of the next
   * token and the head's processAt; undefined when the queue is empty or the limiter never
   * grants. Passes before that time would change nothing, so the controller skips them.
   */
  nextTryAt(now: number): number | undefined {
    const head = this.#heap.peek();
    if (!head) return undefined;
    const token = this.#limiter.availableAt(now);
    return token === undefined ? undefined : Math.max(token, head.processAt);
  }

  /** The queued nodes, by processAt. */
  values(): readonly TimedValue[] {
    return [...this.#heap.values()].sort((a, b) => a.processAt - b.processAt || a.seq - b.seq);
  }
}
