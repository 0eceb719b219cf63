// The attach/detach controller's reconciler, as upstream's
// pkg/controller/volume/attachdetach/reconciler/reconciler.go (k/k v1.28, afd5df58; the
// pre-1.25 force-detach rule from the diff of k/k PR #110721): every 100 ms a pass detaches
// what is attached but no longer desired, then attaches what is desired but not attached,
// then writes node status; every 60 s it asks the plugins whether the attached volumes
// really are. Storage reference §3.4, §3.5, §3.7, §3.9.
//
// Upstream's loop ticks every 100 ms forever. Here a pass runs only on the 100 ms grid
// anchored at the controller's start, and only when something may have changed: a change
// of the desired or actual state or of a Node, the end of an operation, the end of a
// back-off, or the 6-min unmount timeout. So outcomes land on the same ticks as upstream's
// while an idle cluster costs nothing.
import type { Node, PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { EventRecorder, Informer, SimClock, TimerHandle } from '@failsim/core';
import type { VersionProfile } from '../profiles/profile.js';
import { every, type Periodic } from '../runtime/periodic.js';
import { isNodeReady, TAINTS } from '../runtime/pod-util.js';
import { findPlugin, type AttachableVolumePlugin } from '../storage/volume-plugin.js';
import type { ActualStateOfWorld, AttachedVolume } from './actual-state-of-world.js';
import type { DesiredStateOfWorld, VolumeToAttach } from './desired-state-of-world.js';
import { operationKey, type NestedPendingOperations } from './nested-pending-operations.js';
import type { NodeStatusUpdater } from './node-status-updater.js';
import { ATTACH_EVENT_REASONS, isMultiAttachAllowed, volumeMessage, type OperationExecutor, type VolumeToDetach } from './operation-executor.js';

/** Why a detach skipped the safe-to-detach check (metric attachdetach_controller_forced_detaches, reason label). */
export type ForcedDetachReason = 'timeout' | 'out-of-service';

/** A forced detach, as the controller's log and metric record it. */
export interface ForcedDetach {
  readonly at: number;
  readonly volumeName: string;
  readonly nodeName: string;
  readonly reason: ForcedDetachReason;
}

/** The Multi-Attach message for a pod in `namespace` (reportMultiAttachError). */
export const multiAttachMessage = (pvName: string, namespace: string, podsElsewhere: readonly { namespace: string; name: string }[]): string => {
  if (podsElsewhere.length === 0) {
    return volumeMessage('Multi-Attach error', pvName, "Volume is already exclusively attached to one node and can't be attached to another");
  }
  const local = podsElsewhere.filter((p) => p.namespace === namespace).map((p) => p.name);
  const others = podsElsewhere.length - local.length;
  let suffix: string;
  if (local.length > 0) {
    suffix = `Volume is already used by pod(s) ${local.join(', ')}`;
    if (others > 0) suffix = `${suffix} and ${others} pod(s) in different namespaces`;
  } else suffix = `Volume is already used by ${others} pod(s) in different namespaces`;
  return volumeMessage('Multi-Attach error', pvName, suffix);
};

/** One plugin's confirmed attachments on one node, as the 60 s verification asks about them. */
export interface VerifyGroup {
  readonly plugin: AttachableVolumePlugin;
  readonly nodeName: string;
  readonly volumes: readonly VolumeToDetach[];
}

/** What the reconciler works with. */
export interface ReconcilerDeps {
  readonly clock: SimClock;
  readonly profile: VersionProfile;
  readonly dsw: DesiredStateOfWorld;
  readonly asw: ActualStateOfWorld;
  readonly executor: OperationExecutor;
  readonly pending: NestedPendingOperations;
  readonly statusUpdater: NodeStatusUpdater;
  readonly nodes: Informer<'Node'>;
  readonly recorder: EventRecorder;
  readonly plugins: readonly AttachableVolumePlugin[];
  /** The PV of a volume the actual state knows only by name (after a start-up rebuild). */
  readonly pvFor: (volumeName: string) => PersistentVolume | undefined;
  /** Owner shown on timers. */
  readonly owner: string;
}

/** The reconciler. {@link wake} asks for a pass at the next 100 ms tick. */
export class Reconciler {
  readonly #d: ReconcilerDeps;
  readonly #period: number;
  #origin = 0;
  #lastPassAt = Number.NEGATIVE_INFINITY;
  #timer: TimerHandle | undefined;
  #sync: Periodic | undefined;
  #inPass = false;
  #inSync = false;
  #running = false;
  /** The 60 s verification's grouping, with the actual state's attachmentsVersion it was built at. */
  #verifyCache: { version: number; groups: readonly VerifyGroup[] } | undefined;
  /** Passes run so far (for tests and the dashboard). */
  passes = 0;
  /** Every forced detach, in order. */
  readonly forcedDetaches: ForcedDetach[] = [];

  /** An attachment the desired state does not want (made once: every pass asks). */
  readonly #undesired = (volumeName: string, nodeName: string): boolean => !this.#d.dsw.volumeExists(volumeName, nodeName);

  /**
   * #attach's first case, taken while the pass lists what to attach: an attachment already
   * made only has its detach timer reset. Exact, because nothing the attach loop does can
   * change whether another (volume, node) is Attached, and nothing in it reads the timer.
   */
  readonly #alreadyAttached = (volumeName: string, nodeName: string): boolean => {
    if (this.#d.asw.getAttachState(volumeName, nodeName) !== 'Attached') return false;
    this.#d.asw.resetDetachRequestTime(volumeName, nodeName);
    return true;
  };

  constructor(deps: ReconcilerDeps) {
    this.#d = deps;
    this.#period = deps.profile.options.attachDetachReconcilerLoopPeriod;
  }

  /** Starts the loop: a pass now, and the 60 s verification (unless its period is 0). */
  start(): void {
    this.#running = true;
    this.#origin = this.#d.clock.now();
    this.wake();
    const syncPeriod = this.#d.profile.options.attachDetachReconcileSyncPeriod;
    if (syncPeriod > 0) {
      this.#sync = every(this.#d.clock, syncPeriod, { owner: this.#d.owner, purpose: 'verify attached volumes (attach-detach-reconcile-sync-period)' }, () => this.sync(), syncPeriod);
    }
  }

  /** Stops the loop. */
  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#sync?.stop();
  }

  /** Something changed: run a pass at the next tick of the 100 ms grid (not the one that already ran). */
  wake(): void {
    if (!this.#running || this.#inPass) return;
    const now = this.#d.clock.now();
    this.#scheduleAt(this.#nextTick(this.#inSync ? now + 1 : now));
  }

  /** One pass: detach, attach, node status (reconcile). */
  reconcile(): void {
    const { clock, asw, dsw, statusUpdater } = this.#d;
    const now = clock.now();
    this.#lastPassAt = now;
    this.passes++;
    this.#inPass = true;
    let next = Number.POSITIVE_INFINITY;
    const want = (at: number | undefined): void => {
      if (at !== undefined) next = Math.min(next, at);
    };
    try {
      // Detaches first, so a volume of a pod rescheduled elsewhere is freed before it is attached there.
      // Most passes have nothing to detach: the snapshot of views is taken only when some
      // attachment is undesired (when none is, the loop would only `continue`).
      if (asw.someAttachedVolume(this.#undesired)) {
        for (const attached of asw.getAttachedVolumes()) {
          if (dsw.volumeExists(attached.volumeName, attached.nodeName)) continue;
          want(this.#detach(attached, now));
        }
      }
      for (const volume of dsw.getVolumesToAttach(this.#alreadyAttached)) want(this.#attach(volume, now));
      statusUpdater.updateNodeStatuses();
      if (asw.statusUpdateNeeded) want(now + this.#period);
    } finally {
      this.#inPass = false;
    }
    if (next !== Number.POSITIVE_INFINITY) this.#scheduleAt(this.#nextTick(Math.max(next, now + 1)));
  }

  /** The 60 s sync: ask each plugin whether the confirmed attachments are real; a "no" marks them detached. */
  sync(): void {
    // Upstream syncs at the end of a tick, so what it changes is acted on at the next tick.
    this.#inSync = true;
    try {
      this.#verifyAll();
    } finally {
      this.#inSync = false;
    }
  }

  #verifyAll(): void {
    for (const { plugin, nodeName, volumes } of this.#verifyGroups()) this.#d.executor.verifyVolumesAreAttached(plugin, volumes, nodeName);
  }

  /**
   * The confirmed attachments grouped by node and plugin, as {@link Reconciler.verifyGroupsFresh}
   * builds them, kept while the actual state's attachments do not change (a settled
   * cluster: every minute, the walk over every attachment of the cluster found the same).
   * Not kept when some PV had to be looked up by name: that lookup can change on its own.
   */
  #verifyGroups(): readonly VerifyGroup[] {
    const version = this.#d.asw.attachmentsVersion;
    if (this.#verifyCache?.version === version) return this.#verifyCache.groups;
    const built = this.verifyGroupsFresh();
    this.#verifyCache = built.cacheable ? { version, groups: built.groups } : undefined;
    return built.groups;
  }

  /**
   * The grouping the 60 s verification asks the plugins about, built from a walk of the
   * actual state (exported for the spec that compares it with the kept one).
   */
  verifyGroupsFresh(): { groups: VerifyGroup[]; cacheable: boolean } {
    // Groups in the order of their first volume (volumes in name order), found by node then
    // plugin: every attachment of the cluster passes here each minute, so no key strings.
    // A node's groups (one per plugin, mostly one) are chained from its first: one map for
    // the pass rather than a map per node. The walk only reads; the plugins are asked after.
    type Group = VerifyGroup & { volumes: VolumeToDetach[]; next: Group | undefined };
    const groups: Group[] = [];
    const byNode = new Map<string, Group>();
    let cacheable = true;
    this.#d.asw.forEachAttachedVolume((volumeName, nodeName, knownPv, attachedConfirmed) => {
      if (!attachedConfirmed) return;
      if (!knownPv) cacheable = false;
      const pv = knownPv ?? this.#d.pvFor(volumeName);
      const plugin = pv && findPlugin(this.#d.plugins, pv);
      if (!pv || !plugin) return;
      const first = byNode.get(nodeName);
      let group = first;
      while (group && group.plugin.name !== plugin.name) group = group.next;
      if (!group) {
        group = { plugin, nodeName, volumes: [], next: undefined };
        if (first) {
          let last = first;
          while (last.next) last = last.next;
          last.next = group;
        } else byNode.set(nodeName, group);
        groups.push(group);
      }
      group.volumes.push({ volumeName, pv, nodeName });
    });
    return { groups, cacheable };
  }

  /** One undesired attachment; returns when to look again, if time alone can change the outcome. */
  #detach(attached: AttachedVolume, now: number): number | undefined {
    const { asw, pending, profile, statusUpdater, executor } = this.#d;
    const { volumeName, nodeName } = attached;
    const pv = attached.pv ?? this.#d.pvFor(volumeName);
    const plugin = pv && findPlugin(this.#d.plugins, pv);
    if (!pv || !plugin) return undefined;
    const key = operationKey(volumeName, nodeName, isMultiAttachAllowed(pv));
    const retryAt = pending.retryAt(key, now);
    if (retryAt === undefined) return undefined; // running: its end wakes the loop
    if (retryAt > now) return retryAt;
    if (asw.getAttachState(volumeName, nodeName) === 'Detached') return undefined;

    const elapsed = asw.setDetachRequestTime(volumeName, nodeName, now);
    const maxWait = profile.options.maxWaitForUnmountDuration;
    // Upstream compares elapsed > maxWait on a sliding loop whose ticks drift past the 6 min mark; ticks here are exact.
    const maxWaitExpired = elapsed >= maxWait;
    const forceDetachTimeoutExpired = maxWaitExpired && !profile.options.disableForceDetachOnTimeout;
    const node = this.#d.nodes.get(nodeName);
    const forceDetach = profile.behaviours.forceDetachRequiresUnhealthyNode
      ? !this.#isHealthy(node) && forceDetachTimeoutExpired
      : forceDetachTimeoutExpired;
    const outOfService = profile.features.NodeOutOfServiceVolumeDetach && (node?.spec?.taints ?? []).some((t) => t.key === TAINTS.outOfService);

    if (attached.mountedByNode && !forceDetach && !outOfService) {
      // "Cannot detach volume because it is still mounted": look again when the timer runs out.
      return maxWaitExpired || profile.options.disableForceDetachOnTimeout ? undefined : now - elapsed + maxWait;
    }

    // Stop reporting it attached, and say so in node status, before detaching.
    asw.removeVolumeFromReportAsAttached(volumeName, nodeName);
    if (statusUpdater.updateNodeStatusForNode(nodeName)._tag === 'Left') {
      asw.addVolumeToReportAsAttached(volumeName, nodeName);
      return now + this.#period;
    }
    const skipSafeToDetach = forceDetachTimeoutExpired || outOfService;
    if (forceDetach || outOfService) {
      this.forcedDetaches.push({ at: now, volumeName, nodeName, reason: outOfService ? 'out-of-service' : 'timeout' });
    }
    executor.detachVolume(plugin, { volumeName, pv, nodeName }, !skipSafeToDetach);
    return undefined;
  }

  /** One desired (volume, node); returns when to look again, if time alone can change the outcome. */
  #attach(volume: VolumeToAttach, now: number): number | undefined {
    const { asw, dsw, pending, executor } = this.#d;
    const { volumeName, nodeName, pv } = volume;
    if (asw.getAttachState(volumeName, nodeName) === 'Attached') {
      asw.resetDetachRequestTime(volumeName, nodeName);
      return undefined;
    }
    const plugin = findPlugin(this.#d.plugins, pv);
    if (!plugin) return undefined;
    const multiAttachAllowed = isMultiAttachAllowed(pv);
    const key = operationKey(volumeName, nodeName, multiAttachAllowed);
    if (pending.isOperationPending(key)) return undefined;
    if (!multiAttachAllowed) {
      const nodes = asw.getNodesForAttachedVolume(volumeName);
      if (nodes.length > 0) {
        if (!volume.multiAttachErrorReported) {
          this.#reportMultiAttachError(volume, nodes);
          dsw.setMultiAttachError(volumeName, nodeName);
        }
        return undefined; // the other attachment's end changes the actual state, which wakes the loop
      }
    }
    const retryAt = pending.retryAt(key, now);
    if (retryAt !== undefined && retryAt > now) return retryAt;
    executor.attachVolume(plugin, volumeName, pv, nodeName, volume.scheduledPods);
    return undefined;
  }

  #reportMultiAttachError(volume: VolumeToAttach, nodes: readonly string[]): void {
    const otherNodes = nodes.filter((n) => n !== volume.nodeName);
    const podsElsewhere = this.#d.dsw
      .getVolumePodsOnNodes(otherNodes, volume.volumeName)
      .map((p) => ({ namespace: p.metadata?.namespace ?? 'default', name: p.metadata?.name ?? '' }));
    const pvName = volume.pv.metadata?.name ?? '';
    for (const pod of volume.scheduledPods) {
      const message = multiAttachMessage(pvName, pod.metadata?.namespace ?? 'default', podsElsewhere);
      this.#d.recorder.event(pod, 'Warning', ATTACH_EVENT_REASONS.failedAttachVolume, message);
    }
  }

  /** nodeIsHealthy: the Node exists and is Ready (a missing Node is unhealthy). */
  #isHealthy(node: Node | undefined): boolean {
    return node !== undefined && isNodeReady(node);
  }

  /** The first tick of the grid at or after `t` that has not run yet. */
  #nextTick(t: number): number {
    const k = Math.ceil((t - this.#origin) / this.#period);
    let tick = this.#origin + Math.max(0, k) * this.#period;
    if (tick <= this.#lastPassAt) tick = this.#lastPassAt + this.#period;
    return tick;
  }

  #scheduleAt(at: number): void {
    if (this.#timer?.active && this.#timer.dueAt <= at) return;
    this.#timer?.cancel();
    this.#timer = this.#d.clock.scheduleAt(at, () => this.reconcile(), { owner: this.#d.owner, purpose: 'attach/detach reconciler pass (100 ms loop)' });
  }
}
