// kube-apiserver's --event-ttl (default 1 h): an Event is removed that long after its
// last write. Upstream stores each Event with an etcd lease of that TTL
// (kubernetes v1.14 pkg/registry/core/event/storage/storage.go: TTLFunc; the lease is
// attached in k8s.io/apiserver pkg/storage/etcd3/store.go), so every write of an Event
// restarts its countdown and deleting it ends it.
//
// Memory (issue 8): an hour of Events is the largest set of live objects of a big run
// (68,549 at 300 nodes), and a closure, a label with its own text and a map entry per
// Event cost ~300 bytes each; then an object per Event that was both the timer's label
// and a FIFO entry, ~64 bytes. Here the FIFO is columns in write order (resourceVersion,
// the store's row and clock slot in typed arrays, the name, and the namespace as an index
// into a table of the few namespaces): ~24 bytes per Event. All timers share one action, which
// expires the FIFO's first live entry, and one label, whose per-timer text the clock
// asks for by slot only when it reports a timer (kernel/clock.ts SlotTimerLabel).
//
// Why still one timer per write rather than one for the head of the FIFO: timers due at
// the same millisecond run in the order they were scheduled. A timer scheduled when the
// previous head expires would run after timers that other components scheduled between
// the Event's write and then (a 10 s status loop due at the same millisecond, say), so
// the removal's resourceVersion and its place in the trace would move. Scheduling at the
// write keeps the clock's sequence, and so every run, exactly what it was.
import type { SimClock, SlotTimerLabel, TimerLabel, TimerSlot } from '../kernel/clock.js';
import { StringTable } from '../trace/string-table.js';

/**
 * An Event whose countdown ran out (namespace, name, the resourceVersion written and the
 * store's row it was written to), as {@link EventTTL} hands it to its `expire` callback;
 * also a timer label of that text.
 */
export class EventExpiry implements TimerLabel {
  /** Kept for compatibility: -1 (the countdown is over when an EventExpiry is handed out). */
  slot: TimerSlot = -1;

