// The invariant checker of the simulation kernel and API server (failsim issue 7). It
// models no upstream file: it checks that failsim keeps the guarantees kube-apiserver and
// etcd give their clients (k8s.io/apiserver pkg/storage/cacher: one increasing
// resourceVersion, watch events in commit order, a deleted object gone from reads) and the
// ones failsim's virtual clock promises (time never goes back, only scheduled timers run,
// never before they are due). A broken invariant is a bug in failsim, so by default the
// checker fails fast with the writes and timer firings that led to it.
import * as E from 'fp-ts/lib/Either.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { ApiClient } from '../api/client.js';
import { kinds, type Kind, type KubeObject } from '../api/resources.js';
import type { WatchEvent } from '../api/watch.js';
import { watchSink } from '../api/watch-sink.js';
import type { TimerLabel } from '../kernel/clock.js';
import type { Simulation } from '../simulation.js';
import type { WriteListener, WriteTraceEntry } from '../trace/trace.js';
import { DueTimes } from './due-times.js';
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

/** A write is remembered by its trace row (the entry is built only for a report), a firing as itself. */
type HistoryItem = number | Firing;

const COMMIT_WINDOW = 1 << 16;
/**
 * The window starts small and doubles up to COMMIT_WINDOW while the checker's watches lag
 * further behind the server than it holds: they lag only by the changes queued behind the
 * one being delivered, and by what a stalled control plane did not deliver.
 */
const INITIAL_COMMIT_WINDOW = 1 << 8;
const RECENTLY_CANCELLED = 4096;
const RING_EMPTY = 0;
const RING_WRITE = 1;
const RING_TIMER = 2;

const eventTypeOf = (verb: WriteTraceEntry['verb']): WatchEvent['type'] => (verb === 'create' ? 'ADDED' : verb === 'remove' ? 'DELETED' : 'MODIFIED');
const describeWrite = (w: WriteTraceEntry): string =>
  `write ${w.verb} ${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name} rv=${w.resourceVersion} by ${w.by}`;
/** `namespace/name` of an object, as the checker's reports name it. */
const describeObject = (meta: { readonly namespace?: string; readonly name?: string }): string => `${meta.namespace ?? ''}/${meta.name ?? ''}`;
/** A watch event as a report names it (built only for a report: events are checked by the thousand). */
const describeEvent = (event: WatchEvent): string => {
  const meta = event.object.metadata ?? {};
  return `${event.type} ${event.object.kind ?? '?'} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? ''} rv=${meta.resourceVersion ?? '?'}`;
};
const describeTimer = (id: number, label: TimerLabel): string => `timer #${id} ${label.owner}: ${label.purpose}`;

/** A watch the checker holds: everything (kind undefined) or one kind. */
interface CheckedWatch {
  readonly name: string;
  readonly kind: Kind | undefined;
  lastSeen: number;
  /** A watch of one kind: the resourceVersion of the kind's last write (0: none yet). */
  expected: number;
  /** A watch of one kind: its kind was written since the last catch-up check. */
  written: boolean;
}

/** Where a uid's entry says its object was deleted. */
const DELETED = 'deleted';

/** What the checker knows of one kind's writes and objects. */
interface KindState {
  lastRv: number;
  watch: CheckedWatch | undefined;
  /**
   * What the watch of everything showed of each uid: its metadata when first seen (name and
   * namespace, for a report), or DELETED. An object's uid, kind, namespace and name never
   * change, so a change of a live object costs one lookup here and no store.
   */
  readonly shown: Map<string, ObjectMeta | typeof DELETED>;
  /** Entries of `shown` not DELETED. */
  live: number;
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
 * Cost: per write, a few array stores and Map lookups (two watches see each write, through
 * sinks); per timer, a few array stores on schedule and firing (see DueTimes); memory, one
 * entry per pending timer, per live object (its uid and first metadata) and per deleted uid.
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
  /** The write recorded at a trace row (the checker's history and commits keep rows). */
  const writeAt = (row: number): WriteTraceEntry => trace.at(row) as WriteTraceEntry;
  const describeItem = (item: HistoryItem): InvariantHistoryEntry => {
    if (typeof item !== 'number') return { t: item.t, what: `fired ${describeTimer(item.id, item.label)}` };
    const write = writeAt(item);
    return { t: write.t, what: describeWrite(write) };
  };
  const historySize = options.historySize ?? 256;
  const historyLines = options.historyLines ?? 20;
  const client: ApiClient = api.client('invariant-checker');
  const violations: InvariantViolation[] = [];
  let pendingThrow: InvariantViolation | undefined;

