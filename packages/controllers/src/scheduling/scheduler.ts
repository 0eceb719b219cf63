// kube-scheduler's default scheduler: picks a node for each pending pod and binds it.
// Models pkg/scheduler/scheduler.go (scheduleOne) and core/generic_scheduler.go of v1.12–v1.18
// (Schedule, findNodesThatFit, numFeasibleNodesToFind, selectHost) and schedule_one.go of
// v1.28–v1.32 (schedulePod, findNodesThatFitPod, handleSchedulingFailure), with the event
// handlers of eventhandlers.go (v1.15+; factory.go before). What changed between those
// versions comes from the profile: behaviours.schedulerFramework (the algorithm generation),
// texts (FailedScheduling wording), options (back-off, flush of unschedulable pods, the share
// of nodes searched). Facts: shared/reference/kubernetes-node-failure.md §5.4 and §8.
import * as E from 'fp-ts/lib/Either.js';
import { deepEqual, EventRecorder, Informer, type ApiClient, type InformerEvent, type SeededRandom, type TimerHandle } from '@failsim/core';
import type { Node, NodeCondition, PersistentVolume, PersistentVolumeClaim, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { Subscription } from 'rxjs';
import type { Component, ControllerContext } from '../runtime/context.js';
import { keyOf } from '../runtime/pod-util.js';
import { isNodeHeartbeatOnly } from '../runtime/node-heartbeat.js';
import { ANN_SELECTED_NODE, claimKey, isClaimBound, isVolumeBoundToClaim, ANN_BOUND_BY_CONTROLLER } from '../volume/volume-util.js';
import { findMatchingVolume } from '../volume/volume-matching.js';
import { aggregateError, aggregateErrors, fitErrorMessage, type FitErrorStyle, type NodeRejection } from './failure-message.js';
import { filterContext, filterNode, isFilterError, SlotFilter, volumeBinding, volumeBindingError, type FilterResult } from './filters.js';
import type { Resources } from './pod-requests.js';
import { countsOnNode, SchedulerCache, type NodeInfo } from './scheduler-cache.js';
import { SchedulingQueue, type FailureKind, type QueuedPod } from './scheduling-queue.js';
import { bestScores, scoreSlots } from './scoring.js';
import { getPodVolumes, UNBOUND_IMMEDIATE_CLAIMS, type PodVolumes, type VolumeListers } from './volume-binding.js';

/** The default scheduler's name: its event source and the schedulerName of the pods it takes. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** minFeasibleNodesToFind. */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** minFeasibleNodesPercentageToFind. */
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** Options of the {@link Scheduler}. */
export interface SchedulerOptions {
  /** spec.schedulerName of the pods it schedules (its profile name). Default "default-scheduler". */
  readonly schedulerName?: string;
}

/**
 * How many feasible nodes an attempt looks for before it stops searching
 * (numFeasibleNodesToFind): all below 100 nodes; else `percentageOfNodesToScore` percent,
 * or with 0 the adaptive 50 − nodes/125 percent (at least 5), and never fewer than 100.
 */
export const numFeasibleNodesToFind = (numAllNodes: number, percentageOfNodesToScore: number): number => {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.trunc((numAllNodes * percentage) / 100));
};

/** A scheduling attempt's outcome: a node, or why not. */
type Attempt =
  | { readonly node: string; readonly volumes: PodVolumes }
  | { readonly message: string; readonly kind: FailureKind };

/** A pod whose node is chosen and that waits for its WaitForFirstConsumer claims to bind (PreBind). */
interface WaitingPod {
  readonly qp: QueuedPod;
  readonly node: string;
  readonly claims: readonly string[];
}

/** The node properties whose change can make a pod schedulable (nodeSchedulingPropertiesChanged). */
const schedulingPropertiesChanged = (old: Node, node: Node): boolean => {
  // Every heartbeat comes here: the kubelet keeps the spec, labels and allocatable it wrote
  // before, so each check stops at identity (deepEqual's first test) or skips the spec.
  if (old.spec !== node.spec && (!!old.spec?.unschedulable !== !!node.spec?.unschedulable || !deepEqual(old.spec?.taints, node.spec?.taints))) return true;
  return (
    !deepEqual(old.status?.allocatable, node.status?.allocatable) ||
    !deepEqual(old.metadata?.labels, node.metadata?.labels) ||
    conditionStatusesChanged(old.status?.conditions ?? NO_CONDITIONS, node.status?.conditions ?? NO_CONDITIONS)
  );
};

