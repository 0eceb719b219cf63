// The scheduler cache's nodes as columns: what the filters and scores read of each node, in
// flat typed arrays indexed by the node's place in the walk order (its slot). Plays the part
// of the cache Snapshot's nodeInfoList (pkg/scheduler/internal/cache/snapshot.go, v1.14+;
// the NodeInfo map of generic_scheduler.go in v1.12), laid out for memory rather than
// modelled on a different upstream structure: an attempt at 2,000 nodes reads ~700 nodes,
// and reading a few contiguous arrays costs far less than loading as many scattered objects.
// Taint lists are interned into classes, so a pod's tolerations are judged once per class
// per attempt instead of once per node.
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { Allocatable, Resources } from './pod-requests.js';

/** Flag of {@link NodeSlots.flags}: spec.unschedulable (cordoned). */
export const SLOT_UNSCHEDULABLE = 1;
/** Flag of {@link NodeSlots.flags}: the Ready condition is True. */
export const SLOT_READY = 2;

/** The per-node fields the slots copy (a subset of the cache's NodeInfo). */
export interface SlotSource {
  readonly allocatable: Allocatable;
  readonly requested: Resources;
  readonly nonZeroRequested: { readonly milliCPU: number; readonly memory: number };
  readonly podCount: number;
  readonly unschedulable: boolean;
  readonly readyStatus: string | undefined;
  /** Class ids of the taint lists (see {@link TaintClasses}). */
  readonly taintsClass: number;
  readonly taintsWithReadinessClass: number;
  readonly preferNoScheduleClass: number;
}

/**
 * Taint lists interned by content (key, value, effect: all that tolerations and the
 * FailedScheduling texts read), so nodes with the same taints share one id. Id 0 is the
 * empty list. Lists are interned when a node's taints or readiness change, not per heartbeat.
 */
export class TaintClasses {
  readonly #ids = new Map<string, number>();
  readonly #lists: (readonly Taint[])[] = [[]];

  /** The id of a list with these taints (0 when empty). */
  id(taints: readonly Taint[]): number {
    if (taints.length === 0) return 0;
    let key = '';
    for (const t of taints) key += `${t.key}\u0000${t.value ?? ''}\u0000${t.effect}\u0001`;
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#lists.length;
      this.#lists.push(taints);
      this.#ids.set(key, id);
    }
    return id;
  }

  /** A list with the taints of class `id` (the first one interned under it). */
  taints(id: number): readonly Taint[] {
    return this.#lists[id] ?? [];
  }

  /** Number of classes, the empty one included: the bound of the ids. */
  get size(): number {
    return this.#lists.length;
  }
}

/** `allocatable − used` when both are safe integers (then exact), else −Infinity (see NodeSlots.freePods). */
const free = (allocatable: number, used: number): number =>
  Number.isSafeInteger(allocatable) && Number.isSafeInteger(used) ? allocatable - used : -Infinity;

const grow = <T extends Float64Array | Int32Array | Uint8Array>(array: T, capacity: number, make: (n: number) => T): T =>
  array.length >= capacity ? array : make(capacity);

/**
 * The filter and score inputs of `count` nodes, slot i being the i-th node of the walk order.
 * Capacity grows by doubling, so the rebuilds while nodes register reuse the arrays.
 */
export class NodeSlots {
  count = 0;
  /**
   * Changes with every {@link write} and {@link resize}: equal versions mean equal contents,
   * so what a walk worked out from the slots may be reused while it stands.
   */
  version = 0;
  allocatablePods = new Float64Array(0);
  allocatableMilliCPU = new Float64Array(0);
  allocatableMemory = new Float64Array(0);
  allocatableEphemeralStorage = new Float64Array(0);
  requestedMilliCPU = new Float64Array(0);
  requestedMemory = new Float64Array(0);
  requestedEphemeralStorage = new Float64Array(0);
  nonZeroMilliCPU = new Float64Array(0);
  nonZeroMemory = new Float64Array(0);
  podCount = new Float64Array(0);
  /**
   * Room left on the node: allocatable minus requested (pods: minus podCount), so that the
   * walk over the nodes reads four columns instead of eight. The filters' `allocatable <
   * want + requested` is `free < want` exactly, as every quantity is a whole number (Value()
   * and MilliValue() round up) — while it is a safe integer; a node with a larger one gets
   * −Infinity here, so that the walk stops at it and judges it from the columns above.
   */
  freePods = new Float64Array(0);
  freeMilliCPU = new Float64Array(0);
  freeMemory = new Float64Array(0);
  freeEphemeralStorage = new Float64Array(0);
  /** {@link SLOT_UNSCHEDULABLE} | {@link SLOT_READY}. */
  flags = new Uint8Array(0);
  taintsClass = new Int32Array(0);
  taintsWithReadinessClass = new Int32Array(0);
  preferNoScheduleClass = new Int32Array(0);
  /**
   * A memo of scoring: the resource part of the node's score (least requested plus balanced
   * allocation) for the pod shape with id `baseScoreKey[i]`; 0 means none. {@link write}
   * clears it, so it never outlives the node inputs it was computed from.
   */
  baseScoreKey = new Int32Array(0);
  baseScore = new Float64Array(0);
  readonly taintClasses = new TaintClasses();

