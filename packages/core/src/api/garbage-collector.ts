// The garbage collector and namespace cleanup of kube-controller-manager, reduced to what
// deletion semantics need: background cascading through ownerReferences, the "orphan" and
// "foregroundDeletion" finalizers (k8s.io/kubernetes pkg/controller/garbagecollector), and
// emptying a terminating namespace before it goes (pkg/controller/namespace).
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ApiClient } from './client.js';
import { isKind, resources, type Kind, type KubeObject } from './resources.js';

/**
 * What the collector knows of an object: the object, and when it was last written, in the
 * collector's own count (dependents are visited in the order of their last writes, see
 * GarbageCollector#dependentsOf). Updated in place on every write (the Map keeps its entry
 * and its place), so a write of an existing object allocates nothing here.
 *
 * An Event without owners is kept as itself instead (issue 8): its last write is never
 * read (only dependents' are), and Events are most of the objects of a run (~230 live per
 * node for the hour of --event-ttl), so they cost no record; they are rarely written
 * again. One that gains an owner gets a record.
 */
class Tracked {
  constructor(
    public object: KubeObject,
    public seq: number,
  ) {}
}

/** An object as the collector keeps it. */
type Entry = KubeObject | Tracked;

const objectOf = (entry: Entry): KubeObject => (entry instanceof Tracked ? entry.object : entry);
/** The kind of a watched object (checked by isKind when it arrived). */
const kindOf = (obj: KubeObject): Kind => obj.kind as Kind;

const NO_OWNERS: readonly OwnerReference[] = Object.freeze([]);
const uidOf = (obj: KubeObject): string => obj.metadata?.uid ?? '';
const ownersOf = (obj: KubeObject): readonly OwnerReference[] => obj.metadata?.ownerReferences ?? NO_OWNERS;

/** Whether two owner lists name the same owners in the same order (all the index keeps of them). */
const sameOwners = (a: readonly OwnerReference[], b: readonly OwnerReference[]): boolean => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.uid !== b[i]!.uid) return false;
  return true;
};

const NO_UIDS: ReadonlySet<string> = new Set();

/** Orders dependents by their last write. */
const bySeq = (a: Tracked, b: Tracked): number => a.seq - b.seq;

/**
 * Watches every kind from the control plane and deletes what deletion leaves behind.
 * Dependents are deleted as soon as their last owner is gone (upstream does it within
 * milliseconds to seconds; failsim does it in the same virtual instant).
 */
export class GarbageCollector {
  readonly #client: ApiClient;
  readonly #objects = new Map<string, Entry>();
  /** Owner uid → uids of its dependents (unordered: #dependentsOf orders them). */
  readonly #dependents = new Map<string, Set<string>>();
  /** Namespace name → the Namespace object as last seen. */
  readonly #namespaces = new Map<string, KubeObject>();
  #seq = 0;

  constructor(client: ApiClient) {
    this.#client = client;
  }

