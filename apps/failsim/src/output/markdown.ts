// `failsim run --output markdown`: the run as a report to paste into an issue or a wiki.
// A title and a one-line summary (scenario, profile, seed, verdict); a timeline table of
// the steps, the transitions and the Warning Events (the Normal ones are in the
// transcript); what an operator would have seen (the snapshots of capture.ts) as fenced
// text blocks under a heading per step; the expectations as a checklist. Like the
// transcript, objects of kube-system are left out, and a large cluster's routine of Pods
// starting is counted (routine.ts).
import type { ScenarioResult, StepRecord } from '@failsim/scenarios';
import { WATCH_ABOVE_ROWS, type Capture, type Snapshot } from './capture.js';
import { gatherRoutine, isRoutine, podsIn, routineSummary } from './routine.js';
import type { TimelineEntry } from './timeline.js';
import { append, isSystemObject, shortObject, storyTimeline, value } from './transcript.js';
import { virtualTime } from './virtual-time.js';

/** A table cell: one line, pipes escaped, long text cut. */
export const cell = (text: string, max = 160): string => {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  const cut = [...line].length > max ? `${[...line].slice(0, max - 1).join('')}…` : line;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
};

/** Inline code that survives backticks in the text. */
const code = (text: string): string => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

const time = (at: number): string => virtualTime(at).slice(2);

/** Whether the timeline table has a row for `entry`: Normal Events are routine (Pulling, Scheduled…); the Warnings are the story. */
const inTable = (entry: TimelineEntry): boolean => entry.type !== 'event' || entry.eventType === 'Warning';

const row = (entry: TimelineEntry): string | undefined => {
  switch (entry.type) {
    case 'step':
      return `| ${time(entry.at)} | ${cell(code(entry.command))}${entry.ok ? '' : ' (failed)'} | ${cell(entry.output.split('\n').find((l) => l.trim() !== '') ?? '')} |`;
    case 'transition':
      return `| ${time(entry.at)} | ${cell(shortObject(entry.object))} | ${entry.field} ${cell(value(entry.from))} → ${cell(value(entry.to))} |`;
    case 'event':
      return inTable(entry) ? `| ${time(entry.at)} | ${cell(shortObject(entry.object))} | ⚠ ${cell(`${entry.reason}: ${entry.message}${entry.count > 1 ? ` (×${entry.count})` : ''}`)} |` : undefined;
  }
};

const block = (snapshot: Snapshot): string[] => [
  `${virtualTime(snapshot.at)} (${snapshot.reason}): ${snapshot.typed ? code(`$ ${snapshot.command}`) : snapshot.command}`,
  '',
  '```text',
  ...snapshot.lines.map((l) => l.trimEnd()),
  '```',
  '',
];

/**
 * The timeline's rows; above WATCH_ABOVE_ROWS Pods, as the transcript does, the routine of
 * Pods starting in one second is one row where its first entry was (its Normal Events,
 * which the table leaves out, are counted in it).
 */
const timelineRows = (entries: readonly TimelineEntry[]): string[] => {
  const items = podsIn(entries) > WATCH_ABOVE_ROWS ? gatherRoutine(entries, time, (_, entry) => !isRoutine(entry) && inTable(entry)) : entries;
  const rows: string[] = [];
  for (const item of items) {
    const text = item.type === 'routine' ? `| ${time(item.at)} | routine | ${cell(routineSummary(item.entries), 400)} |` : row(item);
    if (text !== undefined) rows.push(text);
  }
  return rows;
};

/** The step a snapshot belongs to: the last one started at or before it. */
const stepOf = (steps: readonly StepRecord[], snapshot: Snapshot): StepRecord | undefined =>
  [...steps].filter((s) => s.at <= snapshot.at).sort((a, b) => a.at - b.at).pop();

/** The Markdown report of a run, ending with a newline. */
export const markdown = (capture: Capture): string => markdownLines(capture).join('\n');

/** The lines of the Markdown report of a run, the last one empty. */
export const markdownLines = (capture: Capture): string[] => {
  const { result, snapshots, title } = capture;
  const out: string[] = [`# ${title}`, '', summary(result), '', '## Timeline', '', '| T+ | what | detail |', '|---|---|---|'];
  append(out, timelineRows(storyTimeline(result)));
  out.push('');
  if (snapshots.length > 0) {
    out.push('## What an operator saw', '');
    let heading: string | undefined;
    for (const snapshot of snapshots) {
      const step = snapshot.reason === 'end of run' ? undefined : stepOf(result.steps, snapshot);
      const h = step ? `### ${virtualTime(step.at)} ${code(step.command.length > 100 ? `${step.command.slice(0, 99)}…` : step.command)}` : `### End of run (${virtualTime(snapshot.at)})`;
      if (h !== heading) out.push(h, '');
      heading = h;
      append(out, block(snapshot));
    }
  }
  out.push('## Expectations', '');
  if (result.expectations.length === 0) out.push('No expectations.');
  for (const e of result.expectations) out.push(`- [${e.passed ? 'x' : ' '}] ${e.description}${e.detail === '' ? '' : ` — ${e.detail}`}`);
  const hazards = result.hazards.filter((h) => !isSystemObject(h.object));
  if (hazards.length > 0) out.push('', '## Hazards', '', ...hazards.map((h) => `- ⚠ ${virtualTime(h.at)} **${h.kind}**: ${h.message}`));
  out.push('');
  return out;
};

/** `` `name` · profile 1.12 · seed 7 · **PASSED** ``. */
const summary = (result: ScenarioResult): string => `${code(result.scenario)} · profile ${result.profile} · seed ${result.seed} · **${result.passed ? 'PASSED' : 'FAILED'}**`;
