// The bosh CLI commands failsim speaks: `bosh -d <deployment> cck [--auto|--report|
// --resolution <name>…]`, `instances`, `vms`, `tasks --recent`, `task <id>`. Output follows
// cloudfoundry/bosh-cli (main, 2025): cmd/cloud_check.go (table, choices, confirmation,
// `<n> problem(s) found`), ui/task/reporter.go (event lines, the `L Error:` indent, task
// summary), ui/fmt (time formats), cmd/opts/opts.go (flag names).
import * as E from 'fp-ts/lib/Either.js';
import type { SimClock } from '@failsim/core';
import { concat, defer, from, Observable, of, type Subscription } from 'rxjs';
import { CloudCheck, type Problem } from './cck.js';
import type { Director } from './director.js';
import { formatDuration, formatFullTime, formatHours, type BoshTask, type TaskEvent, type TaskRun } from './task.js';

/** A parsed bosh command. */
export type BoshCommand =
  | {
      readonly kind: 'cck';
      readonly deployment: string;
      readonly auto: boolean;
      readonly report: boolean;
      readonly resolutions: readonly string[];
      readonly nonInteractive: boolean;
    }
  | { readonly kind: 'instances' | 'vms'; readonly deployment: string }
  | { readonly kind: 'tasks'; readonly recent: number | undefined; readonly deployment: string | undefined }
  | { readonly kind: 'task'; readonly id: number };

/** A usage error: what the CLI prints before `Exit code 1`. */
export interface BoshCliError {
  readonly message: string;
}

const usage = (message: string): E.Either<BoshCliError, never> => E.left({ message });

/**
 * Parses a command line (`bosh` may be omitted). Understands `-d`/`--deployment` anywhere,
 * `-n`/`--non-interactive`, `cck`/`cloud-check` with `-a`/`--auto`, `-r`/`--report`,
 * `--resolution <name>` (repeatable, also `--resolution=<name>`), `instances`/`is`, `vms`,
 * `tasks [-r|--recent[=N]]`, `task <id>`.
 */
export const parseBoshCommand = (line: string): E.Either<BoshCliError, BoshCommand> => {
  const words = line.trim().split(/\s+/).filter((w) => w.length > 0);
  if (words[0] === 'bosh') words.shift();
  let deployment: string | undefined;
  let nonInteractive = false;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-d' || w === '--deployment') {
      const value = words[++i];
      if (value === undefined) return usage(`expected argument for flag '${w}'`);
      deployment = value;
    } else if (w.startsWith('--deployment=')) deployment = w.slice('--deployment='.length);
    else if (w === '-n' || w === '--non-interactive') nonInteractive = true;
    else rest.push(w);
  }
  const [command, ...args] = rest;
  const needDeployment = (): E.Either<BoshCliError, string> =>
    deployment === undefined || deployment === '' ? usage('Expected non-empty deployment name') : E.right(deployment);
  switch (command) {
    case 'cck':
    case 'cloud-check': {
      let auto = false;
      let report = false;
      const resolutions: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i] as string;
        if (a === '-a' || a === '--auto') auto = true;
        else if (a === '-r' || a === '--report') report = true;
        else if (a === '--resolution') {
          const value = args[++i];
          if (value === undefined) return usage("expected argument for flag '--resolution'");
          resolutions.push(value);
        } else if (a.startsWith('--resolution=')) resolutions.push(a.slice('--resolution='.length));
        else return usage(`unknown flag '${a}'`);
      }
      if (auto && resolutions.length > 0) return usage('Cannot use --auto and --resolution together');
      return E.map((d: string): BoshCommand => ({ kind: 'cck', deployment: d, auto, report, resolutions, nonInteractive }))(needDeployment());
    }
    case 'instances':
    case 'is':
    case 'vms': {
      if (args.length > 0) return usage(`unknown flag '${args[0]}'`);
      const kind = command === 'vms' ? 'vms' : 'instances';
      return E.map((d: string): BoshCommand => ({ kind, deployment: d }))(needDeployment());
    }
    case 'tasks': {
      let recent: number | undefined;
      for (const a of args) {
        if (a === '-r' || a === '--recent') recent = 30;
        else if (a.startsWith('--recent=')) {
          const n = Number(a.slice('--recent='.length));
          if (!Number.isInteger(n) || n < 1) return usage(`invalid value for '--recent': '${a.slice(9)}'`);
          recent = n;
        } else return usage(`unknown flag '${a}'`);
      }
      return E.right({ kind: 'tasks', recent, deployment });
    }
    case 'task': {
      const id = Number(args[0]);
      if (args.length !== 1 || !Number.isInteger(id) || id < 1) return usage('Expected a task ID');
      return E.right({ kind: 'task', id });
    }
    case undefined:
      return usage('Expected a command');
    default:
      return usage(`Unknown command '${command}'`);
  }
};

