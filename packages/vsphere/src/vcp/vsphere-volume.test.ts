import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation } from '@failsim/core';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { lastValueFrom, type Observable } from 'rxjs';
import { RAID1_POLICY } from '../inventory.js';
import { NodeManager } from '../node-manager.js';
import { Vcenter } from '../vcenter.js';
import { VsphereVolumePlugin } from './vsphere-volume-plugin.js';
import { parseVsphereVolumeParameters, VsphereVolumeProvisioner } from './vsphere-volume-provisioner.js';

const CLAIM: PersistentVolumeClaim = {
  metadata: { name: 'cassandra-data-cassandra-0', namespace: 'cassandra', uid: '91600a74-8d16-11e9-b070-005056a2a261' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
};
const CLASS: StorageClass = { metadata: { name: 'cass-sc' }, provisioner: 'kubernetes.io/vsphere-volume', parameters: { storagePolicyName: 'raid-1', diskformat: 'thin' } };
const PV_NAME = 'pvc-91600a74-8d16-11e9-b070-005056a2a261';

const setup = () => {
  const sim = createSimulation({ seed: 'vcp' });
  const vcenter = new Vcenter({ clock: sim.clock, random: sim.random.fork('vcenter') });
  for (const host of ['10.27.51.11', '10.27.51.12', '10.27.51.13']) vcenter.addHost(host);
  vcenter.addDatastore({ name: 'vsanDatastore', type: 'vsan', capacityBytes: 2 ** 40 });
  vcenter.addStoragePolicy(RAID1_POLICY);
  const w1 = vcenter.createVm({ name: 'vm-w1', host: '10.27.51.11' });
  const w2 = vcenter.createVm({ name: 'vm-w2', host: '10.27.51.12' });
  const kubectl = sim.api.client('kubectl');
  for (const [name, vm] of [['w1', w1], ['w2', w2]] as const) {
    kubectl.create('Node', { metadata: { name }, status: { nodeInfo: { systemUUID: vm.uuid.toUpperCase() } as never } });
  }
  // A client: the manager keeps a Node informer of its own (its first constructor form).
  const nodeManager = new NodeManager(vcenter, sim.api.client('vsphere-cloud-provider'));
  nodeManager.start();
  const machines = new Map([['w1', 'vm-w1'], ['w2', 'vm-w2']]);
  const plugin = new VsphereVolumePlugin({ vcenter, nodeManager, machineForNode: (n) => machines.get(n) });
  const provisioner = new VsphereVolumeProvisioner({ vcenter });
  const provisioned = provisioner.provision(CLAIM, CLASS, { pvName: PV_NAME, reclaimPolicy: 'Delete' });
  if (E.isLeft(provisioned)) throw new Error(provisioned.left);
  const pv: PersistentVolume = { metadata: { name: PV_NAME }, spec: provisioned.right.spec };
  return { sim, vcenter, plugin, provisioner, pv, kubectl };
};

/** Runs the clock until `obs` settles; Right with its last value or Left with its error. */
const outcome = async <T>(sim: ReturnType<typeof setup>['sim'], obs: Observable<T>): Promise<E.Either<unknown, T>> => {
  const p = lastValueFrom(obs).then(E.right, E.left);
  sim.clock.runUntilIdle({ until: sim.clock.now() + 3_600_000 });
  return p;
};

const PATH = `[vsanDatastore] kubevols/kubernetes-dynamic-${PV_NAME}.vmdk`;

describe('VCP provisioning', () => {
  it('creates [ds] kubevols/kubernetes-dynamic-pvc-<uid>.vmdk with the policy and returns a vsphereVolume PV', () => {
    const { vcenter, pv } = setup();
    expect(pv.spec?.vsphereVolume).toEqual({ volumePath: PATH, fsType: 'ext4', storagePolicyName: 'raid-1' });
    expect(pv.spec?.capacity).toEqual({ storage: '1Gi' });
    expect(vcenter.file(PATH)).toMatchObject({ capacityInKB: 1024 * 1024, storagePolicy: 'raid-1', diskFormat: 'thin' });
    expect(vcenter.recentTasks().at(-1)).toMatchObject({ name: 'Create virtual disk', target: PATH, status: 'Completed', initiator: 'vsphere-cloud-provider' });
  });

  it('rejects parameters with the upstream texts', () => {
    expect(parseVsphereVolumeParameters({ zone: 'a' })).toEqual(E.left('invalid option "zone" for volume plugin kubernetes.io/vsphere-volume'));
    expect(parseVsphereVolumeParameters({ storagePolicyName: 'raid-1', hostFailuresToTolerate: '1' })).toEqual(
      E.left('Cannot specify storage policy capabilities along with storage policy name. Please specify only one'),
    );
    expect(parseVsphereVolumeParameters({ hostFailuresToTolerate: '4' })).toEqual(
      E.left('Invalid value for hostFailuresToTolerate.\n\t\t\t\tThe default value is 1, minimum value is 0 and maximum value is 3.'),
    );
    expect(parseVsphereVolumeParameters({ diskStripes: 'x' })).toEqual(E.left('Invalid value for diskstripes. The capabilityValue: x must be a valid integer value'));
    expect(E.isRight(parseVsphereVolumeParameters({ DiskFormat: 'eagerzeroedthick', Datastore: 'vsanDatastore', fsType: 'xfs' }))).toBe(true);
  });

  it('fails provisioning on a missing policy and on a claim selector', () => {
    const { provisioner } = setup();
    expect(provisioner.provision(CLAIM, { ...CLASS, parameters: { storagePolicyName: 'gold' } }, { pvName: 'pvc-2', reclaimPolicy: 'Delete' })).toEqual(
      E.left('no pbm profile found with name: "gold"'),
    );
    expect(provisioner.provision({ ...CLAIM, spec: { ...CLAIM.spec, selector: {} } }, CLASS, { pvName: 'pvc-3', reclaimPolicy: 'Delete' })).toEqual(
      E.left('claim.Spec.Selector is not supported for dynamic provisioning on vSphere'),
    );
  });
});

describe('VCP attach and detach', () => {
  it('attaches on a new PVSCSI controller as scsi1:0 and returns the wwn device path; attaching again is a no-op', async () => {
    const { sim, vcenter, plugin, pv } = setup();
    const attached = await outcome(sim, plugin.attach(pv, 'w1'));
    const uuid = vcenter.file(PATH)!.uuid.toLowerCase().replace(/-/g, '');
    expect(attached).toEqual(E.right(`/dev/disk/by-id/wwn-0x${uuid}`));
    expect(vcenter.vm('vm-w1')?.disks.find((d) => d.fileName === PATH)).toMatchObject({ controllerKey: 1001, unitNumber: 0 });
    const tasks = vcenter.recentTasks().length;
    expect(await outcome(sim, plugin.attach(pv, 'w1'))).toEqual(attached);
    expect(vcenter.recentTasks().length).toBe(tasks);
    expect(plugin.uniqueVolumeName(pv)).toBe(`kubernetes.io/vsphere-volume/${PATH}`);
  });

  it("fails with \"Failed to add disk 'scsi1:0'.\" on a second node while the first VM runs, removing the controller it made", async () => {
    const { sim, vcenter, plugin, pv } = setup();
    await outcome(sim, plugin.attach(pv, 'w1'));
    expect(await outcome(sim, plugin.attach(pv, 'w2'))).toEqual(E.left("Failed to add disk 'scsi1:0'."));
    expect(vcenter.vm('vm-w2')?.controllers.map((c) => c.type)).toEqual(['lsilogic']);
    expect(await outcome(sim, plugin.attach(pv, 'w2'))).toEqual(E.left("Failed to add disk 'scsi1:0'."));
  });

  it('detach after the Node is deleted succeeds without touching vSphere and leaves the disk on the old VM', async () => {
    const { sim, vcenter, plugin, pv, kubectl } = setup();
    await outcome(sim, plugin.attach(pv, 'w1'));
    kubectl.delete('Node', 'w1');
    const tasks = vcenter.recentTasks().length;
    expect(await outcome(sim, plugin.detach(pv, 'w1'))).toEqual(E.right(undefined));
    expect(vcenter.recentTasks().length).toBe(tasks);
    expect(vcenter.vm('vm-w1')?.disks.some((d) => d.fileName === PATH)).toBe(true);
    // The 60 s sync still says attached, and the next attach elsewhere fails on the lock.
    expect(plugin.volumesAreAttached([pv], 'w1')).toEqual(new Map([[PV_NAME, true]]));
    expect(await outcome(sim, plugin.attach(pv, 'w2'))).toEqual(E.left("Failed to add disk 'scsi1:0'."));
    // Powering the old VM off releases the lock: the attach goes through.
    vcenter.powerOff('vm-w1');
    expect(E.isRight(await outcome(sim, plugin.attach(pv, 'w2')))).toBe(true);
  });

  it('detach of a known node removes the disk and keeps the file', async () => {
    const { sim, vcenter, plugin, pv } = setup();
    await outcome(sim, plugin.attach(pv, 'w1'));
    expect(await outcome(sim, plugin.detach(pv, 'w1'))).toEqual(E.right(undefined));
    expect(vcenter.vm('vm-w1')?.disks.some((d) => d.fileName === PATH)).toBe(false);
    expect(vcenter.file(PATH)).toBeDefined();
  });
});

describe('VCP mount', () => {
  it('waits (1 s polls) for the disk to appear, then mounts', () => {
    const { sim, plugin, pv } = setup();
    let mountedAt: number | undefined;
    plugin.mount(pv, 'w1', 'pod-1').subscribe({ complete: () => (mountedAt = sim.clock.now()) });
    sim.clock.runFor(500);
    plugin.attach(pv, 'w1').subscribe();
    sim.clock.runFor(10_000);
    // Attach (controller + disk reconfigures, 1 s each) completes at 2.5 s; the 3 s poll sees it.
    expect(mountedAt).toBe(3_000);
  });

  it('errors with the WaitForAttach text when the disk never appears', async () => {
    const { sim, plugin, pv } = setup();
    expect(await outcome(sim, plugin.mount(pv, 'w2', 'pod-1'))).toEqual(
      E.left(`Could not find attached VMDK "${PATH}". Timeout waiting for mount paths to be created.`),
    );
    expect(sim.clock.now()).toBe(600_000);
  });
});
