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

/**
 * One requirement against a value: `has` says whether the key is present, `value` is its
 * value then. Labels and the one field a term may name (metadata.name) share it, so a term
 * is matched without building a map of the node's fields.
 */
const requirementMatchesValue = (req: NodeSelectorRequirement, has: boolean, value: string | undefined): boolean => {
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

/** The name of the only field node selector terms may name (matchFields). */
const NAME_FIELD = 'metadata.name';

/** Whether one term (its requirements ANDed) matches the node with these labels and name. */
const termMatches = (term: NodeSelectorTerm, labels: Labels, name: string): boolean => {
  const expressions = term.matchExpressions ?? [];
  const matchFields = term.matchFields ?? [];
  if (expressions.length === 0 && matchFields.length === 0) return false;
  for (const req of expressions) {
    const has = Object.hasOwn(labels, req.key);
    if (!requirementMatchesValue(req, has, has ? labels[req.key] : undefined)) return false;
  }
  for (const req of matchFields) {
    const has = req.key === NAME_FIELD;
    if (!requirementMatchesValue(req, has, has ? name : undefined)) return false;
  }
  return true;
};

/** Whether some term matches (terms ORed); loops, not closures: this runs per pod and node. */
const termsMatch = (terms: readonly NodeSelectorTerm[], labels: Labels, name: string): boolean => {
  for (const term of terms) if (termMatches(term, labels, name)) return true;
  return false;
};

/**
 * Whether `node` satisfies at least one of `terms` (MatchNodeSelectorTerms): requirements
 * inside a term are ANDed, terms are ORed, and a term with neither matchExpressions nor
 * matchFields matches nothing. matchFields may only name metadata.name.
 */
export const matchNodeSelectorTerms = (terms: readonly NodeSelectorTerm[], node: Node): boolean =>
  termsMatch(terms, node.metadata?.labels ?? {}, node.metadata?.name ?? '');

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

/** Whether a record has a key of its own (Object.entries' test of a selector, without the array). */
const hasOwnKeys = (record: Readonly<Record<string, string>>): boolean => {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
};

/** The matcher of a pod without nodeSelector nor required node affinity: every node. */
export const matchesAnyNode = (_node: Node): boolean => true;

/**
 * {@link podMatchesNodeSelector} prepared once for a pod: the scheduler asks it for
 * thousands of nodes per attempt. A pod that selects nothing gets {@link matchesAnyNode},
 * so a caller can skip the call by identity.
 */
export const nodeSelectorMatcher = (pod: Pod): ((node: Node) => boolean) => {
  const nodeSelector = pod.spec?.nodeSelector;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // Most pods select nothing: answered without building the (empty) entries, once per attempt.
  if (required === undefined && (nodeSelector === undefined || !hasOwnKeys(nodeSelector))) return matchesAnyNode;
  const selector = Object.entries(nodeSelector ?? {});
  return (node) => {
    const labels: Labels = node.metadata?.labels ?? {};
    for (let i = 0; i < selector.length; i++) {
      const [key, value] = selector[i]!;
      if (labels[key] !== value) return false;
    }
    return required === undefined || termsMatch(required.nodeSelectorTerms, labels, node.metadata?.name ?? '');
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
