// `failsim dash NAME|FILE [--profile V] [--speed X] [--free]`, and `failsim` with no
// arguments: the dashboard on a terminal; without one (CI, a pipe) the command list and a
// one-line hint instead, exit 0, since a full-screen app cannot draw there.
import type { VersionProfile } from '@failsim/controllers';
import type { PacerSpeed } from '@failsim/core';
import { DEFAULT_SCENARIO } from '@failsim/scenarios';
import { Command, InvalidArgumentError } from 'commander';
import { commandList } from '../commands.js';
import { SPEEDS } from '../dashboard/session.js';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';
import { loadScenarioArgument } from '../scenario-source.js';
import { parseProfileFlag } from './run.js';

/** The parsed flags of `failsim dash`. */
export interface DashFlags {
  readonly profile?: VersionProfile;
  readonly speed?: PacerSpeed;
  readonly free?: boolean;
}

/** `--speed`: 1, 10, 60, 600 or max (`10x` accepted). */
export const parseSpeedFlag = (text: string): PacerSpeed => {
  const t = text.trim().toLowerCase().replace(/(\d)[x×]$/, '$1');
  const speed = SPEEDS.find((s) => String(s) === t);
  if (speed === undefined) throw new InvalidArgumentError(`the speed is one of ${SPEEDS.join(', ')}.`);
  return speed;
};

/** What opens the dashboard (startDashboard; a spec passes a fake). */
export type DashboardStarter = (options: { loaded: NonNullable<ReturnType<typeof loadScenarioArgument>>; profile?: VersionProfile; speed?: PacerSpeed; free?: boolean }) => Promise<void>;

/** The hint printed instead of the dashboard when stdout is not a terminal. */
export const NOT_A_TTY_HINT = 'failsim: the dashboard needs a terminal (stdout is not a TTY); try failsim run NAME for a transcript.\n';

/**
 * Opens the dashboard on scenario `arg`; without a TTY prints the command list and the
 * hint. 0 on quit, 2 for an unknown scenario.
 */
export const dash = async (io: Io, arg: string, flags: DashFlags, options: { readonly isTTY: boolean; readonly version: string; readonly start: DashboardStarter }): Promise<ExitCodeValue> => {
  if (!options.isTTY) {
    io.out(commandList(options.version));
    io.out(NOT_A_TTY_HINT);
    return ExitCode.ok;
  }
  const loaded = loadScenarioArgument(io, arg);
  if (!loaded) return ExitCode.usage;
  await options.start({ loaded, ...(flags.profile ? { profile: flags.profile } : {}), ...(flags.speed !== undefined ? { speed: flags.speed } : {}), ...(flags.free ? { free: true } : {}) });
  return ExitCode.ok;
};

/** The `dash` command. */
export const dashCommand = (io: Io, exit: (code: ExitCodeValue) => void, options: { readonly isTTY: boolean; readonly version: string; readonly start: DashboardStarter }): Command =>
  new Command('dash')
    .description('open the dashboard on a scenario (q quits)')
    .argument('[NAME|FILE]', 'a scenario of the library (failsim list), or a file path', DEFAULT_SCENARIO)
    .option('--profile <V>', 'run under another version profile', parseProfileFlag)
    .option('--speed <X>', 'initial speed: 1, 10, 60, 600 or max', parseSpeedFlag)
    .option('--free', 'load the cluster and workloads without the scripted steps: you inject the faults')
    .action(async (arg: string, flags: DashFlags) => exit(await dash(io, arg, flags, options)));
