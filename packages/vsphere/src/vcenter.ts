// A vCenter in virtual time: the inventory (datacenter, cluster, ESXi hosts, datastores,
// storage policies, VMs, VMDK files), the disk locks ESXi takes, and the tasks that change
// them, each ending Completed or Failed with vSphere's own texts (storage reference §8.1,
// §8.2). Models the vSphere API as govmomi drives it (object/virtual_machine.go AddDevice,
// RemoveDevice, PowerOn, PowerOff, Reset; govmomi v0.20–v0.50) and ESXi's VMFS/vSAN lock
// semantics: a powered-on VM holds a lock on every disk file it has configured; a
// powered-off VM holds none.
import * as E from 'fp-ts/lib/Either.js';
import type { SeededRandom, SimClock } from '@failsim/core';
import { Subject, type Observable } from 'rxjs';
import { canonicalDatastorePath, parseDatastorePath } from './datastore-path.js';
import type { Datastore, FileLock, HostSystem, PowerState, ScsiController, ScsiControllerType, StoragePolicy, VirtualDisk, VirtualMachine, VmdkFile } from './inventory.js';
import { TaskManager, vimFault, type TaskDurations, type TaskInfo, type TaskName, type VimFault } from './task.js';
import { controllerKeyFor, controllerName, diskKeyFor, diskName, freeBus, freeUnit, scsiSlot, SCSI_RESERVED_UNIT, SCSI_UNITS } from './virtual-device-list.js';

/** Options of a {@link Vcenter}. */
export interface VcenterOptions {
  /** The simulation clock every task runs on. */
  readonly clock: SimClock;
  /** Source of UUIDs (fork one from the simulation's random). */
  readonly random: SeededRandom;
  /** Datacenter name; default `Datacenter`. */
  readonly datacenter?: string;
  /** Compute cluster name; default `Cluster`. */
  readonly cluster?: string;
  /** Virtual task durations. */
  readonly taskDurations?: Partial<TaskDurations>;
}

/** Who runs a task and how long it takes. */
export interface TaskOptions {
  /** Shown as the task's initiator; default `administrator@vsphere.local`. */
  readonly initiator?: string;
  /** Overrides the task's virtual duration (0: completes synchronously). */
  readonly durationMs?: number;
}

/** What {@link Vcenter.createVm} takes. */
export interface VmSpec {
  readonly name: string;
  readonly host: string;
  /** Datastore of the VM's own files; default the first datastore. */
  readonly datastore?: string;
  /** BIOS UUID; default a random one. */
  readonly uuid?: string;
  readonly powerState?: PowerState;
  readonly ipAddress?: string;
  /** Size of the system disk (scsi0:0) in KB; default 3 GiB. 0: no system disk. */
  readonly systemDiskKB?: number;
}

/** What {@link Vcenter.createDisk} takes. */
export interface DiskSpec {
  /** `[ds] folder/name.vmdk`. */
  readonly path: string;
  readonly capacityInKB: number;
  readonly diskFormat?: VmdkFile['diskFormat'];
  /** A storage policy name known to the vCenter. */
  readonly storagePolicy?: string;
  /** vSAN forceProvisioning: create even when the policy cannot be met. */
  readonly forceProvisioning?: boolean;
  /** Register the disk as a first-class disk with this id. */
  readonly fcdId?: string;
  readonly parent?: string;
}

/** What {@link Vcenter.addDisk} takes. */
export interface AddDiskSpec {
  /** The existing file to attach. */
  readonly fileName: string;
  /** The controller to put it on; default the first controller with a free unit. */
  readonly controllerKey?: number;
  /** The unit; default the lowest free one. */
  readonly unitNumber?: number;
  readonly diskMode?: VirtualDisk['diskMode'];
}

/** A VMDK file removed from its datastore (the data on it is gone). */
export interface FileDeletedEvent {
  /** Canonical datastore path of the deleted file. */
  readonly path: string;
  /** The first-class disk id the file had, if any (how CSI PVs name it). */
  readonly fcdId?: string;
  /** The VM whose reconfigure destroyed it (`device.remove` without `-keep`); absent for a plain file delete. */
  readonly vm?: string;
  /** Virtual ms. */
  readonly at: number;
}

