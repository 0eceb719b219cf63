// The scheduler's view of each node: the node and the sum of what the pods bound to it
// request. Models pkg/scheduler/internal/cache/cache.go and nodeinfo/node_info.go (v1.14;
// pkg/scheduler/cache in v1.12, framework.NodeInfo from v1.19): assigned pods count until
// they are deleted or reach Succeeded/Failed — a Terminating pod still holds its resources
// — and a pod the scheduler just bound counts at once (AssumePod), before its watch event.
// Kept incrementally, so a scheduling attempt costs nothing per pod in the cluster.
import type { Node, Pod, PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { controllerOf, nodeReadyStatus, splitKey, TAINTS } from '../runtime/pod-util.js';
import { isNodeHeartbeatOnly } from '../runtime/node-heartbeat.js';
import { NodeSlots } from './node-slots.js';
import {
  addResources,
  EMPTY_RESOURCES,
  nodeAllocatable,
  podNonZeroRequests,
  podRequests,
  subtractResources,
  type Allocatable,
  type Resources,
} from './pod-requests.js';

/** Aggregated information about one node (NodeInfo). */
export interface NodeInfo {
  readonly name: string;
  /** The Node object; undefined while only pods bound to that name are known. */
  readonly node: Node | undefined;
  readonly allocatable: Allocatable;
  /** Sum of the requests of the pods counted on the node. */
  readonly requested: Resources;
  /** Sum of their requests as scoring counts them (see podNonZeroRequests). */
  readonly nonZeroRequested: { readonly milliCPU: number; readonly memory: number };
  /** Number of pods counted on the node. */
  readonly podCount: number;
  /** Pods that are not terminating, per controller uid: what selector spreading counts. */
  readonly controllerPods: ReadonlyMap<string, number>;
  /** spec.unschedulable of the node (cordoned). */
  readonly unschedulable: boolean;
  /** Status of the node's Ready condition, undefined if never posted. */
  readonly readyStatus: string | undefined;
  /** The node's NoSchedule and NoExecute taints, as the node carries them. */
  readonly taints: readonly Taint[];
  /**
   * {@link taints} plus the readiness taint the node lifecycle controller adds to a node
   * that is not Ready, when it is not there yet (see schedulingTaints in filters.ts).
   */
  readonly taintsWithReadiness: readonly Taint[];
  /** The node's PreferNoSchedule taints (what TaintToleration scoring counts). */
  readonly preferNoScheduleTaints: readonly Taint[];
  /** Class ids of {@link taints}, {@link taintsWithReadiness} and {@link preferNoScheduleTaints} in the cache's slots' TaintClasses. */
  readonly taintsClass: number;
  readonly taintsWithReadinessClass: number;
  readonly preferNoScheduleClass: number;
  /** The node's index in {@link SchedulerCache.nodeInfos} and its slots; −1 when it is not there. */
  readonly slot: number;
}

/** No taints: shared, so a node without taints costs no array. */
const NO_TAINTS: readonly Taint[] = Object.freeze([]);

/**
 * The node's NoSchedule and NoExecute taints, with the readiness taint added when
 * `withReadiness` and the node is not Ready but carries neither `not-ready` nor
 * `unreachable` NoSchedule yet (the scheduler does not wait for the node lifecycle
 * controller, which adds it within milliseconds of the condition change).
 */
export const nodeSchedulingTaints = (node: Node, withReadiness: boolean): readonly Taint[] => {
  const all = node.spec?.taints;
  let taints = all === undefined || all.length === 0 ? NO_TAINTS : all.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (!withReadiness) return taints;
  const ready = nodeReadyStatus(node);
  if (ready !== 'True') {
    const tainted = taints.some((t) => t.effect === 'NoSchedule' && (t.key === TAINTS.notReady || t.key === TAINTS.unreachable));
    if (!tainted) taints = [...taints, { key: ready === 'Unknown' ? TAINTS.unreachable : TAINTS.notReady, effect: 'NoSchedule' }];
  }
  return taints;
};

const NO_ALLOCATABLE: Allocatable = { ...EMPTY_RESOURCES, pods: 0 };

/**
 * A node's entry. Its pods per controller are not kept here but read from the cache's one
 * index of them (see {@link NodeEntry.controllerPods}): a map per node of every controller
 * with a pod there duplicated that index (~1 KB a node, issue 8).
 */
class NodeEntry implements NodeInfo {
  node: Node | undefined = undefined;
  allocatable: Allocatable = NO_ALLOCATABLE;
  requested: Resources = EMPTY_RESOURCES;
  nonZeroRequested: { milliCPU: number; memory: number } = { milliCPU: 0, memory: 0 };
  podCount = 0;
  unschedulable = false;
  readyStatus: string | undefined = undefined;
  taints: readonly Taint[] = NO_TAINTS;
  taintsWithReadiness: readonly Taint[] = NO_TAINTS;
  preferNoScheduleTaints: readonly Taint[] = NO_TAINTS;
  taintsClass = 0;
  taintsWithReadinessClass = 0;
  preferNoScheduleClass = 0;
  slot = -1;

  constructor(
    readonly name: string,
    /** The cache's pods per controller uid and node entry. */
    private readonly byController: ReadonlyMap<string, ReadonlyMap<NodeInfo, number>>,
  ) {}

  /**
   * The node's spread-counted pods per controller uid, built from the cache's index when
   * asked: only scoreNodes without the cache's controllerPodsByNode (and tests) ask.
   */
  get controllerPods(): ReadonlyMap<string, number> {
    const counts = new Map<string, number>();
    for (const [owner, byNode] of this.byController) {
      const count = byNode.get(this);
      if (count !== undefined) counts.set(owner, count);
    }
    return counts;
  }
}

/** Whether a pod bound to a node holds resources there (assigned and not in a terminal phase). */
export const countsOnNode = (pod: Pod): boolean =>
  !!pod.spec?.nodeName && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** Nodes and the pods bound to them, kept current by the scheduler's event handlers. */
export class SchedulerCache {
  readonly #nodes = new Map<string, NodeEntry>();
  /**
   * The counted pods: per namespace, pod name → the pod's slot in the columns below. Keyed
   * by the names the pod objects hold rather than by a "namespace/name" string built per
   * pod, and a slot number rather than a record per pod (issue 8: ~180 bytes a pod before,
   * 150,000 pods at 5,000 nodes).
   */
  readonly #pods = new Map<string, Map<string, number>>();
  /**
   * Per slot, the spec, ownerReferences and terminating state the pod was counted from:
   * equal ones count the same, and what was counted (node, requests, spread owner) is a
   * function of them, worked out again when the pod stops counting.
   */
  #specs: (PodSpec | undefined)[] = [];
  #ownerReferences: (readonly OwnerReference[] | undefined)[] = [];
  #terminating = new Uint8Array(64);
  /** Slots given back by removed pods, reused first. */
  readonly #freeSlots: number[] = [];
  /** controllerPods inverted: per controller uid, its counted pods per node entry. */
  readonly #byController = new Map<string, Map<NodeInfo, number>>();
  #sorted: NodeEntry[] | undefined;
  /** The filter and score inputs of #sorted as columns; valid while #sorted is. */
  readonly #slots = new NodeSlots();

  /** Adds or replaces a node. */
  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.#info(name);
    // A kubelet heartbeat (every 10 s a node in the profiles without NodeLease) changes
    // nothing derived below: the same allocatable, taints, readiness and cordon, so the
    // slot's inputs — and its score memo, which write would clear — stay valid.
    if (info.node !== undefined && isNodeHeartbeatOnly(info.node, node)) {
      info.node = node;
      return;
    }
    if (!info.node) this.#sorted = undefined;
    // Heartbeats keep the stored allocatable object (the kubelet reuses unchanged status
    // members): parse its quantities only when it is a different object.
    if (!info.node || info.node.status?.allocatable !== node.status?.allocatable) info.allocatable = nodeAllocatable(node);
    // What the filters and scores read of the node, derived once per node object rather
    // than once per pod and node: a heartbeat keeps the stored taints array, so the
    // taint lists are rebuilt only when the taints (or the readiness) change.
    const old = info.node;
    const ready = nodeReadyStatus(node);
    if (!old || old.spec?.taints !== node.spec?.taints || info.readyStatus !== ready) {
      info.taints = nodeSchedulingTaints(node, false);
      info.taintsWithReadiness = ready === 'True' ? info.taints : nodeSchedulingTaints(node, true);
      const all = node.spec?.taints;
      info.preferNoScheduleTaints = all === undefined || all.length === 0 ? NO_TAINTS : all.filter((t) => t.effect === 'PreferNoSchedule');
      const classes = this.#slots.taintClasses;
      info.taintsClass = classes.id(info.taints);
      info.taintsWithReadinessClass = classes.id(info.taintsWithReadiness);
      info.preferNoScheduleClass = classes.id(info.preferNoScheduleTaints);
    }
    info.unschedulable = !!node.spec?.unschedulable;
    info.readyStatus = ready;
    info.node = node;
    this.#writeSlot(info);
  }

  /** Forgets a node; pods still bound to it keep counting on an entry without node. */
  removeNode(name: string): void {
    const info = this.#nodes.get(name);
    if (!info?.node) return;
    info.node = undefined;
    info.allocatable = NO_ALLOCATABLE;
    info.unschedulable = false;
    info.readyStatus = undefined;
    info.taints = info.taintsWithReadiness = info.preferNoScheduleTaints = NO_TAINTS;
    info.taintsClass = info.taintsWithReadinessClass = info.preferNoScheduleClass = 0;
    info.slot = -1;
    if (info.podCount === 0) this.#nodes.delete(name);
    this.#sorted = undefined;
  }

  /**
   * Counts an assigned pod on its node, replacing what was counted for it before (an
   * update, or the watch event of a pod already assumed). A pod that no longer counts
   * (terminal, unassigned) is removed. `_key`, the pod's keyOf, is no longer needed: the
   * pod is found by the namespace and name it holds. True when a pod that counted stopped
   * counting (what the scheduler treats as the assigned pod's deletion).
   */
  setPod(pod: Pod, _key?: string): boolean {
    const meta = pod.metadata;
    // keyOf's parts: a pod without namespace is keyed by its name alone.
    const namespace = meta?.namespace || '';
    const name = meta?.name ?? '';
    if (!countsOnNode(pod)) return this.#remove(namespace, name);
    const terminating = !!meta?.deletionTimestamp;
    const ownerReferences = meta?.ownerReferences;
    let names = this.#pods.get(namespace);
    const previous = names?.get(name);
    if (previous !== undefined) {
      // A status update keeps the stored spec and metadata members (frozen subtrees are
      // shared), and what is counted is a function of those: nothing to recount.
      if (this.#specs[previous] === pod.spec && this.#ownerReferences[previous] === ownerReferences && (this.#terminating[previous] === 1) === terminating)
        return false;
      this.#remove(namespace, name);
      // Removing its last pod dropped the namespace's map.
      names = this.#pods.get(namespace);
    }
    const slot = this.#freeSlots.length > 0 ? this.#freeSlots.pop()! : this.#specs.length;
    if (slot >= this.#terminating.length) {
      const grown = new Uint8Array(2 * this.#terminating.length);
      grown.set(this.#terminating);
      this.#terminating = grown;
    }
    this.#specs[slot] = pod.spec;
    this.#ownerReferences[slot] = ownerReferences;
    this.#terminating[slot] = terminating ? 1 : 0;
    if (names === undefined) this.#pods.set(namespace, (names = new Map<string, number>()));
    names.set(name, slot);
    this.#count(pod.spec, terminating ? undefined : controllerOf(pod)?.uid, 1);
    return false;
  }

  /**
   * Adds (`sign` 1) or takes back (−1) what a pod with `spec` counts on its node;
   * `spreadOwner` is its controller's uid when selector spreading counts it.
   */
  #count(spec: PodSpec | undefined, spreadOwner: string | undefined, sign: 1 | -1): void {
    const nodeName = spec?.nodeName ?? '';
    const info = sign === 1 ? this.#info(nodeName) : this.#nodes.get(nodeName);
    if (info === undefined) return;
    // Worked out from the spec each time: both are memoised per frozen containers array.
    const pod: Pod = { spec };
    const requests = podRequests(pod);
    const nonZero = podNonZeroRequests(pod);
    info.requested = sign === 1 ? addResources(info.requested, requests) : subtractResources(info.requested, requests);
    // Updated in place: the object stays where the node's entry was made, and scoring reads
    // it for hundreds of nodes per pod.
    info.nonZeroRequested.milliCPU += sign * nonZero.milliCPU;
    info.nonZeroRequested.memory += sign * nonZero.memory;
    info.podCount += sign;
    this.#writeSlot(info);
    if (spreadOwner !== undefined) {
      let byNode = this.#byController.get(spreadOwner);
      if (sign === 1) {
        if (!byNode) this.#byController.set(spreadOwner, (byNode = new Map<NodeInfo, number>()));
        byNode.set(info, (byNode.get(info) ?? 0) + 1);
      } else if (byNode) {
        const left = (byNode.get(info) ?? 1) - 1;
        if (left > 0) byNode.set(info, left);
        else byNode.delete(info);
        if (byNode.size === 0) this.#byController.delete(spreadOwner);
      }
    }
    if (sign === -1 && !info.node && info.podCount === 0) this.#nodes.delete(nodeName);
  }

  /** Stops counting the pod with `key`; true when it was counted. */
  removePod(key: string): boolean {
    const { namespace = '', name } = splitKey(key);
    return this.#remove(namespace, name);
  }

  /** Stops counting the pod `name` of `namespace`; true when it was counted. */
  #remove(namespace: string, name: string): boolean {
    const names = this.#pods.get(namespace);
    const slot = names?.get(name);
    if (slot === undefined) return false;
    names!.delete(name);
    if (names!.size === 0) this.#pods.delete(namespace);
    const spec = this.#specs[slot];
    const ownerReferences = this.#ownerReferences[slot];
    const terminating = this.#terminating[slot] === 1;
    // Released: the slot must not keep the spec alive.
    this.#specs[slot] = undefined;
    this.#ownerReferences[slot] = undefined;
    this.#freeSlots.push(slot);
    this.#count(spec, terminating ? undefined : controllerOf({ metadata: { ownerReferences } })?.uid, -1);
    return true;
  }

  /**
   * The pods of the controller with uid `owner` that selector spreading counts, per node
   * entry (each entry's controllerPods, inverted); undefined when there are none. Scoring
   * looks one controller up in one small map for every feasible node, rather than in every
   * node's map of controllers.
   */
  controllerPodsByNode(owner: string): ReadonlyMap<NodeInfo, number> | undefined {
    return this.#byController.get(owner);
  }

  /** Whether the pod with `key` is counted on some node. */
  hasPod(key: string): boolean {
    const { namespace = '', name } = splitKey(key);
    return this.#pods.get(namespace)?.has(name) === true;
  }

  /** The node the pod with `key` is counted on. */
  nodeOf(key: string): string | undefined {
    const { namespace = '', name } = splitKey(key);
    const slot = this.#pods.get(namespace)?.get(name);
    return slot === undefined ? undefined : (this.#specs[slot]?.nodeName ?? '');
  }

  /** The node's information, if the node is known. */
  nodeInfo(name: string): NodeInfo | undefined {
    const info = this.#nodes.get(name);
    return info?.node ? info : undefined;
  }

  /** The known nodes sorted by name: the order in which the scheduler walks them. */
  nodeInfos(): readonly NodeInfo[] {
    if (this.#sorted === undefined) {
      const sorted = [...this.#nodes.values()].filter((i) => i.node).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.#slots.resize(sorted.length);
      for (let i = 0; i < sorted.length; i++) {
        const info = sorted[i]!;
        info.slot = i;
        this.#slots.write(i, info);
      }
      this.#sorted = sorted;
    }
    return this.#sorted;
  }

  /**
   * The inputs of {@link nodeInfos}' nodes as columns, slot i holding the i-th node's; kept
   * current as nodes and pods change, rebuilt with the walk order when a node comes or goes.
   */
  slots(): NodeSlots {
    this.nodeInfos();
    return this.#slots;
  }

  /** Copies a node's changed inputs into its slot, while the walk order stands. */
  #writeSlot(info: NodeEntry): void {
    if (this.#sorted !== undefined && info.slot >= 0) this.#slots.write(info.slot, info);
  }

  /** Names of the known nodes, sorted. */
  nodeNames(): string[] {
    return this.nodeInfos().map((i) => i.name);
  }

  /** Number of known nodes. */
  get nodeCount(): number {
    return this.nodeInfos().length;
  }

  #info(name: string): NodeEntry {
    let info = this.#nodes.get(name);
    if (!info) this.#nodes.set(name, (info = new NodeEntry(name, this.#byController)));
    return info;
  }
}
