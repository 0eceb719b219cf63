// One `failsim serve` session: a scenario run live (runScenario of @failsim/scenarios),
// paced against the wall clock by the core Pacer as the dashboard paces it, and the HTTP
// API over its simulated API server. HTTP requests run between pacer ticks on the same
// event loop; a write the simulation makes during a tick reaches open watch streams at
// once, since watches deliver synchronously. failsim's control endpoint (control.ts,
// /failsim/v1/clock and /failsim/v1/commands) pauses, advances and injects faults.
import type { VersionProfile } from '@failsim/controllers';
import { Pacer, systemWallClock, type WallClock } from '@failsim/core';
import { runScenario, type LoadedScenario, type ScenarioRun } from '@failsim/scenarios';
import { handleControl, type ControlTarget } from './control.js';
import { startServer, type ListenOptions, type ServeServer } from './server.js';

/**
 * The fastest live speed. `max` runs the clock as fast as the CPU allows, which starves
 * the HTTP handlers and makes every age and timeout meaningless to a person typing
 * kubectl, so a live server caps it here (an hour of cluster time in six seconds).
 */
export const MAX_LIVE_SPEED = 600;

/**
 * The system wall clock in whole milliseconds. The Pacer moves the virtual clock to
 * `anchor + elapsed wall ms × speed`; with performance.now()'s fractions the virtual time
 * becomes fractional, and core's EventRecorder (BigInt of the time in an Event's name)
 * throws on the next Event. Whole wall ms and a whole speed keep virtual time integral.
 */
export const wholeMsWallClock: WallClock = { ...systemWallClock, now: () => Math.floor(systemWallClock.now()) };

/** Options of {@link ServeSession.start}. */
export interface ServeSessionOptions {
  readonly loaded: LoadedScenario;
  readonly profile?: VersionProfile;
  readonly seed?: number;
  /** Run none of the scripted steps: kubectl injects the faults. */
  readonly free?: boolean;
  /** Virtual seconds per wall second: a whole number, at most {@link MAX_LIVE_SPEED}. */
  readonly speed: number;
  readonly listen: ListenOptions;
  /** Start with the pacer paused: the clock moves only through the control endpoint (control.ts). */
  readonly paused?: boolean;
  /** The wall clock to pace against; specs pass one that never ticks. */
  readonly wall?: WallClock;
}

/**
 * A live run behind an HTTP API.
 * @example
 * const session = await ServeSession.start({ loaded, speed: 60, listen: { port: 0 } });
 * console.log(session.server.url);
 * await session.stop();
 */
export class ServeSession {
  readonly run: ScenarioRun;
  readonly pacer: Pacer;
  readonly server: ServeServer;
  /** The Kubernetes version served (the profile's kubelet version). */
  readonly gitVersion: string;

  private constructor(run: ScenarioRun, pacer: Pacer, server: ServeServer, gitVersion: string) {
    this.run = run;
    this.pacer = pacer;
    this.server = server;
    this.gitVersion = gitVersion;
  }

  /** Builds the run, applies the resources, starts listening, then starts the pacer. */
  static async start(options: ServeSessionOptions): Promise<ServeSession> {
    if (!(Number.isInteger(options.speed) && options.speed > 0 && options.speed <= MAX_LIVE_SPEED)) {
      throw new RangeError(`serve: the speed is a whole number from 1 to ${MAX_LIVE_SPEED}, got ${options.speed}`);
    }
    const run = runScenario(options.loaded, { ...(options.profile ? { profile: options.profile } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.free ? { free: true } : {}) });
    const sim = run.env.cluster.sim;
    const gitVersion = run.env.cluster.profile.kubeletVersion;
    run.start();
    const pacer = new Pacer(sim.clock, { speed: options.speed, wall: options.wall ?? wholeMsWallClock });
    const target: ControlTarget = { pacer, clock: sim.clock, startMs: run.startMs, command: (line) => run.command(line) };
    const server = await startServer({ api: sim.api, clock: sim.clock, gitVersion, control: (request) => handleControl(target, request) }, options.listen);
    if (options.paused) pacer.pause();
    pacer.start();
    return new ServeSession(run, pacer, server, gitVersion);
  }

  /** Stops the pacer and the server (open watches end). */
  async stop(): Promise<void> {
    this.pacer.stop();
    await this.server.close();
  }
}
