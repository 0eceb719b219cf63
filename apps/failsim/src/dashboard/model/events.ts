// The events view: core/v1 Events as `kubectl get events` shows them from 1.14 on (LAST
// SEEN TYPE REASON OBJECT MESSAGE; printEvent of pkg/printers/internalversion/printers.go
// · v1.14), but newest first by LAST SEEN as k9s orders them, with a Warning-only filter.
import type { ObjectOf } from '@failsim/core';
import { translateTimestampSince } from '@failsim/controllers';
import type { ScenarioRun } from '@failsim/scenarios';
import * as E from 'fp-ts/lib/Either.js';
import { dashboardClient } from './nodes.js';

/** One row of the events view. */
export interface EventRow {
  readonly lastSeen: string;
  /** `Normal` or `Warning`. */
  readonly type: string;
  readonly reason: string;
  /** kubectl 1.14's OBJECT: `pod/cassandra-0`. */
  readonly object: string;
  /** `namespace/name` of the involved object, to match a selection. */
  readonly objectKey: string;
  readonly count: number;
  readonly message: string;
}

const lastSeenOf = (e: ObjectOf<'Event'>): string => e.lastTimestamp || e.series?.lastObservedTime || e.eventTime || '';

/**
 * Samples the events view: newest first by last occurrence (ties: the later write
 * first), Warnings only when `warningsOnly`, at most `limit` rows.
 */
export const sampleEvents = (run: ScenarioRun, options: { readonly warningsOnly?: boolean; readonly limit?: number } = {}): EventRow[] => {
  const events = dashboardClient(run).list('Event');
  if (E.isLeft(events)) return [];
  const now = run.env.cluster.sim.clock.date();
  const picked = events.right.items
    .map((e, i) => ({ e, i, at: lastSeenOf(e) }))
    .filter(({ e }) => !options.warningsOnly || e.type === 'Warning')
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.i - a.i))
    .slice(0, options.limit ?? 500);
  return picked.map(({ e, at }) => {
    const o = e.involvedObject;
    return {
      lastSeen: translateTimestampSince(at || undefined, now),
      type: e.type ?? '',
      reason: e.reason ?? '',
      object: o.name ? `${(o.kind ?? '').toLowerCase()}/${o.name}` : (o.kind ?? '').toLowerCase(),
      objectKey: o.namespace ? `${o.namespace}/${o.name ?? ''}` : (o.name ?? ''),
      count: e.count ?? 1,
      message: (e.message ?? '').trim(),
    };
  });
};
