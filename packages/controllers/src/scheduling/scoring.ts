// How the scheduler ranks the nodes that can take a pod. Models the default priorities of
// v1.12 (pkg/scheduler/algorithm/priorities: LeastRequestedPriority, BalancedResourceAllocation,
// SelectorSpreadPriority, NodeAffinityPriority, TaintTolerationPriority, each weight 1, scores
// 0–10) and the score plugins of the framework (NodeResourcesFit LeastAllocated,
// NodeResourcesBalancedAllocation, PodTopologySpread, NodeAffinity, TaintToleration; scores
// 0–100, and from v1.22 the weights of apis/config/v1/default_plugins.go). Image locality and
// inter-pod affinity score every node alike in failsim (no images, no pod affinity) and are
// left out.
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { VersionProfile } from '../profiles/profile.js';
import { controllerOf, tolerates } from '../runtime/pod-util.js';
import { preferredNodeAffinityWeight } from './node-affinity.js';
import { podNonZeroRequests, podRequests, type Resources } from './pod-requests.js';
import type { NodeSlots } from './node-slots.js';
import type { NodeInfo } from './scheduler-cache.js';

type Framework = VersionProfile['behaviours']['schedulerFramework'];

interface Weights {
  readonly leastRequested: number;
  readonly balanced: number;
  readonly spread: number;
  readonly nodeAffinity: number;
  readonly taintToleration: number;
}

const WEIGHTS: Readonly<Record<Framework, Weights>> = {
  predicates: { leastRequested: 1, balanced: 1, spread: 1, nodeAffinity: 1, taintToleration: 1 },
  'filter-plugins': { leastRequested: 1, balanced: 1, spread: 1, nodeAffinity: 1, taintToleration: 1 },
  'prefilter-plugins': { leastRequested: 1, balanced: 1, spread: 2, nodeAffinity: 2, taintToleration: 3 },
};

/** MaxPriority (10) before the framework, MaxNodeScore (100) after. */
export const maxNodeScore = (framework: Framework): number => (framework === 'predicates' ? 10 : 100);

/** leastRequestedScore: the share of the node left free, in 0..max (integer arithmetic as upstream). */
const leastRequestedScore = (requested: number, capacity: number, max: number): number =>
  capacity === 0 || requested > capacity ? 0 : Math.floor(((capacity - requested) * max) / capacity);

const fraction = (requested: number, capacity: number): number => (capacity === 0 ? 1 : requested / capacity);

/** What scoring needs of the pod, computed once per attempt rather than once per node. */
interface PodScoring {
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;
  readonly milliCPU: number;
  readonly memory: number;
  readonly owner: string | undefined;
  readonly preferNoScheduleTolerations: readonly Toleration[];
  readonly hasPreferredAffinity: boolean;
}

const NO_TOLERATIONS: readonly Toleration[] = Object.freeze([]);
const isPreferNoSchedule = (t: Toleration): boolean => !t.effect || t.effect === 'PreferNoSchedule';

/** The tolerations that may tolerate a PreferNoSchedule taint; a shared empty list when none (most pods: NoExecute ones only). */
const preferNoScheduleTolerations = (tolerations: readonly Toleration[] | undefined): readonly Toleration[] => {
  if (tolerations === undefined) return NO_TOLERATIONS;
  for (let i = 0; i < tolerations.length; i++) if (isPreferNoSchedule(tolerations[i]!)) return tolerations.filter(isPreferNoSchedule);
  return NO_TOLERATIONS;
};

/**
 * What scoring needs of the pod, filled in for each call: one object for all attempts
 * (neither scorer is re-entered, and neither keeps it past its return) rather than one per pod.
 */
const scoring: { -readonly [K in keyof PodScoring]: PodScoring[K] } = {
  nonZeroMilliCPU: 0,
  nonZeroMemory: 0,
  milliCPU: 0,
  memory: 0,
  owner: undefined,
  preferNoScheduleTolerations: NO_TOLERATIONS,
  hasPreferredAffinity: false,
};

