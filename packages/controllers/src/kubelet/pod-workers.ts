// The kubelet's per-pod sync: pkg/kubelet/pod_workers.go (one worker per pod UID, never
// two syncs of a pod at once, requeue after backOffPeriod on a sync error),
// pkg/kubelet/kubelet.go (syncPod: status first, WaitForAttachAndMount, then the runtime;
// HandlePodRemoves/podKiller: "Pod has been deleted and must be killed"),
// pkg/kubelet/kuberuntime/kuberuntime_manager.go (computePodActions, SyncPod: sandbox
// changed → new sandbox and every container restarted; doBackOff; containers started in
// order, each pulled, created, started), kuberuntime_container.go (killContainer: the
// grace period is deletionGracePeriodSeconds, else terminationGracePeriodSeconds, at
// least minimumGracePeriodInSeconds = 2) and pkg/kubelet/images/image_manager.go
// (EnsureImageExists: the pull policy decides Pulling/Pulled or "already present") · v1.14.
// Facts: reference §1.3, §1.4, §8.
import type { EventRecorder, SlotTimerLabel, TimerHandle, TimerLabel, TimerSlot } from '@failsim/core';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ControllerContext } from '../runtime/context.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import { Backoff, goDuration } from './backoff.js';
import { KeptPodParts, type ContainerExit, type ContainerRuntime, type RuntimeContainer, type RuntimePod, type RuntimePodRecord } from './container-runtime.js';
import { generatePodStatus, type PodStatusInput, type WaitingReason } from './pod-status.js';
import type { ProberManager } from './prober-manager.js';
import { STATUS_SYNC_PERIOD_MS, type StatusManager } from './status-manager.js';
import type { VolumeManager } from './volume-manager.js';

/** kuberuntime_container.go minimumGracePeriodInSeconds: the runtime never gets less to stop a container. */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;
/** --sync-frequency: upstream resyncs every pod this often; here only a pod whose mirror pod could not be made. */
export const SYNC_FREQUENCY_MS = 60_000;
/** volumemanager podAttachAndMountRetryInterval: how often a waiting pod re-checks its volumes. */
export const POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS = 300;
/** Exit code of a container killed at the end of its grace period (128 + SIGKILL). */
const SIGKILL_EXIT_CODE = 137;

/** When a started container exits on its own: ms after its start (exit code 1), or an exit with its code. */
export type ExitHook = (pod: Pod, container: Container, restartCount: number) => number | ContainerExit | undefined;

/** How long a container takes to exit after SIGTERM (ms). */
export type TerminationHook = (pod: Pod, container: Container) => number;

/** Where the pod workers read their pods from. */
export interface PodSource {
  /** The pod to run for `uid` now (an API pod bound here, or a static pod); undefined once it is gone. */
  pod(uid: string): Pod | undefined;
  /** The API object `pod`'s status goes to: the pod itself as cached, or a static pod's mirror pod. */
  statusTarget(pod: Pod): Pod | undefined;
  /** Whether every pod source has been read once: before that, a pod not found may just not be listed yet. */
  sourcesReady(): boolean;
  /** Keeps a static pod's mirror pod in place (true for other pods); false when it could not. */
  syncMirrorPod(pod: Pod): boolean;
}

/** Construction options of {@link PodWorkers}. */
export interface PodWorkersOptions {
  readonly ctx: ControllerContext;
  readonly owner: string;
  readonly hostIP: string;
  readonly runtime: ContainerRuntime;
  readonly statusManager: StatusManager;
  readonly prober: ProberManager;
  readonly volumeManager: VolumeManager;
  readonly recorder: EventRecorder;
  readonly source: PodSource;
  readonly exitAfter: ExitHook;
  readonly terminationDuration: TerminationHook;
}

const uidOf = (pod: Pod): string => pod.metadata?.uid ?? '';
/** Most texts a {@link TextCache} keeps; past it, it starts over. */
const TEXT_CACHE_MAX = 4_096;

/**
 * Texts made from one name (a container's, an image's), made once per distinct name:
 * every container start records four Events with the same field path and texts that pods
 * of one template share. One flat string each, not a new rope of pieces per Event.
 */
