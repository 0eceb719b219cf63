import { describe, expect, it } from '@jest/globals';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { countsOnNode, SchedulerCache } from './scheduler-cache.js';
import { podNonZeroRequests, podRequests } from './pod-requests.js';

const node = (name: string): Node => ({ metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const pod = (name: string, nodeName: string | undefined, extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }] },
  spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] },
  ...extra,
});

describe('SchedulerCache', () => {
  it('counts the requests of assigned pods on their node, once per pod', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('w1'));
    cache.setPod(pod('a', 'w1'));
    cache.setPod(pod('a', 'w1'));
    cache.setPod(pod('b', 'w1'));
    const info = cache.nodeInfo('w1')!;
    expect(info.requested.milliCPU).toBe(1000);
    expect(info.requested.memory).toBe(2 * 2 ** 30);
    expect(info.podCount).toBe(2);
    expect(info.controllerPods.get('rs-uid')).toBe(2);
    expect(info.allocatable.milliCPU).toBe(4000);
    // What the filters and scores read.
    expect([info.allocatable.pods, info.allocatable.milliCPU, info.allocatable.memory]).toEqual([110, 4000, 8 * 2 ** 30]);
    expect(info.nonZeroRequested.milliCPU).toBe(1000);
  });

  it('keeps terminating pods counted but not spread, drops terminal and deleted ones', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('w1'));
    expect(cache.setPod(pod('a', 'w1'))).toBe(false);
    const running = pod('a', 'w1');
    expect(cache.setPod({ ...running, metadata: { ...running.metadata, deletionTimestamp: '2019-06-01T00:00:30Z' } })).toBe(false);
    expect(cache.nodeInfo('w1')!.podCount).toBe(1);
    expect(cache.nodeInfo('w1')!.controllerPods.size).toBe(0);
    // Only a pod that counted and stops counting is reported: what the scheduler treats as a delete.
    expect(cache.setPod({ ...pod('a', 'w1'), status: { phase: 'Failed' } })).toBe(true);
    expect(cache.nodeInfo('w1')!.podCount).toBe(0);
    expect(cache.setPod({ ...pod('a', 'w1'), status: { phase: 'Failed' } })).toBe(false);
    cache.setPod(pod('b', 'w1'));
    expect(cache.removePod('default/b')).toBe(true);
    expect(cache.nodeInfo('w1')!.requested.milliCPU).toBe(0);
  });

  it('lists known nodes sorted and keeps pods of a node that is not (yet) known', () => {
    const cache = new SchedulerCache();
    cache.setPod(pod('a', 'w2'));
    cache.setNode(node('w3'));
    cache.setNode(node('w1'));
    expect(cache.nodeNames()).toEqual(['w1', 'w3']);
    expect(cache.nodeInfo('w2')).toBeUndefined();
    cache.setNode(node('w2'));
    expect(cache.nodeInfo('w2')!.podCount).toBe(1);
    cache.removeNode('w3');
    expect(cache.nodeNames()).toEqual(['w1', 'w2']);
    expect(cache.nodeCount).toBe(2);
    expect(cache.nodeOf('default/a')).toBe('w2');
  });

  it('says which pods hold resources', () => {
    expect(countsOnNode(pod('a', 'w1'))).toBe(true);
    expect(countsOnNode(pod('a', undefined))).toBe(false);
    expect(countsOnNode({ ...pod('a', 'w1'), status: { phase: 'Succeeded' } })).toBe(false);
  });

  it('derives what the filters read of a node once per node object', () => {
    const cache = new SchedulerCache();
    const ready = (status: string) => ({ allocatable: { pods: '110' }, conditions: [{ type: 'Ready', status }] });
    const taints = [
      { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
      { key: 'spot', effect: 'PreferNoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
    ];
    cache.setNode({ metadata: { name: 'w1' }, spec: { taints }, status: ready('True') });
    let info = cache.nodeInfo('w1')!;
    expect(info.readyStatus).toBe('True');
    expect(info.unschedulable).toBe(false);
    expect(info.taints.map((t) => t.key)).toEqual(['dedicated', 'node.kubernetes.io/unreachable']);
    expect(info.taintsWithReadiness).toBe(info.taints);
    expect(info.preferNoScheduleTaints.map((t) => t.key)).toEqual(['spot']);
    // Not ready: the readiness taint the node lifecycle controller is about to add.
    cache.setNode({ metadata: { name: 'w1' }, spec: { taints, unschedulable: true }, status: ready('Unknown') });
    info = cache.nodeInfo('w1')!;
    expect(info.unschedulable).toBe(true);
    expect(info.taints.map((t) => t.key)).toEqual(['dedicated', 'node.kubernetes.io/unreachable']);
    expect(info.taintsWithReadiness.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'dedicated:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    cache.setNode({ metadata: { name: 'w1' }, status: ready('True') });
    info = cache.nodeInfo('w1')!;
    expect([info.taints, info.taintsWithReadiness, info.preferNoScheduleTaints]).toEqual([[], [], []]);
    cache.removeNode('w1');
    expect(cache.nodeInfo('w1')).toBeUndefined();
    expect([info.allocatable.pods, info.unschedulable, info.readyStatus]).toEqual([0, false, undefined]);
  });

  it('agrees with a recount of the live pods after moves, updates and removals (slots reused)', () => {
    // The cache keeps per pod only the spec and owners it counted, and works the node, the
    // requests and the spread owner out again on removal: compare with a recount.
    const cache = new SchedulerCache();
    for (const n of ['w1', 'w2', 'w3']) cache.setNode(node(n));
    const live = new Map<string, Pod>();
    const owners = ['rs-1', 'rs-2'];
    const make = (i: number, step: number): Pod => {
      const p = pod(`p${i}`, `w${1 + ((i + step) % 3)}`);
      const ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owners[(i + step) % 2]!, controller: true }];
      const namespace = i % 4 === 0 ? undefined : i % 4 === 1 ? 'other' : 'default';
      const cpu = `${100 * (1 + ((i * step) % 5))}m`;
      return {
        metadata: { name: `p${i}`, namespace, ownerReferences, ...(step % 5 === 4 ? { deletionTimestamp: '2019-06-01T00:00:30Z' } : {}) },
        spec: { ...p.spec, containers: [{ name: 'c', resources: { requests: { cpu, memory: '1Gi' } } }] },
      };
    };
    const keyOfPod = (p: Pod): string => (p.metadata?.namespace ? `${p.metadata.namespace}/${p.metadata.name}` : p.metadata!.name!);
    for (let step = 0; step < 12; step++) {
      for (let i = 0; i < 10; i++) {
        if ((i + step) % 7 === 3) {
          const gone = live.get(`p${i}`);
          if (gone) expect(cache.removePod(keyOfPod(gone))).toBe(true);
          live.delete(`p${i}`);
          continue;
        }
        const p = make(i, step);
        cache.setPod(p);
        live.set(`p${i}`, p);
      }
      for (const n of ['w1', 'w2', 'w3']) {
        const on = [...live.values()].filter((p) => p.spec?.nodeName === n);
        const info = cache.nodeInfo(n)!;
        expect(info.podCount).toBe(on.length);
        expect(info.requested.milliCPU).toBe(on.reduce((sum, p) => sum + podRequests(p).milliCPU, 0));
        expect(info.nonZeroRequested.memory).toBe(on.reduce((sum, p) => sum + podNonZeroRequests(p).memory, 0));
        const spread = new Map<string, number>();
        for (const p of on) {
          if (p.metadata?.deletionTimestamp) continue;
          const uid = p.metadata!.ownerReferences![0]!.uid;
          spread.set(uid, (spread.get(uid) ?? 0) + 1);
        }
        expect(new Map([...info.controllerPods].sort())).toEqual(new Map([...spread].sort()));
        for (const [uid, count] of spread) expect(cache.controllerPodsByNode(uid)!.get(info)).toBe(count);
      }
      for (const p of live.values()) {
        expect(cache.hasPod(keyOfPod(p))).toBe(true);
        expect(cache.nodeOf(keyOfPod(p))).toBe(p.spec?.nodeName);
      }
    }
  });

  it('keeps the pods of each controller per node, inverted, as controllerPods counts them', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('w1'));
    cache.setNode(node('w2'));
    cache.setPod(pod('a', 'w1'));
    cache.setPod(pod('b', 'w1'));
    cache.setPod(pod('c', 'w2'));
    const w1 = cache.nodeInfo('w1')!;
    const w2 = cache.nodeInfo('w2')!;
    expect([...cache.controllerPodsByNode('rs-uid')!]).toEqual([
      [w1, 2],
      [w2, 1],
    ]);
    // A status update (same spec and owners) counts the same; terminating stops spreading.
    const a = pod('a', 'w1');
    cache.setPod({ ...a, status: { phase: 'Running' } });
    expect(cache.controllerPodsByNode('rs-uid')!.get(w1)).toBe(2);
    expect(w1.podCount).toBe(2);
    cache.setPod({ ...a, metadata: { ...a.metadata, deletionTimestamp: '2019-06-01T00:00:30Z' } });
    expect(cache.controllerPodsByNode('rs-uid')!.get(w1)).toBe(1);
    expect(w1.controllerPods.get('rs-uid')).toBe(1);
    expect(w1.podCount).toBe(2);
    cache.removePod('default/a');
    cache.removePod('default/b');
    cache.removePod('default/c');
    expect(cache.controllerPodsByNode('rs-uid')).toBeUndefined();
    expect([w1.podCount, w1.nonZeroRequested.milliCPU, w1.nonZeroRequested.memory, w1.requested.milliCPU]).toEqual([0, 0, 0, 0]);
  });

  it('keeps each node\'s slot in the walk order current as nodes and pods change', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('w2'));
    cache.setNode(node('w1'));
    cache.setPod(pod('a', 'w2'));
    let slots = cache.slots();
    expect(cache.nodeInfos().map((i) => [i.name, i.slot])).toEqual([
      ['w1', 0],
      ['w2', 1],
    ]);
    expect([slots.count, slots.podCount[1], slots.requestedMilliCPU[1], slots.nonZeroMilliCPU[1], slots.allocatablePods[0]]).toEqual([2, 1, 500, 500, 110]);
    // Written through while the order stands.
    cache.setPod(pod('b', 'w2'));
    cache.setNode({ ...node('w1'), spec: { unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 's', effect: 'PreferNoSchedule' }] } });
    expect([slots.podCount[1], slots.requestedMilliCPU[1], slots.flags[0]]).toEqual([2, 1000, 1]);
    const w1 = cache.nodeInfo('w1')!;
    expect([slots.taintsClass[0], slots.preferNoScheduleClass[0]]).toEqual([w1.taintsClass, w1.preferNoScheduleClass]);
    expect(slots.taintClasses.taints(w1.taintsClass)).toEqual([{ key: 'k', effect: 'NoSchedule' }]);
    // A node that comes or goes renumbers the slots.
    cache.removeNode('w1');
    expect(w1.slot).toBe(-1);
    slots = cache.slots();
    expect(cache.nodeInfos().map((i) => [i.name, i.slot])).toEqual([['w2', 0]]);
    expect([slots.count, slots.podCount[0], slots.requestedMilliCPU[0]]).toEqual([1, 2, 1000]);
  });
});

