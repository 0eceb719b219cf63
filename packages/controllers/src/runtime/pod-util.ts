// Pod and node predicates every controller shares, as upstream's helpers
// (pkg/api/v1/pod/util.go, pkg/controller/controller_utils.go, pkg/util/node).
import type { Node, NodeCondition, Pod, PodCondition, Taint, Toleration } from 'kubernetes-types/core/v1.js';

/**
 * The first of `conditions` of `type`, if any. A loop, not find(): controllers ask it of
 * every pod they own on every sync and of Nodes on every heartbeat, and the closure find()
 * needs was a measurable share of the ReplicaSet controller's work.
 */
export const conditionOfType = <C extends { readonly type: string }>(conditions: readonly C[] | undefined, type: string): C | undefined => {
  if (conditions) for (let i = 0; i < conditions.length; i++) if (conditions[i]!.type === type) return conditions[i];
  return undefined;
};

/** The pod's condition of `type`, if any. */
export const podCondition = (pod: Pod, type: string): PodCondition | undefined => conditionOfType(pod.status?.conditions, type);

/** Ready=True (IsPodReady). */
export const isPodReady = (pod: Pod): boolean => podCondition(pod, 'Ready')?.status === 'True';

/** Phase Running and Ready (what StatefulSet OrderedReady waits for). */
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);

/** Not Succeeded/Failed and not being deleted (IsPodActive): counts towards replicas. */
export const isPodActive = (pod: Pod): boolean =>
  pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;

/** Has a deletionTimestamp. */
export const isTerminating = (pod: Pod): boolean => pod.metadata?.deletionTimestamp !== undefined;

/** The owner reference with controller=true, if any. */
export const controllerOf = (obj: { metadata?: { ownerReferences?: readonly { kind: string; name: string; uid: string; controller?: boolean }[] } }) => {
  // A loop, not find(): the workload controllers ask it on every pod event.
  const refs = obj.metadata?.ownerReferences;
  if (refs) for (let i = 0; i < refs.length; i++) if (refs[i]!.controller === true) return refs[i];
  return undefined;
};

/** The node's condition of `type`, if any. */
export const nodeCondition = (node: Node, type: string): NodeCondition | undefined => conditionOfType(node.status?.conditions, type);

/** Ready condition status: 'True', 'False', 'Unknown', or undefined if never posted. */
export const nodeReadyStatus = (node: Node): string | undefined => nodeCondition(node, 'Ready')?.status;

/** Ready=True. */
export const isNodeReady = (node: Node): boolean => nodeReadyStatus(node) === 'True';

/** Whether `toleration` tolerates `taint` (ToleratesTaint in k8s.io/api core/v1 toleration.go). */
export const tolerates = (toleration: Toleration, taint: Taint): boolean => {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
};

/** Whether some toleration in `tolerations` tolerates `taint`. */
export const toleratesTaint = (tolerations: readonly Toleration[] | undefined, taint: Taint): boolean => {
  if (tolerations) for (let i = 0; i < tolerations.length; i++) if (tolerates(tolerations[i]!, taint)) return true;
  return false;
};

/** `namespace/name`, the key work queues use. */
export const keyOf = (obj: { metadata?: { namespace?: string; name?: string } }): string =>
  obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name ?? ''}` : (obj.metadata?.name ?? '');

/** Splits a work-queue key into namespace and name. */
export const splitKey = (key: string): { namespace?: string; name: string } => {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
};

/** Well-known taint keys (k8s.io/api core/v1 well_known_taints.go). */
export const TAINTS = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
  outOfService: 'node.kubernetes.io/out-of-service',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;
