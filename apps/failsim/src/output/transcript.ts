// `failsim run` (default output): the run as a person reads it. One line per step,
// transition and Event with the virtual time in the left margin, then the expectations
// with ✓/✗ and their details, then the verdict.
//   T+05:40  pod/cassandra/cassandra-0  status Running → Unknown
import type { ScenarioResult } from '@failsim/scenarios';
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

const MARGIN = 11;
const value = (v: string | null): string => (v === null ? '(none)' : v === '' ? '""' : v);

const entryLines = (entry: TimelineEntry): string[] => {
  const time = virtualTime(entry.at).padEnd(MARGIN);
  const indent = ' '.repeat(MARGIN + 2);
  switch (entry.type) {
    case 'step': {
      // What the command printed follows, indented, so a failing step shows why.
      const output = entry.output === '' ? [] : entry.output.split('\n').map((l) => (l === '' ? '' : `${indent}${l}`));
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

/** The transcript of `result`, ending with a newline. */
export const transcript = (result: ScenarioResult): string => {
  const lines = timeline(result).flatMap(entryLines);
  const expectations = result.expectations.flatMap((e) => [`  ${e.passed ? '✓' : '✗'} ${e.description}`, ...(e.detail === '' ? [] : [`      ${e.detail}`])]);
  const verdict = `${result.passed ? 'PASSED' : 'FAILED'}  ${result.scenario} (profile ${result.profile}, seed ${result.seed})`;
  return [...lines, '', result.expectations.length > 0 ? 'Expectations:' : 'No expectations.', ...expectations, '', verdict, ''].join('\n');
};