/** An answer typed at a prompt, optionally after a think time (virtual ms). */
export type BoshAnswer = string | { readonly text: string; readonly afterMs: number };

/** Options of {@link BoshCli}. */
export interface BoshCliOptions {
  /** The director's address in `Using environment '<env>' as client '<client>'`. Default `10.27.51.141` (the seed's). */
  readonly environment?: string;
  /** Default: the director's user. */
  readonly client?: string;
}

/** Options of one {@link BoshCli.run}. */
export interface BoshRunOptions {
  /** What the user types at each prompt, in order; when they run out the CLI acts as with `-n`. */
  readonly answers?: readonly BoshAnswer[];
}

/**
 * The bosh CLI against a {@link Director}. `run` parses synchronously (Left: usage error)
 * and returns the printed lines as an Observable in virtual time: lines appear as tasks
 * progress, and the last line is `Succeeded` or `Exit code 1`.
 */
export class BoshCli {
  /** The cloud check of this director (scan and resolve without the CLI). */
  readonly cck: CloudCheck;
  private readonly environment: string;
  private readonly client: string;

  constructor(
    private readonly director: Director,
    options: BoshCliOptions = {},
  ) {
    this.cck = new CloudCheck(director);
    this.environment = options.environment ?? '10.27.51.141';
    this.client = options.client ?? director.user;
  }

  /** Parses and runs a command; see the class comment. */
  run(line: string, options: BoshRunOptions = {}): E.Either<BoshCliError, Observable<string>> {
    return E.map((command: BoshCommand) => this.execute(command, options))(parseBoshCommand(line));
  }

  /**
   * Runs a command that takes no virtual time (`instances`, `vms`, `tasks`, a finished
   * `task`) and returns its lines; Left for a usage error or a command that would wait.
   */
  runNow(line: string): E.Either<BoshCliError, string[]> {
    const out = this.run(line);
    if (E.isLeft(out)) return out;
    const lines: string[] = [];
    let finished = false;
    const sub: Subscription = out.right.subscribe({ next: (l) => lines.push(l), complete: () => (finished = true) });
    if (!finished) {
      sub.unsubscribe();
      return usage(`'${line}' takes virtual time: use run() and advance the clock`);
    }
    return E.right(lines);
  }

  private header(deployment?: string): string[] {
    const lines = [`Using environment '${this.environment}' as client '${this.client}'`, ''];
    if (deployment !== undefined) lines.push(`Using deployment '${deployment}'`, '');
    return lines;
  }

  private execute(command: BoshCommand, options: BoshRunOptions): Observable<string> {
    switch (command.kind) {
      case 'cck':
        return this.cloudCheck(command, [...(options.answers ?? [])]);
      case 'instances':
      case 'vms':
        return defer(() => from(this.instancesTable(command.kind, command.deployment)));
      case 'tasks':
        return defer(() => from(this.tasksTable(command.recent, command.deployment)));
      case 'task':
        return defer(() => {
          const run = this.director.taskRun(command.id);
          if (!run) return from([...this.header(), `Task '${command.id}' not found`, '', 'Exit code 1']);
          return concat(from(this.header()), renderTask(run, this.director.clock), of('', run.task.state === 'error' ? 'Exit code 1' : 'Succeeded'));
        });
    }
  }

  private fail(lines: string[], message: string): string[] {
    return [...lines, ...message.split('\n'), '', 'Exit code 1'];
  }

  private instancesTable(kind: 'instances' | 'vms', deployment: string): string[] {
    const record = this.director.deployment(deployment);
    if (!record) return this.fail(this.header(), `Deployment '${deployment}' doesn't exist`);
    const cpi = this.director.cpi;
    const rows = record.instances.map((i) => {
      const state = i.vmCid === undefined ? '-' : cpi.agentResponds(i.vmCid) ? 'running' : 'unresponsive agent';
      const base = [`${i.group}/${i.uuid}`, state, '-', '-'];
      return kind === 'vms' ? [...base, i.vmCid ?? '-', '-', 'true'] : base;
    });
    const head = kind === 'vms' ? ['Instance', 'Process State', 'AZ', 'IPs', 'VM CID', 'VM Type', 'Active'] : ['Instance', 'Process State', 'AZ', 'IPs'];
    return [...this.header(), `Deployment '${deployment}'`, '', ...table(head, rows), '', `${rows.length} ${kind}`, '', 'Succeeded'];
  }

