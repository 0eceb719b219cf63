import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import { defaultTimings } from '../runtime/context.js';
import { profile114, profile118, profile128 } from '../profiles/profiles.js';
import type { VersionProfile } from '../profiles/profile.js';
import { PodGCController } from './pod-gc-controller.js';
import { StatefulSetController, claimName, parentAndOrdinal, updateRevisionOf } from './statefulset-controller.js';
import { TestBinder, TestKubelet, createNode, eventsAbout, removedAt } from './test-support.js';

interface Cluster {
  sim: Simulation;
  kubectl: ApiClient;
  kubelets: Record<'w1' | 'w2', TestKubelet>;
}

const setup = (kubelet: { startMs?: number; stopMs?: number } = { startMs: 1_000 }): Cluster => {
  const sim = createSimulation({ seed: 3 });
  const kubectl = sim.api.client('kubectl');
  createNode(kubectl, 'w1');
  createNode(kubectl, 'w2');
  new TestBinder(sim).start();
  const kubelets = { w1: new TestKubelet(sim, 'w1', kubelet).start(), w2: new TestKubelet(sim, 'w2', kubelet).start() };
  new StatefulSetController({ sim, profile: profile118, timings: defaultTimings }).start();
  return { sim, kubectl, kubelets };
};

const statefulSet = (replicas: number, spec: Partial<StatefulSet['spec']> = {}): StatefulSet => ({
  metadata: { name: 'web' },
  spec: {
    replicas,
    serviceName: 'nginx',
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.17' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ...spec,
  },
});

const create = (kubectl: ApiClient, set: StatefulSet): void => {
  const created = kubectl.create('StatefulSet', set);
  if (E.isLeft(created)) throw new Error(created.left.message);
};

const pod = (kubectl: ApiClient, name: string): Pod | undefined => {
  const got = kubectl.get('Pod', name);
  return E.isRight(got) ? got.right : undefined;
};

const podNames = (kubectl: ApiClient): string[] => {
  const pods = kubectl.list('Pod', { namespace: 'default' });
  return E.isRight(pods) ? pods.right.items.map((p) => p.metadata?.name ?? '') : [];
};

/** Times (ms) of the writes `verb` of `kind/name` by the statefulset controller, from the trace. */
const writesBy = (sim: Simulation, verb: string, kind: string, name?: string): { t: number; name: string }[] =>
  sim.trace.entries.flatMap((e) =>
    e.type === 'write' && e.verb === verb && e.kind === kind && e.by.startsWith('statefulset-controller') && (name === undefined || e.name === name) ? [{ t: e.t, name: e.name }] : [],
  );

/** Kills the kubelet of the node running `podName`; returns that node. */
const freezeNodeOf = (cluster: Cluster, podName: string): 'w1' | 'w2' => {
  const node = pod(cluster.kubectl, podName)?.spec?.nodeName as 'w1' | 'w2';
  cluster.kubelets[node].alive = false;
  return node;
};

