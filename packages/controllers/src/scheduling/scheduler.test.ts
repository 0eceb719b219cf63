import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import type { Event, Node, PersistentVolume, PersistentVolumeClaim, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { VersionProfile } from '../profiles/profile.js';
import { profile112, profile114, profile118, profile128, profile132 } from '../profiles/profiles.js';
import { defaultTimings } from '../runtime/context.js';
import { isCountedStatusUpdate, numFeasibleNodesToFind, Scheduler } from './scheduler.js';

const must = <T>(result: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

interface NodeSpec {
  cpu?: string;
  pods?: string;
  ready?: 'True' | 'False' | 'Unknown';
  unschedulable?: boolean;
  taints?: Taint[];
  labels?: Record<string, string>;
}

const nodeObject = (name: string, spec: NodeSpec = {}): Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...spec.labels } },
  spec: { unschedulable: spec.unschedulable, taints: spec.taints },
  status: {
    allocatable: { cpu: spec.cpu ?? '4', memory: '8Gi', pods: spec.pods ?? '110' },
    capacity: { cpu: spec.cpu ?? '4', memory: '8Gi', pods: spec.pods ?? '110' },
    conditions: [{ type: 'Ready', status: spec.ready ?? 'True', reason: 'KubeletReady', lastHeartbeatTime: '2019-06-01T00:00:00Z', lastTransitionTime: '2019-06-01T00:00:00Z' }],
  },
});

const podObject = (name: string, extra: Partial<NonNullable<Pod['spec']>> = {}, cpu = '100m'): Pod => ({
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'nginx:1.17', resources: { requests: { cpu, memory: '64Mi' } } }], ...extra },
});

interface Cluster {
  sim: Simulation;
  kubectl: ApiClient;
  scheduler: Scheduler;
}

const cluster = (profile: VersionProfile, nodes: Node[], seed = 1): Cluster => {
  const sim = createSimulation({ seed });
  const kubectl = sim.api.client('kubectl');
  for (const node of nodes) must(kubectl.create('Node', node));
  const scheduler = new Scheduler({ sim, profile, timings: defaultTimings });
  scheduler.start();
  return { sim, kubectl, scheduler };
};

const nodeOf = (c: Cluster, pod: string): string | undefined => must(c.kubectl.get('Pod', pod)).spec?.nodeName;

const eventsOf = (c: Cluster, pod: string, reason: string): Event[] =>
  must(c.kubectl.list('Event', { namespace: 'default' })).items.filter((e) => e.involvedObject.name === pod && e.reason === reason);

const failedMessage = (c: Cluster, pod: string): string | undefined => eventsOf(c, pod, 'FailedScheduling').at(-1)?.message;

const failedCount = (c: Cluster, pod: string): number => eventsOf(c, pod, 'FailedScheduling').reduce((n, e) => n + (e.count ?? 1), 0);

/** Changes a node's spec and metadata, then its status (the status subresource is separate). */
const setNode = (c: Cluster, name: string, change: (n: Node) => Node): void => {
  const changed = change(must(c.kubectl.get('Node', name)));
  const updated = must(c.kubectl.update('Node', changed));
  must(c.kubectl.updateStatus('Node', { ...updated, status: changed.status }));
};