class TextCache {
  readonly #texts = new Map<string, string>();
  constructor(private readonly make: (name: string) => string) {}
  get(name: string): string {
    let text = this.#texts.get(name);
    if (text === undefined) {
      text = this.make(name);
      if (this.#texts.size >= TEXT_CACHE_MAX) this.#texts.clear();
      this.#texts.set(name, text);
    }
    return text;
  }
}

/**
 * The cache of a profile's text of one name (`Created container c`, `Pulling image "i"`),
 * one per text function, so that every kubelet of a profile shares it: a container's
 * Created and Started Events and a pull's Pulling Event each built their message afresh.
 */
const profileTexts = new WeakMap<(name: string) => string, TextCache>();
const profileText = (make: (name: string) => string): TextCache => {
  let cache = profileTexts.get(make);
  if (cache === undefined) profileTexts.set(make, (cache = new TextCache(make)));
  return cache;
};

const fieldPaths = new TextCache((name) => `spec.containers{${name}}`);
const fieldPath = (container: Container | RuntimeContainer): string => fieldPaths.get(container.name);
/** image_manager.go's "already present" message (the same for every profile). */
const alreadyPresent = new TextCache((image) => `Container image "${image}" already present on machine`);
/** format.Pod: `name_namespace(uid)`. */
const formatPod = (pod: Pod): string => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? 'default'}(${uidOf(pod)})`;
const isLive = (c: RuntimeContainer): boolean => c.state !== 'exited';
const liveContainers = (rp: RuntimePod | undefined): RuntimeContainer[] => (rp?.containers ?? []).filter(isLive);
const minDefined = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/**
 * What the workers remember of a pod they synced, for when it has left its source: the
 * pod as the runtime's keptPod keeps it (no status; built only then) and whether it was
 * admitted. One object per pod, updated in place: a kept pod object was built again on
 * the sync after every status write, and a set held the admitted uids besides.
 */
class KnownPod extends KeptPodParts {
  /** Admitted (its probe workers started) by this process. */
  admitted = false;
  /**
   * The container start in progress, if any: the pod is not synced again until it ends.
   * A member of the pod's memory rather than an entry of a Map of its own, which every
   * start set and deleted (and grew and shrank with the node's starts).
   */
  start: ContainerStart | undefined = undefined;
}

/** A {@link PodStatusInput} whose per-pod members the pod workers set before each status they generate. */
type StatusInput = { -readonly [K in keyof PodStatusInput]: PodStatusInput[K] } & { waiting: PodStatusInput['waiting'] };

/** The status input's pod between syncs. */
const NO_POD: Pod = Object.freeze({});

/** What each step's timer waits for: the start of its purpose. */
const STEP_PURPOSES = { pull: 'pull image for', create: 'create', start: 'start' } as const;

/**
 * A container being pulled, created and started: what the three steps share, in one object
 * with one timer action (every pod start goes through it; closures per step cost more).
 * It is also the label of its one pending timer: the purpose (`create container c of
 * ns/name`) is built only when a view or observer asks for it ({@link SlotTimerLabel}),
 * not three times per pod start, and the create and start timers need no handle.
 */
class ContainerStart implements SlotTimerLabel {
  /** What the timer that fires next completes. */
  step: 'pull' | 'create' | 'start' = 'create';
  requestedAt = 0;
  doneAt = 0;
  /** The created container's id, once created. */
  containerID = '';
  /** The pending pull's timer, when it could not be scheduled unheld (see {@link PodWorkers.#startContainer}). */
  timer: TimerHandle | undefined = undefined;
  /** The pending timer's slot when scheduled unheld (this object its label), else -1. */
  slot: TimerSlot = -1;
  /** The timer action: advances this start by one step. */
  readonly advance: () => void;

  constructor(
    readonly owner: string,
    /** The pod workers' memory of the pod, which holds this start while it runs. */
    readonly known: KnownPod,
    readonly uid: string,
    readonly pod: Pod,
    readonly container: Container,
    readonly restartCount: number,
    advance: (op: ContainerStart) => void,
  ) {
    this.advance = () => advance(this);
  }

  /** `<step> container <name> of <namespace>/<name>`, for the pending step. */
  get purpose(): string {
    const { pod } = this;
    return `${STEP_PURPOSES[this.step]} container ${this.container.name} of ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
  }

  /** The pending timer's label, as a plain object with the text of now (it is told before the timer runs). */
  labelAt(): TimerLabel {
    return { owner: this.owner, purpose: this.purpose };
  }
}

