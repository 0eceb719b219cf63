import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import { defaultTimings } from '../runtime/context.js';
import { profile114 } from '../profiles/profiles.js';
import { DaemonSetController, addDaemonPodTolerations, nodeInSameCondition, nodeShouldRunDaemonPod, shouldIgnoreNodeUpdate, targetNodeName } from './daemonset-controller.js';
import { PodGCController } from './pod-gc-controller.js';
import { TestBinder, TestKubelet, createNode, eventsAbout, removedAt, setNodeReady } from './test-support.js';

/** Freezes like the API server's stored objects (the verdict caches per frozen DaemonSet). */
const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

const setup = (nodes: string[] = ['w1', 'w2', 'w3']): { sim: Simulation; kubectl: ApiClient; kubelets: Map<string, TestKubelet> } => {
  const sim = createSimulation({ seed: 9 });
  const kubectl = sim.api.client('kubectl');
  for (const n of nodes) createNode(kubectl, n);
  new TestBinder(sim).start();
  const kubelets = new Map(nodes.map((n) => [n, new TestKubelet(sim, n, { startMs: 1_000 }).start()]));
  new DaemonSetController({ sim, profile: profile114, timings: defaultTimings }).start();
  return { sim, kubectl, kubelets };
};

const daemonSet = (spec: Partial<PodSpec> = {}): DaemonSet => ({
  metadata: { name: 'fluentd', namespace: 'kube-system' },
  spec: {
    selector: { matchLabels: { app: 'fluentd' } },
    template: { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd:v1' }], ...spec } },
  },
});

const dsPods = (kubectl: ApiClient): Pod[] => {
  const list = kubectl.list('Pod', { namespace: 'kube-system' });
  return E.isRight(list) ? [...list.right.items] : [];
};

const byNode = (kubectl: ApiClient): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const pod of dsPods(kubectl)) counts[pod.spec?.nodeName ?? '(unbound)'] = (counts[pod.spec?.nodeName ?? '(unbound)'] ?? 0) + 1;
  return counts;
};

const dsStatus = (kubectl: ApiClient): DaemonSet['status'] => {
  const ds = kubectl.get('DaemonSet', 'fluentd', 'kube-system');
  return E.isRight(ds) ? ds.right.status : undefined;
};

const node = (name: string, extra: Partial<Node> = {}): Node => ({ metadata: { name, labels: {} }, ...extra });