  /** Starts watching; returns the subscription that stops it. */
  start(): Subscription {
    const subscription = this.#client.watchAll().subscribe((event) => {
      const object = event.object;
      const kind = object.kind;
      if (!kind || !isKind(kind)) return;
      if (event.type === 'DELETED') this.#onRemoved(object);
      else this.#onUpsert(kind, object, event.type === 'ADDED');
    });
    // Dependents whose owners were all gone before we started.
    for (const entry of [...this.#objects.values()]) this.#collectIfOrphaned(this.#latest(entry));
    return subscription;
  }

  /**
   * The objects that name `uid` as an owner, in the order of their last writes: the order
   * the index had when every write moved its object to the end of its owners' sets, which
   * cost two set operations per owner on every write of every dependent.
   */
  #dependentsOf(uid: string): Tracked[] {
    const found: Tracked[] = [];
    for (const dependentUid of this.#dependents.get(uid) ?? NO_UIDS) {
      // An object is in its owners' sets only while it names them, so it has a record.
      const dependent = this.#objects.get(dependentUid);
      if (dependent instanceof Tracked) found.push(dependent);
    }
    return found.sort(bySeq);
  }

  /**
   * The object of `entry` as last written, read when it is used: a loop that deletes
   * sees what its own deletes changed (synchronous watch delivery), as it did when every
   * entry was a record updated in place. A Tracked is such a record; a plain Event is
   * looked up again (once gone, the collector's delete of it cannot succeed anyway).
   */
  #latest(entry: Entry): KubeObject {
    if (entry instanceof Tracked) return entry.object;
    const current = this.#objects.get(uidOf(entry));
    return current === undefined ? entry : objectOf(current);
  }

  /**
   * `added`: the watch says the object was created. The server gives every created object
   * a fresh uid, so the collector cannot know it: the lookup (a miss in a map of every
   * object and Event of the cluster, most writes being Event creations) is skipped.
   */
  #onUpsert(kind: Kind, object: KubeObject, added: boolean): void {
    const uid = uidOf(object);
    const seq = ++this.#seq;
    const entry = added ? undefined : this.#objects.get(uid);
    const owners = ownersOf(object);
    // Indexed loops: this runs for every write of the cluster, and for-of over the owner
    // lists allocated an iterator result per step here (issue 8).
    if (entry === undefined) {
      this.#objects.set(uid, kind === 'Event' && owners.length === 0 ? object : new Tracked(object, seq));
      for (let i = 0; i < owners.length; i++) this.#addDependent(owners[i]!.uid, uid);
    } else {
      // Most writes keep the owners (often the very array): the index stays as it is.
      const previous = ownersOf(objectOf(entry));
      if (!sameOwners(previous, owners)) {
        for (let i = 0; i < previous.length; i++) this.#dependents.get(previous[i]!.uid)?.delete(uid);
        for (let i = 0; i < owners.length; i++) this.#addDependent(owners[i]!.uid, uid);
      }
      // A record stays one (lists being walked hold it); a plain Event gets one with its first owner.
      if (entry instanceof Tracked) {
        entry.object = object;
        entry.seq = seq;
      } else this.#objects.set(uid, owners.length > 0 ? new Tracked(object, seq) : object);
    }
    if (kind === 'Namespace') this.#namespaces.set(object.metadata?.name ?? '', object);
    const meta = object.metadata;
    if (!meta?.deletionTimestamp) return;
    if (meta.finalizers?.includes('orphan')) this.#orphanDependents(object);
    else if (meta.finalizers?.includes('foregroundDeletion')) this.#deleteForeground(object);
    if (kind === 'Namespace') this.#emptyNamespace(object);
  }

  #addDependent(ownerUid: string, uid: string): void {
    let set = this.#dependents.get(ownerUid);
    if (!set) this.#dependents.set(ownerUid, (set = new Set()));
    set.add(uid);
  }

  /** `object`: the deleted object, as the DELETED event carries it. */
  #onRemoved(object: KubeObject): void {
    const uid = uidOf(object);
    this.#objects.delete(uid);
    const owners = ownersOf(object);
    for (let i = 0; i < owners.length; i++) {
      const ref = owners[i]!;
      this.#dependents.get(ref.uid)?.delete(uid);
      const owner = this.#objects.get(ref.uid);
      const ownerObject = owner === undefined ? undefined : objectOf(owner);
      if (ownerObject?.metadata?.finalizers?.includes('foregroundDeletion')) this.#deleteForeground(ownerObject);
    }
    // Most removed objects own nothing (every expiring Event): no list to build and sort.
    if (this.#dependents.has(uid)) {
      for (const dependent of this.#dependentsOf(uid)) this.#collectIfOrphaned(dependent.object);
      this.#dependents.delete(uid);
    }
    if (kindOf(object) === 'Namespace') this.#namespaces.delete(object.metadata?.name ?? '');
    const namespace = object.metadata?.namespace;
    const ns = namespace ? this.#namespaces.get(namespace) : undefined;
    if (ns?.metadata?.deletionTimestamp) this.#emptyNamespace(ns);
  }

  /** A dependent none of whose owners exist any more is deleted (background propagation). */
  #collectIfOrphaned(object: KubeObject): void {
    const owners = ownersOf(object);
    if (owners.length === 0 || object.metadata?.deletionTimestamp) return;
    if (owners.some((ref) => this.#objects.has(ref.uid))) return;
    this.#delete(object);
  }

  #orphanDependents(owner: KubeObject): void {
    const uid = uidOf(owner);
    for (const { object: dependent } of this.#dependentsOf(uid)) {
      const meta = dependent.metadata ?? {};
      const ownerReferences = ownersOf(dependent).filter((ref) => ref.uid !== uid);
      this.#client.patch(kindOf(dependent), meta.name ?? '', { metadata: { ownerReferences: ownerReferences.length ? ownerReferences : null } }, {
        type: 'merge',
        namespace: meta.namespace,
      });
    }
    this.#removeFinalizer(owner, 'orphan');
  }

  #deleteForeground(owner: KubeObject): void {
    const uid = uidOf(owner);
    const remaining = this.#dependentsOf(uid);
    for (const dependent of remaining) if (!dependent.object.metadata?.deletionTimestamp) this.#delete(dependent.object);
    if (remaining.every((d) => !this.#objects.has(uidOf(d.object)))) this.#removeFinalizer(owner, 'foregroundDeletion');
  }

  /** Deletes what a terminating namespace holds; once empty, lets it go. */
  #emptyNamespace(ns: KubeObject): void {
    const name = ns.metadata?.name ?? '';
    const inside: Entry[] = [];
    for (const entry of this.#objects.values()) {
      const object = objectOf(entry);
      if (resources[kindOf(object)].namespaced && object.metadata?.namespace === name) inside.push(entry);
    }
    for (const entry of inside) {
      const object = this.#latest(entry);
      if (!object.metadata?.deletionTimestamp) this.#delete(object);
    }
    if (inside.every((e) => !this.#objects.has(uidOf(objectOf(e))))) {
      const current = this.#client.get('Namespace', name);
      if (E.isRight(current) && (current.right.spec?.finalizers ?? []).length > 0) {
        this.#client.update('Namespace', { ...current.right, spec: { ...current.right.spec, finalizers: [] } });
      }
    }
  }

  #delete(object: KubeObject): void {
    const meta: ObjectMeta = object.metadata ?? {};
    this.#client.delete(kindOf(object), meta.name ?? '', { namespace: meta.namespace, preconditions: { uid: meta.uid } });
  }

  #removeFinalizer(object: KubeObject, finalizer: string): void {
    const meta = object.metadata ?? {};
    const current = this.#client.get(kindOf(object), meta.name ?? '', meta.namespace);
    if (E.isLeft(current) || current.right.metadata?.uid !== meta.uid) return;
    const finalizers = (current.right.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    this.#client.update(kindOf(object), { ...current.right, metadata: { ...current.right.metadata, finalizers } });
  }
}
