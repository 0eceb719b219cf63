import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import { defaultTimings } from '../runtime/context.js';
import { profile114, profile118, profile128, withOverrides } from '../profiles/profiles.js';
import type { VersionProfile } from '../profiles/profile.js';
import { PodGCController } from './pod-gc-controller.js';
import { createNode, removedAt, setNodeReady } from './test-support.js';

const container = [{ name: 'app', image: 'nginx:1.17' }];

const setup = (profile: VersionProfile): { sim: Simulation; kubectl: ApiClient; gc: PodGCController } => {
  const sim = createSimulation({ seed: 7 });
  const kubectl = sim.api.client('kubectl');
  createNode(kubectl, 'w1');
  createNode(kubectl, 'w2');
  const gc = new PodGCController({ sim, profile, timings: defaultTimings });
  gc.start();
  return { sim, kubectl, gc };
};

const createPod = (kubectl: ApiClient, name: string, nodeName?: string, extra: Partial<Pod['metadata']> = {}): Pod => {
  const created = kubectl.create('Pod', { metadata: { name, ...extra }, spec: { containers: container, ...(nodeName ? { nodeName } : {}) } });
  if (E.isLeft(created)) throw new Error(created.left.message);
  return created.right;
};

const exists = (kubectl: ApiClient, name: string): boolean => E.isRight(kubectl.get('Pod', name));

/** Deletes node `name` at virtual time `at` (ms); returns the time. */
const deleteNodeAt = (sim: Simulation, kubectl: ApiClient, name: string, at: number): number => {
  sim.clock.scheduleAt(at, () => kubectl.delete('Node', name), { owner: 'test', purpose: `kubectl delete node ${name}` });
  return at;
};

describe('PodGCController orphaned pods (kubectl delete node)', () => {
  it('deletes a node\'s pods in the order of their last change, and the nodes in the order their pod lists were remade', () => {
    // The index updates pods in place; these orders are those of maps that removed and
    // re-added a pod on each change (what it did before), which the API writes follow.
    const { sim, kubectl } = setup(profile114);
    createNode(kubectl, 'w3');
    for (const name of ['a', 'b', 'c']) createPod(kubectl, name, 'w2');
    createPod(kubectl, 'solo', 'w1');
    createPod(kubectl, 'd', 'w3');
    const touch = (name: string): void => {
      const patched = kubectl.patch('Pod', name, { metadata: { labels: { touched: name } } }, { type: 'merge' });
      if (E.isLeft(patched)) throw new Error(patched.left.message);
    };
    touch('a');
    touch('b');
    // The only pod of w1: its list was emptied and remade, so w1 now comes after w3.
    touch('solo');
    for (const node of ['w1', 'w2', 'w3']) kubectl.delete('Node', node);
    sim.clock.runUntil(20_000);
    const removals = sim.trace.entries.filter((e) => e.type === 'write' && e.verb === 'remove' && e.kind === 'Pod' && e.by.startsWith('pod-garbage-collector'));
    expect(removals.map((e) => (e.type === 'write' ? e.name : ''))).toEqual(['c', 'a', 'b', 'd', 'solo']);
  });

  it('1.14: force-deletes the pods of a deleted node on the next pass, (0, 20] s after', () => {
    const { sim, kubectl } = setup(profile114);
    createPod(kubectl, 'web-0', 'w2');
    createPod(kubectl, 'db-0', 'w2');
    createPod(kubectl, 'other', 'w1');
    const deletedAt = deleteNodeAt(sim, kubectl, 'w2', 5_000);
    sim.clock.runUntil(19_999);
    expect(exists(kubectl, 'web-0')).toBe(true);
    sim.clock.runUntil(30_000);
    const gone = removedAt(sim, 'web-0');
    expect(gone).toBe(20_000);
    expect(gone! - deletedAt).toBeGreaterThan(0);
    expect(gone! - deletedAt).toBeLessThanOrEqual(20_000);
    expect(removedAt(sim, 'db-0')).toBe(20_000);
    expect(exists(kubectl, 'other')).toBe(true);
    // No Failed patch before 1.26: the only write of PodGC on web-0 is the removal.
    const writes = sim.trace.entries.filter((e) => e.type === 'write' && e.name === 'web-0' && e.by.startsWith('pod-garbage-collector'));
    expect(writes.map((e) => (e.type === 'write' ? e.verb : ''))).toEqual(['remove']);
  });

  it('1.18: quarantines the unknown node name for 40 s, then deletes (40, 60] s after the node went', () => {
    const { sim, kubectl } = setup(profile118);
    createPod(kubectl, 'web-0', 'w2');
    const deletedAt = deleteNodeAt(sim, kubectl, 'w2', 5_000);
    // First pass to notice the name: t=20 s; quarantine ends t=60 s; the pass at 60 s deletes.
    sim.clock.runUntil(59_999);
    expect(exists(kubectl, 'web-0')).toBe(true);
    expect(sim.clock.pending().some((t) => t.owner === 'pod-garbage-collector' && t.purpose === 'quarantine of unknown node w2')).toBe(true);
    sim.clock.runUntil(80_000);
    const gone = removedAt(sim, 'web-0')!;
    expect(gone - deletedAt).toBeGreaterThan(40_000);
    expect(gone - deletedAt).toBeLessThanOrEqual(60_000);
    expect(gone).toBe(60_000);
  });

  it('1.18: a node that is back before the quarantine ends keeps its pods', () => {
    const { sim, kubectl } = setup(profile118);
    createPod(kubectl, 'web-0', 'w2');
    deleteNodeAt(sim, kubectl, 'w2', 5_000);
    sim.clock.scheduleAt(30_000, () => createNode(kubectl, 'w2'), { owner: 'test', purpose: 'w2 re-registers' });
    sim.clock.runUntil(200_000);
    expect(exists(kubectl, 'web-0')).toBe(true);
  });

  it('1.28: marks the orphan Failed with DisruptionTarget DeletionByPodGC, then force-deletes it, (40, 60] s after', () => {
    const { sim, kubectl } = setup(profile128);
    createPod(kubectl, 'web-0', 'w2');
    const seen: Pod[] = [];
    kubectl.watch('Pod', { fieldSelector: 'metadata.name=web-0' }).subscribe((e) => seen.push(e.object));
    const deletedAt = deleteNodeAt(sim, kubectl, 'w2', 12_000);
    sim.clock.runUntil(100_000);
    const gone = removedAt(sim, 'web-0')!;
    expect(gone - deletedAt).toBeGreaterThan(40_000);
    expect(gone - deletedAt).toBeLessThanOrEqual(60_000);
    const last = seen[seen.length - 1]!;
    expect(last.status?.phase).toBe('Failed');
    expect(last.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' }),
    );
  });
});