/** A power change of a VM, as observed by whatever runs inside it. */
export interface PowerEvent {
  readonly vm: string;
  /** `reset`: off and on again at once (the guest reboots). */
  readonly kind: 'poweredOn' | 'poweredOff' | 'reset';
  /** Virtual ms. */
  readonly at: number;
}

const DEFAULT_INITIATOR = 'administrator@vsphere.local';
const NO_DISKS: readonly VirtualDisk[] = [];
const GIB_KB = 1024 * 1024;
/** A digit's text by its value, as `toString(16)` writes it. */
const HEX_DIGITS = '0123456789abcdef';

/** vim25 InvalidPowerState's message. */
const invalidPowerState = (state: PowerState): VimFault =>
  vimFault(`The attempted operation cannot be performed in the current state (${state === 'poweredOn' ? 'Powered on' : state === 'poweredOff' ? 'Powered off' : 'Suspended'}).`);

/** vim25 FileLocked's message (storage reference §8.1). */
const fileLocked = (path: string): VimFault => vimFault(`Unable to access file ${path} since it is locked`);

/** msg.disk.fileNotFound family (storage reference §8.1; wording Unverified across ESXi releases). */
const fileNotFound = (path: string): VimFault => vimFault(`File ${path} was not found`);

/** A count of changes, shared by the maps that add to it. */
interface ChangeCount {
  changes: number;
}

/**
 * A Map that adds every set, delete and clear to `count`, so that the counts
 * {@link Vcenter.vmChanges}, {@link Vcenter.fileChanges} and {@link Vcenter.contentChanges}
 * cannot miss a change whatever code makes it: the invariant checker trusts them to skip
 * what cannot have changed.
 */
class CountedMap<K, V> extends Map<K, V> {
  readonly count: ChangeCount;

  constructor(count: ChangeCount = { changes: 0 }) {
    super();
    this.count = count;
  }

  override set(key: K, value: V): this {
    this.count.changes++;
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.count.changes++;
    return super.delete(key);
  }

  override clear(): void {
    this.count.changes++;
    super.clear();
  }
}

/**
 * A CountedMap that also lists the key of each change, for a reader that wants which
 * entries changed, not only whether any did: the invariant checker re-read every file
 * after each created disk (15% of a 1,000-node zone failure's runner time).
 */
class JournaledMap<K, V> extends CountedMap<K, V> {
  /** The key of each set and delete since the last clear, oldest first: change number #base + i + 1 is #keys[i]. */
  readonly #keys: K[] = [];
  #base = 0;

  override set(key: K, value: V): this {
    this.#keys.push(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.#keys.push(key);
    return super.delete(key);
  }

  override clear(): void {
    super.clear();
    this.#keys.length = 0;
    this.#base = this.count.changes;
  }

  /** The keys changed after the count was `since`, oldest first; undefined when a clear has dropped them. */
  keysChangedSince(since: number): readonly K[] | undefined {
    return since < this.#base ? undefined : this.#keys.slice(since - this.#base);
  }
}

/** The vCenter inventory and its task engine. */
export class Vcenter {
  /** Datacenter name. */
  readonly datacenter: string;
  /** Compute cluster name. */
  readonly cluster: string;
  /** Recent Tasks. */
  readonly tasks: TaskManager;
  readonly #clock: SimClock;
  readonly #random: SeededRandom;
  readonly #hosts = new Map<string, HostSystem>();
  readonly #datastores = new Map<string, Datastore>();
  readonly #policies = new Map<string, StoragePolicy>();
  readonly #vms = new JournaledMap<string, VirtualMachine>();
  /** vmByUuid's index, dropped when a VM is added or removed (a VM's UUID never changes). */
  #namesByUuid: Map<string, string> | undefined;
  readonly #files = new JournaledMap<string, VmdkFile>();
  /** The change count every file's `content` adds to. */
  readonly #contents: ChangeCount = { changes: 0 };
  /**
   * The names of the VMs configured with each disk file (any power state), by canonical
   * path: every attach, power-on and delete asks who holds a file, and walking every VM for
   * it made provisioning quadratic in the disks (15,000 at 5,000 nodes). Kept in step with
   * the device lists by {@link Vcenter.#setVm}. A list, not a Map per file: a file has one
   * holder or a few, and an inner Map (~200 bytes) cost more than its names; each holder's
   * place in the inventory order is read from #vmOrder, which holds every indexed VM.
   */
  readonly #vmsByFile = new Map<string, string[]>();
  /** Inventory order of each VM (#vms keeps names in insertion order; a name never moves until removed). */
  readonly #vmOrder = new Map<string, number>();
  #nextVmOrder = 0;
  /** Paths of the files with each first-class disk id, in creation order (the order files() walks). */
  readonly #pathsByFcd = new Map<string, string[]>();
  readonly #power = new Subject<PowerEvent>();
  readonly #fileDeleted = new Subject<FileDeletedEvent>();
  #nextMoref = 1001;