describe('Scheduler: placing pods', () => {
  it('binds a pod to the least loaded Ready node and records Scheduled from default-scheduler', () => {
    const c = cluster(profile114, [nodeObject('w1'), nodeObject('w2'), nodeObject('w3')]);
    must(c.kubectl.create('Pod', { ...podObject('busy-1', { nodeName: 'w1' }, '2') }));
    must(c.kubectl.create('Pod', { ...podObject('busy-2', { nodeName: 'w2' }, '1') }));
    must(c.kubectl.create('Pod', podObject('web')));
    c.sim.clock.runFor(0);
    expect(nodeOf(c, 'web')).toBe('w3');
    const [scheduled] = eventsOf(c, 'web', 'Scheduled');
    expect(scheduled?.message).toBe('Successfully assigned default/web to w3');
    expect(scheduled?.source?.component).toBe('default-scheduler');
    expect(scheduled?.type).toBe('Normal');
    const pod = must(c.kubectl.get('Pod', 'web'));
    expect(pod.status?.conditions?.find((x) => x.type === 'PodScheduled')?.status).toBe('True');
  });

  it('spreads equal pods and breaks ties the same way for the same seed (1.28: seeded random)', () => {
    const run = (seed: number): string[] => {
      const c = cluster(profile128, ['w1', 'w2', 'w3', 'w4'].map((n) => nodeObject(n)), seed);
      for (let i = 0; i < 6; i++) must(c.kubectl.create('Pod', podObject(`p${i}`)));
      c.sim.clock.runFor(0);
      return [0, 1, 2, 3, 4, 5].map((i) => nodeOf(c, `p${i}`) ?? '-');
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    // Least-requested scoring fills every node once before any gets a second pod.
    expect(new Set(first.slice(0, 4)).size).toBe(4);
    const counts = new Map<string, number>();
    for (const n of first) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBe(2);
  });

  it('breaks ties round-robin in the predicates era (1.12), whatever the seed', () => {
    const placements = [1, 2].map((seed) => {
      const c = cluster(profile112, ['w1', 'w2', 'w3'].map((n) => nodeObject(n)), seed);
      for (let i = 0; i < 3; i++) must(c.kubectl.create('Pod', podObject(`p${i}`)));
      c.sim.clock.runFor(0);
      return [0, 1, 2].map((i) => nodeOf(c, `p${i}`));
    });
    expect(placements[0]).toEqual(['w1', 'w2', 'w3']);
    expect(placements[1]).toEqual(placements[0]);
  });

  it('places a pod pinned by name (a DaemonSet pod) on its node, and reports every node when it does not fit', () => {
    const pinnedTo = (node: string): Partial<NonNullable<Pod['spec']>> => ({
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } },
    });
    const c = cluster(profile112, [nodeObject('w1'), nodeObject('w2', { unschedulable: true }), nodeObject('w3')]);
    must(c.kubectl.create('Pod', podObject('ds-w3', pinnedTo('w3'))));
    must(c.kubectl.create('Pod', podObject('ds-w2', pinnedTo('w2'))));
    for (let i = 0; i < 2; i++) must(c.kubectl.create('Pod', podObject(`p${i}`)));
    c.sim.clock.runFor(0);
    expect(nodeOf(c, 'ds-w3')).toBe('w3');
    expect(nodeOf(c, 'ds-w2')).toBeUndefined();
    expect(failedMessage(c, 'ds-w2')).toBe("0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match node selector.");
    // The pinned pods leave the round-robin where it was: the next two go to w1, then w3.
    expect([nodeOf(c, 'p0'), nodeOf(c, 'p1')]).toEqual(['w1', 'w3']);
  });

  it('leaves pods of another scheduler, bound pods and terminating pods alone', () => {
    const c = cluster(profile128, [nodeObject('w1')]);
    must(c.kubectl.create('Pod', podObject('other', { schedulerName: 'my-scheduler' })));
    c.sim.clock.runFor(1000);
    expect(nodeOf(c, 'other')).toBeUndefined();
    expect(eventsOf(c, 'other', 'FailedScheduling')).toHaveLength(0);
  });
});

