// The article's vSphere environment around a simulated cluster: a vCenter with ESXi hosts,
// vsanDatastore and the raid-1 policy, one VM per node (power wired to the node's
// machine), the VCP and CSI plugins and provisioners. The cluster builder
// (@failsim/controllers createCluster) creates the simulation, so the provisioners and
// plugins handed to it are bound to the vCenter once the simulation exists.
import * as E from 'fp-ts/lib/Either.js';
import { EventRecorder, SeededRandom } from '@failsim/core';
import { createCluster, findProfile, sharedInformer, type Cluster, type ClusterOptions, type KubeletConfig, type NodeSpec, type ProvisionedVolume, type ProvisionOptions, type VolumeProvisioner } from '@failsim/controllers';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Observable, Subscription } from 'rxjs';
import { VsphereCsiPlugin, VsphereCsiProvisioner, VSPHERE_CSI_DRIVER_NAME } from './csi/vsphere-csi-driver.js';
import { Govc } from './govc.js';
import { RAID1_POLICY, type StoragePolicy } from './inventory.js';
import { bindNodeMachines } from './node-machines.js';
import { NodeManager } from './node-manager.js';
import type { TaskDurations } from './task.js';
import { Vcenter, type FileDeletedEvent } from './vcenter.js';
import { canonicalDatastorePath } from './datastore-path.js';
import { VsphereVolumePlugin, VSPHERE_VOLUME_PLUGIN_NAME } from './vcp/vsphere-volume-plugin.js';
import { VsphereVolumeProvisioner } from './vcp/vsphere-volume-provisioner.js';
import type { AttachableVolumePlugin } from './volume-plugin.js';

/** The seed article's four PKS workers (node names are BOSH instance-style UUIDs). */
export const SEED_WORKER_NAMES: readonly string[] = [
  '52bf9358-7a6e-4552-87b1-6591dc88634c',
  '62fc3f4f-a992-4716-b972-3958bda8b231',
  'a2cfcf41-922d-487b-bdf6-b453d7fb3105',
  'c1b53999-ac8b-4187-aae6-940bf61b4e2b',
];

/** The vSphere plugins of an environment. */
export interface VspherePlugins {
  /** `kubernetes.io/vsphere-volume` (in-tree VCP). */
  readonly vcp: AttachableVolumePlugin;
  /** `csi.vsphere.vmware.com` (serves in-tree PVs too when the profile has CSI migration). */
  readonly csi: AttachableVolumePlugin;
  /** Both, for a plugin manager (`findPlugin`): the CSI driver first under migration. */
  readonly all: readonly AttachableVolumePlugin[];
}

/** Options of {@link vsphereCluster}. */
export interface VsphereClusterOptions extends Omit<ClusterOptions, 'nodes' | 'provisioners' | 'kubeletFor'> {
  /** The nodes; default the seed's four workers. */
  readonly nodes?: readonly NodeSpec[];
  /** ESXi hosts; default three (`10.27.51.11`–`13`), enough for raid-1. */
  readonly hosts?: readonly string[];
  /** Default datastore (the VMs' files, the provisioners' default); default `vsanDatastore`. */
  readonly datastore?: string;
  /** Further datastores a StorageClass may name (vSAN, 4 TiB each, as the default one). */
  readonly moreDatastores?: readonly string[];
  /** Storage policies; default raid-1. */
  readonly storagePolicies?: readonly StoragePolicy[];
  /** VM name per node; default `vm-<uuid>` as BOSH names VMs. */
  readonly vmName?: (node: NodeSpec, index: number) => string;
  readonly taskDurations?: Partial<TaskDurations>;
  /** Extra kubelet config per node; gets the plugins (e.g. to build a volume manager). */
  readonly kubeletFor?: (node: NodeSpec, plugins: VspherePlugins) => Partial<KubeletConfig>;
}

/** A cluster in its vSphere environment. */
export interface VsphereCluster {
  readonly cluster: Cluster;
  readonly vcenter: Vcenter;
  readonly govc: Govc;
  readonly plugins: VspherePlugins;
  readonly provisioners: readonly VolumeProvisioner[];
  /** Node name → VM name. */
  readonly vmForNode: ReadonlyMap<string, string>;
  readonly nodeManager: NodeManager;
  /** Stops the cluster and unbinds power. */
  stop(): void;
}

/** A provisioner whose implementation is set once the simulation exists. */
class DeferredProvisioner implements VolumeProvisioner {
  target: VolumeProvisioner | undefined;
  constructor(
    readonly name: string,
    readonly provisionDurationMs: number,
    readonly deleteDurationMs: number,
  ) {}
  provision(claim: PersistentVolumeClaim, storageClass: StorageClass, options: ProvisionOptions): E.Either<string, ProvisionedVolume> {
    return this.target ? this.target.provision(claim, storageClass, options) : E.left(`${this.name}: vCenter not connected yet`);
  }
  delete(pv: PersistentVolume): E.Either<string, void> {
    return this.target ? this.target.delete(pv) : E.left(`${this.name}: vCenter not connected yet`);
  }
}

