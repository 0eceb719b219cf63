// `failsim run NAME|FILE`: runs a scenario with runScenario of @failsim/scenarios and
// prints the result as a transcript, a Markdown report, the JSON contract, or NDJSON records.
import type { ProfileOverrides, VersionProfile } from '@failsim/controllers';
import { findProfile, profiles, withOverrides } from '@failsim/controllers';
import { InvariantViolation } from '@failsim/core';
import { mergeOverrides, parseDuration, parseSetting } from '@failsim/scenarios';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';
import { captureRun, type Capture } from '../output/capture.js';
import { inChunks, jsonChunks } from '../output/chunks.js';
import { markdownLines } from '../output/markdown.js';
import { ndjsonLines } from '../output/ndjson.js';
import { transcriptLines } from '../output/transcript.js';
import { loadScenarioArgument } from '../scenario-source.js';

/** The formats of `--output`. */
export const OUTPUTS = ['transcript', 'markdown', 'json', 'ndjson'] as const;
/** One of {@link OUTPUTS}. */
export type OutputFormat = (typeof OUTPUTS)[number];

/** The parsed flags of `failsim run`. */
export interface RunFlags {
  readonly profile?: VersionProfile;
  readonly seed?: number;
  /** Virtual ms. */
  readonly until?: number;
  readonly output: OutputFormat;
  /** `--set NAME=VALUE`…, applied over the scenario's overrides and `--profile`. */
  readonly set?: ProfileOverrides;
}

/** `--profile`: a profile failsim ships (`1.12`, `v1.28`…). */
export const parseProfileFlag = (text: string): VersionProfile => {
  const profile = findProfile(text);
  if (!profile) throw new InvalidArgumentError(`unknown profile (failsim has ${profiles.map((p) => p.name).join(', ')}).`);
  return profile;
};

/** `--seed`: a non-negative integer the random source accepts. */
export const parseSeedFlag = (text: string): number => {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new InvalidArgumentError('the seed is a non-negative integer.');
  return Number(text);
};

/** `--until`: a positive Go-style duration. */
export const parseUntilFlag = (text: string): number => {
  const ms = parseDuration(text);
  if (ms._tag === 'Left') throw new InvalidArgumentError(`${ms.left}.`);
  if (ms.right <= 0) throw new InvalidArgumentError('the end of the run must be after its start.');
  return ms.right;
};

/**
 * `--set NAME=VALUE`, collected: each setting merged into the overrides so far (a later
 * `--set` of the same name wins). Throws commander's InvalidArgumentError with one message
 * for a missing `=`, an unknown name (with a did-you-mean) or a bad value.
 * @example collectSetting('node-monitor-grace-period=50s') // { options: { nodeMonitorGracePeriod: 50_000 } }
 */
export const collectSetting = (text: string, previous: ProfileOverrides = {}): ProfileOverrides => {
  // Any profile names every key with its type; the value is checked again under the run's profile.
  const setting = parseSetting(profiles[0]!, text);
  if (setting._tag === 'Left') throw new InvalidArgumentError(`${setting.left}.`);
  return mergeOverrides(previous, setting.right);
};

/** Each output in pieces (output/chunks.ts): a 5,000-node run's would be near V8's cap on a string's length as one. */
const render: Record<OutputFormat, (capture: Capture) => Iterable<string>> = {
  json: function* ({ result }) {
    yield* jsonChunks(result);
    yield '\n';
  },
  markdown: (capture) => inChunks(markdownLines(capture)),
  ndjson: ({ result }) => inChunks([...ndjsonLines(result), '']),
  transcript: ({ result, snapshots }) => inChunks(transcriptLines(result, snapshots)),
};

/** Loads and runs scenario `arg`, prints the result; 0 passed, 1 failed, 2 bad input. */
export const run = (io: Io, arg: string, flags: RunFlags): ExitCodeValue => {
  const scenario = loadScenarioArgument(io, arg);
  if (!scenario) return ExitCode.usage;
  // Another profile keeps the scenario's overrides: they name what the scenario is about.
  // `--set` goes last, over both (re-applying the overrides to the scenario's own profile,
  // which already has them, changes nothing).
  const profile = flags.profile === undefined && flags.set === undefined ? undefined : withOverrides(withOverrides(flags.profile ?? scenario.profile, scenario.overrides), flags.set);
  let capture: Capture;
  try {
    capture = captureRun(scenario, {
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.until !== undefined ? { until: flags.until } : {}),
      ...(profile ? { profile } : {}),
    });
  } catch (e) {
    // Not the scenario's fault: the model broke one of its own rules. Say so, with its history.
    if (!(e instanceof InvariantViolation)) throw e;
    io.err(`failsim: internal error, please report it with the scenario: ${e.message}\n`);
    return ExitCode.internal;
  }
  for (const piece of render[flags.output](capture)) io.out(piece);
  return capture.result.passed ? ExitCode.ok : ExitCode.failed;
};

/** The `run` command. */
export const runCommand = (io: Io, exit: (code: ExitCodeValue) => void): Command =>
  new Command('run')
    .description('run a scenario and check its expectations (exit 0 passed, 1 failed, 2 bad input, 3 failsim broke an invariant)')
    .argument('<NAME|FILE>', 'a scenario of the library (failsim list), or a file path')
    .option('--profile <V>', 'run under another version profile (the scenario\'s overrides still apply)', parseProfileFlag)
    .option('--seed <N>', 'replace the scenario\'s seed', parseSeedFlag)
    .option('--until <D>', 'end of the run in virtual time (e.g. 30m, 2h)', parseUntilFlag)
    .option('--set <NAME=VALUE>', 'override a profile option, feature gate or behaviour by its upstream name (node-monitor-grace-period=50s, NodeOutOfServiceVolumeDetach=false); repeatable', collectSetting)
    .addOption(new Option('--output <format>', 'how to print the result').choices(OUTPUTS).default('transcript'))
    .action((arg: string, options: RunFlags) => exit(run(io, arg, options)));