describe('Scheduler: nodes it skips, and FailedScheduling in each version', () => {
  const skipped = (): Node[] => [
    nodeObject('w1', { unschedulable: true }),
    nodeObject('w2', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
    nodeObject('w3', { ready: 'False' }),
  ];

  const expected: ReadonlyArray<readonly [VersionProfile, string]> = [
    [profile112, "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had taints that the pod didn't tolerate."],
    [profile114, "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had taints that the pod didn't tolerate."],
    [
      profile118,
      "0/3 nodes are available: 1 node(s) had taint {dedicated: db}, that the pod didn't tolerate, 1 node(s) had taint {node.kubernetes.io/not-ready: }, that the pod didn't tolerate, 1 node(s) were unschedulable.",
    ],
    [
      profile128,
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
    ],
    [
      profile132,
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    ],
  ];

  it.each(expected)('skips cordoned, tainted and NotReady nodes (%s)', (profile, message) => {
    const c = cluster(profile, skipped());
    must(c.kubectl.create('Pod', podObject('web')));
    c.sim.clock.runFor(0);
    expect(nodeOf(c, 'web')).toBeUndefined();
    const [event] = eventsOf(c, 'web', 'FailedScheduling');
    expect(event?.type).toBe('Warning');
    expect(event?.source?.component).toBe('default-scheduler');
    expect(event?.message).toBe(message);
    const condition = must(c.kubectl.get('Pod', 'web')).status?.conditions?.find((x) => x.type === 'PodScheduled');
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
  });

  it('skips an unreachable node by its taint, and takes a tainted node the pod tolerates', () => {
    const c = cluster(profile128, [
      nodeObject('w1', { ready: 'Unknown', taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] }),
      nodeObject('w2', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
    ]);
    must(c.kubectl.create('Pod', podObject('web')));
    must(c.kubectl.create('Pod', podObject('db', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] })));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'web')).toBe(
      '0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..',
    );
    expect(nodeOf(c, 'db')).toBe('w2');
  });

  it('counts every insufficient resource, and the first failing filter per node as the version orders them', () => {
    const nodes = [nodeObject('w1', { cpu: '1' }), nodeObject('w2', { cpu: '1', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })];
    const message = (profile: VersionProfile): string | undefined => {
      const c = cluster(profile, nodes);
      must(c.kubectl.create('Pod', podObject('big', {}, '2')));
      c.sim.clock.runFor(0);
      return failedMessage(c, 'big');
    };
    // 1.12–1.17 and 1.18 check resources before taints; since 1.22 taints come first.
    expect(message(profile112)).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    expect(message(profile118)).toBe('0/2 nodes are available: 2 Insufficient cpu.');
    expect(message(profile132)).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: db}. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
  });

  it('words a node selector mismatch as the version does', () => {
    const message = (profile: VersionProfile): string | undefined => {
      const c = cluster(profile, [nodeObject('w1', { labels: { disk: 'hdd' } })]);
      must(c.kubectl.create('Pod', podObject('web', { nodeSelector: { disk: 'ssd' } })));
      c.sim.clock.runFor(0);
      return failedMessage(c, 'web');
    };
    expect(message(profile112)).toBe("0/1 nodes are available: 1 node(s) didn't match node selector.");
    expect(message(profile118)).toBe("0/1 nodes are available: 1 node(s) didn't match node selector.");
    expect(message(profile132)).toBe(
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
  });

  it("counts only the attempt's own nodes in a FailedScheduling message, after an attempt that turned more away", () => {
    const c = cluster(profile114, [nodeObject('w1', { cpu: '1' }), nodeObject('w2', { cpu: '1' }), nodeObject('w3', { unschedulable: true })]);
    must(c.kubectl.create('Pod', podObject('big', {}, '2')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'big')).toBe('0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.');
    must(c.kubectl.delete('Node', 'w3'));
    must(c.kubectl.create('Pod', podObject('bigger', {}, '3')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'bigger')).toBe('0/2 nodes are available: 2 Insufficient cpu.');
  });

  it('reports a full node as Insufficient pods (≤1.17) or Too many pods', () => {
    for (const [profile, reason] of [
      [profile114, 'Insufficient pods'],
      [profile118, 'Too many pods'],
    ] as const) {
      const c = cluster(profile, [nodeObject('w1', { pods: '1' })]);
      must(c.kubectl.create('Pod', podObject('a', { nodeName: 'w1' })));
      must(c.kubectl.create('Pod', podObject('b')));
      c.sim.clock.runFor(0);
      expect(failedMessage(c, 'b')).toBe(`0/1 nodes are available: 1 ${reason}.`);
    }
  });

  it('says so when there is no node at all, and schedules when one registers', () => {
    const c = cluster(profile112, []);
    must(c.kubectl.create('Pod', podObject('web')));
    c.sim.clock.runFor(1000);
    expect(failedMessage(c, 'web')).toBe('no nodes available to schedule pods');
    must(c.kubectl.create('Node', nodeObject('w1')));
    c.sim.clock.runFor(0);
    expect(nodeOf(c, 'web')).toBe('w1');
  });
});