/** A plugin whose implementation is set once the simulation exists. */
class DeferredPlugin implements AttachableVolumePlugin {
  target: AttachableVolumePlugin | undefined;
  constructor(
    readonly name: string,
    readonly usesVolumeAttachments: boolean,
  ) {}
  #t(): AttachableVolumePlugin {
    if (!this.target) throw new Error(`${this.name}: vCenter not connected yet`);
    return this.target;
  }
  canSupport(pv: PersistentVolume): boolean {
    return this.#t().canSupport(pv);
  }
  uniqueVolumeName(pv: PersistentVolume): string {
    return this.#t().uniqueVolumeName(pv);
  }
  attach(pv: PersistentVolume, nodeName: string): Observable<string> {
    return this.#t().attach(pv, nodeName);
  }
  detach(pv: PersistentVolume, nodeName: string): Observable<void> {
    return this.#t().detach(pv, nodeName);
  }
  volumesAreAttached(pvs: readonly PersistentVolume[], nodeName: string): ReadonlyMap<string, boolean> {
    return this.#t().volumesAreAttached(pvs, nodeName);
  }
  mount(pv: PersistentVolume, nodeName: string, podUid: string): Observable<void> {
    return this.#t().mount(pv, nodeName, podUid);
  }
  unmount(pv: PersistentVolume, nodeName: string, podUid: string): Observable<void> {
    return this.#t().unmount(pv, nodeName, podUid);
  }
}

/**
 * Creates a cluster (createCluster) inside a simulated vSphere: one VM per node on three
 * ESXi hosts, `vsanDatastore` with the raid-1 policy, Node system UUIDs = VM BIOS UUIDs
 * (so the VCP's node manager finds the VMs), VM power driving the node machines, and the
 * VCP and CSI provisioners registered with the PV controller. Power nodes through
 * `vcenter` or `govc` (`vm.power -off <vm>`), not `cluster.machines`, so both agree.
 * When a VMDK that backs a PV is deleted (`govc device.remove` without `-keep`), a Warning
 * Event {@link VOLUME_DATA_DELETED} from component `failsim` is recorded on the PV.
 */
