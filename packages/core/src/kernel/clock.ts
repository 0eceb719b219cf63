// The virtual clock: simulated time only moves when an event runs, so minutes of cluster
// time cost what the events cost, and the same inputs always give the same order.

/** Who owns a timer and why it exists, e.g. `{ owner: 'node-lifecycle', purpose: 'grace period of node w2' }`. */
export interface TimerLabel {
  /** The component that scheduled the timer. */
  readonly owner: string;
  /** What the timer waits for, in words a dashboard user understands. */
  readonly purpose: string;
}

/**
 * A label that many timers share while each has its own text: wherever the clock reports
 * a timer's label ({@link SimClock.pending}, a {@link ClockObserver}), it reports
 * `labelAt(slot)` for the slot the timer waits in (see {@link SimClock.scheduleUnheld}).
 * Why (issue 8): the API server's Event TTL timers (one per stored Event, ~1 M at 5,000
 * nodes) each needed a label object only so that a view could read its purpose; a shared
 * label reads it from the owner's own columns, only when asked.
 */
export interface SlotTimerLabel extends TimerLabel {
  /** The label of the pending timer in `slot` (built when asked). */
  labelAt(slot: TimerSlot): TimerLabel;
}

/** `label` as reported for the timer in `slot`: its own text when it is a {@link SlotTimerLabel}. */
const reportedLabel = (label: TimerLabel, slot: number): TimerLabel =>
  typeof (label as Partial<SlotTimerLabel>).labelAt === 'function' ? (label as SlotTimerLabel).labelAt(slot) : label;

/** A pending timer as listed by {@link SimClock.pending}. */
export interface TimerInfo extends TimerLabel {
  /** Per-clock id, in scheduling order; breaks ties between timers due at the same time. */
  readonly id: number;
  /** Virtual time (ms) at which the timer runs. */
  readonly dueAt: number;
}

/** A scheduled timer, returned by {@link SimClock.schedule} and {@link SimClock.scheduleAt}. */
export interface TimerHandle {
  /** Per-clock id, in scheduling order. */
  readonly id: number;
  /** Virtual time (ms) at which the timer runs (or ran). */
  readonly dueAt: number;
  /** True until the timer starts running or is cancelled (so false inside its own action). */
  readonly active: boolean;
  /** Cancels the timer; a no-op once it has run or been cancelled. */
  cancel(): void;
}

/**
 * Where a timer scheduled with {@link SimClock.scheduleUnheld} waits: cancel it with
 * {@link SimClock.cancelUnheld} and the same label. Valid while the timer is pending.
 */
export type TimerSlot = number;

/** Options of a {@link SimClock}. */
export interface SimClockOptions {
  /** Wall date of virtual time 0; default `2019-06-01T00:00:00Z`. */
  epoch?: Date | string;
}

/**
 * Sees every timer a {@link SimClock} schedules, cancels and fires: the hook an invariant
 * checker uses (see `checkInvariants`). Attached with {@link SimClock.observe}; a clock
 * without observers pays one field test per schedule, cancel and firing.
 */
export interface ClockObserver {
  /** A timer was queued: `dueAt` is the time it must not run before. */
  scheduled(id: number, dueAt: number, label: TimerLabel): void;
  /** A pending timer was cancelled through its handle. */
  cancelled(id: number): void;
  /** A timer is about to run: now() already reads the time it runs at; `previousNow` is the time before. */
  fired(id: number, label: TimerLabel, previousNow: number): void;
}

const DEFAULT_EPOCH = '2019-06-01T00:00:00Z';

// Below this many cancelled entries the heap is never compacted: rebuilding a small heap
// costs more than skipping a few dead entries on pop.
const COMPACT_MIN_DEAD = 1024;

const INITIAL_CAPACITY = 1024;

// Up to this capacity the heap's typed columns grow by doubling (few copies while a queue
// fills up); past it by a quarter. Why (issue 8): the heap and slot columns are the
// queue's memory (~36 bytes a timer) and a big queue mostly holds Event TTL timers, a
// count that only creeps up; doubling left up to half of them unused (2 M slots for
// 1.15 M timers at 5,000 nodes). For typed arrays a quarter costs ~2.5x the copying of
// doubling, a few ms per million slots (a memcpy).
const HEAP_DOUBLING_UP_TO = 1 << 16;

// The same for the slots' action and label arrays, but from a million slots on: copying a
// JS array of references costs ~40 ns a cell (write barriers), so growing by quarters from
// 65,536 cost ~90 ms per 200,000 timers; past a million, the one quarter step copies less
// than the doubling would have.
const SLOTS_DOUBLING_UP_TO = 1 << 20;