  // ---- history: a ring of trace rows (writes) and timer firings, as columns -------------
  // Nothing is allocated per write or firing: items are rebuilt only for a report.
  const ringKind = new Uint8Array(historySize); // RING_EMPTY, RING_WRITE or RING_TIMER
  const ringNumber = new Float64Array(historySize); // the write's trace row, or the timer's id
  const ringT = new Float64Array(historySize);
  const ringLabel = new Array<TimerLabel | undefined>(historySize).fill(undefined);
  let ringNext = 0;
  const rememberWrite = (row: number): void => {
    ringKind[ringNext] = RING_WRITE;
    ringNumber[ringNext] = row;
    ringLabel[ringNext] = undefined;
    ringNext = (ringNext + 1) % historySize;
  };
  const rememberFiring = (t: number, id: number, label: TimerLabel): void => {
    ringKind[ringNext] = RING_TIMER;
    ringNumber[ringNext] = id;
    ringT[ringNext] = t;
    ringLabel[ringNext] = label;
    ringNext = (ringNext + 1) % historySize;
  };
  const recent = (filter?: (item: HistoryItem) => boolean): InvariantHistoryEntry[] => {
    const out: InvariantHistoryEntry[] = [];
    for (let i = 0; i < historySize; i++) {
      const slot = (ringNext + i) % historySize;
      const kind = ringKind[slot];
      if (kind === RING_EMPTY) continue;
      const item: HistoryItem = kind === RING_WRITE ? ringNumber[slot]! : { t: ringT[slot]!, type: 'timer', id: ringNumber[slot]!, label: ringLabel[slot]! };
      if (filter === undefined || filter(item)) out.push(describeItem(item));
    }
    return filter === undefined ? out.slice(-historyLines) : out;
  };
  const aboutObject = (kind: string, namespace: string | undefined, name: string): InvariantHistoryEntry[] =>
    recent((i) => {
      if (typeof i !== 'number') return false;
      const w = writeAt(i);
      return w.kind === kind && w.name === name && (w.namespace ?? '') === (namespace ?? '');
    });

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
  // Columns by slot (rv & mask): the trace tells the checker each write's values and row,
  // and the checker keeps the strings it compares watch events with (references to the
  // objects' own), so a write costs no entry object (issue 8).
  let mask = INITIAL_COMMIT_WINDOW - 1;
  let commitRv = new Float64Array(INITIAL_COMMIT_WINDOW);
  let commitPrevOfKind = new Float64Array(INITIAL_COMMIT_WINDOW);
  let commitRow = new Float64Array(INITIAL_COMMIT_WINDOW);
  let commitKind: string[] = new Array<string>(INITIAL_COMMIT_WINDOW).fill('');
  let commitNamespace: string[] = new Array<string>(INITIAL_COMMIT_WINDOW).fill('');
  let commitName: string[] = new Array<string>(INITIAL_COMMIT_WINDOW).fill('');
  let commitType: WatchEvent['type'][] = new Array<WatchEvent['type']>(INITIAL_COMMIT_WINDOW).fill('ADDED');
  /** Doubles the window; every kept commit moves to its slot in the larger one (distinct rvs stay distinct). */
  const growWindow = (): void => {
    const size = (mask + 1) * 2;
    const rvs = new Float64Array(size);
    const prevs = new Float64Array(size);
    const rows = new Float64Array(size);
    const kindsOf = new Array<string>(size).fill('');
    const namespaces = new Array<string>(size).fill('');
    const names = new Array<string>(size).fill('');
    const types = new Array<WatchEvent['type']>(size).fill('ADDED');
    for (let slot = 0; slot <= mask; slot++) {
      const rv = commitRv[slot]!;
      if (rv === 0) continue;
      const to = rv & (size - 1);
      rvs[to] = rv;
      prevs[to] = commitPrevOfKind[slot]!;
      rows[to] = commitRow[slot]!;
      kindsOf[to] = commitKind[slot]!;
      namespaces[to] = commitNamespace[slot]!;
      names[to] = commitName[slot]!;
      types[to] = commitType[slot]!;
    }
    commitRv = rvs;
    commitPrevOfKind = prevs;
    commitRow = rows;
    commitKind = kindsOf;
    commitNamespace = namespaces;
    commitName = names;
    commitType = types;
    mask = size - 1;
  };
  /** The write committed at `rv`, if the window still holds it. */
  const commitAt = (rv: number): WriteTraceEntry | undefined => (commitRv[rv & mask] === rv ? writeAt(commitRow[rv & mask]!) : undefined);
  /**
   * The last write of each kind (0: none yet), and the checker's watch of it: one lookup per
   * write, and the catch-up check on every timer firing reads the watches' own `expected`.
   */
  const kindStates = new Map<string, KindState>();
  const kindState = (kind: string): KindState => {
    let state = kindStates.get(kind);
    if (state === undefined) kindStates.set(kind, (state = { lastRv: 0, watch: undefined, shown: new Map(), live: 0 }));
    return state;
  };
  let lastRv = Number(api.resourceVersion);
  let writesSinceCatchUp = false;
  /** The checker's watch of everything (set once it is followed, below). */
  let allKinds: CheckedWatch | undefined;
  /**
   * The watches of one kind whose kind was written since the last catch-up check: only
   * those can be behind, and a firing checks them rather than the watch of every kind.
   */
  const writtenWatches: CheckedWatch[] = [];
  /**
   * Whether the commit in `slot` is one the watch of everything has not seen yet. The
   * server offers a change to the watches of its kind first, so a commit the watch of
   * everything has seen, the watch of its kind has seen too (or missed: a report).
   */
  const stillAwaited = (slot: number): boolean => allKinds !== undefined && commitRv[slot]! > allKinds.lastSeen;

