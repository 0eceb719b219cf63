// The node lifecycle controller ("node-controller"): notices nodes whose kubelet stopped
// heartbeating, marks them Unknown and their pods not Ready, taints nodes from their
// conditions, and evicts pods from nodes that stay unreachable — by NoExecute taints that
// the taint eviction controller acts on, or (legacy path) by deleting the pods itself, rate
// limited per zone and halted when the whole cluster looks disrupted.
//
// Models k/k pkg/controller/nodelifecycle/node_lifecycle_controller.go: main (1.2x–1.3x:
// processTaintBaseEviction, MarkPodsNotReady with the pod event, nodesToRetry) and the
// v1.15.5 snapshot standing for 1.13–1.17 (the legacy podEvictionTimeout path inline in
// monitorNodeHealth, useTaintBasedEvictions, master nodes excluded by name); the ≤1.12
// differences (conditions rewritten, no Lease) come from the profile. Helpers from
// pkg/controller/util/node/controller_utils.go (RecordNodeEvent, RecordNodeStatusChange,
// MarkPodsNotReady, DeletePods, SetPodTerminationReason). Reference §2, §8, §9.
//
// One deliberate difference in how, not what: upstream's monitor pass looks at every node
// every 5 s; this one looks only at nodes that changed (informer events on the Node or its
// Lease) or whose deadline came (grace period, legacy eviction timeout), so a pass costs
// O(changes), not O(nodes). Each node's decision is upstream's, taken at the same pass.
// Likewise the 100 ms tainting/eviction pass runs on upstream's 100 ms grid, but only while
// a zone queue holds a node that a token could let through.
import * as E from 'fp-ts/lib/Either.js';
import { EventRecorder, type Informer, deepEqual, labelSelectorFromObject, type ApiClient, type InformerEvent, type KubeObject, type TimerHandle } from '@failsim/core';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { every, type Periodic } from '../runtime/periodic.js';
import { TAINTS, nodeCondition, splitKey } from '../runtime/pod-util.js';
import { WorkQueue } from '../runtime/work-queue.js';
import { MinHeap } from '../runtime/min-heap.js';
import { isNodeHeartbeatOnly } from '../runtime/node-heartbeat.js';
import { removeTaintOffNode, swapNodeControllerTaint, taintExists, taintSetDiff } from './node-taints.js';
import { acquirePodsByNode, releasePodsByNode, type PodsByNode } from './pods-by-node.js';
import { EVICTION_RATE_LIMITER_BURST, NODE_EVICTION_PERIOD, RateLimitedTimedQueue, TokenBucket, type TimedValue, type TryResult } from './rate-limited-queue.js';
import { TaintEvictionController } from './taint-eviction-controller.js';
import { parseRfc3339 } from './micro-time.js';
import { computeZoneState, getZoneKey, isNodeExcludedFromDisruptionChecks, zoneDisplayName, type ZoneState } from './zones.js';

/** The controller's name and event source. */
export const NODE_CONTROLLER = 'node-controller';

/** Namespace of the node Leases (v1.NamespaceNodeLease). */
export const NAMESPACE_NODE_LEASE = 'kube-node-lease';

/** scheduler.NodeHealthUpdateRetry: attempts to write a node's health before skipping it for this pass. */
const NODE_HEALTH_UPDATE_RETRY = 5;

/** UnreachableTaintTemplate. */
export const UNREACHABLE_TAINT: Taint = { key: TAINTS.unreachable, effect: 'NoExecute' };
/** NotReadyTaintTemplate. */
export const NOT_READY_TAINT: Taint = { key: TAINTS.notReady, effect: 'NoExecute' };
/** The one-taint lists markNodeAsReachable removes, built once: it runs for every Ready node checked. */
const UNREACHABLE_ONLY: readonly Taint[] = Object.freeze([UNREACHABLE_TAINT]);
const NOT_READY_ONLY: readonly Taint[] = Object.freeze([NOT_READY_TAINT]);

/** nodeConditionToTaintKeyStatusMap: condition type → status → NoSchedule taint key. */
const CONDITION_TAINTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINTS.notReady, Unknown: TAINTS.unreachable },
  MemoryPressure: { True: TAINTS.memoryPressure },
  DiskPressure: { True: TAINTS.diskPressure },
  NetworkUnavailable: { True: TAINTS.networkUnavailable },
  PIDPressure: { True: TAINTS.pidPressure },
};

/** Up to this many nodes a monitor pass sorts in place by insertion; above it, a copy with Array's sort. */
const INSERTION_SORT_MAX = 16;

/**
 * Sorts the first `n` of `items` in place by name as `Array.prototype.sort()` without a
 * comparator sorts their distinct names (UTF-16 code unit order, which is also the order of
 * `<` on strings), by insertion: a monitor pass sorts the nodes it looks at, a handful every
 * 5 s in a small cluster, and V8's sort allocated a work array each time (a third of what a
 * library scenario's node monitor allocated). Meant for at most {@link INSERTION_SORT_MAX}.
 */
export const sortByNamePrefix = <T extends { readonly name: string }>(items: T[], n: number): void => {
  for (let i = 1; i < n; i++) {
    const item = items[i]!;
    const name = item.name;
    let j = i - 1;
    for (; j >= 0 && items[j]!.name > name; j--) items[j + 1] = items[j]!;
    items[j + 1] = item;
  }
};

/** Distinct names in `Array.prototype.sort()`'s order, for a large pass. */
const byName = (a: { readonly name: string }, b: { readonly name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** taintKeyToNodeConditionMap's keys: the NoSchedule taints this controller owns, with the unschedulable one. */
const OWNED_NO_SCHEDULE_KEYS: ReadonlySet<string> = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINTS.unschedulable]);

/** Texts of the Unknown conditions written when heartbeats stop (tryUpdateNodeHealth). */
export const NODE_STATUS_TEXTS = {
  unknownReason: 'NodeStatusUnknown',
  unknownMessage: 'Kubelet stopped posting node status.',
  neverUpdatedReason: 'NodeStatusNeverUpdated',
  neverUpdatedMessage: 'Kubelet never posted node status.',
} as const;

/** pkg/util/node NodeUnreachablePodReason / NodeUnreachablePodMessage (legacy eviction). */
export const NODE_LOST = {
  reason: 'NodeLost',
  message: (node: string, pod: string): string => `Node ${node} which was running pod ${pod} is unresponsive`,
} as const;

/**
 * What the controller keeps of one node, in one record rather than a map per concern
 * (nodeHealthMap, knownNodeSet, zone, deadline, Lease): a settled cluster checks every node
 * on each Lease renewal, and each map's entry was a cold lookup of its own. Times in
 * virtual ms. Kept until stop(), as nodeHealthMap's entries are.
 */
