// The BOSH director of a PKS/TKGI cluster, reduced to what node-failure recovery needs:
// deployments with instance groups, instances bound to VMs and persistent disks, numbered
// tasks with event logs, and the agent and CPI plumbing cloud check uses. Modelled on
// cloudfoundry/bosh src/bosh-director (main, 2025): models/instance.rb (name
// `<job>/<uuid> (<index>)`), event_log.rb (`track_and_log`), agent_client.rb
// (`wait_until_ready`), external_cpi.rb (error wrapping). VMs are adopted, not deployed:
// createDeployment binds instances to VMs that already exist in the cloud.
import { createSimScheduler, type SeededRandom, type SimClock } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { catchError, defer, from, map, mergeMap, Observable, tap, throwError, timer, toArray, type SchedulerLike } from 'rxjs';
import { formatCpiError, isCpiError, type Cpi, type CpiMethod } from './cpi.js';
import { TaskRun, type BoshTask } from './task.js';

/** An error inside a task: the text the event log and the task result show. */
export interface DirectorError {
  readonly message: string;
  /** True for a problem handler's own error (`handler_error`), which still marks the problem resolved. */
  readonly handler?: boolean;
}

/** A persistent disk record. */
export interface DiskRecord {
  /** Database id (the resource id of disk problems). */
  readonly id: number;
  readonly cid: string;
  readonly sizeMb: number;
  readonly active: boolean;
}

/** An instance record. */
export interface InstanceRecord {
  /** Database id (the resource id of VM problems: 80 in the seed). */
  readonly id: number;
  readonly deployment: string;
  /** The instance group (job): `master`, `worker`. */
  readonly group: string;
  readonly uuid: string;
  readonly index: number;
  readonly agentId: string;
  /** The VM's cloud id; undefined once the VM reference is deleted. */
  readonly vmCid: string | undefined;
  readonly ignore: boolean;
  readonly disk: DiskRecord | undefined;
}

/** An instance's display name, as models/instance.rb `to_s`: `worker/<uuid> (1)`. */
export const instanceName = (i: InstanceRecord): string => `${i.group}/${i.uuid} (${i.index})`;

/** A deployment. */
export interface DeploymentRecord {
  readonly name: string;
  readonly instances: readonly InstanceRecord[];
}

/** One instance to adopt: its VM (cid generated `vm-<uuid>` when absent) and optional persistent disk. */
export interface InstanceSpec {
  /** The instance uuid; generated when absent. */
  readonly uuid?: string;
  readonly vmCid?: string;
  /** Persistent disk cid; generated `disk-<uuid>` when `diskSizeMb` is given without it. */
  readonly diskCid?: string;
  readonly diskSizeMb?: number;
}

/** An instance group to adopt: a count of default instances, or one spec per instance. */
export interface InstanceGroupSpec {
  readonly name: string;
  readonly instances: number | readonly InstanceSpec[];
  /** Persistent disk size for counted instances (none when absent). */
  readonly persistentDiskMb?: number;
}

/** What the director tells its listeners (the scenarios package starts a node's kubelet on `agent-ready`). */
export type DirectorEvent =
  | { readonly type: 'agent-ready'; readonly instance: InstanceRecord; readonly vmCid: string }
  | { readonly type: 'vm-deleted'; readonly instance: InstanceRecord; readonly vmCid: string }
  | { readonly type: 'vm-created'; readonly instance: InstanceRecord; readonly vmCid: string }
  | { readonly type: 'task-finished'; readonly task: BoshTask };

/** Options of {@link Director}. */
export interface DirectorOptions {
  readonly clock: SimClock;
  readonly random: SeededRandom;
  readonly cpi: Cpi;
  /** Id of the first task. Default 1 (the seed's director was at 1677). */
  readonly firstTaskId?: number;
  /** Id of the first problem record. Default 1. */
  readonly firstProblemId?: number;
  /** Database id of the first instance. Default 1. */
  readonly firstInstanceId?: number;
  /** User tasks run as. Default `ops_manager` (PKS's Ops Manager client). */
  readonly user?: string;
  /** How long a responsive agent takes to answer a message. Default 0. */
  readonly agentRoundTripMs?: number;
  /** Timeout of the cck agent messages (vm_scan_stage.rb AGENT_TIMEOUT_IN_SECONDS, cloudcheck_helper.rb DEFAULT_AGENT_TIMEOUT). Default 10 s. */
  readonly agentTimeoutMs?: number;
  /** How long `wait_until_ready` waits for an agent after a reboot or create (agent_client.rb; unverified default). Default 600 s. */
  readonly agentReadyDeadlineMs?: number;
  /** Interval of the `wait_until_ready` pings. Default 1 s. */
  readonly agentReadyPollMs?: number;
  /** Threads of the director's thread pools (Config.max_threads). Default 32. */
  readonly maxThreads?: number;
  /** CPI request ids for error texts (`cpi-<6 digits>` from the seeded random by default); return undefined for directors that predate them. */
  readonly cpiRequestId?: () => string | undefined;
}

type MutableInstance = { -readonly [K in keyof InstanceRecord]: InstanceRecord[K] };