  const onWrite: WriteListener = (row, t, verb, kind, namespace, name, rv) => {
    rememberWrite(row);
    if (t < lastNow) checkNow(t, describeWrite(writeAt(row)));
    else lastNow = t;
    if (!(rv > lastRv)) {
      const write = writeAt(row);
      report('resource-version-increases', `resourceVersion ${write.resourceVersion} does not follow ${lastRv} (${describeWrite(write)})`, recent());
      return;
    }
    lastRv = rv;
    // Grow while this write would overwrite a commit the watches have still to see (and
    // the window may still grow).
    while (mask + 1 < COMMIT_WINDOW && stillAwaited(rv & mask)) growWindow();
    const slot = rv & mask;
    commitRv[slot] = rv;
    const state = kindState(kind);
    commitPrevOfKind[slot] = state.lastRv;
    commitRow[slot] = row;
    commitKind[slot] = kind;
    commitNamespace[slot] = namespace ?? '';
    commitName[slot] = name;
    commitType[slot] = eventTypeOf(verb);
    state.lastRv = rv;
    const watch = state.watch;
    if (watch !== undefined) {
      watch.expected = rv;
      if (!watch.written) {
        watch.written = true;
        writtenWatches.push(watch);
      }
    }
    writesSinceCatchUp = true;
  };

  // ---- live objects as the watch of everything shows them ------------------------------
  for (const kind of kinds) {
    const listed = client.list(kind);
    if (E.isLeft(listed)) continue;
    const state = kindState(kind);
    for (const obj of listed.right.items) state.shown.set(obj.metadata?.uid ?? '', obj.metadata ?? {});
    state.live = state.shown.size;
  }

