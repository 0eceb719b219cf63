// Whether one node can take the pod, and if not, the reasons FailedScheduling counts.
// Models the predicates of pkg/scheduler/algorithm/predicates/predicates.go (v1.12–v1.17,
// run in predicatesOrdering, stopping at the first failing predicate; GeneralPredicates
// reports all of its sub-checks) and the filter plugins of the scheduling framework (v1.18
// order from algorithmprovider/registry.go; v1.22+ order from apis/config/v1/default_plugins.go:
// NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, …,
// VolumeBinding), each stopping at the first rejecting plugin.
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { VersionProfile } from '../profiles/profile.js';
import { TAINTS, toleratesTaint } from '../runtime/pod-util.js';
import type { NodeRejection } from './failure-message.js';
import { matchesAnyNode, nodeSelectorMatcher } from './node-affinity.js';
import { hasKeys, podRequests, type Resources } from './pod-requests.js';
import { SLOT_READY, SLOT_UNSCHEDULABLE, type NodeSlots } from './node-slots.js';
import { nodeSchedulingTaints, type NodeInfo } from './scheduler-cache.js';
import { UNBOUND_IMMEDIATE_CLAIMS, VOLUME_BIND_CONFLICT, VOLUME_NODE_CONFLICT, volumeConflicts, type PodVolumes, type VolumeListers } from './volume-binding.js';

/** Everything the filters need about the pod being scheduled, computed once per attempt. */
export interface FilterContext {
  readonly pod: Pod;
  /** The pod's requests (podRequests). */
  readonly requests: Resources;
  /** The pod's nodeSelector and required node affinity (nodeSelectorMatcher). */
  readonly matchesNodeSelector: (node: Node) => boolean;
  readonly profile: VersionProfile;
  readonly volumes: PodVolumes;
  readonly listers: VolumeListers;
  /** The pod's tolerations ([] without). */
  readonly tolerations: readonly Toleration[];
  /** Whether the pod tolerates the unschedulable taint (may go to a cordoned node). */
  readonly toleratesUnschedulable: boolean;
  /** The pod requests nothing: it only needs a pod slot, even on an overcommitted node. */
  readonly requestsNothing: boolean;
  /** The pod has claims for volume binding to check. */
  readonly hasVolumes: boolean;
  /** The pod requests some extended resource (a positive amount in requests.scalar). */
  readonly requestsScalar: boolean;
}

/** A filter that errs rather than rejects: the attempt fails with this message. */
export interface FilterError {
  readonly error: string;
}

/** A node's verdict: undefined when it fits. */
export type FilterResult = NodeRejection | FilterError | undefined;

/** Whether a verdict is an error. */
export const isFilterError = (result: FilterResult): result is FilterError => result !== undefined && 'error' in result;

/** ErrNodeUnschedulable. */
export const NODE_UNSCHEDULABLE = 'node(s) were unschedulable';
/** ErrNodeNotReady (CheckNodeCondition, only without TaintNodesByCondition). */
export const NODE_NOT_READY = 'node(s) were not ready';


/**
 * What the filters need of the pod, computed once per attempt instead of once per node:
 * its requests, node selector matcher, tolerations and whether it has volumes to check.
 */
export const filterContext = (pod: Pod, profile: VersionProfile, volumes: PodVolumes, listers: VolumeListers): FilterContext => {
  const requests = podRequests(pod);
  const tolerations = pod.spec?.tolerations ?? NO_TOLERATIONS;
  return {
    pod,
    requests,
    matchesNodeSelector: nodeSelectorMatcher(pod),
    profile,
    volumes,
    listers,
    tolerations,
    toleratesUnschedulable: toleratesTaint(tolerations, UNSCHEDULABLE_TAINT),
    requestsNothing: requests.milliCPU === 0 && requests.memory === 0 && requests.ephemeralStorage === 0 && !hasKeys(requests.scalar),
    hasVolumes: volumes.boundVolumes.length > 0 || volumes.delayedClaims.length > 0 || volumes.missingVolumes.length > 0 || volumes.unboundImmediate,
    requestsScalar: requestsSomeScalar(requests),
  };
};

const NO_TOLERATIONS: readonly Toleration[] = Object.freeze([]);
/** The taint a cordoned node counts as carrying, for the tolerations check (made once, not per attempt). */
const UNSCHEDULABLE_TAINT: Taint = Object.freeze({ key: TAINTS.unschedulable, effect: 'NoSchedule' });

