// The three PATCH content types the API server accepts, as pure functions over JSON-like
// values:
// - application/merge-patch+json: RFC 7386, as evanphx/json-patch MergePatch applies it;
// - application/json-patch+json: RFC 6902, with the error texts of evanphx/json-patch v4
//   (the version kube-apiserver vendors) and the status codes of
//   k8s.io/apiserver pkg/endpoints/handlers/patch.go (a patch that does not decode is 400,
//   one that does not apply is 422);
// - application/strategic-merge-patch+json: k8s.io/apimachinery
//   pkg/util/strategicpatch/patch.go (StrategicMergeMapPatch, server side: parallel lists
//   merged, unmatched nulls ignored), with the patchStrategy/patchMergeKey struct tags of
//   k8s.io/api core/v1, apps/v1 and batch/v1 types.go given as data per kind, and the error
//   texts of pkg/util/mergepatch/errors.go.
//
// Nothing here mutates its inputs (stored objects are deeply frozen); unchanged subtrees of
// the target are shared with the result.
import * as E from 'fp-ts/lib/Either.js';
import { badRequest, type ApiError } from './errors.js';
import { deepEqual } from './immutable.js';

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

// Array.isArray narrows unknown to any[]; this keeps the items unknown.
const isList = (v: unknown): v is readonly unknown[] => Array.isArray(v);

