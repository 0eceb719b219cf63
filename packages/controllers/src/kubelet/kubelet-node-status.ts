// Node registration and node status heartbeats of the kubelet:
// pkg/kubelet/kubelet_node_status.go (registerWithAPIServer, tryRegisterWithAPIServer,
// initialNode, syncNodeStatus, updateNodeStatus, tryUpdateNodeStatus,
// nodeStatusHasChanged) and pkg/kubelet/nodestatus/setters.go (MachineInfo, VersionInfo,
// ReadyCondition, the pressure conditions, VolumesInUse, RemoveOutOfDiskCondition) ·
// 1.13–1.16 era (klog v1, NodeLease-gated report frequency). Facts: reference §1.1, §1.2.
import * as E from 'fp-ts/lib/Either.js';
import { deepEqual, freezeBuilt, type ApiClient, type EventType, type SimClock, type TimerHandle, type TimerLabel } from '@failsim/core';
import type { ContainerImage, Node, NodeAddress, NodeCondition, NodeDaemonEndpoints, NodeStatus, NodeSystemInfo, Taint } from 'kubernetes-types/core/v1.js';
import { noteHeartbeatStatus } from '../runtime/node-heartbeat.js';

/** nodeStatusUpdateRetry: immediate retries of a failed status update. */
const NODE_STATUS_UPDATE_RETRY = 5;
/** registerWithAPIServer sleeps 100 ms before its first attempt, doubling to 7 s. */
const REGISTER_FIRST_SLEEP_MS = 100;
const REGISTER_MAX_SLEEP_MS = 7_000;

/** volutil.ControllerManagedAttachAnnotation: the attach/detach controller attaches this node's volumes. */
export const CONTROLLER_MANAGED_ATTACH_ANNOTATION = 'volumes.kubernetes.io/controller-managed-attach-detach';

/** Labels the kubelet reconciles on a node that was previously registered (updateDefaultLabels). */
export const DEFAULT_NODE_LABELS: readonly string[] = [
  'kubernetes.io/hostname',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
];

/** What the kubelet knows about its machine when it computes node status. */
export interface NodeStatusSource {
  readonly addresses: readonly NodeAddress[];
  readonly capacity: Readonly<Record<string, string>>;
  readonly allocatable: Readonly<Record<string, string>>;
  /** Machine and version info, with the current boot id. */
  readonly nodeInfo: NodeSystemInfo;
  readonly daemonEndpoints: NodeDaemonEndpoints;
  readonly images: readonly ContainerImage[];
  readonly volumesInUse: readonly string[];
}

/** Records an Event on the kubelet's Node reference. */
export type NodeEventRecorder = (type: EventType, reason: string, message: string) => void;

const pressure = (type: string, reason: string, message: string, event: string) => ({ type, reason, message, event });

/** The pressure conditions the kubelet posts as False, in setter order (nodestatus/setters.go). */
const PRESSURE_CONDITIONS = [
  pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', 'NodeHasSufficientMemory'),
  pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'NodeHasNoDiskPressure'),
  pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', 'NodeHasSufficientPID'),
] as const;

/**
 * The Ready condition a running kubelet posts. One literal with every member: spreading a
 * fresh condition and adding lastTransitionTime took V8 off its fast clone path (~7 µs
 * against ~0.05 µs), on every heartbeat of every node.
 */
const readyCondition = (heartbeat: string, transition: string | undefined): NodeCondition => ({
  type: 'Ready',
  status: 'True',
  reason: 'KubeletReady',
  message: 'kubelet is posting ready status',
  lastHeartbeatTime: heartbeat,
  lastTransitionTime: transition,
});

/** Whether `type` is one of PRESSURE_CONDITIONS' (compared in place: the heartbeat asks it of every condition). */
const isPressureType = (type: string): boolean => type === 'MemoryPressure' || type === 'DiskPressure' || type === 'PIDPressure';