/** The BOSH director: deployments, instances, tasks, and the agent/CPI helpers cloud check uses. */
export class Director {
  readonly clock: SimClock;
  readonly cpi: Cpi;
  readonly user: string;
  readonly maxThreads: number;
  readonly agentTimeoutMs: number;
  /** How long `wait_until_ready` waits, in ms. */
  readonly agentReadyDeadlineMs: number;
  private readonly random: SeededRandom;
  private readonly options: DirectorOptions;
  private readonly deployments = new Map<string, MutableInstance[]>();
  private readonly taskRuns = new Map<number, TaskRun>();
  private readonly listeners = new Set<(event: DirectorEvent) => void>();
  private readonly schedulers = new Map<string, SchedulerLike>();
  private nextTask: number;
  private nextInstance: number;
  private nextDisk = 1;
  private nextProblemId: number;

  constructor(options: DirectorOptions) {
    this.options = options;
    this.clock = options.clock;
    this.random = options.random.fork('bosh-director');
    this.cpi = options.cpi;
    this.user = options.user ?? 'ops_manager';
    this.maxThreads = options.maxThreads ?? 32;
    this.agentTimeoutMs = options.agentTimeoutMs ?? 10_000;
    this.agentReadyDeadlineMs = options.agentReadyDeadlineMs ?? 600_000;
    this.nextTask = options.firstTaskId ?? 1;
    this.nextInstance = options.firstInstanceId ?? 1;
    this.nextProblemId = options.firstProblemId ?? 1;
  }

  /**
   * Adopts a deployment whose VMs already run: each instance gets a uuid, an agent id and
   * a database id; missing VM and disk cids are generated. The name defaults to PKS's
   * `service-instance_<uuid>`. Left when the name is taken.
   */
  createDeployment(spec: { name?: string; instanceGroups: readonly InstanceGroupSpec[] }): E.Either<string, DeploymentRecord> {
    const name = spec.name ?? `service-instance_${this.random.uuid()}`;
    if (this.deployments.has(name)) return E.left(`Deployment '${name}' already exists`);
    const instances: MutableInstance[] = [];
    for (const group of spec.instanceGroups) {
      const specs: readonly InstanceSpec[] =
        typeof group.instances === 'number'
          ? Array.from({ length: group.instances }, () => (group.persistentDiskMb !== undefined ? { diskSizeMb: group.persistentDiskMb } : {}))
          : group.instances;
      specs.forEach((s, index) => {
        const sizeMb = s.diskSizeMb ?? group.persistentDiskMb;
        const diskCid = s.diskCid ?? (sizeMb !== undefined ? `disk-${this.random.uuid()}` : undefined);
        instances.push({
          id: this.nextInstance++,
          deployment: name,
          group: group.name,
          uuid: s.uuid ?? this.random.uuid(),
          index,
          agentId: this.random.uuid(),
          vmCid: s.vmCid ?? `vm-${this.random.uuid()}`,
          ignore: false,
          disk: diskCid !== undefined ? { id: this.nextDisk++, cid: diskCid, sizeMb: sizeMb ?? 0, active: true } : undefined,
        });
      });
    }
    this.deployments.set(name, instances);
    return E.right(this.deployment(name) as DeploymentRecord);
  }

  /** The deployment, or undefined. */
  deployment(name: string): DeploymentRecord | undefined {
    const instances = this.deployments.get(name);
    return instances ? { name, instances: instances.map((i) => ({ ...i })) } : undefined;
  }

  /** Names of all deployments, in creation order. */
  deploymentNames(): string[] {
    return [...this.deployments.keys()];
  }

  /** An instance by database id. */
  instance(id: number): InstanceRecord | undefined {
    for (const list of this.deployments.values()) {
      const found = list.find((i) => i.id === id);
      if (found) return { ...found };
    }
    return undefined;
  }

  /** Updates an instance record (VM cid, agent id, disk, ignore flag). */
  updateInstance(id: number, change: Partial<Pick<InstanceRecord, 'vmCid' | 'agentId' | 'disk' | 'ignore'>>): InstanceRecord | undefined {
    for (const list of this.deployments.values()) {
      const found = list.find((i) => i.id === id);
      if (found) {
        Object.assign(found, change);
        return { ...found };
      }
    }
    return undefined;
  }

  /** A new agent id (a recreated VM gets a new agent). */
  newAgentId(): string {
    return this.random.uuid();
  }

  /** The next problem record id (ids are never reused, so a rescan numbers on). */
  takeProblemId(): number {
    return this.nextProblemId++;
  }

  /** A task by id. */
  task(id: number): BoshTask | undefined {
    return this.taskRuns.get(id)?.task;
  }

  /** A running or finished task's live record. */
  taskRun(id: number): TaskRun | undefined {
    return this.taskRuns.get(id);
  }

  /** All tasks, newest first. */
  tasks(): BoshTask[] {
    return [...this.taskRuns.values()].map((r) => r.task).reverse();
  }

