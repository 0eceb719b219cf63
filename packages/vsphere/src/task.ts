// vSphere tasks: each operation on the inventory runs as a task with a virtual duration and
// ends Completed or Failed with a fault, and vCenter's "Recent Tasks" lists them (name,
// target, status, details, initiator, queued/start/completion time). Models vim25's
// TaskInfo (govmomi vim25/types TaskInfo, v0.20–v0.50) and the vSphere Client's task pane.
import * as E from 'fp-ts/lib/Either.js';
import type { SimClock } from '@failsim/core';
import { AsyncSubject, type Observable } from 'rxjs';

/**
 * A vSphere fault: `message` is the fault's localizedMessage — what API clients (govc, the
 * VCP, the BOSH CPI) print — and `details` the faultMessage lines vCenter's task pane shows
 * underneath.
 */
export interface VimFault {
  readonly message: string;
  readonly details: readonly string[];
}

/** Builds a fault. */
export const vimFault = (message: string, details: readonly string[] = []): VimFault => ({ message, details });

/** Task names as the vSphere Client lists them. */
export type TaskName =
  | 'Reconfigure virtual machine'
  | 'Power On virtual machine'
  | 'Power Off virtual machine'
  | 'Reset virtual machine'
  | 'Create virtual disk'
  | 'Delete file'
  | 'Unregister virtual machine';

/** A task's state (vim25 TaskInfoState, as the client labels it). */
export type TaskStatus = 'Running' | 'Completed' | 'Failed';

/** One row of Recent Tasks. */
export interface TaskInfo {
  /** `task-<n>`. */
  readonly id: string;
  readonly name: TaskName;
  /** The object it acts on (VM name, datastore path). */
  readonly target: string;
  readonly status: TaskStatus;
  /** The fault's message when Failed. */
  readonly error?: string;
  /** The fault's detail lines when Failed. */
  readonly details?: readonly string[];
  /** Who started it (`govc`, `vsphere-cloud-provider`, `bosh-vsphere-cpi`…). */
  readonly initiator: string;
  /** Virtual ms. */
  readonly queuedAt: number;
  readonly startedAt: number;
  readonly completedAt?: number;
}

/** Virtual durations of tasks (ms). */
export type TaskDurations = Readonly<Record<TaskName, number>>;

/** Default durations: seconds, as a small vCenter takes. */
export const defaultTaskDurations: TaskDurations = {
  'Reconfigure virtual machine': 1_000,
  'Power On virtual machine': 2_000,
  'Power Off virtual machine': 1_000,
  'Reset virtual machine': 2_000,
  'Create virtual disk': 1_000,
  'Delete file': 500,
  'Unregister virtual machine': 500,
};

/** A task's fault, kept for a Failed row (faults are rare: most tasks complete). */
interface TaskFault {
  readonly error: string;
  readonly details: readonly string[];
}

/** Keeps the task log and runs tasks on the virtual clock. */
export class TaskManager {
  readonly #clock: SimClock;
  readonly #durations: TaskDurations;
  /*
   * The log as columns, row i being task `task-<i+1>` (ids are handed out in log order):
   * a large run keeps every task for the Recent Tasks pane (tens of thousands at 5,000
   * nodes), and a TaskInfo object per row (its own id string, and a spread copy with a
   * property array once it ended) cost ~200 bytes where six references cost 48. Queued and
   * start time are the same instant here (tasks never queue), so one column holds both.
   * Rows are turned back into TaskInfo objects only when read.
   */
  readonly #names: TaskName[] = [];
  readonly #targets: string[] = [];
  readonly #initiators: string[] = [];
  readonly #statuses: TaskStatus[] = [];
  readonly #startedAt: number[] = [];
  /** Virtual ms of the end, -1 while running (a number column stays unboxed). */
  readonly #completedAt: number[] = [];
  /** The faults of the Failed rows, by row. */
  readonly #faults = new Map<number, TaskFault>();
  readonly #listeners = new Set<(task: TaskInfo) => void>();

  constructor(clock: SimClock, durations: Partial<TaskDurations> = {}) {
    this.#clock = clock;
    this.#durations = { ...defaultTaskDurations, ...durations };
  }

