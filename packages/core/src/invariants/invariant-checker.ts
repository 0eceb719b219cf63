// The invariant checker of the simulation kernel and API server (failsim issue 7). It
// models no upstream file: it checks that failsim keeps the guarantees kube-apiserver and
// etcd give their clients (k8s.io/apiserver pkg/storage/cacher: one increasing
// resourceVersion, watch events in commit order, a deleted object gone from reads) and the
// ones failsim's virtual clock promises (time never goes back, only scheduled timers run,
// never before they are due). A broken invariant is a bug in failsim, so by default the
// checker fails fast with the writes and timer firings that led to it.
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { ApiClient } from '../api/client.js';
import { kinds, type Kind, type KubeObject } from '../api/resources.js';
import type { WatchEvent } from '../api/watch.js';
import type { TimerLabel } from '../kernel/clock.js';
import type { Simulation } from '../simulation.js';
import type { TraceEntry, WriteTraceEntry } from '../trace/trace.js';
import { InvariantViolation, type InvariantHistoryEntry } from './invariant-violation.js';

/** The rules {@link checkInvariants} checks. */
export type CoreInvariantRule =
  | 'resource-version-increases'
  | 'watch-order'
  | 'deleted-not-listed'
  | 'clock-monotonic'
  | 'timer-scheduled';

/** Options of {@link checkInvariants}. */
export interface InvariantCheckerOptions {
  /**
   * Called on each violation instead of throwing. Without it the first violation is thrown
   * as an {@link InvariantViolation}: at once when seen on a timer firing, else at the next
   * timer firing, {@link InvariantChecker.audit} or {@link InvariantChecker.stop} (a throw
   * inside a watch handler would be swallowed by RxJS).
   */
  readonly onViolation?: (violation: InvariantViolation) => void;
  /** Writes and timer firings remembered for histories (default 256). */
  readonly historySize?: number;
  /** Lines of context a violation carries when it is not about one object (default 20). */
  readonly historyLines?: number;
}

/** A running checker, from {@link checkInvariants}. */
export interface InvariantChecker {
  /** Every violation seen so far, oldest first. */
  readonly violations: readonly InvariantViolation[];
  /**
   * The O(objects) checks: every listed object was announced by the watch with its uid and
   * was not deleted, and the watch announced nothing the lists lack. Throws (or reports) a
   * pending or new violation.
   */
  audit(): void;
  /** Audits, then detaches from the simulation. */
  stop(): void;
}

/** A timer firing as the history keeps it. */
interface Firing {
  readonly t: number;
  readonly type: 'timer';
  readonly id: number;
  readonly label: TimerLabel;
}

type HistoryItem = WriteTraceEntry | Firing;

const COMMIT_WINDOW = 1 << 16;
/** The window starts small and doubles up to COMMIT_WINDOW: most scenario runs make a few thousand writes. */
const INITIAL_COMMIT_WINDOW = 1 << 12;
const RECENTLY_CANCELLED = 4096;

const objectKey = (kind: string, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ''}/${name}`;
const eventTypeOf = (verb: WriteTraceEntry['verb']): WatchEvent['type'] => (verb === 'create' ? 'ADDED' : verb === 'remove' ? 'DELETED' : 'MODIFIED');
const describeWrite = (w: WriteTraceEntry): string =>
  `write ${w.verb} ${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name} rv=${w.resourceVersion} by ${w.by}`;
const describeTimer = (id: number, label: TimerLabel): string => `timer #${id} ${label.owner}: ${label.purpose}`;
const describeItem = (item: HistoryItem): InvariantHistoryEntry => ({
  t: item.t,
  what: item.type === 'write' ? describeWrite(item) : `fired ${describeTimer(item.id, item.label)}`,
});

/** A watch the checker holds: everything (kind undefined) or one kind. */
interface CheckedWatch {
  readonly name: string;
  readonly kind: Kind | undefined;
  lastSeen: number;
}

/**
 * Attaches an invariant checker to a simulation: from now on every API write, watch event
 * and timer firing is checked, in O(1) each and without copying objects.
 *
 * - `resource-version-increases`: each write's resourceVersion is above the last one's.
 * - `watch-order`: a watch of everything and one watch per kind (the checker's own, from
 *   the control plane) see every change, in the server's commit order (the trace's write
 *   sequence), with its type; by the next timer firing they have seen the last write.
 * - `deleted-not-listed`: after a DELETED event, get does not return the object (a
 *   re-created one has a new uid) and no later change carries the deleted uid; list is
 *   checked by {@link InvariantChecker.audit}.
 * - `clock-monotonic`: now() never decreases across writes and firings.
 * - `timer-scheduled`: every timer that fires was scheduled, not cancelled, not fired
 *   before, and fires at or after its due time.
 *
 * Cost: per write, a few array stores and a Map update per watch (two watches see each
 * write); per timer, one Map set on schedule and one delete on firing; memory, one entry
 * per pending timer, per live object (its uid) and per deleted uid.
 *
 * @example
 * ```ts
 * const sim = createSimulation();
 * const checker = checkInvariants(sim); // throws InvariantViolation on the first break
 * sim.clock.runFor(3_600_000);
 * checker.stop();
 * ```
 */
