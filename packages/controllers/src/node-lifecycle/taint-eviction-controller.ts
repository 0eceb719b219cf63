// The taint eviction controller: deletes pods from nodes with NoExecute taints they do not
// tolerate, after the shortest tolerationSeconds of the tolerations in use. Models k/k
// pkg/controller/tainteviction/taint_eviction.go (main, 1.29+: its own controller,
// events from "taint-eviction-controller") and NoExecuteTaintManager in
// pkg/controller/nodelifecycle/scheduler/taint_manager.go (≈1.21; inside the node lifecycle
// controller, events from "taint-controller"): the same behaviour, so one class; the event
// source comes from the profile. Reference §3.2, §7.2.
import * as E from 'fp-ts/lib/Either.js';
import { deepEqual, EventRecorder, type Informer, type ApiClient, type InformerEvent, type KubeObject, type SimClock, type TimerLabel, type TimerSlot } from '@failsim/core';
import type { Node, Pod, PodCondition, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { splitKey, tolerates } from '../runtime/pod-util.js';
import { WorkQueue } from '../runtime/work-queue.js';
import { acquirePodsByNode, releasePodsByNode, type PodsByNode } from './pods-by-node.js';
import { TimedWorkerQueue, type TimedWork } from './timed-workers.js';

/** deletePodHandler tries a deletion this many times (`retries`). */
const DELETE_RETRIES = 5;

/** Reason of the controller's pod events. */
export const TAINT_MANAGER_EVICTION = 'TaintManagerEviction';

/** The DisruptionTarget condition written before the deletion (PodDisruptionConditions). */
export const DELETION_BY_TAINT_MANAGER = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByTaintManager',
  message: 'Taint manager: deleting due to NoExecute taint',
} as const;

/** getNoExecuteTaints. */
export const noExecuteTaints = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/**
 * GetMatchingTolerations: whether every taint is tolerated, and for each taint the first
 * toleration that tolerates it.
 */
export const matchingTolerations = (taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): { all: boolean; used: Toleration[] } => {
  if (taints.length === 0) return { all: true, used: [] };
  const list = tolerations ?? [];
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = list.find((t) => tolerates(t, taint));
    if (!match) return { all: false, used: [] };
    used.push(match);
  }
  return { all: true, used };
};

/**
 * getMinTolerationTime in ms: the smallest tolerationSeconds among `used` (0 if one is ≤ 0
 * or if `used` is empty), or -1 when none has tolerationSeconds (tolerated forever).
 */
export const minTolerationTime = (used: readonly Toleration[]): number => {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
};

const NO_TOLERATIONS: readonly Toleration[] = Object.freeze([]);

/** A pod reference as upstream's events carry it: kind, namespace and name, no UID. */
const podRef = (key: string): KubeObject => {
  const { namespace, name } = splitKey(key);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: namespace ?? 'default' } };
};

/**
 * upstream's podUpdateQueue: pods to look at, as (namespace, name) — its podUpdateItem —
 * rather than a `namespace/name` string per Pod event. Every new, moved or deleted pod
 * comes through here, and while no node has NoExecute taints nearly all of them are looked
 * up and dropped, so a key string built, hashed and sliced per event was pure overhead.
 *
 * It behaves as the controller's {@link WorkQueue} did for these keys: each add that is
 * not merged with a pending one schedules one clock timer due now, labelled `work queue`,
 * so timer ids, firing order and the clock's count are the same; an add while the pod is
 * pending is merged. All its timers are due when added and time only moves forward, so
 * they fire in the order they were scheduled: a FIFO tells which pod is due.
 */
class PodUpdateQueue {
  readonly #clock: SimClock;
  readonly #handle: (namespace: string, name: string) => void;
  readonly #label: TimerLabel;
  /** Pending pod names by namespace (a namespace's set stays once made: there are few). */
  readonly #pending = new Map<string, Set<string>>();
  // The pending pods in timer order, as three columns: no object per add.
  #namespaces: string[] = [];
  #names: string[] = [];
  #slots: TimerSlot[] = [];
  #head = 0;
  /** The one action of every timer of this queue. */
  readonly #fire = (): void => this.#fireNext();

  constructor(clock: SimClock, owner: string, handle: (namespace: string, name: string) => void) {
    this.#clock = clock;
    this.#handle = handle;
    this.#label = { owner, purpose: 'work queue' };
  }

