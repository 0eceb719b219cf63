// The scheduler's view of each node: the node and the sum of what the pods bound to it
// request. Models pkg/scheduler/internal/cache/cache.go and nodeinfo/node_info.go (v1.14;
// pkg/scheduler/cache in v1.12, framework.NodeInfo from v1.19): assigned pods count until
// they are deleted or reach Succeeded/Failed — a Terminating pod still holds its resources
// — and a pod the scheduler just bound counts at once (AssumePod), before its watch event.
// Kept incrementally, so a scheduling attempt costs nothing per pod in the cluster.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { controllerOf, keyOf } from '../runtime/pod-util.js';
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
}

interface MutableNodeInfo {
  name: string;
  node: Node | undefined;
  allocatable: Allocatable;
  requested: Resources;
  nonZeroRequested: { milliCPU: number; memory: number };
  podCount: number;
  controllerPods: Map<string, number>;
}

interface CountedPod {
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
  #sorted: MutableNodeInfo[] | undefined;

  /** Adds or replaces a node. */
  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.#info(name);
    if (!info.node) this.#sorted = undefined;
    // Heartbeats keep the stored allocatable object (the kubelet reuses unchanged status
    // members): parse its quantities only when it is a different object.
    if (!info.node || info.node.status?.allocatable !== node.status?.allocatable) info.allocatable = nodeAllocatable(node);
    info.node = node;
  }

  /** Forgets a node; pods still bound to it keep counting on an entry without node. */
  removeNode(name: string): void {
    const info = this.#nodes.get(name);
    if (!info?.node) return;
    info.node = undefined;
    info.allocatable = NO_ALLOCATABLE;
    if (info.podCount === 0) this.#nodes.delete(name);
    this.#sorted = undefined;
  }

  /**
   * Counts an assigned pod on its node, replacing what was counted for it before (an
   * update, or the watch event of a pod already assumed). A pod that no longer counts
   * (terminal, unassigned) is removed.
   */
  setPod(pod: Pod): void {
    const key = keyOf(pod);
    if (!countsOnNode(pod)) {
      this.removePod(key);
      return;
    }
    const owner = controllerOf(pod)?.uid;
    const counted: CountedPod = {
      nodeName: pod.spec?.nodeName ?? '',
      requests: podRequests(pod),
      nonZero: podNonZeroRequests(pod),
      spreadOwner: owner !== undefined && !pod.metadata?.deletionTimestamp ? owner : undefined,
    };
    this.removePod(key);
    this.#pods.set(key, counted);
    const info = this.#info(counted.nodeName);
    info.requested = addResources(info.requested, counted.requests);
    info.nonZeroRequested = { milliCPU: info.nonZeroRequested.milliCPU + counted.nonZero.milliCPU, memory: info.nonZeroRequested.memory + counted.nonZero.memory };
    info.podCount++;
    if (counted.spreadOwner !== undefined) info.controllerPods.set(counted.spreadOwner, (info.controllerPods.get(counted.spreadOwner) ?? 0) + 1);
  }

  /** Stops counting the pod with `key`; true when it was counted. */
  removePod(key: string): boolean {
    const counted = this.#pods.get(key);
    if (!counted) return false;
    this.#pods.delete(key);
    const info = this.#nodes.get(counted.nodeName);
    if (!info) return true;
    info.requested = subtractResources(info.requested, counted.requests);
    info.nonZeroRequested = { milliCPU: info.nonZeroRequested.milliCPU - counted.nonZero.milliCPU, memory: info.nonZeroRequested.memory - counted.nonZero.memory };
    info.podCount--;
    if (counted.spreadOwner !== undefined) {
      const left = (info.controllerPods.get(counted.spreadOwner) ?? 1) - 1;
      if (left > 0) info.controllerPods.set(counted.spreadOwner, left);
      else info.controllerPods.delete(counted.spreadOwner);
    }
    if (!info.node && info.podCount === 0) this.#nodes.delete(counted.nodeName);
    return true;
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
    this.#sorted ??= [...this.#nodes.values()].filter((i) => i.node).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.#sorted;
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
      };
      this.#nodes.set(name, info);
    }
    return info;
  }
}