  private tasksTable(recent: number | undefined, deployment: string | undefined): string[] {
    const clock = this.director.clock;
    let tasks = this.director.tasks().filter((t) => deployment === undefined || t.deployment === deployment);
    // Without --recent, `bosh tasks` lists only running tasks.
    tasks = recent === undefined ? tasks.filter((t) => t.state === 'processing' || t.state === 'queued') : tasks.slice(0, recent);
    const rows = tasks.map((t) => [
      String(t.id),
      t.state,
      formatFullTime(clock.date(t.startedAt)),
      t.finishedAt === undefined ? '-' : formatFullTime(clock.date(t.finishedAt)),
      t.user,
      t.deployment,
      t.description,
      t.result ?? '-',
    ]);
    const head = ['ID', 'State', 'Started At', 'Finished At', 'User', 'Deployment', 'Description', 'Result'];
    return [...this.header(), ...table(head, rows), '', `${rows.length} tasks`, '', 'Succeeded'];
  }

  // cmd/cloud_check.go `Run`.
  private cloudCheck(command: Extract<BoshCommand, { kind: 'cck' }>, answers: BoshAnswer[]): Observable<string> {
    return new Observable<string>((out) => {
      const { deployment } = command;
      const clock = this.director.clock;
      const print = (...lines: string[]): void => lines.forEach((l) => out.next(l));
      const exit = (message: string): void => {
        print(...message.split('\n'), '', 'Exit code 1');
        out.complete();
      };
      print(...this.header(deployment));
      const scan = this.cck.scan(deployment);
      if (E.isLeft(scan)) return exit(scan.left);
      const subs: Subscription[] = [];
      let pending: { cancel(): void } | undefined;
      // Each prompt takes the next answer after its think time; none left means -n.
      const ask = (prompt: string, fallback: string | undefined, then: (answer: string | undefined) => void): void => {
        const next = command.nonInteractive ? undefined : answers.shift();
        if (next === undefined) return then(fallback);
        const text = typeof next === 'string' ? next : next.text;
        const after = typeof next === 'string' ? 0 : next.afterMs;
        pending = clock.schedule(
          after,
          () => {
            print(`${prompt}: ${text}`);
            then(text);
          },
          { owner: 'bosh-cli', purpose: `user answers '${prompt}'` },
        );
      };
      const afterScan = (task: BoshTask): void => {
        if (task.state === 'error') return exit(`Scanning problems for deployment '${deployment}':\n  Expected task '${task.id}' to succeed but state is 'error'`);
        const problems = this.cck.problems(deployment);
        print('', ...table(['#', 'Type', 'Description'], problems.map((p) => [String(p.id), p.type, p.description])), '', `${problems.length} problems`, '');
        if (problems.length === 0) {
          print('Succeeded');
          return out.complete();
        }
        if (command.report) return exit(`${problems.length} problem(s) found`);
        const chosen = new Map<number, string>();
        const confirm = (): void =>
          ask('Continue? [yN]', 'y', (answer) => {
            if (answer === undefined || !/^y(es)?$/i.test(answer)) return exit('Stopped');
            print('');
            apply(chosen);
          });
        if (command.auto) {
          problems.forEach((p) => chosen.set(p.id, 'default'));
          return confirm();
        }
        if (command.resolutions.length > 0) {
          // applyResolutions: the first listed name a problem offers, else Skip.
          problems.forEach((p) => chosen.set(p.id, command.resolutions.find((r) => p.resolutions.some((o) => o.name === r)) ?? 'ignore'));
          return confirm();
        }
        const choose = (index: number): void => {
          const p = problems[index];
          if (!p) return confirm();
          print(...p.resolutions.map((r, i) => `${i + 1}: ${r.plan}`), '');
          this.askChoice(p, ask, (name) => {
            if (name === undefined) return exit('Cannot ask for a choice in non-interactive UI');
            chosen.set(p.id, name);
            choose(index + 1);
          });
        };
        choose(0);
      };
      const apply = (chosen: ReadonlyMap<number, string>): void => {
        const resolve = this.cck.resolve(deployment, chosen);
        if (E.isLeft(resolve)) return exit(resolve.left);
        follow(resolve.right, (task) => {
          if (task.state === 'error') return exit(`Resolving problems for deployment '${deployment}':\n  Expected task '${task.id}' to succeed but state is 'error'`);
          print('', 'Succeeded');
          out.complete();
        });
      };
      const follow = (run: TaskRun, then: (task: BoshTask) => void): void => {
        subs.push(renderTask(run, clock).subscribe({ next: (l) => out.next(l), complete: () => then(run.task) }));
      };
      follow(scan.right, afterScan);
      return () => {
        subs.forEach((s) => s.unsubscribe());
        pending?.cancel();
      };
    });
  }

