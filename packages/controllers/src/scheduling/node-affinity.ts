// Node selection rules a pod or a volume puts on nodes: spec.nodeSelector, required and
// preferred node affinity, and a PersistentVolume's spec.nodeAffinity. Models
// pkg/apis/core/v1/helper/helpers.go (MatchNodeSelectorTerms, NodeSelectorRequirementsAsSelector)
// and the PodMatchNodeSelector predicate of pkg/scheduler/algorithm/predicates (v1.12–v1.17),
// which became the NodeAffinity plugin (v1.18+) without a change in what matches.
import type {
  Node,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PersistentVolume,
  Pod,
} from 'kubernetes-types/core/v1.js';

type Labels = Readonly<Record<string, string>>;

const INTEGER = /^-?\d+$/;

/** One requirement against a map of values (labels, or the fields a term may name). */
const requirementMatches = (req: NodeSelectorRequirement, values: Labels): boolean => {
  const has = Object.hasOwn(values, req.key);
  const value = has ? values[req.key] : undefined;
  const wanted = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && wanted.includes(value);
    case 'NotIn':
      return value === undefined || !wanted.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      // Upstream requires exactly one integer value; anything else selects nothing.
      const [bound] = wanted;
      if (wanted.length !== 1 || bound === undefined || !INTEGER.test(bound) || value === undefined || !INTEGER.test(value)) return false;
      return req.operator === 'Gt' ? Number(value) > Number(bound) : Number(value) < Number(bound);
    }
    default:
      return false;
  }
};

/**
 * Whether `node` satisfies at least one of `terms` (MatchNodeSelectorTerms): requirements
 * inside a term are ANDed, terms are ORed, and a term with neither matchExpressions nor
 * matchFields matches nothing. matchFields may only name metadata.name.
 */
export const matchNodeSelectorTerms = (terms: readonly NodeSelectorTerm[], node: Node): boolean => {
  const labels: Labels = node.metadata?.labels ?? {};
  const fields: Labels = { 'metadata.name': node.metadata?.name ?? '' };
  return terms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const matchFields = term.matchFields ?? [];
    if (expressions.length === 0 && matchFields.length === 0) return false;
    return expressions.every((r) => requirementMatches(r, labels)) && matchFields.every((r) => requirementMatches(r, fields));
  });
};

/**
 * Whether `node` satisfies the pod's spec.nodeSelector and its
 * requiredDuringSchedulingIgnoredDuringExecution node affinity (PodMatchNodeSelector).
 */
export const podMatchesNodeSelector = (pod: Pod, node: Node): boolean => {
  const labels: Labels = node.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required === undefined || matchNodeSelectorTerms(required.nodeSelectorTerms, node);
};

/**
 * {@link podMatchesNodeSelector} prepared once for a pod: the scheduler asks it for
 * thousands of nodes per attempt.
 */
export const nodeSelectorMatcher = (pod: Pod): ((node: Node) => boolean) => {
  const selector = Object.entries(pod.spec?.nodeSelector ?? {});
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (selector.length === 0 && required === undefined) return () => true;
  return (node) => {
    const labels: Labels = node.metadata?.labels ?? {};
    for (const [key, value] of selector) if (labels[key] !== value) return false;
    return required === undefined || matchNodeSelectorTerms(required.nodeSelectorTerms, node);
  };
};

/** The sum of the weights of the pod's preferred node-affinity terms `node` satisfies (CalculateNodeAffinityPriorityMap). */
export const preferredNodeAffinityWeight = (pod: Pod, node: Node): number =>
  (pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).reduce(
    (sum, term) => (term.weight !== 0 && matchNodeSelectorTerms([term.preference], node) ? sum + term.weight : sum),
    0,
  );

/**
 * Whether a PersistentVolume may be used on `node` (volumeutil.CheckNodeAffinity): true when
 * it has no required node affinity, else when some of its terms match the node.
 */
export const volumeNodeAffinityMatches = (pv: PersistentVolume, node: Node): boolean => {
  const required = pv.spec?.nodeAffinity?.required;
  return required === undefined || matchNodeSelectorTerms(required.nodeSelectorTerms, node);
};