/** Whether some extended resource is requested in a positive amount (a loop: no values array per attempt). */
const requestsSomeScalar = (requests: Resources): boolean => {
  for (const name in requests.scalar) if ((requests.scalar[name] ?? 0) > 0) return true;
  return false;
};

/**
 * Rejections with one reason that cannot be resolved, shared per reason: the scheduler
 * keeps one per node it turned away (thousands for a DaemonSet pod), and they are only read.
 */
const unresolvableRejections = new Map<string, NodeRejection>();
const unresolvable = (reason: string): NodeRejection => {
  let rejection = unresolvableRejections.get(reason);
  if (!rejection) {
    rejection = Object.freeze({ reasons: Object.freeze([reason]), unresolvable: true });
    unresolvableRejections.set(reason, rejection);
  }
  return rejection;
};

const reject = (reasons: string[], unresolvable: boolean): NodeRejection | undefined => (reasons.length > 0 ? { reasons, unresolvable } : undefined);

/** CheckNodeUnschedulable / NodeUnschedulable: a cordoned node, unless the pod tolerates the unschedulable taint. */
const nodeUnschedulable = (ctx: FilterContext, info: NodeInfo): FilterResult =>
  !info.unschedulable || ctx.toleratesUnschedulable ? undefined : unresolvable(NODE_UNSCHEDULABLE);

/** CheckNodeCondition: readiness as a predicate, which TaintNodesByCondition replaced by taints. */
const nodeCondition = (info: NodeInfo): FilterResult => (info.readyStatus === 'True' ? undefined : unresolvable(NODE_NOT_READY));

/**
 * The node's taints that keep pods off. With TaintNodesByCondition the node lifecycle
 * controller taints a node that is not Ready with `not-ready` or `unreachable` NoSchedule
 * within milliseconds of the condition change (and the kubelet registers nodes with
 * `not-ready`); a not-Ready node seen before that taint lands is treated as carrying it, so
 * the scheduler never wins that race against a controller it does not wait for. The
 * scheduler reads the same list from its cache (NodeInfo.taintsWithReadiness), derived
 * once per node object.
 */
export const schedulingTaints = (node: Node, profile: VersionProfile): readonly Taint[] =>
  nodeSchedulingTaints(node, profile.features.TaintNodesByCondition);

/** The taint reason in the version's words (texts.failedSchedulingStyle). */
export const taintReason = (taint: Taint, profile: VersionProfile): string => {
  switch (profile.texts.failedSchedulingStyle) {
    case 'taints-not-tolerated':
      return "node(s) had taints that the pod didn't tolerate";
    case 'taint-kv-not-tolerated':
      return `node(s) had taint {${taint.key}: ${taint.value ?? ''}}, that the pod didn't tolerate`;
    case 'untolerated-taint':
      return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  }
};

/** PodToleratesNodeTaints / TaintToleration: the first NoSchedule or NoExecute taint the pod does not tolerate. */
const taintToleration = (ctx: FilterContext, info: NodeInfo): FilterResult => {
  const taints = ctx.profile.features.TaintNodesByCondition ? info.taintsWithReadiness : info.taints;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (!toleratesTaint(ctx.tolerations, taint)) return unresolvable(taintReason(taint, ctx.profile));
  }
  return undefined;
};

/** Whether the pod's nodeSelector and required affinity admit the node. */
const selectorMatches = (ctx: FilterContext, node: Node): boolean => ctx.matchesNodeSelector === matchesAnyNode || ctx.matchesNodeSelector(node);

/** PodMatchNodeSelector / NodeAffinity. */
const nodeAffinity = (ctx: FilterContext, node: Node): FilterResult =>
  selectorMatches(ctx, node) ? undefined : unresolvable(ctx.profile.texts.nodeAffinityMismatch);

