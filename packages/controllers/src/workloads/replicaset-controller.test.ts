import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import { defaultTimings } from '../runtime/context.js';
import { profile118 } from '../profiles/profiles.js';
import { ReplicaSetController } from './replicaset-controller.js';
import { TestBinder, TestKubelet, createNode, eventsAbout, setNodeReady } from './test-support.js';

interface Cluster {
  sim: Simulation;
  kubectl: ApiClient;
  kubelets: Record<'w1' | 'w2', TestKubelet>;
}

const setup = (options: { binder?: boolean } = {}): Cluster => {
  const sim = createSimulation({ seed: 11 });
  const kubectl = sim.api.client('kubectl');
  createNode(kubectl, 'w1');
  createNode(kubectl, 'w2');
  if (options.binder !== false) new TestBinder(sim).start();
  const kubelets = { w1: new TestKubelet(sim, 'w1', { startMs: 1_000 }).start(), w2: new TestKubelet(sim, 'w2', { startMs: 1_000 }).start() };
  new ReplicaSetController({ sim, profile: profile118, timings: defaultTimings }).start();
  return { sim, kubectl, kubelets };
};

const replicaSet = (replicas: number): ReplicaSet => ({
  metadata: { name: 'web-5d4f8b7c69' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.17' }] } },
  },
});

const pods = (kubectl: ApiClient): Pod[] => {
  const list = kubectl.list('Pod', { namespace: 'default' });
  return E.isRight(list) ? [...list.right.items] : [];
};

const status = (kubectl: ApiClient): ReplicaSet['status'] => {
  const rs = kubectl.get('ReplicaSet', 'web-5d4f8b7c69');
  return E.isRight(rs) ? rs.right.status : undefined;
};

