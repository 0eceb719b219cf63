// Storage of one kind: objects by namespace, then name. Nested maps rather than
// "namespace/name" keys because every read and write looks an object up, and building and
// hashing a fresh key string each time was a measurable share of a write.
import type { KubeObject } from './resources.js';

const CLUSTER = '';
const byName = (a: KubeObject, b: KubeObject): number => {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Index of the object named `name` in a list sorted by name, or -1. */
const indexOf = (sorted: readonly KubeObject[], name: string): number => {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid]?.metadata?.name ?? '';
    if (at === name) return mid;
    if (at < name) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
};

/** What the API server needs of a kind's storage (an {@link ObjectStore}, or the Events' columns). */
export interface KindStore {
  /** Number of stored objects. */
  readonly size: number;
  /** The object, if stored. `namespace` is undefined for cluster-scoped kinds. */
  get(namespace: string | undefined, name: string): KubeObject | undefined;
  /** Whether an object is stored under `namespace` and `name`. */
  has(namespace: string | undefined, name: string): boolean;
  /** Stores (adds or replaces) an object under its metadata's namespace and name. */
  set(obj: KubeObject): void;
  /** Removes an object; false when it was not stored. */
  delete(namespace: string | undefined, name: string): boolean;
  /** The objects of one namespace (or all, namespaces in order), sorted by name. */
  list(namespace?: string): readonly KubeObject[];
}

/** The objects of one kind, with lists sorted as etcd returns them (namespace, then name). */
export class ObjectStore implements KindStore {
  readonly #namespaces = new Map<string, Map<string, KubeObject>>();
  /** Sorted lists by namespace, dropped when a namespace gains or loses an object. */
  readonly #sorted = new Map<string, readonly KubeObject[]>();
  #size = 0;

  /** Number of stored objects. */
  get size(): number {
    return this.#size;
  }

  /** The object, if stored. `namespace` is undefined for cluster-scoped kinds. */
  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#namespaces.get(namespace ?? CLUSTER)?.get(name);
  }

  /** Whether an object is stored under `namespace` and `name`. */
  has(namespace: string | undefined, name: string): boolean {
    return this.#namespaces.get(namespace ?? CLUSTER)?.has(name) ?? false;
  }

  /** Stores (adds or replaces) an object under its metadata's namespace and name. */
  set(obj: KubeObject): void {
    const namespace = obj.metadata?.namespace ?? CLUSTER;
    const name = obj.metadata?.name ?? '';
    let objects = this.#namespaces.get(namespace);
    if (!objects) this.#namespaces.set(namespace, (objects = new Map<string, KubeObject>()));
    // One hash lookup, not two: the size tells whether the name was there.
    const before = objects.size;
    objects.set(name, obj);
    const replaced = objects.size === before;
    if (replaced) {
      // Replace in place, found by binary search: a Lease or Node update must not cost
      // O(objects in the namespace). Callers never keep a list across writes.
      const sorted = this.#sorted.get(namespace) as KubeObject[] | undefined;
      if (sorted) {
        const at = indexOf(sorted, name);
        if (at >= 0) sorted[at] = obj;
        else this.#sorted.delete(namespace);
      }
    } else {
      this.#size++;
      this.#sorted.delete(namespace);
    }
  }

  /** Removes an object; false when it was not stored. */
  delete(namespace: string | undefined, name: string): boolean {
    const ns = namespace ?? CLUSTER;
    const objects = this.#namespaces.get(ns);
    if (!objects?.delete(name)) return false;
    this.#size--;
    this.#sorted.delete(ns);
    if (objects.size === 0) this.#namespaces.delete(ns);
    return true;
  }

  /** The objects of one namespace (or all, namespaces in order), sorted by name. */
  list(namespace?: string): readonly KubeObject[] {
    if (namespace !== undefined) return this.#sortedIn(namespace);
    const namespaces = [...this.#namespaces.keys()].sort();
    return namespaces.length === 1 ? this.#sortedIn(namespaces[0]!) : namespaces.flatMap((ns) => this.#sortedIn(ns));
  }

  #sortedIn(namespace: string): readonly KubeObject[] {
    let sorted = this.#sorted.get(namespace);
    if (!sorted) {
      sorted = [...(this.#namespaces.get(namespace)?.values() ?? [])].sort(byName);
      this.#sorted.set(namespace, sorted);
    }
    return sorted;
  }
}
