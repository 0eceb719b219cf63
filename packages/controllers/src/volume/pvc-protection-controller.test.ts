import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { profile114 } from '../profiles/profiles.js';
import { defaultTimings } from '../runtime/context.js';
import { PvcProtectionController } from './pvc-protection-controller.js';

const must = <T>(result: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

const setup = (): { sim: Simulation; kubectl: ApiClient } => {
  const sim = createSimulation();
  new PvcProtectionController({ sim, profile: profile114, timings: defaultTimings }).start();
  const kubectl = sim.api.client('kubectl');
  must(kubectl.create('PersistentVolumeClaim', { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }));
  sim.clock.runFor(0);
  return { sim, kubectl };
};

/** A pod on w1 using claim "data", its container running as the kubelet reports it. */
const runningPod = (kubectl: ApiClient, name: string): void => {
  const pod: Pod = {
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'w1', containers: [{ name: 'db', image: 'postgres' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] },
  };
  const created = must(kubectl.create('Pod', pod));
  must(
    kubectl.updateStatus('Pod', {
      ...created,
      status: { phase: 'Running', containerStatuses: [{ name: 'db', image: 'postgres', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2019-06-01T00:00:00Z' } } }] },
    }),
  );
};

const claimExists = (kubectl: ApiClient): boolean => E.isRight(kubectl.get('PersistentVolumeClaim', 'data'));

describe('PvcProtectionController', () => {
  it('puts the pvc-protection finalizer on every claim', () => {
    const { kubectl } = setup();
    expect(must(kubectl.get('PersistentVolumeClaim', 'data')).metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);
  });

  it('keeps a deleted claim Terminating while a pod uses it, even a Terminating pod still running', () => {
    const { sim, kubectl } = setup();
    runningPod(kubectl, 'db-0');
    must(kubectl.delete('PersistentVolumeClaim', 'data'));
    sim.clock.runFor(60_000);
    expect(must(kubectl.get('PersistentVolumeClaim', 'data')).metadata?.deletionTimestamp).toBe('2019-06-01T00:00:00Z');
    // A graceful delete leaves the containers running until the kubelet stops them.
    must(kubectl.delete('Pod', 'db-0'));
    sim.clock.runFor(60_000);
    expect(claimExists(kubectl)).toBe(true);
    must(kubectl.delete('Pod', 'db-0', { gracePeriodSeconds: 0 }));
    sim.clock.runFor(0);
    expect(claimExists(kubectl)).toBe(false);
  });

  it('lets the claim go when its pod terminated, or when no scheduled pod uses it', () => {
    const { sim, kubectl } = setup();
    runningPod(kubectl, 'job-0');
    must(kubectl.create('Pod', { metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } }));
    must(kubectl.delete('PersistentVolumeClaim', 'data'));
    sim.clock.runFor(0);
    expect(claimExists(kubectl)).toBe(true);
    const pod = must(kubectl.get('Pod', 'job-0'));
    must(kubectl.updateStatus('Pod', { ...pod, status: { ...pod.status, phase: 'Succeeded' } }));
    sim.clock.runFor(0);
    expect(claimExists(kubectl)).toBe(false);
  });
});