describe('DaemonSetController', () => {
  it('creates one pod per node, pinned by node affinity, with the daemon tolerations', () => {
    const { sim, kubectl } = setup();
    kubectl.create('DaemonSet', daemonSet());
    sim.clock.runUntil(5_000);
    expect(byNode(kubectl)).toEqual({ w1: 1, w2: 1, w3: 1 });
    for (const pod of dsPods(kubectl)) {
      expect(pod.metadata?.name).toMatch(/^fluentd-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec?.nodeName] }] },
      ]);
      // No tolerationSeconds: DefaultTolerationSeconds saw them and added nothing.
      expect(pod.spec?.tolerations).toEqual([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ]);
      expect(pod.metadata?.labels?.['controller-revision-hash']).toBeDefined();
      expect(pod.metadata?.ownerReferences?.[0]).toEqual(expect.objectContaining({ kind: 'DaemonSet', name: 'fluentd', controller: true }));
    }
    expect(eventsAbout(kubectl, 'fluentd', 'SuccessfulCreate').map((e) => e.message).sort()).toEqual(dsPods(kubectl).map((p) => `Created pod: ${p.metadata?.name}`).sort());
    expect(dsStatus(kubectl)).toEqual(
      expect.objectContaining({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3, numberMisscheduled: 0 }),
    );
  });

  it('honours nodeSelector and untolerated taints, but tolerates cordoned nodes', () => {
    const sim = createSimulation({ seed: 9 });
    const kubectl = sim.api.client('kubectl');
    createNode(kubectl, 'db1', { labels: { role: 'db' } });
    createNode(kubectl, 'db2', { labels: { role: 'db' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    createNode(kubectl, 'db3', { labels: { role: 'db' }, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
    createNode(kubectl, 'web1');
    new TestBinder(sim).start();
    new DaemonSetController({ sim, profile: profile114, timings: defaultTimings }).start();
    kubectl.create('DaemonSet', daemonSet({ nodeSelector: { role: 'db' } }));
    sim.clock.runUntil(5_000);
    expect(byNode(kubectl)).toEqual({ db1: 1, db3: 1 });
    expect(dsStatus(kubectl)?.desiredNumberScheduled).toBe(2);
  });

  it('adds a pod when a node joins, and none for a NotReady node', () => {
    const { sim, kubectl } = setup(['w1']);
    kubectl.create('DaemonSet', daemonSet());
    sim.clock.runUntil(5_000);
    sim.clock.scheduleAt(10_000, () => createNode(kubectl, 'w2'), { owner: 'test', purpose: 'w2 joins' });
    sim.clock.scheduleAt(10_000, () => createNode(kubectl, 'w3', { ready: 'False', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }), {
      owner: 'test',
      purpose: 'w3 joins NotReady',
    });
    sim.clock.runUntil(20_000);
    expect(byNode(kubectl)).toEqual({ w1: 1, w2: 1 });
  });

  it('keeps its pod on an unreachable node (NoExecute tolerated forever)', () => {
    const { sim, kubectl, kubelets } = setup(['w1', 'w2']);
    kubectl.create('DaemonSet', daemonSet());
    sim.clock.runUntil(5_000);
    kubelets.get('w2')!.alive = false;
    setNodeReady(kubectl, 'w2', 'Unknown');
    kubectl.patch(
      'Node',
      'w2',
      {
        spec: {
          taints: [
            { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
            { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
          ],
        },
      },
      { type: 'merge' },
    );
    sim.clock.runUntil(600_000);
    expect(byNode(kubectl)).toEqual({ w1: 1, w2: 1 });
    expect(dsPods(kubectl).every((p) => !p.metadata?.deletionTimestamp)).toBe(true);
  });

  it('does not re-create the pod of a deleted node after PodGC removed it', () => {
    const { sim, kubectl } = setup(['w1', 'w2']);
    new PodGCController({ sim, profile: profile114, timings: defaultTimings }).start();
    kubectl.create('DaemonSet', daemonSet());
    sim.clock.runUntil(5_000);
    const onW2 = dsPods(kubectl).find((p) => p.spec?.nodeName === 'w2')!;
    kubectl.delete('Node', 'w2');
    sim.clock.runUntil(120_000);
    expect(removedAt(sim, onW2.metadata?.name ?? '', 'kube-system')).toBe(20_000);
    expect(byNode(kubectl)).toEqual({ w1: 1 });
    expect(eventsAbout(kubectl, 'fluentd', 'SuccessfulCreate')).toHaveLength(2);
    expect(dsStatus(kubectl)?.desiredNumberScheduled).toBe(1);
  });

  it('deletes a failed daemon pod and re-creates it, backing off per node', () => {
    const { sim, kubectl } = setup(['w1']);
    kubectl.create('DaemonSet', daemonSet());
    sim.clock.runUntil(5_000);
    const fail = (): void => {
      const pod = dsPods(kubectl).find((p) => !p.metadata?.deletionTimestamp)!;
      kubectl.updateStatus('Pod', { ...pod, status: { ...pod.status, phase: 'Failed' } });
    };
    fail();
    sim.clock.runUntil(5_000);
    expect(eventsAbout(kubectl, 'fluentd', 'FailedDaemonPod')).toHaveLength(1);
    expect(eventsAbout(kubectl, 'fluentd', 'FailedDaemonPod')[0]?.message).toMatch(/^Found failed daemon pod kube-system\/fluentd-[a-z0-9]{5} on node w1, will try to kill it$/);
    expect(dsPods(kubectl)).toHaveLength(1);
    // The replacement fails at once: the back-off (now 1 s) holds the next deletion until t=6 s.
    fail();
    sim.clock.runUntil(5_999);
    expect(dsPods(kubectl).filter((p) => p.status?.phase === 'Failed')).toHaveLength(1);
    sim.clock.runUntil(6_000);
    expect(dsPods(kubectl).filter((p) => p.status?.phase === 'Failed')).toHaveLength(0);
    expect(dsPods(kubectl)).toHaveLength(1);
  });

  it('deletes a second pod on the same node, keeping the oldest', () => {
    const { sim, kubectl } = setup(['w1']);
    kubectl.create('DaemonSet', daemonSet());
    sim.clock.runUntil(5_000);
    const [first] = dsPods(kubectl);
    kubectl.create('Pod', { metadata: { name: 'extra', namespace: 'kube-system', labels: { app: 'fluentd' } }, spec: { nodeName: 'w1', containers: [{ name: 'f', image: 'fluentd:v1' }] } });
    sim.clock.runUntil(6_000);
    expect(dsPods(kubectl).map((p) => p.metadata?.name)).toEqual([first?.metadata?.name]);
  });
});

describe('DaemonSetController per-change work', () => {
  type Step =
    | { readonly op: 'taint'; readonly node: number; readonly effect: 'NoSchedule' | 'NoExecute' | 'none' }
    | { readonly op: 'label'; readonly node: number; readonly on: boolean }
    | { readonly op: 'deleteNode' | 'addNode' | 'failPod' | 'deletePod' | 'extraPod' | 'kubeletDown' | 'kubeletUp'; readonly node: number };

  const NODES = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('taint' as const), node: fc.nat(NODES.length - 1), effect: fc.constantFrom('NoSchedule' as const, 'NoExecute' as const, 'none' as const) }),
    fc.record({ op: fc.constant('label' as const), node: fc.nat(NODES.length - 1), on: fc.boolean() }),
    fc.record({
      op: fc.constantFrom('deleteNode' as const, 'addNode' as const, 'failPod' as const, 'deletePod' as const, 'extraPod' as const, 'kubeletDown' as const, 'kubeletUp' as const),
      node: fc.nat(NODES.length - 1),
    }),
  );

  /** updateDaemonSetStatus's counts recomputed from the API's objects by a walk of every node. */
  const fullCount = (kubectl: ApiClient): Record<string, number> => {
    const ds = kubectl.get('DaemonSet', 'fluentd', 'kube-system');
    const nodes = kubectl.list('Node');
    if (E.isLeft(ds) || E.isLeft(nodes)) throw new Error('no DaemonSet or nodes');
    const pods = dsPods(kubectl).filter((p) => {
      const terminal = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
      return p.metadata?.ownerReferences?.[0]?.uid === ds.right.metadata?.uid && !(terminal && p.metadata?.deletionTimestamp) && targetNodeName(p) !== undefined;
    });
    const counts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0 };
    for (const n of nodes.right.items) {
      const mine = pods.filter((p) => targetNodeName(p) === n.metadata?.name).sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
      if (nodeShouldRunDaemonPod(n, ds.right).shouldRun) {
        counts.desiredNumberScheduled++;
        const oldest = mine[0];
        if (!oldest) continue;
        counts.currentNumberScheduled++;
        if (oldest.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) counts.numberReady++;
        if (oldest.metadata?.labels?.['controller-revision-hash'] !== undefined) counts.updatedNumberScheduled++;
      } else if (mine.length > 0) counts.numberMisscheduled++;
    }
    return counts;
  };

  const apply = (kubectl: ApiClient, kubelets: Map<string, TestKubelet>, sim: Simulation, step: Step): void => {
    const name = NODES[step.node] ?? 'w1';
    const current = kubectl.get('Node', name);
    const onNode = dsPods(kubectl).filter((p) => p.spec?.nodeName === name && !p.metadata?.deletionTimestamp);
    switch (step.op) {
      case 'taint':
        if (E.isRight(current)) kubectl.update('Node', { ...current.right, spec: { ...current.right.spec, taints: step.effect === 'none' ? [] : [{ key: 'dedicated', value: 'x', effect: step.effect }] } });
        return;
      case 'label':
        if (E.isRight(current)) kubectl.update('Node', { ...current.right, metadata: { ...current.right.metadata, labels: { ...current.right.metadata?.labels, role: step.on ? 'db' : 'web' } } });
        return;
      case 'deleteNode':
        kubectl.delete('Node', name);
        return;
      case 'addNode':
        if (E.isLeft(current)) createNode(kubectl, name);
        return;
      case 'failPod':
        if (onNode[0]) kubectl.updateStatus('Pod', { ...onNode[0], status: { ...onNode[0].status, phase: 'Failed' } });
        return;
      case 'deletePod':
        if (onNode[0]) kubectl.delete('Pod', onNode[0].metadata?.name ?? '', { namespace: 'kube-system' });
        return;
      case 'extraPod':
        kubectl.create('Pod', { metadata: { name: `extra-${name}-${sim.clock.now()}`, namespace: 'kube-system', labels: { app: 'fluentd' } }, spec: { nodeName: name, containers: [{ name: 'f', image: 'fluentd:v1' }] } });
        return;
      case 'kubeletDown':
      case 'kubeletUp': {
        const kubelet = kubelets.get(name);
        if (kubelet) kubelet.alive = step.op === 'kubeletUp';
        return;
      }
    }
  };

  it('keeps its status equal to a full count over every node, and every eligible node covered, after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 25, size: 'max' }), (steps) => {
        const { sim, kubectl, kubelets } = setup(NODES);
        // Half the nodes are not db: a nodeSelector makes labels matter.
        kubectl.create('DaemonSet', { ...daemonSet(), spec: { ...daemonSet().spec!, template: { ...daemonSet().spec!.template, spec: { ...daemonSet().spec!.template.spec!, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['web'] }] }] } } } } } } });
        sim.clock.runUntil(5_000);
        for (const step of steps) {
          apply(kubectl, kubelets, sim, step);
          // Past the longest per-node back-off these steps can reach (1 s doubling).
          sim.clock.runFor(40_000);
          // A node deletion enqueues no DaemonSet (upstream has no deleteNode handler before
          // 1.29): an annotation makes the next sync, which must count as a walk of every node.
          const current = kubectl.get('DaemonSet', 'fluentd', 'kube-system');
          if (E.isRight(current)) kubectl.update('DaemonSet', { ...current.right, metadata: { ...current.right.metadata, annotations: { step: String(sim.clock.now()) } } });
          sim.clock.runFor(1_000);
          expect(dsStatus(kubectl)).toEqual(expect.objectContaining(fullCount(kubectl)));
        }
        // Every node that should run the daemon has a live pod on it (or pinned to it).
        const ds = kubectl.get('DaemonSet', 'fluentd', 'kube-system');
        const nodes = kubectl.list('Node');
        if (E.isLeft(ds) || E.isLeft(nodes)) throw new Error('gone');
        const live = dsPods(kubectl).filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Failed');
        for (const n of nodes.right.items) {
          if (nodeShouldRunDaemonPod(n, ds.right).shouldRun) expect(live.some((p) => targetNodeName(p) === n.metadata?.name)).toBe(true);
        }
      }),
      { numRuns: 25, seed: 11 },
    );
  });
});

