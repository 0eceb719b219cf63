// Taint writes of the node lifecycle controller: AddOrUpdateTaintOnNode and RemoveTaintOffNode
// (k/k pkg/controller/controller_utils.go, main), SwapNodeControllerTaint
// (pkg/controller/util/node/controller_utils.go, main and v1.15.5), and the taint-set
// helpers of pkg/util/taints. A taint is identified by key and effect (MatchTaint).
import * as E from 'fp-ts/lib/Either.js';
import type { ApiClient, ApiError } from '@failsim/core';
import type { Node, Taint } from 'kubernetes-types/core/v1.js';

/** Upstream retries a taint write on conflict (RetryOnConflict's default backoff has 5 steps). */
const UPDATE_TAINT_RETRIES = 5;

/** MatchTaint: same key and effect. */
export const matchTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;

/**
 * TaintExists: some taint in `taints` matches `taint`. A loop, not `some` with a closure:
 * the node monitor asks it for every node it checks (every Lease renewal).
 */
export const taintExists = (taints: readonly Taint[] | undefined, taint: Taint): boolean => {
  if (taints) for (let i = 0; i < taints.length; i++) if (matchTaint(taints[i]!, taint)) return true;
  return false;
};

/** Whether some taint of `wanted` is in `taints` (by key and effect). */
const anyTaintExists = (taints: readonly Taint[] | undefined, wanted: readonly Taint[]): boolean => {
  if (!taints || taints.length === 0) return false;
  for (let i = 0; i < wanted.length; i++) if (taintExists(taints, wanted[i]!)) return true;
  return false;
};

/** The "nothing to write" answer, shared: it is the common one, and an Either is never mutated. */
const NO_WRITE: E.Either<ApiError, Node | undefined> = Object.freeze(E.right(undefined));

/** Whether two taints are equal in every field, timeAdded included (Semantic.DeepEqual). */
const sameTaint = (a: Taint, b: Taint): boolean =>
  a.key === b.key && a.effect === b.effect && (a.value ?? '') === (b.value ?? '') && (a.timeAdded ?? '') === (b.timeAdded ?? '');

/** TaintSetDiff: what `desired` adds to `current` and what it drops (by key and effect). */
export const taintSetDiff = (desired: readonly Taint[], current: readonly Taint[]): { toAdd: Taint[]; toRemove: Taint[] } => ({
  toAdd: desired.filter((t) => !taintExists(current, t)),
  toRemove: current.filter((t) => !taintExists(desired, t)),
});

/** Writes `node` with `taints`, retrying on conflict from a fresh GET. */
const writeTaints = (
  client: ApiClient,
  nodeName: string,
  change: (taints: readonly Taint[]) => Taint[] | undefined,
): E.Either<ApiError, Node | undefined> => {
  let last: ApiError | undefined;
  for (let attempt = 0; attempt < UPDATE_TAINT_RETRIES; attempt++) {
    const got = client.get('Node', nodeName);
    if (E.isLeft(got)) return got;
    const taints = change(got.right.spec?.taints ?? []);
    if (taints === undefined) return NO_WRITE;
    const updated = client.update('Node', { ...got.right, spec: { ...got.right.spec, taints: taints.length > 0 ? taints : undefined } });
    if (E.isRight(updated)) return updated;
    last = updated.left;
    if (last.reason !== 'Conflict') return updated;
  }
  return E.left(last!);
};

/**
 * AddOrUpdateTaintOnNode: adds each taint, or replaces the one with its key and effect
 * unless equal in every field. No write when nothing changes. Right(undefined) then.
 */
export const addOrUpdateTaintOnNode = (client: ApiClient, nodeName: string, taints: readonly Taint[]): E.Either<ApiError, Node | undefined> => {
  if (taints.length === 0) return NO_WRITE;
  return writeTaints(client, nodeName, (current) => {
    let next = [...current];
    let changed = false;
    for (const taint of taints) {
      const i = next.findIndex((t) => matchTaint(t, taint));
      if (i < 0) {
        next = [...next, taint];
        changed = true;
      } else if (!sameTaint(next[i]!, taint)) {
        next = next.map((t, j) => (j === i ? taint : t));
        changed = true;
      }
    }
    return changed ? next : undefined;
  });
};

/**
 * RemoveTaintOffNode: removes the taints with the given keys and effects. When `cached`
 * (the caller's view of the node) has none of them, no call is made at all, as upstream.
 */
export const removeTaintOffNode = (
  client: ApiClient,
  nodeName: string,
  cached: Node | undefined,
  taints: readonly Taint[],
): E.Either<ApiError, Node | undefined> => {
  if (taints.length === 0) return NO_WRITE;
  // Asked for every Ready node the monitor checks, which mostly has no taint at all.
  if (cached && !anyTaintExists(cached.spec?.taints, taints)) return NO_WRITE;
  return writeTaints(client, nodeName, (current) => {
    const next = current.filter((t) => !taintExists(taints, t));
    return next.length === current.length ? undefined : next;
  });
};

/**
 * SwapNodeControllerTaint: adds `toAdd` stamped with `timeAdded` (metav1.Time of now), then
 * removes `toRemove`. True on success.
 */
export const swapNodeControllerTaint = (
  client: ApiClient,
  timeAdded: string,
  toAdd: readonly Taint[],
  toRemove: readonly Taint[],
  node: Node,
): boolean => {
  const name = node.metadata?.name ?? '';
  const added = addOrUpdateTaintOnNode(
    client,
    name,
    toAdd.map((t) => ({ ...t, timeAdded })),
  );
  if (E.isLeft(added)) return false;
  return E.isRight(removeTaintOffNode(client, name, node, toRemove));
};