describe('StatefulSetController', () => {
  it('creates ordinals in order, each after its predecessor is Running and Ready, each after its PVC', () => {
    const { sim, kubectl } = setup();
    create(kubectl, statefulSet(3));
    sim.clock.runUntil(10_000);
    expect(writesBy(sim, 'create', 'Pod')).toEqual([
      { t: 0, name: 'web-0' },
      { t: 1_000, name: 'web-1' },
      { t: 2_000, name: 'web-2' },
    ]);
    expect(writesBy(sim, 'create', 'PersistentVolumeClaim').map((w) => w.name)).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    const creates = sim.trace.entries.filter((e) => e.type === 'write' && e.verb === 'create' && (e.kind === 'Pod' || e.kind === 'PersistentVolumeClaim'));
    expect(creates.map((e) => (e.type === 'write' ? `${e.kind}/${e.name}` : ''))).toEqual([
      'PersistentVolumeClaim/data-web-0',
      'Pod/web-0',
      'PersistentVolumeClaim/data-web-1',
      'Pod/web-1',
      'PersistentVolumeClaim/data-web-2',
      'Pod/web-2',
    ]);
    expect(eventsAbout(kubectl, 'web', 'SuccessfulCreate').map((e) => e.message)).toEqual([
      'create Claim data-web-0 Pod web-0 in StatefulSet web success',
      'create Pod web-0 in StatefulSet web successful',
      'create Claim data-web-1 Pod web-1 in StatefulSet web success',
      'create Pod web-1 in StatefulSet web successful',
      'create Claim data-web-2 Pod web-2 in StatefulSet web success',
      'create Pod web-2 in StatefulSet web successful',
    ]);
    const set = kubectl.get('StatefulSet', 'web');
    expect(E.isRight(set) && set.right.status).toEqual(
      expect.objectContaining({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 }),
    );
  });

  it('gives each pod its identity: labels, owner reference, hostname, subdomain and claim volume', () => {
    const { sim, kubectl } = setup();
    create(kubectl, statefulSet(1));
    sim.clock.runUntil(2_000);
    const set = kubectl.get('StatefulSet', 'web');
    if (E.isLeft(set)) throw new Error('no set');
    const web0 = pod(kubectl, 'web-0')!;
    expect(web0.metadata?.labels).toEqual({
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-0',
      'controller-revision-hash': updateRevisionOf(set.right),
    });
    expect(web0.metadata?.labels?.['controller-revision-hash']).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(web0.metadata?.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.right.metadata?.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(web0.spec?.hostname).toBe('web-0');
    expect(web0.spec?.subdomain).toBe('nginx');
    expect(web0.spec?.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
    const pvc = kubectl.get('PersistentVolumeClaim', 'data-web-0');
    expect(E.isRight(pvc) && pvc.right.metadata?.labels).toEqual({ app: 'web' });
    expect(E.isRight(pvc) && pvc.right.spec?.accessModes).toEqual(['ReadWriteOnce']);
  });

  it('does not replace a Terminating pod until it is gone, then re-creates it with the same name and PVC', () => {
    const cluster = setup();
    const { sim, kubectl } = cluster;
    create(kubectl, statefulSet(1));
    sim.clock.runUntil(10_000);
    const old = pod(kubectl, 'web-0')!;
    const node = freezeNodeOf(cluster, 'web-0');
    kubectl.delete('Pod', 'web-0');
    sim.clock.runUntil(600_000);
    // Ten minutes later the old object still holds the identity; nothing was created.
    const stuck = pod(kubectl, 'web-0')!;
    expect(stuck.metadata?.uid).toBe(old.metadata?.uid);
    expect(stuck.metadata?.deletionTimestamp).toBeDefined();
    expect(podNames(kubectl)).toEqual(['web-0']);
    expect(writesBy(sim, 'create', 'Pod')).toEqual([{ t: 0, name: 'web-0' }]);
    // The kubelet comes back, confirms the deletion, and web-0 returns at once with its claim.
    cluster.kubelets[node].alive = true;
    sim.clock.runUntil(602_000);
    const reborn = pod(kubectl, 'web-0')!;
    expect(reborn.metadata?.uid).not.toBe(old.metadata?.uid);
    expect(writesBy(sim, 'create', 'Pod', 'web-0').map((w) => w.t)).toEqual([0, 600_000]);
    expect(reborn.spec?.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
    expect(writesBy(sim, 'create', 'PersistentVolumeClaim')).toHaveLength(1);
    expect(reborn.status?.phase).toBe('Running');
    expect(eventsAbout(kubectl, 'web', 'SuccessfulCreate')).toContainEqual(
      expect.objectContaining({ message: 'create Pod web-0 in StatefulSet web successful', count: 2 }),
    );
  });

  it('OrderedReady: a Terminating web-0 blocks scaling up; Parallel: it blocks only itself', () => {
    for (const [policy, expected] of [
      ['OrderedReady', ['web-0', 'web-1', 'web-2']],
      ['Parallel', ['web-0', 'web-1', 'web-2', 'web-3']],
    ] as const) {
      const cluster = setup();
      const { sim, kubectl } = cluster;
      create(kubectl, statefulSet(3, { podManagementPolicy: policy }));
      sim.clock.runUntil(10_000);
      freezeNodeOf(cluster, 'web-0');
      kubectl.delete('Pod', 'web-0');
      kubectl.patch('StatefulSet', 'web', { spec: { replicas: 4 } }, { type: 'merge' });
      sim.clock.runUntil(300_000);
      expect(podNames(kubectl)).toEqual(expected);
      expect(pod(kubectl, 'web-0')?.metadata?.deletionTimestamp).toBeDefined();
    }
  });

  it('Parallel creates every ordinal at once', () => {
    const { sim, kubectl } = setup();
    create(kubectl, statefulSet(3, { podManagementPolicy: 'Parallel' }));
    sim.clock.runUntil(0);
    expect(writesBy(sim, 'create', 'Pod')).toEqual([
      { t: 0, name: 'web-0' },
      { t: 0, name: 'web-1' },
      { t: 0, name: 'web-2' },
    ]);
  });

  it('deletes a Failed pod and re-creates it once it is gone', () => {
    const { sim, kubectl } = setup();
    create(kubectl, statefulSet(1));
    sim.clock.runUntil(10_000);
    const web0 = pod(kubectl, 'web-0')!;
    kubectl.updateStatus('Pod', { ...web0, status: { ...web0.status, phase: 'Failed' } });
    sim.clock.runUntil(12_000);
    expect(pod(kubectl, 'web-0')?.metadata?.uid).not.toBe(web0.metadata?.uid);
    expect(eventsAbout(kubectl, 'web', 'SuccessfulDelete').map((e) => e.message)).toEqual(['delete Pod web-0 in StatefulSet web successful']);
    expect(writesBy(sim, 'create', 'Pod', 'web-0').map((w) => w.t)).toEqual([0, 10_000]);
  });

  it('scales down from the highest ordinal, one pod at a time when OrderedReady', () => {
    const { sim, kubectl } = setup({ startMs: 1_000, stopMs: 5_000 });
    create(kubectl, statefulSet(3));
    sim.clock.runUntil(10_000);
    kubectl.patch('StatefulSet', 'web', { spec: { replicas: 1 } }, { type: 'merge' });
    sim.clock.runUntil(60_000);
    expect(writesBy(sim, 'delete', 'Pod')).toEqual([
      { t: 10_000, name: 'web-2' },
      { t: 15_000, name: 'web-1' },
    ]);
    expect(podNames(kubectl)).toEqual(['web-0']);
    // The claims stay for a later scale-up.
    const claims = kubectl.list('PersistentVolumeClaim');
    expect(E.isRight(claims) && claims.right.items.map((c) => c.metadata?.name)).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    const set = kubectl.get('StatefulSet', 'web');
    expect(E.isRight(set) && set.right.status?.replicas).toBe(1);
  });

  it('rolls a template change out from the highest ordinal, waiting for each pod to be Ready', () => {
    const { sim, kubectl } = setup({ startMs: 1_000, stopMs: 2_000 });
    create(kubectl, statefulSet(3));
    sim.clock.runUntil(10_000);
    const before = kubectl.get('StatefulSet', 'web');
    kubectl.patch('StatefulSet', 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.19' }] } } } });
    sim.clock.runUntil(60_000);
    expect(writesBy(sim, 'delete', 'Pod').map((w) => w.name)).toEqual(['web-2', 'web-1', 'web-0']);
    // Each deletion waits for the pod before it to come back Ready: 2 s to stop + 1 s to start.
    expect(writesBy(sim, 'delete', 'Pod').map((w) => w.t)).toEqual([10_000, 13_000, 16_000]);
    const set = kubectl.get('StatefulSet', 'web');
    if (E.isLeft(set) || E.isLeft(before)) throw new Error('no set');
    for (const name of ['web-0', 'web-1', 'web-2']) expect(pod(kubectl, name)?.spec?.containers[0]?.image).toBe('nginx:1.19');
    expect(set.right.status?.currentRevision).toBe(updateRevisionOf(set.right));
    expect(set.right.status?.currentRevision).not.toBe(before.right.status?.currentRevision);
    expect(set.right.status?.updatedReplicas).toBe(3);
  });

  it('adopts an orphan pod with an ordinal name and matching labels, then rolls it to the set\'s revision', () => {
    const { sim, kubectl } = setup();
    kubectl.create('Pod', { metadata: { name: 'web-0', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.17' }] } });
    create(kubectl, statefulSet(1));
    sim.clock.runUntil(0);
    const set = kubectl.get('StatefulSet', 'web');
    expect(pod(kubectl, 'web-0')?.metadata?.ownerReferences?.[0]?.uid).toBe(E.isRight(set) ? set.right.metadata?.uid : 'none');
    expect(writesBy(sim, 'patch', 'Pod')).toEqual([{ t: 0, name: 'web-0' }]);
    expect(writesBy(sim, 'create', 'Pod')).toEqual([]);
    // Its revision label is missing, so once it is Ready the RollingUpdate replaces it.
    sim.clock.runUntil(5_000);
    expect(writesBy(sim, 'create', 'Pod')).toEqual([{ t: 1_000, name: 'web-0' }]);
    expect(pod(kubectl, 'web-0')?.metadata?.labels?.['controller-revision-hash']).toBeDefined();
  });
});

describe('StatefulSetController with PodGC: kubectl delete node (reference §9.2, §9.4)', () => {
  const deleteNodeRunningWeb0 = (profile: VersionProfile): { sim: Simulation; kubectl: ApiClient; deletedAt: number; node: string; oldUid: string } => {
    const sim = createSimulation({ seed: 3 });
    const kubectl = sim.api.client('kubectl');
    createNode(kubectl, 'w1');
    createNode(kubectl, 'w2');
    new TestBinder(sim).start();
    new TestKubelet(sim, 'w1', { startMs: 1_000 }).start();
    new TestKubelet(sim, 'w2', { startMs: 1_000 }).start();
    const ctx = { sim, profile, timings: defaultTimings };
    new StatefulSetController(ctx).start();
    new PodGCController(ctx).start();
    create(kubectl, statefulSet(1));
    sim.clock.runUntil(10_000);
    const web0 = pod(kubectl, 'web-0')!;
    const node = web0.spec?.nodeName ?? '';
    const deletedAt = 12_000;
    sim.clock.scheduleAt(deletedAt, () => kubectl.delete('Node', node), { owner: 'test', purpose: 'kubectl delete node' });
    sim.clock.runUntil(120_000);
    return { sim, kubectl, deletedAt, node, oldUid: web0.metadata?.uid ?? '' };
  };

  it('1.14: PodGC force-deletes web-0 (0, 20] s after, and the StatefulSet re-creates it at once on the other node', () => {
    const { sim, kubectl, deletedAt, node, oldUid } = deleteNodeRunningWeb0(profile114);
    const gone = removedAt(sim, 'web-0')!;
    expect(gone - deletedAt).toBeGreaterThan(0);
    expect(gone - deletedAt).toBeLessThanOrEqual(20_000);
    expect(writesBy(sim, 'create', 'Pod', 'web-0').map((w) => w.t)).toEqual([0, gone]);
    const reborn = pod(kubectl, 'web-0')!;
    expect(reborn.metadata?.uid).not.toBe(oldUid);
    expect(reborn.spec?.nodeName).not.toBe(node);
    expect(reborn.spec?.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);
  });

  it('1.28: the same, (40, 60] s after the node went', () => {
    const { sim, deletedAt } = deleteNodeRunningWeb0(profile128);
    const gone = removedAt(sim, 'web-0')!;
    expect(gone - deletedAt).toBeGreaterThan(40_000);
    expect(gone - deletedAt).toBeLessThanOrEqual(60_000);
    expect(writesBy(sim, 'create', 'Pod', 'web-0').map((w) => w.t)).toEqual([0, gone]);
  });
});

describe('StatefulSet naming helpers', () => {
  it('parses ordinals as getParentNameAndOrdinal does', () => {
    expect(parentAndOrdinal('web-12')).toEqual(['web', 12]);
    expect(parentAndOrdinal('my-db-0')).toEqual(['my-db', 0]);
    expect(parentAndOrdinal('web')).toEqual(['', -1]);
    expect(claimName('data', 'web', 2)).toBe('data-web-2');
  });
});
