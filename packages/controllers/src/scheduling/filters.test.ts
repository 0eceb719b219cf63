import { describe, expect, it } from '@jest/globals';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { profile112, profile114, profile118, profile128 } from '../profiles/profiles.js';
import { withOverrides } from '../profiles/profiles.js';
import type { VersionProfile } from '../profiles/profile.js';
import {
  filterContext,
  filterNode,
  isFilterError,
  NODE_NOT_READY,
  NODE_UNSCHEDULABLE,
  schedulingTaints,
  SlotFilter,
  taintReason,
  volumeBinding,
  volumeBindingError,
  type FilterContext,
} from './filters.js';
import { SchedulerCache } from './scheduler-cache.js';
import { volumeReasons } from './volume-binding.js';

const node = (name: string, extra: Partial<Node> = {}, ready = 'True'): Node => ({
  metadata: { name },
  status: { allocatable: { cpu: '1', memory: '1Gi', pods: '10' }, conditions: [{ type: 'Ready', status: ready }] },
  ...extra,
});

const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '2' } } }] } };

const context = (profile: VersionProfile, p: Pod = pod, unboundImmediate = false): FilterContext =>
  filterContext(
    p,
    profile,
    { boundVolumes: [], missingVolumes: [], delayedClaims: [], unboundImmediate },
    { claim: () => undefined, volume: () => undefined, storageClass: () => undefined, volumes: () => [] },
  );

const info = (n: Node) => {
  const cache = new SchedulerCache();
  cache.setNode(n);
  return cache.nodeInfo(n.metadata?.name ?? '')!;
};

describe('schedulingTaints', () => {
  it('adds the readiness taint the node lifecycle controller would add, unless it is there', () => {
    expect(schedulingTaints(node('w1', {}, 'Unknown'), profile128)).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    expect(schedulingTaints(node('w1', {}, 'False'), profile128)).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    const tainted = node('w1', { spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'x', effect: 'PreferNoSchedule' }] } }, 'Unknown');
    expect(schedulingTaints(tainted, profile128)).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    expect(schedulingTaints(node('w1'), profile128)).toEqual([]);
  });

  it('words a taint per failedSchedulingStyle', () => {
    const taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };
    expect(taintReason(taint, profile112)).toBe("node(s) had taints that the pod didn't tolerate");
    expect(taintReason(taint, profile128)).toBe('node(s) had untolerated taint {dedicated: db}');
  });
});

describe('filterNode', () => {
  it('reports all reasons of GeneralPredicates together in the predicates era', () => {
    const p: Pod = { ...pod, spec: { ...pod.spec!, nodeSelector: { disk: 'ssd' } } };
    expect(filterNode(context(profile112, p), info(node('w1')))).toEqual({
      reasons: ['Insufficient cpu', "node(s) didn't match node selector"],
      unresolvable: true,
    });
    // The framework stops at the first rejecting plugin: affinity before resources since 1.22.
    expect(filterNode(context(profile128, p), info(node('w1')))).toEqual({ reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true });
  });

  it('checks readiness as a predicate when TaintNodesByCondition is off', () => {
    const legacy = withOverrides(profile112, { features: { TaintNodesByCondition: false } });
    expect(filterNode(context(legacy), info(node('w1', {}, 'False')))).toEqual({ reasons: [NODE_NOT_READY], unresolvable: true });
  });

  it('turns an unbound Immediate claim into an error before 1.19', () => {
    const result = filterNode(context(profile112, { ...pod, spec: { containers: [] } }, true), info(node('w1')));
    expect(isFilterError(result) && result.error).toBe('pod has unbound immediate PersistentVolumeClaims');
  });

  it('lets a pod that tolerates the unschedulable taint onto a cordoned node', () => {
    const p: Pod = { metadata: { name: 'ds' }, spec: { containers: [], tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } };
    expect(filterNode(context(profile128, p), info(node('w1', { spec: { unschedulable: true } })))).toBeUndefined();
  });

  it('reads the taints the cache derived, the readiness taint included', () => {
    const notReady = info(node('w1', {}, 'False'));
    expect(filterNode(context(profile128), notReady)).toEqual({ reasons: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'], unresolvable: true });
    const daemon: Pod = {
      metadata: { name: 'ds' },
      spec: { containers: [], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] },
    };
    expect(filterNode(context(profile128, daemon), notReady)).toBeUndefined();
    // The taint is only as old as the readiness: 1.12 with TaintNodesByCondition off sees none.
    const legacy = withOverrides(profile112, { features: { TaintNodesByCondition: false } });
    expect(filterNode(context(legacy, daemon), info(node('w2', { spec: { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] } })))).toBeUndefined();
  });

  it('shares one rejection per unresolvable reason and keeps resource reasons per node', () => {
    const cordoned = () => info(node('w1', { spec: { unschedulable: true } }));
    const free: Pod = { metadata: { name: 'free' }, spec: { containers: [] } };
    const first = filterNode(context(profile128, free), cordoned());
    expect(first).toEqual({ reasons: [NODE_UNSCHEDULABLE], unresolvable: true });
    expect(filterNode(context(profile128, free), cordoned())).toBe(first);
    const short = filterNode(context(profile128), info(node('w1')));
    expect(short).toEqual({ reasons: ['Insufficient cpu'], unresolvable: false });
    expect(filterNode(context(profile128), info(node('w1')))).not.toBe(short);
  });
});