describe('Scheduler: retries', () => {
  it('schedules a pending pod the moment its node becomes Ready', () => {
    for (const profile of [profile112, profile128]) {
      const c = cluster(profile, [nodeObject('w1', { ready: 'Unknown' })]);
      must(c.kubectl.create('Pod', podObject('web')));
      c.sim.clock.runFor(30_000);
      expect(nodeOf(c, 'web')).toBeUndefined();
      expect(failedCount(c, 'web')).toBe(1);
      setNode(c, 'w1', (n) => ({ ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True' }] } }));
      c.sim.clock.runFor(0);
      expect(c.sim.clock.now()).toBe(30_000);
      expect(nodeOf(c, 'web')).toBe('w1');
    }
  });

  it('does not retry on a node heartbeat that changes nothing the scheduler uses', () => {
    const c = cluster(profile114, [nodeObject('w1', { ready: 'False' })]);
    must(c.kubectl.create('Pod', podObject('web')));
    c.sim.clock.runFor(0);
    setNode(c, 'w1', (n) => ({
      ...n,
      status: { ...n.status, conditions: [{ type: 'Ready', status: 'False', lastHeartbeatTime: '2019-06-01T00:00:10Z' }] },
    }));
    c.sim.clock.runFor(0);
    expect(failedCount(c, 'web')).toBe(1);
  });

  it('backs off 1 s, then 2 s, between retries since 1.15', () => {
    const c = cluster(profile128, [nodeObject('w1', { labels: { disk: 'hdd' } })]);
    must(c.kubectl.create('Pod', podObject('web', { nodeSelector: { disk: 'ssd' } })));
    c.sim.clock.runFor(0);
    const relabel = (value: string) => setNode(c, 'w1', (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata?.labels, other: value } } }));
    c.sim.clock.runFor(500);
    relabel('a');
    c.sim.clock.runFor(499);
    expect(failedCount(c, 'web')).toBe(1);
    c.sim.clock.runFor(1);
    expect(c.sim.clock.now()).toBe(1000);
    expect(failedCount(c, 'web')).toBe(2);
    relabel('b');
    c.sim.clock.runFor(1999);
    expect(failedCount(c, 'web')).toBe(2);
    c.sim.clock.runFor(1);
    expect(failedCount(c, 'web')).toBe(3);
  });

  it('retries at once without back-off in 1.12', () => {
    const c = cluster(profile112, [nodeObject('w1', { labels: { disk: 'hdd' } })]);
    must(c.kubectl.create('Pod', podObject('web', { nodeSelector: { disk: 'ssd' } })));
    c.sim.clock.runFor(500);
    setNode(c, 'w1', (n) => ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata?.labels, other: 'a' } } }));
    c.sim.clock.runFor(0);
    expect(failedCount(c, 'web')).toBe(2);
  });

  it('flushes pods no event moved: after 5 min in 1.28, 60 s in 1.14, never in 1.12.4', () => {
    const attemptsAt = (profile: VersionProfile, times: number[]): number[] => {
      const c = cluster(profile, [nodeObject('w1', { unschedulable: true })]);
      must(c.kubectl.create('Pod', podObject('web')));
      return times.map((t) => {
        c.sim.clock.runUntil(t);
        return failedCount(c, 'web');
      });
    };
    // Checked every 30 s; retried at the first check after the pod waited strictly longer.
    expect(attemptsAt(profile128, [329_999, 330_000, 659_999, 660_000])).toEqual([1, 2, 2, 3]);
    expect(attemptsAt(profile114, [89_999, 90_000, 180_000])).toEqual([1, 2, 3]);
    // Events live an hour (--event-ttl), so look just before the first one expires.
    expect(attemptsAt(profile112, [3_599_000])).toEqual([1]);
  });

  it('shows the flush in the clocks view', () => {
    const c = cluster(profile128, [nodeObject('w1', { unschedulable: true })]);
    must(c.kubectl.create('Pod', podObject('web')));
    c.sim.clock.runFor(0);
    expect(c.sim.clock.pending()).toContainEqual(
      expect.objectContaining({ owner: 'default-scheduler', purpose: 'retry unschedulable pod default/web (unschedulable longer than 300s)', dueAt: 330_000 }),
    );
    expect(c.scheduler.pending.unschedulable).toBe(1);
  });

  it('keeps counting a Terminating pod, and retries when it is gone', () => {
    const c = cluster(profile118, [nodeObject('w1', { cpu: '1' })]);
    must(c.kubectl.create('Pod', podObject('old', { nodeName: 'w1' }, '800m')));
    must(c.kubectl.create('Pod', podObject('new', {}, '500m')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'new')).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    must(c.kubectl.delete('Pod', 'old'));
    c.sim.clock.runFor(10_000);
    expect(nodeOf(c, 'new')).toBeUndefined();
    must(c.kubectl.delete('Pod', 'old', { gracePeriodSeconds: 0 }));
    c.sim.clock.runFor(0);
    expect(nodeOf(c, 'new')).toBe('w1');
  });
});

