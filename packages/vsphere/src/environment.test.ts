import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { Event } from 'kubernetes-types/core/v1.js';
import { SEED_WORKER_NAMES, volumeDataDeletedMessage, vsphereCluster } from './environment.js';

describe('vsphereCluster', () => {
  it('builds one VM per node, binds power to the node machines, and provisions VCP volumes for claims', () => {
    const env = vsphereCluster({ profile: '1.12', seed: 'env', kubeSystem: false });
    const { cluster, vcenter, govc } = env;
    expect(vcenter.vms()).toHaveLength(4);
    expect(vcenter.hosts().map((h) => h.name)).toEqual(['10.27.51.11', '10.27.51.12', '10.27.51.13']);
    cluster.sim.clock.runFor(60_000);
    const node = SEED_WORKER_NAMES[1]!;
    const vm = env.vmForNode.get(node)!;
    expect(env.nodeManager.vmFor(node)).toBe(vm);
    expect(vm).toMatch(/^vm-[0-9a-f-]{36}$/);

    const kubectl = cluster.sim.api.client('kubectl');
    kubectl.create('StorageClass', { metadata: { name: 'cass-sc' }, provisioner: 'kubernetes.io/vsphere-volume', parameters: { storagePolicyName: 'raid-1' } });
    kubectl.create('PersistentVolumeClaim', {
      metadata: { name: 'data', namespace: 'default' },
      spec: { storageClassName: 'cass-sc', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    cluster.sim.clock.runFor(30_000);
    const pvs = kubectl.list('PersistentVolume');
    const pv = E.isRight(pvs) ? pvs.right.items[0] : undefined;
    expect(pv?.spec?.vsphereVolume?.volumePath).toBe(`[vsanDatastore] kubevols/kubernetes-dynamic-${pv?.metadata?.name}.vmdk`);
    expect(vcenter.file(pv!.spec!.vsphereVolume!.volumePath)).toBeDefined();

    expect(govc.run(`vm.power -off ${vm}`)).toEqual(E.right([`Powering off VirtualMachine:${vcenter.vm(vm)!.moref}... OK`]));
    expect(cluster.machines.state(node).powered).toBe(false);
    govc.run(`vm.power -on ${vm}`);
    expect(cluster.machines.state(node).powered).toBe(true);
    env.stop();
  });

  it('records a Warning VolumeDataDeleted on the PV whose VMDK is deleted, and nothing for other files', () => {
    const env = vsphereCluster({ profile: '1.12', seed: 'env-data', kubeSystem: false });
    const { cluster, vcenter } = env;
    const kubectl = cluster.sim.api.client('kubectl');
    cluster.sim.clock.runFor(60_000);
    kubectl.create('StorageClass', { metadata: { name: 'cass-sc' }, provisioner: 'kubernetes.io/vsphere-volume', parameters: { storagePolicyName: 'raid-1' } });
    kubectl.create('PersistentVolumeClaim', {
      metadata: { name: 'data', namespace: 'default' },
      spec: { storageClassName: 'cass-sc', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    cluster.sim.clock.runFor(30_000);
    const pvs = kubectl.list('PersistentVolume');
    const pv = E.isRight(pvs) ? pvs.right.items[0]! : undefined;
    const path = pv!.spec!.vsphereVolume!.volumePath;
    const warnings = (): Event[] => {
      const listed = kubectl.list('Event', { namespace: 'default' });
      return E.isRight(listed) ? listed.right.items.filter((e) => e.reason === 'VolumeDataDeleted') : [];
    };
    vcenter.createDisk({ path: '[vsanDatastore] scratch/other.vmdk', capacityInKB: 1024 });
    vcenter.deleteDisk('[vsanDatastore] scratch/other.vmdk');
    expect(warnings()).toEqual([]);
    expect(E.isRight(vcenter.deleteDisk(path))).toBe(true);
    const [warning] = warnings();
    expect(warning).toMatchObject({
      type: 'Warning',
      reason: 'VolumeDataDeleted',
      source: { component: 'failsim' },
      involvedObject: { kind: 'PersistentVolume', name: pv!.metadata!.name },
      message: volumeDataDeletedMessage(path, pv!.metadata!.name!),
    });
    expect(warning!.message).toContain(path);
    env.stop();
  });
});
