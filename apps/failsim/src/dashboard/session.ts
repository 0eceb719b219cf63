// A dashboard session: one live scenario run (runScenario of @failsim/scenarios) paced by
// the core Pacer — the only wall-clock user — with the time controls (pause, step, speed,
// restart) and the command log of everything typed or keyed, echoed as the real command
// line. It holds no React: the components sample it.
import type { VersionProfile } from '@failsim/controllers';
import { Pacer, type PacerSpeed, type WallClock } from '@failsim/core';
import { formatMs, runScenario, type HazardRecord, type LoadedScenario, type ScenarioRun } from '@failsim/scenarios';
import * as E from 'fp-ts/lib/Either.js';
import { ChangeTracker } from './model/changes.js';
import { TimerIndex } from './model/clocks.js';
import { watchEvents, type EventIndex } from './model/events.js';
import { isSystemObject } from '../output/transcript.js';

/** The speeds `+` and `-` step through. */
export const SPEEDS: readonly PacerSpeed[] = [1, 10, 60, 600, 'max'];

/** Options of a {@link DashboardSession}. */
export interface SessionOptions {
  readonly loaded: LoadedScenario;
  readonly profile?: VersionProfile;
  readonly seed?: number;
  /** Run none of the scripted steps (the user injects the faults). */
  readonly free?: boolean;
  /** Initial speed; default 10 (a scenario of minutes is watchable, an hour takes 6 min). */
  readonly speed?: PacerSpeed;
  /** The wall clock to pace against; tests pass one that never ticks. */
  readonly wall?: WallClock;
}

/** Where `failsim dash --serve` serves the run for kubectl (shown in the header and the command log). */
export interface ServingInfo {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The kubeconfig written for it. */
  readonly kubeconfig: string;
}

/** One line of the command log. */
export interface CommandLogEntry {
  /** Virtual seconds from the scenario start when it was issued. */
  readonly at: number;
  /** The command as typed or as a key stands for it. */
  readonly line: string;
  /** undefined while it runs (a drain or a bosh task takes virtual time). */
  readonly ok?: boolean;
  /** Its output or error, lines joined with "\n". */
  readonly output: string;
}

/**
 * A live run the dashboard shows. `start()` applies the resources and starts pacing;
 * `subscribe` is told after every change (pacer ticks that moved time, commands, restart).
 * @example
 * const session = new DashboardSession({ loaded, speed: 60 });
 * session.subscribe(() => render());
 * session.start();
 */
export class DashboardSession {
  readonly options: SessionOptions;
  #run: ScenarioRun;
  #pacer: Pacer;
  #unpace: () => void = () => {};
  #timers!: TimerIndex;
  #events!: EventIndex;
  #log: CommandLogEntry[] = [];
  #hazards: HazardRecord[] = [];
  #serving: ServingInfo | undefined;
  #version = 0;
  #changes = new ChangeTracker();
  readonly #listeners = new Set<() => void>();