  /** Registers a listener; returns the function that removes it. */
  addListener(listener: (event: DirectorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners. */
  emit(event: DirectorEvent): void {
    [...this.listeners].forEach((l) => l(event));
  }

  /** An RxJS scheduler on the simulation clock whose timers say `purpose`. */
  scheduler(purpose: string): SchedulerLike {
    let s = this.schedulers.get(purpose);
    if (!s) {
      s = createSimScheduler(this.clock, { owner: 'bosh-director', purpose });
      this.schedulers.set(purpose, s);
    }
    return s;
  }

  /** The current virtual time truncated to the second, as event log times are. */
  nowSecond(): number {
    return Math.floor(this.clock.now() / 1000) * 1000;
  }

  /**
   * Starts a task at once (the director's worker queue is not modelled): `body` runs with
   * the task's run to log into; its value is the task's result text, its error the task's
   * error (logged as a task-level `Error:` event).
   */
  runTask(description: string, deployment: string, body: (run: TaskRun) => Observable<string>): TaskRun {
    const run = new TaskRun({ id: this.nextTask++, description, deployment, user: this.user, startedAt: this.clock.now() });
    this.taskRuns.set(run.task.id, run);
    let result: string | undefined;
    body(run).subscribe({
      next: (r) => (result = r),
      error: (e: unknown) => {
        const message = errorMessage(e);
        run.log({ time: this.nowSecond(), kind: 'error', message });
        run.finish('error', this.clock.now(), message);
        this.emit({ type: 'task-finished', task: run.task });
      },
      complete: () => {
        run.finish('done', this.clock.now(), result ?? '');
        this.emit({ type: 'task-finished', task: run.task });
      },
    });
    return run;
  }

  /** `track_and_log`: a started event now, then finished (or failed with the error) when `work` ends. */
  track<T>(run: TaskRun, stage: string, task: string, work: Observable<T>): Observable<T> {
    return defer(() => {
      run.log({ time: this.nowSecond(), kind: 'step', stage, task, state: 'started' });
      return work.pipe(
        catchError((e: unknown) => {
          run.log({ time: this.nowSecond(), kind: 'step', stage, task, state: 'failed', error: errorMessage(e) });
          return throwError(() => e);
        }),
        // Log the finish before passing the values on, so a step that the caller chains
        // on this one's value starts after this one has finished.
        toArray(),
        tap(() => run.log({ time: this.nowSecond(), kind: 'step', stage, task, state: 'finished' })),
        mergeMap((values) => from(values)),
      );
    });
  }

  /** A CPI call whose error becomes the director's text (external_cpi.rb `handle_error`). */
  cpiCall<T>(method: CpiMethod, call: Observable<T>): Observable<T> {
    return call.pipe(
      catchError((e: unknown) =>
        throwError((): DirectorError => ({ message: isCpiError(e) ? formatCpiError(e, method, this.requestId()) : errorMessage(e) })),
      ),
    );
  }

  /** Pings an instance's agent: true after the round trip if it answers, false after the timeout if not. */
  pingAgent(instance: InstanceRecord, timeoutMs: number = this.agentTimeoutMs): Observable<boolean> {
    return defer(() => {
      const alive = instance.vmCid !== undefined && this.cpi.agentResponds(instance.vmCid);
      const purpose = `agent ${instance.agentId} ${alive ? 'answers' : 'times out'}`;
      return timer(alive ? (this.options.agentRoundTripMs ?? 0) : timeoutMs, this.scheduler(purpose)).pipe(map(() => alive));
    });
  }

  /**
   * `wait_until_ready`: pings the agent every poll interval until it answers (then tells
   * the listeners `agent-ready`) or the deadline passes (then errors with `onTimeout`).
   */
  waitUntilReady(instance: InstanceRecord, onTimeout: string): Observable<void> {
    const poll = this.options.agentReadyPollMs ?? 1_000;
    const deadline = this.agentReadyDeadlineMs;
    return new Observable<void>((subscriber) => {
      const start = this.clock.now();
      const vmCid = instance.vmCid;
      let handle: { cancel(): void } | undefined;
      const check = (): void => {
        if (vmCid !== undefined && this.cpi.agentResponds(vmCid)) {
          const current = this.instance(instance.id) ?? instance;
          this.emit({ type: 'agent-ready', instance: current, vmCid });
          subscriber.next();
          subscriber.complete();
        } else if (this.clock.now() - start >= deadline) {
          subscriber.error({ message: onTimeout, handler: true } satisfies DirectorError);
        } else {
          handle = this.clock.schedule(poll, check, { owner: 'bosh-director', purpose: `wait_until_ready ${instance.agentId}` });
        }
      };
      handle = this.clock.schedule(poll, check, { owner: 'bosh-director', purpose: `wait_until_ready ${instance.agentId}` });
      return () => handle?.cancel();
    });
  }

  private requestId(): string | undefined {
    if (this.options.cpiRequestId) return this.options.cpiRequestId();
    return `cpi-${this.random.int(100_000, 1_000_000)}`;
  }
}

/** The text of an error value thrown inside a task. */
export const errorMessage = (e: unknown): string =>
  typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string'
    ? (e as { message: string }).message
    : String(e);
