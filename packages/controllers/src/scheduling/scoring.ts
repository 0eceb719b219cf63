// How the scheduler ranks the nodes that can take a pod. Models the default priorities of
// v1.12 (pkg/scheduler/algorithm/priorities: LeastRequestedPriority, BalancedResourceAllocation,
// SelectorSpreadPriority, NodeAffinityPriority, TaintTolerationPriority, each weight 1, scores
// 0–10) and the score plugins of the framework (NodeResourcesFit LeastAllocated,
// NodeResourcesBalancedAllocation, PodTopologySpread, NodeAffinity, TaintToleration; scores
// 0–100, and from v1.22 the weights of apis/config/v1/default_plugins.go). Image locality and
// inter-pod affinity score every node alike in failsim (no images, no pod affinity) and are
// left out.
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { VersionProfile } from '../profiles/profile.js';
import { controllerOf, tolerates } from '../runtime/pod-util.js';
import { preferredNodeAffinityWeight } from './node-affinity.js';
import { podNonZeroRequests, podRequests } from './pod-requests.js';
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

const podScoring = (pod: Pod): PodScoring => {
  const nonZero = podNonZeroRequests(pod);
  const requests = podRequests(pod);
  return {
    nonZeroMilliCPU: nonZero.milliCPU,
    nonZeroMemory: nonZero.memory,
    milliCPU: requests.milliCPU,
    memory: requests.memory,
    owner: controllerOf(pod)?.uid,
    preferNoScheduleTolerations: (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule'),
    hasPreferredAffinity: (pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0,
  };
};

/** Untolerated PreferNoSchedule taints of the node (CountIntolerableTaintsPreferNoSchedule). */
const intolerableTaints = (p: PodScoring, info: NodeInfo): number => {
  let count = 0;
  for (const taint of info.node?.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule' && !p.preferNoScheduleTolerations.some((t) => tolerates(t, taint))) count++;
  }
  return count;
};


/**
 * Weighted sum of the priorities for each feasible node, normalised across them as
 * upstream's reduce functions do: least requested ((capacity − requested)·max/capacity per
 * resource, averaged, with the non-zero defaults), balanced allocation, spreading
 * max·(maxCount−count)/maxCount (pods of the same controller, not terminating, as selector
 * spreading counts them), preferred affinity max·weight/maxWeight, PreferNoSchedule taints
 * max − max·count/maxCount. The result holds the score of `feasible[i]` at i. Plain
 * numbers only: a 5,000-node cluster scores thousands of nodes per pod.
 */
export const scoreNodes = (pod: Pod, feasible: readonly NodeInfo[], profile: VersionProfile): Float64Array => {
  const framework = profile.behaviours.schedulerFramework;
  const max = maxNodeScore(framework);
  const weights = WEIGHTS[framework];
  const stdDev = framework === 'prefilter-plugins';
  const p = podScoring(pod);
  const n = feasible.length;
  const base = new Float64Array(n);
  const spread = new Float64Array(n);
  const affinity = new Float64Array(n);
  const intolerable = new Float64Array(n);
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
    const s = p.owner === undefined ? 0 : (info.controllerPods.get(p.owner) ?? 0);
    spread[i] = s;
    if (s > maxSpread) maxSpread = s;
    if (p.hasPreferredAffinity && info.node) {
      const a = preferredNodeAffinityWeight(pod, info.node);
      affinity[i] = a;
      if (a > maxAffinity) maxAffinity = a;
    }
    if (info.node?.spec?.taints) {
      const t = intolerableTaints(p, info);
      intolerable[i] = t;
      if (t > maxIntolerable) maxIntolerable = t;
    }
  }
  // Scores go into `base`: the total of node i is base[i].
  for (let i = 0; i < n; i++) {
    const spreadScore = maxSpread > 0 ? Math.floor((max * (maxSpread - spread[i]!)) / maxSpread) : max;
    const affinityScore = maxAffinity > 0 ? Math.floor((max * affinity[i]!) / maxAffinity) : 0;
    const taintScore = maxIntolerable > 0 ? max - Math.floor((max * intolerable[i]!) / maxIntolerable) : max;
    base[i] = base[i]! + weights.spread * spreadScore + weights.nodeAffinity * affinityScore + weights.taintToleration * taintScore;
  }
  return base;
};
