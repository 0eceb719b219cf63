// The invariant checker of the vSphere model (failsim issue 7). It models no upstream file:
// it checks the two promises of VMFS/vSAN that the simulated vCenter must keep (storage
// reference §6.2, §8.1–§8.2): a VMDK is opened by at most one running VM unless it is a
// multi-writer disk (ESXi's on-disk lock; vim25 VirtualDiskSharing "sharingMultiWriter"),
// and a file's data survives until a task deletes the file (DeleteDatastoreFile_Task, or
// ReconfigVM_Task device remove with fileOperation destroy — govc device.remove without
// -keep). A violation is a bug in failsim: by default it is thrown with the recent tasks.
import { InvariantViolation, type InvariantHistoryEntry } from '@failsim/core';
import type { Subscription } from 'rxjs';
import type { VirtualMachine, VmdkFile } from '../inventory.js';
import type { TaskInfo } from '../task.js';
import type { Vcenter } from '../vcenter.js';
import { VmChanges } from '../vm-changes.js';

/** The rules {@link checkVsphereInvariants} checks. */
export type VsphereInvariantRule = 'vmdk-single-writer' | 'data-until-deleted';

/** Options of {@link checkVsphereInvariants}. */
export interface VsphereInvariantOptions {
  /**
   * Called on each violation instead of throwing. Without it the violation is thrown from
   * the task end that revealed it (out of the clock step or govc call running the task);
   * one seen on a power event is thrown at the end of its task.
   */
  readonly onViolation?: (violation: InvariantViolation) => void;
  /**
   * Whether `path` may be open by all of `vms` at once (a multi-writer disk). The model has
   * no multi-writer disks, so by default none is.
   */
  readonly isShareable?: (path: string, vms: readonly VirtualMachine[]) => boolean;
  /** Tasks, power events and file deletions a violation's history shows (default 10). */
  readonly historyLines?: number;
}

/** A running vSphere checker, from {@link checkVsphereInvariants}. */
export interface VsphereInvariantChecker {
  /** Every violation seen so far, oldest first. */
  readonly violations: readonly InvariantViolation[];
  /** Checks now (as at a task end) and throws a pending violation. */
  check(): void;
  /** Checks once more, then detaches. */
  stop(): void;
}

const describeTask = (task: TaskInfo): string =>
  `${task.id} ${task.name} ${task.target} ${task.status}${task.error !== undefined ? `: ${task.error}` : ''} (by ${task.initiator})`;

/**
 * Attaches the vSphere invariant checker to a vCenter. On every task end and power event:
 *
 * - `vmdk-single-writer`: no VMDK is in the configuration of two powered-on VMs (each
 *   would hold its lock) unless `isShareable` says it is a multi-writer disk.
 * - `data-until-deleted`: every VMDK seen before is still there, the same file, with at
 *   least the keys the guest had written — unless a deletion (`fileDeleted$`) took it.
 *
 * Cost per task end: nothing for what vCenter's change counts say is as the last check
 * read it (the VMs; the files; their contents); for what changed, the changed VMs' disks
 * (and every VM when one of them shares a disk), the files created or deleted, and
 * O(files) key counts after a guest wrote (a zone failure at 1,000 nodes ends ~8,300 tasks).
 *
 * @example
 * ```ts
 * const checker = checkVsphereInvariants(env.vcenter); // throws on the first break
 * env.cluster.sim.clock.runFor(600_000);
 * checker.stop();
 * ```
 */