describe('Scheduler: volumes', () => {
  const claim = (name: string, volumeName?: string): PersistentVolumeClaim => ({
    metadata: { name, namespace: 'default', annotations: volumeName ? { 'pv.kubernetes.io/bind-completed': 'yes' } : {} },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName },
  });
  const withClaim = (name: string) => podObject(name, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `data-${name}` } }] });

  it("waits for an unbound Immediate claim, in each version's words", () => {
    const expected: ReadonlyArray<readonly [VersionProfile, string]> = [
      [profile112, 'pod has unbound immediate PersistentVolumeClaims (repeated 3 times)'],
      [profile118, 'running "VolumeBinding" filter plugin for pod "web-0": pod has unbound immediate PersistentVolumeClaims'],
      [
        profile128,
        '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..',
      ],
    ];
    for (const [profile, message] of expected) {
      const c = cluster(profile, ['w1', 'w2', 'w3'].map((n) => nodeObject(n)));
      must(c.kubectl.create('PersistentVolumeClaim', claim('data-web-0')));
      must(c.kubectl.create('Pod', withClaim('web-0')));
      c.sim.clock.runFor(0);
      expect(failedMessage(c, 'web-0')).toBe(message);
    }
  });

  it('counts every node that reaches volume binding in the aggregated error, past the share searched (1.12, 150 nodes)', () => {
    // 150 nodes: 10 cordoned and 5 full never reach volume binding; the other 135 all give
    // the error, so the walk goes round the whole cluster and counts them.
    const nodes = Array.from({ length: 150 }, (_, i) =>
      nodeObject(`w${String(i).padStart(3, '0')}`, { unschedulable: i % 15 === 0, pods: i % 30 === 7 ? '0' : '110' }),
    );
    const c = cluster(profile112, nodes);
    must(c.kubectl.create('PersistentVolumeClaim', claim('data-web-0')));
    must(c.kubectl.create('Pod', withClaim('web-0')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'web-0')).toBe('pod has unbound immediate PersistentVolumeClaims (repeated 135 times)');
    // Without the claim problem the same cluster gives the nodes' own reasons.
    must(c.kubectl.create('Pod', podObject('big', {}, '8')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'big')).toBe('0/150 nodes are available: 10 node(s) were unschedulable, 140 Insufficient cpu, 5 Insufficient pods.');
    // Another such pod with nothing changed counts the same; a node cordoned since, one fewer.
    must(c.kubectl.create('PersistentVolumeClaim', claim('data-web-1')));
    must(c.kubectl.create('Pod', withClaim('web-1')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'web-1')).toBe('pod has unbound immediate PersistentVolumeClaims (repeated 135 times)');
    must(c.kubectl.patch('Node', 'w001', { spec: { unschedulable: true } }, { type: 'merge' }));
    must(c.kubectl.create('PersistentVolumeClaim', claim('data-web-2')));
    must(c.kubectl.create('Pod', withClaim('web-2')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'web-2')).toBe('pod has unbound immediate PersistentVolumeClaims (repeated 134 times)');
  });

  it('reports a missing claim', () => {
    const c = cluster(profile114, [nodeObject('w1')]);
    must(c.kubectl.create('Pod', withClaim('web-0')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'web-0')).toBe('persistentvolumeclaim "data-web-0" not found');
  });

  it('schedules once the claim is bound, only onto nodes its volume allows', () => {
    const c = cluster(profile128, [nodeObject('w1', { labels: { zone: 'a' } }), nodeObject('w2', { labels: { zone: 'b' } })]);
    must(c.kubectl.create('PersistentVolumeClaim', claim('data-web-0')));
    must(c.kubectl.create('Pod', withClaim('web-0')));
    c.sim.clock.runFor(0);
    expect(nodeOf(c, 'web-0')).toBeUndefined();
    const pv: PersistentVolume = {
      metadata: { name: 'pv-1' },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        claimRef: { namespace: 'default', name: 'data-web-0' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }] } },
      },
    };
    must(c.kubectl.create('PersistentVolume', pv));
    const pvc = must(c.kubectl.get('PersistentVolumeClaim', 'data-web-0'));
    must(c.kubectl.update('PersistentVolumeClaim', { ...pvc, ...claim('data-web-0', 'pv-1'), metadata: { ...pvc.metadata, annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } } }));
    c.sim.clock.runFor(1000);
    expect(nodeOf(c, 'web-0')).toBe('w2');
  });

  it('reports a volume node affinity conflict', () => {
    const c = cluster(profile114, [nodeObject('w1', { labels: { zone: 'a' } })]);
    must(
      c.kubectl.create('PersistentVolume', {
        metadata: { name: 'pv-1' },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }] } },
        },
      }),
    );
    must(c.kubectl.create('PersistentVolumeClaim', claim('data-web-0', 'pv-1')));
    must(c.kubectl.create('Pod', withClaim('web-0')));
    c.sim.clock.runFor(0);
    expect(failedMessage(c, 'web-0')).toBe('0/1 nodes are available: 1 node(s) had volume node affinity conflict.');
  });
});