const NO_CONDITIONS: readonly NodeCondition[] = [];

/**
 * Whether the condition types or their statuses differ (heartbeat times do not count).
 * Every node heartbeat comes here, so the common case, the same types in the same order
 * with the same statuses, is answered by a loop that builds nothing.
 */
const conditionStatusesChanged = (old: readonly NodeCondition[], next: readonly NodeCondition[]): boolean => {
  if (old === next) return false;
  if (old.length === next.length) {
    let same = true;
    for (let i = 0; i < old.length && same; i++) same = old[i]!.type === next[i]!.type && old[i]!.status === next[i]!.status;
    if (same) return false;
  }
  const statuses = (conditions: readonly NodeCondition[]) => Object.fromEntries(conditions.map((c) => [c.type, c.status]));
  return !deepEqual(statuses(old), statuses(next));
};

/**
 * The node a pod's required node affinity names when it allows exactly one: a single
 * term whose only requirement is matchFields `metadata.name In [name]` (what the
 * DaemonSet controller writes, ReplaceDaemonSetPodNodeNameNodeAffinity). Undefined otherwise.
 */
const pinnedNodeName = (pod: Pod): string | undefined => {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length !== 1) return undefined;
  const [term] = terms;
  const fields = term!.matchFields ?? [];
  if (fields.length !== 1 || (term!.matchExpressions ?? []).length > 0) return undefined;
  const [field] = fields;
  return field!.key === 'metadata.name' && field!.operator === 'In' && field!.values?.length === 1 ? field!.values[0] : undefined;
};

/** Whether a pending pod changed in a way that may make it schedulable (isPodUpdated: not only its status). */
const podUpdated = (old: Pod | undefined, pod: Pod): boolean => {
  if (!old) return true;
  const strip = (p: Pod) => ({ metadata: { ...p.metadata, resourceVersion: undefined, generation: undefined, managedFields: undefined }, spec: p.spec });
  return !deepEqual(strip(old), strip(pod));
};

/**
 * Whether a Pod event is a status update of a pod that stays counted on its node: same
 * node, the same spec object, owners and terminating state as `old`, and neither version
 * terminal. Most pod events are these (every kubelet status write). The event for `old`
 * already took the pod out of the scheduling queue and the volume wait and counted it in
 * the cache with exactly these inputs (nothing else puts a bound pod back there), so
 * #onPod's setPod would return at once and nothing else would change: the handler can
 * stop before building the pod's key.
 */
export const isCountedStatusUpdate = (event: InformerEvent<Pod>): boolean => {
  const old = event.old;
  if (event.type !== 'MODIFIED' || old === undefined) return false;
  const pod = event.object;
  return (
    old.spec === pod.spec &&
    old.metadata?.ownerReferences === pod.metadata?.ownerReferences &&
    !old.metadata?.deletionTimestamp === !pod.metadata?.deletionTimestamp &&
    countsOnNode(old) &&
    countsOnNode(pod)
  );
};

/**
 * The default scheduler: watches pending pods of its schedulerName and the nodes, filters
 * the nodes (cordon, taints including the readiness taints, node selector and affinity,
 * resources, volume node affinity and binding), scores the rest, binds the pod to the best
 * (ties broken as the version does: round-robin before v1.16, a seeded random choice
 * after) and records `Scheduled`, or records `FailedScheduling` with upstream's summary and
 * retries when the cluster changes, after back-off, or when the unschedulable pods are flushed.
 */