// A lane holds the burst of one instant (every pod of a workload minute, once) and is empty
// between instants; past this capacity, a lane that empties after holding under a quarter
// of its room gives half back. Below it the room is kept: cheap, and bursts of a few
// thousand timers come every few seconds.
const LANE_KEPT = 1 << 14;

// Ids are kept as 32-bit integers (4 bytes a heap entry less than a float64) until the
// id counter reaches this; then the id columns widen to float64 (see TimerQueue.widenIds).
const NARROW_ID_LIMIT = 2 ** 32;

/**
 * The handle returned to callers. The queue keeps no reference to it, so a handle the
 * caller drops dies young instead of being copied through the GC's generations.
 */
class Timer implements TimerHandle {
  constructor(
    readonly id: number,
    readonly dueAt: number,
    // Index of this timer's action in the queue while it is pending; -1 once cancelled.
    private slot: number,
    private readonly queue: TimerQueue,
  ) {}

  get active(): boolean {
    return this.slot >= 0 && !this.queue.hasFired(this.dueAt, this.id);
  }

  cancel(): void {
    if (!this.active) return;
    this.queue.observer?.cancelled(this.id);
    this.queue.cancel(this.slot);
    this.slot = -1;
  }
}

/**
 * Binary min-heap of timers ordered by (dueAt, id).
 *
 * Running a big queue is bound by memory traffic, not by comparisons. The heap is three
 * parallel typed arrays (due time, id, slot) that sifting moves as plain numbers: no
 * pointer chasing, no GC write barriers. A timer's action and label sit in a fixed slot
 * from schedule until the timer is popped, so a pop touches one random memory location.
 * Cancellation is lazy: a cancelled timer (empty action slot) stays in the heap until it
 * reaches the top or the heap is compacted.
 *
 * Timers due at the time of the last firing (a zero-delay work-queue add, a watch handler's
 * enqueue: most timers of a busy simulation) go to a first-in, first-out lane instead of
 * the heap: such a timer is due before every future one, so in the heap it sifted up
 * through every level (17 with 100,000 pending timers) and then down again when popped.
 * The lane only ever holds entries in (dueAt, id) order, so its first entry is its
 * smallest and the next timer is the smaller of the lane's first and the heap's top.
 */
class TimerQueue {
  private times = new Float64Array(INITIAL_CAPACITY);
  private ids: IdColumn = new Uint32Array(INITIAL_CAPACITY);
  private slots = new Int32Array(INITIAL_CAPACITY);
  // Grown by doubling up to a million slots, then by a quarter (see SLOTS_DOUBLING_UP_TO).
  // Never shrunk: owners hold slot numbers. A fired timer's label stays until its slot is
  // reused: clearing it would cost a second random memory access per event.
  private actions = emptyCells<() => void>(INITIAL_CAPACITY);
  private labels = emptyCells<TimerLabel>(INITIAL_CAPACITY);
  /**
   * Id of the timer in each slot while it is pending, kept only while an observer is
   * attached (it is what cancelHeld tells the observer): 8 bytes a slot, 16 MB at a million
   * timers, for a hook that large runs do not attach.
   */
  private slotIds: Float64Array | undefined = undefined;
  private slotCount = 0;
  private free = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private nextId = 1;
  // Timers fire in strictly increasing (dueAt, id) order (a new timer is due no earlier
  // than now and has the highest id), so the last fired key tells which handles have run.
  private lastDue = -Infinity;
  private lastId = 0;
  /** Entries in the heap, live or cancelled. */
  private size = 0;
  // The lane of timers due at the last firing's time: entries laneHead…laneEnd-1, live or
  // cancelled, in (dueAt, id) order (see the class comment).
  private laneTimes = new Float64Array(INITIAL_CAPACITY);
  private laneIds: IdColumn = new Uint32Array(INITIAL_CAPACITY);
  private laneSlots = new Int32Array(INITIAL_CAPACITY);
  private laneHead = 0;
  private laneEnd = 0;
  /** Entries not cancelled. */
  live = 0;
  /** Who watches schedules, cancels and firings; undefined (the usual case) costs one test. */
  observer: ClockObserver | undefined = undefined;

  /** Attaches (or with undefined detaches) the observer; the slots' ids are recorded while one is attached. */
  setObserver(observer: ClockObserver | undefined): void {
    this.observer = observer;
    if (observer === undefined) {
      this.slotIds = undefined;
      return;
    }
    if (this.slotIds !== undefined) return;
    const slotIds = new Float64Array(this.actions.length);
    for (let i = 0; i < this.size; i++) slotIds[this.slots[i]!] = this.ids[i]!;
    for (let i = this.laneHead; i < this.laneEnd; i++) slotIds[this.laneSlots[i]!] = this.laneIds[i]!;
    this.slotIds = slotIds;
  }