  const onObject = (event: WatchEvent): void => {
    const meta = event.object.metadata ?? {};
    const kind = event.object.kind ?? '';
    const uid = meta.uid ?? '';
    const state = kindState(kind);
    const shown = state.shown.get(uid);
    if (shown === DELETED) {
      report('deleted-not-listed', `${kind} ${describeObject(meta)} (uid ${uid}) changed (${event.type}) after it was deleted`, aboutObject(kind, meta.namespace, meta.name ?? ''));
    }
    if (event.type === 'DELETED') {
      if (shown !== DELETED) {
        state.shown.set(uid, DELETED);
        if (shown !== undefined) state.live--;
      }
      const got = client.get(kind as Kind, meta.name ?? '', meta.namespace);
      if (E.isRight(got) && got.right.metadata?.uid === uid) {
        report(
          'deleted-not-listed',
          `${kind} ${describeObject(meta)} (uid ${uid}) was deleted at resourceVersion ${meta.resourceVersion ?? '?'} but get still returns it (resourceVersion ${got.right.metadata?.resourceVersion ?? '?'})`,
          aboutObject(kind, meta.namespace, meta.name ?? ''),
        );
      }
    } else if (shown === undefined) {
      state.shown.set(uid, meta);
      state.live++;
    }
  };

  // ---- the checker's watches ------------------------------------------------------------
  /** What stops each watch. */
  const stops: (() => void)[] = [];
  const from = api.resourceVersion;
  const check = (watch: CheckedWatch, event: WatchEvent): void => {
    const rv = Number(event.object.metadata?.resourceVersion);
    const meta = event.object.metadata ?? {};
    const slot = rv & mask;
    if (commitRv[slot] !== rv) {
      report('watch-order', `${watch.name} saw ${describeEvent(event)}, which the server never committed (or committed too long ago)`, recent());
    } else if (rv <= watch.lastSeen) {
      report('watch-order', `${watch.name} saw ${describeEvent(event)} after resourceVersion ${watch.lastSeen}: out of commit order`, recent());
    } else if (watch.kind === undefined ? rv !== watch.lastSeen + 1 : commitPrevOfKind[slot]! > watch.lastSeen) {
      const missedRv = watch.kind === undefined ? watch.lastSeen + 1 : commitPrevOfKind[slot]!;
      const missed = commitAt(missedRv);
      report(
        'watch-order',
        `${watch.name} missed ${missed ? describeWrite(missed) : `resourceVersion ${missedRv}`}: after resourceVersion ${watch.lastSeen} it saw ${describeEvent(event)}`,
        recent(),
      );
    } else if (commitKind[slot] !== event.object.kind || commitName[slot] !== meta.name || commitNamespace[slot] !== (meta.namespace ?? '') || commitType[slot] !== event.type) {
      report('watch-order', `${watch.name} saw ${describeEvent(event)} but the server committed ${describeWrite(writeAt(commitRow[slot]!))} at that resourceVersion`, recent());
    }
    if (rv > watch.lastSeen) watch.lastSeen = rv;
  };
  // Sinks, not Observables (issue 8): every write reached two of these watches through three
  // RxJS Subscriber layers. An exception (an onViolation that throws) is reported as a
  // subscriber reports one, config.onUnhandledError or rethrown asynchronously, and
  // delivery goes on, as it did. A watch's error is a violation, and the sink, which ends
  // no subscription, keeps checking whatever the watch still delivers.
  const follow = (name: string, kind: Kind | undefined): void => {
    const watch: CheckedWatch = { name, kind, lastSeen: Number(from), expected: kind === undefined ? 0 : kindState(kind).lastRv, written: false };
    if (kind !== undefined) kindState(kind).watch = watch;
    else allKinds = watch;
    const sink = watchSink(
      (event) => {
        check(watch, event);
        if (kind === undefined) onObject(event);
      },
      { onError: (error) => report('watch-order', `${name} ended with an error: ${error.message ?? 'unknown'}`, recent()) },
    );
    // The client is the caller; the server's own entry point is the one that watches every kind.
    stops.push(api.watchTo(client, kind, { resourceVersion: from }, sink));
  };
  follow('watch of all kinds', undefined);
  for (const kind of kinds) follow(`watch of ${kind}`, kind);