/** Whether `record`'s members are exactly `members`, in that order, none undefined. */
const hasMembersInOrder = (record: object, members: readonly string[]): boolean => {
  const r = record as Record<string, unknown>;
  let i = 0;
  for (const key in r) if (key !== members[i++] || r[key] === undefined) return false;
  return i === members.length;
};

/**
 * The members of a pressure condition setNodeStatus creates (Unknown with a heartbeat,
 * then set False), in order. A condition someone else created (the node lifecycle
 * controller's Unknown) keeps the order it came with, as the setters keep it.
 */
const PRESSURE_MEMBERS: readonly string[] = ['type', 'status', 'lastHeartbeatTime', 'reason', 'message', 'lastTransitionTime'];

/** The members of a status setNodeStatus builds over none (initialNode), in order; volumesInUse may follow. */
const STATUS_MEMBERS: readonly string[] = ['addresses', 'capacity', 'allocatable', 'nodeInfo', 'daemonEndpoints', 'images', 'conditions'];
const STATUS_MEMBERS_WITH_VOLUMES: readonly string[] = [...STATUS_MEMBERS, 'volumesInUse'];

/** Every pressure condition of `status` has PRESSURE_MEMBERS ({@link pressureHeartbeat} copies it). */
const pressureInSetterOrder = (status: NodeStatus): boolean =>
  (status.conditions ?? []).every((c) => !isPressureType(c.type) || hasMembersInOrder(c, PRESSURE_MEMBERS));

/** `status` has STATUS_MEMBERS, with or without volumesInUse ({@link statusHeartbeat} copies it). */
const statusInSetterOrder = (status: NodeStatus): boolean =>
  hasMembersInOrder(status, status.volumesInUse === undefined ? STATUS_MEMBERS : STATUS_MEMBERS_WITH_VOLUMES);

/*
 * The heartbeat's copies of a condition and of the status in the setters' member order:
 * literals, which V8 builds about twice as fast as Object.assign copies a frozen object,
 * and which share one hidden class (so freezing them takes a cached transition).
 */

/** `{ ...c, lastHeartbeatTime: now }` of a pressure condition with PRESSURE_MEMBERS. */
const pressureHeartbeat = (c: NodeCondition, now: string): NodeCondition => ({
  type: c.type,
  status: c.status,
  lastHeartbeatTime: now,
  reason: c.reason,
  message: c.message,
  lastTransitionTime: c.lastTransitionTime,
});

/**
 * `{ ...old, conditions }` of a status with STATUS_MEMBERS (and volumesInUse if it has one).
 * Two whole literals rather than one plus an added member: a member added after the
 * literal goes to a separate property store (an allocation per heartbeat).
 */
const statusHeartbeat = (old: NodeStatus, conditions: NodeCondition[]): NodeStatus =>
  old.volumesInUse === undefined
    ? {
        addresses: old.addresses,
        capacity: old.capacity,
        allocatable: old.allocatable,
        nodeInfo: old.nodeInfo,
        daemonEndpoints: old.daemonEndpoints,
        images: old.images,
        conditions,
      }
    : {
        addresses: old.addresses,
        capacity: old.capacity,
        allocatable: old.allocatable,
        nodeInfo: old.nodeInfo,
        daemonEndpoints: old.daemonEndpoints,
        images: old.images,
        conditions,
        volumesInUse: old.volumesInUse,
      };

/**
 * The conditions the last heartbeat with literal pressure conditions built (`shared`,
 * frozen), at `sharedAt`, from the stored conditions `sharedFrom`. Kubelets started together
 * heartbeat one after the other at the same virtual time, and nodes registered in the same
 * second have conditions that differ in nothing but heartbeat times: their heartbeats build
 * equal conditions, which one frozen array can stand for (frozen = shared, as the API server
 * shares stored subtrees). Three in four heartbeats of a library scenario, each of which then
 * builds and freezes one object (the status) instead of six. One slot, process-wide: a miss
 * only means building, and a hit gives an equal array with the same members in the same order.
 */