/** The restart policy's verdict on a container that exited with `exitCode`. */
const shouldRestart = (pod: Pod, exitCode: number | undefined): boolean => {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
};

/**
 * The grace period the runtime gets to stop `pod`'s containers (killContainer):
 * deletionGracePeriodSeconds, else terminationGracePeriodSeconds, never under 2 s.
 */
export const containerGracePeriodSeconds = (pod: Pod | undefined): number =>
  Math.max(MINIMUM_GRACE_PERIOD_SECONDS, pod?.metadata?.deletionGracePeriodSeconds ?? pod?.spec?.terminationGracePeriodSeconds ?? MINIMUM_GRACE_PERIOD_SECONDS);

/**
 * Syncs each pod of one kubelet towards what it should be: running (volumes, sandbox,
 * containers in order, restarts with CrashLoopBackOff), terminating (Killing, stop within
 * the grace period, final status, DELETE with grace 0), or gone (kill what still runs).
 * Level-based: any change only enqueues the pod's UID; a sync re-reads the pod source
 * and the runtime. A pod whose container is being pulled, created or started is not
 * synced again until that finishes.
 */
export class PodWorkers {
  readonly #o: PodWorkersOptions;
  readonly #queue: WorkQueue;
  readonly #backoff: Backoff;
  /** Each pod as last synced (as keptPod keeps it: no status), for when it has left its source, and whether it was admitted. */
  readonly #known = new Map<string, KnownPod>();
  readonly #waitingForVolumes = new Set<string>();
  /** The prober's readiness answer, made once for every status this kubelet generates. */
  readonly #isReady = (c: RuntimeContainer): boolean => this.#o.prober.isReady(c);
  /** What {@link PodWorkers.#postStatus} gives generatePodStatus: one object, its pod, runtime view and waiting reasons set per sync. */
  readonly #statusInput: StatusInput;
  /** The profile's Pulling, Created and Started texts by image or container name. */
  readonly #pullingTexts: TextCache;
  readonly #createdTexts: TextCache;
  readonly #startedTexts: TextCache;

  constructor(options: PodWorkersOptions) {
    this.#o = options;
    const { clock } = options.ctx.sim;
    this.#queue = new WorkQueue(clock, (uid) => this.#sync(uid), { owner: options.owner });
    this.#statusInput = { pod: NO_POD, runtimePod: undefined, hostIP: options.hostIP, isReady: this.#isReady, waiting: undefined, clock };
    this.#backoff = new Backoff(options.ctx.profile.options.backOffPeriod, options.ctx.profile.options.maxContainerBackOff);
    const { texts } = options.ctx.profile;
    this.#pullingTexts = profileText(texts.pulling);
    this.#createdTexts = profileText(texts.created);
    this.#startedTexts = profileText(texts.started);
  }

  /** Queues pod `uid` for a sync. */
  enqueue(uid: string): void {
    this.#queue.add(uid);
  }

  /** Queues every pod that waits for its volumes to be mounted or unmounted. */
  recheckVolumes(): void {
    for (const uid of this.#waitingForVolumes) this.#queue.add(uid);
  }

  /** Stops syncing: queued syncs and operations in progress end (the runtime's own timers go on). */
  stop(): void {
    this.#queue.stop();
    const { clock } = this.#o.ctx.sim;
    for (const known of this.#known.values()) {
      const op = known.start;
      if (op === undefined) continue;
      op.timer?.cancel();
      if (op.slot >= 0) clock.cancelUnheld(op.slot, op);
      known.start = undefined;
    }
  }

  #sync(uid: string): ReconcileResult {
    let known = this.#known.get(uid);
    if (known?.start !== undefined) return;
    this.#waitingForVolumes.delete(uid);
    const pod = this.#o.source.pod(uid);
    // The runtime's record, asked once: it stays the same object through the sync.
    const rp = this.#o.runtime.pod(uid);
    if (!pod) return this.#o.source.sourcesReady() ? this.#removed(uid, rp) : undefined;
    // Kept again only when what it keeps changed: a status write alone leaves metadata and spec.
    if (known === undefined) this.#known.set(uid, (known = new KnownPod(pod)));
    else if (!known.keeps(pod)) known.keep(pod);
    if (pod.metadata?.deletionTimestamp) return this.#terminate(uid, pod, rp);
    const phase = this.#o.statusManager.status(uid)?.phase ?? pod.status?.phase;
    if ((phase === 'Succeeded' || phase === 'Failed') && !(rp !== undefined && rp.hasLive())) return this.#finished(uid, pod, rp);
    return this.#syncPod(uid, pod, rp, known);
  }

