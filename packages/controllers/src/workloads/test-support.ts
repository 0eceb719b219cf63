// Stand-ins for the scheduler and the kubelet, for the workload controllers' specs only
// (not exported from the package): the real ones live elsewhere and are not needed to
// show what a controller does. The binder puts pending pods on nodes; the kubelet marks
// its pods Running and Ready, and confirms graceful deletions while it is alive.
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { nodeLocation, type ApiClient, type Simulation } from '@failsim/core';
import { isTerminating, toleratesTaint } from '../runtime/pod-util.js';

/** Options of {@link createNode}. */
export interface TestNodeOptions {
  readonly ready?: 'True' | 'False' | 'Unknown';
  readonly labels?: Record<string, string>;
  readonly taints?: Taint[];
}

/** Creates a Node with a Ready condition (True by default); throws if the API refuses. */
export const createNode = (client: ApiClient, name: string, options: TestNodeOptions = {}): Node => {
  const created = client.create('Node', {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: options.taints ? { taints: options.taints } : {},
  });
  if (E.isLeft(created)) throw new Error(`create node ${name}: ${created.left.message}`);
  return setNodeReady(client, name, options.ready ?? 'True');
};

/** Sets the node's Ready condition; throws if the API refuses. */
export const setNodeReady = (client: ApiClient, name: string, status: 'True' | 'False' | 'Unknown'): Node => {
  const node = client.get('Node', name);
  if (E.isLeft(node)) throw new Error(`get node ${name}: ${node.left.message}`);
  const now = client.server.clock.iso();
  const ready: NodeCondition = { type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'NodeStatusUnknown', lastHeartbeatTime: now, lastTransitionTime: now };
  const conditions = [...(node.right.status?.conditions ?? []).filter((c) => c.type !== 'Ready'), ready];
  const updated = client.updateStatus('Node', { ...node.right, status: { ...node.right.status, conditions } });
  if (E.isLeft(updated)) throw new Error(`update node ${name}: ${updated.left.message}`);
  return updated.right;
};

/** The node a DaemonSet pod's affinity names (matchFields metadata.name In [node]). */
export const affinityTarget = (pod: Pod): string | undefined =>
  pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
    .flatMap((t) => t.matchFields ?? [])
    .find((f) => f.key === 'metadata.name' && f.operator === 'In')?.values?.[0];

/**
 * Binds every pending, unbound pod as it appears: to the node its affinity names, else to
 * the Ready nodes in turn whose NoSchedule/NoExecute taints it tolerates. Binding happens
 * on a timer of its own (delay 0), as a scheduler acts after it observed the pod.
 */
export class TestBinder {
  readonly #client: ApiClient;
  readonly #sim: Simulation;
  #subscription: Subscription | undefined;
  #next = 0;

  constructor(sim: Simulation) {
    this.#sim = sim;
    this.#client = sim.api.client('test-binder');
  }

  start(): this {
    this.#subscription = this.#client.watch('Pod', { fieldSelector: 'spec.nodeName=' }).subscribe((event) => {
      if (event.type === 'DELETED' || isTerminating(event.object)) return;
      const { name = '', namespace = 'default' } = event.object.metadata ?? {};
      this.#sim.clock.schedule(0, () => this.#bind(name, namespace), { owner: 'test-binder', purpose: `bind ${namespace}/${name}` });
    });
    return this;
  }

  stop(): void {
    this.#subscription?.unsubscribe();
  }

  #bind(name: string, namespace: string): void {
    const pod = this.#client.get('Pod', name, namespace);
    if (E.isLeft(pod) || pod.right.spec?.nodeName || isTerminating(pod.right)) return;
    const target = affinityTarget(pod.right) ?? this.#pick(pod.right);
    if (target) this.#client.bind(name, namespace, target);
  }

  #pick(pod: Pod): string | undefined {
    const nodes = this.#client.list('Node');
    if (E.isLeft(nodes)) return undefined;
    const fit = nodes.right.items.filter(
      (n) =>
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
        !n.spec?.unschedulable &&
        (n.spec?.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || toleratesTaint(pod.spec?.tolerations, t)),
    );
    if (fit.length === 0) return undefined;
    return fit[this.#next++ % fit.length]!.metadata?.name;
  }
}

