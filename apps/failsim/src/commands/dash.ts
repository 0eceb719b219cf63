// `failsim dash NAME|FILE [--profile V] [--speed X] [--free] [--serve [--port P]
// [--kubeconfig PATH]]`, and `failsim` with no arguments: the dashboard on a terminal;
// without one (CI, a pipe) the command list and a one-line hint instead, exit 0, since a
// full-screen app cannot draw there. `--serve` also serves the same live run for kubectl
// (as `failsim serve` does), printing nothing: the header shows the URL and kubeconfig.
import type { VersionProfile } from '@failsim/controllers';
import type { PacerSpeed } from '@failsim/core';
import { DEFAULT_SCENARIO } from '@failsim/scenarios';
import { Command, InvalidArgumentError } from 'commander';
import { commandList } from '../commands.js';
import { SPEEDS } from '../dashboard/session.js';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';
import { loadScenarioArgument } from '../scenario-source.js';
import type { DashboardServeOptions } from '../dashboard/serve-dashboard.js';
import { DEFAULT_ADDRESS } from '../serve/server.js';
import { parseProfileFlag } from './run.js';
import { parsePortFlag } from './serve.js';

/** The parsed flags of `failsim dash`. */
export interface DashFlags {
  readonly profile?: VersionProfile;
  readonly speed?: PacerSpeed;
  readonly free?: boolean;
  /** Serve the run for kubectl beside the dashboard. */
  readonly serve?: boolean;
  /** With --serve: the port (0, the default, picks a free one). */
  readonly port?: number;
  /** With --serve: where to write the kubeconfig (default a temp file, removed on quit). */
  readonly kubeconfig?: string;
}

/** `--speed`: 1, 10, 60, 600 or max (`10x` accepted). */
export const parseSpeedFlag = (text: string): PacerSpeed => {
  const t = text.trim().toLowerCase().replace(/(\d)[x×]$/, '$1');
  const speed = SPEEDS.find((s) => String(s) === t);
  if (speed === undefined) throw new InvalidArgumentError(`the speed is one of ${SPEEDS.join(', ')}.`);
  return speed;
};

/** What opens the dashboard (startDashboard; a spec passes a fake). */
export type DashboardStarter = (options: { loaded: NonNullable<ReturnType<typeof loadScenarioArgument>>; profile?: VersionProfile; speed?: PacerSpeed; free?: boolean; serve?: DashboardServeOptions }) => Promise<void>;

/** The hint printed instead of the dashboard when stdout is not a terminal. */
export const NOT_A_TTY_HINT = 'failsim: the dashboard needs a terminal (stdout is not a TTY); try failsim run NAME for a transcript.\n';

/**
 * Opens the dashboard on scenario `arg`; without a TTY prints the command list and the
 * hint. 0 on quit, 2 for an unknown scenario, --port or --kubeconfig without --serve, or
 * a port the server cannot listen on.
 */
export const dash = async (io: Io, arg: string, flags: DashFlags, options: { readonly isTTY: boolean; readonly version: string; readonly start: DashboardStarter }): Promise<ExitCodeValue> => {
  if (!options.isTTY) {
    io.out(commandList(options.version));
    io.out(NOT_A_TTY_HINT);
    return ExitCode.ok;
  }
  if (!flags.serve && (flags.port !== undefined || flags.kubeconfig !== undefined)) {
    io.err('error: --port and --kubeconfig need --serve\n');
    return ExitCode.usage;
  }
  const loaded = loadScenarioArgument(io, arg);
  if (!loaded) return ExitCode.usage;
  const serve: DashboardServeOptions | undefined = flags.serve ? { port: flags.port ?? 0, ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}) } : undefined;
  try {
    await options.start({ loaded, ...(flags.profile ? { profile: flags.profile } : {}), ...(flags.speed !== undefined ? { speed: flags.speed } : {}), ...(flags.free ? { free: true } : {}), ...(serve ? { serve } : {}) });
  } catch (e) {
    // Only serving can fail before the screen is taken (startDashboard); the screen is the user's again.
    if (!serve) throw e;
    io.err(`error: cannot serve on ${DEFAULT_ADDRESS}:${serve.port}: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
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
    .option('--serve', 'also serve the run for kubectl (as failsim serve); the header shows the URL and kubeconfig')
    .option('--port <P>', 'with --serve: port to listen on; 0 (default) picks a free one', parsePortFlag)
    .option('--kubeconfig <PATH>', 'with --serve: where to write the kubeconfig (default: a temp file, removed on quit)')
    .action(async (arg: string, flags: DashFlags) => exit(await dash(io, arg, flags, options)));