const podScoring = (pod: Pod, requests: Resources): PodScoring => {
  const nonZero = podNonZeroRequests(pod);
  const p = scoring;
  p.nonZeroMilliCPU = nonZero.milliCPU;
  p.nonZeroMemory = nonZero.memory;
  p.milliCPU = requests.milliCPU;
  p.memory = requests.memory;
  p.owner = controllerOf(pod)?.uid;
  p.preferNoScheduleTolerations = preferNoScheduleTolerations(pod.spec?.tolerations);
  p.hasPreferredAffinity = (pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
  return p;
};

/** Untolerated PreferNoSchedule taints of the node (CountIntolerableTaintsPreferNoSchedule). */
const intolerableTaints = (p: PodScoring, info: NodeInfo): number => countIntolerable(p, info.preferNoScheduleTaints);

/** How many of `taints` none of the pod's PreferNoSchedule tolerations tolerates. */
const countIntolerable = (p: PodScoring, taints: readonly Taint[]): number => {
  let count = 0;
  const tolerations = p.preferNoScheduleTolerations;
  for (let i = 0; i < taints.length; i++) {
    let tolerated = false;
    for (let j = 0; j < tolerations.length && !tolerated; j++) tolerated = tolerates(tolerations[j]!, taints[i]!);
    if (!tolerated) count++;
  }
  return count;
};

/**
 * Per-node raw counts of one call (spreading, preferred affinity, intolerable taints), kept
 * between calls and grown as needed: scoring runs for every pod, and three fresh arrays of
 * hundreds of nodes each time were most of what it allocated. Only the totals are returned.
 */
let scratch = new Float64Array(0);

/**
 * Adds the normalized spreading, preferred node affinity and taint toleration scores to
 * `base` (the resource scores): `counts` holds each node's spread count at i, affinity
 * weight at n + i and intolerable PreferNoSchedule taints at 2n + i, as both scorers fill it.
 */
const addNormalizedScores = (
  base: Float64Array,
  counts: Float64Array,
  n: number,
  max: number,
  maxSpread: number,
  maxAffinity: number,
  maxIntolerable: number,
  weights: Weights,
): void => {
  for (let i = 0; i < n; i++) {
    const spreadScore = maxSpread > 0 ? Math.floor((max * (maxSpread - counts[i]!)) / maxSpread) : max;
    const affinityScore = maxAffinity > 0 ? Math.floor((max * counts[n + i]!) / maxAffinity) : 0;
    const taintScore = maxIntolerable > 0 ? max - Math.floor((max * counts[2 * n + i]!) / maxIntolerable) : max;
    base[i] = base[i]! + weights.spread * spreadScore + weights.nodeAffinity * affinityScore + weights.taintToleration * taintScore;
  }
};

/**
 * Weighted sum of the priorities for each feasible node, normalised across them as
 * upstream's reduce functions do: least requested ((capacity − requested)·max/capacity per
 * resource, averaged, with the non-zero defaults), balanced allocation, spreading
 * max·(maxCount−count)/maxCount (pods of the same controller, not terminating, as selector
 * spreading counts them), preferred affinity max·weight/maxWeight, PreferNoSchedule taints
 * max − max·count/maxCount. The result holds the score of `feasible[i]` at i. Plain
 * numbers only: a 5,000-node cluster scores thousands of nodes per pod. `requests` is the
 * pod's podRequests when the caller has it already; `podsByNode` gives a controller's
 * pods per node (the cache's controllerPodsByNode) — without it each node's
 * controllerPods is asked.
 */
export const scoreNodes = (
  pod: Pod,
  feasible: readonly NodeInfo[],
  profile: VersionProfile,
  requests: Resources = podRequests(pod),
  podsByNode?: (owner: string) => ReadonlyMap<NodeInfo, number> | undefined,
): Float64Array => {
  const framework = profile.behaviours.schedulerFramework;
  const max = maxNodeScore(framework);
  const weights = WEIGHTS[framework];
  const stdDev = framework === 'prefilter-plugins';
  const p = podScoring(pod, requests);
  const n = feasible.length;
  const base = new Float64Array(n);
  if (scratch.length < 3 * n) scratch = new Float64Array(Math.max(3 * n, 2 * scratch.length));
  // spread at [0, n), affinity at [n, 2n), intolerable at [2n, 3n); zeroed as they are written.
  const counts = scratch;
  const owner = p.owner;
  // One small map for the pod's controller (undefined: no pod of it counts anywhere, so
  // every node counts 0), looked up by node entry.
  const spreadCounts = owner === undefined || podsByNode === undefined ? undefined : podsByNode(owner);
  const preferred = p.hasPreferredAffinity;
  let maxSpread = 0;
  let maxAffinity = 0;
  let maxIntolerable = 0;
  for (let i = 0; i < n; i++) {
    const info = feasible[i]!;
    const cpuCapacity = info.allocatable.milliCPU;
    const memoryCapacity = info.allocatable.memory;
    const cpu = info.nonZeroRequested.milliCPU + p.nonZeroMilliCPU;
    const memory = info.nonZeroRequested.memory + p.nonZeroMemory;
    const leastRequested = Math.floor((leastRequestedScore(cpu, cpuCapacity, max) + leastRequestedScore(memory, memoryCapacity, max)) / 2);
    let balanced: number;
    if (stdDev) {
      // v1.22+: one minus the standard deviation of the requested fractions (actual requests, capped at 1).
      const cpuFraction = Math.min(1, fraction(info.requested.milliCPU + p.milliCPU, cpuCapacity));
      const memoryFraction = Math.min(1, fraction(info.requested.memory + p.memory, memoryCapacity));
      balanced = Math.floor((1 - Math.abs(cpuFraction - memoryFraction) / 2) * max);
    } else {
      const cpuFraction = fraction(cpu, cpuCapacity);
      const memoryFraction = fraction(memory, memoryCapacity);
      balanced = cpuFraction >= 1 || memoryFraction >= 1 ? 0 : Math.floor((1 - Math.abs(cpuFraction - memoryFraction)) * max);
    }
    base[i] = weights.leastRequested * leastRequested + weights.balanced * balanced;
    const s =
      owner === undefined ? 0 : podsByNode === undefined ? (info.controllerPods.get(owner) ?? 0) : spreadCounts === undefined ? 0 : (spreadCounts.get(info) ?? 0);
    counts[i] = s;
    if (s > maxSpread) maxSpread = s;
    let a = 0;
    if (preferred && info.node) {
      a = preferredNodeAffinityWeight(pod, info.node);
      if (a > maxAffinity) maxAffinity = a;
    }
    counts[n + i] = a;
    let t = 0;
    if (info.preferNoScheduleTaints.length > 0) {
      t = intolerableTaints(p, info);
      if (t > maxIntolerable) maxIntolerable = t;
    }
    counts[2 * n + i] = t;
  }
  // Scores go into `base`: the total of node i is base[i].
  addNormalizedScores(base, counts, n, max, maxSpread, maxAffinity, maxIntolerable, weights);
  return base;
};

/** Per-slot spreading counts of one scoreSlots call, zero outside it. */
let spreadBySlot = new Int32Array(0);
/** The spreading count of `feasible[i]` at i, in one scoreSlots call (whole numbers: a table index). */
let spreadOf = new Int32Array(0);
/** Weighted spreading score per count 0..maxSpread, in one scoreSlots call. */
let spreadScores = new Float64Array(0);
/** Writes a controller's pod count on a node into {@link spreadBySlot} (a Map.forEach callback). */
const layOutSpread = (count: number, info: NodeInfo): void => {
  if (info.slot >= 0) spreadBySlot[info.slot] = count;
};
/** Undoes {@link layOutSpread} (a Map.forEach callback). */
const clearSpread = (_count: number, info: NodeInfo): void => {
  if (info.slot >= 0) spreadBySlot[info.slot] = 0;
};
/** Intolerable PreferNoSchedule taints per taint class in one scoreSlots call (−1: not counted yet). */
let intolerableByClass = new Int32Array(0);
/** The scores scoreSlots returns, reused across calls. */
let slotScores = new Float64Array(0);

/**
 * Ids of the pod shapes the resource scores depend on (framework, non-zero and actual CPU
 * and memory requests): most pods of a cluster share a few, so a node's resource score
 * stays valid from one pod to the next until the node's inputs change (NodeSlots.baseScore).
 * Ids only grow, so a memo of a forgotten shape can never match a new one.
 */
const shapeIds = new Map<string, number>();
let nextShapeId = 1;
/**
 * The last shape asked for and its id (id 0: none yet): consecutive pods mostly come from
 * one template. Updated in place when the shape changes, as pods of several templates
 * alternate.
 */
const lastShape: { framework: Framework | undefined; nonZeroMilliCPU: number; nonZeroMemory: number; milliCPU: number; memory: number; id: number } = {
  framework: undefined,
  nonZeroMilliCPU: 0,
  nonZeroMemory: 0,
  milliCPU: 0,
  memory: 0,
  id: 0,
};
const shapeId = (framework: Framework, p: PodScoring): number => {
  const last = lastShape;
  // No key string per attempt for the common case. The id stays this shape's alone even if
  // the map was cleared since (ids only grow), so a memo written under it is still right.
  if (
    last.framework === framework &&
    last.nonZeroMilliCPU === p.nonZeroMilliCPU &&
    last.nonZeroMemory === p.nonZeroMemory &&
    last.milliCPU === p.milliCPU &&
    last.memory === p.memory
  )
    return last.id;
  const id = internShape(framework, p);
  last.framework = framework;
  last.nonZeroMilliCPU = p.nonZeroMilliCPU;
  last.nonZeroMemory = p.nonZeroMemory;
  last.milliCPU = p.milliCPU;
  last.memory = p.memory;
  last.id = id;
  return id;
};
const internShape = (framework: Framework, p: PodScoring): number => {
  const key = `${framework}|${p.nonZeroMilliCPU}|${p.nonZeroMemory}|${p.milliCPU}|${p.memory}`;
  let id = shapeIds.get(key);
  if (id === undefined) {
    // Bounded: pods with requests of their own each bring a shape.
    if (shapeIds.size >= 1024) shapeIds.clear();
    id = nextShapeId++;
    shapeIds.set(key, id);
  }
  return id;
};

/** Least requested plus balanced allocation of the node in `slot`, weighted: scoreNodes' arithmetic, in its order. */
const resourceScore = (slots: NodeSlots, slot: number, p: PodScoring, max: number, weights: Weights, stdDev: boolean): number => {
  const cpuCapacity = slots.allocatableMilliCPU[slot]!;
  const memoryCapacity = slots.allocatableMemory[slot]!;
  const cpu = slots.nonZeroMilliCPU[slot]! + p.nonZeroMilliCPU;
  const memory = slots.nonZeroMemory[slot]! + p.nonZeroMemory;
  const leastRequested = Math.floor((leastRequestedScore(cpu, cpuCapacity, max) + leastRequestedScore(memory, memoryCapacity, max)) / 2);
  let balanced: number;
  if (stdDev) {
    const cpuFraction = Math.min(1, fraction(slots.requestedMilliCPU[slot]! + p.milliCPU, cpuCapacity));
    const memoryFraction = Math.min(1, fraction(slots.requestedMemory[slot]! + p.memory, memoryCapacity));
    balanced = Math.floor((1 - Math.abs(cpuFraction - memoryFraction) / 2) * max);
  } else {
    const cpuFraction = fraction(cpu, cpuCapacity);
    const memoryFraction = fraction(memory, memoryCapacity);
    balanced = cpuFraction >= 1 || memoryFraction >= 1 ? 0 : Math.floor((1 - Math.abs(cpuFraction - memoryFraction)) * max);
  }
  return weights.leastRequested * leastRequested + weights.balanced * balanced;
};

/**
 * The best score of the last {@link scoreSlots} call, and at `ties[0..count)` the indexes
 * (into its result, ascending) of the nodes that have it: findMaxScores, found while the
 * scores are added up rather than by another pass over them.
 */
export const bestScores: { best: number; count: number; ties: Int32Array } = { best: -Infinity, count: 0, ties: new Int32Array(0) };

/**
 * {@link scoreNodes} for the nodes in slots `feasible[0..n)` of the cache's columns, with
 * the same arithmetic, so each node gets the same score: least requested,
 * balanced allocation, spreading, preferred affinity and PreferNoSchedule taints read from
 * contiguous arrays rather than from each node's entry. `infos[slot]` is the node's entry
 * (read only for preferred affinity); `podsByNode` is the cache's controllerPodsByNode.
 * Intolerable taints are counted once per taint class. The result holds the score of
 * `feasible[i]` at i and is valid until the next call, as is {@link bestScores}.
 */
export const scoreSlots = (
  pod: Pod,
  slots: NodeSlots,
  feasible: Int32Array,
  n: number,
  infos: readonly NodeInfo[],
  profile: VersionProfile,
  requests: Resources,
  podsByNode: (owner: string) => ReadonlyMap<NodeInfo, number> | undefined,
): Float64Array => {
  const framework = profile.behaviours.schedulerFramework;
  const max = maxNodeScore(framework);
  const weights = WEIGHTS[framework];
  const stdDev = framework === 'prefilter-plugins';
  const p = podScoring(pod, requests);
  if (slotScores.length < n) slotScores = new Float64Array(Math.max(n, 2 * slotScores.length));
  if (scratch.length < 3 * n) scratch = new Float64Array(Math.max(3 * n, 2 * scratch.length));
  if (spreadBySlot.length < slots.count) spreadBySlot = new Int32Array(Math.max(slots.count, 2 * spreadBySlot.length));
  if (spreadOf.length < n) spreadOf = new Int32Array(Math.max(n, 2 * spreadOf.length));
  const classes = slots.taintClasses.size;
  if (intolerableByClass.length < classes) intolerableByClass = new Int32Array(Math.max(classes, 2 * intolerableByClass.length));
  intolerableByClass.fill(-1, 0, classes);
  const shape = shapeId(framework, p);
  const memoShape = slots.baseScoreKey;
  const memo = slots.baseScore;
  const preferNoScheduleClass = slots.preferNoScheduleClass;
  const base = slotScores;
  const counts = scratch;
  const bySlot = spreadBySlot;
  const spreadCount = spreadOf;
  // The controller's counted pods laid out by slot: one pass over its (few) nodes instead
  // of a map lookup per feasible node; undone below.
  const spreadCounts = p.owner === undefined ? undefined : podsByNode(p.owner);
  // forEach with a function that captures nothing: `for (const [info, count] of map)` built
  // a [key, value] array per entry, twice per attempt (a Deployment's map has an entry per
  // node it runs on), the largest allocation of an attempt.
  if (spreadCounts !== undefined) spreadCounts.forEach(layOutSpread);
  const spread = spreadCounts !== undefined;
  const preferred = p.hasPreferredAffinity;
  let maxSpread = 0;
  let maxAffinity = 0;
  let maxIntolerable = 0;
  // Affinity weights and intolerable taints are written only for a pod or node that has
  // them (zero otherwise, which the normalisation below then reads as such).
  let taintsSeen = false;
  for (let i = 0; i < n; i++) {
    const slot = feasible[i]!;
    // The resource part from the memo when this pod shape scored the node since it last changed.
    if (memoShape[slot] === shape) base[i] = memo[slot]!;
    else {
      const score = resourceScore(slots, slot, p, max, weights, stdDev);
      memo[slot] = score;
      memoShape[slot] = shape;
      base[i] = score;
    }
    if (spread) {
      const s = bySlot[slot]!;
      spreadCount[i] = s;
      if (s > maxSpread) maxSpread = s;
    }
    if (preferred) {
      const node = infos[slot]!.node;
      const a = node ? preferredNodeAffinityWeight(pod, node) : 0;
      counts[n + i] = a;
      if (a > maxAffinity) maxAffinity = a;
    }
    const taintClass = preferNoScheduleClass[slot]!;
    if (taintClass !== 0) {
      let t = intolerableByClass[taintClass]!;
      if (t < 0) intolerableByClass[taintClass] = t = countIntolerable(p, slots.taintClasses.taints(taintClass));
      if (t > maxIntolerable) maxIntolerable = t;
      if (!taintsSeen) {
        // The nodes before this one had none.
        counts.fill(0, 2 * n, 2 * n + i);
        taintsSeen = true;
      }
      counts[2 * n + i] = t;
    } else if (taintsSeen) counts[2 * n + i] = 0;
  }
  if (spreadCounts !== undefined) spreadCounts.forEach(clearSpread);
  normalizeSlotScores(base, spreadCount, counts, n, max, maxSpread, maxAffinity, maxIntolerable, weights);
  return base;
};

/**
 * {@link addNormalizedScores} for {@link scoreSlots}, which leaves unwritten the counts whose
 * maximum is 0 (their normalised score is then the same for every node) and keeps the
 * spreading counts in `spread`, filling in {@link bestScores} as it goes. Scores are whole
 * numbers, so adding the parts in another order gives the same sums; the spreading score of
 * each count is worked out once, not once per node.
 */
const normalizeSlotScores = (
  base: Float64Array,
  spread: Int32Array,
  counts: Float64Array,
  n: number,
  max: number,
  maxSpread: number,
  maxAffinity: number,
  maxIntolerable: number,
  weights: Weights,
): void => {
  // The parts that are the same for every node: spreading without pods of the controller
  // among them, no preferred affinity, no intolerable taint.
  const constant = (maxSpread > 0 ? 0 : weights.spread * max) + (maxIntolerable > 0 ? 0 : weights.taintToleration * max);
  // Counts above n are possible but rare: those are divided out per node.
  const tabled = maxSpread > 0 && maxSpread <= n;
  if (tabled) {
    if (spreadScores.length <= maxSpread) spreadScores = new Float64Array(Math.max(maxSpread + 1, 2 * spreadScores.length));
    for (let c = 0; c <= maxSpread; c++) spreadScores[c] = weights.spread * Math.floor((max * (maxSpread - c)) / maxSpread);
  }
  const table = spreadScores;
  const summary = bestScores;
  if (summary.ties.length < n) summary.ties = new Int32Array(Math.max(n, 2 * summary.ties.length));
  const ties = summary.ties;
  let best = -Infinity;
  let count = 0;
  if (tabled && maxAffinity === 0 && maxIntolerable === 0) {
    // The usual attempt: besides the resource part only spreading tells the nodes apart.
    for (let c = 0; c <= maxSpread; c++) table[c] = table[c]! + constant;
    for (let i = 0; i < n; i++) {
      const score = base[i]! + table[spread[i]!]!;
      base[i] = score;
      if (score >= best) {
        if (score > best) {
          best = score;
          count = 0;
        }
        ties[count++] = i;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      let score = base[i]! + constant;
      if (tabled) score += table[spread[i]!]!;
      else if (maxSpread > 0) score += weights.spread * Math.floor((max * (maxSpread - spread[i]!)) / maxSpread);
      if (maxAffinity > 0) score += weights.nodeAffinity * Math.floor((max * counts[n + i]!) / maxAffinity);
      if (maxIntolerable > 0) score += weights.taintToleration * (max - Math.floor((max * counts[2 * n + i]!) / maxIntolerable));
      base[i] = score;
      if (score >= best) {
        if (score > best) {
          best = score;
          count = 0;
        }
        ties[count++] = i;
      }
    }
  }
  summary.best = best;
  summary.count = count;
};