let shared: readonly NodeCondition[] | undefined;
let sharedAt = '';
let sharedFrom: readonly NodeCondition[] | undefined;

/**
 * Whether heartbeatStatus builds the same conditions, at the same time, from `a` as from `b`
 * (stored conditions of statuses whose pressure conditions have the setters' member order):
 * a Ready condition is rebuilt from its type and transition time, a pressure condition from
 * all its members but the heartbeat, and any other is kept as it is, so must be the same object.
 */
const heartbeatAlike = (a: readonly NodeCondition[], b: readonly NodeCondition[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as NodeCondition;
    const y = b[i] as NodeCondition;
    if (x === y) continue;
    const type = x.type;
    if (type !== y.type || x.lastTransitionTime !== y.lastTransitionTime) return false;
    if (type === 'Ready') continue;
    if (!isPressureType(type) || x.status !== y.status || x.reason !== y.reason || x.message !== y.message) return false;
  }
  return true;
};

/**
 * heartbeatStatus's conditions: a Ready condition as a running kubelet posts it, pressure
 * conditions copied with the new heartbeat, the others kept; frozen.
 */
const heartbeatConditions = (stored: readonly NodeCondition[], now: string, pressureLiterals: boolean): readonly NodeCondition[] => {
  if (pressureLiterals && now === sharedAt && shared !== undefined && (stored === sharedFrom || heartbeatAlike(stored, sharedFrom!))) return shared;
  const conditions = new Array<NodeCondition>(stored.length);
  for (let i = 0; i < stored.length; i++) {
    const c = stored[i] as NodeCondition;
    if (c.type === 'Ready') {
      const transition = c.lastTransitionTime;
      conditions[i] = transition === undefined ? freezeBuilt(readyCondition(now, transition)) : Object.freeze(readyCondition(now, transition));
    } else if (isPressureType(c.type)) {
      if (pressureLiterals) conditions[i] = Object.freeze(pressureHeartbeat(c, now));
      else {
        const next = Object.assign({}, c);
        next.lastHeartbeatTime = now;
        conditions[i] = Object.freeze(next);
      }
    } else conditions[i] = c;
  }
  Object.freeze(conditions);
  if (pressureLiterals) {
    shared = conditions;
    sharedAt = now;
    sharedFrom = stored;
  }
  return conditions;
};

/**
 * setNodeStatus of a node whose status is the very one setNodeStatus built from the same
 * source on an earlier heartbeat: no event, no member but the conditions changes, and the
 * conditions change only in their heartbeat times (the pressure conditions are False, Ready
 * is True, the boot id is the source's). The same object setNodeStatus would build — same
 * members, same order — without its searches and comparisons (every node, every 10 s),
 * frozen as {@link frozenStatus} would freeze it: `old` is stored (frozen, no undefined
 * member), so only the objects built here are new, and only a Ready condition without a
 * transition time has an undefined member. `pressureLiterals`, `statusLiteral`: the
 * pressure conditions, the status have the setters' member order ({@link pressureInSetterOrder},
 * {@link statusInSetterOrder}).
 */
const heartbeatStatus = (old: NodeStatus, now: string, pressureLiterals: boolean, statusLiteral: boolean): NodeStatus => {
  const conditions = heartbeatConditions(old.conditions ?? [], now, pressureLiterals) as NodeCondition[];
  if (statusLiteral) return Object.freeze(statusHeartbeat(old, conditions));
  const status: NodeStatus = Object.assign({}, old);
  status.conditions = conditions;
  return Object.freeze(status);
};

/**
 * Whether heartbeatStatus of `status` differs from it in heartbeat times only: its pressure
 * conditions are copied with a new heartbeat, so only a Ready condition that is not
 * already what a running kubelet posts (a second Ready the setters did not touch) would
 * change. Checked once per write, so that the heartbeats between writes can skip building
 * a status that nodeStatusHasChanged would find unchanged.
 */
