// One read of the API server per kind per state: the views of a frame (nodes, pods,
// storage, events, selection, completion) share the lists, and a frame drawn while the
// state has not moved (paused, typing at the prompt, a fast repaint) reads nothing at
// all. A state is (the API server's resourceVersion, the virtual time), so a cached list
// is never older than the frame that shows it: any write bumps the resourceVersion, as
// client-go's informers compare it (kubernetes/kubernetes
// staging/src/k8s.io/client-go/tools/cache/reflector.go · v1.29, lastSyncResourceVersion).
import type { Kind, ObjectOf } from '@failsim/core';
import type { ScenarioRun } from '@failsim/scenarios';
import * as E from 'fp-ts/lib/Either.js';

/** The client the dashboard reads through (a control-plane client: it always reaches the API). */
export const dashboardClient = (run: ScenarioRun) => run.env.cluster.sim.api.client('failsim-dashboard');

interface Cached {
  rv: string;
  now: number;
  readonly lists: Map<string, readonly unknown[]>;
  readonly derived: Map<string, unknown>;
}

const cache = new WeakMap<ScenarioRun, Cached>();

const current = (run: ScenarioRun): Cached => {
  const rv = run.env.cluster.sim.api.resourceVersion;
  const now = run.env.cluster.sim.clock.now();
  const c = cache.get(run);
  if (c && c.rv === rv && c.now === now) return c;
  const fresh: Cached = { rv, now, lists: new Map(), derived: new Map() };
  cache.set(run, fresh);
  return fresh;
};

/**
 * Every object of `kind` (in `namespace`, if given) as the API server lists them now;
 * the same array for every caller until the state moves. Empty when the list fails.
 */
export const listOf = <K extends Kind>(run: ScenarioRun, kind: K, namespace?: string): readonly ObjectOf<K>[] => {
  const c = current(run);
  const key = namespace === undefined ? kind : `${kind}/${namespace}`;
  const hit = c.lists.get(key);
  if (hit) return hit as readonly ObjectOf<K>[];
  const r = dashboardClient(run).list(kind, namespace === undefined ? {} : { namespace });
  const items = E.isRight(r) ? r.right.items : [];
  c.lists.set(key, items);
  return items;
};

/**
 * `compute()` once per state under `key` (a sampler's result, such as the sorted events);
 * the caller makes the key name everything the result depends on besides the state.
 */
export const memo = <T>(run: ScenarioRun, key: string, compute: () => T): T => {
  const c = current(run);
  if (c.derived.has(key)) return c.derived.get(key) as T;
  const value = compute();
  c.derived.set(key, value);
  return value;
};

const derivedFromLists = new WeakMap<ScenarioRun, Map<string, { readonly items: readonly unknown[]; readonly value: unknown }>>();

/**
 * `compute(items)` again only when `items` (a list from {@link listOf}) holds other
 * objects than at the last call under `key`. Stored objects are frozen, so a write is a new
 * object: comparing the lists element by element (pointers) tells whether anything in
 * them changed, for a fraction of what recomputing costs. This is for what depends on
 * one kind only, such as the pods per node: the clock moves every frame, and nodes and
 * leases are written every few seconds, but Pods rarely.
 */
export const deriveFromList = <I, T>(run: ScenarioRun, key: string, items: readonly I[], compute: (items: readonly I[]) => T): T => {
  let byKey = derivedFromLists.get(run);
  if (byKey === undefined) derivedFromLists.set(run, (byKey = new Map<string, { readonly items: readonly unknown[]; readonly value: unknown }>()));
  const last = byKey.get(key);
  if (last !== undefined && sameItems(last.items, items)) return last.value as T;
  const value = compute(items);
  byKey.set(key, { items, value });
  return value;
};

/** True when `a` and `b` hold the same objects in the same order. */
const sameItems = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};
