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
    const known = this.#views.get(view);
    const seen = known ?? new Map<string, { text: string; changedAt: number }>();
    if (!known) this.#views.set(view, seen);
    const marks = rows.map(([key, text]) => {
      const old = seen.get(key);
      if (old !== undefined && old.text === text) return old.changedAt > now - this.#windowMs;
      const changedAt = known === undefined ? Number.NEGATIVE_INFINITY : now;
      seen.set(key, { text, changedAt });
      return changedAt > now - this.#windowMs;
    });
    return marks;
  }
}

/**
 * The rows of the nodes, pods, storage and events tables as the tracker compares them:
 * a key and the content that matters. Ages, heartbeat ages and LAST SEEN are left out:
 * they move every second and would mark every row.
 */
export const changeKeys = {
  nodes: (rows: readonly NodeRow[]): [string, string][] => rows.map((r) => [r.name, `${r.status}|${r.roles}|${r.version}|${r.internalIp}|${r.vm}|${r.power}|${r.taints}|${r.pods}`]),
  pods: (rows: readonly PodRow[]): [string, string][] => rows.map((r) => [`${r.namespace}/${r.name}`, `${r.ready}|${r.status}|${r.restarts}|${r.node}`]),
  storage: (chains: readonly StorageChain[]): [string, string][] =>
    chains.map((c) => [c.pvc, `${c.pod}|${c.podNode}|${c.pvcPhase}|${c.pv}|${c.vms.map((v) => `${v.vm}:${v.power}`).join(',')}|${c.attachedPerKubernetes.join(',')}|${c.lock}|${c.problem?.text ?? ''}`]),
  events: (rows: readonly EventRow[]): [string, string][] => rows.map((r) => [`${r.type}|${r.reason}|${r.objectKey}|${r.message}`, String(r.count)]),
};
