import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { SEED_WORKER_NAMES, vsphereCluster } from './environment.js';

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
});