  constructor(options: VcenterOptions) {
    this.#clock = options.clock;
    this.#random = options.random;
    this.datacenter = options.datacenter ?? 'Datacenter';
    this.cluster = options.cluster ?? 'Cluster';
    this.tasks = new TaskManager(options.clock, options.taskDurations);
  }

  /**
   * Counts every change of the VMs (created, reconfigured, powered, removed): the same count
   * at two reads means vms() holds the same objects. Readers that derive from every VM
   * (the invariant checker, at each task end) skip what cannot have changed.
   */
  get vmChanges(): number {
    return this.#vms.count.changes;
  }

  /**
   * Counts every VMDK file added or removed: the same count at two reads means files()
   * holds the same file objects (their `content` may still have been written).
   */
  get fileChanges(): number {
    return this.#files.count.changes;
  }

  /**
   * The canonical paths of the VMDK files added or removed since {@link fileChanges} read
   * `since`, oldest first, a path once per change (a file deleted and created again
   * twice); undefined when that is no longer known. With {@link file} a reader follows
   * the files without walking them all.
   */
  filesChangedSince(since: number): readonly string[] | undefined {
    return this.#files.keysChangedSince(since);
  }

  /** Counts every write to any VMDK file's `content` (the guest's keys), all files together. */
  get contentChanges(): number {
    return this.#contents.changes;
  }

  /** The virtual clock. */
  get clock(): SimClock {
    return this.#clock;
  }

  /** Every power change of every VM, in order. */
  get powerEvents$(): Observable<PowerEvent> {
    return this.#power.asObservable();
  }

  /**
   * Every VMDK file deleted (`deleteDisk`, or `removeDevice` without `keepFiles`), when
   * its task completes: what an environment watches to say that a volume's data is gone.
   */
  get fileDeleted$(): Observable<FileDeletedEvent> {
    return this.#fileDeleted.asObservable();
  }

  // ---- inventory -------------------------------------------------------------------

  /** Adds an ESXi host (connected). */
  addHost(name: string): HostSystem {
    const host: HostSystem = { name, connected: true };
    this.#hosts.set(name, host);
    return host;
  }

  /** Marks a host connected or not (a failed host does not count for vSAN placement). */
  setHostConnected(name: string, connected: boolean): void {
    const host = this.#hosts.get(name);
    if (host) this.#hosts.set(name, { ...host, connected });
  }

  /** Adds a datastore. */
  addDatastore(datastore: Datastore): Datastore {
    this.#datastores.set(datastore.name, datastore);
    return datastore;
  }

  /** Adds a storage policy. */
  addStoragePolicy(policy: StoragePolicy): StoragePolicy {
    this.#policies.set(policy.name, policy);
    return policy;
  }