  push(dueAt: number, action: () => void, label: TimerLabel): Timer {
    const slot = this.insert(dueAt, action, label);
    return new Timer(this.nextId - 1, dueAt, slot, this);
  }

  /** Queues a timer and returns its slot (its id is nextId - 1). */
  insert(dueAt: number, action: () => void, label: TimerLabel): number {
    if (this.size === this.times.length) this.growHeap();
    let slot: number;
    if (this.freeCount > 0) {
      slot = this.free[--this.freeCount]!;
      this.actions[slot] = action;
      this.labels[slot] = label;
    } else {
      slot = this.slotCount++;
      if (slot === this.actions.length) this.growSlots();
      this.actions[slot] = action;
      this.labels[slot] = label;
    }
    const id = this.nextId++;
    if (id === NARROW_ID_LIMIT) this.widenIds();
    if (this.slotIds !== undefined) this.slotIds[slot] = id;
    if (dueAt === this.lastDue && (this.laneEnd === this.laneHead || this.laneTimes[this.laneEnd - 1]! <= dueAt)) {
      this.appendToLane(dueAt, id, slot);
      this.live++;
      if (this.observer !== undefined) this.observer.scheduled(id, dueAt, reportedLabel(label, slot));
      return slot;
    }
    const times = this.times;
    const ids = this.ids;
    const slots = this.slots;
    let i = this.size++;
    this.live++;
    // Sift the hole up rather than swapping: one write per array per level.
    while (i > 0) {
      const p = (i - 1) >>> 1;
      const pt = times[p]!;
      if (pt < dueAt || (pt === dueAt && ids[p]! < id)) break;
      times[i] = pt;
      ids[i] = ids[p]!;
      slots[i] = slots[p]!;
      i = p;
    }
    times[i] = dueAt;
    ids[i] = id;
    slots[i] = slot;
    if (this.observer !== undefined) this.observer.scheduled(id, dueAt, reportedLabel(label, slot));
    return slot;
  }

  /** True when the timer in `slot` is pending and labelled `label`. */
  holds(slot: number, label: TimerLabel): boolean {
    return slot >= 0 && slot < this.slotCount && this.actions[slot] !== undefined && this.labels[slot] === label;
  }

  /** Cancels the pending timer in `slot` if it is labelled `label`; false when there is none. */
  cancelHeld(slot: number, label: TimerLabel): boolean {
    if (!this.holds(slot, label)) return false;
    if (this.observer !== undefined) this.observer.cancelled(this.slotIds![slot]!);
    this.cancel(slot);
    return true;
  }

  /** Due time of the first live timer, or Infinity when none; drops cancelled ones in front of the lane and on top of the heap. */
  peekTime(): number {
    const actions = this.actions;
    while (this.laneHead < this.laneEnd && actions[this.laneSlots[this.laneHead]!] === undefined) this.release(this.laneSlots[this.laneHead++]!);
    if (this.laneHead === this.laneEnd && this.laneEnd !== 0) this.emptyLane();
    while (this.size > 0 && actions[this.slots[0]!] === undefined) this.removeTop();
    if (this.laneHead < this.laneEnd) return this.laneFirst() ? this.laneTimes[this.laneHead]! : this.times[0]!;
    return this.size > 0 ? this.times[0]! : Infinity;
  }

  /** Removes the first timer and returns its action; the caller has checked it is live via peekTime. */
  popAction(): () => void {
    if (this.laneHead < this.laneEnd && this.laneFirst()) {
      const head = this.laneHead++;
      const slot = this.laneSlots[head]!;
      const action = this.actions[slot]!;
      this.lastDue = this.laneTimes[head]!;
      this.lastId = this.laneIds[head]!;
      this.release(slot);
      if (this.laneHead === this.laneEnd) this.emptyLane();
      this.live--;
      return action;
    }
    const action = this.actions[this.slots[0]!]!;
    this.lastDue = this.times[0]!;
    this.lastId = this.ids[0]!;
    this.removeTop();
    this.live--;
    return action;
  }

  /** Id and label of the first timer (live, per peekTime): what an observer is told before it runs. */
  peekTop(): { id: number; label: TimerLabel } {
    if (this.laneHead < this.laneEnd && this.laneFirst()) {
      const laneSlot = this.laneSlots[this.laneHead]!;
      return { id: this.laneIds[this.laneHead]!, label: reportedLabel(this.labels[laneSlot]!, laneSlot) };
    }
    const slot = this.slots[0]!;
    return { id: this.ids[0]!, label: reportedLabel(this.labels[slot]!, slot) };
  }

