// `failsim serve [NAME|FILE] [--port P] [--address A] [--speed X] [--free] [--kubeconfig PATH]`:
// a scenario's cluster live behind a Kubernetes-compatible HTTP API, so real kubectl (and
// k9s, client libraries, scripts) can drive it. Plain HTTP on 127.0.0.1 by default (no
// TLS, no auth: another address only when --address names it); writes a kubeconfig and
// runs until SIGINT or SIGTERM, then exits 0.
import type { VersionProfile } from '@failsim/controllers';
import { DEFAULT_SCENARIO } from '@failsim/scenarios';
import { Command, InvalidArgumentError } from 'commander';
import { rmSync } from 'node:fs';
import { ExitCode, type ExitCodeValue, type Io } from '../io.js';
import { loadScenarioArgument } from '../scenario-source.js';
import { defaultKubeconfigPath, writeKubeconfig } from '../serve/kubeconfig.js';
import { DEFAULT_ADDRESS } from '../serve/server.js';
import { MAX_LIVE_SPEED, ServeSession } from '../serve/serve-session.js';
import { parseProfileFlag } from './run.js';

/** The parsed flags of `failsim serve`. */
export interface ServeFlags {
  readonly port?: number;
  readonly address?: string;
  readonly speed?: number | 'max';
  readonly free?: boolean;
  readonly kubeconfig?: string;
  readonly profile?: VersionProfile;
}

/** What the command waits on; the default resolves on the first SIGINT or SIGTERM. */
export interface ServeOptions {
  readonly waitForStop?: () => Promise<void>;
}

/** `--port`: 0 (a free port) to 65535. */
export const parsePortFlag = (text: string): number => {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new InvalidArgumentError('the port is a number from 0 to 65535 (0 picks a free one).');
  return Number(text);
};

/** `--speed`: virtual seconds per wall second (`60`, `60x`), or `max`, which a live server caps. */
export const parseServeSpeedFlag = (text: string): number | 'max' => {
  const t = text.trim().toLowerCase().replace(/(\d)[x×]$/, '$1');
  if (t === 'max') return 'max';
  const n = Number(t);
  if (!/^\d+$/.test(t) || n <= 0) throw new InvalidArgumentError(`the speed is a whole number of virtual seconds per second (1 = real time), or max (capped at ${MAX_LIVE_SPEED}).`);
  return n;
};

const untilSignal = (): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });

/**
 * Serves scenario `arg` until `waitForStop` resolves. 0 after a clean stop; 2 for an
 * unknown scenario or a port or address it cannot listen on.
 */
export const serve = async (io: Io, arg: string, flags: ServeFlags, options: ServeOptions = {}): Promise<ExitCodeValue> => {
  const loaded = loadScenarioArgument(io, arg);
  if (!loaded) return ExitCode.usage;
  let speed = flags.speed ?? 1;
  if (speed === 'max' || speed > MAX_LIVE_SPEED) {
    io.err(`failsim serve: --speed ${speed} is capped at ${MAX_LIVE_SPEED} while serving live\n`);
    speed = MAX_LIVE_SPEED;
  }
  const address = flags.address ?? DEFAULT_ADDRESS;
  let session: ServeSession;
  try {
    session = await ServeSession.start({
      loaded,
      speed,
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.free ? { free: true } : {}),
      listen: { port: flags.port ?? 0, address },
    });
  } catch (e) {
    io.err(`error: cannot serve on ${address}:${flags.port ?? 0}: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  const kubeconfig = flags.kubeconfig ?? defaultKubeconfigPath(session.server.port);
  try {
    writeKubeconfig(kubeconfig, session.server.url);
  } catch (e) {
    await session.stop();
    io.err(`error: cannot write the kubeconfig ${kubeconfig}: ${(e as Error).message}\n`);
    return ExitCode.usage;
  }
  if (address !== DEFAULT_ADDRESS) io.err(`failsim serve: warning: serving on ${address} without TLS or authentication\n`);
  io.out(
    [
      `failsim serve: ${loaded.metadata.name} (Kubernetes ${session.gitVersion}) at ${session.server.url}, speed ${speed}x${flags.free ? ', free run' : ''}`,
      `kubeconfig: ${kubeconfig}`,
      `  KUBECONFIG=${kubeconfig} kubectl get pods -A -o wide`,
      'Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  await (options.waitForStop ?? untilSignal)();
  await session.stop();
  // A kubeconfig of our own choosing points at a server that is gone; one the user named is theirs to keep.
  if (flags.kubeconfig === undefined) rmSync(kubeconfig, { force: true });
  io.out('failsim serve: stopped\n');
  return ExitCode.ok;
};

/** The `serve` command. */
export const serveCommand = (io: Io, exit: (code: ExitCodeValue) => void, options: ServeOptions = {}): Command =>
  new Command('serve')
    .description('serve a Kubernetes API for real kubectl on a live scenario (Ctrl-C stops)')
    .argument('[NAME|FILE]', 'a scenario of the library (failsim list), or a file path', DEFAULT_SCENARIO)
    .option('--port <P>', 'port to listen on; 0 picks a free one', parsePortFlag, 0)
    .option('--address <A>', `address to listen on (default ${DEFAULT_ADDRESS}; anything else is served without authentication)`)
    .option('--speed <X>', `virtual seconds per wall second, 1 to ${MAX_LIVE_SPEED} (default 1)`, parseServeSpeedFlag)
    .option('--free', 'load the cluster and workloads without the scripted steps: kubectl injects the faults')
    .option('--kubeconfig <PATH>', 'where to write the kubeconfig (default: a temp file, removed on exit)')
    .option('--profile <V>', 'run under another version profile', parseProfileFlag)
    .action(async (arg: string, flags: ServeFlags) => exit(await serve(io, arg, flags, options)));