class NodeRecord {
  /** Whether nodeHealthMap has the node: the five fields below are its nodeHealthData. */
  hasHealth = false;
  /** When this controller last saw a new heartbeat or Lease renewal (controller-local). */
  probeTimestamp = 0;
  /** When this controller saw the Ready condition last transition. */
  readyTransitionTimestamp = 0;
  /** The Ready condition of the status saved with the timestamps. */
  saved: NodeCondition | undefined = undefined;
  /** The Lease renewTime saved (undefined: no Lease seen). */
  lease: { renewTime: number | undefined } | undefined = undefined;
  /**
   * The Node object the last full check of this node found Ready with nothing to write,
   * queue or retry (see NodeLifecycleController.#checkRenewal); undefined otherwise.
   */
  settled: Node | undefined = undefined;
  /** knownNodeSet's Node. */
  known: Node | undefined = undefined;
  /** The node's zone, and the frozen labels object it was computed from (see #trackZone). */
  zone: string | undefined = undefined;
  zoneLabels: object | undefined = undefined;
  /** The node's current deadline, and its carrier in the heap (see #deadlines). */
  deadline: Deadline | undefined = undefined;
  carrier: Deadline | undefined = undefined;
  /**
   * Whether the Lease informer's cache holds the node's Lease, and its renewTime in virtual
   * ms: kept from the Lease's events, where the Lease was just written, rather than looked
   * up and parsed again on each check.
   */
  hasLease = false;
  leaseRenewMs: number | undefined = undefined;
  /** Whether the node is in the controller's dirty list: the next monitor pass looks at it. */
  dirty = false;

  constructor(readonly name: string) {}
}

/** nodeHealthMap's new entry for the node. */
const initHealth = (rec: NodeRecord, timestamp: number, saved: NodeCondition | undefined): void => {
  rec.hasHealth = true;
  rec.probeTimestamp = timestamp;
  rec.readyTransitionTimestamp = timestamp;
  rec.saved = saved;
  rec.lease = undefined;
  rec.settled = undefined;
};

/**
 * The node's Ready condition as tryUpdateNodeHealth observes it: a new heartbeat (upstream
 * stores a fresh nodeHealthData; the record is this controller's own, so it is updated in
 * place: a node heartbeats every 10 s) makes `now` the probe time, and the Ready transition
 * time when the condition's lastTransitionTime moved, and drops the saved Lease.
 */
const observeReady = (health: NodeRecord, currentReady: NodeCondition, now: number): void => {
  const saved = health.saved;
  if (saved && saved.lastHeartbeatTime === currentReady.lastHeartbeatTime) return;
  if (!saved || saved.lastTransitionTime !== currentReady.lastTransitionTime) health.readyTransitionTimestamp = now;
  health.probeTimestamp = now;
  health.saved = currentReady;
  health.lease = undefined;
};

/** What tryUpdateNodeHealth returns: one record per controller, read at once by #checkNode. */
interface HealthResult {
  node: Node;
  observed: NodeCondition;
  current: NodeCondition | undefined;
}

/**
 * A node's deadline. Mutable only while it is its node's current deadline and not its carrier:
 * such a record is in no heap, so it may take a later due in place (see #scheduleDeadline).
 */
interface Deadline {
  due: number;
  readonly record: NodeRecord;
  seq: number;
  /** What ends then; worded only when the clocks view asks (a deadline is set on every heartbeat). */
  what: 'grace period' | 'startup grace period' | 'pod eviction timeout';
}

/** Counted nodes of a zone by Ready. */
interface ZoneCount {
  ready: number;
  notReady: number;
  /** handleDisruption's newStates entry for the zone: set at the start of each disruption check, read only within it. */
  state: ZoneState;
}

/** Counters for benchmarks and tests: how much work the monitor passes did. */
export interface NodeLifecycleStats {
  /** Monitor passes run. */
  readonly passes: number;
  /** Nodes looked at by those passes (upstream: every node every pass). */
  readonly nodeChecks: number;
}

/**
 * The node lifecycle controller, from the profile's flags and gates.
 *
 * Every `nodeMonitorPeriod` it checks node health: a node whose Ready heartbeat (and, with
 * NodeLease, Lease renewal) this controller has not seen change for the grace period
 * (`nodeMonitorGracePeriod`; `nodeStartupGracePeriod` if it never had Ready) gets Ready and
 * the monitored conditions set Unknown; in that pass a `NodeNotReady` Node event and every
 * pod on the node set Ready=False (with a pod event from ≈1.19). With TaintNodesByCondition
 * it keeps NoSchedule taints in step with conditions and `spec.unschedulable`. Taint-based
 * eviction (TaintBasedEvictions and enableTaintManager): the next pass queues the node in
 * its zone, and a rate-limited 100 ms pass adds `unreachable:NoExecute` (or
 * `not-ready:NoExecute`); Ready again removes them. Legacy path: after `podEvictionTimeout`
 * the pods get reason NodeLost and a graceful delete. A zone with no Ready node, or with
 * more than 2 not Ready and at least `unhealthyZoneThreshold` of it, slows or stops
 * evictions; when every zone has no Ready node, all evictions stop.
 *
 * Before 1.29 (features.SeparateTaintEvictionController off) it runs a
 * {@link TaintEvictionController} inside itself when options.enableTaintManager is set.
 *
 * @example
 * ```ts
 * const nlc = new NodeLifecycleController({ sim, profile: profile114, timings: defaultTimings });
 * nlc.start();
 * sim.clock.runFor(60_000);
 * ```
 */
export class NodeLifecycleController implements Component {
  readonly name = NODE_CONTROLLER;
  readonly #ctx: ControllerContext;
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;
  readonly #nodes: Informer<'Node'>;
  readonly #pods: Informer<'Pod'>;
  readonly #leases: Informer<'Lease'> | undefined;
  readonly #daemonSets: Informer<'DaemonSet'> | undefined;
  /** The pod informer's nodeName index, shared with the taint eviction controller; set while started. */
  #podsByNode: PodsByNode | undefined;
  /** useTaintBasedEvictions: NoExecute taints rather than deleting pods. */
  readonly #taintBased: boolean;
  #noScheduleQueue: WorkQueue | undefined;
  #taintManager: TaintEvictionController | undefined;
  #subscriptions: Subscription[] = [];
  #monitor: Periodic | undefined;
  #startedAt = 0;

  /** Each node's record, by name. */
  readonly #records = new Map<string, NodeRecord>();
  /**
   * The records of the nodes with informer events (or a failed write to retry) since the
   * last pass: the first #dirtyCount entries, each flagged `dirty` so that it is listed once.
   * A list of records rather than a set of names: every Node and Lease event adds to it,
   * and every pass (every 5 s in 1.12–1.16) took the names, looked each record up and
   * emptied the set, which Set.prototype.clear does in the runtime.
   */
  #dirty: NodeRecord[] = [];
  #dirtyCount = 0;
  /**
   * The other list: a pass takes #dirty and puts this one in its place, and keeps the taken
   * one for the next pass (with its length: emptying an array gives its storage up).
   */
  #spareDirty: NodeRecord[] = [];
  /** nodesToRetry: pods still to be marked not Ready. */
  readonly #retry = new Set<string>();
  /**
   * Deadlines by (due, seq), possibly stale. Every heartbeat moves a node's deadline later,
   * so instead of one push per heartbeat the heap holds, per node, one entry (its carrier)
   * due no later than the node's current deadline; when the carrier comes up and the
   * current deadline is later, the current one takes its place. Which nodes each pass
   * looks at, and which deadline the clocks view names, are as with one entry per change.
   */
  readonly #deadlines = new MinHeap<Deadline>((a, b) => a.due < b.due || (a.due === b.due && a.seq < b.seq));
  /** Zone keys by the (frozen) labels object they were computed from. */
  readonly #zoneKeys = new WeakMap<object, string>();
  #deadlineSeq = 0;

