// The kubelet's volume manager: pkg/kubelet/volumemanager/volume_manager.go · v1.12
// (WaitForAttachAndMount polls every 300 ms for up to 2 min 3 s; GetVolumesInUse reports the
// attachable volumes of the desired and actual states; the FailedMount text of
// pkg/kubelet/kubelet.go syncPod), 1.16–1.27 (PR #80369's text) and 1.28+ (PR #117412: no
// event when the wait merely times out), with the pod worker's retry after a failed sync
// (pkg/kubelet/pod_workers.go: backOffPeriod 10 s, jitter factor 0.5). The pod workers
// here call WaitForAttachAndMount without blocking, so the manager keeps each pod's wait
// (its start, its 2m3s deadline, the back-off after it) on the clock. Storage reference §2, §4.
import { EventRecorder, nodeLocation, type ApiClient, type SeededRandom, type SimClock, type TimerHandle } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ProfileTexts } from '../../profiles/profile.js';
import type { ControllerContext } from '../../runtime/context.js';
import type { AttachableVolumePlugin } from '../../storage/volume-plugin.js';
import type { MountState, VolumeManager, VolumeManagerFactory } from '../volume-manager.js';
import { ActualStateOfWorld } from './actual-state-of-world.js';
import { DesiredStateOfWorld } from './desired-state-of-world.js';
import { DesiredStateOfWorldPopulator } from './desired-state-of-world-populator.js';
import { Reconciler } from './reconciler.js';

/** podAttachAndMountRetryInterval: how often WaitForAttachAndMount checks. */
export const POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS = 300;
/** pod_workers.go workerBackOffPeriodJitterFactor: a failed sync is retried after backOffPeriod × [1, 1.5). */
export const WORKER_BACK_OFF_PERIOD_JITTER_FACTOR = 0.5;

/** Construction options of {@link KubeletVolumeManager}. */
export interface KubeletVolumeManagerOptions {
  /** The kubelet's context: clock, profile (podAttachAndMountTimeout, backOffPeriod, failedMountStyle). */
  readonly ctx: ControllerContext;
  readonly nodeName: string;
  /** The attachable volume plugins (vSphere VCP, CSI…); a claim whose PV none serves mounts at once. */
  readonly plugins: readonly AttachableVolumePlugin[];
  /** The kubelet's API client; default a `kubelet` client at the node's location. */
  readonly client?: ApiClient;
  /** Where pod events go; default a `kubelet` recorder on the node's host. */
  readonly recorder?: EventRecorder;
}

/** A pod's current wait for its volumes, or the back-off after a wait that timed out. */
type Wait =
  | { readonly kind: 'waiting'; readonly startedAt: number; readonly deadline: TimerHandle; readyTimer?: TimerHandle }
  | { readonly kind: 'backoff'; readonly timer: TimerHandle };

const uidOf = (pod: Pod): string => pod.metadata?.uid ?? '';
/** getExpectedVolumes (≤1.19): every volume of the pod spec, in spec order. */
const expectedVolumes = (pod: Pod): string[] => (pod.spec?.volumes ?? []).map((v) => v.name);
/** Go's %v of a []string. */
const goList = (names: readonly string[]): string => `[${names.join(' ')}]`;

/**
 * The FailedMount message of a wait that timed out, per the version's text; undefined
 * where the version raises none (1.28+).
 */
export const failedMountMessage = (style: ProfileTexts['failedMountStyle'], pod: Pod, unmounted: readonly string[], unattached: readonly string[]): string | undefined => {
  const name = pod.metadata?.name ?? '';
  const ns = pod.metadata?.namespace ?? 'default';
  switch (style) {
    case 'unable-to-mount-volumes-for-pod':
      return (
        `Unable to mount volumes for pod "${name}_${ns}(${uidOf(pod)})": timeout expired waiting for volumes to attach or mount for pod "${ns}"/"${name}". ` +
        `list of unmounted volumes=${goList(unmounted)}. list of unattached volumes=${goList(unattached)}`
      );
    case 'unable-to-attach-or-mount':
      return `Unable to attach or mount volumes: unmounted volumes=${goList(unmounted)}, unattached volumes=${goList(unattached)}: timed out waiting for the condition`;
    case 'no-event-on-timeout':
      return undefined;
  }
};

/**
 * The kubelet volume manager of one node: pods the kubelet runs are added to the desired
 * state (claims resolved to their bound PVs), their attachable volumes are reported in
 * use, verified attached in node.status.volumesAttached, mounted through the plugin; the
 * pod starts only once all its volumes are mounted. A pod whose volumes are not all mounted
 * within podAttachAndMountTimeout gets a FailedMount event (per the version) and waits
 * again after the pod sync back-off. Volumes of removed pods are unmounted, then leave
 * volumesInUse.
 *
 * @example
 * const cluster = createCluster({
 *   nodes: [{ name: 'w1' }],
 *   kubeletFor: () => ({ volumeManager: KubeletVolumeManager.factory([vcpPlugin]) }),
 * });
 */
