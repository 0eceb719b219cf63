// A director task and its event log, modelled on cloudfoundry/bosh
// src/bosh-director/lib/bosh/director/event_log.rb (stages, `track_and_log` emitting a
// started event and a finished or failed one) and the task states of models/task.rb (main,
// 2025). Times are virtual; the event log keeps whole seconds, as the director's JSON
// events carry Unix seconds.
import { ReplaySubject, type Observable } from 'rxjs';

/** A task's state, as `bosh tasks` shows it. */
export type TaskState = 'queued' | 'processing' | 'done' | 'error';

/** One line of a task's event log. */
export type TaskEvent =
  | {
      /** Virtual time in ms, truncated to the second. */
      readonly time: number;
      readonly kind: 'step';
      readonly stage: string;
      readonly task: string;
      readonly state: 'started' | 'finished' | 'failed';
      /** For `failed`: the error shown as `L Error: …`. */
      readonly error?: string;
    }
  | { readonly time: number; readonly kind: 'error'; readonly message: string };

/** A director task: a numbered unit of work with an event log. */
export interface BoshTask {
  readonly id: number;
  /** `scan cloud`, `apply resolutions`, … */
  readonly description: string;
  readonly deployment: string;
  readonly user: string;
  readonly state: TaskState;
  /** Virtual ms. */
  readonly startedAt: number;
  readonly finishedAt?: number;
  /** The result text (`1 resolved`) or, for an error, the error message. */
  readonly result?: string;
  readonly events: readonly TaskEvent[];
}

/** A task being run: its record plus a live feed of its events (replayed to late subscribers). */
export class TaskRun {
  private record: BoshTask;
  private readonly feed = new ReplaySubject<TaskEvent>();

  constructor(record: Omit<BoshTask, 'state' | 'events'>) {
    this.record = { ...record, state: 'processing', events: [] };
  }

  /** The task as it stands. */
  get task(): BoshTask {
    return this.record;
  }

  /** Every event of the task, from the first, completing when the task finishes. */
  get events$(): Observable<TaskEvent> {
    return this.feed.asObservable();
  }

  /** Appends an event. */
  log(event: TaskEvent): void {
    this.record = { ...this.record, events: [...this.record.events, event] };
    this.feed.next(event);
  }

  /** Ends the task. */
  finish(state: 'done' | 'error', finishedAt: number, result: string): void {
    this.record = { ...this.record, state, finishedAt, result };
    this.feed.complete();
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A duration as bosh-cli prints it (ui/fmt `Duration`): `HH:MM:SS`. */
export const formatDuration = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
};

/** A time of day, UTC, as the event log lines show it (`15:04:05`). */
export const formatHours = (date: Date): string =>
  `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A full time as bosh-cli's TimeFullFmt (Go's UnixDate, `Mon Jan _2 15:04:05 UTC 2006`, day padded with a space). */
export const formatFullTime = (date: Date): string =>
  `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${formatHours(date)} UTC ${date.getUTCFullYear()}`;
