// The seed article's whole environment: its PKS cluster (Kubernetes 1.12 workers with the
// in-tree vSphere provider) inside a simulated vCenter, and the BOSH director that deployed
// it, whose `bosh cck` the article uses to bring a powered-off worker back. The director
// reaches vSphere only through the vSphere CPI (vsphere-cpi.ts), as in PKS: the instance
// of each worker is bound to the node's VM (VM cid = VM name), and an instance's agent
// answers when its VM is on and the node inside it has booted (kubelet running, on the
// network). Powering a VM on, by cck or by govc, boots its node through
// @failsim/vsphere's bindNodeMachines. Storage reference §9, §10.2.
import { Director, BoshCli, type DirectorOptions, type InstanceSpec } from '@failsim/bosh';
import { SeededRandom } from '@failsim/core';
import { settled, vsphereCluster, type VsphereCluster, type VsphereClusterOptions, type VirtualMachine } from '@failsim/vsphere';
import * as E from 'fp-ts/lib/Either.js';
import { VsphereCpi, VSPHERE_CPI_INITIATOR, type VsphereCpiTimings } from './vsphere-cpi.js';

/** The seed's PKS service instance (`bosh -d service-instance_3aa87d05-… cck`). */
export const SEED_DEPLOYMENT = 'service-instance_3aa87d05-87a3-462a-8f1d-5f07cd5d7bda';

/** The seed's director: the next task is 1677, the next problem 2, and the second worker's instance is database id 80. */
export const SEED_DIRECTOR: Pick<DirectorOptions, 'firstTaskId' | 'firstProblemId' | 'firstInstanceId'> = {
  firstTaskId: 1677,
  firstProblemId: 2,
  firstInstanceId: 78,
};

/** Options of {@link articleEnvironment}. */
export interface ArticleEnvironmentOptions extends VsphereClusterOptions {
  /** The BOSH deployment name; default {@link SEED_DEPLOYMENT}. */
  readonly deployment?: string;
  /** Director options (counters, request ids, agent timeouts); default {@link SEED_DIRECTOR}. */
  readonly director?: Partial<Omit<DirectorOptions, 'clock' | 'random' | 'cpi'>>;
  readonly cpiTimings?: Partial<VsphereCpiTimings>;
  /** Persistent disk of the master instance, MB. Default 10240 (PKS small plan). */
  readonly masterDiskMb?: number;
  /** Persistent disk of each worker instance, MB. Default 51200. */
  readonly workerDiskMb?: number;
}

/** The article's cluster in vSphere, with its BOSH director. */
export interface ArticleEnvironment extends VsphereCluster {
  readonly cpi: VsphereCpi;
  readonly director: Director;
  /** `bosh …` against the director. */
  readonly bosh: BoshCli;
  /** The deployment's name. */
  readonly deployment: string;
  /** The master VM (a BOSH instance, not a node of the simulated cluster: the API server is not modelled as a machine). */
  readonly masterVm: string;
}

/**
 * Builds the article's environment: {@link vsphereCluster} (default profile 1.12, epoch
 * 2019-06-13 13:00 UTC), a master VM beside the four worker VMs, a BOSH persistent disk
 * on each VM (`[vsanDatastore] bosh_disks/disk-<uuid>.vmdk` on scsi0:1, so Kubernetes
 * volumes still land on scsi1:0), and a {@link Director} adopting the deployment — one
 * master and the workers, worker instance uuid = node name, VM cid = VM name — over a
 * {@link VsphereCpi}.
 *
 * @example
 * const env = articleEnvironment({ seed: 'article' });
 * env.govc.run(`vm.power -off ${env.vmForNode.get(node)}`);
 * env.bosh.run(`bosh -d ${env.deployment} cck`, { answers: ['2', 'y'] });
 */
export const articleEnvironment = (options: ArticleEnvironmentOptions = {}): ArticleEnvironment => {
  const env = vsphereCluster({ profile: '1.12', epoch: '2019-06-13T13:00:00Z', ...options });
  const { cluster, vcenter } = env;
  const datastore = options.datastore ?? 'vsanDatastore';
  const random = new SeededRandom(`${String(options.seed ?? 'failsim')}/bosh`);
  const nodeForVm = new Map([...env.vmForNode].map(([node, vm]) => [vm, node]));

  // An agent answers when the node in its VM is up: powered, on the network, booted.
  const agentAlive = (vm: VirtualMachine): boolean => {
    const node = nodeForVm.get(vm.name);
    if (node === undefined) return vm.bootTime !== undefined && cluster.sim.clock.now() >= vm.bootTime + cpi.timings.bootMs;
    const machine = cluster.machines.state(node);
    return machine.powered && !machine.partitioned && machine.kubeletRunning;
  };
  const cpi: VsphereCpi = new VsphereCpi({ vcenter, datastore, ...(options.cpiTimings ? { timings: options.cpiTimings } : {}), agentAlive });

  const host = vcenter.hosts()[0]!.name;
  // Powered on at time 0 like the workers: its agent answers once bootMs has passed.
  const masterVm = vcenter.createVm({ name: `vm-${random.uuid()}`, host, datastore, ipAddress: '10.27.51.184' }).name;
  const persistentDisk = (vm: string, sizeMb: number, uuid?: string): InstanceSpec => {
    const diskCid = `disk-${random.uuid()}`;
    const created = vcenter.createDisk({ path: cpi.diskPath(diskCid), capacityInKB: sizeMb * 1024 }, { initiator: VSPHERE_CPI_INITIATOR });
    if (E.isLeft(created)) throw new Error(`articleEnvironment: ${created.left.message}`);
    const controllerKey = vcenter.vm(vm)!.controllers[0]!.key;
    const added = settled(vcenter.addDisk(vm, { fileName: cpi.diskPath(diskCid), controllerKey, diskMode: 'independent_persistent' }, { initiator: VSPHERE_CPI_INITIATOR, durationMs: 0 }));
    if (E.isLeft(added)) throw new Error(`articleEnvironment: ${added.left.message}`);
    return uuid === undefined ? { vmCid: vm, diskCid, diskSizeMb: sizeMb } : { vmCid: vm, diskCid, diskSizeMb: sizeMb, uuid };
  };
  const master = persistentDisk(masterVm, options.masterDiskMb ?? 10_240);
  const workers = [...env.vmForNode].map(([node, vm]) => persistentDisk(vm, options.workerDiskMb ?? 51_200, node));

  const director = new Director({ clock: cluster.sim.clock, random: cluster.sim.random.fork('bosh'), cpi, ...SEED_DIRECTOR, ...options.director });
  const deployment = options.deployment ?? SEED_DEPLOYMENT;
  const created = director.createDeployment({
    name: deployment,
    instanceGroups: [
      { name: 'master', instances: [master] },
      { name: 'worker', instances: workers },
    ],
  });
  if (E.isLeft(created)) throw new Error(`articleEnvironment: ${created.left}`);

  // Object.assign, not `{ ...env, cpi, … }`: properties added after a leading spread take
  // V8's slow path, ~10 us of every environment built.
  return Object.assign({}, env, { cpi, director, bosh: new BoshCli(director), deployment, masterVm });
};