describe('ReplicaSetController', () => {
  it('creates the replicas with generated names, owner references and upstream events', () => {
    const { sim, kubectl } = setup();
    kubectl.create('ReplicaSet', replicaSet(3));
    sim.clock.runUntil(5_000);
    const all = pods(kubectl);
    expect(all).toHaveLength(3);
    for (const pod of all) {
      expect(pod.metadata?.name).toMatch(/^web-5d4f8b7c69-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata?.labels).toEqual({ app: 'web' });
      expect(pod.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'ReplicaSet', name: 'web-5d4f8b7c69', controller: true, blockOwnerDeletion: true })]);
      expect(pod.status?.phase).toBe('Running');
    }
    expect(eventsAbout(kubectl, 'web-5d4f8b7c69', 'SuccessfulCreate').map((e) => e.message).sort()).toEqual(all.map((p) => `Created pod: ${p.metadata?.name}`).sort());
    expect(status(kubectl)).toEqual(expect.objectContaining({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 }));
  });

  it('draws the same names from the same seed', () => {
    const names = (): string[] => {
      const { sim, kubectl } = setup();
      kubectl.create('ReplicaSet', replicaSet(2));
      sim.clock.runUntil(0);
      return pods(kubectl).map((p) => p.metadata?.name ?? '');
    };
    expect(names()).toEqual(names());
  });

  it('replaces a pod the moment it turns Terminating, while the old one still exists', () => {
    const cluster = setup();
    const { sim, kubectl } = cluster;
    kubectl.create('ReplicaSet', replicaSet(2));
    sim.clock.runUntil(5_000);
    const victim = pods(kubectl)[0]!;
    const dead = victim.spec?.nodeName as 'w1' | 'w2';
    cluster.kubelets[dead].alive = false;
    setNodeReady(kubectl, dead, 'Unknown'); // so the replacement lands on the other node
    sim.clock.scheduleAt(10_000, () => kubectl.delete('Pod', victim.metadata?.name ?? ''), { owner: 'test', purpose: 'taint eviction' });
    sim.clock.runUntil(10_000);
    const now = pods(kubectl);
    expect(now).toHaveLength(3);
    expect(now.find((p) => p.metadata?.name === victim.metadata?.name)?.metadata?.deletionTimestamp).toBeDefined();
    const replacement = now.find((p) => p.metadata?.name !== victim.metadata?.name && p.metadata?.creationTimestamp === '2019-06-01T00:00:10Z');
    expect(replacement).toBeDefined();
    sim.clock.runUntil(300_000);
    expect(pods(kubectl)).toHaveLength(3); // the old one hangs in Terminating; no more replacements
    expect(status(kubectl)).toEqual(expect.objectContaining({ replicas: 2, readyReplicas: 2 }));
  });

  it('does not count a Failed pod and creates a replacement for it', () => {
    const { sim, kubectl } = setup();
    kubectl.create('ReplicaSet', replicaSet(1));
    sim.clock.runUntil(5_000);
    const pod = pods(kubectl)[0]!;
    kubectl.updateStatus('Pod', { ...pod, status: { ...pod.status, phase: 'Failed' } });
    sim.clock.runUntil(6_000);
    const all = pods(kubectl);
    expect(all).toHaveLength(2);
    expect(all.filter((p) => p.status?.phase === 'Running')).toHaveLength(1);
  });

  it('scales down in ActivePods order: the unscheduled pod first, then the not-ready one', () => {
    const { sim, kubectl } = setup({ binder: false });
    kubectl.create('ReplicaSet', replicaSet(3));
    sim.clock.runUntil(0);
    const [a, b, c] = pods(kubectl);
    kubectl.bind(a!.metadata?.name ?? '', 'default', 'w1');
    kubectl.bind(b!.metadata?.name ?? '', 'default', 'w2');
    sim.clock.runUntil(5_000);
    // a and b run Ready; c was never scheduled. Make b not ready.
    const bNow = kubectl.get('Pod', b!.metadata?.name ?? '');
    if (E.isLeft(bNow)) throw new Error('b');
    kubectl.updateStatus('Pod', { ...bNow.right, status: { ...bNow.right.status, conditions: [{ type: 'Ready', status: 'False' }] } });
    kubectl.patch('ReplicaSet', 'web-5d4f8b7c69', { spec: { replicas: 1 } }, { type: 'merge' });
    sim.clock.runUntil(6_000);
    expect(pods(kubectl).map((p) => p.metadata?.name)).toEqual([a!.metadata?.name]);
    expect(eventsAbout(kubectl, 'web-5d4f8b7c69', 'SuccessfulDelete').map((e) => e.message)).toEqual([
      `Deleted pod: ${c!.metadata?.name}`,
      `Deleted pod: ${b!.metadata?.name}`,
    ]);
  });

  it('adopts an orphan pod matching its selector instead of creating one', () => {
    const { sim, kubectl } = setup();
    kubectl.create('Pod', { metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.17' }] } });
    kubectl.create('ReplicaSet', replicaSet(1));
    sim.clock.runUntil(2_000);
    const all = pods(kubectl);
    expect(all.map((p) => p.metadata?.name)).toEqual(['stray']);
    expect(all[0]?.metadata?.ownerReferences?.[0]?.name).toBe('web-5d4f8b7c69');
  });
});

