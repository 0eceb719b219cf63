// The kubelet volume manager's reconciler: pkg/kubelet/volumemanager/reconciler/
// reconciler.go · v1.12 (every 100 ms: unmount what no pod wants any more, verify and mount
// what pods want, forget volumes no longer used) with the operations of
// pkg/volume/util/operationexecutor/operation_generator.go (GenerateVerifyControllerAttachedVolumeFunc:
// the volume must first be reported in node.status.volumesInUse, then be listed in
// node.status.volumesAttached; GenerateMountVolumeFunc: WaitForAttach + MountDevice + SetUp,
// a failure is a FailedMount event; GenerateUnmountVolumeFunc). Operations of one volume
// never overlap and a failed one backs off (500 ms doubling to 2m2s). Attach and detach are
// the attach/detach controller's (controller-managed-attach-detach). Storage reference §4.
import * as E from 'fp-ts/lib/Either.js';
import type { ApiClient, EventRecorder, SimClock } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ActualStateOfWorld, MountedVolume } from './actual-state-of-world.js';
import type { DesiredStateOfWorld, VolumeToMount } from './desired-state-of-world.js';
import { IdleLoop } from './idle-loop.js';
import { NestedPendingOperations } from './nested-pending-operations.js';

/** reconcilerLoopSleepPeriod. */
export const RECONCILER_LOOP_SLEEP_PERIOD_MS = 100;

/** Construction options of {@link Reconciler}. */
export interface ReconcilerOptions {
  readonly clock: SimClock;
  readonly nodeName: string;
  /** The kubelet's client: the Node is read from the API server as the kubelet sees it. */
  readonly client: ApiClient;
  readonly recorder: EventRecorder;
  readonly desired: DesiredStateOfWorld;
  readonly actual: ActualStateOfWorld;
  /** Timer owner (kubelet/<node>). */
  readonly owner: string;
  /** A volume of pod `podUid` finished mounting. */
  readonly onMounted: (podUid: string) => void;
  /** A volume of pod `podUid` finished unmounting. */
  readonly onUnmounted: (podUid: string) => void;
}

const podDescription = (pod: Pod | undefined, uid: string): string => `pod "${pod?.metadata?.name ?? ''}" (UID: "${uid}")`;
/** VolumeSpec.Name(): the PV's name for a claim, else the pod's name for the volume. */
const specName = (v: VolumeToMount): string => v.pv?.metadata?.name ?? v.outerName;

/** Operation key: one operation of an attachable volume at a time, pod-scoped for the others. */
const opKey = (v: VolumeToMount): string => (v.attachable ? v.uniqueName : `${v.uniqueName}/${v.podUid}`);

/** The body of an operation that runs to its end at once (the verification): nothing to hold. */
const SYNCHRONOUS = (): undefined => undefined;

