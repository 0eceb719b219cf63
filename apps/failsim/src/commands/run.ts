// `failsim run NAME|FILE`: runs a scenario with runScenario of @failsim/scenarios and
// prints the result as a transcript, the JSON contract, or NDJSON records.
import type { VersionProfile } from '@failsim/controllers';
import { findProfile, profiles, withOverrides } from '@failsim/controllers';
import { parseDuration, runScenario, type ScenarioResult } from '@failsim/scenarios';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';
import { ndjson } from '../output/ndjson.js';
import { transcript } from '../output/transcript.js';
import { loadScenarioArgument } from '../scenario-source.js';

/** The formats of `--output`. */
export const OUTPUTS = ['transcript', 'json', 'ndjson'] as const;
/** One of {@link OUTPUTS}. */
export type OutputFormat = (typeof OUTPUTS)[number];

/** The parsed flags of `failsim run`. */
export interface RunFlags {
  readonly profile?: VersionProfile;
  readonly seed?: number;
  /** Virtual ms. */
  readonly until?: number;
  readonly output: OutputFormat;
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

const render: Record<OutputFormat, (result: ScenarioResult) => string> = {
  json: (result) => `${JSON.stringify(result, null, 2)}\n`,
  ndjson,
  transcript,
};

/** Loads and runs scenario `arg`, prints the result; 0 passed, 1 failed, 2 bad input. */
export const run = (io: Io, arg: string, flags: RunFlags): ExitCodeValue => {
  const scenario = loadScenarioArgument(io, arg);
  if (!scenario) return ExitCode.usage;
  const result = runScenario(scenario, {
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.until !== undefined ? { until: flags.until } : {}),
    // Another profile keeps the scenario's overrides: they name what the scenario is about.
    ...(flags.profile ? { profile: withOverrides(flags.profile, scenario.overrides) } : {}),
  }).runToEnd();
  io.out(render[flags.output](result));
  return result.passed ? ExitCode.ok : ExitCode.failed;
};

/** The `run` command. */
export const runCommand = (io: Io, exit: (code: ExitCodeValue) => void): Command =>
  new Command('run')
    .description('run a scenario and check its expectations (exit 0 passed, 1 failed, 2 bad input)')
    .argument('<NAME|FILE>', 'a scenario of the library (failsim list), or a file path')
    .option('--profile <V>', 'run under another version profile (the scenario\'s overrides still apply)', parseProfileFlag)
    .option('--seed <N>', 'replace the scenario\'s seed', parseSeedFlag)
    .option('--until <D>', 'end of the run in virtual time (e.g. 30m, 2h)', parseUntilFlag)
    .addOption(new Option('--output <format>', 'how to print the result').choices(OUTPUTS).default('transcript'))
    .action((arg: string, options: RunFlags) => exit(run(io, arg, options)));
