// What a pod asks of a node and what a node offers, as the scheduler counts them:
// pkg/scheduler/cache/node_info.go (calculateResource, NewResource) and
// pkg/scheduler/algorithm/predicates/predicates.go (GetResourceRequest) of v1.12, which
// became pkg/scheduler/framework/types.go and noderesources/fit.go (computePodResourceRequest)
// in the framework releases with the same arithmetic.
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { quantityMilliValue, quantityValue } from './quantity.js';

/** Amounts of the resources the scheduler checks: millicores, bytes, and extended resources by name. */
export interface Resources {
  readonly milliCPU: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  /** Extended resources (`nvidia.com/gpu`, `hugepages-2Mi`…), whole units. */
  readonly scalar: Readonly<Record<string, number>>;
}

/** A node's allocatable resources and how many pods it takes. */
export interface Allocatable extends Resources {
  readonly pods: number;
}

/** No resources. */
export const EMPTY_RESOURCES: Resources = { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: {} };

/** The CPU a container without a CPU request counts as when scoring (DefaultMilliCPURequest, 0.1 core). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** The memory a container without a memory request counts as when scoring (DefaultMemoryRequest, 200 MB). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const BASIC = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

const requestsOf = (container: Container): Resources => {
  const requests = container.resources?.requests ?? {};
  const scalar: Record<string, number> = {};
  for (const [name, quantity] of Object.entries(requests)) if (!BASIC.has(name)) scalar[name] = quantityValue(quantity);
  return {
    milliCPU: quantityMilliValue(requests['cpu']),
    memory: quantityValue(requests['memory']),
    ephemeralStorage: quantityValue(requests['ephemeral-storage']),
    scalar,
  };
};

/** Whether `record` has any key (an extended-resource map that is not empty), without building a key list. */
export const hasKeys = (record: Readonly<Record<string, number>>): boolean => {
  for (const _ in record) return true;
  return false;
};

/** a + b. */
export const addResources = (a: Resources, b: Resources): Resources => {
  // Almost no pod requests extended resources: a's map is then the sum's (they are never
  // written after they are made), and the scheduler cache adds one per pod bound.
  if (!hasKeys(b.scalar)) return { milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory, ephemeralStorage: a.ephemeralStorage + b.ephemeralStorage, scalar: a.scalar };
  const scalar: Record<string, number> = { ...a.scalar };
  for (const [name, value] of Object.entries(b.scalar)) scalar[name] = (scalar[name] ?? 0) + value;
  return { milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory, ephemeralStorage: a.ephemeralStorage + b.ephemeralStorage, scalar };
};

/** a − b (what a departing pod gives back). */
export const subtractResources = (a: Resources, b: Resources): Resources => {
  if (!hasKeys(b.scalar)) return { milliCPU: a.milliCPU - b.milliCPU, memory: a.memory - b.memory, ephemeralStorage: a.ephemeralStorage - b.ephemeralStorage, scalar: a.scalar };
  const scalar: Record<string, number> = { ...a.scalar };
  for (const [name, value] of Object.entries(b.scalar)) scalar[name] = (scalar[name] ?? 0) - value;
  return { milliCPU: a.milliCPU - b.milliCPU, memory: a.memory - b.memory, ephemeralStorage: a.ephemeralStorage - b.ephemeralStorage, scalar };
};

const maxResources = (a: Resources, b: Resources): Resources => {
  const scalar: Record<string, number> = { ...a.scalar };
  for (const [name, value] of Object.entries(b.scalar)) scalar[name] = Math.max(scalar[name] ?? 0, value);
  return {
    milliCPU: Math.max(a.milliCPU, b.milliCPU),
    memory: Math.max(a.memory, b.memory),
    ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage),
    scalar,
  };
};

/**
 * The pod's request: the sum over its containers, raised to any single init container's
 * request (init containers run one at a time, before the others), plus spec.overhead.
 */
export const podRequests = (pod: Pod): Resources => {
  const spec = pod.spec;
  const containers = spec?.containers ?? NO_CONTAINERS;
  // The pods of one controller share their frozen containers array (stored objects are
  // frozen in place), so the sum is worked out once per template rather than per attempt and
  // per pod counted; frozen, the array's requests cannot change under the memo. Init
  // containers and overhead are rare and not memoised.
  const memoised = (spec?.initContainers ?? NO_CONTAINERS).length === 0 && spec?.overhead === undefined && Object.isFrozen(containers);
  if (memoised) {
    const known = requestsByContainers.get(containers);
    if (known !== undefined) return known;
  }
  let sum = containers.reduce((acc, c) => addResources(acc, requestsOf(c)), EMPTY_RESOURCES);
  for (const init of spec?.initContainers ?? []) sum = maxResources(sum, requestsOf(init));
  const overhead = spec?.overhead;
  if (overhead) sum = addResources(sum, requestsOf({ name: 'overhead', resources: { requests: overhead } }));
  if (memoised) requestsByContainers.set(containers, (sum = Object.freeze({ ...sum, scalar: Object.freeze({ ...sum.scalar }) })));
  return sum;
};

const NO_CONTAINERS: readonly Container[] = Object.freeze([]);
/** podRequests of pods without init containers nor overhead, by their (frozen) containers array. */
const requestsByContainers = new WeakMap<readonly Container[], Resources>();
/** podNonZeroRequests by the (frozen) containers array. */
const nonZeroByContainers = new WeakMap<readonly Container[], { readonly milliCPU: number; readonly memory: number }>();

/**
 * CPU and memory as scoring counts them (GetNonzeroRequests): a container that requests no
 * CPU counts 100m, one that requests no memory 200 MB, so that empty pods still spread.
 */
export const podNonZeroRequests = (pod: Pod): { readonly milliCPU: number; readonly memory: number } => {
  const containers = pod.spec?.containers ?? NO_CONTAINERS;
  // Memoised per frozen containers array, as podRequests: shared by the pods of a template.
  const frozen = Object.isFrozen(containers);
  if (frozen) {
    const known = nonZeroByContainers.get(containers);
    if (known !== undefined) return known;
  }
  let milliCPU = 0;
  let memory = 0;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    milliCPU += requests['cpu'] === undefined ? DEFAULT_MILLI_CPU_REQUEST : quantityMilliValue(requests['cpu']);
    memory += requests['memory'] === undefined ? DEFAULT_MEMORY_REQUEST : quantityValue(requests['memory']);
  }
  const nonZero = Object.freeze({ milliCPU, memory });
  if (frozen) nonZeroByContainers.set(containers, nonZero);
  return nonZero;
};

/** status.allocatable of the node (NodeInfo.SetNode); absent resources are 0. */
export const nodeAllocatable = (node: Node): Allocatable => {
  const allocatable = node.status?.allocatable ?? {};
  const scalar: Record<string, number> = {};
  for (const [name, quantity] of Object.entries(allocatable)) if (!BASIC.has(name)) scalar[name] = quantityValue(quantity);
  return {
    milliCPU: quantityMilliValue(allocatable['cpu']),
    memory: quantityValue(allocatable['memory']),
    ephemeralStorage: quantityValue(allocatable['ephemeral-storage']),
    pods: quantityValue(allocatable['pods']),
    scalar,
  };
};
