// Whether one node can take the pod, and if not, the reasons FailedScheduling counts.
// Models the predicates of pkg/scheduler/algorithm/predicates/predicates.go (v1.12–v1.17,
// run in predicatesOrdering, stopping at the first failing predicate; GeneralPredicates
// reports all of its sub-checks) and the filter plugins of the scheduling framework (v1.18
// order from algorithmprovider/registry.go; v1.22+ order from apis/config/v1/default_plugins.go:
// NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, …,
// VolumeBinding), each stopping at the first rejecting plugin.
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { VersionProfile } from '../profiles/profile.js';
import { nodeReadyStatus, TAINTS, toleratesTaint } from '../runtime/pod-util.js';
import type { NodeRejection } from './failure-message.js';
import type { Resources } from './pod-requests.js';
import type { NodeInfo } from './scheduler-cache.js';
import { UNBOUND_IMMEDIATE_CLAIMS, volumeReasons, type PodVolumes, type VolumeListers } from './volume-binding.js';

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

type Check = (ctx: FilterContext, info: NodeInfo, node: Node) => FilterResult;

const reject = (reasons: string[], unresolvable: boolean): NodeRejection | undefined => (reasons.length > 0 ? { reasons, unresolvable } : undefined);

/** CheckNodeUnschedulable / NodeUnschedulable: a cordoned node, unless the pod tolerates the unschedulable taint. */
const nodeUnschedulable: Check = (ctx, _info, node) => {
  if (!node.spec?.unschedulable) return undefined;
  const tolerated = toleratesTaint(ctx.pod.spec?.tolerations, { key: TAINTS.unschedulable, effect: 'NoSchedule' });
  return tolerated ? undefined : { reasons: [NODE_UNSCHEDULABLE], unresolvable: true };
};

/** CheckNodeCondition: readiness as a predicate, which TaintNodesByCondition replaced by taints. */
const nodeCondition: Check = (_ctx, _info, node) => (nodeReadyStatus(node) === 'True' ? undefined : { reasons: [NODE_NOT_READY], unresolvable: true });

/**
 * The node's taints that keep pods off. With TaintNodesByCondition the node lifecycle
 * controller taints a node that is not Ready with `not-ready` or `unreachable` NoSchedule
 * within milliseconds of the condition change (and the kubelet registers nodes with
 * `not-ready`); a not-Ready node seen before that taint lands is treated as carrying it, so
 * the scheduler never wins that race against a controller it does not wait for.
 */
export const schedulingTaints = (node: Node, profile: VersionProfile): readonly Taint[] => {
  const byCondition = profile.features.TaintNodesByCondition;
  // Node objects are immutable snapshots: what is derived from one holds as long as it is current.
  const cache = byCondition ? taintsWithReadiness : taintsAsIs;
  const cached = cache.get(node);
  if (cached) return cached;
  let taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  const ready = nodeReadyStatus(node);
  if (byCondition && ready !== 'True') {
    const tainted = taints.some((t) => t.effect === 'NoSchedule' && (t.key === TAINTS.notReady || t.key === TAINTS.unreachable));
    if (!tainted) taints = [...taints, { key: ready === 'Unknown' ? TAINTS.unreachable : TAINTS.notReady, effect: 'NoSchedule' }];
  }
  cache.set(node, taints);
  return taints;
};

const taintsWithReadiness = new WeakMap<Node, readonly Taint[]>();
const taintsAsIs = new WeakMap<Node, readonly Taint[]>();

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
const taintToleration: Check = (ctx, _info, node) => {
  for (const taint of schedulingTaints(node, ctx.profile)) {
    if (!toleratesTaint(ctx.pod.spec?.tolerations, taint)) return { reasons: [taintReason(taint, ctx.profile)], unresolvable: true };
  }
  return undefined;
};

/** PodMatchNodeSelector / NodeAffinity. */
const nodeAffinity: Check = (ctx, _info, node) =>
  ctx.matchesNodeSelector(node) ? undefined : { reasons: [ctx.profile.texts.nodeAffinityMismatch], unresolvable: true };

const hasKeys = (record: Readonly<Record<string, number>>): boolean => {
  for (const _ in record) return true;
  return false;
};

