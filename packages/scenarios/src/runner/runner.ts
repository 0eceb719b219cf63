// The scenario runner: builds the environment a scenario describes, applies its
// resources, runs its steps on the simulation clock (at / after / when), records events
// and transitions, and checks the expectations at the end. The result is the JSON
// contract of README "Runner".
import type { NodeSpec, VersionProfile } from '@failsim/controllers';
import { nodeStatus, podColumns } from '@failsim/controllers';
import { checkInvariants, type KubeObject } from '@failsim/core';
import { checkVsphereInvariants } from '@failsim/vsphere';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { articleEnvironment, type ArticleEnvironment } from '../environment/article-environment.js';
import { parseCommand, type Command } from '../format/command.js';
import type { LoadedScenario } from '../format/load-scenario.js';
import { checkRelativePath } from '../format/parse-scenario.js';
import { parseTemplate, type Template } from '../format/reference.js';
import type { Expectation, ObjectRef, ScenarioStep } from '../format/scenario.js';
import { sharedYamlCache } from '../format/yaml-cache.js';
import { DEFAULT_YAML_LIMITS } from '../format/yaml-source.js';
import { ABSENT, checkExpectation, objectField, type DataProbe, type ExpectationResult } from './expectations.js';
import { detectHazards, type Hazard, type HazardKind } from '../hazards/detect-hazards.js';
import { Recorder, type RecordedEvent, type RecorderListener, type Transition } from './recorder.js';
import { resolveTemplate } from './references.js';

/** One step as it ran. */
export interface StepRecord {
  /** Virtual seconds from the scenario start when the step ran. */
  readonly at: number;
  /** The command line with its references resolved. */
  readonly command: string;
  readonly ok: boolean;
  /** What the command printed (or its error), lines joined with "\n". */
  readonly output: string;
}

/** A real-world danger the run reproduced (README "Hazards"). */
export interface HazardRecord {
  /** Virtual seconds from the scenario start. */
  readonly at: number;
  readonly kind: HazardKind;
  readonly object: string;
  readonly message: string;
}

/** The result of a run: a stable JSON contract (README "Runner"). */
export interface ScenarioResult {
  readonly scenario: string;
  readonly profile: string;
  readonly seed: number;
  readonly passed: boolean;
  readonly steps: readonly StepRecord[];
  readonly events: readonly RecordedEvent[];
  readonly transitions: readonly Transition[];
  readonly expectations: readonly ExpectationResult[];
  readonly hazards: readonly HazardRecord[];
}

/** Options of {@link runScenario}. */
export interface RunOptions {
  /** Replaces the scenario's seed. */
  readonly seed?: number;
  /** End of the run in virtual ms; replaces the scenario's `until`. */
  readonly until?: number;
  /** Replaces the scenario's (already overridden) profile. */
  readonly profile?: VersionProfile;
  /** Told of each step, event and transition as it happens, synchronously, on the simulation clock. */
  readonly observer?: RunObserver;
  /** Load the cluster and the resources but run none of the steps (the user injects the faults). */
  readonly free?: boolean;
  /**
   * Check failsim's own invariants (core and vSphere) while running; default true. A
   * violation is a bug in failsim: it is thrown as an InvariantViolation with its history.
   */
  readonly invariants?: boolean;
}

/** A live view of a run: called as records are made (the environment can be read at that moment). */
export interface RunObserver extends RecorderListener {
  /** A step has finished (its `at` is when it started). */
  step?(step: StepRecord): void;
  /** A real-world danger was found (after its Warning Event was recorded). */
  hazard?(hazard: HazardRecord): void;
}

/** A step not yet started, as a live view announces it. */
export interface UpcomingStep {
  readonly id: string;
  readonly line: string;
  /** Virtual seconds from the start when it is due; undefined for a `when` step still waiting. */
  readonly dueAt?: number;
  /** The `when` condition, as written (`pod/cassandra/cassandra-0 is Running`). */
  readonly condition?: string;
}

/**
 * A scenario ready to run. Batch use: `runToEnd()`. Live use (a dashboard pacing the
 * clock itself): `start()`, then advance `env.cluster.sim.clock`, read `nextStep()`,
 * and `finish()` for the result so far.
 */
