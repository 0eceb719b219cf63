// The scheduler's view of each node: the node and the sum of what the pods bound to it
// request. Models pkg/scheduler/internal/cache/cache.go and nodeinfo/node_info.go (v1.14;
// pkg/scheduler/cache in v1.12, framework.NodeInfo from v1.19): assigned pods count until
// they are deleted or reach Succeeded/Failed — a Terminating pod still holds its resources
// — and a pod the scheduler just bound counts at once (AssumePod), before its watch event.
// Kept incrementally, so a scheduling attempt costs nothing per pod in the cluster.
import type { Node, Pod, PodSpec, Taint } from 'kubernetes-types/core/v1.js';
import { controllerOf, keyOf, nodeReadyStatus, TAINTS } from '../runtime/pod-util.js';
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

interface MutableNodeInfo {
  name: string;
  node: Node | undefined;
  allocatable: Allocatable;
  requested: Resources;
  nonZeroRequested: { milliCPU: number; memory: number };
  podCount: number;
  controllerPods: Map<string, number>;
  unschedulable: boolean;
  readyStatus: string | undefined;
  taints: readonly Taint[];
  taintsWithReadiness: readonly Taint[];
  preferNoScheduleTaints: readonly Taint[];
  taintsClass: number;
  taintsWithReadinessClass: number;
  preferNoScheduleClass: number;
  slot: number;
}

interface CountedPod {
  /** The spec, ownerReferences and terminating state it was counted from: equal ones count the same. */
  readonly spec: PodSpec | undefined;
  readonly ownerReferences: unknown;
  readonly terminating: boolean;
  readonly nodeName: string;
  readonly requests: Resources;
  readonly nonZero: { readonly milliCPU: number; readonly memory: number };
  /** Controller uid when the pod counts for spreading (has one and is not terminating). */
  readonly spreadOwner: string | undefined;
}

const NO_ALLOCATABLE: Allocatable = { ...EMPTY_RESOURCES, pods: 0 };

/** Whether a pod bound to a node holds resources there (assigned and not in a terminal phase). */
export const countsOnNode = (pod: Pod): boolean =>
  !!pod.spec?.nodeName && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** Nodes and the pods bound to them, kept current by the scheduler's event handlers. */
export class SchedulerCache {
  readonly #nodes = new Map<string, MutableNodeInfo>();
  readonly #pods = new Map<string, CountedPod>();
  /** controllerPods inverted: per controller uid, its counted pods per node entry. */
  readonly #byController = new Map<string, Map<NodeInfo, number>>();
  #sorted: MutableNodeInfo[] | undefined;
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
   * (terminal, unassigned) is removed. `key` is the pod's keyOf, when the caller has it.
   */
  setPod(pod: Pod, key: string = keyOf(pod)): void {
    if (!countsOnNode(pod)) {
      this.removePod(key);
      return;
    }
    const terminating = !!pod.metadata?.deletionTimestamp;
    const ownerReferences = pod.metadata?.ownerReferences;
    const previous = this.#pods.get(key);
    // A status update keeps the stored spec and metadata members (frozen subtrees are
    // shared), and what is counted is a function of those: nothing to recount.
    if (previous && previous.spec === pod.spec && previous.ownerReferences === ownerReferences && previous.terminating === terminating) return;
    const owner = controllerOf(pod)?.uid;
    const counted: CountedPod = {
      spec: pod.spec,
      ownerReferences,
      terminating,
      nodeName: pod.spec?.nodeName ?? '',
      requests: podRequests(pod),
      nonZero: podNonZeroRequests(pod),
      spreadOwner: owner !== undefined && !terminating ? owner : undefined,
    };
    this.removePod(key);
    this.#pods.set(key, counted);
    const info = this.#info(counted.nodeName);
    info.requested = addResources(info.requested, counted.requests);
    // Updated in place: the object stays where the node's entry was made, and scoring reads
    // it for hundreds of nodes per pod.
    info.nonZeroRequested.milliCPU += counted.nonZero.milliCPU;
    info.nonZeroRequested.memory += counted.nonZero.memory;
    info.podCount++;
    this.#writeSlot(info);
    if (counted.spreadOwner !== undefined) {
      info.controllerPods.set(counted.spreadOwner, (info.controllerPods.get(counted.spreadOwner) ?? 0) + 1);
      let byNode = this.#byController.get(counted.spreadOwner);
      if (!byNode) this.#byController.set(counted.spreadOwner, (byNode = new Map<NodeInfo, number>()));
      byNode.set(info, (byNode.get(info) ?? 0) + 1);
    }
  }

  /** Stops counting the pod with `key`; true when it was counted. */
  removePod(key: string): boolean {
    const counted = this.#pods.get(key);
    if (!counted) return false;
    this.#pods.delete(key);
    const info = this.#nodes.get(counted.nodeName);
    if (!info) return true;
    info.requested = subtractResources(info.requested, counted.requests);
    info.nonZeroRequested.milliCPU -= counted.nonZero.milliCPU;
    info.nonZeroRequested.memory -= counted.nonZero.memory;
    info.podCount--;
    this.#writeSlot(info);
    if (counted.spreadOwner !== undefined) {
      const left = (info.controllerPods.get(counted.spreadOwner) ?? 1) - 1;
      if (left > 0) info.controllerPods.set(counted.spreadOwner, left);
      else info.controllerPods.delete(counted.spreadOwner);
      const byNode = this.#byController.get(counted.spreadOwner);
      if (byNode) {
        if (left > 0) byNode.set(info, left);
        else byNode.delete(info);
        if (byNode.size === 0) this.#byController.delete(counted.spreadOwner);
      }
    }
    if (!info.node && info.podCount === 0) this.#nodes.delete(counted.nodeName);
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
    return this.#pods.has(key);
  }

  /** The node the pod with `key` is counted on. */
  nodeOf(key: string): string | undefined {
    return this.#pods.get(key)?.nodeName;
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
  #writeSlot(info: MutableNodeInfo): void {
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

  #info(name: string): MutableNodeInfo {
    let info = this.#nodes.get(name);
    if (!info) {
      info = {
        name,
        node: undefined,
        allocatable: NO_ALLOCATABLE,
        requested: EMPTY_RESOURCES,
        nonZeroRequested: { milliCPU: 0, memory: 0 },
        podCount: 0,
        controllerPods: new Map(),
        unschedulable: false,
        readyStatus: undefined,
        taints: NO_TAINTS,
        taintsWithReadiness: NO_TAINTS,
        preferNoScheduleTaints: NO_TAINTS,
        taintsClass: 0,
        taintsWithReadinessClass: 0,
        preferNoScheduleClass: 0,
        slot: -1,
      };
      this.#nodes.set(name, info);
    }
    return info;
  }
}