  /** Queues the pod for processing now, unless it is already pending. */
  add(namespace: string, name: string): void {
    let names = this.#pending.get(namespace);
    if (names === undefined) this.#pending.set(namespace, (names = new Set()));
    // One probe of the set, not has() then add(): an add that left the size is a merge.
    const size = names.size;
    names.add(name);
    if (names.size === size) return;
    this.#slots.push(this.#clock.scheduleUnheld(0, this.#fire, this.#label));
    this.#namespaces.push(namespace);
    this.#names.push(name);
  }

  /** Cancels every pending timer. */
  stop(): void {
    for (let i = this.#head; i < this.#slots.length; i++) this.#clock.cancelUnheld(this.#slots[i]!, this.#label);
    this.#pending.clear();
    this.#namespaces = [];
    this.#names = [];
    this.#slots = [];
    this.#head = 0;
  }

  #fireNext(): void {
    const i = this.#head++;
    const namespace = this.#namespaces[i]!;
    const name = this.#names[i]!;
    if (this.#head === this.#names.length) {
      // Emptied (the usual case: each add fires soon after it is made): start over.
      this.#namespaces.length = 0;
      this.#names.length = 0;
      this.#slots.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#names.length) {
      this.#namespaces.splice(0, this.#head);
      this.#names.splice(0, this.#head);
      this.#slots.splice(0, this.#head);
      this.#head = 0;
    }
    this.#pending.get(namespace)?.delete(name);
    this.#handle(namespace, name);
  }
}

/** Options of a {@link TaintEvictionController}. */
export interface TaintEvictionControllerOptions {
  /**
   * The API client; default one of its own named after the event source. The node
   * lifecycle controller passes its own client when it runs this controller inside itself.
   */
  readonly client?: ApiClient;
}

/**
 * Deletes pods from nodes with NoExecute taints, as upstream's taint eviction controller.
 *
 * Per pod on a node with NoExecute taints: a taint it does not tolerate ⇒ deletion now;
 * every taint tolerated without tolerationSeconds ⇒ a scheduled deletion is cancelled;
 * otherwise a deletion is scheduled at the observation time plus the smallest
 * tolerationSeconds in use, and a deletion already scheduled is kept. The timer starts when
 * this controller sees the node update, not at the taint's timeAdded, so a restart restarts
 * it. Events `TaintManagerEviction` "Marking for deletion Pod ns/name" when a deletion
 * fires and "Cancelling deletion of Pod ns/name" when a scheduled one is cancelled. With
 * PodDisruptionConditions the pod first gets DisruptionTarget=True (DeletionByTaintManager).
 * The DELETE is graceful.
 *
 * Which component runs it: with features.SeparateTaintEvictionController (1.29+) start it
 * beside the `NodeLifecycleController`; before, the node lifecycle controller starts
 * one inside itself when options.enableTaintManager is set.
 *
 * @example
 * ```ts
 * const tec = new TaintEvictionController({ sim, profile: profile132, timings: defaultTimings });
 * tec.start();
 * ```
 */
export class TaintEvictionController implements Component {
  /** The event source: texts.taintEvictionComponent. */
  readonly name: string;
  readonly #ctx: ControllerContext;
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;
  readonly #nodes: Informer<'Node'>;
  readonly #pods: Informer<'Pod'>;
  /** The pod informer's nodeName index, shared with the node lifecycle controller; set while started. */
  #podsByNode: PodsByNode | undefined;
  /** taintedNodes: the NoExecute taints of each node that has some. */
  readonly #taintedNodes = new Map<string, readonly Taint[]>();
  /** nodeUpdateQueue, keyed by node name. */
  #queue: WorkQueue | undefined;
  /** podUpdateQueue; its timers and the node queue's fire in the order they were scheduled, as one queue's did. */
  #podQueue: PodUpdateQueue | undefined;
  readonly #evictions: TimedWorkerQueue;
  #subscriptions: Subscription[] = [];