describe('PodGCController terminating pods on out-of-service nodes', () => {
  const outOfService = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' as const };

  const terminatingOnDeadNode = (profile: VersionProfile) => {
    const ctx = setup(profile);
    setNodeReady(ctx.kubectl, 'w2', 'Unknown');
    createPod(ctx.kubectl, 'web-0', 'w2');
    createPod(ctx.kubectl, 'idle', 'w2');
    ctx.kubectl.delete('Pod', 'web-0'); // graceful: no kubelet will ever confirm it
    return ctx;
  };

  const taintAt = (sim: Simulation, kubectl: ApiClient, at: number): void => {
    sim.clock.scheduleAt(at, () => kubectl.patch('Node', 'w2', { spec: { taints: [outOfService] } }, { type: 'merge' }), { owner: 'test', purpose: 'kubectl taint' });
  };

  it('1.28: force-deletes a Terminating pod (0, 20] s after the taint lands on the NotReady node', () => {
    const { sim, kubectl } = terminatingOnDeadNode(profile128);
    sim.clock.runUntil(100_000);
    expect(kubectl.get('Pod', 'web-0')).toEqual(E.right(expect.objectContaining({ metadata: expect.objectContaining({ deletionTimestamp: expect.any(String) }) })));
    taintAt(sim, kubectl, 105_000);
    sim.clock.runUntil(200_000);
    const gone = removedAt(sim, 'web-0')!;
    expect(gone - 105_000).toBeGreaterThan(0);
    expect(gone - 105_000).toBeLessThanOrEqual(20_000);
    // A pod that is not terminating is left to the taint eviction controller.
    expect(exists(kubectl, 'idle')).toBe(true);
  });

  it('1.28: leaves the pod alone while the tainted node is Ready', () => {
    const { sim, kubectl } = terminatingOnDeadNode(profile128);
    setNodeReady(kubectl, 'w2', 'True');
    taintAt(sim, kubectl, 5_000);
    sim.clock.runUntil(300_000);
    expect(exists(kubectl, 'web-0')).toBe(true);
  });

  it('1.18 (gate off): the taint changes nothing', () => {
    const { sim, kubectl } = terminatingOnDeadNode(profile118);
    taintAt(sim, kubectl, 5_000);
    sim.clock.runUntil(300_000);
    expect(exists(kubectl, 'web-0')).toBe(true);
  });
});

describe('PodGCController other passes', () => {
  it('deletes terminated pods over --terminated-pod-gc-threshold, oldest first', () => {
    const profile = withOverrides(profile118, { options: { terminatedPodGCThreshold: 2 } });
    const sim = createSimulation({ seed: 7 });
    const kubectl = sim.api.client('kubectl');
    createNode(kubectl, 'w1');
    for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) {
      sim.clock.scheduleAt(i * 1_000, () => {
        const pod = createPod(kubectl, name, 'w1');
        kubectl.updateStatus('Pod', { ...pod, status: { ...pod.status, phase: i % 2 ? 'Failed' : 'Succeeded' } });
      }, { owner: 'test', purpose: `create ${name}` });
    }
    createPod(kubectl, 'running', 'w1');
    sim.clock.runUntil(5_000);
    new PodGCController({ sim, profile, timings: defaultTimings }).start();
    sim.clock.runUntil(5_000);
    expect(['a', 'b', 'c', 'd', 'running'].filter((n) => exists(kubectl, n))).toEqual(['c', 'd', 'running']);
  });

  it('1.28: marks an unscheduled terminating pod Failed and force-deletes it', () => {
    const { sim, kubectl } = setup(profile128);
    createPod(kubectl, 'held', undefined, { finalizers: ['example.com/hold'] });
    kubectl.delete('Pod', 'held');
    sim.clock.runUntil(20_000);
    // The finalizer still holds the object, but PodGC did its part.
    const held = kubectl.get('Pod', 'held');
    expect(E.isRight(held) && held.right.status?.phase).toBe('Failed');
  });

  it('stops its loop and quarantine timers on stop()', () => {
    const { sim, kubectl, gc } = setup(profile118);
    createPod(kubectl, 'web-0', 'w2');
    deleteNodeAt(sim, kubectl, 'w2', 5_000);
    sim.clock.runUntil(25_000);
    gc.stop();
    expect(sim.clock.pending().filter((t) => t.owner === 'pod-garbage-collector')).toEqual([]);
    sim.clock.runUntil(200_000);
    expect(exists(kubectl, 'web-0')).toBe(true);
  });
});
