import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import { defaultTimings } from '../runtime/context.js';
import { isTerminating } from '../runtime/pod-util.js';
import { profile118, profile128, profile132 } from '../profiles/profiles.js';
import type { VersionProfile } from '../profiles/profile.js';
import { DeploymentController, scaledValue } from './deployment-controller.js';
import { ReplicaSetController } from './replicaset-controller.js';
import { TestBinder, TestKubelet, createNode, eventsAbout } from './test-support.js';

const setup = (profile: VersionProfile = profile118, kubelet = { startMs: 1_000, stopMs: 0 }): { sim: Simulation; kubectl: ApiClient } => {
  const sim = createSimulation({ seed: 5 });
  const kubectl = sim.api.client('kubectl');
  createNode(kubectl, 'w1');
  createNode(kubectl, 'w2');
  new TestBinder(sim).start();
  new TestKubelet(sim, 'w1', kubelet).start();
  new TestKubelet(sim, 'w2', kubelet).start();
  const ctx = { sim, profile, timings: defaultTimings };
  new DeploymentController(ctx).start();
  new ReplicaSetController(ctx).start();
  return { sim, kubectl };
};

const deployment = (replicas: number, spec: Partial<Deployment['spec']> = {}): Deployment => ({
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.17' }] } },
    ...spec,
  },
});

const replicaSets = (kubectl: ApiClient): ReplicaSet[] => {
  const list = kubectl.list('ReplicaSet');
  return E.isRight(list) ? [...list.right.items] : [];
};

const pods = (kubectl: ApiClient): Pod[] => {
  const list = kubectl.list('Pod');
  return E.isRight(list) ? [...list.right.items] : [];
};

const getDeployment = (kubectl: ApiClient): Deployment => {
  const d = kubectl.get('Deployment', 'web');
  if (E.isLeft(d)) throw new Error(d.left.message);
  return d.right;
};

const setImage = (kubectl: ApiClient, image: string): void => {
  kubectl.patch('Deployment', 'web', { spec: { template: { spec: { containers: [{ name: 'nginx', image }] } } } });
};

