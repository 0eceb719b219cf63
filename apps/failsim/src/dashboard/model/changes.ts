// Which table rows just changed, for k9s' brief highlight of added and modified rows (its
// skin's status addColor/modifyColor, derailed/k9s internal/config/styles.go · v0.32;
// failsim adds a `*` marker so the cue is not colour alone). failsim's frames are
// samples of a run in virtual time, so "just" is measured on the simulation clock: a row
// stays marked for `windowMs` virtual ms after the frame that first saw it change.

import type { EventRow } from './events.js';
import type { NodeRow } from './nodes.js';
import type { PodRow } from './pods.js';
import type { StorageChain } from './storage.js';

/** Virtual ms a changed row stays highlighted: half a wall second at the default 10×. */
export const CHANGED_WINDOW_MS = 5_000;

/**
 * Remembers each row's last content by key and when it last changed. The first sample of
 * a view marks nothing (everything is new then); a row that appears later is a change.
 * @example
 * const changes = new ChangeTracker();
 * changes.observe('nodes', [['worker-1', 'Ready']], 0); // [false]
 * changes.observe('nodes', [['worker-1', 'NotReady']], 40_000); // [true]
 */
export class ChangeTracker {
  readonly #windowMs: number;
  readonly #views = new Map<string, Map<string, { text: string; changedAt: number }>>();
  readonly #last = new Map<string, { readonly rows: readonly unknown[]; readonly changedAt: readonly number[] }>();

  /** A tracker marking rows for `windowMs` virtual ms after a change. */
  constructor(windowMs = CHANGED_WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  /**
   * Samples the rows of `view` at virtual time `now` (each a key and its content) and
   * returns, per row, whether it changed within the window. A change is dated by the
   * sample that first sees it, so a change made during a paused step is marked in the
   * next frame however long the step was. A row hidden by a filter is remembered, so it
   * is not marked when it shows again unchanged.
   */
  observe(view: string, rows: readonly (readonly [key: string, text: string])[], now: number): boolean[] {
    // The very rows of the last sample of this view (a sampler hands out the same keys
    // while nothing in them changed): nothing to compare, only the window moves.
    const last = this.#last.get(view);
    if (last !== undefined && last.rows === rows) return last.changedAt.map((t) => t > now - this.#windowMs);
    const known = this.#views.get(view);
    const seen = known ?? new Map<string, { text: string; changedAt: number }>();
    if (!known) this.#views.set(view, seen);
    const changedAt = rows.map(([key, text]) => {
      const old = seen.get(key);
      if (old !== undefined && old.text === text) return old.changedAt;
      const at = known === undefined ? Number.NEGATIVE_INFINITY : now;
      seen.set(key, { text, changedAt: at });
      return at;
    });
    this.#last.set(view, { rows, changedAt });
    return changedAt.map((t) => t > now - this.#windowMs);
  }
}

/** A row and its content as the tracker compares them. */
export type ChangeKey = readonly [key: string, text: string];

// Change keys the samplers built with their rows (model/pods.ts, model/nodes.ts), once
// per API object: the same strings frame after frame, so the tracker compares them by
// reference instead of building and comparing thousands of strings per frame. Keyed by
// the rows array, so a frame pays one lookup, not one per row.
const remembered = new WeakMap<readonly object[], readonly ChangeKey[]>();

/** Records the change keys of a sampler's `rows` (same indices); {@link changeKeys} returns them for that very array. */
export const rememberChangeKeys = <R extends object>(rows: readonly R[], keys: readonly ChangeKey[]): readonly R[] => {
  remembered.set(rows, keys);
  return rows;
};

/**
 * The rows of the nodes, pods, storage and events tables as the tracker compares them:
 * a key and the content that matters. Ages, heartbeat ages and LAST SEEN are left out:
 * they move every second and would mark every row.
 */
export const changeKeys = {
  nodes: (rows: readonly NodeRow[]): readonly ChangeKey[] => remembered.get(rows) ?? rows.map((r) => [r.name, `${r.status}|${r.roles}|${r.version}|${r.internalIp}|${r.vm}|${r.power}|${r.taints}|${r.pods}`]),
  pods: (rows: readonly PodRow[]): readonly ChangeKey[] => remembered.get(rows) ?? rows.map((r) => [`${r.namespace}/${r.name}`, `${r.ready}|${r.status}|${r.restarts}|${r.node}`]),
  storage: (chains: readonly StorageChain[]): ChangeKey[] =>
    chains.map((c) => [c.pvc, `${c.pod}|${c.podNode}|${c.pvcPhase}|${c.pv}|${c.vms.map((v) => `${v.vm}:${v.power}`).join(',')}|${c.attachedPerKubernetes.join(',')}|${c.lock}|${c.problem?.text ?? ''}`]),
  events: (rows: readonly EventRow[]): ChangeKey[] => rows.map((r) => [`${r.type}|${r.reason}|${r.objectKey}|${r.message}`, String(r.count)]),
};