  /** zoneStates. */
  readonly #zoneStates = new Map<string, ZoneState>();
  /** zoneNoExecuteTainter, or zonePodEvictor on the legacy path. */
  readonly #zoneQueues = new Map<string, RateLimitedTimedQueue>();
  /** How many nodes each zone has. */
  readonly #zoneSize = new Map<string, number>();
  /** The nodes that count for disruption (zoneToNodeConditions), with their last Ready. */
  readonly #counted = new Map<string, { zone: string; ready: boolean }>();
  readonly #zoneCounts = new Map<string, ZoneCount>();

  /**
   * The record #tryUpdateNodeHealth answers in: it runs for every node checked (every
   * Lease renewal), and #checkNode takes the three values out before anything else runs.
   */
  readonly #healthResult: HealthResult = { node: {}, observed: { type: 'Ready', status: 'Unknown' }, current: undefined };

  /** The nodes a monitor pass looks at, as the informer held them when it began (scratch, emptied after). */
  readonly #passNodes: (Node | undefined)[] = [];
  /** The Node informer's change count when #passNodes was filled; -1 outside a pass. */
  #passChanges = -1;

  #tick: TimerHandle | undefined;
  #lastTickAt = -Infinity;
  #passes = 0;
  #nodeChecks = 0;

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
    const { features, options } = ctx.profile;
    this.#client = ctx.sim.api.client(NODE_CONTROLLER);
    this.#recorder = new EventRecorder(this.#client, { component: NODE_CONTROLLER }, { trace: ctx.sim.trace });
    this.#nodes = sharedInformer(ctx, 'Node');
    this.#pods = sharedInformer(ctx, 'Pod');
    this.#leases = features.NodeLease ? sharedInformer(ctx, 'Lease', { namespace: NAMESPACE_NODE_LEASE }) : undefined;
    this.#taintBased = features.TaintBasedEvictions && options.enableTaintManager;
    this.#daemonSets = this.#taintBased ? undefined : sharedInformer(ctx, 'DaemonSet');
  }

  start(): void {
    if (this.#monitor) return;
    const { clock } = this.#ctx.sim;
    this.#startedAt = clock.now();
    this.#noScheduleQueue = new WorkQueue(clock, (name) => this.#doNoScheduleTaintingPass(name), { owner: NODE_CONTROLLER });
    // Subscribed (and filled from the cache) first, where this controller's own index was.
    this.#podsByNode = acquirePodsByNode(this.#pods);
    this.#subscriptions = [];
    if (this.#daemonSets) this.#subscriptions.push(this.#daemonSets.events$.subscribe());
    if (this.#leases) {
      this.#subscriptions.push(
        this.#leases.events$.subscribe((e) => {
          this.#markDirty(this.#leaseNow(e.object.metadata?.name ?? '', e.type === 'DELETED' ? undefined : e.object));
        }),
      );
      // What the events above will not say: the Leases cached before this start.
      for (const lease of this.#leases.list()) this.#leaseNow(lease.metadata?.name ?? '', lease);
    }
    this.#subscriptions.push(this.#nodes.events$.subscribe((e) => this.#nodeEvent(e)));
    // An informer keeps its cache across a stop, and a relist of unchanged objects says
    // nothing: after a restart, replay the cache as upstream's fresh informers would.
    for (const node of this.#nodes.list()) this.#nodeEvent({ type: 'ADDED', object: node });
    const { features, options } = this.#ctx.profile;
    if (options.enableTaintManager && !features.SeparateTaintEvictionController) {
      this.#taintManager = new TaintEvictionController(this.#ctx, { client: this.#client });
      this.#taintManager.start();
    }
    // A live purpose: the clocks view shows which node's deadline the next passes wait for.
    const purpose = (): string => this.#monitorPurpose();
    const label = {
      owner: NODE_CONTROLLER,
      get purpose(): string {
        return purpose();
      },
    };
    this.#monitor = every(clock, options.nodeMonitorPeriod, label, () => this.#monitorNodeHealth());
  }

  /**
   * Stops every loop, timer and watch, and forgets what it observed: started again, it is
   * a restarted kube-controller-manager, whose grace periods start over ("Missing timestamp
   * for Node. Assuming now as a timestamp").
   */
  stop(): void {
    this.#monitor?.stop();
    this.#monitor = undefined;
    this.#tick?.cancel();
    this.#tick = undefined;
    this.#lastTickAt = -Infinity;
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#subscriptions = [];
    this.#noScheduleQueue?.stop();
    this.#noScheduleQueue = undefined;
    this.#taintManager?.stop();
    this.#taintManager = undefined;
    if (this.#podsByNode) releasePodsByNode(this.#pods);
    this.#podsByNode = undefined;
    this.#dirtyCount = 0;
    for (const state of [this.#records, this.#retry, this.#zoneStates, this.#zoneQueues, this.#zoneSize, this.#counted, this.#zoneCounts]) {
      state.clear();
    }
    this.#deadlines.clear();
  }

  /** The node's probeTimestamp: when this controller last saw it heartbeat (virtual ms), if known. */
  probeTimestamp(nodeName: string): number | undefined {
    const rec = this.#records.get(nodeName);
    return rec?.hasHealth ? rec.probeTimestamp : undefined;
  }

  /** Each zone's state, by zone as people read it ("" for nodes without zone labels, else `region/zone`). */
  zoneStates(): ReadonlyMap<string, ZoneState> {
    return new Map([...this.#zoneStates].map(([zone, state]) => [zoneDisplayName(zone), state]));
  }

  /** Nodes waiting in zone queues for a NoExecute taint (or, legacy, for their pods' deletion). */
  queuedNodes(): readonly string[] {
    return [...this.#zoneQueues.values()].flatMap((q) => q.values().map((v) => v.value));
  }

  /** How much work the monitor passes did. */
  get stats(): NodeLifecycleStats {
    return { passes: this.#passes, nodeChecks: this.#nodeChecks };
  }

  /** The embedded taint eviction controller, when this controller runs one. */
  get taintManager(): TaintEvictionController | undefined {
    return this.#taintManager;
  }

  // ---- informer events ------------------------------------------------------------------

  /** The node's record, made when first asked for. */
  #record(name: string): NodeRecord {
    let rec = this.#records.get(name);
    if (rec === undefined) this.#records.set(name, (rec = new NodeRecord(name)));
    return rec;
  }

  /** Lists the node for the next pass. */
  #markDirty(rec: NodeRecord): void {
    if (rec.dirty) return;
    rec.dirty = true;
    this.#dirty[this.#dirtyCount++] = rec;
  }

  /**
   * Keeps what the Lease informer's cache now holds for the node (undefined: no Lease), its
   * renewTime as #observeLease reads it: the informer applies each change to its cache
   * before it delivers the event, so this is what a lookup at the next check would find.
   * The node's record.
   */
  #leaseNow(name: string, lease: Lease | undefined): NodeRecord {
    const rec = this.#record(name);
    rec.hasLease = lease !== undefined;
    const renewTime = lease?.spec?.renewTime;
    rec.leaseRenewMs = renewTime ? parseRfc3339(renewTime) - this.#ctx.sim.clock.epochMs : undefined;
    return rec;
  }

  #nodeEvent(e: InformerEvent<Node>): void {
    const name = e.object.metadata?.name ?? '';
    this.#markDirty(this.#record(name));
    if (e.type === 'DELETED' || !this.#ctx.profile.features.TaintNodesByCondition) return;
    // Upstream queues every Node add and update; only these fields can change the outcome.
    if (e.type === 'MODIFIED' && e.old && (isNodeHeartbeatOnly(e.old, e.object) || sameNoScheduleInputs(e.old, e.object))) return;
    this.#noScheduleQueue?.add(name);
  }

  // ---- NoSchedule taints from conditions (doNoScheduleTaintingPass) ---------------------

  #doNoScheduleTaintingPass(name: string): void {
    const node = this.#nodes.get(name);
    if (!node) return;
    const desired: Taint[] = [];
    for (const c of node.status?.conditions ?? []) {
      const key = CONDITION_TAINTS[c.type]?.[c.status];
      if (key) desired.push({ key, effect: 'NoSchedule' });
    }
    if (node.spec?.unschedulable) desired.push({ key: TAINTS.unschedulable, effect: 'NoSchedule' });
    const current = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && OWNED_NO_SCHEDULE_KEYS.has(t.key));
    const { toAdd, toRemove } = taintSetDiff(desired, current);
    if (toAdd.length === 0 && toRemove.length === 0) return;
    // A failed swap waits for the next Node update, as upstream (no requeue).
    swapNodeControllerTaint(this.#client, this.#ctx.sim.clock.iso(), toAdd, toRemove, node);
  }

  // ---- monitorNodeHealth ----------------------------------------------------------------

  #monitorNodeHealth(): void {
    const now = this.#ctx.sim.clock.now();
    this.#passes++;
    // The pass's nodes: the dirty list, taken (what is marked from here on is the next
    // pass's), with the retries and the deadlines that came; the first `n` entries.
    const taken = this.#dirty;
    let n = this.#dirtyCount;
    this.#dirty = this.#spareDirty;
    this.#dirtyCount = 0;
    for (const name of this.#retry) {
      const rec = this.#record(name);
      if (rec.dirty) continue;
      rec.dirty = true;
      taken[n++] = rec;
    }
    for (let top = this.#deadlines.peek(); top && top.due < now; top = this.#deadlines.peek()) {
      this.#deadlines.pop();
      const rec = top.record;
      if (rec.carrier !== top) continue;
      rec.carrier = undefined;
      const current = rec.deadline;
      if (!current) continue;
      if (current.due < now) {
        rec.deadline = undefined;
        if (rec.dirty) continue;
        rec.dirty = true;
        taken[n++] = rec;
      } else this.#carry(current);
    }
    for (let i = 0; i < n; i++) taken[i]!.dirty = false;
    // In name order: sorted in place, or a large pass sorts a copy.
    let records = taken;
    if (n <= INSERTION_SORT_MAX) sortByNamePrefix(taken, n);
    else records = taken.slice(0, n).sort(byName);

    // Each node is looked up once here, in a scratch array that keeps its length between
    // passes; the loops below take it from `cached` while the informer's cache has not
    // changed since, and look again otherwise: a taint or status written in the pass
    // changes the cached Node.
    const cached = this.#passNodes;
    while (cached.length < n) cached.push(undefined);
    for (let i = 0; i < n; i++) cached[i] = this.#nodes.get(records[i]!.name);
    this.#passChanges = this.#nodes.changes;

    // Zone membership first: classifyNodes' newZoneRepresentatives and the added nodes get
    // their zone's queue before anything is decided.
    for (let i = 0; i < n; i++) this.#trackZone(records[i]!, cached[i]);
    for (const zone of this.#zoneSize.keys()) if (!this.#zoneStates.has(zone)) this.#addPodEvictorForNewZone(zone, now);

    for (let i = 0; i < n; i++) {
      const rec = records[i]!;
      const name = rec.name;
      if (rec.known !== undefined) continue;
      const node = this.#nodeNow(name, cached[i]);
      if (!node) continue;
      this.#recordNodeEvent(node, 'RegisteredNode', `Registered Node ${name} in Controller`);
      rec.known = node;
      if (this.#taintBased) this.#markNodeAsReachable(node, now);
      else this.#cancelPodEviction(name);
    }
    for (let i = 0; i < n; i++) {
      const rec = records[i]!;
      const name = rec.name;
      // The node first: still there (most names), the known map need not be asked.
      if (this.#nodeNow(name, cached[i])) continue;
      const old = rec.known;
      if (!old) continue;
      this.#recordNodeEvent(old, 'RemovingNode', `Removing Node ${name} from Controller`);
      rec.known = undefined;
      this.#uncount(name);
      this.#retry.delete(name);
      rec.deadline = undefined;
    }

    for (let i = 0; i < n; i++) {
      const rec = records[i]!;
      const node = this.#nodeNow(rec.name, cached[i]);
      if (node) this.#checkNode(node, rec, now);
    }
    this.#passChanges = -1;
    // The nodes are not kept past the pass (the records are, until stop()). A loop, not
    // fill(): Array.prototype.fill is a call into the runtime, for a handful of slots.
    for (let i = 0; i < n; i++) cached[i] = undefined;
    this.#spareDirty = taken;
    this.#handleDisruption(now);
  }

  /**
   * The informer's Node `name` now, given `cached`, what it held when this pass began:
   * that one while the informer's cache has not changed since (see #monitorNodeHealth).
   */
  #nodeNow(name: string, cached: Node | undefined): Node | undefined {
    return this.#passChanges === this.#nodes.changes ? cached : this.#nodes.get(name);
  }

  /** Checks the node `cached`, whose record is `rec`. */
  #checkNode(cached: Node, rec: NodeRecord, now: number): void {
    const name = rec.name;
    this.#nodeChecks++;
    if (rec.hasHealth) {
      const settled = rec.settled;
      if (settled !== undefined && (settled === cached || this.#observeHeartbeat(settled, cached, rec, now)) && this.#checkRenewal(rec, now)) {
        rec.settled = cached;
        return;
      }
      rec.settled = undefined;
    }
    const result = this.#updateNodeHealth(cached, rec, now);
    if (!result) {
      // "Skipping - no pods will be evicted": upstream tries again next pass.
      this.#markDirty(rec);
      return;
    }
    const { node, observed, current } = result;
    if (isNodeExcludedFromDisruptionChecks(node, this.#ctx.profile.features)) this.#uncount(name);
    else this.#count(name, rec.zone ?? '', current?.status === 'True');

    if (current) {
      if (this.#taintBased) this.#processTaintBaseEviction(node, observed, now);
      else this.#processNoTaintBaseEviction(node, observed, now);
      const needsRetry = this.#retry.has(name);
      let marked = true;
      if (current.status !== 'True' && observed.status === 'True') {
        this.#recordNodeStatusChange(node, 'NodeNotReady');
        marked = this.#markPodsNotReady(name);
      } else if (needsRetry && observed.status !== 'True') {
        marked = this.#markPodsNotReady(name);
      }
      if (!marked) {
        this.#retry.add(name);
        this.#scheduleDeadline(rec, cached);
        return;
      }
    }
    this.#retry.delete(name);
    this.#scheduleDeadline(rec, cached);
    // Ready, nothing written (the same Node object), no taint for markNodeAsReachable to
    // remove: until this object changes, a check of it only follows the Lease.
    if (node === cached && current === observed && observed.status === 'True' && !taintExists(node.spec?.taints, UNREACHABLE_TAINT) && !taintExists(node.spec?.taints, NOT_READY_TAINT)) {
      if (rec.hasHealth) rec.settled = node;
    }
  }

  /**
   * Whether `cached` is, for a check, the Node `settled` was: the same spec (so no taint
   * for markNodeAsReachable), the same labels (so the same zone and disruption exclusion)
   * and Ready=True. Nothing else of a Node decides a check that writes nothing, so the
   * rest of it is {@link #checkRenewal}'s; the Ready condition is observed here as
   * tryUpdateNodeHealth observes it (a new lastHeartbeatTime makes `now` the probe time and
   * drops the saved Lease, a new lastTransitionTime the Ready transition time). A kubelet
   * heartbeat: a Node status every 10 s per node before 1.13, every minute after. Not
   * {@link isNodeHeartbeatOnly}, which walks every member and condition of both versions.
   */
  #observeHeartbeat(settled: Node, cached: Node, health: NodeRecord, now: number): boolean {
    if (cached.spec !== settled.spec || cached.metadata?.labels !== settled.metadata?.labels) return false;
    const currentReady = nodeCondition(cached, 'Ready');
    if (currentReady?.status !== 'True') return false;
    observeReady(health, currentReady, now);
    return true;
  }

  /**
   * A check of a node whose Node object is the one its last full check found Ready with
   * nothing to do (NodeRecord.settled), or a heartbeat of it already observed
   * ({@link #observeHeartbeat}): most checks, a Lease renewal every 10 s per node. The
   * full check would find no new heartbeat (the same Ready condition), follow the
   * Lease, and unless the grace period ran out answer Ready=True again: count the node as
   * it is counted, remove no taint (it has none), remove it from no zone queue (nothing
   * queued it since: only a full check does), retry nothing, and move its deadline to the
   * probe time plus the grace period. This does the Lease and the deadline alone; false
   * (nothing done but the Lease, which the full check then finds seen) when the grace
   * period ran out.
   */
  #checkRenewal(health: NodeRecord, now: number): boolean {
    this.#observeLease(health, now);
    const grace = this.#ctx.profile.options.nodeMonitorGracePeriod;
    if (now > health.probeTimestamp + grace) return false;
    this.#setDeadline(health, health.probeTimestamp + grace, 'grace period');
    return true;
  }

  /** tryUpdateNodeHealth with upstream's retries, each from a fresh GET. Undefined when every write failed. */
  #updateNodeHealth(cached: Node, rec: NodeRecord, now: number): HealthResult | undefined {
    let node = cached;
    for (let attempt = 0; attempt < NODE_HEALTH_UPDATE_RETRY; attempt++) {
      const result = this.#tryUpdateNodeHealth(node, rec, now);
      if (result) return result;
      const fresh = this.#client.get('Node', rec.name);
      if (E.isLeft(fresh)) return undefined;
      node = fresh.right;
    }
    return undefined;
  }

  /** tryUpdateNodeHealth of `node`, whose record is `health`: undefined when the status write failed. */
  #tryUpdateNodeHealth(node: Node, health: NodeRecord, now: number): HealthResult | undefined {
    const { clock } = this.#ctx.sim;
    const { options, behaviours } = this.#ctx.profile;
    const creationTimestamp = node.metadata?.creationTimestamp ?? clock.iso(now);
    const currentReady = nodeCondition(node, 'Ready');
    let observed: NodeCondition;
    let gracePeriod: number;
    if (!currentReady) {
      // Never posted: a stand-in Ready from the creation time, and the startup grace.
      observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: creationTimestamp, lastTransitionTime: creationTimestamp };
      gracePeriod = options.nodeStartupGracePeriod;
      if (health.hasHealth) health.saved = undefined;
      // Parsed only here: this runs for every node on every heartbeat, and only a node
      // that never posted a status needs its creation time.
      else initHealth(health, Date.parse(creationTimestamp) - clock.epochMs, undefined);
    } else {
      observed = currentReady;
      gracePeriod = options.nodeMonitorGracePeriod;
    }
    // "Missing timestamp for Node. Assuming now as a timestamp."
    if (!health.hasHealth) initHealth(health, now, currentReady);
    else if (currentReady) observeReady(health, currentReady, now);
    const observedLease = this.#observeLease(health, now);

    if (!(now > health.probeTimestamp + gracePeriod)) return this.#answer(node, observed, currentReady);

    const nowIso = clock.iso(now);
    const conditions = [...(node.status?.conditions ?? [])];
    for (const type of ['Ready', ...behaviours.monitoredConditions]) {
      const i = conditions.findIndex((c) => c.type === type);
      const c = conditions[i];
      if (!c) {
        conditions.push({
          type,
          status: 'Unknown',
          reason: NODE_STATUS_TEXTS.neverUpdatedReason,
          message: NODE_STATUS_TEXTS.neverUpdatedMessage,
          lastHeartbeatTime: creationTimestamp,
          lastTransitionTime: nowIso,
        });
      } else if (c.status !== 'Unknown') {
        conditions[i] = { ...c, status: 'Unknown', reason: NODE_STATUS_TEXTS.unknownReason, message: NODE_STATUS_TEXTS.unknownMessage, lastTransitionTime: nowIso };
      }
    }
    const current = conditions.find((c) => c.type === 'Ready');
    if (deepEqual(current, observed)) return this.#answer(node, observed, currentReady);
    const written = this.#client.updateStatus('Node', { ...node, status: { ...node.status, conditions } });
    if (E.isLeft(written)) return undefined;
    health.readyTransitionTimestamp = now;
    health.saved = current;
    health.lease = observedLease;
    health.settled = undefined;
    return this.#answer(written.right, observed, current);
  }

  /**
   * With NodeLease, the node's Lease as tryUpdateNodeHealth observes it: a renewal newer
   * than the saved one is saved and makes `now` the probe time (a renewed Lease alone keeps
   * the node alive, even if its status is never posted). Seeing the same renewal again
   * changes nothing. The observed renewal, if there is a Lease.
   */
  #observeLease(health: NodeRecord, now: number): { renewTime: number | undefined } | undefined {
    // Only a Lease informer's events (with NodeLease) set hasLease.
    if (!health.hasLease) return undefined;
    const renewTime = health.leaseRenewMs;
    const savedLease = health.lease;
    const newer = savedLease === undefined || (savedLease.renewTime !== undefined && renewTime !== undefined && savedLease.renewTime < renewTime);
    let observedLease: { renewTime: number | undefined };
    // The same renewal is seen on most checks: keep the saved record rather than a copy.
    if (newer && savedLease !== undefined) {
      // A renewal (every 10 s per node): the saved record is this controller's own and
      // read only here, so it takes the new time in place.
      savedLease.renewTime = renewTime;
      observedLease = savedLease;
    } else observedLease = newer || savedLease.renewTime !== renewTime ? { renewTime } : savedLease;
    if (newer) {
      health.lease = observedLease;
      health.probeTimestamp = now;
    }
    return observedLease;
  }

  /** Fills the shared {@link HealthResult}. */
  #answer(node: Node, observed: NodeCondition, current: NodeCondition | undefined): HealthResult {
    const result = this.#healthResult;
    result.node = node;
    result.observed = observed;
    result.current = current;
    return result;
  }

  // ---- eviction decisions ---------------------------------------------------------------

  #processTaintBaseEviction(node: Node, observed: NodeCondition, now: number): void {
    const taints = node.spec?.taints;
    switch (observed.status) {
      case 'False':
        // Already unreachable-tainted: swap straight away, without the rate limiter.
        if (taintExists(taints, UNREACHABLE_TAINT)) this.#swap(node, NOT_READY_TAINT, UNREACHABLE_TAINT, now);
        else this.#markNodeForTainting(node, 'False', now);
        break;
      case 'Unknown':
        if (taintExists(taints, NOT_READY_TAINT)) this.#swap(node, UNREACHABLE_TAINT, NOT_READY_TAINT, now);
        else this.#markNodeForTainting(node, 'Unknown', now);
        break;
      case 'True':
        this.#markNodeAsReachable(node, now);
        break;
    }
  }

  // The legacy path (v1.15.5 monitorNodeHealth with useTaintBasedEvictions false).
  #processNoTaintBaseEviction(node: Node, observed: NodeCondition, now: number): void {
    const name = node.metadata?.name ?? '';
    const health = this.#records.get(name);
    if (!health?.hasHealth) return;
    const timeout = this.#ctx.profile.options.podEvictionTimeout;
    switch (observed.status) {
      case 'False':
        if (now > health.readyTransitionTimestamp + timeout) this.#evictPods(node, now);
        break;
      case 'Unknown':
        // probeTimestamp + timeout: the grace period is part of the 5 minutes.
        if (now > health.probeTimestamp + timeout) this.#evictPods(node, now);
        break;
      case 'True':
        this.#cancelPodEviction(name);
        break;
    }
  }

  #queueOf(node: Node): RateLimitedTimedQueue | undefined {
    return this.#zoneQueues.get(this.#records.get(node.metadata?.name ?? '')?.zone ?? this.#zoneKey(node));
  }

  #markNodeForTainting(node: Node, status: 'False' | 'Unknown', now: number): void {
    const queue = this.#queueOf(node);
    if (!queue) return;
    const name = node.metadata?.name ?? '';
    // A node whose taint went away (removed by hand) is queued again.
    if (!taintExists(node.spec?.taints, status === 'False' ? NOT_READY_TAINT : UNREACHABLE_TAINT)) queue.remove(name);
    if (queue.add(name, node.metadata?.uid ?? '', now)) this.#armTick(now);
  }

  #markNodeAsReachable(node: Node, now: number): void {
    const name = node.metadata?.name ?? '';
    removeTaintOffNode(this.#client, name, node, UNREACHABLE_ONLY);
    removeTaintOffNode(this.#client, name, node, NOT_READY_ONLY);
    if (this.#queueOf(node)?.remove(name)) this.#armTick(now);
  }

  #swap(node: Node, add: Taint, remove: Taint, now: number): void {
    swapNodeControllerTaint(this.#client, this.#ctx.sim.clock.iso(now), [add], [remove], node);
  }

  #evictPods(node: Node, now: number): void {
    if (this.#queueOf(node)?.add(node.metadata?.name ?? '', node.metadata?.uid ?? '', now)) this.#armTick(now);
  }

  #cancelPodEviction(name: string): void {
    const zone = this.#records.get(name)?.zone;
    if (zone !== undefined) this.#zoneQueues.get(zone)?.remove(name);
  }

  // ---- the 100 ms pass: doNoExecuteTaintingPass / doEvictionPass -----------------------

  /** Schedules the next 100 ms pass at the first grid time when some zone queue can move. */
  #armTick(now: number): void {
    let next: number | undefined;
    for (const queue of this.#zoneQueues.values()) {
      const at = queue.nextTryAt(now);
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    if (next === undefined) {
      this.#tick?.cancel();
      this.#tick = undefined;
      return;
    }
    const period = NODE_EVICTION_PERIOD;
    let at = this.#startedAt + Math.ceil((next - this.#startedAt) / period - 1e-9) * period;
    if (at <= this.#lastTickAt) at = this.#lastTickAt + period;
    if (this.#tick?.active && this.#tick.dueAt <= at) return;
    this.#tick?.cancel();
    const purpose = this.#taintBased
      ? `NoExecute tainting pass (every ${period} ms while nodes wait in zone queues)`
      : `pod eviction pass (every ${period} ms while nodes wait in zone queues)`;
    this.#tick = this.#ctx.sim.clock.scheduleAt(at, () => this.#runTick(), { owner: NODE_CONTROLLER, purpose });
  }

  #runTick(): void {
    const now = this.#ctx.sim.clock.now();
    this.#tick = undefined;
    this.#lastTickAt = now;
    const action = this.#taintBased ? (v: TimedValue) => this.#taintNode(v, now) : (v: TimedValue) => this.#evictNode(v);
    for (const queue of this.#zoneQueues.values()) queue.try(now, action);
    this.#armTick(now);
  }

  #taintNode(v: TimedValue, now: number): TryResult {
    const node = this.#nodes.get(v.value);
    if (!node) return { done: true };
    const ready = nodeCondition(node, 'Ready');
    if (!ready) return { done: false, wait: 50 };
    // "unreachable" and "not ready" mirror Ready, so they exclude each other.
    let add: Taint;
    let opposite: Taint;
    if (ready.status === 'False') [add, opposite] = [NOT_READY_TAINT, UNREACHABLE_TAINT];
    else if (ready.status === 'Unknown') [add, opposite] = [UNREACHABLE_TAINT, NOT_READY_TAINT];
    else return { done: true };
    return swapNodeControllerTaint(this.#client, this.#ctx.sim.clock.iso(now), [add], [opposite], node) ? { done: true } : { done: false, wait: 0 };
  }

  #evictNode(v: TimedValue): TryResult {
    return this.#deletePods(v.value, v.uid) ? { done: true } : { done: false, wait: 0 };
  }

  // ---- disruption -----------------------------------------------------------------------

  #addPodEvictorForNewZone(zone: string, now: number): void {
    if (this.#zoneStates.has(zone)) return;
    this.#zoneStates.set(zone, 'Initial');
    this.#zoneQueues.set(zone, new RateLimitedTimedQueue(new TokenBucket(this.#ctx.profile.options.nodeEvictionRate, EVICTION_RATE_LIMITER_BURST, now)));
  }

  #handleDisruption(now: number): void {
    const { options } = this.#ctx.profile;
    // newStates: each counted zone's on its count (the zones newStates has), not a map
    // emptied and filled again on every pass.
    let allAreFullyDisrupted = true;
    for (const [zone, count] of this.#zoneCounts) {
      const state = computeZoneState(count.ready, count.notReady, options.unhealthyZoneThreshold);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      count.state = state;
      if (!this.#zoneStates.has(zone)) this.#addPodEvictorForNewZone(zone, now);
    }
    let allWasFullyDisrupted = true;
    // Deleting the entry being visited is safe in a Map's iteration: no copy needed.
    for (const [zone, state] of this.#zoneStates) {
      if (!this.#zoneCounts.has(zone)) {
        this.#zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;

    if (allAreFullyDisrupted) {
      // "All Nodes are not-Ready. Entering master disruption mode": the control plane is the
      // likelier culprit, so stop every eviction.
      for (const node of this.#nodes.list()) {
        if (this.#taintBased) this.#markNodeAsReachable(node, now);
        else this.#cancelPodEviction(node.metadata?.name ?? '');
      }
      for (const [zone, queue] of this.#zoneQueues) if (this.#zoneStates.has(zone)) queue.swapLimiter(0, now);
      for (const zone of this.#zoneStates.keys()) this.#zoneStates.set(zone, 'FullDisruption');
      // Upstream looks at every node each pass and so queues them again; ours must look too.
      this.#markAllDirty();
      this.#armTick(now);
      return;
    }
    if (allWasFullyDisrupted) {
      // Leaving it: grace periods restart for every node.
      for (const node of this.#nodes.list()) {
        const health = this.#records.get(node.metadata?.name ?? '');
        if (health?.hasHealth) {
          health.probeTimestamp = now;
          health.readyTransitionTimestamp = now;
        }
      }
      for (const zone of [...this.#zoneStates.keys()]) {
        const state = this.#zoneCounts.get(zone)?.state;
        if (!state) continue;
        this.#setLimiterInZone(zone, state, now);
        this.#zoneStates.set(zone, state);
      }
      this.#markAllDirty();
      this.#armTick(now);
      return;
    }
    // Setting an existing key keeps its place in the iteration: no copy needed.
    for (const [zone, state] of this.#zoneStates) {
      const next = this.#zoneCounts.get(zone)?.state;
      if (!next || next === state) continue;
      this.#setLimiterInZone(zone, next, now);
      this.#zoneStates.set(zone, next);
    }
    this.#armTick(now);
  }

  #setLimiterInZone(zone: string, state: ZoneState, now: number): void {
    const queue = this.#zoneQueues.get(zone);
    if (!queue) return;
    const { options } = this.#ctx.profile;
    const count = this.#zoneCounts.get(zone);
    const size = count ? count.ready + count.notReady : 0;
    switch (state) {
      case 'Normal':
      case 'FullDisruption':
        queue.swapLimiter(options.nodeEvictionRate, now);
        break;
      case 'PartialDisruption':
        // ReducedQPSFunc: small zones stop evicting altogether.
        queue.swapLimiter(size > options.largeClusterSizeThreshold ? options.secondaryNodeEvictionRate : 0, now);
        break;
      case 'Initial':
        break;
    }
  }

  #markAllDirty(): void {
    for (const node of this.#nodes.list()) this.#markDirty(this.#record(node.metadata?.name ?? ''));
  }

  // ---- bookkeeping ----------------------------------------------------------------------

  #zoneKey(node: Node): string {
    // Asked for every changed node on every pass; a node's (frozen) labels object is kept
    // across its status writes, so the key is computed once per labels object.
    const labels = node.metadata?.labels;
    if (!labels || !Object.isFrozen(labels)) return getZoneKey(node, this.#ctx.profile.behaviours.zoneKeyTopologyLabels);
    let key = this.#zoneKeys.get(labels);
    if (key === undefined) this.#zoneKeys.set(labels, (key = getZoneKey(node, this.#ctx.profile.behaviours.zoneKeyTopologyLabels)));
    return key;
  }

  /**
   * Keeps the node's zone, and the frozen labels object it was computed from: a pass tracks
   * the zone of every changed node, and a heartbeat keeps the labels object, so the same
   * object means the same zone without computing (or looking up) the key.
   */
  #trackZone(rec: NodeRecord, node: Node | undefined): void {
    const labels = node?.metadata?.labels;
    if (labels !== undefined && rec.zoneLabels === labels) return;
    const before = rec.zone;
    const after = node ? this.#zoneKey(node) : undefined;
    // Only a frozen object stands for its contents; a node without labels is keyed each time.
    rec.zoneLabels = labels !== undefined && Object.isFrozen(labels) ? labels : undefined;
    if (before === after) return;
    if (before !== undefined) {
      const size = (this.#zoneSize.get(before) ?? 1) - 1;
      if (size > 0) this.#zoneSize.set(before, size);
      else this.#zoneSize.delete(before);
      rec.zone = undefined;
    }
    if (after !== undefined) {
      this.#zoneSize.set(after, (this.#zoneSize.get(after) ?? 0) + 1);
      rec.zone = after;
    }
  }

  #count(name: string, zone: string, ready: boolean): void {
    const before = this.#counted.get(name);
    if (before && before.zone === zone && before.ready === ready) return;
    this.#uncount(name);
    this.#counted.set(name, { zone, ready });
    let count = this.#zoneCounts.get(zone);
    if (!count) this.#zoneCounts.set(zone, (count = { ready: 0, notReady: 0, state: 'Initial' }));
    if (ready) count.ready++;
    else count.notReady++;
  }

  #uncount(name: string): void {
    const before = this.#counted.get(name);
    if (!before) return;
    this.#counted.delete(name);
    const count = this.#zoneCounts.get(before.zone);
    if (!count) return;
    if (before.ready) count.ready--;
    else count.notReady--;
    if (count.ready + count.notReady === 0) this.#zoneCounts.delete(before.zone);
  }

  /** The next pass that must look at this node without any event: grace expiry, or (legacy) the eviction timeout. */
  #scheduleDeadline(health: NodeRecord, checked: Node | undefined): void {
    const name = health.name;
    const node = this.#nodeNow(name, checked);
    if (!node || !health.hasHealth) return;
    const { options } = this.#ctx.profile;
    const ready = nodeCondition(node, 'Ready');
    let due = Infinity;
    let what: Deadline['what'] = 'grace period';
    if (!ready || ready.status !== 'Unknown') {
      due = health.probeTimestamp + (ready ? options.nodeMonitorGracePeriod : options.nodeStartupGracePeriod);
      what = ready ? 'grace period' : 'startup grace period';
    }
    const zone = health.zone;
    const queued = zone !== undefined && this.#zoneQueues.get(zone)?.has(name) === true;
    if (!this.#taintBased && !queued && (ready?.status === 'Unknown' || ready?.status === 'False')) {
      const base = ready.status === 'Unknown' ? health.probeTimestamp : health.readyTransitionTimestamp;
      if (base + options.podEvictionTimeout < due) {
        due = base + options.podEvictionTimeout;
        what = 'pod eviction timeout';
      }
    }
    this.#setDeadline(health, due, what);
  }

  /** Makes `due` (Infinity: none) the node's current deadline. */
  #setDeadline(rec: NodeRecord, due: number, what: Deadline['what']): void {
    const previous = rec.deadline;
    if (previous?.due === due) return;
    if (due === Infinity) {
      rec.deadline = undefined;
      return;
    }
    const carrier = rec.carrier;
    if (previous !== undefined && previous !== carrier && carrier !== undefined && carrier.due <= due) {
      // The common case (a heartbeat moves the deadline later): the carrier stands for it
      // and the current record is in no heap, so it takes the new due in place, with the
      // new sequence number a fresh record would get.
      previous.due = due;
      previous.seq = this.#deadlineSeq++;
      previous.what = what;
      return;
    }
    const deadline: Deadline = { due, record: rec, seq: this.#deadlineSeq++, what };
    rec.deadline = deadline;
    // A carrier due no later stands for it until it comes up.
    if (!carrier || carrier.due > due) this.#carry(deadline);
  }

  /** Puts a node's deadline in the heap as its carrier. */
  #carry(deadline: Deadline): void {
    deadline.record.carrier = deadline;
    this.#deadlines.push(deadline);
  }

  /** The earliest current deadline by (due, seq), carriers brought up to date on the way. */
  #nextDeadline(): Deadline | undefined {
    for (let top = this.#deadlines.peek(); top; top = this.#deadlines.peek()) {
      const rec = top.record;
      const current = rec.deadline;
      if (rec.carrier === top) {
        if (current === top) return top;
        this.#deadlines.pop();
        rec.carrier = undefined;
        if (current) this.#carry(current);
      } else this.#deadlines.pop();
    }
    return undefined;
  }

  #monitorPurpose(): string {
    const base = `monitor node health (every ${this.#ctx.profile.options.nodeMonitorPeriod / 1000} s)`;
    const top = this.#nextDeadline();
    return top ? `${base}; next: ${top.what} of node ${top.record.name} ends at T+${top.due / 1000}s` : base;
  }

  // ---- writes and events ----------------------------------------------------------------

  /** RecordNodeEvent: `Node <n> event: <message>`. */
  #recordNodeEvent(node: Node, reason: string, message: string): void {
    const name = node.metadata?.name ?? '';
    this.#recorder.normal(nodeRef(name, node.metadata?.uid), reason, `Node ${name} event: ${message}`);
  }

  /** RecordNodeStatusChange: `Node <n> status is now: <status>`. */
  #recordNodeStatusChange(node: Node, status: string): void {
    const name = node.metadata?.name ?? '';
    this.#recorder.normal(nodeRef(name, node.metadata?.uid), status, `Node ${name} status is now: ${status}`);
  }

  /** MarkPodsNotReady (MarkAllPodsNotReady in 1.14): Ready=False on each pod of the node; false if a write failed. */
  #markPodsNotReady(nodeName: string): boolean {
    const now = this.#ctx.sim.clock.iso();
    let ok = true;
    for (const pod of this.#podsOn(nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      const i = conditions.findIndex((c) => c.type === 'Ready');
      const ready = conditions[i];
      if (!ready || ready.status === 'False') continue;
      const next = conditions.map((c, j) => (j === i ? { ...c, status: 'False', lastTransitionTime: now } : c));
      const written = this.#client.updateStatus('Pod', { ...pod, status: { ...pod.status, conditions: next } });
      if (E.isLeft(written)) {
        if (written.left.reason === 'NotFound') continue;
        ok = false;
      }
      if (this.#ctx.profile.behaviours.podNotReadyEvent) this.#recorder.warning(pod, 'NodeNotReady', 'Node is not ready');
    }
    return ok;
  }

  /** DeletePods (legacy path): NodeLost reason on every pod, then a graceful DELETE of each, DaemonSet and terminating pods excepted. */
  #deletePods(nodeName: string, nodeUid: string): boolean {
    const pods = this.#podsOn(nodeName);
    if (pods.length > 0) this.#recorder.normal(nodeRef(nodeName, nodeUid), 'DeletingAllPods', `Node ${nodeName} event: Deleting all Pods from Node ${nodeName}.`);
    let conflicts = 0;
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '';
      const namespace = pod.metadata?.namespace ?? 'default';
      if (pod.status?.reason !== NODE_LOST.reason) {
        const written = this.#client.updateStatus('Pod', { ...pod, status: { ...pod.status, reason: NODE_LOST.reason, message: NODE_LOST.message(nodeName, name) } });
        if (E.isLeft(written) && written.left.reason === 'Conflict') {
          conflicts++;
          continue;
        }
      }
      if (pod.metadata?.deletionGracePeriodSeconds !== undefined) continue;
      if (this.#isDaemonSetPod(pod)) continue;
      this.#recorder.normal(pod, 'NodeControllerEviction', `Marking for deletion Pod ${name} from Node ${nodeName}`);
      const deleted = this.#client.delete('Pod', name, { namespace });
      if (E.isLeft(deleted) && deleted.left.reason !== 'NotFound') return false;
    }
    return conflicts === 0;
  }

  /** daemonSetLister.GetPodDaemonSets found one: a DaemonSet of the pod's namespace whose non-empty selector matches it. */
  #isDaemonSetPod(pod: Pod): boolean {
    const labels = pod.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0 || !this.#daemonSets) return false;
    const namespace = pod.metadata?.namespace ?? 'default';
    return this.#daemonSets.list().some((ds) => {
      if ((ds.metadata?.namespace ?? 'default') !== namespace) return false;
      const selector = labelSelectorFromObject(ds.spec?.selector);
      return E.isRight(selector) && !selector.right.empty && selector.right.matches(labels);
    });
  }

  #podsOn(nodeName: string): Pod[] {
    const pods: Pod[] = [];
    for (const key of this.#podsByNode?.keys(nodeName) ?? []) {
      const { namespace, name } = splitKey(key);
      const pod = this.#pods.get(name, namespace);
      if (pod?.spec?.nodeName === nodeName) pods.push(pod);
    }
    return pods;
  }
}