export class Scheduler implements Component {
  readonly name = DEFAULT_SCHEDULER_NAME;
  readonly #ctx: ControllerContext;
  readonly #schedulerName: string;
  readonly #cache = new SchedulerCache();
  readonly #waiting = new Map<string, WaitingPod>();
  #client: ApiClient | undefined;
  #recorder: EventRecorder | undefined;
  #random: SeededRandom | undefined;
  #queue: SchedulingQueue | undefined;
  #pods: Informer<'Pod'> | undefined;
  #claims: Informer<'PersistentVolumeClaim'> | undefined;
  #volumes: Informer<'PersistentVolume'> | undefined;
  #classes: Informer<'StorageClass'> | undefined;
  #volumeList: readonly PersistentVolume[] | undefined;
  #subscriptions: Subscription[] = [];
  #drainTimer: TimerHandle | undefined;
  #nextStartNodeIndex = 0;
  #lastNodeIndex = 0;
  /** The slots of the feasible nodes of the current attempt, reused across attempts. */
  #feasible = new Int32Array(0);
  /** The cache's controllerPodsByNode as scoring asks it, made once rather than per attempt. */
  readonly #podsByNode = (owner: string): ReadonlyMap<NodeInfo, number> | undefined => this.#cache.controllerPodsByNode(owner);
  /** The rejections of the current attempt's walk, reused across attempts (see #schedulePod). */
  readonly #rejections: NodeRejection[] = [];
  /** The walk's filter, re-armed for each attempt. */
  #slotFilter: SlotFilter | undefined;
  /** The listers read through the informers as they are at each call, so one object serves every attempt. */
  #volumeListers: VolumeListers | undefined;

  constructor(ctx: ControllerContext, options: SchedulerOptions = {}) {
    this.#ctx = ctx;
    this.#schedulerName = options.schedulerName ?? DEFAULT_SCHEDULER_NAME;
  }

  /** Pods per queue (active, backoff, unschedulable) and those waiting for their volumes. */
  get pending(): { readonly active: number; readonly backoff: number; readonly unschedulable: number; readonly waitingForVolumes: number } {
    return { ...(this.#queue?.counts ?? { active: 0, backoff: 0, unschedulable: 0 }), waitingForVolumes: this.#waiting.size };
  }

  /** Starts watching and scheduling. */
  start(): void {
    const { sim, profile } = this.#ctx;
    const client = sim.api.client(DEFAULT_SCHEDULER_NAME);
    this.#client = client;
    this.#recorder = new EventRecorder(client, { component: DEFAULT_SCHEDULER_NAME }, { trace: sim.trace });
    this.#random = sim.random.fork('scheduler');
    this.#queue = new SchedulingQueue(
      sim.clock,
      {
        owner: this.name,
        initialBackoffMs: profile.options.podInitialBackoffSeconds * 1000,
        maxBackoffMs: profile.options.podMaxBackoffSeconds * 1000,
        maxInUnschedulableMs: profile.options.podMaxInUnschedulablePodsDuration,
        errorsToBackoff: profile.behaviours.schedulerFramework === 'prefilter-plugins',
      },
      () => this.#armDrain(),
    );
    const nodes = new Informer(client, 'Node');
    this.#claims = new Informer(client, 'PersistentVolumeClaim');
    this.#volumes = new Informer(client, 'PersistentVolume');
    this.#classes = new Informer(client, 'StorageClass');
    this.#pods = new Informer(client, 'Pod');
    this.#subscriptions = [
      nodes.events$.subscribe((e) => this.#onNode(e)),
      this.#classes.events$.subscribe((e) => this.#onClass(e)),
      this.#volumes.events$.subscribe((e) => this.#onVolume(e)),
      this.#claims.events$.subscribe((e) => this.#onClaim(e)),
      this.#pods.events$.subscribe((e) => this.#onPod(e)),
    ];
  }

  /** Stops every watch and timer. */
  stop(): void {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#subscriptions = [];
    this.#queue?.stop();
    this.#drainTimer?.cancel();
  }

  // ---- event handlers (they only update caches and move pods between queues) ----------

  #onNode(event: InformerEvent<Node>): void {
    const node = event.object;
    if (event.type === 'DELETED') {
      this.#cache.removeNode(node.metadata?.name ?? '');
      return;
    }
    this.#cache.setNode(node);
    // A heartbeat-only update changes no scheduling property (answered once for every Node watcher).
    if (event.type === 'ADDED' || !event.old || (!isNodeHeartbeatOnly(event.old, node) && schedulingPropertiesChanged(event.old, node))) this.#queue?.moveAll();
  }

