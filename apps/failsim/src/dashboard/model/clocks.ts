// The clocks view: every pending timer of the simulation clock (SimClock.pending() of
// @failsim/core), grouped by its owner, with what it waits for and a countdown. This is
// where the node-monitor grace period, the eviction timer, the pod GC quarantine, the
// mount timeout and the 6 min force detach can be watched running down.
import type { SimClock } from '@failsim/core';
import { countdown } from './countdown.js';

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
const HOUSEKEEPING = /work queue|reconciler pass|populator|volume manager: reconciler|node status update|renew Lease|pod status sync batch|verify attached volumes|schedule pending pods|pod GC pass|event TTL/;

/**
 * Samples the clocks view: groups ordered by their soonest timer; at most `limit` timers
 * overall (the clock lists them sorted, so the cut keeps the soonest).
 */
export const sampleClocks = (clock: SimClock, options: { readonly all?: boolean; readonly limit?: number } = {}): ClockGroup[] => {
  const now = clock.now();
  const limit = options.limit ?? 200;
  const groups = new Map<string, ClockRow[]>();
  let taken = 0;
  for (const t of clock.pending()) {
    if (taken >= limit) break;
    if (!options.all && HOUSEKEEPING.test(t.purpose)) continue;
    const rows = groups.get(t.owner) ?? [];
    rows.push({ purpose: t.purpose, dueAt: t.dueAt, countdown: countdown(now, t.dueAt) });
    groups.set(t.owner, rows);
    taken++;
  }
  return [...groups].map(([owner, timers]) => ({ owner, timers }));
};
