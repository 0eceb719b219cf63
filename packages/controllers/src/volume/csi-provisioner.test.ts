import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation } from '@failsim/core';
import type { Event } from 'kubernetes-types/core/v1.js';
import { profile128 } from '../profiles/profiles.js';
import { defaultTimings } from '../runtime/context.js';
import { CsiProvisioner } from './csi-provisioner.js';
import { PersistentVolumeController } from './pv-controller.js';
import { PvProtectionController } from './pv-protection-controller.js';
import { FakeProvisioner } from './volume-provisioner.js';

const must = <T>(result: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

const setup = () => {
  const sim = createSimulation();
  const ctx = { sim, profile: profile128, timings: defaultTimings };
  const driver = new FakeProvisioner({ name: 'csi.vsphere.vmware.com', provisionDurationMs: 4000 });
  new PersistentVolumeController(ctx).start();
  new PvProtectionController(ctx).start();
  new CsiProvisioner(ctx, driver, { identity: 'vsphere-csi-controller-0' }).start();
  const kubectl = sim.api.client('kubectl');
  must(kubectl.create('StorageClass', { metadata: { name: 'vsan' }, provisioner: 'csi.vsphere.vmware.com' }));
  must(kubectl.create('PersistentVolumeClaim', { metadata: { name: 'data' }, spec: { storageClassName: 'vsan', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }));
  const events = (name: string): Event[] => must(kubectl.list('Event', { namespace: 'default' })).items.filter((e) => e.involvedObject.name === name);
  return { sim, kubectl, driver, events };
};

describe('CsiProvisioner', () => {
  it('provisions what the PV controller leaves to the external provisioner, which then binds it', () => {
    const { sim, kubectl, events } = setup();
    sim.clock.runFor(0);
    const uid = must(kubectl.get('PersistentVolumeClaim', 'data')).metadata?.uid ?? '';
    expect(events('data').map((e) => [e.reason, e.source?.component, e.message])).toEqual([
      [
        'ExternalProvisioning',
        'persistentvolume-controller',
        'waiting for a volume to be created, either by external provisioner "csi.vsphere.vmware.com" or manually created by system administrator',
      ],
      ['Provisioning', 'csi.vsphere.vmware.com_vsphere-csi-controller-0', 'External provisioner is provisioning volume for claim "default/data"'],
    ]);
    sim.clock.runUntil(4000);
    expect(events('data').find((e) => e.reason === 'ProvisioningSucceeded')?.message).toBe(`Successfully provisioned volume pvc-${uid}`);
    const pvc = must(kubectl.get('PersistentVolumeClaim', 'data'));
    expect([pvc.status?.phase, pvc.spec?.volumeName]).toEqual(['Bound', `pvc-${uid}`]);
    expect(must(kubectl.get('PersistentVolume', `pvc-${uid}`)).metadata?.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('csi.vsphere.vmware.com');
  });

  it('retries a failed provisioning after 1 s, then 2 s', () => {
    const { sim, kubectl, driver, events } = setup();
    driver.failProvisioning('rpc error: code = Internal desc = no datastore', 'rpc error: code = Internal desc = no datastore');
    sim.clock.runUntil(4000);
    expect(events('data').find((e) => e.reason === 'ProvisioningFailed')?.message).toBe(
      'failed to provision volume with StorageClass "vsan": rpc error: code = Internal desc = no datastore',
    );
    // Attempts end at 4 s, 4+1+4 = 9 s and 9+2+4 = 15 s.
    sim.clock.runUntil(14_999);
    expect(must(kubectl.get('PersistentVolumeClaim', 'data')).status?.phase).toBe('Pending');
    sim.clock.runUntil(15_000);
    expect(driver.calls.filter((c) => c.op === 'provision')).toHaveLength(3);
    expect(must(kubectl.get('PersistentVolumeClaim', 'data')).status?.phase).toBe('Bound');
  });

  it('deletes the volumes it provisioned once released', () => {
    const { sim, kubectl, driver } = setup();
    sim.clock.runUntil(4000);
    const pvName = must(kubectl.get('PersistentVolumeClaim', 'data')).spec?.volumeName ?? '';
    must(kubectl.delete('PersistentVolumeClaim', 'data'));
    sim.clock.runFor(0);
    expect(driver.calls.at(-1)).toEqual({ op: 'delete', name: pvName });
    expect(E.isLeft(kubectl.get('PersistentVolume', pvName))).toBe(true);
  });
});