  /** With the lane not empty and both fronts live: whether the lane's first entry comes before the heap's top. */
  private laneFirst(): boolean {
    if (this.size === 0) return true;
    const lt = this.laneTimes[this.laneHead]!;
    const ht = this.times[0]!;
    return lt < ht || (lt === ht && this.laneIds[this.laneHead]! < this.ids[0]!);
  }

  private appendToLane(dueAt: number, id: number, slot: number): void {
    if (this.laneEnd === this.laneTimes.length) {
      const length = this.laneEnd - this.laneHead;
      if (this.laneHead > 0 && length * 2 <= this.laneTimes.length) {
        // Mostly consumed: slide the rest to the front instead of growing.
        this.laneTimes.copyWithin(0, this.laneHead, this.laneEnd);
        this.laneIds.copyWithin(0, this.laneHead, this.laneEnd);
        this.laneSlots.copyWithin(0, this.laneHead, this.laneEnd);
      } else {
        const capacity = this.laneTimes.length * 2;
        const times = new Float64Array(capacity);
        const ids = new (this.laneIds.constructor as new (n: number) => IdColumn)(capacity);
        const slots = new Int32Array(capacity);
        times.set(this.laneTimes.subarray(this.laneHead, this.laneEnd));
        ids.set(this.laneIds.subarray(this.laneHead, this.laneEnd));
        slots.set(this.laneSlots.subarray(this.laneHead, this.laneEnd));
        this.laneTimes = times;
        this.laneIds = ids;
        this.laneSlots = slots;
      }
      this.laneHead = 0;
      this.laneEnd = length;
    }
    const at = this.laneEnd++;
    this.laneTimes[at] = dueAt;
    this.laneIds[at] = id;
    this.laneSlots[at] = slot;
  }

  hasFired(dueAt: number, id: number): boolean {
    return dueAt < this.lastDue || (dueAt === this.lastDue && id <= this.lastId);
  }

  /** Cancels the pending timer in `slot`. */
  cancel(slot: number): void {
    this.actions[slot] = undefined;
    this.labels[slot] = undefined;
    this.live--;
    const dead = this.size + (this.laneEnd - this.laneHead) - this.live;
    // Compacting when dead entries outnumber live ones bounds the heap to twice the live
    // count, so a debounce that reschedules on every input cannot grow it without limit.
    if (dead >= COMPACT_MIN_DEAD && dead > this.live) this.compact();
  }

