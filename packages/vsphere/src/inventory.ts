// The vCenter inventory failsim keeps: datacenter, cluster, ESXi hosts, datastores with
// storage policies, VMs with their SCSI controllers and disks, and VMDK files. Shapes follow
// the vSphere API's managed objects (vim25 types: HostSystem, Datastore, VirtualMachine,
// ParaVirtualSCSIController, VirtualDisk; govmomi vim25/types, v0.20–v0.50) reduced to what
// the failure scenarios read.

/** A VM's power state (vim25 VirtualMachinePowerState). */
export type PowerState = 'poweredOn' | 'poweredOff' | 'suspended';

/** An ESXi host of the cluster. */
export interface HostSystem {
  /** The host's name in the inventory (its management address, e.g. `10.27.51.11`). */
  readonly name: string;
  /** Whether the host is connected and up; a failed host does not count for vSAN policies. */
  readonly connected: boolean;
}

/**
 * A vSAN storage policy (SPBM profile): only what decides where a disk can be created —
 * failures to tolerate, the method, and so the number of hosts it needs (2·FTT+1 for RAID-1,
 * 4 for RAID-5, 6 for RAID-6; storage reference §8.4).
 */
export interface StoragePolicy {
  readonly name: string;
  readonly hostFailuresToTolerate: number;
  readonly method: 'RAID-1' | 'RAID-5/6';
  /** Hosts the policy needs to place its components. */
  readonly minHosts: number;
}

/** The article's `raid-1` policy: FTT 1 mirroring, three hosts. */
export const RAID1_POLICY: StoragePolicy = { name: 'raid-1', hostFailuresToTolerate: 1, method: 'RAID-1', minHosts: 3 };

/** A datastore. */
export interface Datastore {
  readonly name: string;
  readonly type: 'vsan' | 'vmfs' | 'nfs';
  readonly capacityBytes: number;
}

/** SCSI controller types govc and vclib know (`device.scsi.add -type`). */
export type ScsiControllerType = 'pvscsi' | 'lsilogic' | 'lsilogic-sas' | 'buslogic';

/** A SCSI controller: device key 1000 + bus number, as vSphere numbers them. */
export interface ScsiController {
  readonly key: number;
  readonly busNumber: number;
  readonly type: ScsiControllerType;
}

/** A virtual disk device backed by a VMDK file. */
export interface VirtualDisk {
  /** Device key: 2000 + 16·bus + unit. */
  readonly key: number;
  readonly controllerKey: number;
  /** 0–15, never 7 (the controller's own unit). */
  readonly unitNumber: number;
  /** The backing file, `[ds] folder/name.vmdk`. */
  readonly fileName: string;
  readonly capacityInKB: number;
  /** `persistent` or `independent_persistent` (what VCP and BOSH use for data disks). */
  readonly diskMode: 'persistent' | 'independent_persistent';
}

/** A virtual machine as the inventory holds it. */
export interface VirtualMachine {
  /** Managed object id, `vm-<n>` (govc prints `VirtualMachine:vm-<n>`). */
  readonly moref: string;
  readonly name: string;
  /** BIOS UUID (`config.uuid`): what a Linux guest reports as its system UUID. */
  readonly uuid: string;
  /** vCenter instance UUID (`config.instanceUuid`). */
  readonly instanceUuid: string;
  readonly powerState: PowerState;
  /** The ESXi host it runs on. */
  readonly host: string;
  /** The folder of its files on its datastore. */
  readonly datastore: string;
  readonly ipAddress?: string;
  readonly controllers: readonly ScsiController[];
  readonly disks: readonly VirtualDisk[];
  /** Virtual ms of the last power-on, if powered on. */
  readonly bootTime?: number;
}

/** A VMDK file on a datastore. */
export interface VmdkFile {
  /** Canonical datastore path. */
  readonly path: string;
  readonly datastore: string;
  readonly capacityInKB: number;
  /** The virtual disk's UUID (`6000c29…`, 32 hex digits), the `wwn-0x` id the guest sees. */
  readonly uuid: string;
  readonly diskFormat: 'thin' | 'zeroedthick' | 'eagerzeroedthick';
  /** The storage policy it was created with, if any. */
  readonly storagePolicy?: string;
  /** First-class disk (CNS volume) id, for disks created through the FCD API. */
  readonly fcdId?: string;
  /** The parent of a linked clone (`vm.disk.attach -link=true`). */
  readonly parent?: string;
  /**
   * What the guest wrote: an opaque key/value store (the Cassandra model keeps its rows
   * here). It lives with the file: it survives detach and power cycles, and is gone when
   * the file is deleted.
   */
  readonly content: Map<string, string>;
}

/** A lock on a disk file: held while a powered-on VM has the file configured. */
export interface FileLock {
  readonly path: string;
  /** The VM holding the lock. */
  readonly vm: string;
  /** The host that VM runs on (the lock owner ESXi reports). */
  readonly host: string;
}