export const checkInvariants = (sim: Pick<Simulation, 'clock' | 'trace' | 'api'>, options: InvariantCheckerOptions = {}): InvariantChecker => {
  const { clock, trace, api } = sim;
  const historySize = options.historySize ?? 256;
  const historyLines = options.historyLines ?? 20;
  const client: ApiClient = api.client('invariant-checker');
  const violations: InvariantViolation[] = [];
  let pendingThrow: InvariantViolation | undefined;

  // ---- history: a ring of references to trace entries and small firing records --------
  const ring: (HistoryItem | undefined)[] = new Array<HistoryItem | undefined>(historySize).fill(undefined);
  let ringNext = 0;
  const remember = (item: HistoryItem): void => {
    ring[ringNext] = item;
    ringNext = (ringNext + 1) % historySize;
  };
  const recent = (filter?: (item: HistoryItem) => boolean): InvariantHistoryEntry[] => {
    const out: InvariantHistoryEntry[] = [];
    for (let i = 0; i < historySize; i++) {
      const item = ring[(ringNext + i) % historySize];
      if (item !== undefined && (filter === undefined || filter(item))) out.push(describeItem(item));
    }
    return filter === undefined ? out.slice(-historyLines) : out;
  };
  const aboutObject = (kind: string, namespace: string | undefined, name: string): InvariantHistoryEntry[] =>
    recent((i) => i.type === 'write' && i.kind === kind && i.name === name && (i.namespace ?? '') === (namespace ?? ''));

  const report = (rule: CoreInvariantRule, detail: string, history: readonly InvariantHistoryEntry[]): InvariantViolation => {
    const violation = new InvariantViolation(rule, detail, clock.now(), history);
    violations.push(violation);
    if (options.onViolation) options.onViolation(violation);
    else pendingThrow ??= violation;
    return violation;
  };
  const raisePending = (): void => {
    const violation = pendingThrow;
    pendingThrow = undefined;
    if (violation) throw violation;
  };

  // ---- clock --------------------------------------------------------------------------
  let lastNow = clock.now();
  const checkNow = (now: number, what: string): void => {
    if (now < lastNow) report('clock-monotonic', `virtual clock went backwards from ${lastNow} ms to ${now} ms (${what})`, recent());
    else lastNow = now;
  };

  // ---- commits: the server's sequence, as the trace records it ------------------------
  let mask = INITIAL_COMMIT_WINDOW - 1;
  let commitRv = new Float64Array(INITIAL_COMMIT_WINDOW);
  let commitPrevOfKind = new Float64Array(INITIAL_COMMIT_WINDOW);
  let commits: (WriteTraceEntry | undefined)[] = new Array<WriteTraceEntry | undefined>(INITIAL_COMMIT_WINDOW).fill(undefined);
  /** Doubles the window; every kept commit moves to its slot in the larger one (distinct rvs stay distinct). */
  const growWindow = (): void => {
    const size = (mask + 1) * 2;
    const rvs = new Float64Array(size);
    const prevs = new Float64Array(size);
    const entries = new Array<WriteTraceEntry | undefined>(size).fill(undefined);
    for (let slot = 0; slot <= mask; slot++) {
      const rv = commitRv[slot]!;
      if (rv === 0) continue;
      rvs[rv & (size - 1)] = rv;
      prevs[rv & (size - 1)] = commitPrevOfKind[slot]!;
      entries[rv & (size - 1)] = commits[slot];
    }
    commitRv = rvs;
    commitPrevOfKind = prevs;
    commits = entries;
    mask = size - 1;
  };
  const lastRvOfKind = new Map<string, number>();
  let lastRv = Number(api.resourceVersion);
  let writesSinceCatchUp = false;

  const onTrace = (entry: TraceEntry): void => {
    if (entry.type !== 'write') return;
    remember(entry);
    if (entry.t < lastNow) checkNow(entry.t, describeWrite(entry));
    else lastNow = entry.t;
    const rv = Number(entry.resourceVersion);
    if (!(rv > lastRv)) {
      report('resource-version-increases', `resourceVersion ${entry.resourceVersion} does not follow ${lastRv} (${describeWrite(entry)})`, recent());
      return;
    }
    lastRv = rv;
    // Grow while this write would overwrite a slot and the window may still grow.
    while (rv > mask && mask + 1 < COMMIT_WINDOW) growWindow();
    const slot = rv & mask;
    commitRv[slot] = rv;
    commitPrevOfKind[slot] = lastRvOfKind.get(entry.kind) ?? 0;
    commits[slot] = entry;
    lastRvOfKind.set(entry.kind, rv);
    writesSinceCatchUp = true;
  };

  // ---- live objects as the watch of everything shows them ------------------------------
  const live = new Map<string, string>();
  const liveCount = new Map<string, number>();
  const deletedUids = new Set<string>();
  for (const kind of kinds) {
    const listed = client.list(kind);
    if (E.isLeft(listed)) continue;
    for (const obj of listed.right.items) live.set(objectKey(kind, obj.metadata?.namespace, obj.metadata?.name ?? ''), obj.metadata?.uid ?? '');
    liveCount.set(kind, listed.right.items.length);
  }

  const onObject = (event: WatchEvent): void => {
    const meta = event.object.metadata ?? {};
    const kind = event.object.kind ?? '';
    const key = objectKey(kind, meta.namespace, meta.name ?? '');
    const uid = meta.uid ?? '';
    if (deletedUids.has(uid)) {
      report('deleted-not-listed', `${kind} ${key.slice(kind.length + 1)} (uid ${uid}) changed (${event.type}) after it was deleted`, aboutObject(kind, meta.namespace, meta.name ?? ''));
    }
    if (event.type === 'DELETED') {
      deletedUids.add(uid);
      if (live.delete(key)) liveCount.set(kind, (liveCount.get(kind) ?? 1) - 1);
      const got = client.get(kind as Kind, meta.name ?? '', meta.namespace);
      if (E.isRight(got) && got.right.metadata?.uid === uid) {
        report(
          'deleted-not-listed',
          `${kind} ${key.slice(kind.length + 1)} (uid ${uid}) was deleted at resourceVersion ${meta.resourceVersion ?? '?'} but get still returns it (resourceVersion ${got.right.metadata?.resourceVersion ?? '?'})`,
          aboutObject(kind, meta.namespace, meta.name ?? ''),
        );
      }
    } else {
      if (!live.has(key)) liveCount.set(kind, (liveCount.get(kind) ?? 0) + 1);
      live.set(key, uid);
    }
  };

  // ---- the checker's watches ------------------------------------------------------------
  const watches: CheckedWatch[] = [];
  const subscriptions: Subscription[] = [];
  const from = api.resourceVersion;
  const check = (watch: CheckedWatch, event: WatchEvent): void => {
    const rv = Number(event.object.metadata?.resourceVersion);
    const meta = event.object.metadata ?? {};
    // Described only for a report: this runs for every event of two watches.
    const seen = (): string => `${event.type} ${event.object.kind ?? '?'} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? ''} rv=${meta.resourceVersion ?? '?'}`;
    const slot = rv & mask;
    const commit = commitRv[slot] === rv ? commits[slot] : undefined;
    if (commit === undefined) {
      report('watch-order', `${watch.name} saw ${seen()}, which the server never committed (or committed too long ago)`, recent());
    } else if (rv <= watch.lastSeen) {
      report('watch-order', `${watch.name} saw ${seen()} after resourceVersion ${watch.lastSeen}: out of commit order`, recent());
    } else if (watch.kind === undefined ? rv !== watch.lastSeen + 1 : commitPrevOfKind[slot]! > watch.lastSeen) {
      const missedRv = watch.kind === undefined ? watch.lastSeen + 1 : commitPrevOfKind[slot]!;
      const missed = commitRv[missedRv & mask] === missedRv ? commits[missedRv & mask] : undefined;
      report(
        'watch-order',
        `${watch.name} missed ${missed ? describeWrite(missed) : `resourceVersion ${missedRv}`}: after resourceVersion ${watch.lastSeen} it saw ${seen()}`,
        recent(),
      );
    } else if (commit.kind !== event.object.kind || commit.name !== meta.name || (commit.namespace ?? '') !== (meta.namespace ?? '') || eventTypeOf(commit.verb) !== event.type) {
      report('watch-order', `${watch.name} saw ${seen()} but the server committed ${describeWrite(commit)} at that resourceVersion`, recent());
    }
    if (rv > watch.lastSeen) watch.lastSeen = rv;
  };
  const follow = (name: string, kind: Kind | undefined): void => {
    const watch: CheckedWatch = { name, kind, lastSeen: Number(from) };
    watches.push(watch);
    const stream = kind === undefined ? client.watchAll({ resourceVersion: from }) : client.watch(kind, { resourceVersion: from });
    subscriptions.push(
      stream.subscribe({
        next: (event) => {
          check(watch, event);
          if (kind === undefined) onObject(event);
        },
        error: (error: { message?: string }) => report('watch-order', `${name} ended with an error: ${error.message ?? 'unknown'}`, recent()),
      }),
    );
  };
  follow('watch of all kinds', undefined);
  for (const kind of kinds) follow(`watch of ${kind}`, kind);

  /** By a timer firing every write has been delivered: a watch behind the server missed the rest. */
  const checkCaughtUp = (): void => {
    writesSinceCatchUp = false;
    for (const watch of watches) {
      const last = watch.kind === undefined ? lastRv : (lastRvOfKind.get(watch.kind) ?? 0);
      if (watch.lastSeen < last) {
        const commit = commitRv[last & mask] === last ? commits[last & mask] : undefined;
        report('watch-order', `${watch.name} never saw ${commit ? describeWrite(commit) : `resourceVersion ${last}`} (last saw resourceVersion ${watch.lastSeen})`, recent());
        watch.lastSeen = last;
      }
    }
  };

  // ---- timers -------------------------------------------------------------------------
  const dueById = new Map<number, number>();
  for (const t of clock.pending()) dueById.set(t.id, t.dueAt);
  const cancelled = new Map<number, true>();
  const detachClock = clock.observe({
    scheduled: (id, dueAt) => {
      dueById.set(id, dueAt);
    },
    cancelled: (id) => {
      dueById.delete(id);
      cancelled.set(id, true);
      // Only recent cancellations are remembered, to name the bug; the check needs none.
      if (cancelled.size > RECENTLY_CANCELLED) cancelled.delete(cancelled.keys().next().value!);
    },
    fired: (id, label, previousNow) => {
      const now = clock.now();
      const firing: Firing = { t: now, type: 'timer', id, label };
      remember(firing);
      if (writesSinceCatchUp) checkCaughtUp();
      // Worded only for a report: this runs on every timer firing.
      if (previousNow < lastNow) checkNow(previousNow, `before ${describeTimer(id, label)}`);
      else lastNow = previousNow;
      if (now < lastNow) checkNow(now, `firing ${describeTimer(id, label)}`);
      else lastNow = now;
      const due = dueById.get(id);
      if (due === undefined) {
        const why = cancelled.has(id) ? 'after it was cancelled' : 'but is not pending (never scheduled, or already fired)';
        report('timer-scheduled', `${describeTimer(id, label)} fired at ${now} ms ${why}`, recent());
      } else {
        dueById.delete(id);
        if (now < due) report('timer-scheduled', `${describeTimer(id, label)} fired at ${now} ms, before its due time ${due} ms`, recent());
      }
      raisePending();
    },
  });
  const untrace = trace.subscribe(onTrace);

  const audit = (): void => {
    if (writesSinceCatchUp) checkCaughtUp();
    for (const kind of kinds) {
      const listed = client.list(kind);
      if (E.isLeft(listed)) continue;
      for (const obj of listed.right.items as readonly KubeObject[]) {
        const meta = obj.metadata ?? {};
        const key = objectKey(kind, meta.namespace, meta.name ?? '');
        const uid = meta.uid ?? '';
        if (deletedUids.has(uid)) {
          report('deleted-not-listed', `${kind} ${key.slice(kind.length + 1)} (uid ${uid}) is listed after it was deleted`, aboutObject(kind, meta.namespace, meta.name ?? ''));
        } else if (live.get(key) !== uid) {
          report('deleted-not-listed', `${kind} ${key.slice(kind.length + 1)} (uid ${uid}) is listed but the watch shows ${live.has(key) ? `uid ${live.get(key)}` : 'no such object'}`, aboutObject(kind, meta.namespace, meta.name ?? ''));
        }
      }
      const expected = liveCount.get(kind) ?? 0;
      if (listed.right.items.length !== expected) {
        report('deleted-not-listed', `list of ${kind} returns ${listed.right.items.length} objects, the watch shows ${expected}`, recent());
      }
    }
    raisePending();
  };

  return {
    violations,
    audit,
    stop: () => {
      try {
        audit();
      } finally {
        untrace();
        detachClock();
        subscriptions.forEach((s) => s.unsubscribe());
      }
    },
  };
};