const readyIsHeartbeatStable = (status: NodeStatus): boolean => {
  for (const c of status.conditions ?? []) {
    if (c.type === 'Ready' && !equalExcept(c, readyCondition('', c.lastTransitionTime), 'lastHeartbeatTime')) return false;
  }
  return true;
};

/**
 * A status built by setNodeStatus from a frozen node, frozen in place (core's
 * freezeBuilt): the API server then stores it as it is instead of copying it, and the
 * next heartbeat can tell its own status by identity.
 */
const frozenStatus = (status: NodeStatus): NodeStatus => {
  const conditions = status.conditions;
  if (conditions !== undefined && !Object.isFrozen(conditions)) {
    // The array and the conditions rebuilt this heartbeat are new; the others are stored (frozen).
    for (let i = 0; i < conditions.length; i++) if (!Object.isFrozen(conditions[i])) conditions[i] = freezeBuilt(conditions[i]!);
    Object.freeze(conditions);
  }
  return freezeBuilt(status);
};

/** `Node <n> status is now: <Reason>` (recordNodeStatusEvent). */
export const nodeStatusEventMessage = (nodeName: string, reason: string): string => `Node ${nodeName} status is now: ${reason}`;

/**
 * The kubelet's node status setters applied to `node`, in upstream's order, returning the
 * new status. Condition events are recorded as the setters do: a pressure condition that
 * becomes False (also when new), Ready when an existing Ready condition changes, and the
 * Warning `Rebooted` when the boot id differs from the one the Node has.
 */
export const setNodeStatus = (node: Node, nodeName: string, source: NodeStatusSource, now: string, record: NodeEventRecorder): NodeStatus => {
  const old = node.status ?? {};
  // MachineInfo: capacity, allocatable, boot id.
  const oldBootID = old.nodeInfo?.bootID ?? '';
  if (oldBootID !== '' && oldBootID !== source.nodeInfo.bootID) {
    record('Warning', 'Rebooted', `Node ${nodeName} has been rebooted, boot id: ${source.nodeInfo.bootID}`);
  }
  const conditions: NodeCondition[] = [...(old.conditions ?? [])];
  for (const p of PRESSURE_CONDITIONS) {
    const i = conditions.findIndex((c) => c.type === p.type);
    const current = i >= 0 ? conditions[i] : undefined;
    let next: NodeCondition;
    if (current) {
      // A copy with the new heartbeat in place (same members, same order as a spread): every
      // heartbeat builds three of these, and assign-then-set is about twice as fast on Node 20.
      next = Object.assign({}, current);
      next.lastHeartbeatTime = now;
    } else next = { type: p.type, status: 'Unknown', lastHeartbeatTime: now };
    if (next.status !== 'False') {
      next = Object.assign(next, { status: 'False', reason: p.reason, message: p.message, lastTransitionTime: now });
      record('Normal', p.event, nodeStatusEventMessage(nodeName, p.event));
    }
    if (i >= 0) conditions[i] = next;
    else conditions.push(next);
  }
  // ReadyCondition: nothing in the model makes a running kubelet not ready.
  const readyAt = conditions.findIndex((c) => c.type === 'Ready');
  const oldReady = readyAt >= 0 ? conditions[readyAt] : undefined;
  if (!oldReady) conditions.push(readyCondition(now, now));
  else if (oldReady.status === 'True') conditions[readyAt] = readyCondition(now, oldReady.lastTransitionTime);
  else {
    conditions[readyAt] = readyCondition(now, now);
    record('Normal', 'NodeReady', nodeStatusEventMessage(nodeName, 'NodeReady'));
  }
  // Members equal to the stored ones are the stored ones (structural sharing): the API
  // server's and nodeStatusHasChanged's comparisons then stop at identity, and the commit
  // copies nothing of them. Frozen source arrays are shared as they are.
  const status: NodeStatus = {
    ...old,
    addresses: same(old.addresses, Object.isFrozen(source.addresses) ? source.addresses : [...source.addresses]),
    capacity: merged(old.capacity, source.capacity),
    allocatable: merged(old.allocatable, source.allocatable),
    nodeInfo: same(old.nodeInfo, source.nodeInfo),
    daemonEndpoints: same(old.daemonEndpoints, source.daemonEndpoints),
    images: same(old.images, Object.isFrozen(source.images) ? source.images : [...source.images]),
    // RemoveOutOfDiskCondition: the kubelet stopped reporting OutOfDisk in 1.12 and removes a
    // stale one (the array is filtered only when there is one: every heartbeat gets here).
    conditions: conditions.some((c) => c.type === 'OutOfDisk') ? conditions.filter((c) => c.type !== 'OutOfDisk') : conditions,
  };
  if (source.volumesInUse.length > 0) status.volumesInUse = same(old.volumesInUse, Object.isFrozen(source.volumesInUse) ? source.volumesInUse : [...source.volumesInUse]);
  else delete status.volumesInUse;
  return status;
};