const own = (o: JsonObject, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

/**
 * Copy-on-write view of an object: the first write copies it, later writes reuse the copy.
 * Keys are defined, not assigned, so a "__proto__" key from a parsed patch stays data.
 */
class Draft {
  readonly #base: JsonObject;
  #copy: Record<string, unknown> | undefined;

  constructor(base: JsonObject) {
    this.#base = base;
  }

  #current(): JsonObject {
    return this.#copy ?? this.#base;
  }

  has(k: string): boolean {
    return Object.hasOwn(this.#current(), k);
  }

  get(k: string): unknown {
    return own(this.#current(), k);
  }

  keys(): string[] {
    return Object.keys(this.#current());
  }

  set(k: string, v: unknown): void {
    if (this.has(k) && this.get(k) === v) return;
    this.#copy ??= Object.assign({}, this.#base);
    // Plain assignment is the fast path; "__proto__" must be defined, or it would set the prototype.
    if (k === '__proto__') Object.defineProperty(this.#copy, k, { value: v, writable: true, enumerable: true, configurable: true });
    else (this.#copy)[k] = v;
  }

  delete(k: string): void {
    if (!this.has(k)) return;
    this.#copy ??= Object.assign({}, this.#base);
    Reflect.deleteProperty(this.#copy, k);
  }

  result(): JsonObject {
    return this.#current();
  }
}

// ---------------------------------------------------------------------------------------
// JSON merge patch (RFC 7386).

/**
 * Applies an RFC 7386 JSON merge patch, what `kubectl label`, `kubectl annotate` and
 * `kubectl patch --type=merge` send: objects merge key by key, `null` deletes a key, and
 * anything else (arrays included) replaces what was there. A patch that is not an object
 * replaces the whole target.
 *
 * @example
 * applyMergePatch(node, { metadata: { labels: { disk: 'ssd', zone: null } } })
 */
export const applyMergePatch = (target: unknown, patch: unknown): unknown => {
  if (!isObject(patch)) return patch;
  const draft = new Draft(isObject(target) ? target : {});
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) draft.delete(k);
    else draft.set(k, applyMergePatch(draft.get(k), v));
  }
  return draft.result();
};

// ---------------------------------------------------------------------------------------
// JSON patch (RFC 6902) and JSON pointers (RFC 6901).

// What kube-apiserver answers when evanphx's Apply fails: NewGenericServerResponse(422),
// whose message is fixed; the library's own text travels as the cause.
const rejected = (cause: string): ApiError => ({
  ...badRequest('the server rejected our request due to an error in our request'),
  reason: 'Invalid',
  code: 422,
  details: { causes: [{ reason: 'UnexpectedServerResponse', message: cause }] },
});

// How encoding/json names a JSON value's type in "cannot unmarshal X into Go value" errors.
const jsonKind = (v: unknown): string =>
  isList(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;

const parsePointer = (path: string): string[] | undefined => {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  const tokens = path.slice(1).split('/');
  if (tokens.some((t) => /~[^01]|~$/.test(t))) return undefined;
  return tokens.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
};

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/** The value a token names inside a container, if there is one. */
const child = (container: unknown, token: string): { readonly value: unknown } | undefined => {
  if (isList(container)) {
    if (!ARRAY_INDEX.test(token)) return undefined;
    const i = Number(token);
    return i < container.length ? { value: container[i] } : undefined;
  }
  if (isObject(container) && Object.hasOwn(container, token)) return { value: container[token] };
  return undefined;
};

const getIn = (doc: unknown, tokens: readonly string[]): { readonly value: unknown } | undefined => {
  let at: { readonly value: unknown } | undefined = { value: doc };
  for (const t of tokens) {
    if (at === undefined) return undefined;
    at = child(at.value, t);
  }
  return at;
};

/** `doc` with the container at `tokens` replaced by `container`; the path must exist. */
const setIn = (doc: unknown, tokens: readonly string[], container: unknown): unknown => {
  if (tokens.length === 0) return container;
  const [head = '', ...rest] = tokens;
  const next = setIn(child(doc, head)?.value, rest, container);
  if (isList(doc)) return doc.map((v, i) => (i === Number(head) ? next : v));
  const draft = new Draft(isObject(doc) ? doc : {});
  draft.set(head, next);
  return draft.result();
};

type Step = E.Either<string, unknown>;

/** RFC 6902 "add": into an object sets the member, into an array inserts ("-" appends). */
const addAt = (doc: unknown, path: string, tokens: readonly string[], value: unknown, missing: string): Step => {
  if (tokens.length === 0) return E.right(value);
  const parentTokens = tokens.slice(0, -1);
  const key = tokens[tokens.length - 1] ?? '';
  const parent = getIn(doc, parentTokens)?.value;
  if (isList(parent)) {
    const i = key === '-' ? parent.length : ARRAY_INDEX.test(key) ? Number(key) : -1;
    if (i < 0 || i > parent.length) return E.left(`error in add for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`);
    return E.right(setIn(doc, parentTokens, [...parent.slice(0, i), value, ...parent.slice(i)]));
  }
  if (isObject(parent)) {
    const draft = new Draft(parent);
    draft.set(key, value);
    return E.right(setIn(doc, parentTokens, draft.result()));
  }
  return E.left(missing);
};

const removeAt = (doc: unknown, path: string, tokens: readonly string[], what: string): Step => {
  const parentTokens = tokens.slice(0, -1);
  const key = tokens[tokens.length - 1] ?? '';
  const parent = tokens.length === 0 ? undefined : getIn(doc, parentTokens)?.value;
  if (isList(parent)) {
    if (child(parent, key) === undefined) return E.left(`error in ${what} for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`);
    const i = Number(key);
    return E.right(setIn(doc, parentTokens, parent.filter((_, j) => j !== i)));
  }
  if (isObject(parent)) {
    if (!Object.hasOwn(parent, key)) return E.left(`error in ${what} for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
    const draft = new Draft(parent);
    draft.delete(key);
    return E.right(setIn(doc, parentTokens, draft.result()));
  }
  return E.left(`${what} operation does not apply: doc is missing path: "${path}": missing value`);
};

const applyOperation = (doc: unknown, op: JsonObject): Step => {
  const kind = own(op, 'op');
  const name = typeof kind === 'string' ? kind : 'unknown';
  if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(name)) return E.left(`Unexpected kind: ${name}`);

  const rawPath = own(op, 'path');
  if (typeof rawPath !== 'string') return E.left(`${name} operation failed to decode path: operation missing path field: missing value`);
  const path = rawPath;
  const tokens = parsePointer(path);
  if (tokens === undefined) return E.left(`${name} operation does not apply: invalid JSON pointer: "${path}"`);

  const needsValue = name === 'add' || name === 'replace' || name === 'test';
  if (needsValue && !Object.hasOwn(op, 'value')) return E.left(`${name} operation, missing value field: missing value`);
  const value = own(op, 'value');

  switch (name) {
    case 'add':
      return addAt(doc, path, tokens, value, `add operation does not apply: doc is missing path: "${path}": missing value`);
    case 'remove':
      if (tokens.length === 0) return E.left('remove operation does not apply: cannot remove the whole document');
      return removeAt(doc, path, tokens, 'remove');
    case 'replace': {
      if (tokens.length === 0) return E.right(value);
      const parentTokens = tokens.slice(0, -1);
      if (getIn(doc, parentTokens) === undefined) return E.left(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      // RFC 6902 wants the target to exist; evanphx v4 would silently add an object member.
      if (getIn(doc, tokens) === undefined) return E.left(`replace operation does not apply: doc is missing key: ${path}: missing value`);
      const parent = getIn(doc, parentTokens)?.value;
      const key = tokens[tokens.length - 1] ?? '';
      if (isList(parent)) return E.right(setIn(doc, parentTokens, parent.map((v, i) => (i === Number(key) ? value : v))));
      const draft = new Draft(isObject(parent) ? parent : {});
      draft.set(key, value);
      return E.right(setIn(doc, parentTokens, draft.result()));
    }
    case 'test': {
      const found = getIn(doc, tokens);
      return found !== undefined && deepEqual(found.value, value) ? E.right(doc) : E.left(`testing value ${path} failed: test failed`);
    }
    default: {
      // move and copy read "from" first.
      const rawFrom = own(op, 'from');
      if (typeof rawFrom !== 'string') return E.left(`${name} operation failed to decode from: operation, missing from field: missing value`);
      const fromTokens = parsePointer(rawFrom);
      const found = fromTokens === undefined ? undefined : getIn(doc, fromTokens);
      if (fromTokens === undefined || found === undefined) return E.left(`${name} operation does not apply: doc is missing from path: ${rawFrom}: missing value`);
      const missingDest = `${name} operation does not apply: doc is missing destination path: ${path}: missing value`;
      if (name === 'copy') return addAt(doc, path, tokens, found.value, missingDest);
      if (rawFrom === path) return E.right(doc);
      if (path.startsWith(`${rawFrom}/`)) return E.left(`move operation does not apply: cannot move ${rawFrom} into its own child ${path}`);
      const removed = removeAt(doc, rawFrom, fromTokens, 'move');
      return E.isLeft(removed) ? removed : addAt(removed.right, path, tokens, found.value, missingDest);
    }
  }
};

/**
 * Applies an RFC 6902 JSON patch (`kubectl patch --type=json`): add, remove, replace, move,
 * copy and test, in order, with RFC 6901 pointers (`~1` is "/", `~0` is "~", "-" appends
 * to an array). All or nothing: the first failing operation fails the patch.
 *
 * A patch that is not a list of operation objects is a BadRequest (400), as when
 * kube-apiserver cannot decode it. An operation that does not apply — unknown op, missing
 * path or value, a path that does not exist, a failed `test` — is Invalid (422) with
 * upstream's message `the server rejected our request due to an error in our request` and
 * the library's reason, e.g. `testing value /spec/unschedulable failed: test failed`, as
 * the first cause. A `null` patch, which decodes to no operations, changes nothing.
 */
export const applyJsonPatch = (target: unknown, ops: unknown): E.Either<ApiError, unknown> => {
  if (ops === null || ops === undefined) return E.right(target);
  if (!isList(ops)) return E.left(badRequest(`json: cannot unmarshal ${jsonKind(ops)} into Go value of type jsonpatch.Patch`));
  const bad = ops.find((op: unknown) => op !== null && !isObject(op));
  if (bad !== undefined) return E.left(badRequest(`json: cannot unmarshal ${jsonKind(bad)} into Go value of type jsonpatch.Operation`));
  let doc = target;
  for (const op of ops as readonly (JsonObject | null)[]) {
    const step = applyOperation(doc, op ?? {});
    if (E.isLeft(step)) return E.left(rejected(step.left));
    doc = step.right;
  }
  return E.right(doc);
};

// ---------------------------------------------------------------------------------------
// Strategic merge patch: the metadata.

/**
 * How strategic merge patch treats one field: upstream's `patchStrategy` and
 * `patchMergeKey` struct tags.
 * - `merge` on a list: items with the same `mergeKey` value merge, others are kept, new
 *   ones are added; a list of primitives (no mergeKey) merges as a set.
 * - `replace`: the patch value replaces the field whole. Lists with no entry in a table
 *   are replaced too (upstream's default); an explicit entry documents an atomic list.
 * - `retainKeys` on a map: a `$retainKeys` directive in the patch clears the keys it does
 *   not list (Deployment `spec.strategy`). `retainKeys: true` on a merge list marks
 *   upstream's "merge,retainKeys" (Pod `spec.volumes`): its items are such unions.
 */
export interface PatchFieldMeta {
  readonly strategy: 'merge' | 'replace' | 'retainKeys';
  readonly mergeKey?: string;
  readonly retainKeys?: boolean;
}

/**
 * A kind's patch metadata: field path → how to patch it. Paths are the JSON field names
 * from the object's root joined by ".", with list items transparent:
 * `spec.containers.env` is the `env` list of every item of `spec.containers`.
 */
export type PatchMetaTable = ReadonlyMap<string, PatchFieldMeta>;

type MetaEntry = readonly [string, PatchFieldMeta];

const merge = (mergeKey?: string): PatchFieldMeta => (mergeKey === undefined ? { strategy: 'merge' } : { strategy: 'merge', mergeKey });
const REPLACE: PatchFieldMeta = { strategy: 'replace' };

const at = (prefix: string, field: string): string => (prefix === '' ? field : `${prefix}.${field}`);

/** ObjectMeta: finalizers merge as a set, ownerReferences by uid. */
const objectMetaEntries = (prefix: string): MetaEntry[] => [
  [at(prefix, 'metadata.finalizers'), merge()],
  [at(prefix, 'metadata.ownerReferences'), merge('uid')],
];

const containerEntries = (list: string): MetaEntry[] => [
  [list, merge('name')],
  [`${list}.env`, merge('name')],
  [`${list}.ports`, merge('containerPort')],
  [`${list}.volumeMounts`, merge('mountPath')],
  [`${list}.volumeDevices`, merge('devicePath')],
];

/** PodSpec at `spec` (a Pod) or `<template>.spec` (a pod template). */
const podSpecEntries = (spec: string): MetaEntry[] => [
  ...containerEntries(`${spec}.containers`),
  ...containerEntries(`${spec}.initContainers`),
  ...containerEntries(`${spec}.ephemeralContainers`),
  [`${spec}.volumes`, { strategy: 'merge', mergeKey: 'name', retainKeys: true }],
  [`${spec}.imagePullSecrets`, merge('name')],
  [`${spec}.hostAliases`, merge('ip')],
  // Toleration has no patch tags: `kubectl patch` replaces the whole list.
  [`${spec}.tolerations`, REPLACE],
];

const podTemplateEntries = (template: string): MetaEntry[] => [...objectMetaEntries(template), ...podSpecEntries(`${template}.spec`)];

const CONDITIONS_BY_TYPE: MetaEntry = ['status.conditions', merge('type')];

const table = (...entries: MetaEntry[]): PatchMetaTable => new Map([...objectMetaEntries(''), ...entries]);

/**
 * Patch metadata of the kinds failsim serves, from the struct tags of k8s.io/api. Every
 * kind, listed or not, gets ObjectMeta's (finalizers, ownerReferences).
 */
export const patchMetadata: ReadonlyMap<string, PatchMetaTable> = new Map<string, PatchMetaTable>([
  [
    'Pod',
    table(...podSpecEntries('spec'), CONDITIONS_BY_TYPE, ['status.podIPs', merge('ip')], ['status.hostIPs', merge('ip')]),
  ],
  [
    'Node',
    table(
      // NodeSpec.Taints has no patch tags: kubectl taint sends the whole new list.
      ['spec.taints', REPLACE],
      ['spec.podCIDRs', merge()],
      CONDITIONS_BY_TYPE,
      ['status.addresses', merge('type')],
      // Atomic lists: the attach/detach controller's status patch carries the whole list.
      ['status.volumesAttached', REPLACE],
      ['status.volumesInUse', REPLACE],
    ),
  ],
  ['PodTemplate', table(...podTemplateEntries('template'))],
  ['StatefulSet', table(...podTemplateEntries('spec.template'), ['spec.volumeClaimTemplates', REPLACE], CONDITIONS_BY_TYPE)],
  ['Deployment', table(...podTemplateEntries('spec.template'), ['spec.strategy', { strategy: 'retainKeys' }], CONDITIONS_BY_TYPE)],
  ['ReplicaSet', table(...podTemplateEntries('spec.template'), CONDITIONS_BY_TYPE)],
  ['DaemonSet', table(...podTemplateEntries('spec.template'), CONDITIONS_BY_TYPE)],
  ['Job', table(...podTemplateEntries('spec.template'), CONDITIONS_BY_TYPE)],
  ['PersistentVolumeClaim', table(CONDITIONS_BY_TYPE)],
  ['Namespace', table(CONDITIONS_BY_TYPE)],
]);

const OBJECT_META_ONLY: PatchMetaTable = table();

/** The patch metadata of a kind; kinds without a table get ObjectMeta's alone. */
export const patchMetaForKind = (kind: string): PatchMetaTable => patchMetadata.get(kind) ?? OBJECT_META_ONLY;

// ---------------------------------------------------------------------------------------
// Strategic merge patch: the algorithm.

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

const ERR_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const ERR_LIST_OF_LISTS = 'lists of lists are not supported';

/** Go's %v of a decoded JSON value, which upstream's messages embed. */
const goString = (v: unknown): string => {
  if (v === null || v === undefined) return '<nil>';
  if (isList(v)) return `[${v.map(goString).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goString(v[k])}`)
      .join(' ')}]`;
  }
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;
};

const noMergeKey = (m: unknown, key: string): string => `map: ${goString(m)} does not contain declared merge key: ${key}`;
const badPatchType = (directive: unknown, m: unknown): string => `unknown patch type: ${goString(directive)} in map: ${goString(m)}`;

type Result<T> = E.Either<string, T>;

/** True when a value carries a directive or a null that merging must resolve. */
const needsResolving = (v: unknown): boolean => {
  if (isList(v)) return v.some(needsResolving);
  if (!isObject(v)) return false;
  return Object.entries(v).some(([k, c]) => k.startsWith('$') || c === null || needsResolving(c));
};

/** "$setElementOrder/containers" → "containers"; undefined when malformed. */
const directiveField = (key: string, prefix: string): string | undefined => {
  const slash = key.indexOf('/');
  return slash < 0 || key.slice(0, slash) !== prefix ? undefined : key.slice(slash + 1);
};

type ElementKind = 'map' | 'list' | 'null' | 'string' | 'number' | 'boolean' | 'other';

const elementKind = (v: unknown): ElementKind =>
  isList(v) ? 'list' : v === null ? 'null' : isObject(v) ? 'map' : ['string', 'number', 'boolean'].includes(typeof v) ? (typeof v as ElementKind) : 'other';

// sliceElementType: every item of both lists is of one type, and not a list.
const listElementKind = (...lists: readonly (readonly unknown[])[]): Result<ElementKind | undefined> => {
  let kind: ElementKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const k = elementKind(item);
      if (k === 'list') return E.left(ERR_LIST_OF_LISTS);
      if (kind !== undefined && k !== kind) return E.left(`list element types are not identical: ${goString(lists)}`);
      kind = k;
    }
  }
  return E.right(kind);
};

const sameItems = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The identity items are ordered and matched by: the merge key's value, or the item. */
const identity =
  (mergeKey: string | undefined) =>
  (item: unknown): unknown =>
    mergeKey === undefined ? item : isObject(item) ? own(item, mergeKey) : undefined;

/**
 * normalizeElementOrder + mergeSortedSlice: patch items in `patchOrder`'s order,
 * server-only items in `serverOrder`'s, interleaved so both relative orders hold. When a
 * pair cannot be compared (an item new to the server), the patch item goes first — which
 * is why, without `$setElementOrder`, upstream puts new list items before old ones.
 */
const normalizeOrder = (
  patchItems: readonly unknown[],
  serverOnly: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string | undefined,
): unknown[] => {
  const id = identity(mergeKey);
  const indexer = (list: readonly unknown[]): ((item: unknown) => number) => {
    const first = new Map<unknown, number>();
    list.forEach((v, i) => {
      if (!first.has(id(v))) first.set(id(v), i);
    });
    return (item) => first.get(id(item)) ?? -1;
  };
  const sortBy = (items: readonly unknown[], order: readonly unknown[]): unknown[] => {
    const idx = indexer(order);
    const rank = (v: unknown): number => {
      const i = idx(v);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...items].sort((a, b) => rank(a) - rank(b));
  };
  const left = sortBy(serverOnly, serverOrder);
  const right = sortBy(patchItems, patchOrder);
  const serverIndex = indexer(serverOrder);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = serverIndex(left[i]);
      const ri = serverIndex(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
};

/** Splits `items` into those `by` names (by merge key or value) and the rest. */
const partition = (items: readonly unknown[], by: readonly unknown[], mergeKey: string | undefined): Result<[unknown[], unknown[]]> => {
  const named = new Set<unknown>();
  for (const v of by) {
    if (mergeKey !== undefined && !(isObject(v) && Object.hasOwn(v, mergeKey))) return E.left(noMergeKey(v, mergeKey));
    named.add(identity(mergeKey)(v));
  }
  const inList: unknown[] = [];
  const rest: unknown[] = [];
  for (const v of items) {
    if (mergeKey !== undefined && !(isObject(v) && Object.hasOwn(v, mergeKey))) return E.left(noMergeKey(v, mergeKey));
    (named.has(identity(mergeKey)(v)) ? inList : rest).push(v);
  }
  return E.right([inList, rest]);
};

class StrategicMerge {
  readonly #meta: PatchMetaTable;

  constructor(meta: PatchMetaTable) {
    this.#meta = meta;
  }

  #strategy(path: string): PatchFieldMeta | undefined {
    return this.#meta.get(path);
  }

  /** A patch value placed where the target has nothing: its directives and nulls resolved. */
  resolve(value: unknown, path: string): Result<unknown> {
    if (!needsResolving(value)) return E.right(value);
    if (isObject(value)) return this.mergeMap(undefined, value, path);
    if (isList(value)) return this.#mergeList([], value, path);
    return E.right(value);
  }

  /** mergeMap: `$patch`, then `$retainKeys`, then `$setElementOrder`, then the fields. */
  mergeMap(target: JsonObject | undefined, patch: JsonObject, path: string): Result<JsonObject> {
    if (Object.hasOwn(patch, DIRECTIVE)) {
      const directive = patch[DIRECTIVE];
      if (directive === 'delete') return E.right({});
      if (directive === 'replace') {
        const draft = new Draft(patch);
        draft.delete(DIRECTIVE);
        return this.mergeMap(undefined, draft.result(), path);
      }
      return E.left(badPatchType(directive, patch));
    }
    const draft = new Draft(target ?? {});

    if (Object.hasOwn(patch, RETAIN_KEYS)) {
      const retain = patch[RETAIN_KEYS];
      if (!isList(retain)) return E.left(ERR_RETAIN_KEYS);
      const keep = new Set<unknown>(retain);
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || k === RETAIN_KEYS || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
        if (!keep.has(k)) return E.left(ERR_RETAIN_KEYS);
      }
      for (const k of draft.keys()) if (!keep.has(k)) draft.delete(k);
    }

    const consumed = new Set<string>([RETAIN_KEYS]);
    for (const [k, order] of Object.entries(patch)) {
      if (!k.startsWith(SET_ELEMENT_ORDER)) continue;
      consumed.add(k);
      const field = directiveField(k, SET_ELEMENT_ORDER);
      if (field === undefined || !isList(order)) return E.left(ERR_SET_ELEMENT_ORDER);
      const ordered = this.#setElementOrder(draft.get(field), own(patch, field), order, at(path, field));
      if (E.isLeft(ordered)) return ordered;
      if (ordered.right === undefined) continue;
      draft.set(field, ordered.right);
      consumed.add(field);
    }

    // Fields first, then parallel deletion lists, so a two-way patch's additions and
    // deletions to one list land in the order its author computed them.
    for (const [k, v] of Object.entries(patch)) {
      if (consumed.has(k) || k === DIRECTIVE || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || v === undefined) continue;
      if (v === null) {
        draft.delete(k);
        continue;
      }
      const merged = draft.has(k) ? this.#mergeValue(draft.get(k), v, at(path, k)) : this.resolve(v, at(path, k));
      if (E.isLeft(merged)) return merged;
      draft.set(k, merged.right);
    }
    for (const [k, v] of Object.entries(patch)) {
      if (!k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
      const field = directiveField(k, DELETE_FROM_PRIMITIVE_LIST);
      if (field === undefined || !isList(v)) return E.left(ERR_PRIMITIVE_LIST);
      const current = draft.get(field);
      // Upstream would store the deletion list itself as the field when the field is
      // absent; deleting from nothing leaves nothing instead.
      if (!isList(current)) continue;
      const kept = current.filter((item) => !v.some((d) => deepEqual(d, item)));
      if (kept.length !== current.length) draft.set(field, kept);
    }
    return E.right(draft.result());
  }

  #mergeValue(target: unknown, patch: unknown, path: string): Result<unknown> {
    if (isObject(target) && isObject(patch)) {
      return this.#strategy(path)?.strategy === 'replace' ? this.resolve(patch, path) : this.mergeMap(target, patch, path);
    }
    if (isList(target) && isList(patch)) return this.#mergeList(target, patch, path);
    // Different types, or scalars: the patch value wins.
    return this.resolve(patch, path);
  }

  #mergeList(target: readonly unknown[], patch: readonly unknown[], path: string): Result<readonly unknown[]> {
    const meta = this.#strategy(path);
    if (meta?.strategy === 'merge') return this.#mergeSlice(target, patch, meta.mergeKey, path);
    // A list without a merge strategy is replaced whole; its items cannot be addressed.
    const out: unknown[] = [];
    for (const item of patch) {
      if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
        return E.left(`${path} has no patch merge key: the list is replaced whole, so its items cannot carry ${DIRECTIVE} (got ${goString(item)})`);
      }
      const resolved = this.resolve(item, path);
      if (E.isLeft(resolved)) return resolved;
      out.push(resolved.right);
    }
    return E.right(sameItems(out, patch) ? patch : out);
  }

  /** mergeSlice: primitives as a set; maps by merge key, honouring `$patch` items. */
  #mergeSlice(target: readonly unknown[], patch: readonly unknown[], mergeKey: string | undefined, path: string): Result<readonly unknown[]> {
    if (target.length === 0 && patch.length === 0) return E.right(target);
    const kind = listElementKind(target, patch);
    if (E.isLeft(kind)) return kind;

    if (kind.right !== 'map') {
      const merged = [...new Set([...target, ...patch])];
      const parts = partition(merged, patch, undefined);
      if (E.isLeft(parts)) return parts;
      const ordered = normalizeOrder(parts.right[0], parts.right[1], patch, target, undefined);
      return E.right(sameItems(ordered, target) ? target : ordered);
    }
    if (mergeKey === undefined) return E.left(`cannot merge lists without merge key for ${path}`);

    let base: readonly unknown[] = target;
    const plain: JsonObject[] = [];
    let replace = false;
    for (const item of patch as readonly JsonObject[]) {
      if (!Object.hasOwn(item, DIRECTIVE)) {
        plain.push(item);
        continue;
      }
      const directive = item[DIRECTIVE];
      if (directive === 'delete') {
        if (!Object.hasOwn(item, mergeKey)) return E.left(noMergeKey(item, mergeKey));
        const key = item[mergeKey];
        base = base.filter((v) => !(isObject(v) && Object.hasOwn(v, mergeKey) && v[mergeKey] === key));
      } else if (directive === 'replace') {
        replace = true;
      } else if (directive === 'merge') {
        return E.left('merging lists cannot yet be specified in the patch');
      } else {
        return E.left(badPatchType(directive, item));
      }
    }
    if (replace) {
      const out: unknown[] = [];
      for (const item of plain) {
        const resolved = this.mergeMap(undefined, item, path);
        if (E.isLeft(resolved)) return resolved;
        out.push(resolved.right);
      }
      return E.right(out);
    }

    const merged = [...base];
    for (const item of plain) {
      if (!Object.hasOwn(item, mergeKey)) return E.left(noMergeKey(item, mergeKey));
      const key = item[mergeKey];
      const i = merged.findIndex((v) => isObject(v) && Object.hasOwn(v, mergeKey) && v[mergeKey] === key);
      const existing = i < 0 ? undefined : merged[i];
      const result = this.mergeMap(isObject(existing) ? existing : undefined, item, path);
      if (E.isLeft(result)) return result;
      if (i < 0) merged.push(result.right);
      else merged[i] = result.right;
    }
    const parts = partition(merged, plain, mergeKey);
    if (E.isLeft(parts)) return parts;
    const ordered = normalizeOrder(parts.right[0], parts.right[1], plain, base, mergeKey);
    return E.right(sameItems(ordered, target) ? target : ordered);
  }

  /**
   * mergePatchIntoOriginal for one `$setElementOrder/<field>`: merge the field's patch
   * list (if any) into the target's, then order the items the directive names as it
   * names them, the others as the target had them. Undefined when there is no list.
   */
  #setElementOrder(target: unknown, patchList: unknown, order: readonly unknown[], path: string): Result<readonly unknown[] | undefined> {
    const hasTarget = isList(target);
    const hasPatch = isList(patchList);
    if (!hasTarget && !hasPatch) return E.right(undefined);
    const meta = this.#strategy(path);
    const mergeKey = meta?.strategy === 'merge' ? meta.mergeKey : undefined;
    const targetList: readonly unknown[] = hasTarget ? target : [];
    const patchItems: readonly unknown[] = hasPatch ? patchList : [];
    const ofMaps = [...targetList, ...patchItems, ...order].some(isObject);
    if (ofMaps && mergeKey === undefined) return E.left(`${ERR_SET_ELEMENT_ORDER}: ${path} has no patch merge key`);

    const valid = this.#validateOrder(patchItems, order, ofMaps ? mergeKey : undefined);
    if (E.isLeft(valid)) return valid;

    const merged = hasTarget && hasPatch ? this.#mergeList(targetList, patchItems, path) : hasPatch ? this.#mergeList([], patchItems, path) : E.right(targetList);
    if (E.isLeft(merged)) return merged;
    const key = ofMaps ? mergeKey : undefined;
    const parts = partition(merged.right, order, key);
    if (E.isLeft(parts)) return parts;
    const ordered = normalizeOrder(parts.right[0], parts.right[1], order, targetList, key);
    return E.right(hasTarget && sameItems(ordered, targetList) ? targetList : ordered);
  }

  /** validatePatchWithSetOrderList: the patch's items must appear in the directive, in its order. */
  #validateOrder(patchList: readonly unknown[], order: readonly unknown[], mergeKey: string | undefined): Result<void> {
    if (patchList.length === 0 || order.length === 0) return E.right(undefined);
    const items = mergeKey === undefined ? patchList : patchList.filter((v) => !(isObject(v) && own(v, DIRECTIVE) === 'delete'));
    const id = identity(mergeKey);
    let p = 0;
    let o = 0;
    while (p < items.length && o < order.length) {
      const item = items[p];
      if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
        p++;
        continue;
      }
      if (mergeKey !== undefined) {
        if (!(isObject(item) && Object.hasOwn(item, mergeKey))) return E.left(noMergeKey(item, mergeKey));
        const o2 = order[o];
        if (!(isObject(o2) && Object.hasOwn(o2, mergeKey))) return E.left(noMergeKey(o2, mergeKey));
      }
      if (id(item) === id(order[o])) p++;
      o++;
    }
    if (p < items.length && o >= order.length) {
      return E.left(`The order in patch list:\n${goString(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goString(order)}\n`);
    }
    return E.right(undefined);
  }
}