describe('DeploymentController', () => {
  it('owns one ReplicaSet <deployment>-<pod-template-hash> whose pods it scales to replicas', () => {
    const { sim, kubectl } = setup();
    kubectl.create('Deployment', deployment(3));
    sim.clock.runUntil(5_000);
    const [rs, ...others] = replicaSets(kubectl);
    expect(others).toEqual([]);
    const hash = rs!.metadata?.labels?.['pod-template-hash'] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs!.metadata?.name).toBe(`web-${hash}`);
    expect(rs!.spec?.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'web', controller: true })]);
    expect(rs!.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(pods(kubectl).map((p) => p.metadata?.name)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^web-${hash}-[a-z0-9]{5}$`))]));
    expect(pods(kubectl)).toHaveLength(3);
    expect(eventsAbout(kubectl, 'web', 'ScalingReplicaSet').map((e) => e.message)).toEqual([`Scaled up replica set web-${hash} to 3`]);
    const status = getDeployment(kubectl).status;
    expect(status).toEqual(expect.objectContaining({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, observedGeneration: 1 }));
    expect(status?.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }),
        expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` }),
      ]),
    );
  });

  it('names the same template with the same hash every time', () => {
    const names = (): string[] => {
      const { sim, kubectl } = setup();
      kubectl.create('Deployment', deployment(1));
      sim.clock.runUntil(0);
      return replicaSets(kubectl).map((rs) => rs.metadata?.name ?? '');
    };
    expect(names()).toEqual(names());
  });

  it('words ScalingReplicaSet as each version did', () => {
    const message = (profile: VersionProfile): string => {
      const { sim, kubectl } = setup(profile);
      kubectl.create('Deployment', deployment(3));
      sim.clock.runUntil(5_000);
      kubectl.patch('Deployment', 'web', { spec: { replicas: 1 } }, { type: 'merge' });
      sim.clock.runUntil(10_000);
      return eventsAbout(kubectl, 'web', 'ScalingReplicaSet')
        .map((e) => e.message.replace(/web-[a-z0-9]+/, 'web-X'))
        .join(' | ');
    };
    expect(message(profile118)).toBe('Scaled up replica set web-X to 3 | Scaled down replica set web-X to 1');
    expect(message(profile128)).toBe('Scaled up replica set web-X to 3 from 0 | Scaled down replica set web-X to 1 from 3');
    expect(message(profile132)).toBe('Scaled up replica set web-X from 0 to 3 | Scaled down replica set web-X from 3 to 1');
  });

  it('rolls a new template out within maxSurge and maxUnavailable and ends on the new ReplicaSet only', () => {
    const { sim, kubectl } = setup();
    kubectl.create('Deployment', deployment(4));
    sim.clock.runUntil(5_000);
    const oldRS = replicaSets(kubectl)[0]!.metadata?.name;
    // Upstream bounds the ReplicaSets' sizes (not the pods of one instant): sum <= 4 + maxSurge 1.
    let maxSize = 0;
    kubectl.watch('ReplicaSet').subscribe(() => {
      maxSize = Math.max(maxSize, replicaSets(kubectl).reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0));
    });
    // Between instants (all writes here fall on whole seconds), at least 4 - maxUnavailable 1 pods serve.
    let minServing = Infinity;
    for (let t = 5_500; t < 60_000; t += 1_000) {
      sim.clock.scheduleAt(t, () => {
        minServing = Math.min(minServing, pods(kubectl).filter((p) => !isTerminating(p) && p.status?.phase === 'Running').length);
      }, { owner: 'test', purpose: 'sample serving pods' });
    }
    setImage(kubectl, 'nginx:1.19');
    sim.clock.runUntil(60_000);
    const sets = replicaSets(kubectl);
    const newRS = sets.find((rs) => rs.metadata?.name !== oldRS)!;
    expect(sets.find((rs) => rs.metadata?.name === oldRS)?.spec?.replicas).toBe(0);
    expect(newRS.spec?.replicas).toBe(4);
    expect(newRS.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const all = pods(kubectl);
    expect(all).toHaveLength(4);
    for (const p of all) expect(p.spec?.containers[0]?.image).toBe('nginx:1.19');
    expect(maxSize).toBe(5);
    expect(minServing).toBe(3);
    const events = eventsAbout(kubectl, 'web', 'ScalingReplicaSet').map((e) => e.message);
    expect(events[0]).toBe(`Scaled up replica set ${oldRS} to 4`);
    expect(events[1]).toBe(`Scaled up replica set ${newRS.metadata?.name} to 1`);
    expect(events).toContain(`Scaled down replica set ${oldRS} to 0`);
    expect(events).toContain(`Scaled up replica set ${newRS.metadata?.name} to 4`);
    expect(getDeployment(kubectl).status).toEqual(expect.objectContaining({ replicas: 4, updatedReplicas: 4, availableReplicas: 4 }));
  });

  it('Recreate: scales the old ReplicaSet to 0 and creates the new one only once the old pods are gone', () => {
    const { sim, kubectl } = setup(profile118, { startMs: 1_000, stopMs: 3_000 });
    kubectl.create('Deployment', deployment(2, { strategy: { type: 'Recreate' } }));
    sim.clock.runUntil(5_000);
    const oldRS = replicaSets(kubectl)[0]!.metadata?.name;
    setImage(kubectl, 'nginx:1.19');
    sim.clock.runUntil(30_000);
    const removals = sim.trace.entries.filter((e) => e.type === 'write' && e.verb === 'remove' && e.kind === 'Pod').map((e) => e.t);
    const newRSCreated = sim.trace.entries.find((e) => e.type === 'write' && e.verb === 'create' && e.kind === 'ReplicaSet' && e.name !== oldRS)?.t;
    expect(removals).toEqual([8_000, 8_000]);
    expect(newRSCreated).toBe(8_000);
    expect(pods(kubectl).map((p) => p.spec?.containers[0]?.image)).toEqual(['nginx:1.19', 'nginx:1.19']);
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', () => {
    const { sim, kubectl } = setup();
    kubectl.create('Deployment', deployment(1, { revisionHistoryLimit: 0 }));
    sim.clock.runUntil(5_000);
    setImage(kubectl, 'nginx:1.19');
    sim.clock.runUntil(30_000);
    const sets = replicaSets(kubectl);
    expect(sets).toHaveLength(1);
    expect(sets[0]?.spec?.template?.spec?.containers[0]?.image).toBe('nginx:1.19');
  });
});

describe('scaledValue', () => {
  it('resolves ints and percentages as GetScaledValueFromIntOrPercent', () => {
    expect(scaledValue(2, 10, true, 0)).toBe(2);
    expect(scaledValue('25%', 10, true, 0)).toBe(3);
    expect(scaledValue('25%', 10, false, 0)).toBe(2);
    expect(scaledValue(undefined, 10, false, 7)).toBe(7);
  });
});