  constructor(ctx: ControllerContext, options: TaintEvictionControllerOptions = {}) {
    this.#ctx = ctx;
    this.name = ctx.profile.texts.taintEvictionComponent;
    this.#client = options.client ?? ctx.sim.api.client(this.name);
    this.#recorder = new EventRecorder(this.#client, { component: this.name }, { trace: ctx.sim.trace });
    this.#nodes = sharedInformer(ctx, 'Node');
    this.#pods = sharedInformer(ctx, 'Pod');
    this.#evictions = new TimedWorkerQueue(ctx.sim.clock, {
      owner: this.name,
      work: (key) => this.#deletePod(key),
      purpose: (w) =>
        w.fireAt <= w.createdAt
          ? `delete pod ${w.key} now: NoExecute taint not tolerated`
          : `delete pod ${w.key} after tolerationSeconds ${(w.fireAt - w.createdAt) / 1000}`,
    });
  }

  start(): void {
    if (this.#subscriptions.length > 0) return;
    this.#queue = new WorkQueue(this.#ctx.sim.clock, (nodeName) => this.#handleNodeUpdate(nodeName), { owner: this.name });
    this.#podQueue = new PodUpdateQueue(this.#ctx.sim.clock, this.name, (namespace, name) => this.#handlePodUpdate(namespace, name));
    // Pods first: a node event must find the pods already indexed. The index is fed by its
    // own handler, ahead of this controller's (the first holder subscribed it).
    this.#podsByNode = acquirePodsByNode(this.#pods);
    this.#subscriptions = [
      this.#pods.events$.subscribe((e) => this.#podEvent(e)),
      this.#nodes.events$.subscribe((e) => this.#nodeEvent(e)),
    ];
    // An informer keeps its cache across a stop, and a relist of unchanged objects says
    // nothing: after a restart, replay the cache as upstream's fresh informers would.
    for (const node of this.#nodes.list()) this.#nodeEvent({ type: 'ADDED', object: node });
  }

  /** Stops watching and drops every pending deletion: started again, its tolerationSeconds clocks restart. */
  stop(): void {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#subscriptions = [];
    this.#queue?.stop();
    this.#queue = undefined;
    this.#podQueue?.stop();
    this.#podQueue = undefined;
    this.#evictions.cancelAll();
    if (this.#podsByNode) releasePodsByNode(this.#pods);
    this.#podsByNode = undefined;
    this.#taintedNodes.clear();
  }

  /** Pending deletions (pod `namespace/name`, created and due times in virtual ms), soonest first. */
  scheduledEvictions(): TimedWork[] {
    return this.#evictions.list();
  }

  // NodeUpdated: only a change of the NoExecute taints matters.
  #nodeEvent(e: InformerEvent<Node>): void {
    // A heartbeat keeps the stored taints array itself: no need to filter both to compare.
    if (e.type === 'MODIFIED' && e.old && (e.old.spec?.taints === e.object.spec?.taints || deepEqual(noExecuteTaints(e.old.spec?.taints), noExecuteTaints(e.object.spec?.taints)))) return;
    this.#queue?.add(e.object.metadata?.name ?? '');
  }

  // PodUpdated: only a new, deleted or moved pod, or changed tolerations, matter.
  #podEvent(e: InformerEvent<Pod>): void {
    const old = e.old;
    if (e.type === 'MODIFIED' && old && old.spec?.nodeName === e.object.spec?.nodeName) {
      // Status updates keep the stored tolerations array: identity settles most of them
      // without deepEqual and the two empty arrays it was given.
      const before = old.spec?.tolerations;
      const after = e.object.spec?.tolerations;
      if (before === after || deepEqual(before ?? NO_TOLERATIONS, after ?? NO_TOLERATIONS)) return;
    }
    const meta = e.object.metadata;
    this.#podQueue?.add(meta?.namespace ?? 'default', meta?.name ?? '');
  }

  #handleNodeUpdate(nodeName: string): void {
    const node = this.#nodes.get(nodeName);
    if (!node) {
      // Pending deletions of its pods stay, as upstream's do.
      this.#taintedNodes.delete(nodeName);
      return;
    }
    const taints = noExecuteTaints(node.spec?.taints);
    if (taints.length === 0) this.#taintedNodes.delete(nodeName);
    else this.#taintedNodes.set(nodeName, taints);
    const keys = this.#podsByNode?.keys(nodeName) ?? [];
    if (keys.length === 0) return;
    if (taints.length === 0) {
      for (const key of keys) this.#cancelWorkWithEvent(key);
      return;
    }
    const now = this.#ctx.sim.clock.now();
    for (const key of keys) {
      const { namespace, name } = splitKey(key);
      const pod = this.#pods.get(name, namespace);
      if (pod) this.#processPodOnNode(key, pod.spec?.tolerations, taints, now);
    }
  }

  #handlePodUpdate(namespace: string, name: string): void {
    const pod = this.#pods.get(name, namespace);
    if (!pod) {
      // Deleted: a pending deletion is cancelled. The only place a pod's key is built
      // unless the pod is on a node with NoExecute taints.
      this.#cancelWorkWithEvent(`${namespace}/${name}`);
      return;
    }
    // Every new or moved pod comes here; while no node has NoExecute taints there is
    // nothing to do for a pod that exists.
    if (this.#taintedNodes.size === 0) return;
    const nodeName = pod.spec?.nodeName ?? '';
    if (nodeName === '') return;
    const taints = this.#taintedNodes.get(nodeName);
    if (!taints) return;
    this.#processPodOnNode(`${namespace}/${name}`, pod.spec?.tolerations, taints, this.#ctx.sim.clock.now());
  }

  #processPodOnNode(key: string, tolerations: readonly Toleration[] | undefined, taints: readonly Taint[], now: number): void {
    if (taints.length === 0) this.#cancelWorkWithEvent(key);
    const { all, used } = matchingTolerations(taints, tolerations);
    if (!all) {
      this.#cancelWorkWithEvent(key);
      this.#evictions.addWork(key, now, now);
      return;
    }
    const min = minTolerationTime(used);
    if (min < 0) {
      this.#cancelWorkWithEvent(key);
      return;
    }
    // Upstream keeps a scheduled deletion when createdAt + min is Before now + min, which on
    // a real clock always holds; in virtual time two updates can share an instant, where
    // "not later" keeps it too instead of cancelling and rescheduling the same deadline.
    const createdAt = this.#evictions.createdAt(key);
    if (createdAt !== undefined) {
      if (createdAt + min <= now + min) return;
      this.#cancelWorkWithEvent(key);
    }
    this.#evictions.addWork(key, now, now + min);
  }

  #cancelWorkWithEvent(key: string): void {
    if (this.#evictions.cancelWork(key)) {
      this.#recorder.normal(podRef(key), TAINT_MANAGER_EVICTION, `Cancelling deletion of Pod ${key}`);
    }
  }

  // deletePodHandler: the event first, then up to 5 tries of condition + DELETE.
  #deletePod(key: string): void {
    this.#recorder.normal(podRef(key), TAINT_MANAGER_EVICTION, `Marking for deletion Pod ${key}`);
    for (let attempt = 0; attempt < DELETE_RETRIES; attempt++) {
      if (this.#addConditionAndDeletePod(key)) return;
    }
  }

  #addConditionAndDeletePod(key: string): boolean {
    const { namespace = 'default', name } = splitKey(key);
    const got = this.#client.get('Pod', name, namespace);
    if (E.isLeft(got)) return false;
    if (this.#ctx.profile.features.PodDisruptionConditions) {
      const condition = disruptionTargetCondition(got.right, this.#ctx.sim.clock.iso());
      if (condition) {
        const patched = this.#client.patch('Pod', name, { status: { conditions: [condition] } }, { namespace, subresource: 'status' });
        if (E.isLeft(patched)) return false;
      }
    }
    return E.isRight(this.#client.delete('Pod', name, { namespace }));
  }
}

/**
 * UpdatePodCondition for DisruptionTarget: the condition to write, or undefined when the
 * pod already has it (its lastTransitionTime stays when only reason or message differ).
 */
const disruptionTargetCondition = (pod: Pod, now: string): PodCondition | undefined => {
  const old = pod.status?.conditions?.find((c) => c.type === DELETION_BY_TAINT_MANAGER.type);
  if (old && old.status === DELETION_BY_TAINT_MANAGER.status && old.reason === DELETION_BY_TAINT_MANAGER.reason && old.message === DELETION_BY_TAINT_MANAGER.message) {
    return undefined;
  }
  const lastTransitionTime = old?.status === DELETION_BY_TAINT_MANAGER.status && old.lastTransitionTime ? old.lastTransitionTime : now;
  return { ...DELETION_BY_TAINT_MANAGER, lastTransitionTime };
};
