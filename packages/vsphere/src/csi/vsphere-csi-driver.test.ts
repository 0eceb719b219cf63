import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { lastValueFrom, type Observable } from 'rxjs';
import { smallVcenter } from '../testing/small-vcenter.js';
import { settled } from '../vcenter.js';
import { VsphereCsiPlugin, VsphereCsiProvisioner } from './vsphere-csi-driver.js';

const setup = () => {
  const vcenter = smallVcenter();
  const machines = new Map([['w1', 'vm-a'], ['w2', 'vm-b'], ['gone', 'vm-deleted']]);
  const plugin = new VsphereCsiPlugin({ vcenter, vmForNode: (n) => machines.get(n) });
  const provisioner = new VsphereCsiProvisioner({ vcenter });
  const made = provisioner.provision(
    { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    { metadata: { name: 'csi' }, provisioner: 'csi.vsphere.vmware.com', parameters: { storagepolicyname: 'raid-1' } },
    { pvName: 'pvc-1', reclaimPolicy: 'Delete' },
  );
  if (E.isLeft(made)) throw new Error(made.left);
  const pv: PersistentVolume = { metadata: { name: 'pvc-1' }, spec: made.right.spec };
  const outcome = async <T>(obs: Observable<T>): Promise<E.Either<unknown, T>> => {
    const p = lastValueFrom(obs).then(E.right, E.left);
    vcenter.clock.runUntilIdle();
    return p;
  };
  return { vcenter, plugin, pv, outcome };
};

describe('vSphere CSI driver', () => {
  it('provisions a first-class disk and attaches it through a new PVSCSI controller', async () => {
    const { vcenter, plugin, pv, outcome } = setup();
    const handle = pv.spec!.csi!.volumeHandle;
    const file = vcenter.firstClassDisk(handle)!;
    expect(file.path).toBe(`[vsanDatastore] fcd/${handle.replace(/-/g, '')}.vmdk`);
    expect(plugin.uniqueVolumeName(pv)).toBe(`kubernetes.io/csi/csi.vsphere.vmware.com^${handle}`);
    expect(await outcome(plugin.attach(pv, 'w1'))).toEqual(E.right(file.uuid));
    expect(plugin.volumesAreAttached([pv], 'w1')).toEqual(new Map([['pvc-1', true]]));
    expect(plugin.volumesAreAttached([pv], 'w2')).toEqual(new Map([['pvc-1', false]]));
  });

  it('reports the lock conflict as a gRPC Internal error naming the volume and node', async () => {
    const { plugin, pv, outcome } = setup();
    await outcome(plugin.attach(pv, 'w1'));
    expect(await outcome(plugin.attach(pv, 'w2'))).toEqual(
      E.left(`rpc error: code = Internal desc = failed to attach disk: "${pv.spec!.csi!.volumeHandle}" with node: "w2" err Failed to add disk 'scsi1:0'.`),
    );
  });

  it('detaches from a powered-off VM, and unpublish succeeds when the VM is not in the inventory', async () => {
    const { vcenter, plugin, pv, outcome } = setup();
    await outcome(plugin.attach(pv, 'w1'));
    settled(vcenter.powerOff('vm-a', { durationMs: 0 }));
    expect(await outcome(plugin.detach(pv, 'w1'))).toEqual(E.right(undefined));
    expect(vcenter.vm('vm-a')?.disks).toHaveLength(1);
    expect(await outcome(plugin.detach(pv, 'gone'))).toEqual(E.right(undefined));
    expect(await outcome(plugin.attach(pv, 'gone'))).toEqual(E.left('rpc error: code = Internal desc = failed to find VirtualMachine for node:"gone". Error: virtual machine wasn\'t found'));
  });

  it('serves in-tree vsphereVolume PVs only under CSI migration', () => {
    const { vcenter } = setup();
    const inTree: PersistentVolume = { metadata: { name: 'x' }, spec: { vsphereVolume: { volumePath: '[vsanDatastore] kubevols/x.vmdk' } } };
    expect(new VsphereCsiPlugin({ vcenter, vmForNode: () => undefined }).canSupport(inTree)).toBe(false);
    expect(new VsphereCsiPlugin({ vcenter, vmForNode: () => undefined, migration: true }).canSupport(inTree)).toBe(true);
  });
});