/** Drives mounts on the node towards the desired state. */
export class Reconciler {
  readonly #o: ReconcilerOptions;
  readonly #loop: IdleLoop;
  readonly #ops = new NestedPendingOperations();
  /**
   * Pods with a mount or unmount in progress, and how many: empty almost always, so created
   * on first use and dropped once empty (an empty Map per kubelet is ~190 bytes).
   */
  #podOperations: Map<string, number> | undefined;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
    this.#loop = new IdleLoop(options.clock, RECONCILER_LOOP_SLEEP_PERIOD_MS, { owner: options.owner, purpose: 'volume manager: reconciler' }, () => this.#reconcile());
  }

  /** Something changed: reconcile at the next tick. */
  wake(): void {
    this.#loop.wake();
  }

  /** The last error of the operation on `volume` while it backs off (upstream logs it). */
  lastError(volume: VolumeToMount): string | undefined {
    return this.#ops.lastError(opKey(volume));
  }

  /** Whether an operation on `volume` (e.g. a mount) is in progress. */
  isRunning(volume: VolumeToMount): boolean {
    return this.#ops.isRunning(opKey(volume));
  }

  /** Whether pod `uid` has a mount or unmount in progress. */
  hasOperationsFor(uid: string): boolean {
    return this.#podOperations?.has(uid) ?? false;
  }

  /** Stops the loop and cancels operations in progress (the kubelet process ended). */
  stop(): void {
    this.#loop.stop();
    this.#ops.clear();
    this.#podOperations = undefined;
  }

  /** Starts the loop again and reconciles at its first tick. */
  start(): void {
    this.#loop.start();
    this.#loop.wake();
  }

  #reconcile(): void {
    const { desired, actual } = this.#o;
    const now = this.#o.clock.now();
    let nextAt = Number.POSITIVE_INFINITY;
    const due = (key: string): boolean => {
      const at = this.#ops.retryAt(key);
      if (at === undefined) return false;
      if (at > now) {
        nextAt = Math.min(nextAt, at);
        return false;
      }
      return true;
    };
    // Ensure volumes that should be unmounted are unmounted.
    for (const mounted of actual.mountedVolumes()) {
      if (desired.hasVolume(mounted.podUid, mounted.outerName)) continue;
      if (!mounted.attachable) {
        actual.markUnmounted(mounted.podUid, mounted.outerName);
        this.#o.onUnmounted(mounted.podUid);
      } else if (due(opKey(mounted))) this.#unmount(mounted);
    }
    // Ensure volumes that should be attached and mounted are.
    for (const volume of desired.volumesToMount()) {
      if (actual.mounted(volume.podUid, volume.outerName)) continue;
      if (!volume.attachable) {
        actual.markMounted(volume, now);
        this.#o.onMounted(volume.podUid);
      } else if (due(opKey(volume))) {
        if (actual.isAttached(volume.uniqueName)) this.#mount(volume);
        else this.#verifyControllerAttachedVolume(volume);
      }
    }
    // Forget attached volumes nothing mounts or wants: the attach/detach controller detaches them.
    for (const uniqueName of actual.attachedVolumes()) {
      if (!desired.wantsVolume(uniqueName) && !actual.isMountedForAnyPod(uniqueName) && !this.#ops.isRunning(uniqueName)) actual.markDetached(uniqueName);
    }
    if (nextAt !== Number.POSITIVE_INFINITY) this.#loop.wake(nextAt);
  }

  /** GenerateVerifyControllerAttachedVolumeFunc: in use first, then attached per the Node's status. Neither failure raises an event. */
  #verifyControllerAttachedVolume(volume: VolumeToMount): void {
    const { client, nodeName, actual } = this.#o;
    const key = opKey(volume);
    this.#ops.start(key, SYNCHRONOUS);
    const node = client.get('Node', nodeName);
    if (E.isLeft(node)) return this.#verifyFailed(volume, key, `error fetching node from API server: ${node.left.message}`);
    // The kubelet marks a volume reported in use once a node status update carrying it succeeded.
    if (!(node.right.status?.volumesInUse ?? []).includes(volume.uniqueName)) {
      return this.#verifyFailed(volume, key, "Volume has not been added to the list of VolumesInUse in the node's volume status");
    }
    // A loop rather than find with a closure: a volume waiting to be attached is verified again at each retry.
    const volumesAttached = node.right.status?.volumesAttached ?? [];
    let attached: (typeof volumesAttached)[number] | undefined;
    for (let i = 0; i < volumesAttached.length && attached === undefined; i++) if (volumesAttached[i]!.name === volume.uniqueName) attached = volumesAttached[i];
    if (!attached) return this.#verifyFailed(volume, key, 'Volume not attached according to node status');
    actual.markAttached(volume.uniqueName, attached.devicePath);
    this.#ops.succeeded(key);
    this.#loop.wake();
  }

  /** A verification of `volume` failed with `message`: back off, and look again when it may retry. */
  #verifyFailed(volume: VolumeToMount, key: string, message: string): void {
    const detail = `VerifyControllerAttachedVolume failed for volume "${specName(volume)}" (UniqueName: "${volume.uniqueName}") ${podDescription(this.#o.desired.pod(volume.podUid), volume.podUid)} : ${message}`;
    this.#ops.failed(key, this.#o.clock.now(), detail);
    this.#loop.wake(this.#ops.retryAt(key));
  }

  #track(uid: string, delta: 1 | -1): void {
    const n = (this.#podOperations?.get(uid) ?? 0) + delta;
    if (n > 0) (this.#podOperations ??= new Map<string, number>()).set(uid, n);
    else if (this.#podOperations?.delete(uid) === true && this.#podOperations.size === 0) this.#podOperations = undefined;
  }

  /** GenerateMountVolumeFunc through the plugin; a failure is a FailedMount event on the pod. */
  #mount(volume: VolumeToMount): void {
    const { plugin, pv } = volume;
    if (!plugin || !pv) return;
    const key = opKey(volume);
    const { clock, nodeName, actual, recorder, desired } = this.#o;
    this.#track(volume.podUid, 1);
    this.#ops.start(key, () =>
      plugin.mount(pv, nodeName, volume.podUid).subscribe({
        error: (err: unknown) => {
          const message = `MountVolume.MountDevice failed for volume "${specName(volume)}" : ${err instanceof Error ? err.message : String(err)}`;
          this.#ops.failed(key, clock.now(), message);
          this.#track(volume.podUid, -1);
          const pod = desired.pod(volume.podUid);
          if (pod) recorder.event(pod, 'Warning', 'FailedMount', message);
          this.#loop.wake();
        },
        complete: () => {
          this.#ops.succeeded(key);
          this.#track(volume.podUid, -1);
          actual.markMounted(volume, clock.now());
          this.#o.onMounted(volume.podUid);
          this.#loop.wake();
        },
      }),
    );
  }

  /** GenerateUnmountVolumeFunc (and UnmountDevice with the last pod) through the plugin; failures are only retried. */
  #unmount(mounted: MountedVolume): void {
    const { plugin, pv } = mounted;
    if (!plugin || !pv) return;
    const key = opKey(mounted);
    const { clock, nodeName, actual } = this.#o;
    this.#track(mounted.podUid, 1);
    this.#ops.start(key, () =>
      plugin.unmount(pv, nodeName, mounted.podUid).subscribe({
        error: (err: unknown) => {
          this.#track(mounted.podUid, -1);
          this.#ops.failed(key, clock.now(), `UnmountVolume.TearDown failed for volume "${specName(mounted)}" : ${err instanceof Error ? err.message : String(err)}`);
          this.#loop.wake();
        },
        complete: () => {
          this.#ops.succeeded(key);
          this.#track(mounted.podUid, -1);
          actual.markUnmounted(mounted.podUid, mounted.outerName);
          this.#o.onUnmounted(mounted.podUid);
          this.#loop.wake();
        },
      }),
    );
  }
}