export class KubeletVolumeManager implements VolumeManager {
  readonly #ctx: ControllerContext;
  readonly #clock: SimClock;
  readonly #recorder: EventRecorder;
  readonly #random: SeededRandom;
  readonly #owner: string;
  readonly #desired = new DesiredStateOfWorld();
  readonly #actual = new ActualStateOfWorld();
  readonly #populator: DesiredStateOfWorldPopulator;
  readonly #reconciler: Reconciler;
  /**
   * The pods waiting for their volumes or backing off: empty once every pod started, so
   * created on first use and dropped once empty (an empty Map per node is ~190 bytes).
   */
  #waits: Map<string, Wait> | undefined;
  readonly #listeners = new Set<() => void>();
  /**
   * volumesInUse as last computed, with the generations of the two states it came from:
   * node status asks every 10 s, the attachable volumes change only when pods come and go,
   * and an unchanged answer is the same frozen array, so node status shares it as it is.
   */
  #inUse: { readonly desired: number; readonly actual: number; readonly names: readonly string[] } = { desired: -1, actual: -1, names: Object.freeze([]) };

  /** A {@link VolumeManagerFactory} for the kubelet config: one manager per node with these plugins. */
  static factory(plugins: readonly AttachableVolumePlugin[]): VolumeManagerFactory {
    return (ctx, nodeName) => new KubeletVolumeManager({ ctx, nodeName, plugins });
  }

