import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import type { Event, Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { VersionProfile } from '../profiles/profile.js';
import { profile112, profile128 } from '../profiles/profiles.js';
import { defaultTimings, type Component, type ControllerContext } from '../runtime/context.js';
import { Scheduler } from '../scheduling/scheduler.js';
import { PersistentVolumeController } from './pv-controller.js';
import { PvProtectionController } from './pv-protection-controller.js';
import { PvcProtectionController } from './pvc-protection-controller.js';
import { FakeProvisioner } from './volume-provisioner.js';

const must = <T>(result: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

interface Env {
  sim: Simulation;
  kubectl: ApiClient;
  fake: FakeProvisioner;
  ctx: ControllerContext;
}

const env = (options: { profile?: VersionProfile; provisionDurationMs?: number; scheduler?: boolean } = {}): Env => {
  const sim = createSimulation({ seed: 3 });
  const ctx: ControllerContext = { sim, profile: options.profile ?? profile112, timings: defaultTimings };
  const fake = new FakeProvisioner({ provisionDurationMs: options.provisionDurationMs ?? 0 });
  const components: Component[] = [new PersistentVolumeController(ctx, { provisioners: [fake] }), new PvProtectionController(ctx), new PvcProtectionController(ctx)];
  if (options.scheduler) components.push(new Scheduler(ctx));
  for (const c of components) c.start();
  const kubectl = sim.api.client('kubectl');
  return { sim, kubectl, fake, ctx };
};

const storageClass = (name: string, extra: Partial<StorageClass> = {}): StorageClass => ({ metadata: { name }, provisioner: 'failsim.io/fake', ...extra });

const claim = (name: string, spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});

const volume = (name: string, storage: string, spec: Partial<NonNullable<PersistentVolume['spec']>> = {}, labels?: Record<string, string>): PersistentVolume => ({
  metadata: { name, labels },
  spec: { capacity: { storage }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/data/${name}` }, ...spec },
});

const getClaim = (e: Env, name: string): PersistentVolumeClaim => must(e.kubectl.get('PersistentVolumeClaim', name));
const getVolume = (e: Env, name: string): PersistentVolume | undefined => {
  const got = e.kubectl.get('PersistentVolume', name);
  return E.isRight(got) ? got.right : undefined;
};
const events = (e: Env, name: string, reason?: string): Event[] =>
  must(e.kubectl.list('Event', { namespace: 'default' })).items.filter((ev) => ev.involvedObject.name === name && (reason === undefined || ev.reason === reason));

describe('PersistentVolumeController: binding', () => {
  it('binds a claim to the smallest Available volume that fits, both ways, with the annotations', () => {
    const e = env();
    for (const pv of [volume('pv-10g', '10Gi'), volume('pv-1g', '1Gi'), volume('pv-5g', '5Gi')]) must(e.kubectl.create('PersistentVolume', pv));
    e.sim.clock.runFor(0);
    expect(getVolume(e, 'pv-1g')?.status?.phase).toBe('Available');
    must(e.kubectl.create('PersistentVolumeClaim', claim('data', { resources: { requests: { storage: '2Gi' } } })));
    e.sim.clock.runFor(0);
    const pvc = getClaim(e, 'data');
    expect(pvc.spec?.volumeName).toBe('pv-5g');
    expect(pvc.metadata?.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pvc.status).toMatchObject({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
    const pv = getVolume(e, 'pv-5g');
    expect(pv?.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: pvc.metadata?.uid });
    expect(pv?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect(pv?.status?.phase).toBe('Bound');
  });

  it('matches access modes, class and selector; a claim that matches nothing waits for the periodic sync', () => {
    const e = env();
    must(e.kubectl.create('PersistentVolume', volume('rwo', '5Gi')));
    must(e.kubectl.create('PersistentVolume', volume('other-class', '5Gi', { accessModes: ['ReadWriteMany'], storageClassName: 'slow' })));
    must(e.kubectl.create('PersistentVolumeClaim', claim('shared', { accessModes: ['ReadWriteMany'], selector: { matchLabels: { tier: 'gold' } } })));
    e.sim.clock.runFor(0);
    expect(getClaim(e, 'shared').status?.phase).toBe('Pending');
    expect(events(e, 'shared', 'FailedBinding')[0]?.message).toBe('no persistent volumes available for this claim and no storage class is set');
    // Created between two syncs (every 15 s): the claim binds at the next one, at 30 s.
    e.sim.clock.runUntil(20_000);
    must(e.kubectl.create('PersistentVolume', volume('rwx-gold', '5Gi', { accessModes: ['ReadWriteMany', 'ReadWriteOnce'] }, { tier: 'gold' })));
    e.sim.clock.runUntil(29_999);
    expect(getClaim(e, 'shared').spec?.volumeName).toBeUndefined();
    e.sim.clock.runUntil(30_000);
    expect(getClaim(e, 'shared').spec?.volumeName).toBe('rwx-gold');
  });

  it('honours a volume pre-bound to the claim and a claim that names its volume', () => {
    const e = env();
    must(e.kubectl.create('PersistentVolume', volume('reserved', '1Gi', { claimRef: { namespace: 'default', name: 'mine' } })));
    must(e.kubectl.create('PersistentVolume', volume('named', '1Gi')));
    must(e.kubectl.create('PersistentVolumeClaim', claim('mine')));
    must(e.kubectl.create('PersistentVolumeClaim', claim('picky', { volumeName: 'named' })));
    must(e.kubectl.create('PersistentVolumeClaim', claim('other')));
    e.sim.clock.runFor(0);
    expect(getClaim(e, 'mine').spec?.volumeName).toBe('reserved');
    expect(getClaim(e, 'picky').status?.phase).toBe('Bound');
    // Neither volume was free for "other".
    expect(getClaim(e, 'other').status?.phase).toBe('Pending');
    // The user pre-bound "reserved", so the controller did not mark it as its own binding.
    expect(getVolume(e, 'reserved')?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
    expect(getClaim(e, 'picky').metadata?.annotations?.['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
  });
});

describe('PersistentVolumeController: provisioning', () => {
  it('provisions pvc-<uid> through the class provisioner, then binds it', () => {
    const e = env({ provisionDurationMs: 3000 });
    must(e.kubectl.create('StorageClass', storageClass('fast')));
    must(e.kubectl.create('PersistentVolumeClaim', claim('data', { storageClassName: 'fast' })));
    e.sim.clock.runFor(0);
    const uid = getClaim(e, 'data').metadata?.uid ?? '';
    expect(getClaim(e, 'data').metadata?.annotations?.['volume.beta.kubernetes.io/storage-provisioner']).toBe('failsim.io/fake');
    expect(e.sim.clock.pending()).toContainEqual(
      expect.objectContaining({ owner: 'persistentvolume-controller', purpose: 'provision a volume for claim default/data (failsim.io/fake)', dueAt: 3000 }),
    );
    e.sim.clock.runUntil(3000);
    const pv = getVolume(e, `pvc-${uid}`);
    expect(pv?.metadata?.annotations).toMatchObject({ 'pv.kubernetes.io/provisioned-by': 'failsim.io/fake', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pv?.spec).toMatchObject({ storageClassName: 'fast', persistentVolumeReclaimPolicy: 'Delete', capacity: { storage: '1Gi' } });
    expect(pv?.metadata?.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect(getClaim(e, 'data').status?.phase).toBe('Bound');
    expect(getClaim(e, 'data').spec?.volumeName).toBe(`pvc-${uid}`);
    expect(events(e, 'data', 'ProvisioningSucceeded').map((ev) => [ev.type, ev.message, ev.source?.component])).toEqual([
      ['Normal', `Successfully provisioned volume pvc-${uid} using failsim.io/fake`, 'persistentvolume-controller'],
    ]);
  });

  it('reports a failed provisioning and retries at the next periodic sync', () => {
    const e = env();
    e.fake.failProvisioning('quota exceeded');
    must(e.kubectl.create('StorageClass', storageClass('fast')));
    must(e.kubectl.create('PersistentVolumeClaim', claim('data', { storageClassName: 'fast' })));
    e.sim.clock.runFor(0);
    const [failed] = events(e, 'data', 'ProvisioningFailed');
    expect([failed?.type, failed?.message]).toEqual(['Warning', 'Failed to provision volume with StorageClass "fast": quota exceeded']);
    expect(getClaim(e, 'data').status?.phase).toBe('Pending');
    e.sim.clock.runUntil(14_999);
    expect(getClaim(e, 'data').status?.phase).toBe('Pending');
    e.sim.clock.runUntil(15_000);
    expect(getClaim(e, 'data').status?.phase).toBe('Bound');
  });

  it('reports a missing class, and waits for an external provisioner it does not run', () => {
    const e = env();
    must(e.kubectl.create('StorageClass', storageClass('csi', { provisioner: 'csi.vsphere.vmware.com' })));
    must(e.kubectl.create('PersistentVolumeClaim', claim('nope', { storageClassName: 'missing' })));
    must(e.kubectl.create('PersistentVolumeClaim', claim('ext', { storageClassName: 'csi' })));
    e.sim.clock.runFor(0);
    expect(events(e, 'nope', 'ProvisioningFailed')[0]?.message).toBe('storageclass.storage.k8s.io "missing" not found');
    expect(events(e, 'ext', 'ExternalProvisioning')[0]?.message).toBe(
      'waiting for a volume to be created, either by external provisioner "csi.vsphere.vmware.com" or manually created by system administrator',
    );
    expect(getClaim(e, 'ext').metadata?.annotations?.['volume.beta.kubernetes.io/storage-provisioner']).toBe('csi.vsphere.vmware.com');
  });

  it('waits for the first consumer, then provisions for the node the scheduler picked', () => {
    const e = env({ profile: profile128, scheduler: true });
    const node: Node = {
      metadata: { name: 'w1' },
      status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
    };
    must(e.kubectl.create('Node', node));
    must(e.kubectl.create('StorageClass', storageClass('local', { volumeBindingMode: 'WaitForFirstConsumer' })));
    must(e.kubectl.create('PersistentVolumeClaim', claim('data-db-0', { storageClassName: 'local' })));
    e.sim.clock.runFor(1000);
    expect(events(e, 'data-db-0', 'WaitForFirstConsumer')[0]?.message).toBe('waiting for first consumer to be created before binding');
    expect(getClaim(e, 'data-db-0').status?.phase).toBe('Pending');
    const pod: Pod = {
      metadata: { name: 'db-0', namespace: 'default' },
      spec: { containers: [{ name: 'db', image: 'postgres' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }] },
    };
    must(e.kubectl.create('Pod', pod));
    e.sim.clock.runFor(0);
    expect(getClaim(e, 'data-db-0').metadata?.annotations?.['volume.kubernetes.io/selected-node']).toBe('w1');
    expect(getClaim(e, 'data-db-0').status?.phase).toBe('Bound');
    expect(must(e.kubectl.get('Pod', 'db-0')).spec?.nodeName).toBe('w1');
  });
});

describe('PersistentVolumeController with the scheduler: local volumes', () => {
  it('binds a WaitForFirstConsumer claim to the local volume of the node the pod lands on', () => {
    const e = env({ profile: profile128, scheduler: true });
    for (const name of ['w1', 'w2']) {
      must(
        e.kubectl.create('Node', {
          metadata: { name, labels: { 'kubernetes.io/hostname': name } },
          status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
        }),
      );
    }
    must(e.kubectl.create('StorageClass', storageClass('local', { provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' })));
    must(
      e.kubectl.create(
        'PersistentVolume',
        volume('local-w2', '10Gi', {
          storageClassName: 'local',
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['w2'] }] }] } },
        }),
      ),
    );
    must(e.kubectl.create('PersistentVolumeClaim', claim('data-db-0', { storageClassName: 'local' })));
    must(
      e.kubectl.create('Pod', {
        metadata: { name: 'db-0', namespace: 'default' },
        spec: { containers: [{ name: 'db', image: 'postgres' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }] },
      }),
    );
    e.sim.clock.runFor(0);
    expect(getClaim(e, 'data-db-0').spec?.volumeName).toBe('local-w2');
    expect(getClaim(e, 'data-db-0').status?.phase).toBe('Bound');
    expect(must(e.kubectl.get('Pod', 'db-0')).spec?.nodeName).toBe('w2');
  });
});

describe('PersistentVolumeController: reclaiming', () => {
  const bound = (e: Env, reclaimPolicy?: 'Retain'): string => {
    must(e.kubectl.create('StorageClass', storageClass('fast', reclaimPolicy ? { reclaimPolicy } : {})));
    must(e.kubectl.create('PersistentVolumeClaim', claim('data', { storageClassName: 'fast' })));
    e.sim.clock.runFor(0);
    return getClaim(e, 'data').spec?.volumeName ?? '';
  };

  it('deletes the storage and then the volume of a deleted claim (Delete)', () => {
    const e = env();
    const pvName = bound(e);
    expect(e.fake.volumes.has(pvName)).toBe(true);
    must(e.kubectl.delete('PersistentVolumeClaim', 'data'));
    e.sim.clock.runFor(0);
    expect(E.isLeft(e.kubectl.get('PersistentVolumeClaim', 'data'))).toBe(true);
    expect(e.fake.calls.at(-1)).toEqual({ op: 'delete', name: pvName });
    expect(getVolume(e, pvName)).toBeUndefined();
  });

  it('keeps a Retain volume as Released', () => {
    const e = env();
    const pvName = bound(e, 'Retain');
    must(e.kubectl.delete('PersistentVolumeClaim', 'data'));
    e.sim.clock.runFor(60_000);
    expect(getVolume(e, pvName)?.status?.phase).toBe('Released');
    expect(e.fake.volumes.has(pvName)).toBe(true);
  });

  it('marks the volume Failed when deleting fails, and retries at the next sync', () => {
    const e = env();
    const pvName = bound(e);
    e.fake.failDeletion('disk is attached to node w1');
    e.sim.clock.runUntil(5000);
    must(e.kubectl.delete('PersistentVolumeClaim', 'data'));
    e.sim.clock.runFor(0);
    expect(getVolume(e, pvName)?.status?.phase).toBe('Failed');
    const [failed] = events(e, pvName, 'VolumeFailedDelete');
    expect([failed?.type, failed?.message]).toEqual(['Warning', 'disk is attached to node w1']);
    e.sim.clock.runUntil(15_000);
    expect(getVolume(e, pvName)).toBeUndefined();
  });

  it('loses a bound claim whose volume is gone', () => {
    const e = env();
    must(e.kubectl.create('PersistentVolume', volume('pv-1', '1Gi')));
    must(e.kubectl.create('PersistentVolumeClaim', claim('data')));
    e.sim.clock.runFor(0);
    const pv = must(e.kubectl.get('PersistentVolume', 'pv-1'));
    must(e.kubectl.update('PersistentVolume', { ...pv, metadata: { ...pv.metadata, finalizers: [] } }));
    must(e.kubectl.delete('PersistentVolume', 'pv-1'));
    e.sim.clock.runFor(0);
    expect(getClaim(e, 'data').status?.phase).toBe('Lost');
    expect(events(e, 'data', 'ClaimLost')[0]?.message).toBe('Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  });
});

describe('StatefulSet-like claim and pod with the scheduler', () => {
  // The volume takes 2 s to provision. Its creation moves the pod to a retry that comes just
  // before the claim is bound and fails again; 1.12 then retries at once when the claim binds,
  // 1.28 only after that second failure's 2 s back-off.
  it('provisions and binds the claim made before its pod, then schedules the pod', () => {
    for (const [profile, scheduledAt, firstMessage] of [
      [profile112, 2000, 'pod has unbound immediate PersistentVolumeClaims'],
      [profile128, 4000, '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..'],
    ] as const) {
      const e = env({ profile, provisionDurationMs: 2000, scheduler: true });
      must(e.kubectl.create('Node', { metadata: { name: 'w1' }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } }));
      must(e.kubectl.create('StorageClass', storageClass('fast')));
      must(e.kubectl.create('PersistentVolumeClaim', claim('data-web-0', { storageClassName: 'fast' })));
      must(
        e.kubectl.create('Pod', {
          metadata: { name: 'web-0', namespace: 'default' },
          spec: { containers: [{ name: 'web', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }] },
        }),
      );
      e.sim.clock.runFor(0);
      expect(events(e, 'web-0', 'FailedScheduling')[0]?.message).toBe(firstMessage);
      e.sim.clock.runUntil(scheduledAt - 1);
      expect(must(e.kubectl.get('Pod', 'web-0')).spec?.nodeName).toBeUndefined();
      e.sim.clock.runUntil(scheduledAt);
      expect(getClaim(e, 'data-web-0').status?.phase).toBe('Bound');
      expect(must(e.kubectl.get('Pod', 'web-0')).spec?.nodeName).toBe('w1');
      expect(events(e, 'web-0', 'Scheduled')[0]?.lastTimestamp).toBe(`2019-06-01T00:00:0${scheduledAt / 1000}Z`);
      expect(events(e, 'web-0', 'FailedScheduling')[0]?.count).toBe(2);
    }
  });
});