  /** Makes room for `count` slots; their contents are written by {@link write}. */
  resize(count: number): void {
    this.count = count;
    this.version++;
    if (this.flags.length >= count) return;
    const capacity = Math.max(count, 2 * this.flags.length, 16);
    const f64 = (n: number) => new Float64Array(n);
    const i32 = (n: number) => new Int32Array(n);
    this.allocatablePods = grow(this.allocatablePods, capacity, f64);
    this.allocatableMilliCPU = grow(this.allocatableMilliCPU, capacity, f64);
    this.allocatableMemory = grow(this.allocatableMemory, capacity, f64);
    this.allocatableEphemeralStorage = grow(this.allocatableEphemeralStorage, capacity, f64);
    this.requestedMilliCPU = grow(this.requestedMilliCPU, capacity, f64);
    this.requestedMemory = grow(this.requestedMemory, capacity, f64);
    this.requestedEphemeralStorage = grow(this.requestedEphemeralStorage, capacity, f64);
    this.nonZeroMilliCPU = grow(this.nonZeroMilliCPU, capacity, f64);
    this.nonZeroMemory = grow(this.nonZeroMemory, capacity, f64);
    this.podCount = grow(this.podCount, capacity, f64);
    this.freePods = grow(this.freePods, capacity, f64);
    this.freeMilliCPU = grow(this.freeMilliCPU, capacity, f64);
    this.freeMemory = grow(this.freeMemory, capacity, f64);
    this.freeEphemeralStorage = grow(this.freeEphemeralStorage, capacity, f64);
    this.flags = grow(this.flags, capacity, (n) => new Uint8Array(n));
    this.taintsClass = grow(this.taintsClass, capacity, i32);
    this.taintsWithReadinessClass = grow(this.taintsWithReadinessClass, capacity, i32);
    this.preferNoScheduleClass = grow(this.preferNoScheduleClass, capacity, i32);
    this.baseScoreKey = grow(this.baseScoreKey, capacity, i32);
    this.baseScore = grow(this.baseScore, capacity, f64);
  }

  /** Copies the node's current inputs into slot `i` (after every change of the node or its pods). */
  write(i: number, info: SlotSource): void {
    this.version++;
    const { allocatable, requested } = info;
    this.allocatablePods[i] = allocatable.pods;
    this.allocatableMilliCPU[i] = allocatable.milliCPU;
    this.allocatableMemory[i] = allocatable.memory;
    this.allocatableEphemeralStorage[i] = allocatable.ephemeralStorage;
    this.requestedMilliCPU[i] = requested.milliCPU;
    this.requestedMemory[i] = requested.memory;
    this.requestedEphemeralStorage[i] = requested.ephemeralStorage;
    this.nonZeroMilliCPU[i] = info.nonZeroRequested.milliCPU;
    this.nonZeroMemory[i] = info.nonZeroRequested.memory;
    this.podCount[i] = info.podCount;
    this.freePods[i] = free(allocatable.pods, info.podCount);
    this.freeMilliCPU[i] = free(allocatable.milliCPU, requested.milliCPU);
    this.freeMemory[i] = free(allocatable.memory, requested.memory);
    this.freeEphemeralStorage[i] = free(allocatable.ephemeralStorage, requested.ephemeralStorage);
    this.flags[i] = (info.unschedulable ? SLOT_UNSCHEDULABLE : 0) | (info.readyStatus === 'True' ? SLOT_READY : 0);
    this.taintsClass[i] = info.taintsClass;
    this.taintsWithReadinessClass[i] = info.taintsWithReadinessClass;
    this.preferNoScheduleClass[i] = info.preferNoScheduleClass;
    this.baseScoreKey[i] = 0;
  }
}