/**
 * Applies a strategic merge patch, what `kubectl cordon`, `kubectl taint`, `kubectl drain`,
 * `kubectl patch` (by default) and controllers' status updates send, to an object of
 * `kind`, with that kind's {@link patchMetaForKind patch metadata}:
 * - maps merge key by key and `null` deletes a key;
 * - lists with the merge strategy merge: by merge key for lists of maps (Pod
 *   `spec.containers` by `name`, `status.conditions` by `type`…), as sets for lists of
 *   primitives (`metadata.finalizers`); other lists are replaced whole (Node
 *   `spec.taints`, Pod `spec.tolerations`);
 * - directives: `$patch: replace` and `$patch: delete` in a map or a merge-list item,
 *   `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`.
 *
 * Kinds without a table merge like a JSON merge patch (every list replaced), with the
 * map directives and ObjectMeta's lists still honoured. Malformed directives give a
 * BadRequest with upstream's text, e.g. `invalid patch format of retainKeys`; so does
 * `$patch: merge`, which upstream rejects (`merging lists cannot yet be specified in the
 * patch`, or `unknown patch type: merge in map: …` in a map).
 *
 * @example
 * // kubectl cordon node-1
 * applyStrategicMergePatch(node, { spec: { unschedulable: true } }, 'Node')
 */
export const applyStrategicMergePatch = (target: unknown, patch: unknown, kind: string): E.Either<ApiError, unknown> => {
  if (patch === null || patch === undefined) return E.right(target);
  if (!isObject(patch)) return E.left(badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`));
  const result = new StrategicMerge(patchMetaForKind(kind)).mergeMap(isObject(target) ? target : undefined, patch, '');
  return E.isLeft(result) ? E.left(badRequest(result.left)) : E.right(result.right);
};