  /** Live timers sorted by (dueAt, id). */
  pending(): TimerInfo[] {
    const out: TimerInfo[] = [];
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i]!;
      const shared = this.labels[slot];
      if (shared === undefined) continue;
      const label = reportedLabel(shared, slot);
      out.push({ id: this.ids[i]!, dueAt: this.times[i]!, owner: label.owner, purpose: label.purpose });
    }
    for (let i = this.laneHead; i < this.laneEnd; i++) {
      const slot = this.laneSlots[i]!;
      const shared = this.labels[slot];
      if (shared === undefined) continue;
      const label = reportedLabel(shared, slot);
      out.push({ id: this.laneIds[i]!, dueAt: this.laneTimes[i]!, owner: label.owner, purpose: label.purpose });
    }
    return out.sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
  }

  private removeTop(): void {
    this.release(this.slots[0]!);
    const last = --this.size;
    if (last > 0) this.refill(this.times[last]!, this.ids[last]!, this.slots[last]!);
    // Exactly once per crossing on the way down: size falls by one here.
    if (last === this.times.length >>> 2 && this.times.length >= 4 * INITIAL_CAPACITY) this.shrinkHeap();
  }

  /**
   * Halves the heap's columns, which hold at most a quarter of their room: a queue that
   * drained (the Event TTLs of a burst expiring, dead nodes' timers gone) gives memory
   * back. Halving, not fitting, leaves room to double before the next growth, so a queue
   * that swings around a size does not copy on every swing: amortised O(1) a timer.
   */
  private shrinkHeap(): void {
    const capacity = this.times.length >>> 1;
    this.times = this.times.slice(0, capacity);
    this.ids = this.ids.slice(0, capacity);
    this.slots = this.slots.slice(0, capacity);
  }

  /**
   * The lane is empty: restart it at the front, and give half its room back when it is
   * large and its last burst (laneEnd entries since it was last empty, or since a slide)
   * used under a quarter of it. The workload minute's burst grows it to ~1 timer a pod,
   * and it would keep that room for the rest of the run.
   */
  private emptyLane(): void {
    const capacity = this.laneTimes.length;
    if (capacity > LANE_KEPT && this.laneEnd < capacity >>> 2) {
      const half = capacity >>> 1;
      this.laneTimes = new Float64Array(half);
      this.laneIds = new (this.laneIds.constructor as new (n: number) => IdColumn)(half);
      this.laneSlots = new Int32Array(half);
    }
    this.laneHead = this.laneEnd = 0;
  }

  /**
   * The id counter reached 2^32: the id columns become float64 (exact to 2^53), as they
   * were before issue 8 narrowed them. Ids are never renumbered: they are public
   * ({@link TimerHandle.id}, observers) and order ties.
   */
  private widenIds(): void {
    this.ids = Float64Array.from(this.ids);
    this.laneIds = Float64Array.from(this.laneIds);
  }

  /**
   * Fills the hole at the root with the entry taken from the end. Floyd's variant: walk
   * the hole down to a leaf along the smaller children (one comparison per level), then
   * sift the entry up from there; an entry taken from the end is large, so the climb is
   * short.
   */
  private refill(t: number, id: number, slot: number): void {
    const times = this.times;
    const ids = this.ids;
    const slots = this.slots;
    const size = this.size;
    let i = 0;
    let c = 1;
    while (c < size) {
      const r = c + 1;
      if (r < size) {
        const ct = times[c]!;
        const rt = times[r]!;
        if (rt < ct || (rt === ct && ids[r]! < ids[c]!)) c = r;
      }
      times[i] = times[c]!;
      ids[i] = ids[c]!;
      slots[i] = slots[c]!;
      i = c;
      c = 2 * i + 1;
    }
    while (i > 0) {
      const p = (i - 1) >>> 1;
      const pt = times[p]!;
      if (pt < t || (pt === t && ids[p]! < id)) break;
      times[i] = pt;
      ids[i] = ids[p]!;
      slots[i] = slots[p]!;
      i = p;
    }
    times[i] = t;
    ids[i] = id;
    slots[i] = slot;
  }

  private siftDown(start: number, t: number, id: number, slot: number): void {
    const times = this.times;
    const ids = this.ids;
    const slots = this.slots;
    const size = this.size;
    let i = start;
    let c = 2 * i + 1;
    while (c < size) {
      const r = c + 1;
      let ct = times[c]!;
      if (r < size) {
        const rt = times[r]!;
        if (rt < ct || (rt === ct && ids[r]! < ids[c]!)) {
          c = r;
          ct = rt;
        }
      }
      if (t < ct || (t === ct && id < ids[c]!)) break;
      times[i] = ct;
      ids[i] = ids[c]!;
      slots[i] = slots[c]!;
      i = c;
      c = 2 * i + 1;
    }
    times[i] = t;
    ids[i] = id;
    slots[i] = slot;
  }

  private release(slot: number): void {
    this.actions[slot] = undefined;
    if (this.freeCount === this.free.length) this.free = grown(this.free, this.free.length * 2);
    this.free[this.freeCount++] = slot;
  }

  private growHeap(): void {
    const capacity = grownCapacity(this.times.length, HEAP_DOUBLING_UP_TO);
    this.times = grown(this.times, capacity);
    this.ids = grown(this.ids, capacity);
    this.slots = grown(this.slots, capacity);
  }

  private growSlots(): void {
    const capacity = grownCapacity(this.actions.length, SLOTS_DOUBLING_UP_TO);
    this.actions = grownCells(this.actions, capacity);
    this.labels = grownCells(this.labels, capacity);
    if (this.slotIds !== undefined) this.slotIds = grown(this.slotIds, capacity);
  }

  private compact(): void {
    const n = this.keepLive(this.times, this.ids, this.slots, 0, this.size);
    this.size = n;
    for (let i = (n >>> 1) - 1; i >= 0; i--) this.siftDown(i, this.times[i]!, this.ids[i]!, this.slots[i]!);
    while (this.size <= this.times.length >>> 2 && this.times.length >= 4 * INITIAL_CAPACITY) this.shrinkHeap();
    this.laneEnd = this.keepLive(this.laneTimes, this.laneIds, this.laneSlots, this.laneHead, this.laneEnd);
    this.laneHead = 0;
  }

  /**
   * Moves the live entries of columns `from`…`to`−1 to the front, in order, releasing the
   * slots of cancelled ones (no action left); returns how many are kept. The heap and the
   * lane are compacted alike.
   */
  private keepLive(times: Float64Array, ids: IdColumn, slots: Int32Array, from: number, to: number): number {
    let n = 0;
    for (let i = from; i < to; i++) {
      const slot = slots[i]!;
      if (this.actions[slot] === undefined) {
        this.release(slot);
        continue;
      }
      times[n] = times[i]!;
      ids[n] = ids[i]!;
      slots[n] = slot;
      n++;
    }
    return n;
  }
}

