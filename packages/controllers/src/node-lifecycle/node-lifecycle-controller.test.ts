import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, nodeLocation, type EventTraceEntry, type Simulation, type WriteTraceEntry } from '@failsim/core';
import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { defaultTimings } from '../runtime/context.js';
import { every, type Periodic } from '../runtime/periodic.js';
import { profile112, profile114, profile118, profile128, profile132, withOverrides } from '../profiles/profiles.js';
import type { VersionProfile } from '../profiles/profile.js';
import { NodeLifecycleController, sameNoScheduleInputs, sortByNamePrefix } from './node-lifecycle-controller.js';
import { TaintEvictionController } from './taint-eviction-controller.js';

const right = <T>(r: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const s = (seconds: number): number => seconds * 1000;

/**
 * A kubelet reduced to its heartbeats: every 10 s it posts its node's conditions (Ready
 * True, pressures False) with a new lastHeartbeatTime and, with `lease`, renews its Lease.
 * `stop()` is the power switch.
 */
class FakeKubelet {
  memoryPressure = false;
  ready = true;
  #loop: Periodic | undefined;
  #beats = 0;

  constructor(
    readonly sim: Simulation,
    readonly name: string,
    readonly options: { lease: boolean; status: 'every' | 'once' },
  ) {}

  /** Starts heartbeating `delayMs` from now, then every 10 s. */
  start(delayMs: number): void {
    this.#loop = every(this.sim.clock, 10_000, { owner: `kubelet ${this.name}`, purpose: 'heartbeat' }, () => this.#beat(), delayMs);
  }

  stop(): void {
    this.#loop?.stop();
  }

  #beat(): void {
    const client = this.sim.api.client('kubelet', nodeLocation(this.name));
    if (this.options.status === 'every' || this.#beats === 0) this.#postStatus();
    this.#beats++;
    if (!this.options.lease) return;
    const renewTime = this.sim.clock.isoMicro();
    const lease = client.get('Lease', this.name, 'kube-node-lease');
    if (E.isLeft(lease)) {
      right(client.create('Lease', { metadata: { name: this.name, namespace: 'kube-node-lease' }, spec: { holderIdentity: this.name, leaseDurationSeconds: 40, renewTime } }));
    } else {
      right(client.update('Lease', { ...lease.right, spec: { ...lease.right.spec, renewTime } }));
    }
  }

  #postStatus(): void {
    const client = this.sim.api.client('kubelet', nodeLocation(this.name));
    const node = right(client.get('Node', this.name));
    const now = this.sim.clock.iso();
    const want: [string, string, string][] = [
      ['MemoryPressure', this.memoryPressure ? 'True' : 'False', this.memoryPressure ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', this.ready ? 'True' : 'False', this.ready ? 'KubeletReady' : 'KubeletNotReady'],
    ];
    const conditions: NodeCondition[] = want.map(([type, status, reason]) => {
      const old = node.status?.conditions?.find((c) => c.type === type);
      return { type, status, reason, lastHeartbeatTime: now, lastTransitionTime: old?.status === status ? old.lastTransitionTime : now };
    });
    right(client.updateStatus('Node', { ...node, status: { ...node.status, conditions } }));
  }
}

interface ClusterOptions {
  /** Node name → labels. */
  readonly nodes: Record<string, Record<string, string>>;
  /** Pods per node, each `name` on `node`. */
  readonly pods?: readonly { name: string; node: string; labels?: Record<string, string> }[];
  /** Kubelets renew a Lease (default: the profile's NodeLease). */
  readonly lease?: boolean;
  readonly status?: 'every' | 'once';
}

/**
 * A cluster as the article's: nodes with fake kubelets heartbeating at 1 s, 11 s, 21 s…,
 * pods Running and Ready, the node lifecycle controller started at 1 s (passes at 1, 6,
 * 11 s…) and, from 1.29, a separate taint eviction controller. Every Node change is logged with its
 * virtual time.
 */
const cluster = (profile: VersionProfile, options: ClusterOptions) => {
  const sim = createSimulation();
  const ctx = { sim, profile, timings: defaultTimings };
  const kubectl = sim.api.client('kubectl');
  const kubelets = new Map<string, FakeKubelet>();
  for (const [name, labels] of Object.entries(options.nodes)) {
    right(kubectl.create('Node', { metadata: { name, labels } }));
    const kubelet = new FakeKubelet(sim, name, { lease: options.lease ?? profile.features.NodeLease, status: options.status ?? 'every' });
    kubelet.start(s(1));
    kubelets.set(name, kubelet);
  }
  sim.clock.runFor(s(1));
  for (const p of options.pods ?? []) {
    const created = right(
      kubectl.create('Pod', { metadata: { name: p.name, namespace: 'default', ...(p.labels ? { labels: p.labels } : {}) }, spec: { nodeName: p.node, containers: [{ name: 'c', image: 'nginx' }] } }),
    );
    const now = sim.clock.iso();
    right(
      kubectl.updateStatus('Pod', {
        ...created,
        status: { ...created.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
      }),
    );
  }
  const log: { t: number; node: Node }[] = [];
  sim.api.client('observer').watch('Node').subscribe((e) => log.push({ t: sim.clock.now(), node: e.object }));
  const nlc = new NodeLifecycleController(ctx);
  const tec = profile.features.SeparateTaintEvictionController ? new TaintEvictionController(ctx) : undefined;
  nlc.start();
  tec?.start();
  const ready = (n: Node): string | undefined => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const hasTaint = (n: Node, key: string, effect: Taint['effect']): boolean => (n.spec?.taints ?? []).some((t) => t.key === key && t.effect === effect);
  const firstTime = (name: string, test: (n: Node) => boolean): number | undefined => log.find((e) => e.node.metadata?.name === name && test(e.node))?.t;
  return {
    sim,
    kubectl,
    nlc,
    tec,
    kubelet: (name: string): FakeKubelet => kubelets.get(name)!,
    node: (name: string): Node => right(kubectl.get('Node', name)),
    pod: (name: string): Pod => right(kubectl.get('Pod', name, 'default')),
    /** First time the node's Ready was Unknown. */
    unknownAt: (name: string) => firstTime(name, (n) => ready(n) === 'Unknown'),
    taintAt: (name: string, key: string, effect: Taint['effect']) => firstTime(name, (n) => hasTaint(n, key, effect)),
    hasTaint: (name: string, key: string, effect: Taint['effect']) => hasTaint(right(kubectl.get('Node', name)), key, effect),
    events: (): EventTraceEntry[] => sim.trace.entries.filter((e): e is EventTraceEntry => e.type === 'event'),
    deletedAt: (pod: string): number | undefined =>
      sim.trace.entries.find((e): e is WriteTraceEntry => e.type === 'write' && e.kind === 'Pod' && e.verb === 'delete' && e.name === pod)?.t,
  };
};

const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';

/** Expects `t` in the window (from, to] after `h` (all ms). */
const expectWindow = (t: number | undefined, h: number, from: number, to: number): void => {
  expect(t).toBeDefined();
  expect(t! - h).toBeGreaterThan(from);
  expect(t! - h).toBeLessThanOrEqual(to);
};

const workers = (...names: string[]): Record<string, Record<string, string>> => Object.fromEntries(names.map((n) => [n, {}]));

describe('NodeLifecycleController: power-off of a worker (reference §9.1)', () => {
  // Kubelets heartbeat at 1, 11, 21 … s; the controller starts at 1 s and looks at 1, 6,
  // 11 … s, each pass just after the heartbeat due at the same time. Powering off w2 at
  // 101.5 s: the last heartbeat, at 101 s, was seen by the pass at 101 s, so H = 101 s —
  // the canonical alignment of §9.0 (a heartbeat observed right before the fault).
  const powerOff = s(101.5);

  it('1.14: NotReady in (40,45] after H, unreachable NoSchedule then, NoExecute in (45,50.1], eviction in (345,350.1]', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3'), pods: [{ name: 'web-0', node: 'w2' }] });
    c.sim.clock.runUntil(powerOff);
    c.kubelet('w2').stop();
    const h = c.nlc.probeTimestamp('w2')!;
    expect(h).toBe(s(101));
    c.sim.clock.runUntil(s(140));
    expect(c.nlc.probeTimestamp('w2')).toBe(h);

    c.sim.clock.runUntil(s(600));
    const notReady = c.unknownAt('w2');
    expectWindow(notReady, h, s(40), s(45));
    expect(c.unknownAt('w1')).toBeUndefined();
    // The controller's rewrite: Ready and the monitored conditions, heartbeat unchanged.
    const conditions = c.node('w2').status?.conditions ?? [];
    const readyCondition = conditions.find((x) => x.type === 'Ready')!;
    expect(readyCondition).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: '2019-06-01T00:01:41Z',
      lastTransitionTime: c.sim.clock.iso(notReady),
    });
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(conditions.find((x) => x.type === type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    }
    // 1.14 still had OutOfDisk in its list; the kubelet never posted it.
    expect(conditions.find((x) => x.type === 'OutOfDisk')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });

    // Same pass: the Node event and the pod Ready=False, without a pod event in 1.14.
    const events = c.events();
    expect(events.filter((e) => e.reason === 'NodeNotReady').map((e) => [e.t, e.eventType, e.message, e.source, e.object])).toEqual([
      [notReady, 'Normal', 'Node w2 status is now: NodeNotReady', 'node-controller', 'Node/w2'],
    ]);
    expect(c.pod('web-0').status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', lastTransitionTime: c.sim.clock.iso(notReady) });

    // Milliseconds later (same virtual instant here): the NoSchedule taint.
    expect(c.taintAt('w2', UNREACHABLE, 'NoSchedule')).toBe(notReady);
    const noExecute = c.taintAt('w2', UNREACHABLE, 'NoExecute');
    expectWindow(noExecute, h, s(45), s(50.1));
    expect(c.node('w2').spec?.taints?.find((t) => t.effect === 'NoExecute')?.timeAdded).toBe(c.sim.clock.iso(noExecute));
    expect(c.taintAt('w2', NOT_READY, 'NoExecute')).toBeUndefined();

    // The taint manager inside the controller: 300 s of default toleration, then a graceful delete.
    const deleted = c.deletedAt('web-0');
    expectWindow(deleted, h, s(345), s(350.1));
    expect(deleted! - noExecute!).toBe(s(300));
    const pod = c.pod('web-0');
    expect(pod.metadata?.deletionTimestamp).toBe(c.sim.clock.iso(deleted! + s(30)));
    expect(pod.status?.reason).toBeUndefined();
    expect(events.filter((e) => e.reason === 'TaintManagerEviction').map((e) => [e.t, e.message, e.source])).toEqual([
      [deleted, 'Marking for deletion Pod default/web-0', 'taint-controller'],
    ]);
    expect(events.filter((e) => e.reason === 'RegisteredNode').map((e) => e.message)).toEqual([
      'Node w1 event: Registered Node w1 in Controller',
      'Node w2 event: Registered Node w2 in Controller',
      'Node w3 event: Registered Node w3 in Controller',
    ]);
    expect(c.nlc.taintManager?.name).toBe('taint-controller');
  });

  it('1.32: grace 50 s — NotReady in (50,55], NoExecute in (55,60.1], eviction in (355,360.1], pod events and DisruptionTarget', () => {
    const c = cluster(profile132, { nodes: workers('w1', 'w2', 'w3'), pods: [{ name: 'web-0', node: 'w2' }] });
    c.sim.clock.runUntil(powerOff);
    c.kubelet('w2').stop();
    const h = c.nlc.probeTimestamp('w2')!;
    c.sim.clock.runUntil(s(600));
    const notReady = c.unknownAt('w2');
    expectWindow(notReady, h, s(50), s(55));
    expectWindow(c.taintAt('w2', UNREACHABLE, 'NoExecute'), h, s(55), s(60.1));
    expectWindow(c.deletedAt('web-0'), h, s(355), s(360.1));
    const events = c.events();
    expect(events.filter((e) => e.reason === 'NodeNotReady').map((e) => [e.t, e.eventType, e.message, e.object])).toEqual([
      [notReady, 'Normal', 'Node w2 status is now: NodeNotReady', 'Node/w2'],
      [notReady, 'Warning', 'Node is not ready', 'Pod/default/web-0'],
    ]);
    expect(events.filter((e) => e.reason === 'TaintManagerEviction').map((e) => e.source)).toEqual(['taint-eviction-controller']);
    expect(c.pod('web-0').status?.conditions?.find((x) => x.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
    // 1.29+: the taint eviction controller runs on its own.
    expect(c.nlc.taintManager).toBeUndefined();
    // No OutOfDisk any more.
    expect(c.node('w2').status?.conditions?.map((x) => x.type)).toEqual(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
  });

  it('1.12 legacy: no NoExecute taint; NodeLost and a graceful delete in (300,305] after H, DaemonSet and terminating pods spared', () => {
    const c = cluster(profile112, {
      nodes: workers('w1', 'w2', 'w3'),
      pods: [
        { name: 'web-0', node: 'w2' },
        { name: 'logger-x', node: 'w2', labels: { app: 'logger' } },
        { name: 'leaving', node: 'w2' },
      ],
    });
    right(c.kubectl.create('DaemonSet', { metadata: { name: 'logger', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'logger' } }, template: { metadata: { labels: { app: 'logger' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }));
    c.sim.clock.runUntil(s(50));
    right(c.kubectl.delete('Pod', 'leaving', { namespace: 'default' }));
    c.sim.clock.runUntil(powerOff);
    c.kubelet('w2').stop();
    const h = c.nlc.probeTimestamp('w2')!;
    expect(h).toBe(s(101));
    c.sim.clock.runUntil(s(600));
    expectWindow(c.unknownAt('w2'), h, s(40), s(45));
    expect(c.taintAt('w2', UNREACHABLE, 'NoSchedule')).toBe(c.unknownAt('w2'));
    expect(c.taintAt('w2', UNREACHABLE, 'NoExecute')).toBeUndefined();
    const deleted = c.deletedAt('web-0');
    expectWindow(deleted, h, s(300), s(305));
    const pod = c.pod('web-0');
    expect(pod.status?.reason).toBe('NodeLost');
    expect(pod.status?.message).toBe('Node w2 which was running pod web-0 is unresponsive');
    expect(pod.metadata?.deletionTimestamp).toBe(c.sim.clock.iso(deleted! + s(30)));
    // The DaemonSet pod and the one already terminating get the reason but no new delete.
    expect(c.pod('logger-x').status?.reason).toBe('NodeLost');
    expect(c.pod('logger-x').metadata?.deletionTimestamp).toBeUndefined();
    expect(c.deletedAt('leaving')).toBe(s(50));
    const events = c.events().filter((e) => ['DeletingAllPods', 'NodeControllerEviction'].includes(e.reason));
    expect(events.map((e) => [e.t, e.reason, e.message, e.object])).toEqual([
      [deleted, 'DeletingAllPods', 'Node w2 event: Deleting all Pods from Node w2.', 'Node/w2'],
      [deleted, 'NodeControllerEviction', 'Marking for deletion Pod web-0 from Node w2', 'Pod/default/web-0'],
    ]);
    // 1.12 rewrites OutOfDisk, MemoryPressure and DiskPressure; PIDPressure keeps the kubelet's value.
    const conditions = c.node('w2').status?.conditions ?? [];
    expect(conditions.find((x) => x.type === 'PIDPressure')?.status).toBe('False');
    expect(conditions.find((x) => x.type === 'OutOfDisk')?.status).toBe('Unknown');
  });

  it('the second failed node of a zone is tainted 10 s after the first (0.1 nodes/s, burst 1)', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3', 'w4', 'w5') });
    c.sim.clock.runUntil(powerOff);
    c.kubelet('w2').stop();
    c.kubelet('w3').stop();
    c.sim.clock.runUntil(s(300));
    const first = c.taintAt('w2', UNREACHABLE, 'NoExecute')!;
    expectWindow(first, c.nlc.probeTimestamp('w2')!, s(45), s(50.1));
    expect(c.taintAt('w3', UNREACHABLE, 'NoExecute')! - first).toBe(s(10));
    expect(c.nlc.zoneStates()).toEqual(new Map([['', 'Normal']]));
  });

  it('1.12 legacy: the second node of a zone is evicted 10 s after the first', () => {
    const c = cluster(profile112, { nodes: workers('w1', 'w2', 'w3', 'w4', 'w5'), pods: [{ name: 'a', node: 'w2' }, { name: 'b', node: 'w3' }] });
    c.sim.clock.runUntil(powerOff);
    c.kubelet('w2').stop();
    c.kubelet('w3').stop();
    c.sim.clock.runUntil(s(600));
    expect(c.deletedAt('b')! - c.deletedAt('a')!).toBe(s(10));
  });
});

describe('NodeLifecycleController: deadlines through heartbeats', () => {
  it('names the earliest grace period end in its timer purpose, and notices a stopped node at it', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3'), pods: [{ name: 'web-0', node: 'w2' }] });
    const purpose = (): string => c.sim.clock.pending().find((t) => t.owner === 'node-controller' && t.purpose.startsWith('monitor'))!.purpose;
    const expected = (names: readonly string[]): number => Math.min(...names.map((n) => c.nlc.probeTimestamp(n)! + s(40)));
    for (const at of [s(30), s(47.5), s(63)]) {
      c.sim.clock.runUntil(at);
      expect(purpose()).toContain(`ends at T+${expected(['w1', 'w2', 'w3']) / 1000}s`);
    }
    c.kubelet('w2').stop();
    const lastBeat = c.nlc.probeTimestamp('w2')!;
    c.sim.clock.runUntil(lastBeat + s(20));
    // w2's deadline no longer moves; the others' heartbeats keep pushing theirs later.
    expect(purpose()).toContain(`grace period of node w2 ends at T+${(lastBeat + s(40)) / 1000}s`);
    c.sim.clock.runUntil(lastBeat + s(50));
    expect(c.unknownAt('w2')! - lastBeat).toBeGreaterThan(s(40));
    expect(c.unknownAt('w2')! - lastBeat).toBeLessThanOrEqual(s(45));
    expect(purpose()).toContain(`ends at T+${expected(['w1', 'w3']) / 1000}s`);
  });
});

describe('NodeLifecycleController: deadlines moved in place', () => {
  it('names, pass after pass, the earliest deadline a recomputation from probe timestamps gives', () => {
    // Each heartbeat moves a node's deadline later; the record not in the heap takes the new
    // time in place. Checked every 5 s for 3 min, with one kubelet stopping and restarting.
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3', 'w4') });
    const purpose = (): string => c.sim.clock.pending().find((t) => t.owner === 'node-controller' && t.purpose.startsWith('monitor'))!.purpose;
    const names = ['w1', 'w2', 'w3', 'w4'];
    for (let at = s(10); at <= s(190); at += s(5)) {
      if (at === s(60)) c.kubelet('w3').stop();
      if (at === s(120)) c.kubelet('w3').start(s(0.5));
      c.sim.clock.runUntil(at + s(2));
      // A node already Unknown has no deadline until it heartbeats again.
      const live = names.filter((n) => c.node(n).status?.conditions?.find((x) => x.type === 'Ready')?.status !== 'Unknown');
      const expected = Math.min(...live.map((n) => c.nlc.probeTimestamp(n)! + s(40)));
      expect(purpose()).toContain(`ends at T+${expected / 1000}s`);
    }
    expect(c.unknownAt('w3')).toBeDefined();
  });
});

describe('NodeLifecycleController: disruption modes (reference §2.4)', () => {
  it('no eviction when the only counted node fails: full disruption everywhere (1.14 master excluded by name; 1.12 legacy)', () => {
    for (const profile of [profile114, profile112]) {
      const c = cluster(profile, { nodes: workers('master', 'w1'), pods: [{ name: 'web-0', node: 'w1' }] });
      c.sim.clock.runUntil(s(101.5));
      c.kubelet('w1').stop();
      c.sim.clock.runUntil(s(1200));
      expect(c.unknownAt('w1')).toBeDefined();
      expect(c.hasTaint('w1', UNREACHABLE, 'NoSchedule')).toBe(true);
      expect(c.taintAt('w1', UNREACHABLE, 'NoExecute')).toBeUndefined();
      expect(c.deletedAt('web-0')).toBeUndefined();
      expect(c.pod('web-0').status?.reason).toBeUndefined();
      expect(c.nlc.zoneStates()).toEqual(new Map([['', 'FullDisruption']]));
      // Nothing can be tainted or evicted, so no 100 ms pass keeps running.
      const timers = c.sim.clock.pending().filter((t) => t.owner === 'node-controller');
      expect(timers).toHaveLength(1);
      expect(timers[0]!.purpose).toMatch(/^monitor node health \(every 5 s\)/);
    }
  });

  it('from 1.21 the master name no longer excludes a node; the exclude-disruption label does (1.28)', () => {
    const named = cluster(profile128, { nodes: workers('master', 'w1'), pods: [{ name: 'web-0', node: 'w1' }] });
    named.sim.clock.runUntil(s(101.5));
    named.kubelet('w1').stop();
    named.sim.clock.runUntil(s(600));
    expect(named.deletedAt('web-0')).toBeDefined();

    const labelled = cluster(profile128, { nodes: { cp: { 'node.kubernetes.io/exclude-disruption': '' }, w1: {} }, pods: [{ name: 'web-0', node: 'w1' }] });
    labelled.sim.clock.runUntil(s(101.5));
    labelled.kubelet('w1').stop();
    labelled.sim.clock.runUntil(s(600));
    expect(labelled.taintAt('w1', UNREACHABLE, 'NoExecute')).toBeUndefined();
    expect(labelled.deletedAt('web-0')).toBeUndefined();
  });

  it('partial disruption of a small zone stops tainting (3 of 4 down, zone ≤ 50 nodes ⇒ rate 0)', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3', 'w4') });
    c.sim.clock.runUntil(s(101.5));
    for (const n of ['w2', 'w3', 'w4']) c.kubelet(n).stop();
    c.sim.clock.runUntil(s(900));
    for (const n of ['w2', 'w3', 'w4']) {
      expect(c.unknownAt(n)).toBeDefined();
      expect(c.taintAt(n, UNREACHABLE, 'NoExecute')).toBeUndefined();
    }
    expect(c.nlc.zoneStates()).toEqual(new Map([['', 'PartialDisruption']]));
  });

  it('a fully disrupted zone is still evicted at the normal rate while another zone is healthy (1.18 topology labels)', () => {
    const zone = (z: string) => ({ 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': z });
    const c = cluster(profile118, { nodes: { a1: zone('a'), a2: zone('a'), b1: zone('b') } });
    c.sim.clock.runUntil(s(101.5));
    c.kubelet('a1').stop();
    c.kubelet('a2').stop();
    c.sim.clock.runUntil(s(300));
    expect(c.nlc.zoneStates()).toEqual(
      new Map([
        ['eu/a', 'FullDisruption'],
        ['eu/b', 'Normal'],
      ]),
    );
    const first = c.taintAt('a1', UNREACHABLE, 'NoExecute')!;
    expectWindow(first, c.nlc.probeTimestamp('a1')!, s(45), s(50.1));
    expect(c.taintAt('a2', UNREACHABLE, 'NoExecute')! - first).toBe(s(10));
  });

  it('leaving full disruption restarts every grace period (1.12 legacy: eviction counted from the exit)', () => {
    const c = cluster(profile112, { nodes: workers('w1', 'w2'), pods: [{ name: 'a', node: 'w1' }, { name: 'b', node: 'w2' }] });
    c.sim.clock.runUntil(s(101.5));
    c.kubelet('w1').stop();
    c.kubelet('w2').stop();
    c.sim.clock.runUntil(s(200));
    expect(c.nlc.zoneStates()).toEqual(new Map([['', 'FullDisruption']]));
    // w1 is back at 201 s (just after that pass); the pass at 206 s sees it and leaves full disruption.
    c.kubelet('w1').start(s(1));
    c.sim.clock.runUntil(s(900));
    expect(c.nlc.zoneStates()).toEqual(new Map([['', 'Normal']]));
    expect(c.deletedAt('a')).toBeUndefined();
    // Without the reset w2 would go at 406 s (H = 101 s, + 305 s).
    expect(c.deletedAt('b')).toBe(s(206 + 305));
  });

  it('leaving full disruption, the node still down is tainted when the fresh (empty) bucket has a token', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2') });
    c.sim.clock.runUntil(s(101.5));
    c.kubelet('w1').stop();
    c.kubelet('w2').stop();
    c.sim.clock.runUntil(s(200));
    expect(c.taintAt('w2', UNREACHABLE, 'NoExecute')).toBeUndefined();
    c.kubelet('w1').start(s(1));
    c.sim.clock.runUntil(s(400));
    expect(c.taintAt('w2', UNREACHABLE, 'NoExecute')).toBe(s(206 + 10));
    expect(c.hasTaint('w1', UNREACHABLE, 'NoSchedule')).toBe(false);
  });
});

describe('NodeLifecycleController: health signals', () => {
  it('a renewed Lease alone keeps a node Ready; without NodeLease the same kubelet goes NotReady', () => {
    const leased = cluster(profile114, { nodes: workers('w1'), status: 'once' });
    leased.sim.clock.runUntil(s(600));
    expect(leased.unknownAt('w1')).toBeUndefined();

    const noLease = cluster(withOverrides(profile114, { features: { NodeLease: false } }), { nodes: workers('w1', 'w2'), status: 'once' });
    noLease.sim.clock.runUntil(s(600));
    // The one status post at 1 s was seen by the pass at 1 s: Unknown at the first pass after 41 s.
    expect(noLease.unknownAt('w1')).toBe(s(46));
  });

  it('a settled node, checked on each renewal and heartbeat without a full check, takes each as its probe time and goes Unknown 40 s after the last', () => {
    for (const status of ['every', 'once'] as const) {
      const c = cluster(profile114, { nodes: workers('w1'), status });
      // Beats (status and Lease) at 1, 11, 21… s; passes at 1, 6, 11… s: each beat is seen by the pass at its time.
      c.sim.clock.runUntil(s(96));
      expect(c.nlc.probeTimestamp('w1')).toBe(s(91));
      c.kubelet('w1').stop();
      c.sim.clock.runUntil(s(300));
      // The last beat seen at 91 s: Unknown at the first pass after 131 s.
      expect(c.unknownAt('w1')).toBe(s(136));
      expect(c.nlc.probeTimestamp('w1')).toBe(s(91));
    }
  });

  it('a Lease deleted is no Lease: the Unknown write saves none, so a Lease created again with an older renewTime is a renewal', () => {
    const c = cluster(profile114, { nodes: workers('w1'), status: 'once' });
    c.sim.clock.runUntil(s(96));
    c.kubelet('w1').stop();
    right(c.kubectl.delete('Lease', 'w1', { namespace: 'kube-node-lease' }));
    c.sim.clock.runUntil(s(150));
    // The last renewal seen at 91 s: Unknown at the first pass after 131 s.
    expect(c.unknownAt('w1')).toBe(s(136));
    right(c.kubectl.create('Lease', { metadata: { name: 'w1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'w1', renewTime: c.sim.clock.isoMicro(s(50)) } }));
    c.sim.clock.runUntil(s(155));
    expect(c.nlc.probeTimestamp('w1')).toBe(s(151));
  });

  it('a node that never posted status goes Unknown (NodeStatusNeverUpdated) after the startup grace, without NodeNotReady', () => {
    const c = cluster(profile118, { nodes: workers('w1') });
    right(c.kubectl.create('Node', { metadata: { name: 'ghost' } }));
    const created = c.sim.clock.now();
    c.sim.clock.runUntil(s(200));
    const at = c.unknownAt('ghost')!;
    expectWindow(at, created, s(60), s(65));
    const conditions = c.node('ghost').status?.conditions ?? [];
    expect(conditions.map((x) => [x.type, x.status, x.reason, x.message, x.lastHeartbeatTime])).toEqual(
      ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => [
        type,
        'Unknown',
        'NodeStatusNeverUpdated',
        'Kubelet never posted node status.',
        c.node('ghost').metadata?.creationTimestamp,
      ]),
    );
    expect(c.events().filter((e) => e.reason === 'NodeNotReady')).toEqual([]);
  });

  it('a node back before its pods are evicted loses its taints and the eviction is cancelled', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3'), pods: [{ name: 'web-0', node: 'w2' }] });
    c.sim.clock.runUntil(s(101.5));
    c.kubelet('w2').stop();
    c.sim.clock.runUntil(s(300));
    expect(c.hasTaint('w2', UNREACHABLE, 'NoExecute')).toBe(true);
    // Back at 301 s: its status post removes the NoSchedule taint at once, the pass at 306 s the NoExecute one.
    c.kubelet('w2').start(s(1));
    c.sim.clock.runUntil(s(800));
    expect(c.hasTaint('w2', UNREACHABLE, 'NoSchedule')).toBe(false);
    expect(c.hasTaint('w2', UNREACHABLE, 'NoExecute')).toBe(false);
    expect(c.deletedAt('web-0')).toBeUndefined();
    expect(c.events().filter((e) => e.reason === 'TaintManagerEviction').map((e) => [e.t, e.message])).toEqual([
      [s(306), 'Cancelling deletion of Pod default/web-0'],
    ]);
  });

  it('a kubelet reporting NotReady gets not-ready taints; when it then goes silent the NoExecute taint is swapped at once', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3'), pods: [{ name: 'web-0', node: 'w2' }] });
    c.sim.clock.runUntil(s(50));
    c.kubelet('w2').ready = false;
    c.sim.clock.runUntil(s(100));
    // Posted at 51 s: NoSchedule at once; the pass right after it queues the node and the
    // 100 ms pass of that instant taints it (the zone's token is there).
    expect(c.taintAt('w2', NOT_READY, 'NoSchedule')).toBe(s(51));
    expect(c.taintAt('w2', NOT_READY, 'NoExecute')).toBe(s(51));
    // The kubelet's own Ready=False is no transition the controller made: no event, pods untouched (k/k #125618).
    expect(c.events().filter((e) => e.reason === 'NodeNotReady')).toEqual([]);
    expect(c.pod('web-0').status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    c.sim.clock.runUntil(s(101.5));
    c.kubelet('w2').stop();
    c.sim.clock.runUntil(s(200));
    // Unknown at 146 s (False → Unknown: still no pod update, k/k #112733); at 151 s the
    // swap to unreachable skips the rate limiter, and the pending eviction is kept.
    expect(c.unknownAt('w2')).toBe(s(146));
    expect(c.taintAt('w2', UNREACHABLE, 'NoExecute')).toBe(s(151));
    expect(c.hasTaint('w2', NOT_READY, 'NoExecute')).toBe(false);
    expect(c.taintAt('w2', UNREACHABLE, 'NoSchedule')).toBe(s(146));
    expect(c.hasTaint('w2', NOT_READY, 'NoSchedule')).toBe(false);
    c.sim.clock.runUntil(s(600));
    // 300 s from the not-ready taint.
    expect(c.deletedAt('web-0')).toBe(s(351));
  });

  it('out-of-service taint at H+120 s evicts at once, after the pending eviction is cancelled (1.28, §9.3)', () => {
    const c = cluster(profile128, { nodes: workers('w1', 'w2', 'w3'), pods: [{ name: 'web-0', node: 'w2' }] });
    c.sim.clock.runUntil(s(101.5));
    c.kubelet('w2').stop();
    const h = c.nlc.probeTimestamp('w2')!;
    c.sim.clock.runUntil(h + s(120));
    const taints = c.node('w2').spec?.taints ?? [];
    right(c.kubectl.patch('Node', 'w2', { spec: { taints: [...taints, { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } }, { type: 'merge' }));
    c.sim.clock.runFor(1);
    expect(c.deletedAt('web-0')).toBe(h + s(120));
    expect(c.events().filter((e) => e.reason === 'TaintManagerEviction').map((e) => e.message)).toEqual([
      'Cancelling deletion of Pod default/web-0',
      'Marking for deletion Pod default/web-0',
    ]);
  });
});

describe('NodeLifecycleController: NoSchedule taints and node registration', () => {
  it('taints cordoned nodes and nodes under memory pressure at once, and untaints them', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2') });
    c.sim.clock.runUntil(s(30.5));
    right(c.kubectl.patch('Node', 'w1', { spec: { unschedulable: true } }, { type: 'merge' }));
    expect(c.taintAt('w1', 'node.kubernetes.io/unschedulable', 'NoSchedule')).toBeUndefined();
    c.sim.clock.runFor(1);
    expect(c.taintAt('w1', 'node.kubernetes.io/unschedulable', 'NoSchedule')).toBe(s(30.5));
    right(c.kubectl.patch('Node', 'w1', { spec: { unschedulable: false } }, { type: 'merge' }));
    c.sim.clock.runFor(1);
    expect(c.hasTaint('w1', 'node.kubernetes.io/unschedulable', 'NoSchedule')).toBe(false);

    c.kubelet('w2').memoryPressure = true;
    c.sim.clock.runUntil(s(60));
    expect(c.taintAt('w2', 'node.kubernetes.io/memory-pressure', 'NoSchedule')).toBe(s(31));
    c.kubelet('w2').memoryPressure = false;
    c.sim.clock.runUntil(s(70));
    expect(c.hasTaint('w2', 'node.kubernetes.io/memory-pressure', 'NoSchedule')).toBe(false);
  });

  it('records RemovingNode at the first pass after a Node is deleted, and nothing else for it', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3'), pods: [{ name: 'web-0', node: 'w3' }] });
    c.sim.clock.runUntil(s(200.5));
    right(c.kubectl.delete('Node', 'w3'));
    c.kubelet('w3').stop();
    c.sim.clock.runUntil(s(700));
    expect(c.events().filter((e) => e.reason === 'RemovingNode').map((e) => [e.t, e.message])).toEqual([[s(201), 'Node w3 event: Removing Node w3 from Controller']]);
    expect(c.events().filter((e) => e.reason === 'NodeNotReady')).toEqual([]);
    expect(c.deletedAt('web-0')).toBeUndefined();
  });
});

describe('NodeLifecycleController: restart', () => {
  it('a restarted controller assumes every node heartbeated at its start, so grace periods start over', () => {
    const c = cluster(profile114, { nodes: workers('w1', 'w2', 'w3') });
    c.sim.clock.runUntil(s(101.5));
    c.kubelet('w2').stop();
    c.sim.clock.runUntil(s(130.5));
    c.nlc.stop();
    expect(c.sim.clock.pending().filter((t) => t.owner === 'node-controller' || t.owner === 'taint-controller')).toEqual([]);
    c.nlc.start();
    c.sim.clock.runUntil(s(400));
    // Passes now at 130.5, 135.5 …: the first after 130.5 + 40 s.
    expect(c.unknownAt('w2')).toBe(s(175.5));
    expect(c.events().filter((e) => e.reason === 'RegisteredNode')).toHaveLength(6);
  });

  it('a restarted controller finds the Leases cached before its start: an update keeping the renewTime renews nothing', () => {
    const c = cluster(profile114, { nodes: workers('w1'), status: 'once' });
    c.sim.clock.runUntil(s(96));
    c.kubelet('w1').stop();
    c.sim.clock.runUntil(s(100.5));
    c.nlc.stop();
    c.nlc.start();
    c.sim.clock.runUntil(s(120));
    const lease = right(c.kubectl.get('Lease', 'w1', 'kube-node-lease'));
    right(c.kubectl.update('Lease', { ...lease, metadata: { ...lease.metadata, labels: { touched: 'yes' } } }));
    c.sim.clock.runUntil(s(200));
    // The start at 100.5 s is the probe time; the update at 120 s (seen at 120.5 s) is not a renewal.
    expect(c.nlc.probeTimestamp('w1')).toBe(s(100.5));
    expect(c.unknownAt('w1')).toBe(s(145.5));
  });
});

describe('NodeLifecycleController: cost of a pass', () => {
  it('looks at no node while nothing changes, though upstream looks at every node every 5 s', () => {
    const nodes = workers(...Array.from({ length: 200 }, (_, i) => `w${String(i).padStart(3, '0')}`));
    const c = cluster(profile118, { nodes });
    c.sim.clock.runUntil(s(101.5));
    for (const name of Object.keys(nodes)) c.kubelet(name).stop();
    c.sim.clock.runUntil(s(300));
    expect(c.nlc.zoneStates()).toEqual(new Map([['', 'FullDisruption']]));
    const before = c.nlc.stats;
    c.sim.clock.runUntil(s(900));
    const after = c.nlc.stats;
    expect(after.passes - before.passes).toBe(120);
    expect(after.nodeChecks).toBe(before.nodeChecks);
    expect(c.sim.clock.pending().filter((t) => t.owner === 'node-controller')).toHaveLength(1);
  });
});

describe('sameNoScheduleInputs', () => {
  const node = (conditions: NodeCondition[], taints?: Taint[], unschedulable?: boolean): Node => ({
    metadata: { name: 'w1' },
    spec: { ...(taints ? { taints } : {}), ...(unschedulable !== undefined ? { unschedulable } : {}) },
    status: { conditions },
  });
  const ready = (status: string, heartbeat = 'T1'): NodeCondition => ({ type: 'Ready', status, lastHeartbeatTime: heartbeat });

  it('sees a heartbeat as no change, and a status, cordon or NoSchedule taint change as one', () => {
    const base = node([ready('True'), { type: 'DiskPressure', status: 'False' }], [{ key: 'a', effect: 'NoExecute' }]);
    expect(sameNoScheduleInputs(base, node([ready('True', 'T2'), { type: 'DiskPressure', status: 'False' }], [{ key: 'a', effect: 'NoExecute' }]))).toBe(true);
    // Only the NoSchedule taints' keys count: a NoExecute taint comes and goes unnoticed.
    expect(sameNoScheduleInputs(base, node([ready('True'), { type: 'DiskPressure', status: 'False' }]))).toBe(true);
    expect(sameNoScheduleInputs(base, node([ready('Unknown'), { type: 'DiskPressure', status: 'False' }], [{ key: 'a', effect: 'NoExecute' }]))).toBe(false);
    expect(sameNoScheduleInputs(base, node([ready('True')], [{ key: 'a', effect: 'NoExecute' }]))).toBe(false);
    expect(sameNoScheduleInputs(base, node([ready('True'), { type: 'DiskPressure', status: 'False' }], [{ key: 'a', effect: 'NoExecute' }], true))).toBe(false);
    expect(sameNoScheduleInputs(base, node([ready('True'), { type: 'DiskPressure', status: 'False' }], [{ key: 'b', effect: 'NoSchedule' }]))).toBe(false);
    const tainted = node([ready('True')], [{ key: 'x', effect: 'NoExecute' }, { key: 'b', effect: 'NoSchedule' }]);
    expect(sameNoScheduleInputs(tainted, node([ready('True')], [{ key: 'b', effect: 'NoSchedule', value: 'v' }]))).toBe(true);
    expect(sameNoScheduleInputs(tainted, node([ready('True')], [{ key: 'b', effect: 'NoSchedule' }, { key: 'c', effect: 'NoSchedule' }]))).toBe(false);
  });
});

describe('sortByNamePrefix (the monitor pass order)', () => {
  it('orders items by distinct names exactly as Array.prototype.sort() orders the names, leaving the tail alone', () => {
    // Seeded LCG: no Math.random in tests either.
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const alphabet = ['w', 'worker-', 'Worker-', 'node-', 'é', 'z', '-', '1', '10', '2', '\u{1F600}', ''];
    for (let round = 0; round < 20; round++) {
      for (let size = 0; size <= 16; size++) {
        const names = new Set<string>();
        while (names.size < size) names.add(`${alphabet[next() % alphabet.length]}${alphabet[next() % alphabet.length]}${next() % 30}`);
        const tail = [{ name: 'stale-b' }, { name: 'stale-a' }];
        const mine = [...[...names].map((name) => ({ name })), ...tail];
        sortByNamePrefix(mine, size);
        expect(mine.slice(0, size).map((item) => item.name)).toEqual([...names].sort());
        expect(mine.slice(size)).toEqual(tail);
      }
    }
  });
});