describe('daemon pod helpers', () => {
  it('adds network-unavailable only for hostNetwork pods, replacing equal tolerations', () => {
    const spec = addDaemonPodTolerations({ containers: [], hostNetwork: true, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] });
    expect(spec.tolerations?.filter((t) => t.key === 'node.kubernetes.io/not-ready')).toHaveLength(1);
    expect(spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
    expect(addDaemonPodTolerations({ containers: [] }).tolerations).toHaveLength(6);
  });

  it('tells shouldRun from shouldContinueRunning as NodeShouldRunDaemonPod', () => {
    const ds = daemonSet();
    expect(nodeShouldRunDaemonPod(node('a'), ds)).toEqual({ shouldRun: true, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('a', { spec: { taints: [{ key: 'x', effect: 'NoSchedule' }] } }), ds)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('a', { spec: { taints: [{ key: 'x', effect: 'NoExecute' }] } }), ds)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node('a', { spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } }), ds)).toEqual({
      shouldRun: false,
      shouldContinueRunning: false,
    });
  });

  it('agrees with the definition of NodeShouldRunDaemonPod for any taints, selector and tolerations, on frozen and mutable DaemonSets', () => {
    // The verdict walks the taints once and shares its result objects; the reference below
    // asks the two questions of the definition separately.
    const effects = ['NoSchedule', 'NoExecute', 'PreferNoSchedule'] as const;
    const taintArb = fc.record({ key: fc.constantFrom('dedicated', 'gpu', 'node.kubernetes.io/unreachable'), effect: fc.constantFrom(...effects) });
    const tolerationArb = fc.record({ key: fc.constantFrom('dedicated', 'gpu'), operator: fc.constant('Exists'), effect: fc.constantFrom(...effects) });
    fc.assert(
      fc.property(fc.array(taintArb, { maxLength: 3 }), fc.array(tolerationArb, { maxLength: 2 }), fc.boolean(), fc.boolean(), (taints, tolerations, selects, frozen) => {
        const mutable = daemonSet({ tolerations, ...(selects ? { nodeSelector: { pool: 'a' } } : {}) });
        const ds = frozen ? deepFreeze<DaemonSet>(mutable) : mutable;
        const n = node('a', { metadata: { name: 'a', labels: { pool: 'b' } }, spec: { taints } });
        const spec = addDaemonPodTolerations(ds.spec?.template?.spec ?? { containers: [] });
        const untolerated = (which: readonly string[]): boolean =>
          taints.some((t) => which.includes(t.effect) && !(spec.tolerations ?? []).some((o) => (!o.effect || o.effect === t.effect) && (!o.key || o.key === t.key)));
        const expected = selects
          ? { shouldRun: false, shouldContinueRunning: false }
          : untolerated(['NoSchedule', 'NoExecute'])
            ? { shouldRun: false, shouldContinueRunning: !untolerated(['NoExecute']) }
            : { shouldRun: true, shouldContinueRunning: true };
        expect(nodeShouldRunDaemonPod(n, ds)).toEqual(expected);
        expect(nodeShouldRunDaemonPod(n, ds)).toEqual(expected);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('answers a later version of a stored DaemonSet from its shared template, and an edited mutable one afresh', () => {
    const stored = deepFreeze<DaemonSet>(daemonSet({ nodeSelector: { pool: 'a' } }));
    // A status write stores a new object that keeps the spec.
    const afterStatusWrite = deepFreeze<DaemonSet>({ ...stored, status: { currentNumberScheduled: 1, desiredNumberScheduled: 1, numberMisscheduled: 0, numberReady: 1 } });
    const inPool = node('a', { metadata: { name: 'a', labels: { pool: 'a' } } });
    const outOfPool = node('b', { metadata: { name: 'b', labels: { pool: 'b' } } });
    expect(nodeShouldRunDaemonPod(inPool, stored).shouldRun).toBe(true);
    expect(nodeShouldRunDaemonPod(outOfPool, afterStatusWrite).shouldRun).toBe(false);
    expect(nodeShouldRunDaemonPod(inPool, afterStatusWrite).shouldRun).toBe(true);
    const mutable = daemonSet({ nodeSelector: { pool: 'a' } });
    expect(nodeShouldRunDaemonPod(outOfPool, mutable).shouldRun).toBe(false);
    mutable.spec!.template.spec!.nodeSelector = { pool: 'b' };
    expect(nodeShouldRunDaemonPod(outOfPool, mutable).shouldRun).toBe(true);
  });

  it('finds the target node from spec.nodeName or the metadata.name affinity', () => {
    expect(targetNodeName({ spec: { containers: [], nodeName: 'w1' } })).toBe('w1');
    expect(
      targetNodeName({
        spec: {
          containers: [],
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w2'] }] }] } } },
        },
      }),
    ).toBe('w2');
    expect(targetNodeName({ spec: { containers: [] } })).toBeUndefined();
  });

  it('ignores heartbeat-only Node updates as shouldIgnoreNodeUpdate (1.12–1.28)', () => {
    const ready = (status: string, heartbeat: string): NonNullable<Node['status']>['conditions'] => [
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: heartbeat },
      { type: 'Ready', status, lastHeartbeatTime: heartbeat, lastTransitionTime: '2026-01-01T00:00:00Z' },
    ];
    const base: Node = { metadata: { name: 'w1', resourceVersion: '10', labels: { zone: 'a' } }, spec: {}, status: { conditions: ready('True', 'T1'), volumesInUse: ['v1'] } };
    const heartbeat: Node = { ...base, metadata: { ...base.metadata, resourceVersion: '11' }, status: { ...base.status, conditions: ready('True', 'T2') } };
    expect(shouldIgnoreNodeUpdate(base, heartbeat)).toBe(true);
    // A True condition that went (Ready → Unknown), a label, a taint or any other status member: looked at.
    expect(shouldIgnoreNodeUpdate(base, { ...heartbeat, status: { ...heartbeat.status, conditions: ready('Unknown', 'T2') } })).toBe(false);
    expect(shouldIgnoreNodeUpdate(base, { ...heartbeat, metadata: { ...heartbeat.metadata, labels: { zone: 'b' } } })).toBe(false);
    expect(shouldIgnoreNodeUpdate(base, { ...heartbeat, spec: { taints: [{ key: 'x', effect: 'NoSchedule' }] } })).toBe(false);
    expect(shouldIgnoreNodeUpdate(base, { ...heartbeat, status: { ...heartbeat.status, volumesInUse: [] } })).toBe(false);
    // nodeInSameCondition compares the set of True types only, in any order.
    expect(nodeInSameCondition([], undefined)).toBe(true);
    expect(nodeInSameCondition([{ type: 'A', status: 'True' }, { type: 'B', status: 'True' }], [{ type: 'B', status: 'True' }, { type: 'A', status: 'True' }])).toBe(true);
    expect(nodeInSameCondition([{ type: 'A', status: 'False' }], [{ type: 'A', status: 'Unknown' }])).toBe(true);
    expect(nodeInSameCondition([{ type: 'A', status: 'True' }], [])).toBe(false);
    expect(nodeInSameCondition([], [{ type: 'A', status: 'True' }])).toBe(false);
    // Upstream's map semantics with a type True twice (no API server writes that): not the same.
    expect(nodeInSameCondition([{ type: 'A', status: 'True' }, { type: 'A', status: 'True' }], [{ type: 'A', status: 'True' }, { type: 'A', status: 'True' }])).toBe(false);
  });

  it('still reacts to a taint that arrives with a heartbeat, and not to heartbeats alone', () => {
    const { sim, kubectl } = setup(['w1', 'w2']);
    kubectl.create('DaemonSet', daemonSet());
    sim.clock.runUntil(5_000);
    expect(byNode(kubectl)).toEqual({ w1: 1, w2: 1 });
    // Heartbeats (the TestKubelet posts Ready) for a while: nothing changes.
    sim.clock.runUntil(60_000);
    expect(byNode(kubectl)).toEqual({ w1: 1, w2: 1 });
    const w2 = kubectl.get('Node', 'w2');
    if (E.isLeft(w2)) throw new Error('no w2');
    kubectl.update('Node', { ...w2.right, spec: { ...w2.right.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] } });
    sim.clock.runUntil(65_000);
    expect(byNode(kubectl)).toEqual({ w1: 1 });
    expect(dsStatus(kubectl)).toEqual(expect.objectContaining({ desiredNumberScheduled: 1, numberMisscheduled: 0 }));
  });
});