describe('filterContext', () => {
  it('computes what the filters ask of the pod once', () => {
    const daemon: Pod = {
      metadata: { name: 'ds' },
      spec: { containers: [{ name: 'c' }], tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] },
    };
    const ctx = context(profile128, daemon);
    expect([ctx.toleratesUnschedulable, ctx.requestsNothing, ctx.hasVolumes, ctx.tolerations.length]).toEqual([true, true, false, 1]);
    const other = context(profile128, pod, true);
    expect([other.toleratesUnschedulable, other.requestsNothing, other.hasVolumes, other.tolerations.length]).toEqual([false, false, true, 0]);
  });
});

describe('SlotFilter', () => {
  // Nodes that fail each check in turn, and some that pass, in one cache.
  const nodes: Node[] = [
    node('a-free'),
    node('b-cordoned', { spec: { unschedulable: true } }),
    node('c-not-ready', {}, 'False'),
    node('d-unreachable', { spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] } }, 'Unknown'),
    node('e-dedicated', { metadata: { name: 'e-dedicated', labels: { disk: 'ssd' } }, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }),
    node('f-ssd', { metadata: { name: 'f-ssd', labels: { disk: 'ssd' } } }),
    node('g-prefer', { spec: { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] } }),
    { metadata: { name: 'h-gpu' }, status: { allocatable: { cpu: '4', memory: '1Gi', pods: '10', 'nvidia.com/gpu': '1' }, conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'i-small' }, status: { allocatable: { cpu: '100m', memory: '1Gi', pods: '10' }, conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'j-full' }, status: { allocatable: { cpu: '4', memory: '1Gi', pods: '1' }, conditions: [{ type: 'Ready', status: 'True' }] } },
  ];
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  cache.setPod({ metadata: { name: 'x', namespace: 'default' }, spec: { nodeName: 'j-full', containers: [] } });
  const pods: Pod[] = [
    { metadata: { name: 'empty' }, spec: { containers: [] } },
    { metadata: { name: 'cpu' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '500m' } } }] } },
    { metadata: { name: 'gpu' }, spec: { containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': '1' } } }] } },
    { metadata: { name: 'ssd' }, spec: { containers: [], nodeSelector: { disk: 'ssd' } } },
    {
      metadata: { name: 'tolerant' },
      spec: {
        containers: [],
        tolerations: [
          { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unschedulable', operator: 'Exists' },
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
        ],
      },
    },
    { metadata: { name: 'everything' }, spec: { containers: [], tolerations: [{ operator: 'Exists' }] } },
  ];
  const legacy = withOverrides(profile112, { features: { TaintNodesByCondition: false } });

  it.each([profile112, profile114, profile118, profile128, legacy])('passes exactly the nodes filterNode lets through ($version)', (profile) => {
    const infos = cache.nodeInfos();
    const slots = cache.slots();
    for (const p of pods) {
      const ctx = context(profile, p);
      const fast = new SlotFilter(ctx, slots);
      const verdicts = infos.map((i) => [i.name, fast.passes(i.slot, i)]);
      expect(verdicts).toEqual(infos.map((i) => [i.name, filterNode(ctx, i) === undefined]));
    }
  });

  it.each([profile112, profile114, legacy])('collects the runs of nodes passes lets through, from any slot and with any room ($version)', (profile) => {
    const infos = cache.nodeInfos();
    const slots = cache.slots();
    for (const p of pods) {
      const ctx = context(profile, p);
      const fast = new SlotFilter(ctx, slots);
      const passing = infos.map((i) => fast.passes(i.slot, i));
      for (let from = 0; from < infos.length; from++)
        for (const room of [1, 2, Infinity]) {
          const out = new Int32Array(infos.length + 3).fill(-1);
          const stop = fast.collect(from, infos.length, infos, out, 3, room);
          // The run: every slot before `stop` passes, and it ends at a failing node, the end, or full.
          let expected = from;
          while (expected < infos.length && expected - from < room && passing[expected]) expected++;
          expect(stop).toBe(expected);
          expect(fast.passed).toBe(stop - from);
          expect([...out.subarray(3, 3 + fast.passed)]).toEqual(Array.from({ length: stop - from }, (_, k) => from + k));
          // Without an array it only counts.
          expect(fast.collect(from, infos.length, infos, undefined, 0, room)).toBe(stop);
          expect(fast.passed).toBe(stop - from);
        }
    }
  });

  it('stops a run at a node whose quantities are too large to subtract exactly, which passes judges', () => {
    const local = new SchedulerCache();
    local.setNode(node('w1'));
    local.setNode({ metadata: { name: 'w2-huge' }, status: { allocatable: { cpu: '4', memory: '16Ei', pods: '10' }, conditions: [{ type: 'Ready', status: 'True' }] } });
    local.setNode(node('w3'));
    const infos = local.nodeInfos();
    const pod: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { memory: '1Gi' } } }] } };
    const fast = new SlotFilter(context(profile114, pod), local.slots());
    const huge = infos.find((i) => i.name === 'w2-huge')!;
    expect(fast.passes(huge.slot, huge)).toBe(true);
    expect(fast.collect(0, infos.length, infos, undefined, 0, Infinity)).toBe(huge.slot);
    expect(fast.collect(huge.slot + 1, infos.length, infos, undefined, 0, Infinity)).toBe(infos.length);
  });

  it('counts the passing nodes as passes does, remembering the count only while the slots and the pod inputs stay the same', () => {
    const local = new SchedulerCache();
    for (const n of nodes) local.setNode(n);
    const infos = local.nodeInfos();
    const slots = local.slots();
    let fast: SlotFilter | undefined;
    const count = (profile: VersionProfile, p: Pod) => {
      const ctx = context(profile, p);
      fast = fast === undefined ? new SlotFilter(ctx, slots) : fast.rearm(ctx, slots);
      const expected = infos.filter((i) => new SlotFilter(ctx, slots).passes(i.slot, i)).length;
      return [fast.countPassing(infos), expected];
    };
    // Pods taking turns: each answer is its own pod's, not the one remembered.
    for (const profile of [profile112, legacy, profile128])
      for (const p of [...pods, ...[...pods].reverse()]) {
        const [got, expected] = count(profile, p);
        // A node selector or extended resources read the node objects: not counted here.
        const selectsOrScalar = p.metadata?.name === 'ssd' || p.metadata?.name === 'gpu';
        expect(got).toBe(selectsOrScalar ? undefined : expected);
      }
    // A pod landing changes the slots: counted again.
    const empty = pods[0]!;
    const [before] = count(profile128, empty);
    local.setPod({ metadata: { name: 'y', namespace: 'default' }, spec: { nodeName: 'a-free', containers: [] } });
    local.setNode({ metadata: { name: 'a-free' }, status: { allocatable: { cpu: '1', memory: '1Gi', pods: '1' }, conditions: [{ type: 'Ready', status: 'True' }] } });
    const [after, expected] = count(profile128, empty);
    expect(after).toBe(expected);
    expect(after).toBe(before! - 1);
  });

  it('re-armed for attempt after attempt, judges as a new filter does', () => {
    // One filter across every profile and pod, its taint verdicts of the previous attempt forgotten.
    const infos = cache.nodeInfos();
    const slots = cache.slots();
    let reused: SlotFilter | undefined;
    for (const profile of [profile112, legacy, profile128, profile114, profile118])
      for (const p of [...pods, ...[...pods].reverse()]) {
        const ctx = context(profile, p);
        reused = reused === undefined ? new SlotFilter(ctx, slots) : reused.rearm(ctx, slots);
        const fresh = new SlotFilter(ctx, slots);
        expect(infos.map((i) => reused!.passes(i.slot, i))).toEqual(infos.map((i) => fresh.passes(i.slot, i)));
      }
  });

  it('follows the cache as pods land and nodes change', () => {
    const local = new SchedulerCache();
    local.setNode(node('w1'));
    local.setNode(node('w2'));
    const small: Pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '600m' } } }] } };
    const ctx = context(profile128, small);
    const passing = () => {
      const fast = new SlotFilter(ctx, local.slots());
      return local.nodeInfos().filter((i) => fast.passes(i.slot, i)).map((i) => i.name);
    };
    expect(passing()).toEqual(['w1', 'w2']);
    local.setPod({ metadata: { name: 'a', namespace: 'default' }, spec: { nodeName: 'w1', containers: [{ name: 'c', resources: { requests: { cpu: '500m' } } }] } });
    expect(passing()).toEqual(['w2']);
    local.setNode(node('w2', { spec: { unschedulable: true } }));
    expect(passing()).toEqual([]);
    local.removePod('default/a');
    expect(passing()).toEqual(['w1']);
  });
});