function emptyCells<T>(length: number): (T | undefined)[] {
  return grownCells<T>([], length);
}

function grownCells<T>(cells: readonly (T | undefined)[], capacity: number): (T | undefined)[] {
  // Plain loops: fill() on a large holey array takes a slow generic path in Node 20
  // (~30 ms per million cells, against under 1 ms for the loop).
  const copy = new Array<T | undefined>(capacity);
  for (let i = 0; i < cells.length; i++) copy[i] = cells[i];
  for (let i = cells.length; i < capacity; i++) copy[i] = undefined;
  return copy;
}

/** A column of timer ids: 32-bit until the ids outgrow it (see NARROW_ID_LIMIT). */
type IdColumn = Uint32Array | Float64Array;

/** The capacity a full column of `capacity` grows to: doubled below `doublingUpTo`, else by a quarter. */
function grownCapacity(capacity: number, doublingUpTo: number): number {
  return capacity < doublingUpTo ? capacity * 2 : capacity + (capacity >>> 2);
}

function grown<A extends Float64Array | Uint32Array | Int32Array>(array: A, capacity: number): A {
  const copy = new (array.constructor as new (n: number) => A)(capacity);
  copy.set(array);
  return copy;
}

function parseEpoch(epoch: Date | string): number {
  const ms = typeof epoch === 'string' ? Date.parse(epoch) : epoch.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`SimClock: invalid epoch ${String(epoch)}`);
  return ms;
}

function checkTime(what: string, value: number): void {
  if (Number.isNaN(value) || value === Infinity) {
    throw new RangeError(`SimClock: ${what} must be a number below Infinity, got ${value}`);
  }
}

/** `00:` … `59:` and `00` … `59`: the minutes and seconds of a metav1.Time after its hour. */
const ISO_MINUTES: readonly string[] = Array.from({ length: 60 }, (_, m) => `${String(m).padStart(2, '0')}:`);
const ISO_SECONDS: readonly string[] = Array.from({ length: 60 }, (_, s) => String(s).padStart(2, '0'));

/**
 * The virtual clock of a simulation: a current time in ms since virtual 0 and a queue of
 * timers ordered by (due time, scheduling order). Time advances only by running timers.
 *
 * Timers due at the same time run in the order they were scheduled, including timers
 * scheduled for the current time by a running timer: those run after it. An action that
 * throws propagates out of step/run*; the clock stays consistent (the event counts as
 * run, time is at that event). Running the clock from inside an action throws.
 *
 * @example
 * ```ts
 * const clock = new SimClock();
 * clock.schedule(40_000, () => markNotReady('w2'), { owner: 'node-lifecycle', purpose: 'grace period of node w2' });
 * clock.runFor(60_000);
 * clock.iso(); // "2019-06-01T00:01:00Z"
 * ```
 */
export class SimClock {
  /** Wall time (ms since the Unix epoch) of virtual time 0. */
  readonly epochMs: number;

  private nowMs = 0;
  private isoSecond = Number.NaN;
  private isoText = '';
  /** The wall second of the epoch (virtual 0). */
  private readonly epochSecond: number;
  /** The wall hour and minute (since the Unix epoch) secondText last formatted, and its text up to them: `2019-06-01T00:`, `2019-06-01T00:01:`. */
  private isoHour = Number.NaN;
  private isoHourText = '';
  private isoMinute = Number.NaN;
  private isoMinuteText = '';
  private isoMicroAt = Number.NaN;
  private isoMicroText = '';
  private ran = 0;
  private running = false;
  private readonly queue = new TimerQueue();
  private observers: readonly ClockObserver[] = [];

  /** Creates a clock at virtual time 0 with an empty queue; throws RangeError on an unparsable epoch. */
  constructor(options: SimClockOptions = {}) {
    this.epochMs = parseEpoch(options.epoch ?? DEFAULT_EPOCH);
    this.epochSecond = Math.floor(this.epochMs / 1000);
  }

  /** Current virtual time in ms since virtual 0; never decreases. */
  now(): number {
    return this.nowMs;
  }

  /** Wall date of virtual time `t` (default: now). */
  date(t: number = this.nowMs): Date {
    return new Date(this.epochMs + t);
  }

