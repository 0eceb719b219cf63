// The routine of a Pod's start, counted instead of told line by line in a large cluster's
// transcript: a 5,000-node zone failure's timeline is 2.0 M lines, 1.5 M of them Pods
// being created, bound, pulled and started (SuccessfulCreate, Scheduled, Pulling, Pulled,
// Created, Started; Pending → ContainerCreating → Running). An operator watching such a
// cluster reads those as a count; what is out of the ordinary (a Warning, Terminating,
// Unknown, a Pod's node lost) keeps its own line.
import type { TimelineEntry } from './timeline.js';

/** STATUS values of a normal start. */
const STARTING = new Set(['Pending', 'ContainerCreating', 'Running']);
/** Normal Events about a Pod on its way to Running. */
const STARTING_EVENTS = new Set(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
/** Kinds (as the runner keys objects) whose Normal SuccessfulCreate Event creates a Pod. */
const POD_MAKERS = ['ReplicaSet/', 'StatefulSet/', 'DaemonSet/', 'Job/'];

/** How many Pods the transitions among `entries` name: above WATCH_ABOVE_ROWS, a cluster whose routine is counted. */
export const podsIn = (entries: readonly TimelineEntry[]): number =>
  new Set(entries.flatMap((e) => (e.type === 'transition' && e.object.startsWith('Pod/') ? [e.object] : []))).size;

/** Whether `entry` is part of a Pod's normal start. */
export const isRoutine = (entry: TimelineEntry): boolean => {
  if (entry.type === 'transition') {
    if (!entry.object.startsWith('Pod/')) return false;
    if (entry.field === 'node') return entry.from === null && entry.to !== null;
    return entry.field === 'status' && entry.to !== null && STARTING.has(entry.to) && (entry.from === null || STARTING.has(entry.from));
  }
  if (entry.type !== 'event' || entry.eventType !== 'Normal') return false;
  if (entry.object.startsWith('Pod/')) return STARTING_EVENTS.has(entry.reason);
  return entry.reason === 'SuccessfulCreate' && POD_MAKERS.some((kind) => entry.object.startsWith(kind));
};

/** `1,234`: a count as the transcript's readers write it (routine lines, describe comments). */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** `a 3 · b 1`: each key with its count, in the order first met. */
const tally = (keys: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].map(([key, n]) => `${key} ${formatCount(n)}`).join(' · ');
};

/**
 * One line's text for the routine entries of one instant (not empty): how many Pods,
 * the STATUS they reached, how many were bound to a node, and the Normal Events by reason.
 * @example routineSummary(entries) // 'routine starts of 3,000 Pods: status: Pending 3,000 · Running 2,950; bound to a node 3,000; Normal: Scheduled 3,000 · Started 2,950'
 */
export const routineSummary = (entries: readonly TimelineEntry[]): string => {
  const pods = new Set<string>();
  const reached: string[] = [];
  const events: string[] = [];
  let bound = 0;
  for (const entry of entries) {
    if (entry.type === 'transition') {
      pods.add(entry.object);
      if (entry.field === 'node') bound++;
      else reached.push(entry.to ?? '');
    } else if (entry.type === 'event') {
      if (entry.object.startsWith('Pod/')) pods.add(entry.object);
      events.push(entry.reason);
    }
  }
  const parts = [
    ...(reached.length > 0 ? [`status: ${tally(reached)}`] : []),
    ...(bound > 0 ? [`bound to a node ${formatCount(bound)}`] : []),
    ...(events.length > 0 ? [`Normal: ${tally(events)}`] : []),
  ];
  const of = pods.size === 0 ? '' : ` of ${formatCount(pods.size)} Pod${pods.size === 1 ? '' : 's'}`;
  return `routine starts${of}: ${parts.join('; ')}`;
};

/** Routine entries told as one line (see {@link gatherRoutine}). */
export interface RoutineRun {
  readonly type: 'routine';
  /** The virtual seconds of its first entry, where it is told. */
  readonly at: number;
  readonly entries: readonly TimelineEntry[];
}

/**
 * `entries` with each run of routine ones (isRoutine) gathered into one RoutineRun, told
 * where its first entry was; other entries pass through. A run holds the entries of one
 * `second` (as the output prints the time) and ends before an entry for which
 * `ends(previous, entry)` holds: a line the output prints, a snapshot between the two.
 * @example gatherRoutine(entries, virtualTime, (_, entry) => !isRoutine(entry))
 */
export function* gatherRoutine(
  entries: readonly TimelineEntry[],
  second: (at: number) => string,
  ends: (previous: TimelineEntry, entry: TimelineEntry) => boolean,
): Generator<TimelineEntry | RoutineRun> {
  let run: TimelineEntry[] = [];
  let previous: TimelineEntry | undefined;
  for (const entry of entries) {
    if (run.length > 0 && (second(entry.at) !== second(run[0]!.at) || ends(previous!, entry))) {
      yield { type: 'routine', at: run[0]!.at, entries: run };
      run = [];
    }
    if (isRoutine(entry)) run.push(entry);
    else yield entry;
    previous = entry;
  }
  if (run.length > 0) yield { type: 'routine', at: run[0]!.at, entries: run };
}
