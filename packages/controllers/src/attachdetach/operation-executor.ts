// The attach, detach and verify operations the attach/detach controller starts, as
// upstream's pkg/volume/util/operationexecutor/{operation_executor.go,
// operation_generator.go} (k/k v1.28: GenerateAttachVolumeFunc, GenerateDetachVolumeFunc,
// verifyVolumeIsSafeToDetach, GenerateVolumesAreAttachedFunc) and, for plugins that work
// through VolumeAttachment objects, pkg/volume/csi/csi_attacher.go (Attach, Detach,
// getAttachmentName). Storage reference §3.4–§3.6, §5 (VolumeAttachment names), §7.
//
// The CSI external-attacher sidecar (kubernetes-csi/external-attacher) is modelled inside
// this executor: creating a VolumeAttachment calls the plugin's attach at once and writes
// the outcome to the object's status; a detach calls the plugin's detach and deletes the
// object when it succeeds (the sidecar's finalizer is not modelled).
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { tap, type Observable, type Subscription } from 'rxjs';
import type { PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import type { VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import type { ApiClient, EventRecorder, SimClock } from '@failsim/core';
import type { AttachableVolumePlugin } from '../storage/volume-plugin.js';
import type { ActualStateOfWorld } from './actual-state-of-world.js';
import { operationKey, type NestedPendingOperations } from './nested-pending-operations.js';

/** Event reasons of the attach/detach controller (pkg/kubelet/events/event.go). */
export const ATTACH_EVENT_REASONS = {
  successfulAttachVolume: 'SuccessfulAttachVolume',
  failedAttachVolume: 'FailedAttachVolume',
} as const;

/** VolumeToAttach.GenerateMsg's simple form: `<prefix> for volume "<pv>" <suffix>`. */
export const volumeMessage = (prefix: string, pvName: string, suffix: string): string => `${prefix} for volume "${pvName}" ${suffix}`;

/** The event of a successful attach: `AttachVolume.Attach succeeded for volume "<pv>" ` (the trailing space is upstream's). */
export const attachSucceededMessage = (pvName: string): string => volumeMessage('AttachVolume.Attach succeeded', pvName, '');

/** The event of a failed attach: `AttachVolume.Attach failed for volume "<pv>" : <plugin error>`. */
export const attachFailedMessage = (pvName: string, error: string): string => volumeMessage('AttachVolume.Attach failed', pvName, `: ${error}`);

/** Whether a PV may be attached to several nodes (IsMultiAttachAllowed): no access modes, or ReadWriteMany / ReadOnlyMany. */
export const isMultiAttachAllowed = (pv: PersistentVolume): boolean => {
  const modes = pv.spec?.accessModes ?? [];
  if (modes.length === 0) return true;
  return modes.includes('ReadWriteMany') || modes.includes('ReadOnlyMany');
};

/** The volume handle a CSI driver knows the volume by (for in-tree vSphere PVs under migration, the VMDK path). */
export const volumeHandle = (pv: PersistentVolume): string =>
  pv.spec?.csi?.volumeHandle ?? pv.spec?.vsphereVolume?.volumePath ?? pv.metadata?.name ?? '';

/** getAttachmentName: `csi-` + hex SHA-256 of volume handle, driver name and node name. */
export const attachmentName = (handle: string, driver: string, nodeName: string): string =>
  `csi-${createHash('sha256').update(`${handle}${driver}${nodeName}`).digest('hex')}`;

/** Plugin errors are messages; anything else is turned into one. */
const messageOf = (error: unknown): string =>
  typeof error === 'string' ? error : error instanceof Error ? error.message : String(error);

/** An attached volume as the detach operation needs it. */
export interface VolumeToDetach {
  readonly volumeName: string;
  readonly pv: PersistentVolume;
  readonly nodeName: string;
}

/** What the executor works with. */
export interface OperationExecutorDeps {
  readonly clock: SimClock;
  readonly client: ApiClient;
  readonly recorder: EventRecorder;
  readonly asw: ActualStateOfWorld;
  readonly pending: NestedPendingOperations;
  /** Owner shown on timers. */
  readonly owner: string;
  /** Called when an operation ended (so the reconciler can plan its next pass). */
  readonly onComplete: () => void;
}

/** Starts attach/detach operations and the periodic verification (OperationExecutor). */
export class OperationExecutor {
  readonly #d: OperationExecutorDeps;
  readonly #running = new Set<Subscription>();

  constructor(deps: OperationExecutorDeps) {
    this.#d = deps;
  }

  /**
   * AttachVolume: attaches through the plugin (or a VolumeAttachment). Success marks the
   * attachment confirmed and tells every scheduled pod SuccessfulAttachVolume; failure
   * marks it Uncertain, tells them FailedAttachVolume and backs the key off. False when an
   * operation for the key is running or backing off.
   */
  attachVolume(plugin: AttachableVolumePlugin, volumeName: string, pv: PersistentVolume, nodeName: string, scheduledPods: readonly Pod[]): boolean {
    const { clock, asw, pending, recorder } = this.#d;
    const key = operationKey(volumeName, nodeName, isMultiAttachAllowed(pv));
    if (!pending.start(key, clock.now())) return false;
    const pvName = pv.metadata?.name ?? '';
    let devicePath = '';
    const op = plugin.usesVolumeAttachments ? this.#csiAttach(plugin, pv, nodeName) : plugin.attach(pv, nodeName);
    this.#run(op, {
      next: (path) => {
        devicePath = path;
      },
      error: (error) => {
        const message = messageOf(error);
        asw.markVolumeAsUncertain(volumeName, pv, nodeName);
        for (const pod of scheduledPods) recorder.event(pod, 'Warning', ATTACH_EVENT_REASONS.failedAttachVolume, attachFailedMessage(pvName, message));
        pending.complete(key, clock.now(), message);
      },
      complete: () => {
        asw.markVolumeAsAttached(volumeName, pv, nodeName, devicePath);
        for (const pod of scheduledPods) recorder.event(pod, 'Normal', ATTACH_EVENT_REASONS.successfulAttachVolume, attachSucceededMessage(pvName));
        pending.complete(key, clock.now());
      },
    });
    return true;
  }

  /**
   * DetachVolume: with `verifySafeToDetach`, first refuses while the Node's status lists the
   * volume in use (a missing Node skips the check); then detaches. Success removes the
   * attachment; any failure marks it Uncertain and backs off, without an event (upstream's
   * detach has no event recorder). False when an operation for the key is running or backing off.
   */
  detachVolume(plugin: AttachableVolumePlugin, volume: VolumeToDetach, verifySafeToDetach: boolean): boolean {
    const { clock, asw, pending } = this.#d;
    const { volumeName, pv, nodeName } = volume;
    const key = operationKey(volumeName, nodeName, isMultiAttachAllowed(pv));
    if (!pending.start(key, clock.now())) return false;
    const fail = (message: string): void => {
      asw.markVolumeAsUncertain(volumeName, pv, nodeName);
      pending.complete(key, clock.now(), message);
    };
    if (verifySafeToDetach) {
      const unsafe = this.#verifyVolumeIsSafeToDetach(volumeName, pv, nodeName);
      if (E.isLeft(unsafe)) {
        // The check runs inside the operation upstream, so its failure is seen asynchronously.
        clock.schedule(0, () => {
          fail(unsafe.left);
          this.#d.onComplete();
        }, { owner: this.#d.owner, purpose: `detach of ${pv.metadata?.name ?? ''} from ${nodeName} refused` });
        return true;
      }
    }
    const op = plugin.usesVolumeAttachments ? this.#csiDetach(plugin, pv, nodeName) : plugin.detach(pv, nodeName);
    this.#run(op, {
      error: (error) => fail(messageOf(error)),
      complete: () => {
        asw.markVolumeAsDetached(volumeName, nodeName);
        pending.complete(key, clock.now());
      },
    });
    return true;
  }

  /**
   * VerifyVolumesAreAttached for one node and plugin: every volume the plugin says is not
   * attached is marked detached. Errors change nothing and raise no event.
   */
  verifyVolumesAreAttached(plugin: AttachableVolumePlugin, volumes: readonly VolumeToDetach[], nodeName: string): void {
    if (volumes.length === 0) return;
    const answer = plugin.volumesAreAttached(volumes.map((v) => v.pv), nodeName);
    for (const v of volumes) {
      // The vSphere plugin answers by PV name; accept the unique name too.
      const attached = answer.get(v.pv.metadata?.name ?? '') ?? answer.get(v.volumeName);
      if (attached === false) this.#d.asw.markVolumeAsDetached(v.volumeName, nodeName);
    }
  }

  /** Cancels every running operation. */
  stop(): void {
    for (const s of this.#running) s.unsubscribe();
    this.#running.clear();
  }

  #run<T>(op: Observable<T>, handlers: { next?: (value: T) => void; error: (error: unknown) => void; complete: () => void }): void {
    let done = false;
    const holder: { subscription?: Subscription } = {};
    const finish = (): void => {
      done = true;
      if (holder.subscription) this.#running.delete(holder.subscription);
      this.#d.onComplete();
    };
    const subscription = op.subscribe({
      next: (value) => handlers.next?.(value),
      error: (error: unknown) => {
        handlers.error(error);
        finish();
      },
      complete: () => {
        handlers.complete();
        finish();
      },
    });
    holder.subscription = subscription;
    if (!done) this.#running.add(subscription);
  }

  #verifyVolumeIsSafeToDetach(volumeName: string, pv: PersistentVolume, nodeName: string): E.Either<string, void> {
    const node = this.#d.client.get('Node', nodeName);
    const pvName = pv.metadata?.name ?? '';
    if (E.isLeft(node)) {
      // "Node not found on API server. DetachVolume will skip safe to detach check"
      if (node.left.reason === 'NotFound') return E.right(undefined);
      return E.left(volumeMessage('DetachVolume failed fetching node from API server', pvName, `: ${node.left.message}`));
    }
    if ((node.right.status?.volumesInUse ?? []).includes(volumeName)) {
      return E.left(volumeMessage('DetachVolume failed', pvName, ': volume is still in use by node, according to Node status'));
    }
    return E.right(undefined);
  }

  /** csi_attacher.Attach with the external attacher folded in. */
  #csiAttach(plugin: AttachableVolumePlugin, pv: PersistentVolume, nodeName: string): Observable<string> {
    const { client, clock } = this.#d;
    const name = attachmentName(volumeHandle(pv), plugin.name, nodeName);
    const va: VolumeAttachment = {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'VolumeAttachment',
      metadata: { name },
      spec: { attacher: plugin.name, nodeName, source: { persistentVolumeName: pv.metadata?.name ?? '' } },
      status: { attached: false },
    };
    // AlreadyExists is fine: the object of an earlier attempt is reused, as csi_attacher does.
    client.create('VolumeAttachment', va);
    const writeStatus = (status: VolumeAttachment['status']): void => {
      const current = client.get('VolumeAttachment', name);
      if (E.isLeft(current)) return;
      client.updateStatus('VolumeAttachment', { ...current.right, status: { attached: false, ...status } });
    };
    return plugin.attach(pv, nodeName).pipe(
      tap({
        next: (devicePath) => writeStatus({ attached: true, attachmentMetadata: { devicePath } }),
        error: (error: unknown) => writeStatus({ attached: false, attachError: { time: clock.iso(), message: messageOf(error) } }),
      }),
    );
  }

  /** csi_attacher.Detach with the external attacher folded in. */
  #csiDetach(plugin: AttachableVolumePlugin, pv: PersistentVolume, nodeName: string): Observable<void> {
    const { client, clock } = this.#d;
    const name = attachmentName(volumeHandle(pv), plugin.name, nodeName);
    return plugin.detach(pv, nodeName).pipe(
      tap({
        complete: () => {
          client.delete('VolumeAttachment', name);
        },
        error: (error: unknown) => {
          const current = client.get('VolumeAttachment', name);
          if (E.isLeft(current)) return;
          client.updateStatus('VolumeAttachment', {
            ...current.right,
            status: { attached: current.right.status?.attached ?? false, ...current.right.status, detachError: { time: clock.iso(), message: messageOf(error) } },
          });
        },
      }),
    );
  }
}