  /** The pod left the API (or the manifest dir): kill what still runs, then forget it. No API call. */
  #removed(uid: string, rp: RuntimePod | undefined): ReconcileResult {
    // After a kubelet restart the runtime's labels are all that is left of a deleted pod.
    const known = this.#known.get(uid)?.pod ?? rp?.pod;
    if (this.#o.runtime.hasLiveContainer(uid)) {
      // "Pod has been deleted and must be killed".
      this.#killContainers(known, uid, rp);
      return;
    }
    const { runtime, prober, statusManager, volumeManager } = this.#o;
    runtime.stopSandbox(uid);
    runtime.removePod(uid);
    prober.removePod(uid);
    statusManager.removePod(uid);
    if (known) {
      volumeManager.podRemoved(known);
      this.#backoff.forget(this.#backoffPrefix(known));
    }
    this.#known.delete(uid);
  }

  /** A pod with a deletionTimestamp: stop its containers, then confirm the deletion. */
  #terminate(uid: string, pod: Pod, rp: RuntimePodRecord | undefined): ReconcileResult {
    if (rp !== undefined && rp.hasLive()) {
      this.#killContainers(pod, uid, rp);
      return;
    }
    const { runtime, prober, statusManager, volumeManager } = this.#o;
    runtime.stopSandbox(uid);
    prober.removePod(uid);
    const posted = this.#postStatus(uid, pod, rp, undefined);
    volumeManager.podRemoved(pod);
    if (volumeManager.podVolumesExist(pod)) {
      // status manager canBeDeleted: not before the pod's volumes are unmounted.
      this.#waitingForVolumes.add(uid);
      return { requeueAfter: STATUS_SYNC_PERIOD_MS };
    }
    if (statusManager.deletePod(pod) === 'failed') return { requeueAfter: STATUS_SYNC_PERIOD_MS };
    return posted;
  }

  /** A pod whose containers all exited for good (restartPolicy Never/OnFailure): release its sandbox and volumes. */
  #finished(uid: string, pod: Pod, rp: RuntimePodRecord | undefined): ReconcileResult {
    this.#o.runtime.stopSandbox(uid);
    this.#o.prober.removePod(uid);
    this.#o.volumeManager.podRemoved(pod);
    return this.#postStatus(uid, pod, rp, undefined);
  }

  /** Killing event and a graceful stop for each live container not yet stopping. */
  #killContainers(pod: Pod | undefined, uid: string, rp: RuntimePod | undefined): void {
    const { runtime, recorder, ctx } = this.#o;
    const graceMs = containerGracePeriodSeconds(pod) * 1000;
    for (const c of liveContainers(rp)) {
      if (c.stoppingUntil !== undefined) continue;
      const spec = pod?.spec?.containers?.find((s) => s.name === c.name);
      if (pod) recorder.event(pod, 'Normal', 'Killing', ctx.profile.texts.killing(c.name, c.id), fieldPath(c));
      const wantsMs = pod && spec ? this.#o.terminationDuration(pod, spec) : 0;
      const stopMs = Math.min(wantsMs, graceMs);
      runtime.stopContainer(uid, c.id, stopMs, wantsMs > graceMs ? SIGKILL_EXIT_CODE : 0);
    }
  }

  #syncPod(uid: string, pod: Pod, rp: RuntimePodRecord | undefined, known: KnownPod): ReconcileResult {
    const { runtime, recorder, volumeManager, prober, source, ctx } = this.#o;
    if (!known.admitted) {
      // Admission always accepts in the model; the probe workers start with the pod.
      known.admitted = true;
      prober.addPod(pod);
    }
    let requeueAfter = source.syncMirrorPod(pod) ? undefined : SYNC_FREQUENCY_MS;
    if (volumeManager.waitForAttachAndMount(pod) !== 'ready') {
      this.#waitingForVolumes.add(uid);
      requeueAfter = minDefined(requeueAfter, this.#postStatus(uid, pod, rp, undefined)?.requeueAfter);
      if (!volumeManager.onChange) requeueAfter = minDefined(requeueAfter, POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS);
      return requeueAfter === undefined ? undefined : { requeueAfter };
    }
    // Asked of the record rather than read from rp.sandbox, which builds the object.
    let sandboxId = rp?.readySandboxId();
    if (!sandboxId) {
      const attempted = (rp?.containers ?? []).length > 0;
      if (attempted && pod.spec?.restartPolicy === 'Never') return this.#postStatus(uid, pod, rp, undefined) ?? (requeueAfter === undefined ? undefined : { requeueAfter });
      if (rp !== undefined && runtime.hasSandbox(uid)) recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      sandboxId = runtime.runPodSandbox(pod);
      // The pod's first sandbox made its record.
      rp = runtime.pod(uid);
    }
    // Built only when a container waits for a reason (back-off, never-pull): most syncs have none.
    let waiting: Map<string, WaitingReason> | undefined;
    const now = ctx.sim.clock.now();
    // An index loop over the stored (frozen) containers: no iterator results per sync.
    const containers = pod.spec?.containers ?? [];
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i] as Container;
      const latest = rp?.latest(container.name);
      if (latest?.state === 'running' && latest.sandboxId === sandboxId) continue;
      if (latest?.state === 'exited') {
        if (!shouldRestart(pod, latest.exitCode)) continue;
        const key = this.#backoffKey(pod, container);
        const finishedAt = latest.finishedAt ?? now;
        if (this.#backoff.isInBackOffSince(key, finishedAt, now)) {
          const delay = this.#backoff.get(key);
          recorder.event(pod, 'Warning', 'BackOff', ctx.profile.texts.backOff(container.name, formatPod(pod)), fieldPath(container));
          (waiting ??= new Map()).set(container.name, {
            reason: 'CrashLoopBackOff',
            message: `back-off ${goDuration(delay)} restarting failed container=${container.name} pod=${formatPod(pod)}`,
          });
          // Upstream resyncs a pod in back-off every backOffPeriod (no jitter here).
          requeueAfter = minDefined(requeueAfter, Math.min(delay - (now - finishedAt), ctx.profile.options.backOffPeriod));
          continue;
        }
        this.#backoff.next(key, finishedAt, now);
      }
      const neverPull = this.#neverPull(pod, container);
      if (neverPull) {
        (waiting ??= new Map()).set(container.name, neverPull);
        continue;
      }
      const sameAttempt = latest?.state === 'created' && latest.sandboxId === sandboxId;
      this.#startContainer(known, uid, pod, container, latest ? latest.restartCount + (sameAttempt ? 0 : 1) : 0);
      break;
    }
    const posted = this.#postStatus(uid, pod, rp, waiting);
    requeueAfter = minDefined(requeueAfter, posted?.requeueAfter);
    const phase = this.#o.statusManager.status(uid)?.phase;
    if ((phase === 'Succeeded' || phase === 'Failed') && !(rp !== undefined && rp.hasLive())) this.#finished(uid, pod, rp);
    return requeueAfter === undefined ? undefined : { requeueAfter };
  }

  /** ErrImageNeverPull: pull policy Never and the image is not on the node. */
  #neverPull(pod: Pod, container: Container): WaitingReason | undefined {
    const image = container.image ?? '';
    if (container.imagePullPolicy !== 'Never' || this.#o.runtime.hasImage(image)) return undefined;
    const message = `Container image "${image}" is not present with pull policy of Never`;
    this.#o.recorder.event(pod, 'Warning', 'ErrImageNeverPull', message, fieldPath(container));
    return { reason: 'ErrImageNeverPull', message };
  }

  /** Pull (per the pull policy), create, start: one operation in progress for the pod until the container runs. */
  #startContainer(known: KnownPod, uid: string, pod: Pod, container: Container, restartCount: number): void {
    const { runtime, recorder, ctx } = this.#o;
    const { clock } = ctx.sim;
    const image = container.image ?? '';
    const op = new ContainerStart(this.#o.owner, known, uid, pod, container, restartCount, this.#advanceOp);
    known.start = op;
    const alwaysPull = container.imagePullPolicy === 'Always';
    if (!alwaysPull && runtime.hasImage(image)) {
      recorder.event(pod, 'Normal', 'Pulled', alreadyPresent.get(image), fieldPath(container));
      return this.#scheduleCreate(op);
    }
    recorder.event(pod, 'Normal', 'Pulling', this.#pullingTexts.get(image), fieldPath(container));
    op.requestedAt = clock.now();
    // An image already on disk is "pulled" again at once when the policy is Always: only its digest is checked.
    // (pullImage answers now for an image on disk without pulling.)
    op.doneAt = runtime.pullImage(image, ctx.timings.imagePull);
    op.step = 'pull';
    // Unheld when the delay gives back the very due time (it does for whole milliseconds;
    // scheduleUnheld adds it to now as scheduleAt compares with now): same id and order.
    const delay = op.doneAt - op.requestedAt;
    if (op.requestedAt + delay === op.doneAt) op.slot = clock.scheduleUnheld(delay, op.advance, op);
    else op.timer = clock.scheduleAt(op.doneAt, op.advance, op);
  }

  /** Create and start are delays from now: scheduled as `SimClock.schedule` would (same id, same order), without a handle. */
  #scheduleCreate(op: ContainerStart): void {
    op.step = 'create';
    op.timer = undefined;
    op.slot = this.#o.ctx.sim.clock.scheduleUnheld(this.#o.ctx.timings.containerCreate, op.advance, op);
  }

  /** {@link PodWorkers.#advance}, made once for every start of this kubelet. */
  readonly #advanceOp = (op: ContainerStart): void => this.#advance(op);

  /** The step whose timer fired: pulled → wait to create; create → wait to start; start → done. */
  #advance(op: ContainerStart): void {
    op.slot = -1;
    const { runtime, recorder, ctx } = this.#o;
    const { texts } = ctx.profile;
    const { uid, pod, container, restartCount } = op;
    switch (op.step) {
      case 'pull':
        recorder.event(pod, 'Normal', 'Pulled', texts.pulled(container.image ?? '', op.doneAt - op.requestedAt), fieldPath(container));
        return this.#scheduleCreate(op);
      case 'create': {
        const created = runtime.readySandboxId(uid) !== undefined ? runtime.createContainer(uid, container, restartCount) : undefined;
        if (!created) return this.#startFinished(op);
        recorder.event(pod, 'Normal', 'Created', this.#createdTexts.get(container.name), fieldPath(container));
        op.containerID = created.id;
        op.step = 'start';
        op.slot = ctx.sim.clock.scheduleUnheld(ctx.timings.containerStart, op.advance, op);
        return;
      }
      case 'start':
        runtime.startContainer(uid, op.containerID, this.#exitOf(pod, container, restartCount));
        recorder.event(pod, 'Normal', 'Started', this.#startedTexts.get(container.name), fieldPath(container));
        return this.#startFinished(op);
    }
  }

  #startFinished(op: ContainerStart): void {
    if (op.known.start === op) op.known.start = undefined;
    this.#queue.add(op.uid);
  }

  #exitOf(pod: Pod, container: Container, restartCount: number): ContainerExit | undefined {
    const exit = this.#o.exitAfter(pod, container, restartCount);
    return typeof exit === 'number' ? { afterMs: exit, exitCode: 1 } : exit;
  }

  /**
   * Writes the pod's status if it changed; a failed write is retried after the status
   * manager's sync period. `rp` is the runtime's record of the pod now (the same object
   * throughout a sync once it has one).
   */
  #postStatus(
    uid: string,
    pod: Pod,
    rp: RuntimePodRecord | undefined,
    waiting: ReadonlyMap<string, WaitingReason> | undefined,
  ): { requeueAfter: number } | undefined {
    const { statusManager, source } = this.#o;
    // One input object refilled per sync rather than a literal each (generatePodStatus keeps nothing of it).
    const input = this.#statusInput;
    input.pod = pod;
    input.runtimePod = rp;
    input.waiting = waiting;
    const generated = generatePodStatus(input);
    // Not held past the call: a pod that leaves its source keeps nothing alive here.
    input.pod = NO_POD;
    input.runtimePod = undefined;
    input.waiting = undefined;
    const write = statusManager.setPodStatus(uid, generated, source.statusTarget(pod));
    return write.result === 'failed' ? { requeueAfter: STATUS_SYNC_PERIOD_MS } : undefined;
  }

  /** getStableKey without the container hash: `name_namespace_uid_container`. */
  #backoffKey(pod: Pod, container: Container): string {
    return `${this.#backoffPrefix(pod)}${container.name}`;
  }

  #backoffPrefix(pod: Pod): string {
    return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? 'default'}_${uidOf(pod)}_`;
  }
}