  /** ESXi hosts. */
  hosts(): readonly HostSystem[] {
    return [...this.#hosts.values()];
  }

  /** Datastores. */
  datastores(): readonly Datastore[] {
    return [...this.#datastores.values()];
  }

  /** A datastore by name. */
  datastore(name: string): Datastore | undefined {
    return this.#datastores.get(name);
  }

  /** A storage policy by name. */
  /**
   * The names of the VMs created, changed or removed since {@link vmChanges} read `since`,
   * oldest first, a name once per change; undefined when that is no longer known. With
   * {@link vm} and {@link inventoryOrder} a reader follows the VMs without walking them all
   * (VmChanges).
   */
  vmsChangedSince(since: number): readonly string[] | undefined {
    return this.#vms.keysChangedSince(since);
  }

  /** A VM's place in {@link vms}' order (created earlier: smaller); undefined for a name not in the inventory. */
  inventoryOrder(name: string): number | undefined {
    return this.#vmOrder.get(name);
  }

  storagePolicy(name: string): StoragePolicy | undefined {
    return this.#policies.get(name);
  }

  /** VMs, in creation order. */
  vms(): readonly VirtualMachine[] {
    return [...this.#vms.values()];
  }

  /** A VM by name. */
  vm(name: string): VirtualMachine | undefined {
    return this.#vms.get(name);
  }

  /** A VM by BIOS UUID (case-insensitive), as `SearchIndex.FindByUuid` finds it. */
  vmByUuid(uuid: string): VirtualMachine | undefined {
    const wanted = uuid.toLowerCase();
    // The cloud provider looks VMs up by UUID on every attach and verify: an index of the
    // first VM with each UUID (inventory order, as the walk finds it), checked on use.
    this.#namesByUuid ??= this.#indexUuids();
    const vm = this.#vms.get(this.#namesByUuid.get(wanted) ?? '');
    if (vm?.uuid.toLowerCase() === wanted) return vm;
    return this.vms().find((v) => v.uuid.toLowerCase() === wanted);
  }

  #indexUuids(): Map<string, string> {
    const index = new Map<string, string>();
    for (const vm of this.#vms.values()) {
      const key = vm.uuid.toLowerCase();
      if (!index.has(key)) index.set(key, vm.name);
    }
    return index;
  }

  /** VMDK files, in creation order. */
  files(): readonly VmdkFile[] {
    return [...this.#files.values()];
  }

  /** A VMDK file by datastore path (any spacing after the bracket). */
  file(path: string): VmdkFile | undefined {
    return this.#files.get(canonicalDatastorePath(path));
  }

  /** A first-class disk by id. */
  firstClassDisk(id: string): VmdkFile | undefined {
    // The CSI driver looks the disk up on every attach and detach: by index, not by a walk
    // of every file. The first path is the first such file in creation order.
    const path = this.#pathsByFcd.get(id)?.[0];
    return path === undefined ? undefined : this.#files.get(path);
  }

  /** The VMs whose configuration lists the file (powered on or not), in inventory order. */
  vmsWithDisk(path: string): readonly VirtualMachine[] {
    const holders = this.#vmsByFile.get(canonicalDatastorePath(path));
    if (!holders) return [];
    const names = [...holders];
    if (names.length > 1) names.sort((a, b) => this.#orderOf(a) - this.#orderOf(b));
    return names.map((name) => this.#vms.get(name)).filter((vm): vm is VirtualMachine => vm !== undefined);
  }

  /** Every lock: one per disk file of each powered-on VM. */
  locks(): readonly FileLock[] {
    return this.vms()
      .filter((vm) => vm.powerState === 'poweredOn')
      .flatMap((vm) => vm.disks.map((d) => ({ path: d.fileName, vm: vm.name, host: vm.host })));
  }

  /** Who holds the lock on a file, other than `except`. */
  lockHolder(path: string, except?: string): FileLock | undefined {
    const p = canonicalDatastorePath(path);
    // The first lock of locks() on the file (the earliest powered-on VM in inventory order
    // configured with it), from the file's own few VMs instead of a walk of the inventory.
    const holders = this.#vmsByFile.get(p);
    if (!holders) return undefined;
    let holder: VirtualMachine | undefined;
    let holderOrder = Infinity;
    for (const name of holders) {
      if (name === except) continue;
      const order = this.#orderOf(name);
      if (order >= holderOrder) continue;
      const vm = this.#vms.get(name);
      if (vm?.powerState !== 'poweredOn') continue;
      holder = vm;
      holderOrder = order;
    }
    return holder ? { path: p, vm: holder.name, host: holder.host } : undefined;
  }

  /** A fresh virtual-disk UUID in vSphere's form (`6000C29x-xxxx-…`). */
  newDiskUuid(): string {
    // 25 hex digits drawn in order, appended (an array and a string per digit cost ~60 µs of
    // every environment built, its disks' UUIDs).
    let raw = '6000C29';
    for (let i = 0; i < 25; i++) raw += HEX_DIGITS[this.#random.int(0, 16)]!;
    // Joined, not a template literal: concatenation left a tree of ~5 cons strings (~370
    // bytes) kept for the file's life, where join makes one flat string (~65 bytes).
    return [raw.slice(0, 8), raw.slice(8, 12), raw.slice(12, 16), raw.slice(16, 20), raw.slice(20)].join('-');
  }

  /** A fresh RFC 4122 UUID from the seeded random. */
  newUuid(): string {
    return this.#random.uuid();
  }

  /**
   * Creates a VM with an LSI Logic controller on bus 0 and, unless `systemDiskKB` is 0, its
   * system disk `[ds] <name>/<name>.vmdk` on scsi0:0. No task: the VM is part of the scene.
   */
  createVm(spec: VmSpec): VirtualMachine {
    const datastore = spec.datastore ?? this.datastores()[0]?.name;
    if (datastore === undefined) throw new RangeError('createVm: the vCenter has no datastore');
    if (this.#vms.has(spec.name)) throw new RangeError(`createVm: a VM named "${spec.name}" exists`);
    if (!this.#hosts.has(spec.host)) throw new RangeError(`createVm: no host "${spec.host}"`);
    const controller: ScsiController = { key: controllerKeyFor(0), busNumber: 0, type: 'lsilogic' };
    const systemKB = spec.systemDiskKB ?? 3 * GIB_KB;
    const disks: VirtualDisk[] = [];
    if (systemKB > 0) {
      const file = this.#putFile({ path: `[${datastore}] ${spec.name}/${spec.name}.vmdk`, capacityInKB: systemKB });
      disks.push({ key: diskKeyFor(0, 0), controllerKey: controller.key, unitNumber: 0, fileName: file.path, capacityInKB: systemKB, diskMode: 'persistent' });
    }
    const powerState = spec.powerState ?? 'poweredOn';
    const vm: VirtualMachine = {
      moref: `vm-${this.#nextMoref++}`,
      name: spec.name,
      uuid: spec.uuid ?? this.#random.uuid(),
      instanceUuid: this.#random.uuid(),
      powerState,
      host: spec.host,
      datastore,
      ...(spec.ipAddress !== undefined ? { ipAddress: spec.ipAddress } : {}),
      controllers: [controller],
      disks,
      ...(powerState === 'poweredOn' ? { bootTime: this.#clock.now() } : {}),
    };
    this.#vmOrder.set(vm.name, this.#nextVmOrder++);
    this.#setVm(undefined, vm);
    this.#namesByUuid = undefined;
    return vm;
  }

  /**
   * Creates a VMDK file (a "Create virtual disk" task, applied at once). Fails when the
   * datastore is unknown, the file exists, or the storage policy needs more hosts than are
   * connected (unless forced).
   */
  createDisk(spec: DiskSpec, options: TaskOptions = {}): E.Either<VimFault, VmdkFile> {
    const path = canonicalDatastorePath(spec.path);
    return this.tasks.runNow('Create virtual disk', path, options.initiator ?? DEFAULT_INITIATOR, () => {
      const parsed = parseDatastorePath(path);
      if (E.isLeft(parsed)) return E.left(vimFault(parsed.left));
      if (!this.#datastores.has(parsed.right.datastore)) return E.left(vimFault(`datastore '${parsed.right.datastore}' not found`));
      if (this.#files.has(path)) return E.left(vimFault(`Cannot complete the operation because the file or folder ${path} already exists`));
      if (spec.storagePolicy !== undefined) {
        const policy = this.#policies.get(spec.storagePolicy);
        if (!policy) return E.left(vimFault(`no pbm profile found with name: "${spec.storagePolicy}"`));
        const usable = this.hosts().filter((h) => h.connected).length;
        // vSAN's placement error when a policy needs more fault domains than are up (Unverified wording).
        if (usable < policy.minHosts && !spec.forceProvisioning) {
          return E.left(vimFault(`There are currently ${usable} usable fault domains. The operation requires ${policy.minHosts - usable} more usable fault domains.`));
        }
      }
      return E.right(this.#putFile({ ...spec, path }));
    });
  }

  /** Deletes a VMDK file (a "Delete file" task, applied at once); fails while a powered-on VM holds it. */
  deleteDisk(path: string, options: TaskOptions = {}): E.Either<VimFault, void> {
    const p = canonicalDatastorePath(path);
    return this.tasks.runNow('Delete file', p, options.initiator ?? DEFAULT_INITIATOR, () => {
      if (!this.#files.has(p)) return E.left(fileNotFound(p));
      if (this.lockHolder(p)) return E.left(fileLocked(p));
      this.#deleteFile(p);
      return E.right(undefined);
    });
  }

  // ---- tasks on VMs ----------------------------------------------------------------

  /** Adds a SCSI controller on the lowest free bus (ReconfigVM_Task, device add). */
  addScsiController(vmName: string, type: ScsiControllerType = 'pvscsi', options: TaskOptions = {}): Observable<ScsiController> {
    return this.#task('Reconfigure virtual machine', vmName, options, (vm) => {
      const bus = freeBus(vm);
      if (bus === undefined) return E.left(vimFault(`SCSI Controller Limit of 4 has been reached, cannot create another SCSI controller`));
      const controller: ScsiController = { key: controllerKeyFor(bus), busNumber: bus, type };
      this.#update({ ...vm, controllers: [...vm.controllers, controller].sort((a, b) => a.busNumber - b.busNumber) });
      return E.right(controller);
    });
  }

  /**
   * Adds an existing disk file to a VM (ReconfigVM_Task, device add without file create).
   * When the VM is powered on, ESXi opens the file: if another powered-on VM holds its
   * lock the task fails with "Failed to add disk 'scsiN:U'." (storage reference §6.2, §8.1).
   * A powered-off VM opens nothing, so the add succeeds whoever holds the file.
   */
  addDisk(vmName: string, spec: AddDiskSpec, options: TaskOptions = {}): Observable<VirtualDisk> {
    return this.#task('Reconfigure virtual machine', vmName, options, (vm) => {
      const path = canonicalDatastorePath(spec.fileName);
      const controller =
        spec.controllerKey !== undefined
          ? vm.controllers.find((c) => c.key === spec.controllerKey)
          : vm.controllers.find((c) => freeUnit(vm, c) !== undefined);
      if (!controller) return E.left(vimFault(`Invalid configuration for device '0'.`));
      const unit = spec.unitNumber ?? freeUnit(vm, controller);
      if (unit === undefined || unit === SCSI_RESERVED_UNIT || unit >= SCSI_UNITS || vm.disks.some((d) => d.controllerKey === controller.key && d.unitNumber === unit)) {
        return E.left(vimFault(`Invalid configuration for device '0'.`));
      }
      const slot = scsiSlot(controller.busNumber, unit);
      const file = this.#files.get(path);
      if (!file) return E.left(vimFault(`Failed to add disk '${slot}'.`, [fileNotFound(path).message]));
      if (vm.disks.some((d) => d.fileName === path)) return E.left(vimFault(`Failed to add disk '${slot}'.`, [fileLocked(path).message]));
      if (vm.powerState === 'poweredOn' && this.lockHolder(path, vm.name)) {
        return E.left(
          vimFault(`Failed to add disk '${slot}'.`, [
            'File system specific implementation of LookupAndOpen[file] failed',
            `Cannot open the disk '${path}' or one of the snapshot disks it depends on.`,
          ]),
        );
      }
      const disk: VirtualDisk = {
        key: diskKeyFor(controller.busNumber, unit),
        controllerKey: controller.key,
        unitNumber: unit,
        fileName: path,
        capacityInKB: file.capacityInKB,
        diskMode: spec.diskMode ?? 'independent_persistent',
      };
      this.#update({ ...vm, disks: [...vm.disks, disk].sort((a, b) => a.key - b.key) });
      return E.right(disk);
    });
  }

  /**
   * Removes a device by govc name (`disk-1001-0`, `pvscsi-1001`) — ReconfigVM_Task with
   * operation remove and, unless `keepFiles`, file operation destroy: the VMDK is deleted
   * (storage reference §8.2). A controller can only go once it has no disks.
   */
  removeDevice(vmName: string, device: string, keepFiles: boolean, options: TaskOptions = {}): Observable<void> {
    return this.#task('Reconfigure virtual machine', vmName, options, (vm) => {
      const disk = vm.disks.find((d) => diskName(d) === device);
      if (disk) {
        if (!keepFiles && this.lockHolder(disk.fileName, vm.name)) return E.left(fileLocked(disk.fileName));
        this.#update({ ...vm, disks: vm.disks.filter((d) => d !== disk) });
        if (!keepFiles) this.#deleteFile(disk.fileName, vm.name);
        return E.right(undefined);
      }
      const controller = vm.controllers.find((c) => controllerName(c) === device);
      if (controller) {
        if (vm.disks.some((d) => d.controllerKey === controller.key)) return E.left(vimFault(`Invalid configuration for device '0'.`));
        this.#update({ ...vm, controllers: vm.controllers.filter((c) => c !== controller) });
        return E.right(undefined);
      }
      return E.left(vimFault(`device '${device}' not found`));
    });
  }

  /**
   * Powers a VM on. ESXi opens and locks every configured disk: a missing file or one
   * locked by another powered-on VM fails the task. The fault's message is what API
   * clients report ("File system specific implementation of OpenFile[file] failed", as the
   * BOSH CPI showed in the seed); its details are what vCenter's task pane lists (§8.1).
   */
  powerOn(vmName: string, options: TaskOptions = {}): Observable<void> {
    return this.#task('Power On virtual machine', vmName, options, (vm) => {
      if (vm.powerState === 'poweredOn') return E.left(invalidPowerState(vm.powerState));
      const failure = this.#openDisks(vm);
      if (failure) return E.left(failure);
      this.#update({ ...vm, powerState: 'poweredOn', bootTime: this.#clock.now() });
      this.#power.next({ vm: vm.name, kind: 'poweredOn', at: this.#clock.now() });
      return E.right(undefined);
    });
  }

  /** Powers a VM off (hard): its locks are released at once. */
  powerOff(vmName: string, options: TaskOptions = {}): Observable<void> {
    return this.#task('Power Off virtual machine', vmName, options, (vm) => {
      if (vm.powerState === 'poweredOff') return E.left(invalidPowerState(vm.powerState));
      const { bootTime: _bootTime, ...rest } = vm;
      this.#update({ ...rest, powerState: 'poweredOff' });
      this.#power.next({ vm: vm.name, kind: 'poweredOff', at: this.#clock.now() });
      return E.right(undefined);
    });
  }

  /** Resets a powered-on VM (hard reboot). */
  reset(vmName: string, options: TaskOptions = {}): Observable<void> {
    return this.#task('Reset virtual machine', vmName, options, (vm) => {
      if (vm.powerState !== 'poweredOn') return E.left(invalidPowerState(vm.powerState));
      this.#update({ ...vm, bootTime: this.#clock.now() });
      this.#power.next({ vm: vm.name, kind: 'reset', at: this.#clock.now() });
      return E.right(undefined);
    });
  }

  /** Removes a powered-off VM from the inventory; its files stay on the datastore. */
  unregisterVm(vmName: string, options: TaskOptions = {}): Observable<void> {
    return this.#task('Unregister virtual machine', vmName, options, (vm) => {
      if (vm.powerState !== 'poweredOff') return E.left(invalidPowerState(vm.powerState));
      this.#setVm(vm, undefined);
      this.#namesByUuid = undefined;
      return E.right(undefined);
    });
  }

