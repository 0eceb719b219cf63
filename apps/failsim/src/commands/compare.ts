// `failsim compare NAME|FILE --profile A --profile B …`: runs one scenario under several
// version profiles and prints the key moments side by side — when nodes and pods changed
// status, when nodes were tainted, when the storage events came, how many expectations held — so the difference
// between versions reads in one table.
import { withOverrides, tabwrite, GET_TAB_WRITER, type ProfileOverrides, type VersionProfile } from '@failsim/controllers';
import { runScenario, type ScenarioResult } from '@failsim/scenarios';
import { Command, InvalidArgumentError } from 'commander';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';
import { isSystemObject } from '../output/transcript.js';
import { virtualTime } from '../output/virtual-time.js';
import { loadScenarioArgument } from '../scenario-source.js';
import { collectSetting, parseProfileFlag } from './run.js';

/** Events whose first occurrence is a key moment. */
const KEY_REASONS = new Set([
  'NodeControllerEviction',
  'TaintManagerEviction',
  'FailedAttachVolume',
  'FailedMount',
  'SuccessfulAttachVolume',
  'VolumeDataDeleted',
]);

/** Objects whose moments matter to the user: everything but the cluster's own (as the transcript). */
const interesting = (object: string): boolean => !isSystemObject(object);

/**
 * Nodes named by their role in the story: `Node(cassandra-0)` for the node a workload pod
 * was first scheduled to. Under another profile the scheduler may pick another worker;
 * named so, the moments of "the node of cassandra-0" line up across columns.
 */
export const nodeRoles = (result: ScenarioResult): Map<string, string> => {
  const roles = new Map<string, string>();
  for (const t of result.transitions) {
    if (t.field !== 'node' || t.to === null || !interesting(t.object) || roles.has(`Node/${t.to}`)) continue;
    roles.set(`Node/${t.to}`, `Node(${t.object.split('/').pop() ?? ''})`);
  }
  return roles;
};

/** Steps that set up or look, not faults or repairs: the apply of the resources and `kubectl exec`. */
const isObservation = (command: string): boolean => command.startsWith('kubectl apply') || command.startsWith('kubectl exec');

/**
 * Time to recovery: from the first step that is a fault or an operator action to the last
 * time a workload pod became Running, when every workload pod ends Running; undefined when
 * the run never recovers (or has no such step).
 */
export const timeToRecovery = (result: ScenarioResult): number | undefined => {
  const fault = result.steps.find((s) => !isObservation(s.command));
  if (fault === undefined) return undefined;
  const last = new Map<string, { at: number; to: string | null }>();
  for (const t of result.transitions) if (t.field === 'status' && t.object.startsWith('Pod/') && interesting(t.object)) last.set(t.object, { at: t.at, to: t.to });
  const finals = [...last.values()].filter((v) => v.to !== null);
  if (finals.length === 0 || finals.some((v) => v.to !== 'Running')) return undefined;
  const at = Math.max(...finals.map((v) => v.at));
  return at >= fault.at ? at - fault.at : undefined;
};

/**
 * Key moments of one run: label → virtual second. A moment that happens again (a pod
 * Running again after a failure) gets its occurrence number, so recovery shows too.
 */
export const keyMoments = (result: ScenarioResult): Map<string, number> => {
  const roles = nodeRoles(result);
  const name = (object: string): string => roles.get(object) ?? object;
  const moments = new Map<string, number>();
  const seen = new Map<string, number>();
  const first = (label: string, at: number): void => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    moments.set(n === 1 ? label : `${label} (#${n})`, at);
  };
  // When each Node registered: the taints it registered with (a control plane's role) are no moment either.
  const registered = new Map<string, number>();
  for (const t of result.transitions) {
    if (!interesting(t.object)) continue;
    if (t.field === 'taints') {
      // Each taint put on or taken off a Node (not its deletion): 1.12's NoSchedule only
      // against the NoExecute taint of taint-based eviction, a recovery's removal.
      if (t.to === null || (t.from === null && registered.get(t.object) === t.at)) continue;
      const before = t.from ? t.from.split(',') : [];
      const after = t.to ? t.to.split(',') : [];
      for (const taint of after) if (!before.includes(taint)) first(`${name(t.object)} tainted ${taint}`, t.at);
      for (const taint of before) if (!after.includes(taint)) first(`${name(t.object)} untainted ${taint}`, t.at);
      continue;
    }
    if (t.field !== 'status') continue;
    // Every node registers at the start under every profile: not a moment worth a row.
    if (t.object.startsWith('Node/') && t.from === null) {
      registered.set(t.object, t.at);
      continue;
    }
    first(`${name(t.object)} ${t.to === null ? 'removed' : `→ ${t.to}`}`, t.at);
  }
  // Events aggregate (count moves on one Event), so each reason counts once per object.
  const reported = new Set<string>();
  for (const e of result.events) {
    const label = `${e.reason} on ${e.object}`;
    if (KEY_REASONS.has(e.reason) && interesting(e.object) && !reported.has(label)) {
      reported.add(label);
      first(label, e.at);
    }
  }
  return moments;
};

