// What an operator would have seen during a run: `kubectl get nodes`, `kubectl get pods
// -o wide`, `kubectl describe pod` and vSphere's Recent Tasks, taken from the live
// environment through runScenario's observer (README "Runner" of @failsim/scenarios) at
// each step's end, each Node/Pod STATUS change and each new Warning about a Pod, and at
// the end `kubectl get events --sort-by=.lastTimestamp` and a describe of every workload
// Pod. The printers are kubectl's (@failsim/controllers kubectl/get-printers.ts,
// describe-printer.ts) with the profile's kubectl version, so 1.12 prints `Unknown` and
// the KIND column as the seed article shows; AGE and LAST SEEN are measured from the
// snapshot's virtual time.
//
// Several changes happen at one instant (a Pod goes Running → NodeLost → Unknown in one
// node controller pass), so a request for snapshots is served by a zero-delay timer: it
// runs after everything already due at that instant, and the tables show where the
// instant settled. A table is kept only when it differs from the last one kept, ages
// aside: a re-run of `kubectl get nodes` that shows the same rows tells nothing new.
//
// A large cluster's story is told the way an operator would follow it there: a table of
// more than WATCH_ABOVE_ROWS rows prints only the rows that changed, came or went, as a
// `kubectl get … --watch` pane beside the prompt does; of the Pods that reach the same
// unusual status (or Warning) at one instant one is described, a shell comment after the
// command saying of how many; and at the end one Pod of each STATUS is described, not
// all. The workload Pods and the Events about them are followed by watches
// (workload-watch.ts), so a look costs what changed since the last, not the cluster.
import { describePod, getEvents, getNodes, getPods, podColumns, type KubectlVersion } from '@failsim/controllers';
import type { KubeObject } from '@failsim/core';
import { runScenario, type LoadedScenario, type RunOptions, type ScenarioResult, type ScenarioRun } from '@failsim/scenarios';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { TaskInfo } from '@failsim/vsphere';
import { recentTasks } from './recent-tasks.js';
import { formatCount } from './routine.js';
import { watchRows, type RowChanges } from './watch-rows.js';
import { WorkloadWatch } from './workload-watch.js';

/** One table or text an operator would have printed, at a virtual time. */
export interface Snapshot {
  /** Virtual seconds from the scenario start. */
  readonly at: number;
  /** What the operator typed, without the prompt: `kubectl get pods -o wide -n cassandra`. */
  readonly command: string;
  /** What it printed, one string per line. */
  readonly lines: readonly string[];
  /** Why it was taken, in a few words: `step done`, `node/worker-2 NotReady`, `end of run`. */
  readonly reason: string;
  /** True for a command typed at a prompt; false for a pane of a GUI (vSphere's Recent Tasks). */
  readonly typed: boolean;
}

/** A run with what an operator would have seen along the way. */
export interface Capture {
  readonly result: ScenarioResult;
  /** `metadata.title` of the scenario. */
  readonly title: string;
  /** By virtual time; those of one instant in the order nodes, pods, describes, tasks. */
  readonly snapshots: readonly Snapshot[];
}

/** Namespaces whose Pods are the cluster's own, not the scenario's. */
const SYSTEM_NAMESPACES = new Set(['kube-system']);
/** Pod STATUS values of a normal start: no describe for them (the story is in the others). */
const ROUTINE_POD_STATUS = new Set(['Pending', 'ContainerCreating', 'Running', 'Completed']);
const OWNER = 'failsim-transcript';

/**
 * Above this many rows a table prints only what changed (a `--watch` pane), and Pods are
 * described by example. The seed article's clusters (≤ 10 Pods) are far below it; a
 * 100-node zone failure's 3,000-row Pod table, printed whole at each of its ~250
 * instants, made a transcript of 950,000 lines.
 */
export const WATCH_ABOVE_ROWS = 50;

/** The reason of a snapshot taken for several subjects: all of them, or the first three and a count. */
export const reasonFor = (reasons: readonly string[]): string =>
  reasons.length <= 6 ? reasons.join(', ') : `${reasons.slice(0, 3).join(', ')} and ${reasons.length - 3} more`;

