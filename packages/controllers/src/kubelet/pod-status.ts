// How the kubelet turns what the runtime holds into a pod's status:
// pkg/kubelet/kubelet_pods.go (generateAPIPodStatus, convertToAPIContainerStatuses,
// getPhase) and pkg/kubelet/status/generate.go (GenerateContainersReadyCondition,
// GeneratePodReadyCondition, GeneratePodInitializedCondition) · v1.14. Init containers
// are not modelled: pods are Initialized as soon as the kubelet sees them.
import type { SimClock } from '@failsim/core';
import type { Container, ContainerState as ApiContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { newestAttempt, type RuntimeContainer, type RuntimePod } from './container-runtime.js';

/** Why a container waits, when it is not simply being created (e.g. CrashLoopBackOff). */
export interface WaitingReason {
  readonly reason: string;
  readonly message?: string;
}

/** Everything {@link generatePodStatus} reads. */
export interface PodStatusInput {
  readonly pod: Pod;
  /** The runtime's view of the pod, if it has one. */
  readonly runtimePod: RuntimePod | undefined;
  readonly hostIP: string;
  /** Whether a running container passes its readiness probe (true when it has none). */
  readonly isReady: (container: RuntimeContainer) => boolean;
  /** Containers that wait for a reason other than being created, by name. */
  readonly waiting?: ReadonlyMap<string, WaitingReason> | undefined;
  readonly clock: ClockLike;
}

/** The part of the clock status generation reads. */
export type ClockLike = Pick<SimClock, 'now' | 'iso'>;

/** The generated Initialized and PodScheduled conditions (always True in the model), shared (see {@link readinessSet}). */
const INITIALIZED: PodCondition = Object.freeze({ type: 'Initialized', status: 'True' });
const POD_SCHEDULED: PodCondition = Object.freeze({ type: 'PodScheduled', status: 'True' });

/** Conditions the kubelet owns; others (DisruptionTarget, readiness gates…) it keeps as found. */
export const KUBELET_POD_CONDITIONS: readonly string[] = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

const latestAttempt = (runtimePod: RuntimePod | undefined, name: string, before?: RuntimeContainer): RuntimeContainer | undefined => {
  if (runtimePod === undefined) return undefined;
  // The runtime's records answer without building their list of one (two reads per container per sync).
  if (runtimePod.latest !== undefined) return runtimePod.latest(name, before);
  return newestAttempt(runtimePod.containers, name, before);
};

// The status objects below are built as literals with members added by assignment, in
// the order spreads used to give them: a literal that starts with a spread and then gains
// members V8 copies off its fast path (~3 µs against ~0.1 µs on Node 20), and every pod
// sync builds several.

// The states and container statuses are frozen as they are built (every member defined):
// the status manager freezes the written status all through, and a tree whose parts are
// frozen already is not walked member by member (freezeBuiltTree was the largest share of
// a status write the kubelet itself paid, issue 8).

const terminated = (c: RuntimeContainer, clock: ClockLike): ApiContainerState => {
  const exitCode = c.exitCode ?? 0;
  const reason = c.reason ?? (c.exitCode ? 'Error' : 'Completed');
  const finishedAt = clock.iso(c.finishedAt ?? clock.now());
  return Object.freeze({
    terminated: Object.freeze(
      c.startedAt !== undefined
        ? { exitCode, reason, startedAt: clock.iso(c.startedAt), finishedAt, containerID: c.id }
        : { exitCode, reason, finishedAt, containerID: c.id },
    ),
  });
};

/** A container status with its members in the order the kubelet always gave them. */
const statusOf = (
  name: string,
  image: string,
  imageID: string,
  ready: boolean,
  restartCount: number,
  state: ApiContainerState,
  lastState?: ApiContainerState,
  containerID?: string,
): ContainerStatus => {
  const status: ContainerStatus = { name, image, imageID, ready, restartCount, state };
  if (lastState !== undefined) status.lastState = lastState;
  if (containerID !== undefined) status.containerID = containerID;
  // Frozen only over frozen states (a parent frozen first would keep an unfrozen member
  // from being frozen) and with every member defined (freezeBuiltTree drops undefined ones).
  const frozen = Object.isFrozen(state) && (lastState === undefined || Object.isFrozen(lastState)) && image !== undefined && imageID !== undefined && restartCount !== undefined;
  return frozen ? Object.freeze(status) : status;
};

/**
 * `waiting: ContainerCreating`, the state of every container between its sync and its
 * start: one frozen object shared by every status (the written status is frozen anyway, so
 * it is stored and compared as it is instead of being copied per pod).
 */
const CONTAINER_CREATING: ApiContainerState = Object.freeze({ waiting: Object.freeze({ reason: 'ContainerCreating' }) });

/** The API status of one container (convertToAPIContainerStatuses). */
export const containerStatus = (input: PodStatusInput, spec: Container): ContainerStatus => {
  const { runtimePod, clock } = input;
  const latest = latestAttempt(runtimePod, spec.name);
  const waiting = input.waiting?.get(spec.name);
  if (!latest) return statusOf(spec.name, spec.image ?? '', '', false, 0, waiting ? { waiting: { ...waiting } } : CONTAINER_CREATING);
  const previous = latestAttempt(runtimePod, spec.name, latest);
  const { image, imageID, restartCount } = latest;
  if (latest.state === 'exited') {
    if (waiting) return statusOf(spec.name, image, imageID, false, restartCount, { waiting: { ...waiting } }, terminated(latest, clock));
    return statusOf(spec.name, image, imageID, false, restartCount, terminated(latest, clock), previous ? terminated(previous, clock) : undefined, latest.id);
  }
  const lastState = previous?.state === 'exited' ? terminated(previous, clock) : undefined;
  if (latest.state === 'created') return statusOf(spec.name, image, imageID, false, restartCount, CONTAINER_CREATING, lastState);
  const state = Object.freeze({ running: Object.freeze({ startedAt: clock.iso(latest.startedAt ?? clock.now()) }) });
  return statusOf(spec.name, image, imageID, input.isReady(latest), restartCount, state, lastState, latest.id);
};

/** The first status of container `name` (a loop: no closure per container per sync). */
const statusNamed = (statuses: readonly ContainerStatus[], name: string): ContainerStatus | undefined => {
  for (let i = 0; i < statuses.length; i++) if (statuses[i]?.name === name) return statuses[i];
  return undefined;
};

/** getPhase: the pod phase from its containers' statuses and restart policy. */
export const getPhase = (pod: Pod, statuses: readonly ContainerStatus[]): NonNullable<PodStatus['phase']> => {
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  // Index loops over the stored (frozen) containers: no iterator results per sync.
  const specs = pod.spec?.containers ?? [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as Container;
    const status = statusNamed(statuses, spec.name);
    if (!status) unknown++;
    else if (status.state?.running) running++;
    else if (status.state?.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state?.waiting) {
      if (status.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
};

/**
 * The generated conditions, `[Initialized, Ready, ContainersReady, PodScheduled]`, for one
 * readiness state: frozen and shared by every pod in that state. The status manager copies
 * each condition it keeps (adding its transition time) or keeps an equal one it already
 * has, so none of these objects is stored, and a sync allocates no conditions.
 */
const readinessSet = (ready: PodCondition, containersReady: PodCondition): readonly PodCondition[] =>
  Object.freeze([INITIALIZED, Object.freeze(ready), Object.freeze(containersReady), POD_SCHEDULED]);

const ALL_READY = readinessSet({ type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'True' });
const POD_COMPLETED = readinessSet({ type: 'Ready', status: 'False', reason: 'PodCompleted' }, { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' });

/** ContainersNotReady conditions by `unknown names|unready names`, made once (see {@link notReady}). */
const notReadySets = new Map<string, readonly PodCondition[]>();
/** Enough for any cluster's distinct sets of container names; past it the cache starts over. */
const NOT_READY_MESSAGES_MAX = 4_096;

/**
 * The ContainersNotReady conditions for these space-joined names (either may be empty):
 * every pod between its sync and its start has them, and pods of one template share them,
 * so the message is one flat string per distinct set of names rather than a rope of pieces
 * per pod, and the conditions are made with it.
 */
const notReady = (unknown: string, unready: string): readonly PodCondition[] => {
  const key = unknown === '' ? unready : `${unknown}|${unready}`;
  let set = notReadySets.get(key);
  if (set === undefined) {
    const parts: string[] = [];
    if (unknown !== '') parts.push(`containers with unknown status: [${unknown}]`);
    if (unready !== '') parts.push(`containers with unready status: [${unready}]`);
    const message = parts.join(', ');
    set = readinessSet(
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message },
      { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message },
    );
    if (notReadySets.size >= NOT_READY_MESSAGES_MAX) notReadySets.clear();
    notReadySets.set(key, set);
  }
  return set;
};

/**
 * GenerateContainersReadyCondition, and Ready built from it (no readiness gates modelled),
 * with Initialized and PodScheduled: the generated conditions in their order. The names
 * are joined as they are found; each condition has the members, in the order, the spread
 * of a shared condition gave (type, status, reason, message).
 */
const readinessConditions = (pod: Pod, statuses: readonly ContainerStatus[], phase: string): readonly PodCondition[] => {
  let unknown = '';
  let unready = '';
  const specs = pod.spec?.containers ?? [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as Container;
    const status = statusNamed(statuses, spec.name);
    if (!status) unknown = unknown === '' ? spec.name : `${unknown} ${spec.name}`;
    else if (!status.ready) unready = unready === '' ? spec.name : `${unready} ${spec.name}`;
  }
  // unknown === '' stands for "no unknown container": a container name is never empty.
  if (phase === 'Succeeded' && unknown === '') return POD_COMPLETED;
  if (unknown !== '' || unready !== '') return notReady(unknown, unready);
  return ALL_READY;
};

/** QoS class (pkg/apis/core/v1/helper/qos · GetPodQOS), cpu and memory only. */
export const podQOSClass = (pod: Pod): NonNullable<PodStatus['qosClass']> => {
  const containers = pod.spec?.containers ?? [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i] as Container;
    const requests = c.resources?.requests;
    const limits = c.resources?.limits;
    // cpu, then memory: no resource-name list or empty records per container per sync.
    const cpuRequest = requests?.['cpu'];
    const cpuLimit = limits?.['cpu'];
    const memoryRequest = requests?.['memory'];
    const memoryLimit = limits?.['memory'];
    if (cpuRequest !== undefined || cpuLimit !== undefined || memoryRequest !== undefined || memoryLimit !== undefined) any = true;
    if (cpuLimit === undefined || (cpuRequest !== undefined && cpuRequest !== cpuLimit)) guaranteed = false;
    if (memoryLimit === undefined || (memoryRequest !== undefined && memoryRequest !== memoryLimit)) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
};

/**
 * The status the kubelet wants for `input.pod` now (generateAPIPodStatus), without
 * startTime and condition transition times, which the status manager fills in. Its
 * conditions list and the conditions in it are frozen and shared between pods.
 */
export const generatePodStatus = (input: PodStatusInput): PodStatus => {
  const { pod, runtimePod } = input;
  const specs = pod.spec?.containers ?? [];
  const containerStatuses = new Array<ContainerStatus>(specs.length);
  for (let i = 0; i < specs.length; i++) containerStatuses[i] = containerStatus(input, specs[i] as Container);
  const phase = getPhase(pod, containerStatuses);
  // A shared frozen list (see readinessSet), typed as PodStatus has it.
  const conditions = readinessConditions(pod, containerStatuses, phase) as PodCondition[];
  const qosClass = podQOSClass(pod);
  // One literal per shape, members in the order they always had (podIP only with a sandbox).
  // The runtime's records tell the IP without building the sandbox object.
  const podIP = runtimePod === undefined ? undefined : runtimePod.sandboxIP !== undefined ? runtimePod.sandboxIP() : runtimePod.sandbox?.ip;
  return podIP !== undefined
    ? { phase, conditions, hostIP: input.hostIP, podIP, containerStatuses, qosClass }
    : { phase, conditions, hostIP: input.hostIP, containerStatuses, qosClass };
};