export const vsphereCluster = (options: VsphereClusterOptions = {}): VsphereCluster => {
  const nodes: readonly NodeSpec[] = options.nodes ?? SEED_WORKER_NAMES.map((name) => ({ name, role: 'worker' as const }));
  const hosts = options.hosts ?? ['10.27.51.11', '10.27.51.12', '10.27.51.13'];
  const datastore = options.datastore ?? 'vsanDatastore';
  // The VM identities are needed before the simulation exists (the kubelets report them),
  // so they come from their own seeded stream.
  const ids = new SeededRandom(`${String(options.seed ?? 'failsim')}/vsphere-vms`);
  const vmSpecs = nodes.map((node, i) => ({
    node: node.name,
    name: options.vmName?.(node, i) ?? `vm-${ids.uuid()}`,
    uuid: ids.uuid(),
    host: hosts[i % hosts.length]!,
    ipAddress: `10.27.51.${185 + i}`,
  }));
  const vmForNode = new Map(vmSpecs.map((s) => [s.node, s.name]));
  const specFor = new Map(vmSpecs.map((s) => [s.node, s]));

  const vcpProvisioner = new DeferredProvisioner(VSPHERE_VOLUME_PLUGIN_NAME, 1_000, 500);
  const csiProvisioner = new DeferredProvisioner(VSPHERE_CSI_DRIVER_NAME, 1_000, 500);
  const vcp = new DeferredPlugin(VSPHERE_VOLUME_PLUGIN_NAME, false);
  const csi = new DeferredPlugin(VSPHERE_CSI_DRIVER_NAME, true);

  // The plugin manager asks plugins in order: under CSI migration the driver serves in-tree PVs.
  const baseProfile = typeof options.profile === 'object' ? options.profile : findProfile(options.profile ?? '1.14');
  const migrationPlanned = options.overrides?.behaviours?.csiMigrationvSphere ?? baseProfile?.behaviours.csiMigrationvSphere ?? false;
  const wiring: Pick<ClusterOptions, 'nodes' | 'provisioners' | 'volumePlugins' | 'volumeData' | 'kubeletFor'> = {
    nodes,
    provisioners: [vcpProvisioner, csiProvisioner],
    volumePlugins: migrationPlanned ? [csi, vcp] : [vcp, csi],
    // What a pod's container reads and writes on its volume is the backing VMDK's content.
    volumeData: (pv) => {
      const path = pv.spec?.vsphereVolume?.volumePath;
      const handle = pv.spec?.csi?.driver === VSPHERE_CSI_DRIVER_NAME ? pv.spec.csi.volumeHandle : undefined;
      const file = path !== undefined ? vcenter.file(canonicalDatastorePath(path)) : handle !== undefined ? vcenter.firstClassDisk(handle) : undefined;
      return file ? { read: (key) => file.content.get(key), write: (key, value) => void file.content.set(key, value) } : undefined;
    },
    kubeletFor: (node) => {
      const spec = specFor.get(node.name)!;
      const extra = options.kubeletFor?.(node, plugins) ?? {};
      return {
        addresses: { internalIP: spec.ipAddress },
        ...extra,
        nodeInfo: { systemUUID: spec.uuid.toUpperCase(), ...extra.nodeInfo },
      };
    },
  };
  // Object.assign, not `{ ...options, nodes, … }`: properties added after a leading spread
  // take V8's slow path, ~15 us of every environment built.
  const cluster = createCluster(Object.assign({}, options, wiring));
  const migration = cluster.profile.behaviours.csiMigrationvSphere;
  const plugins: VspherePlugins = { vcp, csi, all: migration ? [csi, vcp] : [vcp, csi] };

  const vcenter = new Vcenter({ clock: cluster.sim.clock, random: cluster.sim.random.fork('vcenter'), ...(options.taskDurations ? { taskDurations: options.taskDurations } : {}) });
  for (const host of hosts) vcenter.addHost(host);
  for (const name of new Set([datastore, ...(options.moreDatastores ?? [])])) vcenter.addDatastore({ name, type: 'vsan', capacityBytes: 4 * 2 ** 40 });
  for (const policy of options.storagePolicies ?? [RAID1_POLICY]) vcenter.addStoragePolicy(policy);
  for (const s of vmSpecs) vcenter.createVm({ name: s.name, host: s.host, uuid: s.uuid, ipAddress: s.ipAddress, datastore });

  const nodeManager = new NodeManager(vcenter, sharedInformer(cluster.ctx, 'Node'));
  nodeManager.start();
  vcp.target = new VsphereVolumePlugin({ vcenter, nodeManager, machineForNode: (n) => vmForNode.get(n) });
  csi.target = new VsphereCsiPlugin({ vcenter, vmForNode: (n) => vmForNode.get(n), migration });
  vcpProvisioner.target = new VsphereVolumeProvisioner({ vcenter, defaultDatastore: datastore });
  csiProvisioner.target = new VsphereCsiProvisioner({ vcenter, defaultDatastore: datastore });
  const power: Subscription = bindNodeMachines(vcenter, cluster.machines, vmForNode);
  const dataLoss: Subscription = reportDeletedVolumeFiles(vcenter, cluster);

  return {
    cluster,
    vcenter,
    govc: new Govc(vcenter),
    plugins,
    provisioners: [vcpProvisioner, csiProvisioner],
    vmForNode,
    nodeManager,
    stop: () => {
      power.unsubscribe();
      dataLoss.unsubscribe();
      nodeManager.stop();
      cluster.stop();
    },
  };
};

/** The reason of the Warning Event {@link vsphereCluster} records when a PV's VMDK is deleted. */
export const VOLUME_DATA_DELETED = 'VolumeDataDeleted';

/** The message of that Event: names the file and the PV. */
export const volumeDataDeletedMessage = (path: string, pv: string): string =>
  `VMDK ${path} backing PersistentVolume ${pv} was deleted from the datastore: the volume's data is gone`;

const backs = (pv: PersistentVolume, event: FileDeletedEvent): boolean => {
  const path = pv.spec?.vsphereVolume?.volumePath;
  if (path !== undefined && canonicalDatastorePath(path) === event.path) return true;
  const csi = pv.spec?.csi;
  return csi?.driver === VSPHERE_CSI_DRIVER_NAME && event.fcdId !== undefined && csi.volumeHandle === event.fcdId;
};

// Kubernetes never notices a deleted VMDK until an attach or mount fails, and neither
// vSphere nor Kubernetes has an event for it: this is failsim saying what the operator
// did (storage reference §8.2, govc device.remove -keep=false), on the PV it destroyed.
const reportDeletedVolumeFiles = (vcenter: Vcenter, cluster: Cluster): Subscription => {
  const client = cluster.sim.api.client('failsim');
  const recorder = new EventRecorder(client, { component: 'failsim' });
  return vcenter.fileDeleted$.subscribe((event) => {
    const pvs = client.list('PersistentVolume');
    if (E.isLeft(pvs)) return;
    for (const pv of pvs.right.items.filter((p) => backs(p, event))) {
      recorder.event(pv, 'Warning', VOLUME_DATA_DELETED, volumeDataDeletedMessage(event.path, pv.metadata?.name ?? ''));
    }
  });
};