describe('SchedulerCache heartbeat shortcut', () => {
  const frozen = <T>(value: T): T => {
    if (value !== null && typeof value === 'object') {
      for (const v of Object.values(value)) frozen(v);
      Object.freeze(value);
    }
    return value;
  };
  const at = (time: string, ready: string): Node =>
    frozen({
      metadata: { name: 'w1', resourceVersion: time },
      spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'PreferNoSchedule' }] },
      status: {
        allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: ready, lastHeartbeatTime: time, lastTransitionTime: '2019-06-01T00:00:00Z' }],
      },
    });
  const slotRow = (cache: SchedulerCache): number[] => {
    const s = cache.slots();
    const i = cache.nodeInfo('w1')!.slot;
    return [s.allocatablePods[i]!, s.allocatableMilliCPU[i]!, s.requestedMilliCPU[i]!, s.podCount[i]!, s.flags[i]!, s.taintsClass[i]!, s.taintsWithReadinessClass[i]!, s.preferNoScheduleClass[i]!];
  };

  it('a heartbeat-only update keeps what a full recomputation gives, and the score memo', () => {
    const first = at('2019-06-01T00:00:10Z', 'True');
    // The next heartbeat: the same spec and status members, a new Ready condition differing in lastHeartbeatTime only.
    const beat = frozen({
      ...first,
      metadata: { ...first.metadata, resourceVersion: '2' },
      status: { ...first.status, conditions: [{ ...first.status!.conditions![0]!, lastHeartbeatTime: '2019-06-01T00:00:20Z' }] },
    });
    const cache = new SchedulerCache();
    cache.setNode(first);
    cache.setPod(pod('a', 'w1'));
    const slots = cache.slots();
    const i = cache.nodeInfo('w1')!.slot;
    slots.baseScoreKey[i] = 7;
    cache.setNode(beat);
    expect(cache.nodeInfo('w1')!.node).toBe(beat);
    expect(slots.baseScoreKey[i]).toBe(7);
    // A cache fed the heartbeat directly derives the same node inputs.
    const fresh = new SchedulerCache();
    fresh.setNode(beat);
    fresh.setPod(pod('a', 'w1'));
    expect(slotRow(cache)).toEqual(slotRow(fresh));
    const { taints, taintsWithReadiness, preferNoScheduleTaints, readyStatus, unschedulable, allocatable } = cache.nodeInfo('w1')!;
    const f = fresh.nodeInfo('w1')!;
    expect({ taints, taintsWithReadiness, preferNoScheduleTaints, readyStatus, unschedulable, allocatable }).toEqual({
      taints: f.taints,
      taintsWithReadiness: f.taintsWithReadiness,
      preferNoScheduleTaints: f.preferNoScheduleTaints,
      readyStatus: f.readyStatus,
      unschedulable: f.unschedulable,
      allocatable: f.allocatable,
    });
    // A change of readiness is no heartbeat: the slot is rewritten (its memo cleared).
    cache.setNode(frozen({ ...beat, status: { ...beat.status, conditions: [{ ...beat.status.conditions[0]!, status: 'Unknown' }] } }));
    expect(cache.nodeInfo('w1')!.readyStatus).toBe('Unknown');
    expect(slots.baseScoreKey[i]).toBe(0);
  });
});
