// kube-apiserver's --event-ttl (default 1 h): an Event is removed that long after its
// last write. Upstream stores each Event with an etcd lease of that TTL
// (kubernetes v1.14 pkg/registry/core/event/storage/storage.go: TTLFunc; the lease is
// attached in k8s.io/apiserver pkg/storage/etcd3/store.go), so every write of an Event
// restarts its countdown and deleting it ends it.
//
// Memory (issue 8): an hour of Events is the largest set of live objects of a big run
// (68,549 at 300 nodes), and a closure, a label with its own text and a map entry per
// Event cost ~300 bytes each. Here an expiry is one small object that is both the
// timer's label (its text built only when read) and an entry of a FIFO in write order;
// all timers share one action, which expires the FIFO's first live entry.
//
// Why still one timer per write rather than one for the head of the FIFO: timers due at
// the same millisecond run in the order they were scheduled. A timer scheduled when the
// previous head expires would run after timers that other components scheduled between
// the Event's write and then (a 10 s status loop due at the same millisecond, say), so
// the removal's resourceVersion and its place in the trace would move. Scheduling at the
// write keeps the clock's sequence, and so every run, exactly what it was.
import type { SimClock, TimerLabel, TimerSlot } from '../kernel/clock.js';

/** A pending expiry: the Event (by namespace, name and the resourceVersion written) and its timer's label. */
export class EventExpiry implements TimerLabel {
  /**
   * The timer's slot in the clock (scheduled without a handle: a handle per Event was
   * ~56 bytes kept only to cancel it); -1 once it ran or was cancelled (a later write or
   * a delete superseded it).
   */
  slot: TimerSlot = -1;

  constructor(
    readonly namespace: string | undefined,
    readonly name: string,
    /** resourceVersion of the write that started this countdown. */
    readonly resourceVersion: number,
  ) {}

  /** The timer's owner, as {@link TimerLabel}. */
  get owner(): string {
    return 'kube-apiserver';
  }

  /** The timer's purpose, as {@link TimerLabel}: built when read (the clocks view, an observer), not per Event. */
  get purpose(): string {
    return `event TTL of ${this.namespace ? `${this.namespace}/${this.name}` : this.name}`;
  }
}

/** Below this many consumed entries the FIFO is not compacted. */
const COMPACT_MIN = 1024;

/**
 * The Events' countdowns in write order. Every write of an Event {@link EventTTL.start}s
 * a countdown of `ttlMs` and ends the previous one ({@link EventTTL.stop}, found by its
 * resourceVersion: the FIFO is in write order, so in resourceVersion order).
 *
 * @example
 * const ttl = new EventTTL(clock, 3_600_000, (e) => removeEvent(e.namespace, e.name));
 * ttl.start('default', 'web-0.15a8', 42); // removes it at now + 1 h unless stopped
 * ttl.stop(42);
 */
export class EventTTL {
  readonly #clock: SimClock;
  readonly #ttlMs: number;
  readonly #expire: (expiry: EventExpiry) => void;
  /** Pending and cancelled entries from #head on, oldest first. */
  #fifo: EventExpiry[] = [];
  #head = 0;
  /**
   * Cancelled entries from #head on. A patched Event's earlier countdown would otherwise
   * stay in the FIFO (an object each) until the head reaches it, up to an hour later.
   */
  #cancelled = 0;
  /** The one action of every expiry timer (bound once, so a timer costs no closure). */
  readonly #fire = (): void => this.#expireNext();

  constructor(clock: SimClock, ttlMs: number, expire: (expiry: EventExpiry) => void) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#expire = expire;
  }

  /** Entries kept (running and cancelled), for tests of the compaction. */
  get retained(): number {
    return this.#fifo.length - this.#head;
  }

  /** Number of countdowns running. */
  get pending(): number {
    let n = 0;
    for (let i = this.#head; i < this.#fifo.length; i++) {
      const expiry = this.#fifo[i]!;
      if (this.#clock.isUnheldPending(expiry.slot, expiry)) n++;
    }
    return n;
  }

  /** Starts the countdown of the Event written at `resourceVersion` (greater than any started before). */
  start(namespace: string | undefined, name: string, resourceVersion: number): void {
    const expiry = new EventExpiry(namespace, name, resourceVersion);
    // Scheduled exactly as with a handle (same id, same order among equal due times).
    expiry.slot = this.#clock.scheduleUnheld(this.#ttlMs, this.#fire, expiry);
    this.#fifo.push(expiry);
  }

  /** Ends the countdown started at `resourceVersion`, if it is still running. */
  stop(resourceVersion: number): void {
    const fifo = this.#fifo;
    let lo = this.#head;
    let hi = fifo.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = fifo[mid]!.resourceVersion;
      if (at === resourceVersion) {
        const expiry = fifo[mid]!;
        if (expiry.slot < 0) return;
        this.#clock.cancelUnheld(expiry.slot, expiry);
        expiry.slot = -1;
        this.#cancelled++;
        this.#compact();
        return;
      }
      if (at < resourceVersion) lo = mid + 1;
      else hi = mid - 1;
    }
  }

  /**
   * A timer fired: timers of equal delay fire in the order they were scheduled, and a
   * cancelled one never fires, so it is the first entry not cancelled.
   */
  #expireNext(): void {
    const fifo = this.#fifo;
    while (this.#head < fifo.length) {
      const expiry = fifo[this.#head++]!;
      if (expiry.slot < 0) {
        this.#cancelled--;
        continue;
      }
      expiry.slot = -1;
      this.#compact();
      this.#expire(expiry);
      return;
    }
  }

  /**
   * Drops consumed entries once they are half the array, and cancelled ones once they are
   * an eighth of what is left (~15% of a run's entries are, at any time): O(1) amortised
   * per entry (at most eight entries copied per cancellation). The order stays (write order, so
   * resourceVersion order for stop()'s search).
   */
  #compact(): void {
    if (this.#head >= COMPACT_MIN && this.#head * 2 >= this.#fifo.length) {
      this.#fifo = this.#fifo.slice(this.#head);
      this.#head = 0;
    }
    if (this.#cancelled >= COMPACT_MIN && this.#cancelled * 8 >= this.#fifo.length - this.#head) {
      const fifo = this.#fifo;
      const live: EventExpiry[] = [];
      for (let i = this.#head; i < fifo.length; i++) if (fifo[i]!.slot >= 0) live.push(fifo[i]!);
      this.#fifo = live;
      this.#head = 0;
      this.#cancelled = 0;
    }
  }
}