describe('volumeBindingError', () => {
  it('is the error volume binding gives on every node, in the version words, or undefined', () => {
    const empty: Pod = { metadata: { name: 'p' }, spec: { containers: [] } };
    expect(volumeBindingError(context(profile112, empty, true))).toEqual({ error: 'pod has unbound immediate PersistentVolumeClaims' });
    expect(volumeBindingError(context(profile118, empty, true))).toEqual({
      error: 'running "VolumeBinding" filter plugin for pod "p": pod has unbound immediate PersistentVolumeClaims',
    });
    expect(volumeBindingError(context(profile112, empty))).toBeUndefined();
    expect(volumeBinding(context(profile112, empty, true), node('w1'))).toEqual(volumeBindingError(context(profile112, empty, true)));
  });
});

describe('volumeBinding', () => {
  it('turns nodes away with the reasons of volumeReasons', () => {
    const inZone = (zone: string): PersistentVolume => ({
      metadata: { name: `pv-${zone}` },
      spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [zone] }] }] } } },
    });
    const wffc: StorageClass = { metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' };
    const claim: PersistentVolumeClaim = { metadata: { name: 'c', namespace: 'default' }, spec: { storageClassName: 'local' } };
    const empty: Pod = { metadata: { name: 'p' }, spec: { containers: [] } };
    const listers = { claim: () => undefined, volume: () => undefined, storageClass: () => undefined, volumes: () => [] };
    for (const n of [node('w1', { metadata: { name: 'w1', labels: { zone: 'a' } } }), node('w2', { metadata: { name: 'w2', labels: { zone: 'b' } } })])
      for (const boundVolumes of [[], [inZone('a')]])
        for (const delayedClaims of [[], [{ claim, storageClass: wffc }]]) {
          const volumes = { boundVolumes, missingVolumes: [], delayedClaims, unboundImmediate: false };
          const ctx = filterContext(empty, profile128, volumes, listers);
          const reasons = volumeReasons(volumes, n, listers);
          expect(volumeBinding(ctx, n)).toEqual(reasons.length === 0 ? undefined : { reasons, unresolvable: true });
        }
  });
});