  #onClass(event: InformerEvent<StorageClass>): void {
    if (event.type === 'ADDED') this.#queue?.moveAll();
  }

  #onVolume(event: InformerEvent<PersistentVolume>): void {
    this.#volumeList = undefined;
    if (event.type !== 'DELETED') this.#queue?.moveAll();
  }

  #onClaim(event: InformerEvent<PersistentVolumeClaim>): void {
    if (event.type === 'DELETED') return;
    this.#queue?.moveAll();
    if (isClaimBound(event.object)) this.#volumesBound(claimKey(event.object));
  }

  #onPod(event: InformerEvent<Pod>): void {
    const pod = event.object;
    const queue = this.#queue;
    if (!queue) return;
    if (isCountedStatusUpdate(event)) return;
    const key = keyOf(pod);
    if (event.type === 'DELETED') {
      queue.delete(key);
      this.#waiting.delete(key);
      // A pod leaving a node frees room (MoveAllToActiveQueue on assigned pod delete).
      if (this.#cache.removePod(key)) queue.moveAll();
      return;
    }
    if (pod.spec?.nodeName) {
      queue.delete(key);
      this.#waiting.delete(key);
      // Reaching Succeeded/Failed takes the pod out of the assigned-pod informer: a delete.
      if (this.#cache.setPod(pod, key)) queue.moveAll();
      return;
    }
    if ((pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) !== this.#schedulerName || this.#waiting.has(key)) return;
    if (pod.metadata?.deletionTimestamp) {
      queue.delete(key);
      return;
    }
    if (event.type === 'ADDED') queue.add(pod, key);
    else queue.update(pod, podUpdated(event.old, pod), key);
  }

  // ---- scheduling --------------------------------------------------------------------

  #armDrain(): void {
    if (this.#drainTimer?.active) return;
    this.#drainTimer = this.#ctx.sim.clock.schedule(0, () => this.#drain(), { owner: this.name, purpose: 'schedule pending pods' });
  }

  /** scheduleOne, for every pod in activeQ: attempts take no virtual time. */
  #drain(): void {
    const queue = this.#queue;
    if (!queue) return;
    for (let qp = queue.pop(); qp; qp = queue.pop()) this.#scheduleOne(qp, queue.schedulingCycle);
  }

  #scheduleOne(qp: QueuedPod, cycle: number): void {
    const current = this.#pods?.get(qp.pod.metadata?.name ?? '', qp.pod.metadata?.namespace);
    // Level-based: act on the pod as it is now, not as it was queued.
    if (!current || current.spec?.nodeName || current.metadata?.deletionTimestamp || current.metadata?.uid !== qp.pod.metadata?.uid) return;
    qp.pod = current;
    const attempt = this.#schedulePod(current);
    if ('message' in attempt) {
      this.#fail(qp, cycle, attempt.message, attempt.kind);
      return;
    }
    if (attempt.volumes.delayedClaims.length > 0) {
      this.#bindVolumes(qp, cycle, attempt.node, attempt.volumes);
      return;
    }
    this.#bind(qp, cycle, attempt.node);
  }

  #listers(): VolumeListers {
    return (this.#volumeListers ??= {
      claim: (namespace, name) => this.#claims?.get(name, namespace),
      volume: (name) => this.#volumes?.get(name),
      storageClass: (name) => this.#classes?.get(name),
      volumes: () => (this.#volumeList ??= this.#volumes?.list() ?? []),
    });
  }

  #fitErrorStyle(pod: Pod): FitErrorStyle {
    return { preemptionEnd: this.#ctx.profile.texts.failedSchedulingPreemptionEnd, preemptionNever: pod.spec?.preemptionPolicy === 'Never' };
  }

  /** Schedule (generic_scheduler.go) / schedulePod (schedule_one.go). */
  #schedulePod(pod: Pod): Attempt {
    const { profile } = this.#ctx;
    const framework = profile.behaviours.schedulerFramework;
    const listers = this.#listers();
    const infos = this.#cache.nodeInfos();
    const numNodes = infos.length;
    if (framework === 'prefilter-plugins' && numNodes === 0) return { message: NO_NODES_AVAILABLE, kind: 'error' };
    const claims = getPodVolumes(pod, listers);
    // A missing or deleted claim fails the pod before any node: an error (podPassesBasicChecks)
    // or, since v1.19, the VolumeBinding PreFilter's rejection of every node.
    const preFilterMessage = E.isLeft(claims)
      ? claims.left
      : framework === 'prefilter-plugins' && claims.right.unboundImmediate
        ? UNBOUND_IMMEDIATE_CLAIMS
        : undefined;
    if (preFilterMessage !== undefined && framework === 'prefilter-plugins') {
      const rejections: NodeRejection[] = infos.map(() => ({ reasons: [preFilterMessage], unresolvable: true }));
      return { message: fitErrorMessage(numNodes, rejections, this.#fitErrorStyle(pod), preFilterMessage), kind: 'rejected' };
    }
    if (E.isLeft(claims)) return { message: claims.left, kind: 'error' };
    if (numNodes === 0) return { message: NO_NODES_AVAILABLE, kind: 'error' };

    const ctx = filterContext(pod, profile, claims.right, listers);
    const toFind = numFeasibleNodesToFind(numNodes, profile.options.percentageOfNodesToScore);
    // The scheduler's array, written from 0 on: a pod with a zonal volume is turned away by
    // two thirds of the nodes, and a fresh array grown to that each attempt was most of what
    // an attempt allocated. Read only up to `rejected`, and only when no node fits.
    const rejections = this.#rejections;
    let rejected = 0;
    // Only an attempt whose predicates err needs the map.
    let errors: Map<string, number> | undefined;
    const start = this.#nextStartNodeIndex % numNodes;
    // A pod pinned to one node by name (a DaemonSet pod: the controller sets a single
    // matchFields metadata.name term) can only fit there, so the walk would reject every
    // other node and, finding fewer than toFind (≥ 2), go round once and leave the start
    // index where it was. Checking the named node alone gives the same choice without
    // walking the cluster per daemon pod (20,000 × 5,000 nodes at 5,000 nodes). Only when it
    // fits: a failure needs every node's reason for the FailedScheduling message, and a pod
    // with volumes may meet a filter error on another node first.
    const pinned = numNodes >= 2 && !ctx.hasVolumes ? pinnedNodeName(pod) : undefined;
    const pinnedInfo = pinned === undefined ? undefined : this.#cache.nodeInfo(pinned);
    if (pinnedInfo && filterNode(ctx, pinnedInfo) === undefined) {
      this.#nextStartNodeIndex = start;
      return { node: pinnedInfo.name, volumes: claims.right };
    }
    // The walk reads the cache's columns; a node is looked at as an object only when it
    // fails there (for its reasons) or for volume binding.
    const slots = this.#cache.slots();
    const fast = this.#slotFilter === undefined ? (this.#slotFilter = new SlotFilter(ctx, slots)) : this.#slotFilter.rearm(ctx, slots);
    if (this.#feasible.length < numNodes) this.#feasible = new Int32Array(Math.max(numNodes, 2 * this.#feasible.length));
    const feasible = this.#feasible;
    // The same for every node that gets as far as volume binding: counted, not collected.
    const volumeError = ctx.hasVolumes ? volumeBindingError(ctx) : undefined;
    let volumeErrors = 0;
    // A pod whose claims err in a version of predicates fails on every node that passes the
    // other checks, with their number: the walk below would go round once (start index kept)
    // and count them. Only when none passes does it need each node's reasons.
    if (volumeError !== undefined && framework === 'predicates') {
      const passing = fast.countPassing(infos);
      if (passing !== undefined && passing > 0) {
        this.#nextStartNodeIndex = start;
        return { message: aggregateError(volumeError.error, passing), kind: 'error' };
      }
    }
    let found = 0;
    let processed = 0;
    // Runs of nodes that pass the column checks are walked by SlotFilter.collect, which
    // reads nothing else, when what a passing node means needs no node object: feasible (a
    // pod without volumes), or one more volume error (predicates, with the claims' error).
    const runs = !ctx.hasVolumes || (volumeError !== undefined && framework === 'predicates');
    // The walk starts at `start` and wraps once: an index kept in range, not a modulo per node.
    let index = start;
    while (processed < numNodes && found < toFind) {
      let slot = index;
      if (runs) {
        // Up to the end of the slots or of the walk, whichever comes first.
        const end = Math.min(numNodes, index + numNodes - processed);
        const stop = ctx.hasVolumes ? fast.collect(index, end, infos, undefined, 0, Infinity) : fast.collect(index, end, infos, feasible, found, toFind - found);
        processed += stop - index;
        if (ctx.hasVolumes) volumeErrors += fast.passed;
        else found += fast.passed;
        index = stop === numNodes ? 0 : stop;
        // The run ended at the end of the slots or of the walk, or with enough nodes found.
        if (stop === end || found >= toFind) continue;
        // `stop` is a node that does not pass (or that only passes can judge): below as in a
        // walk without runs.
        slot = stop;
      }
      processed++;
      const info = infos[slot]!;
      if (++index === numNodes) index = 0;
      let result: FilterResult;
      if (fast.passes(slot, info)) {
        if (!ctx.hasVolumes) {
          feasible[found++] = slot;
          continue;
        }
        if (volumeError !== undefined) {
          if (framework !== 'predicates') return { message: volumeError.error, kind: 'error' };
          volumeErrors++;
          continue;
        }
        result = volumeBinding(ctx, info.node!);
      } else result = filterNode(ctx, info);
      if (result === undefined) feasible[found++] = slot;
      else if (isFilterError(result)) {
        // Predicate errors are collected and aggregated; a framework filter error ends the attempt.
        if (framework !== 'predicates') return { message: result.error, kind: 'error' };
        errors ??= new Map<string, number>();
        errors.set(result.error, (errors.get(result.error) ?? 0) + 1);
      } else rejections[rejected++] = result;
    }
    this.#nextStartNodeIndex = (start + processed) % numNodes;
    if (volumeErrors > 0) {
      // The usual failure of a pod whose claims wait for the PV controller: one message.
      if (errors === undefined) return { message: aggregateError(volumeError!.error, volumeErrors), kind: 'error' };
      errors ??= new Map<string, number>();
      errors.set(volumeError!.error, (errors.get(volumeError!.error) ?? 0) + volumeErrors);
    }
    if (errors !== undefined) return { message: aggregateErrors(errors), kind: 'error' };
    if (found === 0) return { message: fitErrorMessage(numNodes, rejections.slice(0, rejected), this.#fitErrorStyle(pod)), kind: 'rejected' };
    if (found === 1) return { node: infos[feasible[0]!]!.name, volumes: claims.right };
    return { node: this.#selectHost(pod, infos, feasible, found, ctx.requests), volumes: claims.right };
  }

  /**
   * selectHost: the best score; ties round-robin (≤v1.15) or one at random by reservoir
   * sampling. The candidates are the nodes in slots `feasible[0..n)`, in walk order.
   */
  #selectHost(pod: Pod, infos: readonly NodeInfo[], feasible: Int32Array, n: number, requests: Resources): string {
    const scores = scoreSlots(pod, this.#cache.slots(), feasible, n, infos, this.#ctx.profile, requests, this.#podsByNode);
    if (this.#ctx.profile.behaviours.schedulerFramework === 'predicates') {
      // findMaxScores (which scoring found as it added up), then lastNodeIndex modulo their number.
      const nth = this.#lastNodeIndex++ % bestScores.count;
      return infos[feasible[bestScores.ties[nth]!]!]!.name;
    }
    let selected = 0;
    let ties = 1;
    for (let i = 1; i < n; i++) {
      if (scores[i]! > scores[selected]!) {
        selected = i;
        ties = 1;
      } else if (scores[i] === scores[selected] && this.#random!.int(0, ++ties) === 0) selected = i;
    }
    return infos[feasible[selected]!]!.name;
  }

  /**
   * PreBind of VolumeBinding for WaitForFirstConsumer claims: a matching volume is pre-bound
   * to the claim, otherwise the claim is annotated with the chosen node for the provisioner;
   * the pod stays reserved on the node (assumed) until the PV controller binds every claim.
   */
  #bindVolumes(qp: QueuedPod, cycle: number, node: string, volumes: PodVolumes): void {
    const client = this.#client!;
    const nodeObject = this.#cache.nodeInfo(node)?.node;
    for (const { claim } of volumes.delayedClaims) {
      const match = nodeObject ? findMatchingVolume(claim, this.#listers().volumes(), { node: nodeObject }) : undefined;
      const result =
        match !== undefined
          ? isVolumeBoundToClaim(match, claim)
            ? E.right(match)
            : client.update('PersistentVolume', {
                ...match,
                metadata: { ...match.metadata, annotations: { ...match.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' } },
                spec: {
                  ...match.spec,
                  claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata?.namespace, name: claim.metadata?.name, uid: claim.metadata?.uid },
                },
              })
          : claim.metadata?.annotations?.[ANN_SELECTED_NODE] === node
            ? E.right(claim)
            : client.patch('PersistentVolumeClaim', claim.metadata?.name ?? '', { metadata: { annotations: { [ANN_SELECTED_NODE]: node } } }, {
                type: 'merge',
                namespace: claim.metadata?.namespace,
              });
      if (E.isLeft(result)) {
        this.#fail(qp, cycle, `running PreBind plugin "VolumeBinding": binding volumes: ${result.left.message}`, 'error');
        return;
      }
    }
    const claims = volumes.delayedClaims.map(({ claim }) => claimKey(claim));
    this.#waiting.set(qp.key, { qp, node, claims });
    this.#cache.setPod({ ...qp.pod, spec: { ...qp.pod.spec!, nodeName: node } });
    this.#volumesBound(claims[0] ?? '');
  }

  /** A claim got bound: finish binding the pods that waited for it and all their other claims. */
  #volumesBound(key: string): void {
    for (const waiting of [...this.#waiting.values()]) {
      if (!waiting.claims.includes(key)) continue;
      const allBound = waiting.claims.every((k) => {
        const [namespace = 'default', name = ''] = k.split('/');
        const claim = this.#claims?.get(name, namespace);
        return claim !== undefined && isClaimBound(claim);
      });
      if (!allBound) continue;
      this.#waiting.delete(waiting.qp.key);
      this.#bind(waiting.qp, this.#queue?.schedulingCycle ?? 0, waiting.node);
    }
  }

  /** Bind: the pods/binding subresource, then Scheduled. */
  #bind(qp: QueuedPod, cycle: number, node: string): void {
    const pod = qp.pod;
    const bound = this.#client!.bind(pod.metadata?.name ?? '', pod.metadata?.namespace ?? 'default', node);
    if (E.isLeft(bound)) {
      this.#cache.removePod(qp.key);
      const current = this.#pods?.get(pod.metadata?.name ?? '', pod.metadata?.namespace);
      // Someone else bound it, or it is being deleted: nothing left to do.
      if (!current || current.spec?.nodeName || current.metadata?.deletionTimestamp) return;
      this.#fail(qp, cycle, `Binding rejected: ${bound.left.message}`, 'error');
      return;
    }
    this.#cache.setPod(bound.right);
    this.#recorder?.normal(bound.right, 'Scheduled', this.#ctx.profile.texts.scheduled(pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '', node));
  }

  /**
   * handleSchedulingFailure: back to the queue, event, PodScheduled condition. The pod is
   * queued first, so the watch event of its own status update finds it waiting and (being
   * a status change only) leaves it there.
   */
  #fail(qp: QueuedPod, cycle: number, message: string, kind: FailureKind): void {
    const pod = this.#pods?.get(qp.pod.metadata?.name ?? '', qp.pod.metadata?.namespace) ?? qp.pod;
    this.#queue?.addUnschedulable(qp, cycle, kind);
    this.#recorder?.warning(pod, 'FailedScheduling', message);
    this.#setUnschedulableCondition(pod, message);
  }

  /** PodScheduled=False/Unschedulable with the message, written only when it changes. */
  #setUnschedulableCondition(pod: Pod, message: string): void {
    const conditions = pod.status?.conditions ?? [];
    const old = conditions.find((c) => c.type === 'PodScheduled');
    if (old && old.status === 'False' && old.reason === 'Unschedulable' && old.message === message) return;
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : this.#ctx.sim.clock.iso(),
    };
    this.#client?.updateStatus('Pod', { ...pod, status: { ...pod.status, conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), condition] } });
  }
}