  constructor(options: SessionOptions) {
    this.options = options;
    [this.#run, this.#pacer] = this.#build(options.speed ?? 10);
  }

  /** The run now (a restart replaces it). */
  get run(): ScenarioRun {
    return this.#run;
  }

  /** The pacer now (a restart replaces it). */
  get pacer(): Pacer {
    return this.#pacer;
  }

  /** The run's failure-related timers, for the clocks view (see model/clocks.ts). */
  get timers(): TimerIndex {
    return this.#timers;
  }

  /** Every command issued in this run, oldest first. */
  get log(): readonly CommandLogEntry[] {
    return this.#log;
  }

  /**
   * The hazards the run has reported so far (runScenario's observer), oldest first;
   * those about kube-system objects are left out, as the transcript leaves them out.
   */
  get hazards(): readonly HazardRecord[] {
    return this.#hazards;
  }

  /** Where the run is served for kubectl (`failsim dash --serve`), if it is. */
  get serving(): ServingInfo | undefined {
    return this.#serving;
  }

  /** Says where the run is served (or that it no longer is); views show it. */
  setServing(info: ServingInfo | undefined): void {
    this.#serving = info;
    this.#changed();
  }

  /**
   * Something outside the session changed the run (a kubectl write through `--serve`
   * while paused, when no pacer tick follows): subscribers re-sample.
   */
  refresh(): void {
    this.#changed();
  }

  /** Which table rows changed lately (for the `changed` highlight); a restart starts it afresh. */
  get changes(): ChangeTracker {
    return this.#changes;
  }

  /** Bumped on every change a view could show. */
  get version(): number {
    return this.#version;
  }

  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Applies the resources, schedules the steps and starts the pacer. */
  start(): void {
    this.#run.start();
    this.#pacer.start();
    this.#changed();
  }

  /** Stops pacing for good (quit). */
  stop(): void {
    this.#pacer.stop();
    this.#unpace();
    this.#timers.detach();
    this.#events.detach();
  }

  /** Space: pause or resume. */
  togglePause(): void {
    if (this.#pacer.state.paused) this.#pacer.resume();
    else this.#pacer.pause();
  }

  /** `n`: pause, then run the next event on the clock; false when nothing is pending. */
  step(): boolean {
    this.#pacer.pause();
    return this.#pacer.step();
  }

  /**
   * `:step 50s`: pause, then run `ms` of virtual time (every event due in it), so a
   * script or a test moves the run exactly as far as it means to, whatever the wall clock.
   */
  advance(ms: number): void {
    this.#pacer.pause();
    this.#run.env.cluster.sim.clock.runFor(ms);
    this.#changed();
  }

  /**
   * `:step poweroff`: pause, then run the clock until scripted step `id` has started
   * (at most `limitMs` of virtual time). Left, with nothing run, for an id the scenario
   * does not have or a step that already started; Left after running when the step is
   * still waiting at the limit (a `when` that never holds).
   */
  runToStep(id: string, limitMs = 24 * 3_600_000): E.Either<string, void> {
    const ids = this.options.loaded.steps.map((s) => s.id);
    const index = ids.indexOf(id);
    if (index < 0) return E.left(ids.length === 0 ? `no scripted step "${id}": this scenario has no steps` : `no scripted step "${id}" (steps: ${ids.join(', ')})`);
    if (this.options.free) return E.left('a free run has no scripted steps: use :step DURATION');
    const started = (): boolean => {
      const next = this.#run.nextStep();
      return next === undefined || ids.indexOf(next.id) > index;
    };
    if (started()) return E.left(`step ${id} has already started`);
    this.#pacer.pause();
    const clock = this.#run.env.cluster.sim.clock;
    const end = clock.now() + limitMs;
    let due = clock.nextDueAt();
    while (!started() && due !== undefined && due <= end) {
      clock.step();
      due = clock.nextDueAt();
    }
    this.#changed();
    return started() ? E.right(undefined) : E.left(`step ${id} had not started after ${formatMs(limitMs)} more`);
  }

  /** `+` / `-`: the next speed up or down in {@link SPEEDS}. */
  changeSpeed(direction: 1 | -1): void {
    const i = SPEEDS.indexOf(this.#pacer.state.speed);
    const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? 0 : i) + direction))]!;
    this.#pacer.setSpeed(next);
  }

  /** `r`: the same scenario from T+00:00 with a fresh environment; speed and pause are kept. */
  restart(): void {
    const { speed, paused } = this.#pacer.state;
    this.stop();
    [this.#run, this.#pacer] = this.#build(speed);
    this.#log = [];
    this.#hazards = [];
    this.#changes = new ChangeTracker();
    if (paused) this.#pacer.pause();
    this.start();
  }

  /**
   * Runs a step command now (`kubectl delete node worker-1`, `govc vm.power -off vm-1`,
   * `partition node worker-1`) through the run, as a scenario step would, and logs it.
   * A line that does not parse or names nothing is Left: logged as refused, nothing changes.
   */
  command(line: string): E.Either<string, void> {
    const at = (this.#run.env.cluster.sim.clock.now() - this.#run.startMs) / 1000;
    const index = this.#log.length;
    this.#log = [...this.#log, { at, line, output: '' }];
    const result = this.#run.command(line, (record) => {
      const log = [...this.#log];
      log[index] = { at, line: record.command, ok: record.ok, output: record.output };
      this.#log = log;
      this.#changed();
    });
    if (E.isLeft(result)) {
      const log = [...this.#log];
      log[index] = { at, line, ok: false, output: result.left };
      this.#log = log;
    }
    this.#changed();
    return result;
  }

  #build(speed: PacerSpeed): [ScenarioRun, Pacer] {
    const o = this.options;
    // Hazards arrive on the clock, between frames: kept here, in the order found.
    const observer = {
      hazard: (h: HazardRecord): void => {
        if (!isSystemObject(h.object)) this.#hazards.push(h);
      },
    };
    const run = runScenario(o.loaded, { observer, ...(o.profile ? { profile: o.profile } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.free ? { free: true } : {}) });
    const pacer = new Pacer(run.env.cluster.sim.clock, { speed, ...(o.wall ? { wall: o.wall } : {}) });
    this.#unpace = pacer.subscribe(() => this.#changed());
    this.#timers = new TimerIndex(run.env.cluster.sim.clock);
    this.#events = watchEvents(run);
    return [run, pacer];
  }

  #changed(): void {
    this.#version++;
    for (const listener of [...this.#listeners]) listener();
  }
}

/** A wall clock that never ticks: the session moves only by step() and commands (tests, one-frame renders). */
export const frozenWall: WallClock = { now: () => 0, setInterval: () => undefined, clearInterval: () => {} };