/** The comparison table: one row per moment (in order of first occurrence), one column per run. */
export const compareTable = (runs: readonly { readonly name: string; readonly result: ScenarioResult }[]): string[] => {
  const perRun = runs.map((r) => keyMoments(r.result));
  const earliest = new Map<string, number>();
  for (const moments of perRun) for (const [label, at] of moments) earliest.set(label, Math.min(earliest.get(label) ?? at, at));
  // Sorted by time; at one instant, in the order the first run recorded them (sort is stable).
  const labels = [...earliest.keys()].sort((a, b) => earliest.get(a)! - earliest.get(b)!);
  const rows = [
    ['MOMENT', ...runs.map((r) => `PROFILE ${r.name}`)],
    ...labels.map((label) => [label, ...perRun.map((m) => (m.has(label) ? virtualTime(m.get(label)!) : '—'))]),
    ['time to recovery (first fault → workload Running)', ...runs.map((r) => {
      const ttr = timeToRecovery(r.result);
      return ttr === undefined ? 'not recovered' : virtualTime(ttr).replace(/^T\+/, '');
    })],
    ['expectations held', ...runs.map((r) => `${r.result.expectations.filter((e) => e.passed).length}/${r.result.expectations.length}`)],
  ];
  return tabwrite(rows.map((cells) => cells.join('\t')).join('\n'), GET_TAB_WRITER);
};

/** Runs scenario `arg` under each profile (with `set` over every column) and prints the table; 0, or 2 for bad input. */
export const compare = (io: Io, arg: string, profiles: readonly VersionProfile[], set?: ProfileOverrides): ExitCodeValue => {
  if (profiles.length < 2) {
    io.err('error: compare needs at least two --profile options\n');
    return ExitCode.usage;
  }
  const scenario = loadScenarioArgument(io, arg);
  if (!scenario) return ExitCode.usage;
  const runs = profiles.map((profile) => ({
    name: profile.name,
    // The scenario's overrides still apply: they say what the scenario is about; `--set` goes over them.
    result: runScenario(scenario, { profile: withOverrides(withOverrides(profile, scenario.overrides), set) }).runToEnd(),
  }));
  io.out(`${compareTable(runs).join('\n')}\n`);
  return ExitCode.ok;
};

const collectProfile = (text: string, previous: VersionProfile[] = []): VersionProfile[] => {
  const profile = parseProfileFlag(text);
  if (previous.some((p) => p.name === profile.name)) throw new InvalidArgumentError(`profile ${profile.name} is given twice.`);
  return [...previous, profile];
};

/** The `compare` command. */
export const compareCommand = (io: Io, exit: (code: ExitCodeValue) => void): Command =>
  new Command('compare')
    .description('run a scenario under several version profiles and print its key moments side by side')
    .argument('<NAME|FILE>', 'a scenario of the library (failsim list), or a file path')
    .requiredOption('--profile <V>', 'a version profile; give it two times or more', collectProfile)
    .option('--set <NAME=VALUE>', 'override a profile option, feature gate or behaviour in every column (as run --set); repeatable', collectSetting)
    .action((arg: string, options: { profile: VersionProfile[]; set?: ProfileOverrides }) => exit(compare(io, arg, options.profile, options.set)));