describe('numFeasibleNodesToFind', () => {
  it('searches every node below 100, a share above, never fewer than 100', () => {
    expect(numFeasibleNodesToFind(99, 0)).toBe(99);
    expect(numFeasibleNodesToFind(1000, 50)).toBe(500);
    expect(numFeasibleNodesToFind(150, 50)).toBe(100);
    // Adaptive: 50 − 5000/125 = 10 %.
    expect(numFeasibleNodesToFind(5000, 0)).toBe(500);
    // At least 5 %.
    expect(numFeasibleNodesToFind(10000, 0)).toBe(500);
  });
});

describe('isCountedStatusUpdate', () => {
  const spec = { nodeName: 'w1', containers: [{ name: 'c', image: 'nginx' }] };
  const owners = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }];
  const bound: Pod = { metadata: { name: 'p', namespace: 'default', ownerReferences: owners }, spec, status: { phase: 'Pending' } };
  const running: Pod = { ...bound, status: { phase: 'Running' } };

  it('lets only status updates of a counted pod skip the handler', () => {
    expect(isCountedStatusUpdate({ type: 'MODIFIED', object: running, old: bound })).toBe(true);
    // Not for adds and deletes, nor without the old version.
    expect(isCountedStatusUpdate({ type: 'ADDED', object: running })).toBe(false);
    expect(isCountedStatusUpdate({ type: 'DELETED', object: running, old: running })).toBe(false);
    expect(isCountedStatusUpdate({ type: 'MODIFIED', object: running })).toBe(false);
    // A new spec object (a bind, any spec change), new owners, a deletion, or a terminal phase
    // is something setPod must see.
    expect(isCountedStatusUpdate({ type: 'MODIFIED', object: { ...running, spec: { ...spec } }, old: bound })).toBe(false);
    expect(isCountedStatusUpdate({ type: 'MODIFIED', object: { ...running, metadata: { ...running.metadata, ownerReferences: [] } }, old: bound })).toBe(false);
    expect(isCountedStatusUpdate({ type: 'MODIFIED', object: { ...running, metadata: { ...running.metadata, deletionTimestamp: '2019-06-01T00:00:00Z' } }, old: bound })).toBe(false);
    expect(isCountedStatusUpdate({ type: 'MODIFIED', object: { ...running, status: { phase: 'Succeeded' } }, old: running })).toBe(false);
    // An unbound pod's status update is the queue's business.
    const pending: Pod = { metadata: { name: 'q' }, spec: { containers: [] } };
    expect(isCountedStatusUpdate({ type: 'MODIFIED', object: { ...pending, status: { phase: 'Pending' } }, old: pending })).toBe(false);
  });
});