  /** `t` (default: now) as a metav1.Time string, truncated to seconds: `2019-06-01T00:00:05Z`. */
  iso(t: number = this.nowMs): string {
    // Every API write stamps a time, mostly the same second as the last: remember it.
    // Wall seconds, as the epoch need not fall on one.
    const second = Math.floor(t / 1000);
    if (second !== this.isoSecond) {
      this.isoSecond = second;
      this.isoText = `${this.secondText(this.epochSecond + second)}Z`;
    }
    return this.isoText;
  }

  /** `t` (default: now) as a metav1.MicroTime string, truncated to µs: `2019-06-01T00:00:05.123000Z`. */
  isoMicro(t: number = this.nowMs): string {
    // Remembered as iso() is: every kubelet of a cluster renews its Lease at the same
    // virtual millisecond.
    if (t === this.isoMicroAt) return this.isoMicroText;
    // Split before adding the epoch: at ~1.5e12 ms a float64 no longer holds microseconds.
    const whole = Math.floor(t);
    // The epsilon keeps 0.123 ms (stored as 0.12299999…) from truncating to 122 µs.
    const micros = Math.floor((t - whole) * 1000 + 1e-6);
    const wallMs = this.epochMs + whole;
    const wallSecond = Math.floor(wallMs / 1000);
    this.isoMicroAt = t;
    // The second's text is iso()'s (no Date formatted: Lease renewals, every 10 s on every
    // node, fall on other milliseconds, and mostly in the minute of the last; issue 8).
    this.isoMicroText = `${this.secondText(wallSecond)}.${String((wallMs - wallSecond * 1000) * 1000 + micros).padStart(6, '0')}Z`;
    return this.isoMicroText;
  }

  /**
   * `2019-06-01T00:00:05`: wall second `wallSecond` (since the Unix epoch) in RFC 3339, to
   * the second. A new second is mostly in the same minute, and hour, as the last (heartbeats
   * every 10 s): a Date is formatted (~3 µs) once an hour, not once a second.
   */
  private secondText(wallSecond: number): string {
    const minute = Math.floor(wallSecond / 60);
    if (minute !== this.isoMinute) {
      const hour = Math.floor(minute / 60);
      if (hour !== this.isoHour) {
        this.isoHour = hour;
        this.isoHourText = new Date(hour * 3_600_000).toISOString().slice(0, 14);
      }
      this.isoMinute = minute;
      this.isoMinuteText = this.isoHourText + ISO_MINUTES[minute - hour * 60];
    }
    return this.isoMinuteText + ISO_SECONDS[wallSecond - minute * 60];
  }

  /**
   * Schedules `action` to run `delayMs` from now. A negative delay is treated as 0 (runs
   * after the timers already due now); NaN or Infinity throws RangeError. `label` is kept
   * by reference.
   */
  schedule(delayMs: number, action: () => void, label: TimerLabel): TimerHandle {
    checkTime('delay', delayMs);
    return this.queue.push(delayMs > 0 ? this.nowMs + delayMs : this.nowMs, action, label);
  }

  /**
   * Schedules `action` as {@link SimClock.schedule} does (same id, same order), without a
   * handle: for owners of very many timers, such as the API server's Event TTLs (one per
   * stored Event: a handle each was ~56 bytes kept for an hour only to cancel it). `label`
   * must be an object no other timer uses: it is what {@link SimClock.cancelUnheld}
   * recognises the timer by, with the returned slot.
   */
  scheduleUnheld(delayMs: number, action: () => void, label: TimerLabel): TimerSlot {
    checkTime('delay', delayMs);
    return this.queue.insert(delayMs > 0 ? this.nowMs + delayMs : this.nowMs, action, label);
  }

  /**
   * Cancels the timer {@link SimClock.scheduleUnheld} put in `slot` with `label`, as its
   * handle's cancel() would. Returns false (and does nothing) once it ran or was cancelled.
   */
  cancelUnheld(slot: TimerSlot, label: TimerLabel): boolean {
    return this.queue.cancelHeld(slot, label);
  }

  /** True while the timer {@link SimClock.scheduleUnheld} put in `slot` with `label` is pending (not run, not cancelled). */
  isUnheldPending(slot: TimerSlot, label: TimerLabel): boolean {
    return this.queue.holds(slot, label);
  }

  /**
   * Schedules `action` at virtual time `time`; a time in the past means now. NaN or
   * Infinity throws RangeError. `label` is kept by reference.
   */
  scheduleAt(time: number, action: () => void, label: TimerLabel): TimerHandle {
    checkTime('time', time);
    return this.queue.push(time > this.nowMs ? time : this.nowMs, action, label);
  }