/** `old` when it equals `next` (so the stored subtree is kept), else `next`. */
const same = <T>(old: T | undefined, next: T | readonly unknown[]): T => (old !== undefined && deepEqual(old, next) ? old : (next as T));

/**
 * `{ ...old, ...source }`, or `old` itself when `source` changes none of its members: the
 * same result as merging and comparing, without building a record every heartbeat.
 */
const merged = (old: Readonly<Record<string, string>> | undefined, source: Readonly<Record<string, string>>): Record<string, string> => {
  // The usual heartbeat: the stored member is the kubelet's own frozen record from the last one.
  if (old === source) return old;
  // Nothing to merge over: the source itself, which a frozen source lets the server store as it is.
  if (old === undefined) return Object.isFrozen(source) ? source : { ...source };
  for (const k in source) {
    // Values are strings: identity is equality (an undefined one drops old's, a change too).
    if (old[k] !== source[k]) return same(old, { ...old, ...source });
  }
  return old;
};

/** Conditions sorted by type without their heartbeat times (nodeStatusHasChanged's normal form). */
const withoutHeartbeats = (conditions: readonly NodeCondition[] | undefined): NodeCondition[] =>
  [...(conditions ?? [])].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)).map(({ lastHeartbeatTime: _, ...rest }) => rest);

/**
 * deepEqual of two records without their member `skip` (undefined members count as
 * absent): what deepEqual of copies with `skip` removed answers, without the copies.
 */
const equalExcept = (a: object, b: object, skip: string): boolean => {
  if (a === b) return true;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const k in ra) {
    const v = ra[k];
    if (k === skip || v === undefined) continue;
    count++;
    if (!deepEqual(v, rb[k])) return false;
  }
  for (const k in rb) if (k !== skip && rb[k] !== undefined) count--;
  return count === 0;
};

/**
 * The conditions are equal but for heartbeat times (upstream sorts both lists by type and
 * compares them without heartbeats). When both lists have the same types in the same order
 * — every heartbeat, in practice — a stable sort permutes them alike, so comparing them
 * pairwise is the same test without building sorted copies.
 */
const conditionsChanged = (a: readonly NodeCondition[] | undefined, b: readonly NodeCondition[] | undefined): boolean => {
  const ca = a ?? [];
  const cb = b ?? [];
  if (ca.length !== cb.length) return true;
  for (let i = 0; i < ca.length; i++) {
    if (ca[i]?.type !== cb[i]?.type) return !deepEqual(withoutHeartbeats(a), withoutHeartbeats(b));
  }
  for (let i = 0; i < ca.length; i++) if (!equalExcept(ca[i] as NodeCondition, cb[i] as NodeCondition, 'lastHeartbeatTime')) return true;
  return false;
};