  // ui.AskForChoice: a number from 1, the default (1) on an empty answer.
  private askChoice(p: Problem, ask: (prompt: string, fallback: string | undefined, then: (a: string | undefined) => void) => void, then: (name: string | undefined) => void): void {
    ask(`${p.description} (1)`, undefined, (answer) => {
      if (answer === undefined) return then(undefined);
      const n = answer.trim() === '' ? 1 : Number(answer);
      const r = p.resolutions[n - 1];
      then(r ? r.name : p.autoResolution);
    });
  }
}

// bosh-cli indents `L Error:` by `len(string(id))`: Go's string(int) is the rune with that
// code point, so the width is its UTF-8 length (2 for task 1678, hence the seed's 20 spaces).
const utf8Width = (codePoint: number): number => {
  if (codePoint < 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return 3; // U+FFFD
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
};

/**
 * The lines bosh-cli's event reporter prints for a task (ui/task/reporter.go): `Task <n>`,
 * a blank line, one `Task <n> | HH:MM:SS | <stage>: <task> (<duration>)` per step,
 * `L Error:` under a failed step, a blank line and `Task <n> | HH:MM:SS | Error: …` for a
 * task error, then Started/Finished/Duration and `Task <n> <state>`. A line is emitted
 * when complete, so a step shows when it ends (the terminal shows it at its start and
 * appends the duration).
 */
export const renderTask = (run: TaskRun, clock: SimClock): Observable<string> =>
  new Observable<string>((out) => {
    const id = run.task.id;
    const prefix = (time: number): string => `Task ${id} | ${formatHours(clock.date(time))} | `;
    const kept: TaskEvent[] = [];
    let open: Extract<TaskEvent, { kind: 'step' }> | undefined;
    let first = true;
    const flushOpen = (): void => {
      if (open) out.next(`${prefix(open.time)}${open.stage}: ${open.task}`);
      open = undefined;
    };
    out.next(`Task ${id}`);
    const sub = run.events$.subscribe({
      next: (event) => {
        if (first) out.next('');
        first = false;
        const started = open;
        if (event.kind === 'step' && started && event.stage === started.stage && event.task === started.task && event.state !== 'started') {
          open = undefined;
          out.next(`${prefix(started.time)}${started.stage}: ${started.task} (${formatDuration(event.time - started.time)})`);
          if (event.state === 'failed') out.next(`     ${' '.repeat(utf8Width(id))}             L Error: ${event.error ?? ''}`);
        } else {
          flushOpen();
          if (event.kind === 'error') {
            out.next('');
            out.next(`${prefix(event.time)}Error: ${event.message}`);
          }
          else if (event.state === 'started') open = event;
          else {
            const start = kept.find((k) => k.kind === 'step' && k.stage === event.stage && k.task === event.task);
            out.next(`${prefix(event.time)}${event.stage}: ${event.task} (${formatDuration(start ? event.time - start.time : 0)})`);
            if (event.state === 'failed') out.next(`     ${' '.repeat(utf8Width(id))}             L Error: ${event.error ?? ''}`);
          }
        }
        kept.push(event);
      },
      complete: () => {
        flushOpen();
        const head = kept[0];
        const last = kept[kept.length - 1];
        if (head && last) {
          out.next('');
          out.next(`Task ${id} Started  ${formatFullTime(clock.date(head.time))}`);
          out.next(`Task ${id} Finished ${formatFullTime(clock.date(last.time))}`);
          out.next(`Task ${id} Duration ${formatDuration(last.time - head.time)}`);
        }
        out.next(`Task ${id} ${run.task.state}`);
        out.complete();
      },
    });
    return () => sub.unsubscribe();
  });

/** bosh-cli's table layout: columns padded to their widest cell, separated by two spaces, the last unpadded. */
export const table = (head: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').split('\n')[0]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)];
};