/** The reasons of PodFitsResources / NodeResourcesFit: one per resource short on the node. */
export const insufficientResources = (ctx: FilterContext, info: NodeInfo): string[] => {
  const reasons: string[] = [];
  const { allocatable, requested } = info;
  if (info.podCount + 1 > allocatable.pods) reasons.push(ctx.profile.texts.tooManyPods);
  const want = ctx.requests;
  // A pod that requests nothing only needs a pod slot, even on an overcommitted node.
  if (want.milliCPU === 0 && want.memory === 0 && want.ephemeralStorage === 0 && !hasKeys(want.scalar)) return reasons;
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
  const want = ctx.requests;
  if (info.podCount + 1 > allocatable.pods) return false;
  if (want.milliCPU === 0 && want.memory === 0 && want.ephemeralStorage === 0 && !hasKeys(want.scalar)) return true;
  if (allocatable.milliCPU < want.milliCPU + requested.milliCPU) return false;
  if (allocatable.memory < want.memory + requested.memory) return false;
  if (allocatable.ephemeralStorage < want.ephemeralStorage + requested.ephemeralStorage) return false;
  for (const name in want.scalar) {
    const amount = want.scalar[name] ?? 0;
    if (amount > 0 && (allocatable.scalar[name] ?? 0) < amount + (requested.scalar[name] ?? 0)) return false;
  }
  return true;
};

const resourcesFit: Check = (ctx, info) => (fitsResources(ctx, info) ? undefined : reject(insufficientResources(ctx, info), false));

/** GeneralPredicates (v1.12–v1.17): resources and node selector, all failing reasons together. */
const generalPredicates: Check = (ctx, info, node) => {
  const fits = fitsResources(ctx, info);
  const affinity = ctx.matchesNodeSelector(node);
  if (fits && affinity) return undefined;
  const reasons = fits ? [] : insufficientResources(ctx, info);
  if (!affinity) reasons.push(ctx.profile.texts.nodeAffinityMismatch);
  return reject(reasons, !affinity);
};

/** CheckVolumeBinding / VolumeBinding Filter. */
const volumeBinding: Check = (ctx, _info, node) => {
  const { volumes, profile, pod } = ctx;
  if (volumes.boundVolumes.length === 0 && volumes.delayedClaims.length === 0 && volumes.missingVolumes.length === 0 && !volumes.unboundImmediate) return undefined;
  const framework = profile.behaviours.schedulerFramework;
  const failure = volumes.unboundImmediate
    ? UNBOUND_IMMEDIATE_CLAIMS
    : volumes.missingVolumes.length > 0
      ? `persistentvolume "${volumes.missingVolumes[0] ?? ''}" not found`
      : undefined;
  // Since v1.19 the PreFilter turns unbound Immediate claims away before any node is looked
  // at (the scheduler does that); here they only arrive from older versions. A filter plugin
  // that errs (rather than rejects) fails the whole attempt with its message wrapped.
  if (failure !== undefined) {
    return {
      error: framework === 'predicates' ? failure : `running "VolumeBinding" filter plugin for pod "${pod.metadata?.name ?? ''}": ${failure}`,
    };
  }
  return reject(volumeReasons(volumes, node, ctx.listers), true);
};

/** The checks in the order the version runs them. */
const pipelines: Readonly<Record<VersionProfile['behaviours']['schedulerFramework'], readonly Check[]>> = {
  predicates: [nodeUnschedulable, generalPredicates, taintToleration, volumeBinding],
  'filter-plugins': [nodeUnschedulable, resourcesFit, nodeAffinity, taintToleration, volumeBinding],
  'prefilter-plugins': [nodeUnschedulable, taintToleration, nodeAffinity, resourcesFit, volumeBinding],
};

/** Runs the version's checks on one node, stopping at the first that rejects or errs. */
export const filterNode = (ctx: FilterContext, info: NodeInfo): FilterResult => {
  const node = info.node;
  if (!node) return { reasons: ['node(s) not found'], unresolvable: true };
  const checks = pipelines[ctx.profile.behaviours.schedulerFramework];
  // Without TaintNodesByCondition (≤1.11, or a profile override) readiness is a predicate of its own, run first.
  if (!ctx.profile.features.TaintNodesByCondition) {
    const notReady = nodeCondition(ctx, info, node);
    if (notReady) return notReady;
  }
  for (const check of checks) {
    const result = check(ctx, info, node);
    if (result) return result;
  }
  return undefined;
};