/** nodeStatusHasChanged: any difference but the conditions' heartbeat times. */
export const nodeStatusHasChanged = (original: NodeStatus | undefined, status: NodeStatus | undefined): boolean => {
  if (conditionsChanged(original?.conditions, status?.conditions)) return true;
  return !equalExcept(original ?? {}, status ?? {}, 'conditions');
};

/** Construction options of {@link KubeletNodeStatus}. */
export interface KubeletNodeStatusOptions {
  readonly clock: SimClock;
  readonly client: ApiClient;
  readonly nodeName: string;
  /** Owner shown on the loop's timers. */
  readonly owner: string;
  /** The labels the kubelet registers with (defaults and --node-labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** --register-with-taints. */
  readonly registerWithTaints: readonly Taint[];
  /** --node-status-update-frequency (ms). */
  readonly nodeStatusUpdateFrequency: number;
  /** nodeStatusReportFrequency (ms); used only with `nodeLease`. */
  readonly nodeStatusReportFrequency: number;
  /** The NodeLease gate: an unchanged status is posted only every report frequency. */
  readonly nodeLease: boolean;
  /** Reads the machine's current state. */
  readonly source: () => NodeStatusSource;
  /** Called once the Node is registered. */
  readonly onRegistered?: () => void;
  readonly recordEvent: NodeEventRecorder;
}

/**
 * The kubelet's node status loop (syncNodeStatus under wait.Until): registers the Node
 * once per process, then every nodeStatusUpdateFrequency GETs the Node, applies the
 * setters and writes the status — each time, or with the NodeLease gate only when it
 * changed or nodeStatusReportFrequency has passed since the last write. A Node deleted
 * after registration is never re-created by this process.
 */
export class KubeletNodeStatus {
  readonly #o: KubeletNodeStatusOptions;
  readonly #syncLabel: TimerLabel;
  readonly #registerLabel: TimerLabel;
  #timer: TimerHandle | undefined;
  #running = false;
  #registrationCompleted = false;
  #registerSleep = REGISTER_FIRST_SLEEP_MS;
  #lastStatusReportTime = -Infinity;
  #lastNodeUnschedulable = false;
  /**
   * The status this loop last wrote, as the API server stored it, and the source it was
   * built from: while the Node's status is still that object and the source has not
   * changed, the next heartbeat only moves heartbeat times ({@link heartbeatStatus}).
   * `#heartbeatsOnly`: those heartbeats change nothing else (see readyIsHeartbeatStable),
   * so between reports with the NodeLease gate they need not be built at all. Fields of the
   * loop rather than a record, as are the options a heartbeat reads: each node's heartbeat
   * comes round every 10 s, when its objects have left the CPU's caches, and a heartbeat
   * that writes nothing costs mostly the objects it loads.
   */
  #writtenStatus: NodeStatus | undefined;
  #writtenSource: NodeStatusSource | undefined;
  #heartbeatsOnly = false;
  /** The written status's pressure conditions, the status, have the setters' member order (see heartbeatStatus). */
  #pressureLiterals = false;
  #statusLiteral = false;
  readonly #client: ApiClient;
  readonly #clock: SimClock;
  readonly #source: () => NodeStatusSource;
  /** nodeStatusReportFrequency with the NodeLease gate; without it, every heartbeat reports. */
  readonly #reportEvery: number;
  /** The loop's timer actions, made once: the loop reschedules itself every 10 s on every node. */
  readonly #syncAction = (): void => this.#syncNodeStatus();
  readonly #registerAction = (): void => this.#registerAttempt();

  constructor(options: KubeletNodeStatusOptions) {
    this.#o = options;
    this.#client = options.client;
    this.#clock = options.clock;
    this.#source = options.source;
    this.#reportEvery = options.nodeLease ? options.nodeStatusReportFrequency : -Infinity;
    this.#syncLabel = { owner: options.owner, purpose: `node status update of ${options.nodeName}` };
    this.#registerLabel = { owner: options.owner, purpose: `register node ${options.nodeName}` };
  }

