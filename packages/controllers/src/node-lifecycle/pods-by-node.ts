// The pod informer's `spec.nodeName` index (upstream's nodeNameKeyIndex in the node
// lifecycle and taint eviction controllers): which pods are bound to a node, without
// scanning every pod.
import type { Informer, InformerEvent } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';
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
    const node = event.type === 'DELETED' ? '' : (event.object.spec?.nodeName ?? '');
    // A pod created unbound (every pod the scheduler places): the index, which mirrors the
    // informer's cache, cannot hold a pod the informer is only now adding, and a nodeName
    // is never unset, so there is nothing to remove either.
    if (node === '' && event.type === 'ADDED') return;
    const key = keyOf(event.object);
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

/** A {@link PodsByNode} fed by one pod informer, and how many controllers hold it. */
interface SharedIndex {
  readonly index: PodsByNode;
  readonly subscription: Subscription;
  holders: number;
}

const sharedIndexes = new WeakMap<Informer<'Pod'>, SharedIndex>();

/**
 * The {@link PodsByNode} of a (shared) pod informer, fed once however many controllers
 * read it: upstream's node lifecycle and taint eviction controllers add the same
 * nodeNameKeyIndex to the one shared pod informer (pkg/controller/nodelifecycle/
 * node_lifecycle_controller.go and tainteviction/taint_eviction.go, v1.29), so its
 * per-event upkeep was paid twice here. The first holder subscribes it (where that
 * controller used to subscribe its own, so the informer's handlers keep their order) and
 * fills it from the cache; the last {@link releasePodsByNode} unsubscribes and clears it,
 * so a controller started again after everyone stopped replays the cache as before.
 */
export const acquirePodsByNode = (pods: Informer<'Pod'>): PodsByNode => {
  let shared = sharedIndexes.get(pods);
  if (!shared) {
    const index = new PodsByNode();
    shared = { index, subscription: pods.events$.subscribe((e) => index.apply(e)), holders: 0 };
    sharedIndexes.set(pods, shared);
    // An informer keeps its cache across a stop, and a relist of unchanged objects says
    // nothing: replay the cache as upstream's fresh informers would (applying is idempotent).
    for (const pod of pods.list()) index.apply({ type: 'ADDED', object: pod });
  }
  shared.holders++;
  return shared.index;
};

/** Gives back an index taken with {@link acquirePodsByNode}. */
export const releasePodsByNode = (pods: Informer<'Pod'>): void => {
  const shared = sharedIndexes.get(pods);
  if (!shared || --shared.holders > 0) return;
  shared.subscription.unsubscribe();
  shared.index.clear();
  sharedIndexes.delete(pods);
};