/** `items` by `keyOf`, each group and the groups in the order first met. */
const groupBy = <T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
};

/** The kubectl minor version of a profile (`1.12`, `v1.28.15` → `1.28`); the printers' default otherwise. */
export const kubectlVersionOf = (profile: string): KubectlVersion | undefined => {
  const minor = /^v?1\.(\d+)/.exec(profile)?.[1];
  return minor === undefined ? undefined : `1.${Number(minor)}`;
};

const nsFlag = (namespace: string): string => (namespace === 'default' ? '' : ` -n ${namespace}`);

const byNamespaceAndName = <T extends KubeObject>(a: T, b: T): number =>
  (a.metadata?.namespace ?? '').localeCompare(b.metadata?.namespace ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/**
 * Runs `loaded` to its end (as `runScenario(…).runToEnd()`) and returns the result with
 * the snapshots an operator's terminal would have shown.
 * @example
 * const { result, snapshots } = captureRun(loaded, { seed: 7 });
 */
export const captureRun = (loaded: LoadedScenario, options: Omit<RunOptions, 'observer' | 'free'> = {}): Capture => {
  const snapshots: Snapshot[] = [];
  const version = kubectlVersionOf((options.profile ?? loaded.profile).name);
  const printed = new Map<string, string>();
  let stepsSeen = 0;
  let lastTasksAt: number | undefined;
  let setupTasks = 0;
  /** Per Pod uid, the Warning reasons already answered with a describe. */
  const warned = new Map<string, Set<string>>();
  /** Subjects of this instant with their reasons, and the Pods (`namespace/name`) to describe with what they reached. */
  let pending: { reasons: Map<string, string>; describe: Map<string, string> } | undefined;

  const env = (): ScenarioRun['env'] => run.env;
  const clock = (): ScenarioRun['env']['cluster']['sim']['clock'] => env().cluster.sim.clock;
  const seconds = (): number => (clock().now() - run.startMs) / 1000;
  const client = (): ReturnType<ScenarioRun['env']['cluster']['sim']['api']['client']> => env().cluster.sim.api.client(OWNER);
  const list = <T>(kind: 'Pod' | 'Node' | 'Event'): T[] => {
    const r = client().list(kind);
    return r._tag === 'Right' ? (r.right.items as unknown as T[]) : [];
  };
  const workloadPods = (): Pod[] => list<Pod>('Pod').filter((p) => !SYSTEM_NAMESPACES.has(p.metadata?.namespace ?? '')).sort(byNamespaceAndName);

  const keep = (command: string, lines: readonly string[], reason: string, key?: readonly string[], typed = true): void => {
    if (lines.length === 0) return;
    if (key !== undefined) {
      // Same rows as last time, ages aside: nothing new to show.
      const text = key.join('\n');
      if (printed.get(command) === text) return;
      printed.set(command, text);
    }
    snapshots.push({ at: seconds(), command, lines, reason, typed });
  };

  /** The command that lists the Pods of `namespaces` (one: `-n`, several: `--all-namespaces`). */
  const podsCommand = (namespaces: readonly string[]): { command: string; all: boolean } => {
    if (namespaces.length > 1) return { command: 'kubectl get pods -o wide --all-namespaces', all: true };
    return { command: `kubectl get pods -o wide${nsFlag(namespaces[0] ?? 'default')}`, all: false };
  };

  /** `example`: in a large cluster, of how many Pods this one is an example, as a shell comment after the command. */
  const describe = (pod: Pod, reason: string, example?: { of: number; reached: string }): void => {
    const events = workload.eventsAbout(pod);
    const comment = example === undefined || example.of < 2 ? '' : `   # one of ${formatCount(example.of)} Pods ${example.reached}`;
    keep(`kubectl describe pod ${pod.metadata?.name ?? ''}${nsFlag(pod.metadata?.namespace ?? 'default')}${comment}`, describePod(pod, events, { now: clock().date() }), reason);
  };

  const printer = version ? { kubectlVersion: version } : {};
  // Each table's rows as a watch would have printed them, kept at every look (small tables too) so a table that grows past WATCH_ABOVE_ROWS prints what changed since the last.
  const watchNodes = watchRows((node: Node) => getNodes([node], { now: clock().date(0) })[1] ?? '');
  const watchPods = watchRows((pod: Pod) => getPods([pod], { ...printer, wide: true, allNamespaces: true, now: clock().date(0) })[1] ?? '');
  /** Keeps the changed rows of a table as its `--watch` pane would have shown them, in table order. */
  const keepChanges = <T extends KubeObject>(command: string, changes: RowChanges<T>, print: (objects: readonly T[]) => string[], reason: string): void =>
    keep(`${command} --watch`, print([...changes.changed, ...changes.gone].sort(byNamespaceAndName)), reason, undefined, false);

  const tables = (reason: string): void => {
    const now = clock().date();
    // The comparison key: the same table measured from the objects' own clock zero, so only ages differ.
    const zero = clock().date(0);
    const nodes = list<Node>('Node').sort(byNamespaceAndName);
    // uids tell a re-created object from the one it replaced, which the rows alone may not.
    const uids = (objects: readonly KubeObject[]): string[] => objects.map((o) => o.metadata?.uid ?? '');
    const nodeChanges = watchNodes.look(nodes);
    if (nodes.length <= WATCH_ABOVE_ROWS) keep('kubectl get nodes', getNodes(nodes, { now }), reason, [...getNodes(nodes, { now: zero }), ...uids(nodes)]);
    else keepChanges('kubectl get nodes', nodeChanges, (changed) => getNodes(changed, { now }), reason);
    const { written, deleted } = workload.takeChanges();
    if (workload.pods.size <= WATCH_ABOVE_ROWS) {
      // A short table is listed and printed whole, as the command re-typed would print it.
      const pods = workloadPods();
      watchPods.look(pods);
      const { command, all } = podsCommand([...new Set(pods.map((p) => p.metadata?.namespace ?? 'default'))]);
      const opts = { wide: true, allNamespaces: all, ...printer };
      keep(command, getPods(pods, { ...opts, now }), reason, [...getPods(pods, { ...opts, now: zero }), ...uids(pods)]);
    } else {
      const { command, all } = podsCommand(workload.namespaces());
      const opts = { wide: true, allNamespaces: all, ...printer };
      keepChanges(command, watchPods.lookAt(written, deleted), (changed) => getPods(changed, { ...opts, now }), reason);
    }
  };

  /**
   * Describes the Pods of `toDescribe` (Pod key → the status or Warning reason it reached):
   * each in a small cluster; in a large one the first (by namespace and name) of each
   * reason, saying of how many.
   */
  const describeAll = (toDescribe: ReadonlyMap<string, string>, reason: string): void => {
    const keyOf = (pod: Pod): string => `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const chosen = [...toDescribe.keys()].flatMap((key) => workload.pods.get(key) ?? []).sort(byNamespaceAndName);
    if (workload.pods.size <= WATCH_ABOVE_ROWS) {
      for (const pod of chosen) describe(pod, reason);
      return;
    }
    for (const [reached, [first, ...others]] of groupBy(chosen, (pod) => toDescribe.get(keyOf(pod))!)) {
      describe(first!, reason, { of: others.length + 1, reached });
    }
  };

  /**
   * The tasks that started or ended since the last look, by their number (`task-<n>`), as
   * each was last told: only they can be news, and a large run's log holds tens of
   * thousands (reading the whole pane at each look was a third of a 100-node run).
   */
  const touchedTasks = new Map<number, TaskInfo>();
  const tasks = (reason: string): void => {
    const since = lastTasksAt ?? run.startMs - 1;
    const now = clock().now();
    const news = (t: number | undefined): boolean => t !== undefined && t > since && t <= now;
    // Tasks queued or ended since the last look, as the Recent Tasks pane shows them now,
    // in its order; the environment's own (BOSH creating its disks) came before the story.
    const fresh = [...touchedTasks]
      .filter(([n, t]) => n > setupTasks && (news(t.queuedAt) || news(t.completedAt)))
      .sort(([a], [b]) => a - b)
      .map(([, t]) => t);
    touchedTasks.clear();
    lastTasksAt = now;
    keep('vSphere Client: Recent Tasks', recentTasks(fresh, clock().date(0)), reason, undefined, false);
  };

  const flush = (): void => {
    const request = pending;
    pending = undefined;
    if (!request) return;
    const reason = reasonFor([...request.reasons.values()]);
    tables(reason);
    describeAll(request.describe, reason);
    tasks(reason);
  };

  /** Asks for snapshots at the end of this instant. */
  const request = (subject: string, reason: string, describe?: { key: string; reached: string }): void => {
    if (!pending) {
      pending = { reasons: new Map(), describe: new Map() };
      clock().schedule(0, flush, { owner: OWNER, purpose: 'print what kubectl shows once this instant settles' });
    }
    // One reason per subject, the last: a Pod that went NodeLost then Unknown reads `Unknown`.
    pending.reasons.set(subject, reason);
    if (describe !== undefined) pending.describe.set(describe.key, describe.reached);
  };

  const podKey = (object: string): string | undefined => {
    const [kind, namespace, name] = object.split('/');
    return kind === 'Pod' && name !== undefined && !SYSTEM_NAMESPACES.has(namespace ?? '') ? `${namespace}/${name}` : undefined;
  };

  // The observer's callbacks read `run`: they are called from runToEnd, once it is assigned.
  const run: ScenarioRun = runScenario(loaded, {
    ...options,
    observer: {
      step: () => {
        stepsSeen++;
        request('step', 'step done');
      },
      transition: (t) => {
        if (t.field !== 'status') return;
        const [kind, ...rest] = t.object.split('/');
        if (kind === 'Node') return request(t.object, `node/${rest.join('/')} ${t.to ?? 'deleted'}`);
        const key = podKey(t.object);
        if (key === undefined) return;
        // A Pod that reaches a status out of the ordinary is described, as an operator would.
        request(t.object, `pod/${key} ${t.to ?? 'deleted'}`, t.to !== null && !ROUTINE_POD_STATUS.has(t.to) ? { key, reached: t.to } : undefined);
      },
      event: (e) => {
        const key = podKey(e.object);
        // The first Warning of each reason about a Pod, once the scenario's own steps have begun.
        if (key === undefined || e.type !== 'Warning' || stepsSeen < 2) return;
        const [namespace, name] = key.split('/');
        const pod = client().get('Pod', name!, namespace);
        const uid = pod._tag === 'Right' ? (pod.right.metadata?.uid ?? key) : key;
        const seen = warned.get(uid) ?? new Set<string>();
        warned.set(uid, seen);
        if (seen.has(e.reason)) return;
        seen.add(e.reason);
        request(e.object, `pod/${key} ${e.reason}`, { key, reached: e.reason });
      },
    },
  });
  setupTasks = run.env.vcenter.recentTasks().length;
  const stopTasks = run.env.vcenter.tasks.onTask((task) => touchedTasks.set(Number(task.id.slice('task-'.length)), task));
  const workload = new WorkloadWatch(client(), (namespace) => SYSTEM_NAMESPACES.has(namespace));
  const result = run.runToEnd();
  flush();
  // The end: the Events of each namespace the story touched, oldest first, and every workload Pod described.
  const events = list<Event>('Event').filter((e) => !SYSTEM_NAMESPACES.has(e.metadata?.namespace ?? ''));
  const now = clock().date();
  for (const namespace of [...new Set(events.map((e) => e.metadata?.namespace ?? 'default'))].sort()) {
    const inNs = events.filter((e) => (e.metadata?.namespace ?? 'default') === namespace);
    keep(`kubectl get events${nsFlag(namespace)} --sort-by=.lastTimestamp`, getEvents(inNs, { now, ...(version ? { kubectlVersion: version } : {}) }), 'end of run');
  }
  // Every workload Pod described; in a large cluster one of each STATUS, as an example.
  const pods = workloadPods();
  if (pods.length <= WATCH_ABOVE_ROWS) for (const pod of pods) describe(pod, 'end of run');
  else {
    for (const [status, [first, ...others]] of groupBy(pods, (pod) => podColumns(pod).status)) describe(first!, 'end of run', { of: others.length + 1, reached: status });
  }
  stopTasks();
  workload.stop();
  return { result, title: loaded.metadata.title, snapshots };
};
