// The events view: core/v1 Events as `kubectl get events` shows them from 1.14 on (LAST
// SEEN TYPE REASON OBJECT MESSAGE; printEvent of pkg/printers/internalversion/printers.go
// · v1.14), but newest first by LAST SEEN as k9s orders them, with a Warning-only filter.
import type { ObjectOf } from '@failsim/core';
import { translateTimestampSince } from '@failsim/controllers';
import type { ScenarioRun } from '@failsim/scenarios';
import { dashboardClient, listOf, memo } from './snapshot.js';

type Event = ObjectOf<'Event'>;

/**
 * The run's Events kept current by a watch, as an informer's store keeps them
 * (client-go tools/cache/shared_informer.go · v1.29): thousands of Events are listed
 * once, then each write costs a map update instead of every frame listing them all. The
 * dashboard's client is a control-plane one, so its watch never stalls; if it ever ends,
 * the samplers go back to listing.
 */
export class EventIndex {
  readonly #events = new Map<string, Event>();
  readonly #failedAttach = new Map<string, Event>();
  #live = true;
  #version = 0;
  readonly #stop: () => void;

  /** Watches the run's Events from now on (the current ones arrive first, as ADDED). */
  constructor(run: ScenarioRun) {
    const subscription = dashboardClient(run)
      .watch('Event')
      .subscribe({
        next: ({ type, object }) => {
          this.#version++;
          const key = `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
          if (type === 'DELETED') {
            this.#events.delete(key);
            this.#failedAttach.delete(key);
            return;
          }
          this.#events.set(key, object);
          if (object.reason === 'FailedAttachVolume') this.#failedAttach.set(key, object);
        },
        error: () => void (this.#live = false),
        complete: () => void (this.#live = false),
      });
    this.#stop = () => subscription.unsubscribe();
  }

  /** False once the watch has ended (then read the list instead). */
  get live(): boolean {
    return this.#live;
  }

  /** Bumped on every Event written or deleted: what was derived from the Events at one version holds until the next. */
  get version(): number {
    return this.#version;
  }

  /** Every Event, oldest created first. */
  all(): Iterable<Event> {
    return this.#events.values();
  }

  /** The FailedAttachVolume Events only (what the storage view's Multi-Attach check reads). */
  failedAttach(): Iterable<Event> {
    return this.#failedAttach.values();
  }

  /** Stops the watch. */
  detach(): void {
    this.#live = false;
    this.#stop();
  }
}

const indexes = new WeakMap<ScenarioRun, EventIndex>();

/** Starts an {@link EventIndex} for `run`, used by the samplers from then on; returns it (detach() when done). */
export const watchEvents = (run: ScenarioRun): EventIndex => {
  const index = new EventIndex(run);
  indexes.set(run, index);
  return index;
};

/** The run's Events: from its live index when there is one, else the frame's list. */
export const eventsOf = (run: ScenarioRun, only?: 'FailedAttachVolume'): Iterable<Event> => {
  const index = indexes.get(run);
  if (index?.live) return only ? index.failedAttach() : index.all();
  return listOf(run, 'Event');
};

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

const lastSeenOf = (e: Event): string => e.lastTimestamp || e.series?.lastObservedTime || e.eventTime || '';

/** True when `a` sorts before `b`: newer last occurrence first, ties the later write first. */
const before = (a: { at: string; i: number }, b: { at: string; i: number }): boolean => (a.at !== b.at ? a.at > b.at : a.i > b.i);

type Ranked = { readonly e: Event; readonly i: number; readonly at: string };

/** The newest `limit` of `events` (Warnings only when `warningsOnly`), newest first. */
const newest = (events: Iterable<Event>, warningsOnly: boolean, limit: number): Ranked[] => {
  const top: Ranked[] = [];
  const items = [...events];
  if (limit > 64) {
    // A long page: sorting is cheaper than inserting into it.
    const all = items.map((e, i) => ({ e, i, at: lastSeenOf(e) })).filter(({ e }) => !warningsOnly || e.type === 'Warning');
    return all.sort((a, b) => (before(a, b) ? -1 : 1)).slice(0, limit);
  }
  for (let i = 0; i < items.length; i++) {
    const e = items[i]!;
    if (warningsOnly && e.type !== 'Warning') continue;
    const at = lastSeenOf(e);
    // Most events are older than the page: rejected on one string comparison.
    if (top.length === limit && (limit === 0 || at < top[top.length - 1]!.at)) continue;
    const c = { e, i, at };
    if (top.length === limit && !before(c, top[top.length - 1]!)) continue;
    let j = top.length === limit ? top.length - 1 : top.length;
    while (j > 0 && before(c, top[j - 1]!)) {
      top[j] = top[j - 1]!;
      j--;
    }
    top[j] = c;
  }
  return top;
};

const pages = new WeakMap<EventIndex, Map<string, { readonly version: number; readonly top: readonly Ranked[] }>>();

/** {@link newest} over a live index, selected again only when its version moved. */
const newestCached = (index: EventIndex, warningsOnly: boolean, limit: number): readonly Ranked[] => {
  let byPage = pages.get(index);
  if (byPage === undefined) pages.set(index, (byPage = new Map<string, { readonly version: number; readonly top: readonly Ranked[] }>()));
  const key = `${warningsOnly}/${limit}`;
  const hit = byPage.get(key);
  if (hit !== undefined && hit.version === index.version) return hit.top;
  const top = newest(index.all(), warningsOnly, limit);
  byPage.set(key, { version: index.version, top });
  return top;
};

/**
 * Samples the events view: newest first by last occurrence (ties: the later write
 * first), Warnings only when `warningsOnly`, at most `limit` rows. A view shows a screen
 * of rows out of thousands of events, so the newest `limit` are selected in one pass
 * (a bounded insertion) instead of sorting them all; the result is computed once per
 * state (model/snapshot.ts).
 */
export const sampleEvents = (run: ScenarioRun, options: { readonly warningsOnly?: boolean; readonly limit?: number } = {}): readonly EventRow[] => {
  const limit = options.limit ?? 500;
  const warningsOnly = options.warningsOnly === true;
  return memo(run, `events/${warningsOnly}/${limit}`, () => {
    const now = run.env.cluster.sim.clock.date();
    const index = indexes.get(run);
    // The page changes only when an Event does, far less often than the clock moves: with
    // a live index, it is selected again only then; its LAST SEEN ages are formatted per frame.
    const top = index?.live ? newestCached(index, warningsOnly, limit) : newest(eventsOf(run), warningsOnly, limit);
    return top.map(({ e, at }) => {
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
  });
};