/** The reasons of PodFitsResources / NodeResourcesFit: one per resource short on the node. */
export const insufficientResources = (ctx: FilterContext, info: NodeInfo): string[] => {
  const reasons: string[] = [];
  const { allocatable, requested } = info;
  if (info.podCount + 1 > allocatable.pods) reasons.push(ctx.profile.texts.tooManyPods);
  const want = ctx.requests;
  // A pod that requests nothing only needs a pod slot, even on an overcommitted node.
  if (ctx.requestsNothing) return reasons;
  if (allocatable.milliCPU < want.milliCPU + requested.milliCPU) reasons.push('Insufficient cpu');
  if (allocatable.memory < want.memory + requested.memory) reasons.push('Insufficient memory');
  if (allocatable.ephemeralStorage < want.ephemeralStorage + requested.ephemeralStorage) reasons.push('Insufficient ephemeral-storage');
  for (const name in want.scalar) {
    const amount = want.scalar[name] ?? 0;
    if (amount > 0 && (allocatable.scalar[name] ?? 0) < amount + (requested.scalar[name] ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
};

/** Whether the node has room for the pod (the allocation-free path of insufficientResources). */
const fitsResources = (ctx: FilterContext, info: NodeInfo): boolean => {
  const { allocatable, requested } = info;
  if (info.podCount + 1 > allocatable.pods) return false;
  if (ctx.requestsNothing) return true;
  const want = ctx.requests;
  if (allocatable.milliCPU < want.milliCPU + requested.milliCPU) return false;
  if (allocatable.memory < want.memory + requested.memory) return false;
  if (allocatable.ephemeralStorage < want.ephemeralStorage + requested.ephemeralStorage) return false;
  return fitsScalarResources(ctx, info);
};

/** Whether the node has room for the pod's extended resources. */
const fitsScalarResources = (ctx: FilterContext, info: NodeInfo): boolean => {
  const want = ctx.requests;
  const { allocatable, requested } = info;
  for (const name in want.scalar) {
    const amount = want.scalar[name] ?? 0;
    if (amount > 0 && (allocatable.scalar[name] ?? 0) < amount + (requested.scalar[name] ?? 0)) return false;
  }
  return true;
};

const resourcesFit = (ctx: FilterContext, info: NodeInfo): FilterResult => (fitsResources(ctx, info) ? undefined : reject(insufficientResources(ctx, info), false));

/** GeneralPredicates (v1.12–v1.17): resources and node selector, all failing reasons together. */
const generalPredicates = (ctx: FilterContext, info: NodeInfo, node: Node): FilterResult => {
  const fits = fitsResources(ctx, info);
  const affinity = selectorMatches(ctx, node);
  if (fits && affinity) return undefined;
  if (fits) return unresolvable(ctx.profile.texts.nodeAffinityMismatch);
  const reasons = insufficientResources(ctx, info);
  if (!affinity) reasons.push(ctx.profile.texts.nodeAffinityMismatch);
  return reject(reasons, !affinity);
};

/** CheckVolumeBinding / VolumeBinding Filter: the last check of every version, run on a node that passed the others. */
export const volumeBinding = (ctx: FilterContext, node: Node): FilterResult => {
  if (!ctx.hasVolumes) return undefined;
  const error = volumeBindingError(ctx);
  if (error !== undefined) return error;
  // The verdicts are shared per combination of reasons, as unresolvable() shares them: a pod
  // with a zonal volume is turned away by two thirds of the nodes it looks at.
  const conflicts = volumeConflicts(ctx.volumes, node, ctx.listers);
  return conflicts === 0 ? undefined : volumeRejection(conflicts);
};

/** The rejection of each non-zero combination of volumeConflicts bits, reasons in volumeReasons' order. */
const VOLUME_REJECTIONS: readonly NodeRejection[] = [
  unresolvable(VOLUME_NODE_CONFLICT),
  unresolvable(VOLUME_BIND_CONFLICT),
  Object.freeze({ reasons: Object.freeze([VOLUME_NODE_CONFLICT, VOLUME_BIND_CONFLICT]), unresolvable: true }),
];
const volumeRejection = (conflicts: number): NodeRejection => VOLUME_REJECTIONS[conflicts - 1]!;

/**
 * The error volume binding gives on every node that reaches it, when the pod has an unbound
 * Immediate claim or a bound claim whose volume is gone; undefined otherwise. It depends on
 * the pod alone, so a walk can work it out once per attempt.
 */
export const volumeBindingError = (ctx: FilterContext): FilterError | undefined => {
  const { volumes, profile, pod } = ctx;
  const failure = volumes.unboundImmediate
    ? UNBOUND_IMMEDIATE_CLAIMS
    : volumes.missingVolumes.length > 0
      ? `persistentvolume "${volumes.missingVolumes[0] ?? ''}" not found`
      : undefined;
  if (failure === undefined) return undefined;
  // Since v1.19 the PreFilter turns unbound Immediate claims away before any node is looked
  // at (the scheduler does that); here they only arrive from older versions. A filter plugin
  // that errs (rather than rejects) fails the whole attempt with its message wrapped.
  return {
    error: profile.behaviours.schedulerFramework === 'predicates' ? failure : `running "VolumeBinding" filter plugin for pod "${pod.metadata?.name ?? ''}": ${failure}`,
  };
};

const NODE_NOT_FOUND = 'node(s) not found';

/**
 * Runs the version's checks on one node, in the order the version runs them, stopping at
 * the first that rejects or errs. Written out per version rather than as a list of check
 * functions, so each call site sees one function (a scheduling attempt runs this for
 * hundreds of nodes).
 */
export const filterNode = (ctx: FilterContext, info: NodeInfo): FilterResult => {
  const node = info.node;
  if (!node) return unresolvable(NODE_NOT_FOUND);
  // Without TaintNodesByCondition (≤1.11, or a profile override) readiness is a predicate of its own, run first.
  if (!ctx.profile.features.TaintNodesByCondition) {
    const notReady = nodeCondition(info);
    if (notReady) return notReady;
  }
  let result = nodeUnschedulable(ctx, info);
  if (result) return result;
  switch (ctx.profile.behaviours.schedulerFramework) {
    case 'predicates':
      result = generalPredicates(ctx, info, node) ?? taintToleration(ctx, info);
      break;
    case 'filter-plugins':
      result = resourcesFit(ctx, info) ?? nodeAffinity(ctx, node) ?? taintToleration(ctx, info);
      break;
    case 'prefilter-plugins':
      result = taintToleration(ctx, info) ?? nodeAffinity(ctx, node) ?? resourcesFit(ctx, info);
      break;
  }
  return result ?? volumeBinding(ctx, node);
};

/** What {@link SlotFilter.countPassing} answered last, and the inputs it depends on. */
interface CountMemo {
  slots: NodeSlots | undefined;
  version: number;
  readiness: boolean;
  unschedulable: boolean;
  checkRequests: boolean;
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** The taint verdicts of classes [1, classes), in a reused array. */
  verdicts: Uint8Array;
  classes: number;
  count: number;
}

/**
 * Whether the node in slot `i` passes every check of {@link filterNode} but volume binding,
 * read from the cache's columns ({@link NodeSlots}) instead of the node's entry: the walk
 * asks this for hundreds of nodes per attempt and most pass. Only a pass is decided here;
 * a node that fails goes through filterNode for its verdict (the reasons and their order
 * are the version's), so the two cannot disagree on what a node is told. Tolerations are
 * judged once per taint class per attempt. One is made per attempt.
 */
export class SlotFilter {
  #ctx: FilterContext;
  #slots: NodeSlots;
  #checkReadiness: boolean;
  /** Per taint class of this attempt: 0 not judged yet, 1 tolerated, 2 not. */
  #taintVerdicts: Uint8Array;
  #taintClasses: Int32Array;
  #selects: boolean;
  /** How many nodes the last {@link collect} found passing. */
  passed = 0;
  /** The last {@link countPassing} answer and what it was worked out from. */
  readonly #countMemo: CountMemo = {
    slots: undefined,
    version: -1,
    readiness: false,
    unschedulable: false,
    checkRequests: false,
    milliCPU: 0,
    memory: 0,
    ephemeralStorage: 0,
    verdicts: new Uint8Array(0),
    classes: 0,
    count: 0,
  };

  constructor(ctx: FilterContext, slots: NodeSlots) {
    this.#ctx = ctx;
    this.#slots = slots;
    const byCondition = ctx.profile.features.TaintNodesByCondition;
    this.#checkReadiness = !byCondition;
    this.#taintClasses = byCondition ? slots.taintsWithReadinessClass : slots.taintsClass;
    this.#taintVerdicts = new Uint8Array(slots.taintClasses.size);
    this.#selects = ctx.matchesNodeSelector !== matchesAnyNode;
  }

  /**
   * Makes this filter one for a new attempt, as `new SlotFilter(ctx, slots)` would be, keeping
   * its verdict array when it is large enough: the scheduler makes an attempt per pod.
   */
  rearm(ctx: FilterContext, slots: NodeSlots): this {
    this.#ctx = ctx;
    this.#slots = slots;
    const byCondition = ctx.profile.features.TaintNodesByCondition;
    this.#checkReadiness = !byCondition;
    // Read again each time: the slots' column arrays are replaced when they grow.
    this.#taintClasses = byCondition ? slots.taintsWithReadinessClass : slots.taintsClass;
    const classes = slots.taintClasses.size;
    if (this.#taintVerdicts.length < classes) this.#taintVerdicts = new Uint8Array(Math.max(classes, 2 * this.#taintVerdicts.length));
    else this.#taintVerdicts.fill(0, 0, classes);
    this.#selects = ctx.matchesNodeSelector !== matchesAnyNode;
    return this;
  }

  /** Whether `info`, the node in slot `i`, passes every check but volume binding. */
  passes(i: number, info: NodeInfo): boolean {
    const ctx = this.#ctx;
    const slots = this.#slots;
    const flags = slots.flags[i]!;
    if (this.#checkReadiness && (flags & SLOT_READY) === 0) return false;
    if ((flags & SLOT_UNSCHEDULABLE) !== 0 && !ctx.toleratesUnschedulable) return false;
    if (slots.podCount[i]! + 1 > slots.allocatablePods[i]!) return false;
    if (!ctx.requestsNothing) {
      const want = ctx.requests;
      if (slots.allocatableMilliCPU[i]! < want.milliCPU + slots.requestedMilliCPU[i]!) return false;
      if (slots.allocatableMemory[i]! < want.memory + slots.requestedMemory[i]!) return false;
      if (slots.allocatableEphemeralStorage[i]! < want.ephemeralStorage + slots.requestedEphemeralStorage[i]!) return false;
      if (ctx.requestsScalar && !fitsScalarResources(ctx, info)) return false;
    }
    const taintClass = this.#taintClasses[i]!;
    if (taintClass !== 0) {
      let verdict = this.#taintVerdicts[taintClass]!;
      if (verdict === 0) verdict = this.#judge(taintClass);
      if (verdict === 2) return false;
    }
    return !this.#selects || ctx.matchesNodeSelector(info.node!);
  }

  /** The verdict on taint class `taintClass` for this attempt's pod (1 tolerated, 2 not), remembered. */
  #judge(taintClass: number): number {
    const tolerations = this.#ctx.tolerations;
    const taints = this.#slots.taintClasses.taints(taintClass);
    let verdict = 1;
    for (let t = 0; t < taints.length && verdict === 1; t++) if (!toleratesTaint(tolerations, taints[t]!)) verdict = 2;
    this.#taintVerdicts[taintClass] = verdict;
    return verdict;
  }

  /**
   * {@link passes} over the slots `from`, `from + 1`, … below `to`, stopping at the first that
   * does not pass (or, rarely, that only passes() can judge: see NodeSlots.freePods) or once
   * `room` have passed; returns the slot it stopped at (`to` when it
   * walked them all) and leaves the number that passed in {@link passed}. With `out`, the
   * passing slots are written to it from `offset` on. The same checks in the same order as
   * passes, with every column and pod input read once per call rather than once per node,
   * and the resources read as room left (four columns rather than eight):
   * the walk visits half the cluster per pod, and a node is read as an object (`infos[i]`)
   * only when the pod's node selector or extended resources need it.
   */
  collect(from: number, to: number, infos: readonly NodeInfo[], out: Int32Array | undefined, offset: number, room: number): number {
    const ctx = this.#ctx;
    const slots = this.#slots;
    const flags = slots.flags;
    const freePods = slots.freePods;
    const freeMilliCPU = slots.freeMilliCPU;
    const freeMemory = slots.freeMemory;
    const freeEphemeralStorage = slots.freeEphemeralStorage;
    const taintClasses = this.#taintClasses;
    const verdicts = this.#taintVerdicts;
    // A node without the flag fails: with the readiness check, SLOT_READY must be set.
    const readyMask = this.#checkReadiness ? SLOT_READY : 0;
    const unschedulableMask = ctx.toleratesUnschedulable ? 0 : SLOT_UNSCHEDULABLE;
    const checkRequests = !ctx.requestsNothing;
    const want = ctx.requests;
    const milliCPU = want.milliCPU;
    const memory = want.memory;
    const ephemeralStorage = want.ephemeralStorage;
    const scalar = checkRequests && ctx.requestsScalar;
    const selects = this.#selects;
    let passed = 0;
    let i = from;
    for (; i < to && passed < room; i++) {
      const f = flags[i]!;
      if ((f & readyMask) !== readyMask || (f & unschedulableMask) !== 0) break;
      // The free columns: the same tests as passes' (see NodeSlots.freePods), a node whose
      // quantities are too large for them stopping the run.
      if (freePods[i]! < 1) break;
      if (checkRequests) {
        if (freeMilliCPU[i]! < milliCPU) break;
        if (freeMemory[i]! < memory) break;
        if (freeEphemeralStorage[i]! < ephemeralStorage) break;
        if (scalar && !fitsScalarResources(ctx, infos[i]!)) break;
      }
      const taintClass = taintClasses[i]!;
      if (taintClass !== 0) {
        let verdict = verdicts[taintClass]!;
        if (verdict === 0) verdict = this.#judge(taintClass);
        if (verdict === 2) break;
      }
      if (selects && !ctx.matchesNodeSelector(infos[i]!.node!)) break;
      if (out !== undefined) out[offset + passed] = i;
      passed++;
    }
    this.passed = passed;
    return i;
  }

  /**
   * How many of the slots pass, as a walk of all of them with {@link collect} and
   * {@link passes} counts them; undefined when the answer may depend on the node objects
   * (a node selector or extended resources). Remembered with what it depends on — the
   * slots' version and the pod's readiness, cordon, resource and taint verdicts — as pods
   * whose claims wait for the PV controller fail one after another with this count and
   * nothing bound in between (half the nodes walked in the minute the workloads start).
   */
  countPassing(infos: readonly NodeInfo[]): number | undefined {
    const ctx = this.#ctx;
    const checkRequests = !ctx.requestsNothing;
    if (this.#selects || (checkRequests && ctx.requestsScalar)) return undefined;
    const slots = this.#slots;
    const classes = slots.taintClasses.size;
    const verdicts = this.#taintVerdicts;
    for (let c = 1; c < classes; c++) if (verdicts[c] === 0) this.#judge(c);
    const memo = this.#countMemo;
    const want = ctx.requests;
    const readiness = this.#checkReadiness;
    const unschedulable = !ctx.toleratesUnschedulable;
    const milliCPU = checkRequests ? want.milliCPU : 0;
    const memory = checkRequests ? want.memory : 0;
    const ephemeralStorage = checkRequests ? want.ephemeralStorage : 0;
    if (
      memo.slots === slots &&
      memo.version === slots.version &&
      memo.readiness === readiness &&
      memo.unschedulable === unschedulable &&
      memo.checkRequests === checkRequests &&
      memo.milliCPU === milliCPU &&
      memo.memory === memory &&
      memo.ephemeralStorage === ephemeralStorage &&
      memo.classes === classes &&
      sameVerdicts(memo.verdicts, verdicts, classes)
    )
      return memo.count;
    const n = slots.count;
    let count = 0;
    for (let i = 0; i < n; ) {
      const stop = this.collect(i, n, infos, undefined, 0, Infinity);
      count += this.passed;
      if (stop >= n) break;
      if (this.passes(stop, infos[stop]!)) count++;
      i = stop + 1;
    }
    memo.slots = slots;
    memo.version = slots.version;
    memo.readiness = readiness;
    memo.unschedulable = unschedulable;
    memo.checkRequests = checkRequests;
    memo.milliCPU = milliCPU;
    memo.memory = memory;
    memo.ephemeralStorage = ephemeralStorage;
    if (memo.verdicts.length < classes) memo.verdicts = new Uint8Array(Math.max(classes, 2 * memo.verdicts.length));
    for (let c = 1; c < classes; c++) memo.verdicts[c] = verdicts[c]!;
    memo.classes = classes;
    memo.count = count;
    return count;
  }
}

/** Whether the taint verdicts of classes 1 to `classes` − 1 agree. */
const sameVerdicts = (a: Uint8Array, b: Uint8Array, classes: number): boolean => {
  for (let c = 1; c < classes; c++) if (a[c] !== b[c]) return false;
  return true;
};
