// Field selectors as the API server parses and applies them. Models
// k8s.io/apimachinery pkg/fields/selector.go (splitTerms, splitTerm, UnescapeValue,
// parseSelector), the per-kind field label conversions of kubernetes
// pkg/apis/core/v1/conversion.go (which fields a kind accepts, and the error for others),
// runtime.DefaultMetaV1FieldSelectorConversion for kinds without one, and the selectable
// fields each registry strategy exposes (pkg/registry/core/{pod,node,event}/strategy.go
// ToSelectableFields; generic.ObjectMetaFieldsSet).
import * as E from 'fp-ts/lib/Either.js';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { badRequest, type ApiError } from './errors.js';
import type { KubeObject } from './resources.js';

/** One term of a field selector. `==` parses as `=`. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** Reads one selectable field of an object; `undefined` compares as "". */
export type FieldGetter<T> = (obj: T) => string | undefined;

/** The fields a kind can be selected by, each with how to read it. */
export type FieldTable<T> = ReadonlyMap<string, FieldGetter<T>>;

// splitTerms: commas split terms unless escaped with a backslash.
const splitTerms = (selector: string): string[] => {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
};

// splitTerm: the leftmost operator wins, trying "!=", then "==", then "=" at each position.
const TERM_OPERATORS = ['!=', '==', '='] as const;
const splitTerm = (term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined => {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
};

// UnescapeValue. Go formats the offending rune with %v, so the message shows its code
// point ("61" for '='), exactly as kubectl users see it.
const unescapeValue = (s: string): E.Either<string, string> => {
  if (!/[\\,=]/.test(s)) return E.right(s);
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') return E.left(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      return E.left(`invalid field selector: unescaped character in value: ${c.codePointAt(0) ?? 0}`);
    } else {
      out += c;
    }
  }
  return inSlash ? E.left('invalid field selector: invalid escape sequence: \\') : E.right(out);
};

/**
 * Parses kubectl's field selector syntax (`--field-selector`, `?fieldSelector=`):
 * comma-separated `field=value`, `field==value` or `field!=value` terms that must all
 * hold. Values may be empty (`involvedObject.namespace=`); `\,`, `\=` and `\\` escape.
 * Nothing is trimmed: upstream takes every character as given. The empty string gives no
 * requirement.
 *
 * A term without an operator gives a BadRequest with upstream's text:
 * `invalid selector: 'a,b'; can't understand 'b'`.
 */
export const parseFieldSelector = (text: string): E.Either<ApiError, FieldRequirement[]> => {
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(text)) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (split === undefined) return E.left(badRequest(`invalid selector: '${text}'; can't understand '${term}'`));
    const value = unescapeValue(split.rhs);
    if (E.isLeft(value)) return E.left(badRequest(value.left));
    reqs.push({ field: split.lhs, operator: split.op === '!=' ? '!=' : '=', value: value.right });
  }
  return E.right(reqs);
};

// Kinds with their own field label conversion in core/v1 conversion.go; they reject an
// unknown field with "field label not supported". Every other kind goes through
// DefaultMetaV1FieldSelectorConversion, which words it differently.
const KINDS_WITH_CONVERSION: ReadonlySet<string> = new Set(['Pod', 'Node', 'Event', 'Namespace', 'Secret', 'Service', 'ReplicationController']);

const unsupportedField = (kind: string, field: string): string =>
  KINDS_WITH_CONVERSION.has(kind)
    ? `field label not supported: ${field}`
    : `${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`;

/**
 * Turns parsed requirements into a predicate over objects of one kind. Each field must be
 * in `supported` (the kind's table, see {@link fieldsForKind}); otherwise the result is a
 * BadRequest worded as upstream does for `kindLabel`: `field label not supported: x` for
 * kinds with their own conversion (Pod, Node, Event, Namespace…), and
 * `"x" is not a known field selector: only "metadata.name", "metadata.namespace"` for the
 * rest. A field the object lacks compares as "".
 *
 * @example
 * compileFieldSelector([{ field: 'spec.nodeName', operator: '=', value: 'node-1' }], podFields, 'Pod')
 */
export const compileFieldSelector = <T>(
  reqs: readonly FieldRequirement[],
  supported: ReadonlyMap<string, (obj: T) => string | undefined>,
  kindLabel: string,
): E.Either<ApiError, (obj: T) => boolean> => {
  const tests: ((obj: T) => boolean)[] = [];
  for (const { field, operator, value } of reqs) {
    const get = supported.get(field);
    if (get === undefined) return E.left(badRequest(unsupportedField(kindLabel, field)));
    tests.push(operator === '=' ? (obj) => (get(obj) ?? '') === value : (obj) => (get(obj) ?? '') !== value);
  }
  if (tests.length === 0) return E.right(() => true);
  if (tests.length === 1) return E.right(tests[0] ?? (() => true));
  return E.right((obj) => tests.every((t) => t(obj)));
};