  constructor(options: KubeletVolumeManagerOptions) {
    const { ctx, nodeName } = options;
    this.#ctx = ctx;
    this.#clock = ctx.sim.clock;
    this.#owner = `kubelet/${nodeName}`;
    const client = options.client ?? ctx.sim.api.client('kubelet', nodeLocation(nodeName));
    this.#recorder = options.recorder ?? new EventRecorder(client, { component: 'kubelet', host: nodeName }, { trace: ctx.sim.trace });
    this.#random = ctx.sim.random.fork(`kubelet-volume-manager/${nodeName}`);
    this.#reconciler = new Reconciler({
      clock: this.#clock,
      nodeName,
      client,
      recorder: this.#recorder,
      desired: this.#desired,
      actual: this.#actual,
      owner: this.#owner,
      onMounted: (uid) => this.#mounted(uid),
      onUnmounted: () => this.#notify(),
    });
    this.#populator = new DesiredStateOfWorldPopulator({
      clock: this.#clock,
      client,
      plugins: options.plugins,
      desired: this.#desired,
      owner: this.#owner,
      onAdded: () => this.#reconciler.wake(),
    });
  }

  waitForAttachAndMount(pod: Pod): MountState {
    // Most pods have no volume: answered before building the list of names (every pod sync asks).
    if (!pod.spec?.volumes?.length) return 'ready';
    const uid = uidOf(pod);
    const expected = expectedVolumes(pod);
    this.#populator.addPod(pod);
    const unmounted = this.#unmounted(uid, expected);
    const wait = this.#waits?.get(uid);
    // During the back-off the pod worker would not sync the pod at all.
    if (wait?.kind === 'backoff') return { waitingFor: unmounted };
    if (!wait) {
      // PollImmediate: a pod whose volumes are all mounted starts at once.
      if (unmounted.length === 0) return 'ready';
      this.#startWait(uid);
      return { waitingFor: unmounted };
    }
    if (unmounted.length === 0 && this.#clock.now() >= this.#readyAt(uid, wait.startedAt, expected)) {
      this.#endWait(uid);
      return 'ready';
    }
    return { waitingFor: unmounted };
  }

  podRemoved(pod: Pod): void {
    const uid = uidOf(pod);
    this.#endWait(uid);
    if (this.#desired.pod(uid) === undefined) return;
    this.#populator.removePod(uid);
    this.#reconciler.wake();
  }

  podVolumesExist(pod: Pod): boolean {
    const uid = uidOf(pod);
    // A mount still in progress leaves a mount behind that must be torn down first.
    return this.#actual.podHasMountedVolumes(uid) || this.#reconciler.hasOperationsFor(uid);
  }

  volumesInUse(): readonly string[] {
    const desired = this.#desired.attachableGeneration;
    const actual = this.#actual.attachedGeneration;
    const cached = this.#inUse;
    if (cached.desired === desired && cached.actual === actual) return cached.names;
    const inUse = new Set<string>(this.#actual.attachedVolumes());
    for (const volume of this.#desired.volumesToMount()) if (volume.attachable) inUse.add(volume.uniqueName);
    const names = [...inUse].sort();
    const same = names.length === cached.names.length && names.every((n, i) => n === cached.names[i]);
    this.#inUse = { desired, actual, names: same ? cached.names : Object.freeze(names) };
    return this.#inUse.names;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#populator.start();
    this.#reconciler.start();
  }

  stop(options: { readonly poweredOff: boolean }): void {
    this.#populator.stop();
    this.#reconciler.stop();
    // The pod workers' syncs, blocked in the wait or backing off, died with the process.
    for (const uid of [...(this.#waits?.keys() ?? [])]) this.#endWait(uid);
    if (options.poweredOff) this.#actual.clear();
  }

  /** The names of pod `podUid`'s volumes mounted now (for the dashboard and tests). */
  mountedVolumes(podUid: string): readonly string[] {
    return (this.#desired.pod(podUid)?.spec?.volumes ?? []).map((v) => v.name).filter((name) => this.#actual.mounted(podUid, name) !== undefined);
  }

  /** Why pod `podUid`'s volumes are not mounted yet: populator and operation errors, as upstream logs them. */
  errors(podUid: string): readonly string[] {
    const ops = this.#desired.volumesToMount().filter((v) => v.podUid === podUid).map((v) => this.#reconciler.lastError(v));
    return [...this.#populator.podErrors(podUid), ...ops.filter((e): e is string => e !== undefined)];
  }

  #unmounted(uid: string, expected: readonly string[]): string[] {
    return expected.filter((name) => this.#actual.mounted(uid, name) === undefined);
  }

  /** The first 300 ms poll of the wait started at `startedAt` that sees every volume mounted. */
  #readyAt(uid: string, startedAt: number, expected: readonly string[]): number {
    const lastMount = Math.max(...expected.map((name) => this.#actual.mounted(uid, name)?.mountedAt ?? Number.POSITIVE_INFINITY));
    if (lastMount <= startedAt) return startedAt;
    return startedAt + Math.ceil((lastMount - startedAt) / POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS) * POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS;
  }

  #startWait(uid: string): void {
    const pod = this.#desired.pod(uid);
    const name = `${pod?.metadata?.namespace ?? 'default'}/${pod?.metadata?.name ?? uid}`;
    const deadline = this.#clock.schedule(this.#ctx.profile.options.podAttachAndMountTimeout, () => this.#timedOut(uid), {
      owner: this.#owner,
      purpose: `volume manager: attach and mount timeout of ${name}`,
    });
    (this.#waits ??= new Map<string, Wait>()).set(uid, { kind: 'waiting', startedAt: this.#clock.now(), deadline });
  }

  #endWait(uid: string): void {
    const wait = this.#waits?.get(uid);
    if (!wait) return;
    if (wait.kind === 'waiting') {
      wait.deadline.cancel();
      wait.readyTimer?.cancel();
    } else wait.timer.cancel();
    this.#forgetWait(uid);
  }

  #forgetWait(uid: string): void {
    if (this.#waits?.delete(uid) === true && this.#waits.size === 0) this.#waits = undefined;
  }

  /** A volume of `uid` mounted: if that completes its pod, wake the pod worker at the wait's next poll. */
  #mounted(uid: string): void {
    const wait = this.#waits?.get(uid);
    const pod = this.#desired.pod(uid);
    if (!pod) return;
    const expected = expectedVolumes(pod);
    if (wait?.kind !== 'waiting' || this.#unmounted(uid, expected).length > 0) return;
    const readyAt = this.#readyAt(uid, wait.startedAt, expected);
    wait.readyTimer?.cancel();
    wait.readyTimer = this.#clock.scheduleAt(readyAt, () => this.#notify(), {
      owner: this.#owner,
      purpose: `volume manager: volumes of ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? uid} mounted, next poll`,
    });
  }

  /**
   * The 2m3s wait ran out: the sync fails with the volumes still missing (FailedMount per the
   * version), and the pod worker retries after backOffPeriod with jitter.
   */
  #timedOut(uid: string): void {
    this.#endWait(uid);
    const pod = this.#desired.pod(uid);
    if (!pod) return;
    const expected = expectedVolumes(pod);
    const unmounted = this.#unmounted(uid, expected);
    // Timed out with everything mounted after all: the sync goes on.
    if (unmounted.length === 0) return this.#notify();
    // getUnattachedVolumes compared the pod's volume names with unique volume names, so it
    // listed every volume until k/k PR #112719 (1.26); the versions with a text share the bug.
    const unattached = expected.filter((name) => !this.#actual.isAttached(name));
    const message = failedMountMessage(this.#ctx.profile.texts.failedMountStyle, pod, unmounted, unattached);
    if (message !== undefined) this.#recorder.event(pod, 'Warning', 'FailedMount', message);
    const { backOffPeriod } = this.#ctx.profile.options;
    const delay = Math.round(backOffPeriod * (1 + WORKER_BACK_OFF_PERIOD_JITTER_FACTOR * this.#random.next()));
    const timer = this.#clock.schedule(
      delay,
      () => {
        this.#forgetWait(uid);
        this.#notify();
      },
      { owner: this.#owner, purpose: `pod worker: back-off after failed sync of ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? uid}` },
    );
    (this.#waits ??= new Map<string, Wait>()).set(uid, { kind: 'backoff', timer });
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