  /** Reports `watch` if it has not seen `last`, and takes it as seen. */
  const caughtUp = (watch: CheckedWatch, last: number): void => {
    if (watch.lastSeen < last) {
      const commit = commitAt(last);
      report('watch-order', `${watch.name} never saw ${commit ? describeWrite(commit) : `resourceVersion ${last}`} (last saw resourceVersion ${watch.lastSeen})`, recent());
      watch.lastSeen = last;
    }
  };
  /** By a timer firing every write has been delivered: a watch behind the server missed the rest. */
  const checkCaughtUp = (): void => {
    writesSinceCatchUp = false;
    if (allKinds !== undefined) caughtUp(allKinds, lastRv);
    // In the order of the kinds' first writes since the last check.
    for (const watch of writtenWatches) {
      watch.written = false;
      caughtUp(watch, watch.expected);
    }
    writtenWatches.length = 0;
  };

  // ---- timers -------------------------------------------------------------------------
  const dueTimes = new DueTimes();
  for (const t of clock.pending()) dueTimes.set(t.id, t.dueAt);
  const cancelled = new Map<number, true>();
  const detachClock = clock.observe({
    scheduled: (id, dueAt) => {
      dueTimes.set(id, dueAt);
    },
    cancelled: (id) => {
      dueTimes.take(id);
      cancelled.set(id, true);
      // Only recent cancellations are remembered, to name the bug; the check needs none.
      if (cancelled.size > RECENTLY_CANCELLED) cancelled.delete(cancelled.keys().next().value!);
    },
    fired: (id, label, previousNow) => {
      const now = clock.now();
      rememberFiring(now, id, label);
      if (writesSinceCatchUp) checkCaughtUp();
      // Worded only for a report: this runs on every timer firing.
      if (previousNow < lastNow) checkNow(previousNow, `before ${describeTimer(id, label)}`);
      else lastNow = previousNow;
      if (now < lastNow) checkNow(now, `firing ${describeTimer(id, label)}`);
      else lastNow = now;
      const due = dueTimes.take(id);
      if (due === undefined) {
        const why = cancelled.has(id) ? 'after it was cancelled' : 'but is not pending (never scheduled, or already fired)';
        report('timer-scheduled', `${describeTimer(id, label)} fired at ${now} ms ${why}`, recent());
      } else {
        if (now < due) report('timer-scheduled', `${describeTimer(id, label)} fired at ${now} ms, before its due time ${due} ms`, recent());
      }
      raisePending();
    },
  });
  const untrace = trace.onWrite(onWrite);

  /** The uid of the live object the watch showed as `kind` namespace/name, if any (for a report). */
  const shownUidOf = (state: KindState, namespace: string | undefined, name: string | undefined): string | undefined => {
    for (const [uid, shown] of state.shown) if (shown !== DELETED && shown.name === name && (shown.namespace ?? '') === (namespace ?? '')) return uid;
    return undefined;
  };

  const audit = (): void => {
    if (writesSinceCatchUp) checkCaughtUp();
    for (const kind of kinds) {
      const listed = client.list(kind);
      if (E.isLeft(listed)) continue;
      const state = kindState(kind);
      for (const obj of listed.right.items as readonly KubeObject[]) {
        const meta = obj.metadata ?? {};
        const uid = meta.uid ?? '';
        const shown = state.shown.get(uid);
        if (shown === DELETED) {
          report('deleted-not-listed', `${kind} ${describeObject(meta)} (uid ${uid}) is listed after it was deleted`, aboutObject(kind, meta.namespace, meta.name ?? ''));
        } else if (shown === undefined) {
          const shownUid = shownUidOf(state, meta.namespace, meta.name);
          report('deleted-not-listed', `${kind} ${describeObject(meta)} (uid ${uid}) is listed but the watch shows ${shownUid !== undefined ? `uid ${shownUid}` : 'no such object'}`, aboutObject(kind, meta.namespace, meta.name ?? ''));
        }
      }
      if (listed.right.items.length !== state.live) {
        report('deleted-not-listed', `list of ${kind} returns ${listed.right.items.length} objects, the watch shows ${state.live}`, recent());
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
        stops.forEach((stop) => stop());
      }
    },
  };
};
