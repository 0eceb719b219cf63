// The pod informer's `spec.nodeName` index (upstream's nodeNameKeyIndex in the node
// lifecycle and taint eviction controllers): which pods are bound to a node, without
// scanning every pod.
import type { Informer, InformerEvent } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';

/** Pod keys (`namespace/name`) by the node they are bound to, kept current from informer events. */
export class PodsByNode {
  /**
   * Node → namespace → names of the pods bound there. Names and namespaces are strings the
   * pods already hold (the informer's cache is keyed by them, so their hashes are made): a
   * `namespace/name` key built and hashed per bind and per deletion was most of this
   * index's cost (issue 8), and the keys are built only when asked for. The only map: where
   * a pod is now is the node of the informer's cached version, which every event carries as
   * `old` (undefined: not cached, so indexed nowhere); a second map of key → node cost a
   * lookup per bind and deletion.
   */
  readonly #byNode = new Map<string, Map<string, Set<string>>>();

  /**
   * Applies one informer event. The index must be fed every event of the informer since it
   * was empty (or the cache replayed as ADDED first), so it holds each cached pod under the
   * node of the cached version.
   */
  apply(event: InformerEvent<Pod>): void {
    const node = event.type === 'DELETED' ? '' : (event.object.spec?.nodeName ?? '');
    // Most changes are status updates of a pod that stays where it is, and every pod the
    // scheduler places is created unbound (no node before or after): nothing to do. A
    // nodeName is never unset, so only a bind or a deletion moves a pod.
    const before = event.old?.spec?.nodeName ?? '';
    if (before === node) return;
    const meta = event.object.metadata;
    const namespace = meta?.namespace ?? '';
    const name = meta?.name ?? '';
    if (before !== '') {
      const namespaces = this.#byNode.get(before);
      const names = namespaces?.get(namespace);
      if (names !== undefined && names.delete(name) && names.size === 0) {
        namespaces!.delete(namespace);
        if (namespaces!.size === 0) this.#byNode.delete(before);
      }
    }
    if (node !== '') {
      let namespaces = this.#byNode.get(node);
      if (namespaces === undefined) this.#byNode.set(node, (namespaces = new Map<string, Set<string>>()));
      let names = namespaces.get(namespace);
      if (names === undefined) namespaces.set(namespace, (names = new Set<string>()));
      names.add(name);
    }
  }

  /** Keys of the pods bound to `nodeName`, sorted (the order an API list returns). */
  keys(nodeName: string): string[] {
    const keys: string[] = [];
    const namespaces = this.#byNode.get(nodeName);
    if (namespaces === undefined) return keys;
    // keyOf's keys: `namespace/name`, or the name alone for a pod without a namespace.
    for (const [namespace, names] of namespaces) for (const name of names) keys.push(namespace ? `${namespace}/${name}` : name);
    return keys.sort();
  }

  /** Number of pods bound to `nodeName`. */
  count(nodeName: string): number {
    let count = 0;
    const namespaces = this.#byNode.get(nodeName);
    if (namespaces !== undefined) for (const names of namespaces.values()) count += names.size;
    return count;
  }

  /** Forgets everything (when the informer stops). */
  clear(): void {
    this.#byNode.clear();
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