export interface ScenarioRun {
  /** The environment (for dashboards and tests that want to look inside). */
  readonly env: ArticleEnvironment;
  readonly recorder: Recorder;
  /** The simulation time (ms) the scenario starts at: its `at` 0. */
  readonly startMs: number;
  /** Applies the resources and schedules the steps on the clock; runs nothing. Idempotent. */
  start(): void;
  /** The next step that has not started, or undefined when all have. */
  nextStep(): UpcomingStep | undefined;
  /** True once every step has run (or could not). */
  stepsDone(): boolean;
  /**
   * Runs one command line now, as a step would (`kubectl …`, `govc …`, `bosh -d … cck …`,
   * `partition node …`, references allowed). A line that does not parse or whose
   * references do not resolve changes nothing and is returned as Left; otherwise the
   * record goes to `steps` and the observer when the command ends (bosh tasks take
   * virtual time) and to `done`.
   */
  command(line: string, done?: (record: StepRecord) => void): E.Either<string, void>;
  /** Checks the expectations at the current time and returns the result; the run can go on. */
  finish(): ScenarioResult;
  /** `start()`, runs to `until` (else until the steps are done and every expectation can be decided), `finish()`. */
  runToEnd(): ScenarioResult;
}

/** How often a `when` condition and a data expectation are re-checked (virtual ms). */
const POLL_MS = 1_000;
/** Without `until`, how long the runner waits at most for the steps to finish. */
const STEPS_LIMIT_MS = 24 * 3_600_000;

const OWNER = 'scenario-runner';

/**
 * Builds the environment of `loaded` and schedules its steps; nothing runs before
 * `runToEnd()`.
 * @example
 * const loaded = loadScenario('scenarios/statefulset-node-poweroff.yaml');
 * if (E.isRight(loaded)) console.log(JSON.stringify(runScenario(loaded.right).runToEnd()));
 */