/** Options of a {@link TestKubelet}. */
export interface TestKubeletOptions {
  /** From seeing a pod to reporting it Running and Ready (ms). Default 0. */
  readonly startMs?: number;
  /** From seeing a deletion to confirming it with grace 0 (ms). Default 0. */
  readonly stopMs?: number;
}

/**
 * A kubelet reduced to what the workload controllers observe: it reports each of its
 * node's pods Running and Ready, and confirms graceful deletions by deleting with grace 0
 * — only while {@link TestKubelet.alive}. It talks from the node's location, so a node
 * made unreachable silences it too.
 */
export class TestKubelet {
  readonly #sim: Simulation;
  readonly #client: ApiClient;
  readonly #node: string;
  readonly #options: Required<TestKubeletOptions>;
  #subscription: Subscription | undefined;
  #alive = true;

  constructor(sim: Simulation, node: string, options: TestKubeletOptions = {}) {
    this.#sim = sim;
    this.#node = node;
    this.#client = sim.api.client('kubelet', nodeLocation(node));
    this.#options = { startMs: 0, stopMs: 0, ...options };
  }

  /** Whether the kubelet acts on its pods. Setting it true makes it catch up with every pod of its node. */
  get alive(): boolean {
    return this.#alive;
  }

  set alive(alive: boolean) {
    this.#alive = alive;
    if (!alive) return;
    const pods = this.#client.list('Pod', { fieldSelector: `spec.nodeName=${this.#node}` });
    if (E.isRight(pods)) for (const pod of pods.right.items) this.#observe(pod);
  }

  start(): this {
    this.#subscription = this.#client.watch('Pod', { fieldSelector: `spec.nodeName=${this.#node}` }).subscribe({
      next: (event) => {
        if (event.type !== 'DELETED') this.#observe(event.object);
      },
      error: () => undefined,
    });
    return this;
  }

  stop(): void {
    this.#subscription?.unsubscribe();
  }

  #observe(pod: Pod): void {
    if (!this.#alive) return;
    const { name = '', namespace = 'default' } = pod.metadata ?? {};
    if (isTerminating(pod)) {
      this.#sim.clock.schedule(this.#options.stopMs, () => this.#alive && this.#client.delete('Pod', name, { namespace, gracePeriodSeconds: 0 }), {
        owner: `kubelet/${this.#node}`,
        purpose: `stop ${namespace}/${name}`,
      });
    } else if (pod.status?.phase === 'Pending') {
      this.#sim.clock.schedule(this.#options.startMs, () => this.#start(name, namespace), { owner: `kubelet/${this.#node}`, purpose: `start ${namespace}/${name}` });
    }
  }

  #start(name: string, namespace: string): void {
    if (!this.#alive) return;
    const pod = this.#client.get('Pod', name, namespace);
    if (E.isLeft(pod) || isTerminating(pod.right) || pod.right.status?.phase !== 'Pending') return;
    const now = this.#sim.clock.iso();
    this.#client.updateStatus('Pod', {
      ...pod.right,
      status: {
        ...pod.right.status,
        phase: 'Running',
        startTime: now,
        conditions: [
          ...(pod.right.status?.conditions ?? []).filter((c) => c.type !== 'Ready'),
          { type: 'Ready', status: 'True', lastTransitionTime: now },
        ],
      },
    });
  }
}

/** Events about `name` (of any kind) with `reason`, oldest first, as `{message, time}`. */
export const eventsAbout = (client: ApiClient, name: string, reason?: string): { message: string; count: number; lastTimestamp: string }[] => {
  const events = client.list('Event', { fieldSelector: `involvedObject.name=${name}` });
  if (E.isLeft(events)) return [];
  return events.right.items
    .filter((e) => reason === undefined || e.reason === reason)
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map((e) => ({ message: e.message ?? '', count: e.count ?? 1, lastTimestamp: e.lastTimestamp ?? '' }));
};

/** Virtual time (ms) at which the pod `namespace/name` was removed from the API, from the trace; undefined if it was not. */
export const removedAt = (sim: Simulation, name: string, namespace = 'default', after = -1): number | undefined => {
  for (const entry of sim.trace.entries) {
    if (entry.type === 'write' && entry.verb === 'remove' && entry.kind === 'Pod' && entry.name === name && entry.namespace === namespace && entry.t > after) return entry.t;
  }
  return undefined;
};
