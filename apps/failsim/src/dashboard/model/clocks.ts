// The clocks view: every pending timer of the simulation clock (SimClock.pending() of
// @failsim/core), grouped by its owner, with what it waits for and a countdown. This is
// where the node-monitor grace period, the eviction timer, the pod GC quarantine, the
// mount timeout and the 6 min force detach can be watched running down.
import type { ClockObserver, SimClock } from '@failsim/core';
import { countdown } from './countdown.js';

/** A pending timer as SimClock.pending() lists it (the type is not exported by name). */
type TimerInfo = ReturnType<SimClock['pending']>[number];

/** One pending timer. */
export interface ClockRow {
  readonly purpose: string;
  /** Virtual ms at which it fires. */
  readonly dueAt: number;
  /** `in 4m30s`, `now`. */
  readonly countdown: string;
}

/** The timers of one owner, soonest first. */
export interface ClockGroup {
  readonly owner: string;
  readonly timers: readonly ClockRow[];
}

/**
 * Recurring housekeeping that always runs (loops every 100 ms to a few seconds): listed
 * only when `all` is asked for, so the view shows the timers a failure is about.
 */
export const HOUSEKEEPING = /work queue|reconciler pass|populator|volume manager: reconciler|node status update|renew Lease|pod status sync batch|verify attached volumes|schedule pending pods|pod GC pass|event TTL/;

/**
 * The clock's pending timers that are not housekeeping, kept current through the clock's
 * observer hook (SimClock.observe of @failsim/core, which nothing in the simulation
 * depends on). A big cluster has tens of thousands of timers, nearly all housekeeping
 * loops (status updates, leases, work queues); listing and sorting them all on every
 * frame would cost more than the frame, so the clocks view reads this index instead.
 * @example
 * const index = new TimerIndex(clock);
 * sampleClocks(clock, { index, limit: 20 });
 * index.detach(); // when the run is replaced
 */
export class TimerIndex {
  readonly #timers = new Map<number, TimerInfo>();
  readonly #housekeeping = new Map<string, boolean>();
  readonly detach: () => void;

  /** Indexes the clock's timers now pending and follows it from now on. */
  constructor(clock: SimClock) {
    for (const t of clock.pending()) if (!this.#isHousekeeping(t.purpose)) this.#timers.set(t.id, t);
    const observer: ClockObserver = {
      scheduled: (id, dueAt, label) => {
        if (!this.#isHousekeeping(label.purpose)) this.#timers.set(id, { id, dueAt, owner: label.owner, purpose: label.purpose });
      },
      cancelled: (id) => void this.#timers.delete(id),
      fired: (id) => void this.#timers.delete(id),
    };
    this.detach = clock.observe(observer);
  }

  /** The indexed timers sorted by (dueAt, id), as SimClock.pending() orders them. */
  pending(): TimerInfo[] {
    return [...this.#timers.values()].sort((a, b) => a.dueAt - b.dueAt || a.id - b.id);
  }

  // Purposes repeat (one per loop and object): test each text once.
  #isHousekeeping(purpose: string): boolean {
    let hk = this.#housekeeping.get(purpose);
    if (hk === undefined) {
      hk = HOUSEKEEPING.test(purpose);
      if (this.#housekeeping.size < 100_000) this.#housekeeping.set(purpose, hk);
    }
    return hk;
  }
}

/**
 * Samples the clocks view: groups ordered by their soonest timer; at most `limit` timers
 * overall (the clock lists them sorted, so the cut keeps the soonest). Without `all`, the
 * housekeeping loops are left out, read from `index` when given (see {@link TimerIndex}).
 */
export const sampleClocks = (clock: SimClock, options: { readonly all?: boolean; readonly limit?: number; readonly index?: TimerIndex } = {}): ClockGroup[] => {
  const now = clock.now();
  const limit = options.limit ?? 200;
  const groups = new Map<string, ClockRow[]>();
  let taken = 0;
  const source = !options.all && options.index ? options.index.pending() : clock.pending();
  for (const t of source) {
    if (taken >= limit) break;
    if (!options.all && HOUSEKEEPING.test(t.purpose)) continue;
    const rows = groups.get(t.owner) ?? [];
    rows.push({ purpose: t.purpose, dueAt: t.dueAt, countdown: countdown(now, t.dueAt) });
    groups.set(t.owner, rows);
    taken++;
  }
  return [...groups].map(([owner, timers]) => ({ owner, timers }));
};
