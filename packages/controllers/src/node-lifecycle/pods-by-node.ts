// The pod informer's `spec.nodeName` index (upstream's nodeNameKeyIndex in the node
// lifecycle and taint eviction controllers): which pods are bound to a node, without
// scanning every pod.
import type { InformerEvent } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { keyOf } from '../runtime/pod-util.js';

/** Pod keys (`namespace/name`) by the node they are bound to, kept current from informer events. */
export class PodsByNode {
  readonly #byNode = new Map<string, Set<string>>();
  readonly #nodeOf = new Map<string, string>();

  /** Applies one informer event. */
  apply(event: InformerEvent<Pod>): void {
    // Most changes are status updates of a pod that stays where it is: the index already
    // holds it under the old object's node (it was fed the old object), so there is
    // nothing to do, and no key to build.
    if (event.type === 'MODIFIED' && event.old && event.old.spec?.nodeName === event.object.spec?.nodeName) return;
    const key = keyOf(event.object);
    const node = event.type === 'DELETED' ? '' : (event.object.spec?.nodeName ?? '');
    const before = this.#nodeOf.get(key) ?? '';
    if (before === node) return;
    if (before !== '') {
      const keys = this.#byNode.get(before);
      keys?.delete(key);
      if (keys?.size === 0) this.#byNode.delete(before);
      this.#nodeOf.delete(key);
    }
    if (node !== '') {
      let keys = this.#byNode.get(node);
      if (!keys) this.#byNode.set(node, (keys = new Set()));
      keys.add(key);
      this.#nodeOf.set(key, node);
    }
  }

  /** Keys of the pods bound to `nodeName`, sorted (the order an API list returns). */
  keys(nodeName: string): string[] {
    return [...(this.#byNode.get(nodeName) ?? [])].sort();
  }

  /** Number of pods bound to `nodeName`. */
  count(nodeName: string): number {
    return this.#byNode.get(nodeName)?.size ?? 0;
  }

  /** Forgets everything (when the informer stops). */
  clear(): void {
    this.#byNode.clear();
    this.#nodeOf.clear();
  }
}