  /** True once this process registered its Node (a one-way flag, as upstream's registrationCompleted). */
  get registrationCompleted(): boolean {
    return this.#registrationCompleted;
  }

  /** Virtual time of the last status write, -Infinity before the first. */
  get lastStatusReportTime(): number {
    return this.#lastStatusReportTime;
  }

  /** Starts the loop: the first sync runs now. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#timer = this.#o.clock.schedule(0, this.#syncAction, this.#syncLabel);
  }

  /** Stops the loop. */
  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #syncNodeStatus(): void {
    if (!this.#running) return;
    if (!this.#registrationCompleted) {
      // registerWithAPIServer blocks the loop, sleeping before each attempt.
      this.#timer = this.#o.clock.schedule(this.#registerSleep, this.#registerAction, this.#registerLabel);
      return;
    }
    this.#updateNodeStatus();
    this.#timer = this.#o.clock.schedule(this.#o.nodeStatusUpdateFrequency, this.#syncAction, this.#syncLabel);
  }

  #registerAttempt(): void {
    if (!this.#running) return;
    this.#registerSleep = Math.min(this.#registerSleep * 2, REGISTER_MAX_SLEEP_MS);
    if (!this.#tryRegisterWithAPIServer(this.#initialNode())) {
      this.#timer = this.#o.clock.schedule(this.#registerSleep, this.#registerAction, this.#registerLabel);
      return;
    }
    this.#registrationCompleted = true;
    this.#o.onRegistered?.();
    this.#updateNodeStatus();
    this.#timer = this.#o.clock.schedule(this.#o.nodeStatusUpdateFrequency, this.#syncAction, this.#syncLabel);
  }