export const checkVsphereInvariants = (vcenter: Vcenter, options: VsphereInvariantOptions = {}): VsphereInvariantChecker => {
  const historyLines = options.historyLines ?? 10;
  const isShareable = options.isShareable ?? (() => false);
  const violations: InvariantViolation[] = [];
  const reported = new Set<string>();
  let pendingThrow: InvariantViolation | undefined;
  // Power events and deletions are not tasks: kept apart to show them in histories.
  const happenings: InvariantHistoryEntry[] = [];
  const happened = (entry: InvariantHistoryEntry): void => {
    happenings.push(entry);
    if (happenings.length > historyLines) happenings.shift();
  };
  const history = (): InvariantHistoryEntry[] => {
    const tasks = vcenter
      .recentTasks(historyLines)
      .map((task) => ({ t: task.completedAt ?? task.startedAt, what: `task ${describeTask(task)}` }));
    return [...tasks, ...happenings].sort((a, b) => a.t - b.t).slice(-historyLines);
  };

  const report = (rule: VsphereInvariantRule, key: string, detail: string): void => {
    if (reported.has(key)) return;
    reported.add(key);
    const violation = new InvariantViolation(rule, detail, vcenter.clock.now(), history());
    violations.push(violation);
    if (options.onViolation) options.onViolation(violation);
    else pendingThrow ??= violation;
  };
  const raisePending = (): void => {
    const violation = pendingThrow;
    pendingThrow = undefined;
    if (violation) throw violation;
  };

  // Each file as the last check saw it (in vCenter's order: files()), and how many keys it
  // held then: two maps of plain values, kept in place, so a check that finds nothing
  // allocates no record per file.
  const known = new Map<string, VmdkFile>();
  const knownKeys = new Map<string, number>();
  const deleted = new Set<string>();
  const remember = (path: string, file: VmdkFile | undefined): void => {
    known.delete(path);
    knownKeys.delete(path);
    if (file === undefined) return;
    known.set(path, file);
    knownKeys.set(path, file.content.size);
  };
  for (const file of vcenter.files()) remember(file.path, file);
  // What changed since the last check, by vCenter's change counts: after a task that
  // changed no VM and no file (most of a zone failure's, which end by the thousand) a check
  // reads nothing but, if a file's content was written, the files' key counts; after one
  // that created or deleted a file, that file (filesChangedSince).
  const vmChanges = new VmChanges(vcenter);
  let filesRead = vcenter.fileChanges;
  let contentsRead = vcenter.contentChanges;

  // The first powered-on VM with each disk open; a second one is rare (a violation) and
  // only then gets a list.
  const openBy = new Map<string, VirtualMachine>();
  const check = (): void => {
    checkOpenDisks();
    if (vcenter.fileChanges !== filesRead) {
      const paths = vcenter.filesChangedSince(filesRead);
      filesRead = vcenter.fileChanges;
      checkFiles(paths ?? [...new Set([...known.keys(), ...vcenter.files().map((f) => f.path)])]);
    }
    // Every other file is the object the last check read: only keys can have gone from
    // it, and only if a file's content was written.
    if (vcenter.contentChanges !== contentsRead) {
      contentsRead = vcenter.contentChanges;
      for (const [path, was] of known) {
        const keys = knownKeys.get(path) ?? 0;
        const size = was.content.size;
        knownKeys.set(path, size);
        if (!deleted.has(path) && size < keys) lostKeys(was, keys);
      }
    }
    deleted.clear();
  };

  /** `file` holds fewer keys than the `keys` the last check counted. */
  const lostKeys = (file: VmdkFile, keys: number): void => {
    const { path, uuid } = file;
    const size = file.content.size;
    report('data-until-deleted', `lost ${path} ${uuid} ${size}`, `data written to ${path} vanished without a delete: ${keys - size} of ${keys} keys gone`);
  };

  /** Whether powered-on `vm` has a disk some other powered-on VM has too. */
  const sharesADisk = (vm: VirtualMachine): boolean =>
    vm.powerState === 'poweredOn' && vm.disks.some((disk) => vcenter.vmsWithDisk(disk.fileName).filter((holder) => holder.powerState === 'poweredOn').length > 1);

  /**
   * vmdk-single-writer over every powered-on VM, when a VM changed since the last check
   * into one that shares a disk: a disk open twice that no changed VM has was open twice
   * at the last check too, and reported then (or shareable).
   */
  const checkOpenDisks = (): void => {
    let suspect = false;
    vmChanges.look((vm) => {
      suspect ||= sharesADisk(vm);
    });
    if (suspect) reportOpenDisks(vcenter.vms());
  };

  /** vmdk-single-writer over every powered-on VM of `vms` (vcenter.vms()). */
  const reportOpenDisks = (vms: readonly VirtualMachine[]): void => {
    openBy.clear();
    let shared: Map<string, VirtualMachine[]> | undefined;
    for (const vm of vms) {
      if (vm.powerState !== 'poweredOn') continue;
      for (const disk of vm.disks) {
        const first = openBy.get(disk.fileName);
        if (first === undefined) {
          openBy.set(disk.fileName, vm);
          continue;
        }
        shared ??= new Map();
        const vms = shared.get(disk.fileName);
        if (vms) vms.push(vm);
        else shared.set(disk.fileName, [first, vm]);
      }
    }
    // In the order the disks were first seen open, as the report order has always been.
    if (shared !== undefined) {
      for (const path of openBy.keys()) {
        const vms = shared.get(path);
        if (vms === undefined || isShareable(path, vms)) continue;
        const names = vms.map((vm) => vm.name).sort();
        report('vmdk-single-writer', `open ${path} ${names.join(',')}`, `${path} is open by ${vms.length} powered-on VMs (${names.join(', ')}) and is not a multi-writer disk`);
      }
    }
  };

  /**
   * data-until-deleted over the files at `paths` (those added or removed since the last
   * check, each path once or more) that the last check saw, then what is there now.
   */
  const checkFiles = (paths: readonly string[]): void => {
    const looked = new Set<string>();
    for (const path of paths) {
      if (looked.has(path)) continue;
      looked.add(path);
      const was = known.get(path);
      const now = vcenter.file(path);
      if (was !== undefined && !deleted.has(path)) {
        const keys = knownKeys.get(path) ?? 0;
        if (now === undefined) {
          report('data-until-deleted', `gone ${path} ${was.uuid}`, `${path} vanished from the datastore without a task deleting it`);
        } else if (now !== was || now.content !== was.content) {
          report('data-until-deleted', `replaced ${path} ${was.uuid}`, `${path} was replaced (disk uuid ${was.uuid} → ${now.uuid}) without a task deleting it`);
        } else if (now.content.size < keys) {
          lostKeys(now, keys);
        }
      }
      if (now !== was) remember(path, now);
    }
  };

  const untask = vcenter.tasks.onTask((task) => {
    if (task.status === 'Running') return;
    check();
    raisePending();
  });
  const subscriptions: Subscription[] = [
    vcenter.powerEvents$.subscribe((event) => {
      happened({ t: event.at, what: `power ${event.kind} ${event.vm}` });
      check();
    }),
    vcenter.fileDeleted$.subscribe((event) => {
      happened({ t: event.at, what: `deleted ${event.path}${event.vm !== undefined ? ` (device removed from ${event.vm})` : ''}` });
      deleted.add(event.path);
    }),
  ];

  return {
    violations,
    check: () => {
      check();
      raisePending();
    },
    stop: () => {
      try {
        check();
        raisePending();
      } finally {
        untask();
        subscriptions.forEach((s) => s.unsubscribe());
      }
    },
  };
};
