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
 * An Event without owners is not kept at all (issue 8): Events are most of the objects of
 * a run (~230 live per node for the hour of --event-ttl, ~1 M at 5,000 nodes), and the
 * collector needs them only (a) to tell that an owner named by a dependent exists and (b)
 * to empty a terminating namespace. Both are answered from the API server instead, as
 * upstream does (see GarbageCollector#ownerExists and #emptyNamespace). An Event that gains
 * an owner gets a record like any dependent.
 */
class Tracked {
  constructor(
    public object: KubeObject,
    public seq: number,
  ) {}
}

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
const NO_OBJECTS: readonly KubeObject[] = Object.freeze([]);

/** Orders dependents by their last write. */
const bySeq = (a: Tracked, b: Tracked): number => a.seq - b.seq;

/**
 * Watches every kind from the control plane and deletes what deletion leaves behind.
 * Dependents are deleted as soon as their last owner is gone (upstream does it within
 * milliseconds to seconds; failsim does it in the same virtual instant).
 */
export class GarbageCollector {
  readonly #client: ApiClient;
  readonly #objects = new Map<string, Tracked>();
  /**
   * The same records by kind, for the lookup every update of a tracked object makes: most
   * updates of a settled cluster are Lease renewals and Node status (issue 8), whose uids
   * are found among a few thousand entries rather than in a map of every Pod, claim and
   * owned Event of the cluster (a miss-prone probe, 4% of a settled minute at 2,000 nodes).
   * A uid names one object, of one kind, so both maps hold the same records.
   */
  readonly #objectsByKind = new Map<string, Map<string, Tracked>>();
  /** Owner uid → uids of its dependents (unordered: #dependentsOf orders them). */
  readonly #dependents = new Map<string, Set<string>>();
  /** Namespace name → the Namespace object as last seen. */
  readonly #namespaces = new Map<string, KubeObject>();
  #seq = 0;
  /** Namespaces whose Events #emptyNamespace is deleting. */
  readonly #emptyingEvents = new Set<string>();

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
    for (const entry of [...this.#objects.values()]) this.#collectIfOrphaned(entry.object);
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
      if (dependent !== undefined) found.push(dependent);
    }
    return found.sort(bySeq);
  }

  /**
   * Whether the owner `ref` of a dependent in `namespace` exists. A tracked owner does. An
   * Event is not tracked unless it has owners itself, so an Event owner that is not tracked
   * is looked up live, the way upstream's attemptToDeleteItem checks an owner absent from
   * its graph: GET by kind and name in the dependent's namespace, dangling when NotFound or
   * when the uid differs (k8s.io/kubernetes pkg/controller/garbagecollector/garbagecollector.go
   * isDangling, v1.14 through v1.30). Any other untracked owner is gone: the collector
   * sees every write of every other kind.
   */
  #ownerExists(ref: OwnerReference, namespace: string | undefined): boolean {
    return this.#ownerObject(ref, namespace) !== undefined;
  }

  /** The owner `ref` names, as {@link GarbageCollector#ownerExists} finds it, or undefined. */
  #ownerObject(ref: OwnerReference, namespace: string | undefined): KubeObject | undefined {
    const owner = this.#objects.get(ref.uid);
    if (owner !== undefined) return owner.object;
    if (ref.kind !== 'Event') return undefined;
    const live = this.#client.get('Event', ref.name, namespace);
    return E.isRight(live) && live.right.metadata?.uid === ref.uid ? live.right : undefined;
  }

  /**
   * `added`: the watch says the object was created. The server gives every created object
   * a fresh uid, so the collector cannot know it: the lookup (a miss in a map of every
   * object and Event of the cluster, most writes being Event creations) is skipped.
   */
  #onUpsert(kind: Kind, object: KubeObject, added: boolean): void {
    const uid = uidOf(object);
    const seq = ++this.#seq;
    const entry = added ? undefined : this.#objectsByKind.get(kind)?.get(uid);
    const owners = ownersOf(object);
    // Indexed loops: this runs for every write of the cluster, and for-of over the owner
    // lists allocated an iterator result per step here (issue 8).
    if (entry === undefined) {
      // An untracked Event is ownerless, so it had no owners to unindex.
      if (kind !== 'Event' || owners.length > 0) {
        const tracked = new Tracked(object, seq);
        this.#objects.set(uid, tracked);
        let ofKind = this.#objectsByKind.get(kind);
        if (ofKind === undefined) this.#objectsByKind.set(kind, (ofKind = new Map<string, Tracked>()));
        ofKind.set(uid, tracked);
        for (let i = 0; i < owners.length; i++) this.#addDependent(owners[i]!.uid, uid);
      }
    } else {
      // Most writes keep the owners (often the very array): the index stays as it is.
      const previous = ownersOf(entry.object);
      if (!sameOwners(previous, owners)) {
        for (let i = 0; i < previous.length; i++) this.#dependents.get(previous[i]!.uid)?.delete(uid);
        for (let i = 0; i < owners.length; i++) this.#addDependent(owners[i]!.uid, uid);
      }
      // A record stays one, even an Event's that lost its owners (lists being walked hold it).
      entry.object = object;
      entry.seq = seq;
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
    // Found among its kind's records (both maps hold the same ones): an expiring Event, most
    // removals of a run (~970,000 within three minutes at 5,000 nodes), is ownerless and so
    // in no map, and its kind has few records or none, where the map of every tracked
    // object missed (issue 8).
    if (this.#objectsByKind.get(kindOf(object))?.delete(uid)) this.#objects.delete(uid);
    const owners = ownersOf(object);
    for (let i = 0; i < owners.length; i++) {
      const ref = owners[i]!;
      this.#dependents.get(ref.uid)?.delete(uid);
      const ownerObject = this.#ownerObject(ref, object.metadata?.namespace);
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
    const namespace = object.metadata?.namespace;
    if (owners.some((ref) => this.#ownerExists(ref, namespace))) return;
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

  /**
   * Deletes what a terminating namespace holds; once empty, lets it go. The tracked objects
   * first, in the order the collector first saw them; then the namespace's Events, which
   * are not tracked unless they have owners, listed from the API server in its order
   * (namespace, then name). Upstream's namespace controller also empties a namespace one
   * resource type at a time, by list and deletecollection (k8s.io/kubernetes
   * pkg/controller/namespace/deletion/namespaced_resources_deleter.go deleteAllContent and
   * deleteCollection, v1.14 through v1.30), so a namespace's Events go together rather than
   * interleaved with the objects they were created among.
   */
  #emptyNamespace(ns: KubeObject): void {
    const name = ns.metadata?.name ?? '';
    // Deleting an Event of the namespace calls back here (its DELETED event): the loop
    // below deletes the rest, and checks for emptiness after it.
    if (this.#emptyingEvents.has(name)) return;
    const inside: Tracked[] = [];
    for (const entry of this.#objects.values()) {
      const object = entry.object;
      if (resources[kindOf(object)].namespaced && object.metadata?.namespace === name) inside.push(entry);
    }
    for (const entry of inside) {
      // Read when used: the record is updated in place, so a delete sees what the deletes
      // before it changed (synchronous watch delivery).
      const object = entry.object;
      if (!object.metadata?.deletionTimestamp) this.#delete(object);
    }
    this.#emptyingEvents.add(name);
    try {
      for (const event of this.#eventsIn(name)) {
        // Tracked ones (Events with owners) were deleted above with the other objects.
        if (!event.metadata?.deletionTimestamp && !this.#objects.has(uidOf(event))) this.#delete(event);
      }
    } finally {
      this.#emptyingEvents.delete(name);
    }
    if (inside.every((e) => !this.#objects.has(uidOf(e.object))) && this.#eventsIn(name).length === 0) {
      const current = this.#client.get('Namespace', name);
      if (E.isRight(current) && (current.right.spec?.finalizers ?? []).length > 0) {
        this.#client.update('Namespace', { ...current.right, spec: { ...current.right.spec, finalizers: [] } });
      }
    }
  }

  /** The Events of namespace `name` as the API server lists them now (none if it cannot). */
  #eventsIn(name: string): readonly KubeObject[] {
    const listed = this.#client.list('Event', { namespace: name });
    return E.isRight(listed) ? listed.right.items : NO_OBJECTS;
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