describe('ReplicaSetController per-change work', () => {
  type Step =
    | { readonly op: 'scale'; readonly replicas: number }
    | { readonly op: 'deletePod' | 'failPod' | 'unready' | 'dropTier' | 'leaveSelector' | 'orphan'; readonly pod: number }
    | { readonly op: 'kubelet'; readonly node: 'w1' | 'w2'; readonly alive: boolean };

  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('scale' as const), replicas: fc.nat(6) }),
    fc.record({ op: fc.constantFrom('deletePod' as const, 'failPod' as const, 'unready' as const, 'dropTier' as const, 'leaveSelector' as const, 'orphan' as const), pod: fc.nat(7) }),
    fc.record({ op: fc.constant('kubelet' as const), node: fc.constantFrom('w1' as const, 'w2' as const), alive: fc.boolean() }),
  );

  /** calculateStatus recomputed from the API's pods by a walk of all of them. */
  const fullCount = (kubectl: ApiClient): NonNullable<ReplicaSet['status']> => {
    const rs = kubectl.get('ReplicaSet', 'web-5d4f8b7c69');
    if (E.isLeft(rs)) throw new Error('no ReplicaSet');
    const active = pods(kubectl).filter(
      (p) =>
        p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === rs.right.metadata?.uid) &&
        p.metadata?.labels?.app === 'web' &&
        !p.metadata?.deletionTimestamp &&
        p.status?.phase !== 'Failed' &&
        p.status?.phase !== 'Succeeded',
    );
    const ready = active.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    return {
      replicas: active.length,
      fullyLabeledReplicas: active.filter((p) => p.metadata?.labels?.tier === 'front').length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.right.metadata?.generation ?? 0,
    };
  };

  const apply = ({ sim, kubectl, kubelets }: Cluster, step: Step): void => {
    const live = pods(kubectl).filter((p) => !p.metadata?.deletionTimestamp);
    const pod = step.op === 'scale' || step.op === 'kubelet' ? undefined : live[step.pod % Math.max(1, live.length)];
    const relabel = (labels: Record<string, string>): void => {
      if (pod) kubectl.update('Pod', { ...pod, metadata: { ...pod.metadata, labels } });
    };
    switch (step.op) {
      case 'scale': {
        const rs = kubectl.get('ReplicaSet', 'web-5d4f8b7c69');
        if (E.isRight(rs)) kubectl.update('ReplicaSet', { ...rs.right, spec: { ...rs.right.spec!, replicas: step.replicas } });
        return;
      }
      case 'deletePod':
        if (pod) kubectl.delete('Pod', pod.metadata?.name ?? '');
        return;
      case 'failPod':
        if (pod) kubectl.updateStatus('Pod', { ...pod, status: { ...pod.status, phase: 'Failed' } });
        return;
      case 'unready':
        if (pod) kubectl.updateStatus('Pod', { ...pod, status: { ...pod.status, conditions: [{ type: 'Ready', status: 'False' }] } });
        return;
      case 'dropTier':
        relabel({ app: 'web' });
        return;
      case 'leaveSelector':
        relabel({ app: 'other', tier: 'front' });
        return;
      case 'orphan':
        kubectl.create('Pod', { metadata: { name: `orphan-${sim.clock.now()}`, labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.17' }] } });
        return;
      case 'kubelet':
        kubelets[step.node].alive = step.alive;
        return;
    }
  };

  it('keeps its status equal to a count over all its pods, and the replica count, after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 5, maxLength: 25, size: 'max' }), (steps) => {
        const cluster = setup();
        const { sim, kubectl } = cluster;
        const rs = replicaSet(3);
        kubectl.create('ReplicaSet', { ...rs, spec: { ...rs.spec!, template: { ...rs.spec!.template, metadata: { labels: { app: 'web', tier: 'front' } } } } });
        sim.clock.runUntil(5_000);
        for (const step of steps) {
          apply(cluster, step);
          sim.clock.runFor(5_000);
          // An annotation makes a sync whatever the step did; it must count as a walk of every pod.
          const current = kubectl.get('ReplicaSet', 'web-5d4f8b7c69');
          if (E.isRight(current)) kubectl.update('ReplicaSet', { ...current.right, metadata: { ...current.right.metadata, annotations: { step: String(sim.clock.now()) } } });
          sim.clock.runFor(1_000);
          const wanted = fullCount(kubectl);
          expect(status(kubectl)).toEqual(expect.objectContaining(wanted));
          const spec = kubectl.get('ReplicaSet', 'web-5d4f8b7c69');
          expect(wanted.replicas).toBe(E.isRight(spec) ? spec.right.spec?.replicas : -1);
        }
      }),
      { numRuns: 25, seed: 12 },
    );
  });
});