/** An ObjectReference to a Node as upstream's node events carry it. */
const nodeRef = (name: string, uid: string | undefined): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, ...(uid ? { uid } : {}) } });

/**
 * Whether two versions of a Node agree on what doNoScheduleTaintingPass reads: each
 * condition's type and status, in order; spec.unschedulable; the keys of the NoSchedule
 * taints, in order. Asked on every Node update (each heartbeat), so it compares in place
 * and stops at members the two versions share, instead of printing both to strings.
 */
export const sameNoScheduleInputs = (a: Node, b: Node): boolean => {
  const ca = a.status?.conditions ?? NONE;
  const cb = b.status?.conditions ?? NONE;
  if (ca !== cb) {
    if (ca.length !== cb.length) return false;
    for (let i = 0; i < ca.length; i++) {
      const x = ca[i];
      const y = cb[i];
      if (x !== y && (x?.type !== y?.type || x?.status !== y?.status)) return false;
    }
  }
  if (a.spec === b.spec) return true;
  if (!a.spec?.unschedulable !== !b.spec?.unschedulable) return false;
  const ta = a.spec?.taints ?? NONE;
  const tb = b.spec?.taints ?? NONE;
  if (ta === tb) return true;
  // The keys of the NoSchedule taints, in order, as two cursors over the lists.
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < ta.length && ta[i]?.effect !== 'NoSchedule') i++;
    while (j < tb.length && tb[j]?.effect !== 'NoSchedule') j++;
    if (i === ta.length || j === tb.length) return i === ta.length && j === tb.length;
    if (ta[i]?.key !== tb[j]?.key) return false;
    i++;
    j++;
  }
};

const NONE: readonly never[] = [];