export const runScenario = (loaded: LoadedScenario, options: RunOptions = {}): ScenarioRun => {
  const seed = options.seed ?? loaded.seed;
  const profile = options.profile ?? loaded.profile;
  const nodes: NodeSpec[] = loaded.cluster.nodes.map((n) => ({ name: n.name, role: n.role, ...(n.zone ? { zone: n.zone } : {}) }));
  const vmOf = new Map(loaded.cluster.nodes.map((n) => [n.name, n.vm]));
  // Every datastore the scenario declares; the first is the default one.
  const [datastore, ...moreDatastores] = loaded.cluster.vsphere?.datastores.map((d) => d.name) ?? [];
  const policies = [...new Set(loaded.cluster.vsphere?.datastores.flatMap((d) => d.policies) ?? [])];
  // The scenario's VCP or CSI storage always lives in vSphere; with BOSH the director comes along.
  const env = articleEnvironment({
    profile,
    seed,
    nodes,
    vmName: (node) => vmOf.get(node.name) ?? node.name,
    ...(loaded.cluster.vsphere ? { hosts: loaded.cluster.vsphere.hosts } : {}),
    ...(datastore ? { datastore, moreDatastores } : {}),
    // A scenario names its policies; each is vSAN's default, RAID-1 with one failure to tolerate.
    ...(policies.length > 0 ? { storagePolicies: ['raid-1', ...policies.filter((p) => p !== 'raid-1')].map((name) => ({ name, hostFailuresToTolerate: 1, method: 'RAID-1' as const, minHosts: 3 })) } : {}),
    ...(loaded.cluster.bosh ? { deployment: loaded.cluster.bosh.deployment } : {}),
  });
  const clock = env.cluster.sim.clock;
  const startMs = clock.now();
  const observer = options.observer ?? {};
  const recorder = new Recorder(env, startMs, observer);
  // The checkers watch from the first write on; the detector reports what the run reproduces.
  const invariants = options.invariants === false ? undefined : { core: checkInvariants(env.cluster.sim), vsphere: checkVsphereInvariants(env.vcenter) };
  const hazardRecord = (h: Hazard): HazardRecord => ({ at: (h.at - startMs) / 1000, kind: h.kind, object: h.object, message: h.message });
  const hazards = detectHazards(env, { onHazard: (h) => observer.hazard?.(hazardRecord(h)) });
  const client = env.cluster.sim.api.client(OWNER);
  const seconds = (): number => (clock.now() - startMs) / 1000;

  const steps: StepRecord[] = [];
  /** A step has ended: it joins the result and the observer hears of it. */
  const recordStep = (record: StepRecord): void => {
    steps.push(record);
    observer.step?.(record);
  };
  const stepAt = new Map<string, number>();
  const resolvedObjects = new Map<Expectation, E.Either<string, string>>();
  const probes = new Map<Expectation, DataProbe[]>();
  let stepsDone = false;
  /** The step being waited for, with when it is due (absolute ms) if known. */
  let upcoming: { index: number; dueMs?: number } | undefined;
  /** Steps that could not run (a `when` that timed out, a reference that did not resolve). */
  let broken = 0;
  const pendingArms = new Map<string, (() => void)[]>();
  /** A step has started: expectations anchored to it can resolve and arm their probes. */
  const markStep = (id: string, at: number): void => {
    stepAt.set(id, at);
    for (const arm of pendingArms.get(id) ?? []) arm();
  };

  const templateOf = (ref: ObjectRef): Template => ref.name;
  const resolveFor = (exp: Expectation): void => {
    if (exp.kind === 'data') resolvedObjects.set(exp, resolveTemplate(env, exp.pod.name));
    else if (exp.kind !== 'event' || exp.object) resolvedObjects.set(exp, resolveTemplate(env, templateOf(exp.object!)));
  };

  /** The live status of an object, as a `when` condition reads it. */
  const statusNow = (ref: ObjectRef): E.Either<string, string | undefined> => {
    const name = resolveTemplate(env, ref.name);
    if (E.isLeft(name)) return name;
    const target = objectField(ref, name.right);
    if (E.isLeft(target)) return target;
    if (ref.kind === 'node') {
      const node = client.get('Node', name.right);
      return E.right(E.isRight(node) ? nodeStatus(node.right) : undefined);
    }
    if (ref.kind === 'pod') {
      const pod = client.get('Pod', name.right, ref.namespace);
      return E.right(E.isRight(pod) ? podColumns(pod.right).status : undefined);
    }
    return E.right(env.vcenter.vm(name.right)?.powerState);
  };

  const applyFile = (file: string): E.Either<string, KubeObject[]> => {
    const checked = checkRelativePath(file);
    if (E.isLeft(checked)) return E.left(`error: ${checked.left}`);
    const path = resolve(dirname(loaded.file), checked.right);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return E.left(`error: the path "${file}" does not exist`);
    }
    const docs = sharedYamlCache.read(text, path, true, DEFAULT_YAML_LIMITS);
    if (E.isLeft(docs)) return E.left(`error: ${docs.left.map((e) => e.message).join('; ')}`);
    return E.right(docs.right.map((d) => d.value as KubeObject));
  };

  /** Runs a command; calls `done` once, now or later in virtual time. */
  const execute = (command: Command, line: string, done: (ok: boolean, output: string) => void): void => {
    const sync = (result: E.Either<string | { message: string }, readonly string[]>): void =>
      E.isLeft(result) ? done(false, typeof result.left === 'string' ? result.left : result.left.message) : done(true, result.right.join('\n'));
    const name = (t: Template): E.Either<string, string> => resolveTemplate(env, t);
    const withName = (t: Template, f: (n: string) => void): void => {
      const n = name(t);
      if (E.isLeft(n)) done(false, n.left);
      else f(n.right);
    };
    const stream = (
      lines$: { subscribe(o: { next(l: string): void; error(e: unknown): void; complete(): void }): unknown },
      succeeded: (out: readonly string[]) => boolean = () => true,
    ): void => {
      const out: string[] = [];
      lines$.subscribe({
        next: (l) => out.push(l),
        error: (e) => done(false, [...out, e instanceof Error ? e.message : String(e)].join('\n')),
        complete: () => done(succeeded(out), out.join('\n')),
      });
    };
    const k = env.cluster.kubectl;
    switch (command.tool) {
      case 'govc':
        return sync(env.govc.run(line));
      case 'bosh': {
        const run = env.bosh.run(line);
        if (E.isLeft(run)) return done(false, run.left.message);
        // bosh prints its failure as the last line, as the CLI exits non-zero.
        return stream(run.right, (out) => !/^Exit code [1-9]/.test(out[out.length - 1] ?? ''));
      }
      case 'failsim':
        return withName(command.node, (n) => {
          // The machines throw a RangeError for a node the cluster does not have.
          try {
            const machines = env.cluster.machines;
            if (command.verb === 'partition') machines.partition(n);
            else if (command.verb === 'heal') machines.heal(n);
            else machines.restartKubelet(n);
          } catch (e) {
            return done(false, `error: ${e instanceof Error ? e.message : String(e)}`);
          }
          done(true, `node ${n} ${command.verb === 'partition' ? 'partitioned' : command.verb === 'heal' ? 'healed' : 'kubelet restarted'}`);
        });
      case 'kubectl':
        switch (command.verb) {
          case 'delete-node':
            return withName(command.node, (n) => sync(k.deleteNode(n)));
          case 'delete-nodes': {
            if (command.selector !== undefined) return sync(k.deleteNodes({ selector: command.selector }));
            const names: string[] = [];
            for (const t of command.nodes) {
              const n = name(t);
              if (E.isLeft(n)) return done(false, n.left);
              names.push(n.right);
            }
            return sync(k.deleteNodes({ names }));
          }
          case 'delete-pod':
            return withName(command.pod, (n) =>
              sync(k.deletePod(n, { ...(command.namespace ? { namespace: command.namespace } : {}), force: command.force, ...(command.gracePeriodSeconds !== undefined ? { gracePeriod: command.gracePeriodSeconds } : {}) })),
            );
          case 'drain':
            return withName(command.node, (n) =>
              stream(
                k.drain(n, {
                  ignoreDaemonsets: command.ignoreDaemonsets, deleteEmptydirData: command.deleteEmptydirData, force: command.force, disableEviction: command.disableEviction,
                  ...(command.gracePeriodSeconds !== undefined ? { gracePeriod: command.gracePeriodSeconds } : {}), ...(command.timeoutMs !== undefined ? { timeout: command.timeoutMs } : {}),
                }),
              ),
            );
          case 'cordon':
            return withName(command.node, (n) => sync(k.cordon(n)));
          case 'uncordon':
            return withName(command.node, (n) => sync(k.uncordon(n)));
          case 'taint-nodes':
            return withName(command.node, (n) => {
              const out: string[] = [];
              for (const t of command.taints) {
                const spec = `${t.key}${t.value !== undefined ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}${t.remove ? '-' : ''}`;
                const r = k.taint(n, spec);
                if (E.isLeft(r)) return done(false, [...out, r.left].join('\n'));
                out.push(...r.right);
              }
              done(true, out.join('\n'));
            });
          case 'scale':
            return sync(k.scale(command.kind, command.name, command.replicas, command.namespace ?? 'default'));
          case 'apply': {
            const objects = applyFile(command.file);
            if (E.isLeft(objects)) return done(false, objects.left);
            const ns = command.namespace;
            return sync(k.apply(ns ? objects.right.map((o) => ({ ...o, metadata: { namespace: ns, ...o.metadata } })) : objects.right));
          }
          case 'exec':
            return withName(command.pod, (n) => sync(k.exec(n, command.command, command.namespace ?? 'default')));
        }
    }
  };

  /** Runs step `i` and, when it is done, schedules the next. */
  const runStep = (i: number): void => {
    const step: ScenarioStep | undefined = loaded.steps[i];
    if (step === undefined) {
      stepsDone = true;
      return;
    }
    const begin = (): void => {
      const at = seconds();
      markStep(step.id, at);
      for (const exp of loaded.expectations) if (exp.after === step.id) resolveFor(exp);
      const line = E.chain((t: Template) => resolveTemplate(env, t))(parseTemplate(step.line));
      upcoming = undefined;
      const finish = (ok: boolean, output: string): void => {
        const record: StepRecord = { at, command: E.isRight(line) ? line.right : step.line, ok, output };
        recordStep(record);
        next();
      };
      if (E.isLeft(line)) {
        broken++;
        return finish(false, line.left);
      }
      execute(step.command, line.right, finish);
    };
    const next = (): void => runStep(i + 1);
    const trigger = step.trigger;
    upcoming = { index: i, ...(trigger.kind === 'at' ? { dueMs: Math.max(clock.now(), startMs + trigger.atMs) } : trigger.kind === 'after' ? { dueMs: clock.now() + trigger.afterMs } : {}) };
    if (trigger.kind === 'at') {
      const due = startMs + trigger.atMs;
      // Steps run in order: an `at` already past (the previous step ran long) runs at once.
      if (due <= clock.now()) begin();
      else clock.scheduleAt(due, begin, { owner: OWNER, purpose: `step ${step.id} at ${trigger.atMs / 1000}s` });
    } else if (trigger.kind === 'after') {
      clock.schedule(trigger.afterMs, begin, { owner: OWNER, purpose: `step ${step.id} after ${trigger.afterMs / 1000}s` });
    } else {
      const deadline = clock.now() + trigger.timeoutMs;
      // One label for every poll of this step: a poll that finds nothing builds no string.
      const pollLabel = { owner: OWNER, purpose: `step ${step.id}: is ${trigger.object.name.raw} ${trigger.status}?` };
      const poll = (): void => {
        const status = statusNow(trigger.object);
        if (E.isRight(status) && (trigger.status === ABSENT ? status.right === undefined : status.right === trigger.status)) return begin();
        if (clock.now() >= deadline) {
          const last = E.isLeft(status) ? status.left : status.right === undefined ? 'it does not exist' : `it is ${status.right}`;
          upcoming = undefined;
          const record: StepRecord = {
            at: seconds(), command: step.line, ok: false,
            output: `step ${step.id}: timed out after ${trigger.timeoutMs / 1000}s waiting for ${trigger.object.kind}/${trigger.object.namespace ? `${trigger.object.namespace}/` : ''}${trigger.object.name.raw} to be ${trigger.status} (${last})`,
          };
          recordStep(record);
          markStep(step.id, seconds());
          broken++;
          return next();
        }
        clock.schedule(POLL_MS, poll, pollLabel);
      };
      poll();
    }
  };

  /** Data expectations with a window: probe every second in it until the answer is right. */
  const scheduleProbes = (): void => {
    for (const exp of loaded.expectations) {
      if (exp.kind !== 'data' || exp.within === undefined) continue;
      const within = exp.within;
      const list: DataProbe[] = [];
      probes.set(exp, list);
      const probeLabel = { owner: OWNER, purpose: `expectation: cqlsh in ${exp.pod.name.raw}` };
      const anchorMs = (): number | undefined => (exp.after === undefined ? startMs : stepAt.has(exp.after) ? startMs + stepAt.get(exp.after)! * 1000 : undefined);
      const probe = (endMs: number): void => {
        const p = probeData(exp);
        list.push(p);
        const good = exp.absent ? !p.output.includes(exp.contains) : p.ok && p.output.includes(exp.contains);
        if (!good && clock.now() + POLL_MS <= endMs) clock.schedule(POLL_MS, () => probe(endMs), probeLabel);
      };
      const arm = (): void => {
        const anchor = anchorMs();
        if (anchor === undefined) return;
        clock.scheduleAt(Math.max(clock.now(), anchor + within.fromMs), () => probe(anchor + within.toMs), probeLabel);
      };
      if (exp.after === undefined) arm();
      else pendingArms.set(exp.after, [...(pendingArms.get(exp.after) ?? []), arm]);
    }
  };
  const probeData = (exp: Extract<Expectation, { kind: 'data' }>): DataProbe => {
    const pod = resolveTemplate(env, exp.pod.name);
    if (E.isLeft(pod)) return { at: seconds(), ok: false, output: pod.left };
    const out = env.cluster.kubectl.exec(pod.right, ['cqlsh', '-e', exp.query], exp.pod.namespace);
    return { at: seconds(), ok: E.isRight(out), output: E.isRight(out) ? out.right.join('\n') : out.left };
  };

  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    recorder.start();
    // As `kubectl apply -f` does with several objects: an error on one does not stop the rest.
    const results = loaded.manifests.map((m) => env.cluster.kubectl.apply([m.manifest as unknown as KubeObject]));
    const applied: StepRecord = {
      at: 0,
      command: 'kubectl apply -f <resources>',
      ok: results.every(E.isRight),
      output: results.map((r) => (E.isRight(r) ? r.right.join('\n') : r.left)).join('\n'),
    };
    recordStep(applied);
    scheduleProbes();
    if (options.free) stepsDone = true;
    else runStep(0);
  };

  const command = (text: string, done?: (record: StepRecord) => void): E.Either<string, void> => {
    const parsed = parseCommand(text.trim());
    if (E.isLeft(parsed)) return parsed;
    const line = E.chain((t: Template) => resolveTemplate(env, t))(parseTemplate(text.trim()));
    if (E.isLeft(line)) return line;
    const at = seconds();
    execute(parsed.right, line.right, (ok, output) => {
      const record: StepRecord = { at, command: line.right, ok, output };
      recordStep(record);
      done?.(record);
    });
    return E.right(undefined);
  };

  const runToEnd = (): ScenarioResult => {
    start();
    const until = options.until ?? loaded.untilMs;
    if (until !== undefined) clock.runUntil(startMs + until);
    else {
      const limit = startMs + STEPS_LIMIT_MS;
      while (!stepsDone && clock.now() < limit && clock.step());
      clock.runUntil(startMs + horizonMs());
    }
    return finish();
  };

  const finish = (): ScenarioResult => {
    // The O(objects) audits once per result; the per-write checks ran all along.
    invariants?.core.audit();
    invariants?.vsphere.check();
    for (const exp of loaded.expectations) if (!resolvedObjects.has(exp)) resolveFor(exp);
    const end = seconds();
    for (const exp of loaded.expectations) {
      if (exp.kind !== 'data' || exp.within !== undefined) continue;
      probes.set(exp, [probeData(exp)]);
    }
    const expectations = loaded.expectations.map((exp) =>
      checkExpectation(exp, {
        anchor: exp.after === undefined ? 0 : stepAt.get(exp.after),
        ...(resolvedObjects.has(exp) ? { object: resolvedObjects.get(exp)! } : {}),
        transitions: recorder.transitions,
        events: recorder.events,
        end,
        ...(probes.has(exp) ? { probes: probes.get(exp)! } : {}),
      }),
    );
    return {
      scenario: loaded.metadata.name,
      profile: profile.name,
      seed,
      // A command that answers with an error (bosh cck's "Exit code 1") is an outcome a
      // scenario may be written to show; a step that could not run at all is not.
      passed: broken === 0 && expectations.every((e) => e.passed),
      steps,
      events: recorder.events,
      transitions: recorder.transitions,
      expectations,
      hazards: hazards.hazards.map(hazardRecord),
    };
  };

  /** Without `until`: the run ends when the last expectation can be decided. */
  const horizonMs = (): number => {
    let end = clock.now() - startMs;
    for (const exp of loaded.expectations) {
      const anchor = exp.after === undefined ? 0 : (stepAt.get(exp.after) ?? 0) * 1000;
      const span = exp.kind === 'held' ? exp.forMs : exp.kind === 'state' ? exp.within.toMs : (exp.within?.toMs ?? 0);
      end = Math.max(end, anchor + span);
    }
    return end;
  };

  const nextStep = (): UpcomingStep | undefined => {
    if (upcoming === undefined) return undefined;
    const step = loaded.steps[upcoming.index]!;
    const t = step.trigger;
    return {
      id: step.id,
      line: step.line,
      ...(upcoming.dueMs !== undefined ? { dueAt: (upcoming.dueMs - startMs) / 1000 } : {}),
      ...(t.kind === 'when' ? { condition: `${t.object.kind}/${t.object.namespace ? `${t.object.namespace}/` : ''}${t.object.name.raw} is ${t.status}` } : {}),
    };
  };

  return { env, recorder, startMs, start, nextStep, stepsDone: () => stepsDone, command, finish, runToEnd };
};