  /** The Recent Tasks pane: every task, oldest first, or the newest `last` (TaskManager.recent). */
  recentTasks(last?: number): readonly TaskInfo[] {
    return this.tasks.recent(last);
  }

  // ---- internals -------------------------------------------------------------------

  #task<T>(name: TaskName, vmName: string, options: TaskOptions, op: (vm: VirtualMachine) => E.Either<VimFault, T>): Observable<T> {
    return this.tasks.run(
      name,
      vmName,
      options.initiator ?? DEFAULT_INITIATOR,
      () => {
        // Re-read at completion: the task acts on the VM as it is when ESXi applies it.
        const vm = this.#vms.get(vmName);
        return vm ? op(vm) : E.left(vimFault(`vm '${vmName}' not found`));
      },
      options.durationMs,
    );
  }

  #openDisks(vm: VirtualMachine): VimFault | undefined {
    for (const disk of vm.disks) {
      if (!this.#files.has(disk.fileName)) {
        return vimFault(fileNotFound(disk.fileName).message, [
          `An error was received from the ESX host while powering on VM ${vm.name}.`,
          'Failed to start the virtual machine.',
          "Module 'Disk' power on failed.",
          `Cannot open the disk '${disk.fileName}' or one of the snapshot disks it depends on.`,
          `The system cannot find the file specified`,
        ]);
      }
      if (this.lockHolder(disk.fileName, vm.name)) {
        return vimFault('File system specific implementation of OpenFile[file] failed', [
          `An error was received from the ESX host while powering on VM ${vm.name}.`,
          'Failed to start the virtual machine.',
          "Module 'Disk' power on failed.",
          `Cannot open the disk '${disk.fileName}' or one of the snapshot disks it depends on.`,
          'Failed to lock the file',
        ]);
      }
    }
    return undefined;
  }

  #putFile(spec: DiskSpec): VmdkFile {
    const path = canonicalDatastorePath(spec.path);
    const parsed = parseDatastorePath(path);
    const file: VmdkFile = {
      path,
      datastore: E.isRight(parsed) ? parsed.right.datastore : '',
      capacityInKB: spec.capacityInKB,
      uuid: this.newDiskUuid(),
      diskFormat: spec.diskFormat ?? 'thin',
      ...(spec.storagePolicy !== undefined ? { storagePolicy: spec.storagePolicy } : {}),
      ...(spec.fcdId !== undefined ? { fcdId: spec.fcdId } : {}),
      ...(spec.parent !== undefined ? { parent: spec.parent } : {}),
      content: new CountedMap<string, string>(this.#contents),
    };
    this.#files.set(path, file);
    if (file.fcdId !== undefined) {
      const paths = this.#pathsByFcd.get(file.fcdId);
      if (paths) paths.push(path);
      else this.#pathsByFcd.set(file.fcdId, [path]);
    }
    return file;
  }

  #deleteFile(path: string, vm?: string): void {
    const file = this.#files.get(path);
    if (!file) return;
    this.#files.delete(path);
    if (file.fcdId !== undefined) {
      const paths = (this.#pathsByFcd.get(file.fcdId) ?? []).filter((p) => p !== path);
      if (paths.length > 0) this.#pathsByFcd.set(file.fcdId, paths);
      else this.#pathsByFcd.delete(file.fcdId);
    }
    this.#fileDeleted.next({ path, ...(file.fcdId !== undefined ? { fcdId: file.fcdId } : {}), ...(vm !== undefined ? { vm } : {}), at: this.#clock.now() });
  }

  /** A VM's place in the inventory order (0 for an unknown name, as the index stored before). */
  #orderOf(name: string): number {
    return this.#vmOrder.get(name) ?? 0;
  }

  #update(vm: VirtualMachine): void {
    this.#setVm(this.#vms.get(vm.name), vm);
  }

  /**
   * The one place the inventory's VMs change (created, reconfigured, powered, removed):
   * stores `next` (or removes `prev`) and moves the file index by the difference of their
   * device lists. A power change leaves the index alone: it lists configured disks, and
   * lockHolder reads the power state of the few VMs it names.
   */
  #setVm(prev: VirtualMachine | undefined, next: VirtualMachine | undefined): void {
    if (next) this.#vms.set(next.name, next);
    else if (prev) {
      this.#vms.delete(prev.name);
      this.#vmOrder.delete(prev.name);
    }
    const before = prev?.disks ?? NO_DISKS;
    const after = next?.disks ?? NO_DISKS;
    if (before === after) return;
    // addDisk refuses a file the VM already has, so a VM lists a path at most once.
    for (const d of before) if (!after.some((a) => a.fileName === d.fileName)) this.#unindex(d.fileName, prev?.name ?? '');
    const name = next?.name ?? '';
    for (const d of after) {
      const holders = this.#vmsByFile.get(d.fileName);
      // In the order first indexed (a Map's order): a VM already listed keeps its place. A
      // holder is appended by copying: a push onto a list gives it room for 16 more.
      if (!holders) this.#vmsByFile.set(d.fileName, [name]);
      else if (!holders.includes(name)) this.#vmsByFile.set(d.fileName, [...holders, name]);
    }
  }

  #unindex(path: string, vmName: string): void {
    const holders = this.#vmsByFile.get(path);
    if (!holders) return;
    const at = holders.indexOf(vmName);
    if (at >= 0) holders.splice(at, 1);
    if (holders.length === 0) this.#vmsByFile.delete(path);
  }
}

/**
 * Reads the outcome of a task Observable that has already finished (a zero-duration task):
 * Right with its value, Left with its fault. Left "task still running" otherwise.
 */
export const settled = <T>(task: Observable<T>): E.Either<VimFault, T> => {
  let outcome: E.Either<VimFault, T> = E.left(vimFault('task still running'));
  task
    .subscribe({
      next: (value) => (outcome = E.right(value)),
      error: (fault: VimFault) => (outcome = E.left(fault)),
    })
    .unsubscribe();
  return outcome;
};