// The tables ask only for the parts they read, so any stored object (whose apiVersion is
// a plain string) can be handed to them, and so can a typed Pod, Event or Node.

/** What {@link podFields} reads of a Pod. */
export type PodFieldSource = Pick<Pod, 'metadata' | 'spec' | 'status'>;
/** What {@link eventFields} reads of an Event. */
export type EventFieldSource = Partial<Pick<Event, 'metadata' | 'involvedObject' | 'reason' | 'reportingComponent' | 'source' | 'type'>>;
/** What {@link nodeFields} reads of a Node. */
export type NodeFieldSource = Pick<Node, 'metadata' | 'spec'>;

// Booleans are selectable as strconv.FormatBool renders them: an unset field is "false".
const formatBool = (b: boolean | undefined): string => (b === true ? 'true' : 'false');

const metadataEntries = <T extends { readonly metadata?: ObjectMeta }>(): [string, FieldGetter<T>][] => [
  ['metadata.name', (o) => o.metadata?.name],
  ['metadata.namespace', (o) => o.metadata?.namespace],
];

/** Fields every kind without its own table accepts: `metadata.name`, `metadata.namespace`. */
export const metadataFields: FieldTable<KubeObject> = new Map(metadataEntries<KubeObject>());

/**
 * Pod fields (pod strategy ToSelectableFields). `status.podIP` falls back to the first of
 * `status.podIPs`, as upstream reads it from there.
 */
export const podFields: FieldTable<PodFieldSource> = new Map<string, FieldGetter<PodFieldSource>>([
  ...metadataEntries<PodFieldSource>(),
  ['spec.nodeName', (p) => p.spec?.nodeName],
  ['spec.restartPolicy', (p) => p.spec?.restartPolicy],
  ['spec.schedulerName', (p) => p.spec?.schedulerName],
  ['spec.serviceAccountName', (p) => p.spec?.serviceAccountName],
  ['spec.hostNetwork', (p) => formatBool(p.spec?.hostNetwork)],
  ['status.phase', (p) => p.status?.phase],
  ['status.podIP', (p) => p.status?.podIP ?? p.status?.podIPs?.[0]?.ip],
  ['status.nominatedNodeName', (p) => p.status?.nominatedNodeName],
]);

/**
 * Event fields (event strategy ToSelectableFields). `source` is the source component, or
 * the reporting controller when there is none; `reportingComponent` is the reporting
 * controller under its core/v1 name.
 */
export const eventFields: FieldTable<EventFieldSource> = new Map<string, FieldGetter<EventFieldSource>>([
  ...metadataEntries<EventFieldSource>(),
  ['involvedObject.kind', (e) => e.involvedObject?.kind],
  ['involvedObject.namespace', (e) => e.involvedObject?.namespace],
  ['involvedObject.name', (e) => e.involvedObject?.name],
  ['involvedObject.uid', (e) => e.involvedObject?.uid],
  ['involvedObject.apiVersion', (e) => e.involvedObject?.apiVersion],
  ['involvedObject.resourceVersion', (e) => e.involvedObject?.resourceVersion],
  ['involvedObject.fieldPath', (e) => e.involvedObject?.fieldPath],
  ['reason', (e) => e.reason],
  ['reportingComponent', (e) => e.reportingComponent],
  ['source', (e) => (e.source?.component ? e.source.component : e.reportingComponent)],
  ['type', (e) => e.type],
]);

/**
 * Node fields. Upstream's Node conversion accepts only these two: a Node has no
 * `metadata.namespace` selector. `spec.unschedulable` is "true" or "false", never "".
 */
export const nodeFields: FieldTable<NodeFieldSource> = new Map<string, FieldGetter<NodeFieldSource>>([
  ['metadata.name', (n) => n.metadata?.name],
  ['spec.unschedulable', (n) => formatBool(n.spec?.unschedulable)],
]);

/** The field table of a kind: Pod, Event and Node have their own, every other kind {@link metadataFields}. */
export const fieldsForKind = (kind: string): FieldTable<KubeObject> => {
  switch (kind) {
    case 'Pod':
      return podFields;
    case 'Event':
      return eventFields;
    case 'Node':
      return nodeFields;
    default:
      return metadataFields;
  }
};