  /** initialNode: labels, the attach/detach annotation, registration taints, and the setters' status. */
  #initialNode(): Node {
    const { nodeName, labels, registerWithTaints } = this.#o;
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: nodeName, labels: { ...labels }, annotations: { [CONTROLLER_MANAGED_ATTACH_ANNOTATION]: 'true' } },
      spec: registerWithTaints.length > 0 ? { taints: [...registerWithTaints] } : {},
    };
    return { ...node, status: this.#setNodeStatus(node) };
  }

  #tryRegisterWithAPIServer(node: Node): boolean {
    const { client, nodeName } = this.#o;
    const created = client.create('Node', node);
    if (E.isRight(created)) return true;
    if (created.left.reason !== 'AlreadyExists') return false;
    const got = client.get('Node', nodeName);
    if (E.isLeft(got)) return false;
    // "Node <n> was previously registered": only the attach/detach annotation and the
    // default labels are reconciled; cordon, taints and other labels stay as they are.
    const existing = got.right;
    const annotations = { ...existing.metadata?.annotations, [CONTROLLER_MANAGED_ATTACH_ANNOTATION]: 'true' };
    const labels = { ...existing.metadata?.labels };
    for (const key of DEFAULT_NODE_LABELS) {
      const wanted = node.metadata?.labels?.[key];
      if (wanted === undefined) continue;
      if (wanted === '') delete labels[key];
      else labels[key] = wanted;
    }
    if (deepEqual(annotations, existing.metadata?.annotations ?? {}) && deepEqual(labels, existing.metadata?.labels ?? {})) return true;
    return E.isRight(client.update('Node', { ...existing, metadata: { ...existing.metadata, labels, annotations } }));
  }

  #updateNodeStatus(): void {
    for (let i = 0; i < NODE_STATUS_UPDATE_RETRY; i++) {
      const result = this.#tryUpdateNodeStatus();
      // Only a conflict can succeed on an immediate retry; a missing Node or an unreachable
      // server fails the same way five times (upstream logs each and gives up until the next tick).
      if (result !== 'conflict') return;
    }
  }

  #tryUpdateNodeStatus(): 'ok' | 'conflict' | 'failed' {
    const client = this.#client;
    const got = client.get('Node', this.#o.nodeName);
    if (E.isLeft(got)) return 'failed';
    const node = got.right;
    const now = this.#clock.now();
    const source = this.#source();
    const gated = now < this.#lastStatusReportTime + this.#reportEvery;
    // Whether `node`'s status is the one this loop last wrote, built from `source`: then a
    // heartbeat only moves heartbeat times.
    const heartbeat = node.status !== undefined && node.status === this.#writtenStatus && source === this.#writtenSource;
    if (gated && heartbeat && this.#heartbeatsOnly) {
      // The setters would only move heartbeat times (heartbeatStatus: no event, nothing
      // else changes), which nodeStatusHasChanged ignores: nothing would be written, so the
      // status is not built. Five heartbeats in six with the NodeLease gate, on every node.
      this.#recordSchedulableEvent(node);
      return 'ok';
    }
    // A status heartbeatStatus builds has every Ready condition as readyCondition makes it:
    // heartbeat-stable by construction, so readyIsHeartbeatStable need not walk it again.
    const status = this.#setNodeStatus(node, source, heartbeat);
    this.#recordSchedulableEvent(node);
    if (gated && !nodeStatusHasChanged(node.status, status)) return 'ok';
    // The server reads a status write's metadata and status only. A literal, not a spread of
    // the frozen Node (about four times as long on Node 20), on every heartbeat of every node.
    const updated = client.updateStatus('Node', { apiVersion: node.apiVersion, kind: node.kind, metadata: node.metadata, spec: node.spec, status });
    if (E.isLeft(updated)) return updated.left.reason === 'Conflict' ? 'conflict' : 'failed';
    // The server stores the frozen status as it is; anything else takes the full path next time.
    if (updated.right.status !== status) {
      this.#writtenStatus = undefined;
      this.#writtenSource = undefined;
      this.#heartbeatsOnly = false;
      this.#pressureLiterals = false;
      this.#statusLiteral = false;
    } else {
      this.#heartbeatsOnly = heartbeat || readyIsHeartbeatStable(status);
      // heartbeatStatus keeps the members' order: a heartbeat's is the last write's.
      if (!heartbeat) {
        this.#pressureLiterals = pressureInSetterOrder(status);
        this.#statusLiteral = statusInSetterOrder(status);
      }
      this.#writtenStatus = status;
      this.#writtenSource = source;
    }
    this.#lastStatusReportTime = now;
    return 'ok';
  }

  /**
   * The setters' status of `node` from `source`; `heartbeat`: the Node's status is the one
   * this loop last wrote, built from `source`, so only heartbeat times move.
   */
  #setNodeStatus(node: Node, source: NodeStatusSource = this.#source(), heartbeat = false): NodeStatus {
    const now = this.#clock.iso();
    if (heartbeat && node.status !== undefined) {
      const status = heartbeatStatus(node.status, now, this.#pressureLiterals, this.#statusLiteral);
      // With a heartbeat-stable Ready condition, the status differs from the stored one in
      // heartbeat times only: the Node watchers are told so rather than comparing.
      if (this.#heartbeatsOnly) noteHeartbeatStatus(status, node.status);
      return status;
    }
    return frozenStatus(setNodeStatus(node, this.#o.nodeName, source, now, this.#o.recordEvent));
  }

  /** recordNodeSchedulableEvent: the kubelet reports a cordon or uncordon it notices. */
  #recordSchedulableEvent(node: Node): void {
    const unschedulable = node.spec?.unschedulable === true;
    if (unschedulable === this.#lastNodeUnschedulable) return;
    const reason = unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable';
    this.#o.recordEvent('Normal', reason, nodeStatusEventMessage(this.#o.nodeName, reason));
    this.#lastNodeUnschedulable = unschedulable;
  }
}