  /**
   * Every task so far, oldest first, or the newest `last` of them (built from the log at
   * each call: a pane that shows the newest few asks for those, not for the whole log).
   */
  recent(last = Number.POSITIVE_INFINITY): readonly TaskInfo[] {
    const tasks: TaskInfo[] = [];
    for (let i = Math.max(0, this.#names.length - last); i < this.#names.length; i++) tasks.push(this.#row(i));
    return tasks;
  }

  /** Calls `listener` when a task starts and when it ends; returns an unsubscribe function. */
  onTask(listener: (task: TaskInfo) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs a task: it shows Running at once, and after its virtual duration `op` runs — so
   * the inventory changes when the task completes — and the task ends Completed or Failed.
   * The returned Observable is hot (the task runs whether or not anyone subscribes) and
   * replays its outcome. With a zero duration the task runs synchronously.
   */
  run<T>(name: TaskName, target: string, initiator: string, op: () => E.Either<VimFault, T>, durationMs = this.#durations[name]): Observable<T> {
    const subject = new AsyncSubject<T>();
    const index = this.#start(name, target, initiator);
    const finish = (): void => {
      const result = this.#finish(index, op);
      if (E.isLeft(result)) subject.error(result.left);
      else {
        subject.next(result.right);
        subject.complete();
      }
    };
    if (durationMs <= 0) finish();
    else this.#clock.schedule(durationMs, finish, { owner: 'vcenter', purpose: `${name} ${target}` });
    return subject.asObservable();
  }

  /** Runs a task at once (no virtual time): how govc's synchronous surface applies tasks. */
  runNow<T>(name: TaskName, target: string, initiator: string, op: () => E.Either<VimFault, T>): E.Either<VimFault, T> {
    const index = this.#start(name, target, initiator);
    return this.#finish(index, op);
  }

  /**
   * Row `i` as a TaskInfo, with the members in the order the log's objects had (a Running
   * row, then `{ ...running, status, error, details, completedAt }` once it ended), so
   * anything that prints one prints it as before.
   */
  #row(i: number): TaskInfo {
    const at = this.#startedAt[i]!;
    const completedAt = this.#completedAt[i]!;
    const base = { id: `task-${i + 1}`, name: this.#names[i]!, target: this.#targets[i]!, status: this.#statuses[i]!, initiator: this.#initiators[i]!, queuedAt: at, startedAt: at };
    if (completedAt < 0) return base;
    const fault = this.#faults.get(i);
    return fault ? { ...base, error: fault.error, details: fault.details, completedAt } : { ...base, completedAt };
  }

  #start(name: TaskName, target: string, initiator: string): number {
    const index = this.#names.length;
    this.#names.push(name);
    this.#targets.push(target);
    this.#initiators.push(initiator);
    this.#statuses.push('Running');
    this.#startedAt.push(this.#clock.now());
    this.#completedAt.push(-1);
    this.#emit(index);
    return index;
  }

  #finish<T>(index: number, op: () => E.Either<VimFault, T>): E.Either<VimFault, T> {
    const result = op();
    this.#completedAt[index] = this.#clock.now();
    if (E.isLeft(result)) {
      this.#statuses[index] = 'Failed';
      this.#faults.set(index, { error: result.left.message, details: result.left.details });
    } else this.#statuses[index] = 'Completed';
    this.#emit(index);
    return result;
  }

  /** Tells the listeners about row `index` as it is now (built only when someone listens). */
  #emit(index: number): void {
    if (this.#listeners.size === 0) return;
    const task = this.#row(index);
    for (const listener of [...this.#listeners]) listener(task);
  }
}

/** Formats Recent Tasks as a table (name, target, status, details, initiator, times as ISO). */
export const formatRecentTasks = (tasks: readonly TaskInfo[], iso: (t: number) => string): string[] => {
  const rows = [
    ['Task Name', 'Target', 'Status', 'Details', 'Initiator', 'Queued For', 'Start Time', 'Completion Time'],
    ...tasks.map((t) => [
      t.name,
      t.target,
      t.status,
      t.status === 'Failed' ? (t.error ?? '') : '',
      t.initiator,
      `${t.startedAt - t.queuedAt} ms`,
      iso(t.startedAt),
      t.completedAt === undefined ? '' : iso(t.completedAt),
    ]),
  ];
  return alignColumns(rows);
};

/** Pads columns like Go's tabwriter with padding 2 (what govc uses for its tables). */
export const alignColumns = (rows: readonly (readonly string[])[]): string[] => {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + 2))).join('').trimEnd());
};
