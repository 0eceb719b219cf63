// `failsim run` (default output): the run as an operator would have followed it. One line
// per step, transition and Event with the virtual time in the left margin; under the line
// that changed something, indented, what the operator's terminal would have printed then
// (`$ kubectl get pods -o wide`, `$ kubectl describe pod …`, vSphere's Recent Tasks — the
// snapshots of capture.ts); at the end the Events and the Pods described; then the
// expectations with ✓/✗ and their details, then the verdict. Objects of kube-system are
// left out of the lines (the cluster's own DNS, proxy and flannel Pods restarting would
// bury the scenario's story); `--output json` keeps them. In a cluster of more than
// WATCH_ABOVE_ROWS workload Pods, the routine of Pods starting (routine.ts) is counted on
// one line per instant instead.
//   T+05:40    pod/cassandra/cassandra-0  status Running → Unknown
//                $ kubectl get pods -o wide -n cassandra
//                NAME          READY   STATUS    RESTARTS   AGE   IP …
import type { ScenarioResult } from '@failsim/scenarios';
import { WATCH_ABOVE_ROWS, type Snapshot } from './capture.js';
import { gatherRoutine, isRoutine, podsIn, routineSummary } from './routine.js';
import { timeline, type TimelineEntry } from './timeline.js';
import { virtualTime } from './virtual-time.js';

/** Kinds as scenario files name objects (`node/…`, `pv/…`, `vm/…`), not as the API does. */
const SHORT_KIND: Record<string, string> = {
  Node: 'node',
  Pod: 'pod',
  PersistentVolume: 'pv',
  PersistentVolumeClaim: 'pvc',
  VirtualMachine: 'vm',
  StatefulSet: 'statefulset',
  Deployment: 'deployment',
};

/** `pod/cassandra/cassandra-0` from the runner's `Pod/cassandra/cassandra-0`. */
export const shortObject = (key: string): string => {
  const slash = key.indexOf('/');
  if (slash < 0) return key;
  const kind = key.slice(0, slash);
  return `${SHORT_KIND[kind] ?? kind.toLowerCase()}${key.slice(slash)}`;
};

/** True for records about the cluster's own objects (`Pod/kube-system/…`), which the readable outputs leave out. */
export const isSystemObject = (key: string): boolean => key.split('/')[1] === 'kube-system' && key.split('/').length === 3;

/** The timeline of `result` without the cluster's own objects: the story of the scenario. */
export const storyTimeline = (result: ScenarioResult): TimelineEntry[] => timeline(result).filter((e) => e.type === 'step' || !isSystemObject(e.object));

const MARGIN = 11;
const INDENT = ' '.repeat(MARGIN + 2);
/** A field's value as the lines print it: `(none)` for absent, `""` for empty. */
export const value = (v: string | null): string => (v === null ? '(none)' : v === '' ? '""' : v);
const indented = (lines: readonly string[]): string[] => lines.map((l) => (l.trimEnd() === '' ? '' : `${INDENT}${l.trimEnd()}`));

const entryLines = (entry: TimelineEntry): string[] => {
  const time = virtualTime(entry.at).padEnd(MARGIN);
  switch (entry.type) {
    case 'step': {
      // What the command printed follows, indented, so a failing step shows why.
      const output = entry.output === '' ? [] : indented(entry.output.split('\n'));
      return [`${time}$ ${entry.command}${entry.ok ? '' : '   (failed)'}`, ...output];
    }
    case 'transition':
      return [`${time}${shortObject(entry.object)}  ${entry.field} ${value(entry.from)} → ${value(entry.to)}`];
    case 'event':
      return [
        `${time}${shortObject(entry.object)}  ${entry.eventType} ${entry.reason}: ${entry.message}${entry.count > 1 ? ` (×${entry.count})` : ''}  [${entry.source}]`,
      ];
  }
};

/**
 * Appends `items` to `lines`: `lines.push(...items)` passes each item as an argument, and
 * past ~100,000 (the first watch rows of a 5,000-node run: 150,000 new Pods) it overflows
 * the stack.
 */
export const append = <T>(lines: T[], items: readonly T[]): void => {
  for (const item of items) lines.push(item);
};

/** A snapshot as typed and printed (`$ command`, or `[vSphere Client: Recent Tasks]` for a pane), then its output, indented under the margin. */
export const snapshotLines = (snapshot: Snapshot): string[] => indented([snapshot.typed ? `$ ${snapshot.command}` : `[${snapshot.command}]`, ...snapshot.lines]);

/** The transcript of `result` (see {@link transcriptLines}), ending with a newline. */
export const transcript = (result: ScenarioResult, snapshots: readonly Snapshot[] = []): string => transcriptLines(result, snapshots).join('\n');

/**
 * The lines of the transcript of `result`, the last one empty (joined by newlines, the
 * text ends with one). Each snapshot goes after the last line at or before its time;
 * when its second is not the one in the margin above it (a bosh task ends minutes after
 * its step began, the end of the run), a margin line with its time and reason comes first.
 */
export const transcriptLines = (result: ScenarioResult, snapshots: readonly Snapshot[] = []): string[] => {
  const lines: string[] = [];
  let margin: string | undefined;
  let next = 0;
  const emitSnapshotsBefore = (at: number): void => {
    for (; next < snapshots.length && snapshots[next]!.at < at; next++) {
      const snapshot = snapshots[next]!;
      const time = virtualTime(snapshot.at);
      if (time !== margin) lines.push(`${time.padEnd(MARGIN)}(${snapshot.reason})`);
      margin = time;
      append(lines, snapshotLines(snapshot));
    }
  };
  const entries = storyTimeline(result);
  // In a large cluster the routine of Pods starting is told as one line, where its first
  // entry was, until another line, a snapshot or the next second in the margin.
  // Whether a snapshot falls in [from, to): those before `next` were printed, before `from`.
  const snapshotBetween = (from: number, to: number): boolean => {
    for (let i = next; i < snapshots.length && snapshots[i]!.at < to; i++) if (snapshots[i]!.at >= from) return true;
    return false;
  };
  const items = podsIn(entries) > WATCH_ABOVE_ROWS ? gatherRoutine(entries, virtualTime, (previous, entry) => !isRoutine(entry) || snapshotBetween(previous.at, entry.at)) : entries;
  for (const item of items) {
    emitSnapshotsBefore(item.at);
    if (item.type === 'routine') lines.push(`${virtualTime(item.at).padEnd(MARGIN)}${routineSummary(item.entries)}`);
    else append(lines, entryLines(item));
    margin = virtualTime(item.at);
  }
  emitSnapshotsBefore(Infinity);
  const expectations = result.expectations.flatMap((e) => [`  ${e.passed ? '✓' : '✗'} ${e.description}`, ...(e.detail === '' ? [] : [`      ${e.detail}`])]);
  // Real-world dangers the run reproduced: not failures of the scenario, but what it warns of.
  const hazards = result.hazards.filter((h) => !isSystemObject(h.object)).map((h) => `  ⚠ ${virtualTime(h.at)}  ${h.kind}: ${h.message}`);
  lines.push('', result.expectations.length > 0 ? 'Expectations:' : 'No expectations.');
  append(lines, expectations);
  if (hazards.length > 0) lines.push('', 'Hazards:', ...hazards);
  lines.push('', verdict(result), '');
  return lines;
};

/** `PASSED  name (profile 1.12, seed 7)`. */
export const verdict = (result: ScenarioResult): string => `${result.passed ? 'PASSED' : 'FAILED'}  ${result.scenario} (profile ${result.profile}, seed ${result.seed})`;