  /** Advances time to the next live timer and runs it; false (time unchanged) if none is pending. */
  step(): boolean {
    this.enter();
    try {
      const next = this.queue.peekTime();
      if (next === Infinity) return false;
      this.fire(next);
      return true;
    } finally {
      this.running = false;
    }
  }

  /**
   * Runs every timer due at or before `time`, in order (including timers those schedule),
   * then sets now to `time` if it is later. Returns the number of timers run. A `time`
   * before now runs nothing and leaves time unchanged; NaN or Infinity throws RangeError
   * (use {@link SimClock.runUntilIdle} to drain the queue).
   */
  runUntil(time: number): number {
    checkTime('time', time);
    const n = this.drain(time, Infinity);
    if (time > this.nowMs) this.nowMs = time;
    return n;
  }

  /** Same as `runUntil(now() + durationMs)`. */
  runFor(durationMs: number): number {
    return this.runUntil(this.nowMs + durationMs);
  }

  /**
   * Runs timers in order until none is pending, or the next is due after `limit.until`, or
   * `limit.maxEvents` have run. Time ends at the last timer run: it never jumps to `until`.
   * Returns the number of timers run. Without `maxEvents` a timer that always reschedules
   * itself makes this loop forever.
   */
  runUntilIdle(limit: { until?: number; maxEvents?: number } = {}): number {
    const until = limit.until ?? Infinity;
    const maxEvents = limit.maxEvents ?? Infinity;
    if (Number.isNaN(until)) throw new RangeError('SimClock: until must be a number, got NaN');
    if (Number.isNaN(maxEvents) || maxEvents < 0) {
      throw new RangeError(`SimClock: maxEvents must be >= 0, got ${maxEvents}`);
    }
    return this.drain(until, maxEvents);
  }

  /** Due time of the next live timer, or undefined when none is pending. */
  nextDueAt(): number | undefined {
    const t = this.queue.peekTime();
    return t === Infinity ? undefined : t;
  }

  /** Live timers sorted by (dueAt, id): a snapshot, O(n log n); meant for views, not hot paths. */
  pending(): TimerInfo[] {
    return this.queue.pending();
  }

  /** Number of live (scheduled, not run, not cancelled) timers. */
  get pendingCount(): number {
    return this.queue.live;
  }

  /**
   * Attaches an observer of every schedule, cancel and firing from now on (for invariant
   * checkers; nothing in the simulation depends on it). Returns the detach function.
   */
  observe(observer: ClockObserver): () => void {
    this.observers = [...this.observers, observer];
    this.queue.setObserver(fanOut(this.observers));
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
      this.queue.setObserver(fanOut(this.observers));
    };
  }

  /** Total number of timers run since the clock was created. */
  get eventsRun(): number {
    return this.ran;
  }

  private enter(): void {
    // A nested run would move time past events the outer run has yet to pop, and the
    // outer run would then move time backwards.
    if (this.running) throw new Error('SimClock: cannot step or run the clock from inside a timer action');
    this.running = true;
  }

  private drain(until: number, maxEvents: number): number {
    this.enter();
    const queue = this.queue;
    let n = 0;
    try {
      for (;;) {
        if (n >= maxEvents) break;
        const next = queue.peekTime();
        // Infinity means an empty queue; checked apart because `until` may be Infinity too.
        if (next === Infinity || next > until) break;
        // Counted before firing: a throwing action still counts as run.
        n++;
        this.fire(next);
      }
    } finally {
      this.running = false;
    }
    return n;
  }

  /** Runs the top timer, due at `dueAt` (from peekTime). */
  private fire(dueAt: number): void {
    const observer = this.queue.observer;
    if (observer !== undefined) {
      this.fireObserved(dueAt, observer);
      return;
    }
    const action = this.queue.popAction();
    this.nowMs = dueAt;
    this.ran++;
    action();
  }

  /** {@link SimClock.fire} with an observer told before the action runs. */
  private fireObserved(dueAt: number, observer: ClockObserver): void {
    const { id, label } = this.queue.peekTop();
    const previousNow = this.nowMs;
    const action = this.queue.popAction();
    this.nowMs = dueAt;
    this.ran++;
    observer.fired(id, label, previousNow);
    action();
  }
}

/** One observer standing for several (or undefined for none, so the hot path stays a single test). */
function fanOut(observers: readonly ClockObserver[]): ClockObserver | undefined {
  if (observers.length <= 1) return observers[0];
  return {
    scheduled: (id, dueAt, label) => observers.forEach((o) => o.scheduled(id, dueAt, label)),
    cancelled: (id) => observers.forEach((o) => o.cancelled(id)),
    fired: (id, label, previousNow) => observers.forEach((o) => o.fired(id, label, previousNow)),
  };
}