  constructor(
    readonly namespace: string | undefined,
    readonly name: string,
    /** resourceVersion of the write that started this countdown. */
    readonly resourceVersion: number,
    /** The Event store's row of that write (what EventStore.write returned), -1 if not given. */
    readonly row: number = -1,
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

/** Initial capacity of the FIFO's columns. */
const INITIAL_CAPACITY = 1024;

/** Largest resourceVersion the FIFO's column holds (a run makes ~5 M writes at 5,000 nodes). */
const MAX_RESOURCE_VERSION = 0xffff_ffff;

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
  // The FIFO: entries #head…#tail-1 of the columns, pending and cancelled, oldest first.
  /** resourceVersion of the write that started each countdown (increasing). */
  #rvs = new Uint32Array(INITIAL_CAPACITY);
  /**
   * The store's row of each write, -1 for none: the expiry removes the Event by it rather
   * than finding an hour-old name again (EventStore.removeRow).
   */
  #rows = new Int32Array(INITIAL_CAPACITY);
  /** Each countdown's clock slot while it is pending; -1 once it ran or was cancelled. */
  #slots = new Int32Array(INITIAL_CAPACITY);
  /**
   * Each Event's namespace: its id in #namespaces + 1, 0 for none. One byte while a run
   * has fewer than 256 namespaces (a cluster has a handful), widened once when one more
   * comes: 3 bytes an Event less (issue 8).
   */
  #nsIndexes: Uint8Array | Uint32Array = new Uint8Array(INITIAL_CAPACITY);
  /** Each Event's name (the stored Event's own string); undefined once consumed. */
  #names: (string | undefined)[] = [];
  #head = 0;
  #tail = 0;
  /** The namespaces seen; an entry's index is its id + 1, 0 standing for none (a cluster has a handful). */
  readonly #namespaces = new StringTable();
  /**
   * Cancelled entries from #head on. A patched Event's earlier countdown would otherwise
   * stay in the FIFO until the head reaches it, up to an hour later.
   */
  #cancelled = 0;
  /** The one action of every expiry timer (bound once, so a timer costs no closure). */
  readonly #fire = (): void => this.#expireNext();
  /** The one label of every expiry timer: its text is read from the columns by slot. */
  readonly #label: SlotTimerLabel;
  /** The entry being scheduled, which the clock may report before start() records its slot. */
  #scheduling = -1;
  /** Slot → FIFO index, built when a view asks for many labels, valid until the FIFO changes. */
  #bySlot: Map<number, number> | undefined;

  constructor(clock: SimClock, ttlMs: number, expire: (expiry: EventExpiry) => void) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
    this.#expire = expire;
    this.#label = {
      owner: 'kube-apiserver',
      purpose: 'event TTL',
      labelAt: (slot: TimerSlot): TimerLabel => this.#labelAt(slot),
    };
  }

  /** Entries kept (running and cancelled), for tests of the compaction. */
  get retained(): number {
    return this.#tail - this.#head;
  }

  /** Number of countdowns running. */
  get pending(): number {
    let n = 0;
    for (let i = this.#head; i < this.#tail; i++) {
      const slot = this.#slots[i]!;
      if (slot >= 0 && this.#clock.isUnheldPending(slot, this.#label)) n++;
    }
    return n;
  }

  /**
   * Starts the countdown of the Event written at `resourceVersion` (greater than any
   * started before) into the store's `row`, which the expiry is handed back.
   */
  start(namespace: string | undefined, name: string, resourceVersion: number, row = -1): void {
    if (resourceVersion > MAX_RESOURCE_VERSION) throw new RangeError(`EventTTL: resourceVersion ${resourceVersion} exceeds ${MAX_RESOURCE_VERSION}`);
    if (this.#tail === this.#rvs.length) this.#grow();
    const at = this.#tail++;
    this.#rvs[at] = resourceVersion;
    this.#rows[at] = row;
    // The index first: it may widen the column.
    const nsIndex = this.#namespaceOf(namespace);
    this.#nsIndexes[at] = nsIndex;
    this.#names[at] = name;
    this.#slots[at] = -1;
    this.#bySlot = undefined;
    // Scheduled exactly as with a handle (same id, same order among equal due times).
    this.#scheduling = at;
    this.#slots[at] = this.#clock.scheduleUnheld(this.#ttlMs, this.#fire, this.#label);
    this.#scheduling = -1;
  }

  /** Ends the countdown started at `resourceVersion`, if it is still running. */
  stop(resourceVersion: number): void {
    const rvs = this.#rvs;
    let lo = this.#head;
    let hi = this.#tail - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = rvs[mid]!;
      if (at === resourceVersion) {
        const slot = this.#slots[mid]!;
        if (slot < 0) return;
        this.#clock.cancelUnheld(slot, this.#label);
        this.#slots[mid] = -1;
        this.#names[mid] = undefined;
        this.#cancelled++;
        this.#bySlot = undefined;
        this.#compact();
        return;
      }
      if (at < resourceVersion) lo = mid + 1;
      else hi = mid - 1;
    }
  }

  #namespaceOf(namespace: string | undefined): number {
    if (namespace === undefined) return 0;
    const index = this.#namespaces.id(namespace) + 1;
    if (index > 0xff && this.#nsIndexes instanceof Uint8Array) this.#nsIndexes = Uint32Array.from(this.#nsIndexes);
    return index;
  }

  /** The entry at FIFO index `at`, as handed out. */
  #expiryAt(at: number): EventExpiry {
    const ns = this.#nsIndexes[at]!;
    return new EventExpiry(ns === 0 ? undefined : this.#namespaces.at(ns - 1), this.#names[at] ?? '', this.#rvs[at]!, this.#rows[at]);
  }

  /** The label the clock reports for the timer in `slot`: the Event it expires. */
  #labelAt(slot: TimerSlot): TimerLabel {
    const at = this.#indexOfSlot(slot);
    if (at < 0) return this.#label;
    return this.#expiryAt(at);
  }

  /**
   * The FIFO index of the pending timer in `slot`, -1 if none. The clock asks while one is
   * scheduled (the entry start() is filling), before one fires (the first live entry: timers
   * fire in FIFO order) or for a listing of every pending timer (an index built once).
   */
  #indexOfSlot(slot: TimerSlot): number {
    if (this.#scheduling >= 0) return this.#scheduling;
    for (let i = this.#head; i < this.#tail; i++) {
      const s = this.#slots[i]!;
      if (s === slot) return i;
      if (s >= 0) break;
    }
    if (this.#bySlot === undefined) {
      const bySlot = new Map<number, number>();
      for (let i = this.#head; i < this.#tail; i++) if (this.#slots[i]! >= 0) bySlot.set(this.#slots[i]!, i);
      this.#bySlot = bySlot;
    }
    return this.#bySlot.get(slot) ?? -1;
  }

  /**
   * A timer fired: timers of equal delay fire in the order they were scheduled, and a
   * cancelled one never fires, so it is the first entry not cancelled.
   */
  #expireNext(): void {
    this.#bySlot = undefined;
    while (this.#head < this.#tail) {
      const at = this.#head++;
      if (this.#slots[at]! < 0) {
        this.#cancelled--;
        continue;
      }
      this.#slots[at] = -1;
      const expiry = this.#expiryAt(at);
      this.#names[at] = undefined;
      this.#compact();
      this.#expire(expiry);
      return;
    }
  }

  /** Room for one more entry at #tail: consumed entries dropped, or the columns doubled. */
  #grow(): void {
    if (this.#head > 0 && (this.#tail - this.#head) * 2 <= this.#rvs.length) {
      this.#moveTo(this.#head, this.#tail);
      return;
    }
    // × 1.5 rather than × 2: the FIFO holds an hour of Events (~1,000,000 at 5,000 nodes),
    // and the columns' room beyond them is a quarter on average rather than a half.
    const capacity = Math.ceil(this.#rvs.length * 1.5);
    const rvs = new Uint32Array(capacity);
    const rows = new Int32Array(capacity);
    const slots = new Int32Array(capacity);
    const nsIndexes = this.#nsIndexes instanceof Uint8Array ? new Uint8Array(capacity) : new Uint32Array(capacity);
    rvs.set(this.#rvs.subarray(this.#head, this.#tail));
    rows.set(this.#rows.subarray(this.#head, this.#tail));
    slots.set(this.#slots.subarray(this.#head, this.#tail));
    nsIndexes.set(this.#nsIndexes.subarray(this.#head, this.#tail));
    this.#names = this.#names.slice(this.#head, this.#tail);
    this.#rvs = rvs;
    this.#rows = rows;
    this.#slots = slots;
    this.#nsIndexes = nsIndexes;
    this.#tail -= this.#head;
    this.#head = 0;
    this.#bySlot = undefined;
  }

  /** Slides entries from…to-1 to the front of the columns (in order) and drops the rest. */
  #moveTo(from: number, to: number): void {
    this.#rvs.copyWithin(0, from, to);
    this.#rows.copyWithin(0, from, to);
    this.#slots.copyWithin(0, from, to);
    this.#nsIndexes.copyWithin(0, from, to);
    const names = this.#names;
    const n = to - from;
    for (let i = 0; i < n; i++) names[i] = names[from + i];
    names.length = n;
    this.#head = 0;
    this.#tail = n;
    this.#bySlot = undefined;
  }

  /**
   * Drops consumed entries once they are half the FIFO, and cancelled ones once they are
   * an eighth of what is left (~15% of a run's entries are, at any time): O(1) amortised
   * per entry. The order stays (write order, so resourceVersion order for stop()'s search).
   */
  #compact(): void {
    if (this.#head >= COMPACT_MIN && this.#head * 2 >= this.#tail) this.#moveTo(this.#head, this.#tail);
    if (this.#cancelled >= COMPACT_MIN && this.#cancelled * 8 >= this.#tail - this.#head) {
      const rvs = this.#rvs;
      const rows = this.#rows;
      const slots = this.#slots;
      const nsIndexes = this.#nsIndexes;
      const names = this.#names;
      let out = 0;
      for (let i = this.#head; i < this.#tail; i++) {
        if (slots[i]! < 0) continue;
        rvs[out] = rvs[i]!;
        rows[out] = rows[i]!;
        slots[out] = slots[i]!;
        nsIndexes[out] = nsIndexes[i]!;
        names[out] = names[i];
        out++;
      }
      names.length = out;
      this.#head = 0;
      this.#tail = out;
      this.#cancelled = 0;
      this.#bySlot = undefined;
    }
  }
}
