// The garbage collector and namespace cleanup of kube-controller-manager, reduced to what
// deletion semantics need: background cascading through ownerReferences, the "orphan" and
// "foregroundDeletion" finalizers (k8s.io/kubernetes pkg/controller/garbagecollector), and
// emptying a terminating namespace before it goes (pkg/controller/namespace).
import * as E from 'fp-ts/lib/Either.js';
import { Subscription } from 'rxjs';
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ApiClient } from './client.js';
import { isKind, resources, type Kind, type KubeObject } from './resources.js';
import type { WatchEvent } from './watch.js';
import { watchSink } from './watch-sink.js';

/**
 * What the collector knows of an object: the object as last written (its resourceVersion
 * orders dependents by their last writes, see GarbageCollector#dependentsOf) and when the
 * collector first saw it. Updated in place on every write, so a write of an existing object
 * allocates nothing here.
 *
 * Events have no records: upstream's collector ignores them (the controller manager's
 * --gc-ignored-resources default is garbagecollector.DefaultIgnoredResources(), events
 * alone; graph_builder.go starts no monitor for an ignored resource, v1.14 through v1.30),
 * so an Event is never collected through its ownerReferences, and an Event deleted with
 * Foreground or Orphan propagation keeps the finalizer the API server gave it until its
 * --event-ttl removes it. What the collector still needs of Events is asked of the API
 * server: whether an Event named as an owner exists (#ownerExists) and a terminating
 * namespace's Events (#emptyNamespace). Events are also most of the objects of a run
 * (~230 live per node for the hour of --event-ttl, ~1 M at 5,000 nodes).
 */
class Tracked {
  /**
   * Where the record is in the dependents list of its first owner (-1: none), so taking it
   * out of that list is O(1): a ReplicaSet of 100,000 pods would otherwise scan its list
   * for every pod removed. Other owners' lists (a second owner is rare) are scanned.
   */
  at = -1;

  constructor(
    public object: KubeObject,
    /** The collector's count when it first saw the object: the order a namespace is emptied in. */
    readonly first: number,
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

const NO_OBJECTS: readonly KubeObject[] = Object.freeze([]);

/** The resourceVersion of the write that made `entry.object` (the record's last write). */
const lastWrite = (entry: Tracked): number => Number(entry.object.metadata?.resourceVersion);
/**
 * Orders dependents by their last write. The API server delivers changes one at a time in
 * commit order (ApiServer's watch delivery), so the resourceVersions of the objects the
 * collector last saw order them as its own count of writes would, without keeping that
 * count in every record (8 bytes a tracked object, issue 8).
 */
const byLastWrite = (a: Tracked, b: Tracked): number => lastWrite(a) - lastWrite(b);
/** Orders records by when the collector first saw them. */
const byFirst = (a: Tracked, b: Tracked): number => a.first - b.first;

/**
 * Watches every kind from the control plane and deletes what deletion leaves behind.
 * Dependents are deleted as soon as their last owner is gone (upstream does it within
 * milliseconds to seconds; failsim does it in the same virtual instant).
 */
export class GarbageCollector {
  readonly #client: ApiClient;
  /**
   * The records by kind, then uid: the only index of them (issue 8: a second map of every
   * record by uid alone cost ~50 bytes a tracked object). By kind for the lookup every
   * update of a tracked object makes: most updates of a settled cluster are Lease renewals
   * and Node status, whose uids are found among a few thousand entries rather than in a map
   * of every Pod and claim of the cluster (a miss-prone probe, 4% of a settled
   * minute at 2,000 nodes). A uid names one object, of one kind.
   */
  readonly #objectsByKind = new Map<string, Map<string, Tracked>>();
  /**
   * Owner uid → the records of its dependents (unordered: #dependentsOf orders them). An
   * array rather than a Set: 8 bytes a dependent rather than ~30, and the order is not kept
   * anyway; a removal scans its owner's list, which is short but for DaemonSets (a pod per node).
   */
  readonly #dependents = new Map<string, Tracked[]>();
  /** Namespace name → the Namespace object as last seen. */
  readonly #namespaces = new Map<string, KubeObject>();
  #seq = 0;
  /**
   * The uids of Events some dependent names as its owner (those of #dependents' keys named
   * with kind Event), so that the removal of an Event reads its uid only when one is.
   */
  readonly #eventOwners = new Set<string>();
  /** Namespaces whose Events #emptyNamespace is deleting. */
  readonly #emptyingEvents = new Set<string>();

  constructor(client: ApiClient) {
    this.#client = client;
  }

  /**
   * Starts watching; returns the subscription that stops it. The watch of every kind is
   * taken through the server's sink form (ApiServer.watchTo, as ApiClient.watchAll's
   * Observable does) rather than subscribing that Observable (issue 8): every change of the
   * cluster reached the collector through RxJS's three Subscriber calls, ~1.6-1.8% of the
   * workload minute at 1,000 nodes inclusive. The sink behaves as the RxJS subscriber of a
   * `next` callback did: an exception of the handler is reported as RxJS reports it and
   * delivery goes on; the watch's error is reported as unhandled (no error callback) and
   * ends the subscription; nothing is taken once it has ended.
   */
  start(): Subscription {
    const subscription = new Subscription();
    const sink = watchSink((event) => this.#onEvent(event), { subscription });
    // Added to a subscription the watch already ended (an error while it started), the
    // stop runs at once, as RxJS runs a teardown returned after its subscriber closed.
    subscription.add(this.#client.server.watchTo(this.#client, undefined, {}, sink));
    // Dependents whose owners were all gone before we started.
    for (const entry of this.#records()) this.#collectIfOrphaned(entry.object);
    return subscription;
  }

  /** One change of any kind, as the watch delivers it. */
  #onEvent(event: WatchEvent): void {
    const object = event.object;
    const kind = object.kind;
    if (!kind || !isKind(kind)) return;
    if (kind === 'Event') {
      // Not tracked (see Tracked); most writes of a run are Event creations and expiries.
      if (event.type === 'DELETED') this.#onEventRemoved(object);
      return;
    }
    if (event.type === 'DELETED') this.#onRemoved(object);
    else this.#onUpsert(kind, object, event.type === 'ADDED');
  }

  /**
   * An Event went. Upstream's collector learns it only for an Event it holds as a virtual
   * node, an owner some dependent names: attemptToDelete polls such a node's existence until
   * a GET finds it gone and then visits its dependents (garbagecollector.go
   * attemptToDeleteItem, enqueueVirtualDeleteEvent); failsim visits them at once, as for any
   * owner. Its namespace may be waiting for it to go (#emptyNamespace).
   */
  #onEventRemoved(event: KubeObject): void {
    // Read the uid only when some dependent names an Event: an expiring Event's uid is
    // formatted on demand by the Event store (~1 M Events expire within three minutes at
    // 5,000 nodes).
    if (this.#eventOwners.size > 0) {
      const uid = uidOf(event);
      if (this.#eventOwners.delete(uid)) this.#collectDependentsOf(uid);
    }
    this.#recheckNamespaceOf(event);
  }

  /** Every record, in the order the collector first saw the objects. */
  #records(): Tracked[] {
    const all: Tracked[] = [];
    for (const ofKind of this.#objectsByKind.values()) for (const entry of ofKind.values()) all.push(entry);
    return all.sort(byFirst);
  }

  /** The record of the object with `uid`, of kind `kind` if known, else of any kind. */
  #record(uid: string, kind: string | undefined): Tracked | undefined {
    const found = kind === undefined ? undefined : this.#objectsByKind.get(kind)?.get(uid);
    if (found !== undefined) return found;
    // An owner reference names its owner's kind, but the collector's graph is by uid (as
    // upstream's uidToNode): a reference with another kind still finds its object.
    for (const [k, ofKind] of this.#objectsByKind) {
      if (k === kind) continue;
      const entry = ofKind.get(uid);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  /** Whether `object` has a record (a uid names one object, so its kind's map has it if any does). */
  #isTracked(object: KubeObject): boolean {
    return this.#objectsByKind.get(kindOf(object))?.has(uidOf(object)) === true;
  }

  /**
   * The objects that name `uid` as an owner, in the order of their last writes: the order
   * the index had when every write moved its object to the end of its owners' sets, which
   * cost two set operations per owner on every write of every dependent.
   */
  #dependentsOf(uid: string): Tracked[] {
    // A record is in its owners' lists only while it is tracked and names them.
    const dependents = this.#dependents.get(uid);
    return dependents === undefined ? [] : dependents.slice().sort(byLastWrite);
  }

  /**
   * Whether the owner `ref` of a dependent in `namespace` exists. A tracked owner does.
   * Events are not tracked, so an Event owner is looked up live, the way upstream's attemptToDeleteItem checks an owner absent from
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
    const owner = this.#record(ref.uid, ref.kind);
    if (owner !== undefined) return owner.object;
    if (ref.kind !== 'Event') return undefined;
    const live = this.#client.get('Event', ref.name, namespace);
    return E.isRight(live) && live.right.metadata?.uid === ref.uid ? live.right : undefined;
  }

  /**
   * `added`: the watch says the object was created. The server gives every created object
   * a fresh uid, so the collector cannot know it: the lookup (a miss in a map of every
   * object of its kind) is skipped.
   */
  #onUpsert(kind: Kind, object: KubeObject, added: boolean): void {
    const uid = uidOf(object);
    const seq = ++this.#seq;
    const entry = added ? undefined : this.#objectsByKind.get(kind)?.get(uid);
    const owners = ownersOf(object);
    // Indexed loops: this runs for every write of the cluster, and for-of over the owner
    // lists allocated an iterator result per step here (issue 8).
    if (entry === undefined) {
      const tracked = new Tracked(object, seq);
      let ofKind = this.#objectsByKind.get(kind);
      if (ofKind === undefined) this.#objectsByKind.set(kind, (ofKind = new Map<string, Tracked>()));
      ofKind.set(uid, tracked);
      this.#addDependent(owners, tracked);
    } else {
      // Most writes keep the owners (often the very array): the index stays as it is.
      const previous = ownersOf(entry.object);
      if (!sameOwners(previous, owners)) {
        this.#removeDependent(previous, entry);
        this.#addDependent(owners, entry);
      }
      entry.object = object;
    }
    if (kind === 'Namespace') this.#namespaces.set(object.metadata?.name ?? '', object);
    const meta = object.metadata;
    if (!meta?.deletionTimestamp) return;
    if (meta.finalizers?.includes('orphan')) this.#orphanDependents(object);
    else if (meta.finalizers?.includes('foregroundDeletion')) this.#deleteForeground(object);
    if (kind === 'Namespace') this.#emptyNamespace(object);
  }

  /**
   * Lists `tracked`, which is in no list yet, among the dependents of each of `owners`: once
   * per owner uid, as a set would, when a list names an owner twice.
   */
  #addDependent(owners: readonly OwnerReference[], tracked: Tracked): void {
    outer: for (let i = 0; i < owners.length; i++) {
      const ownerUid = owners[i]!.uid;
      for (let j = 0; j < i; j++) if (owners[j]!.uid === ownerUid) continue outer;
      let list = this.#dependents.get(ownerUid);
      if (list === undefined) this.#dependents.set(ownerUid, (list = []));
      if (owners[i]!.kind === 'Event') this.#eventOwners.add(ownerUid);
      if (i === 0) tracked.at = list.length;
      list.push(tracked);
    }
  }

  /** Takes `tracked` out of the dependents of each of `owners` (those it was listed under). */
  #removeDependent(owners: readonly OwnerReference[], tracked: Tracked): void {
    for (let i = 0; i < owners.length; i++) {
      const ownerUid = owners[i]!.uid;
      const list = this.#dependents.get(ownerUid);
      if (list === undefined) continue;
      // The first owner's place is known; a scan finds the others (and would a stale place).
      let at = i === 0 ? tracked.at : -1;
      if (at < 0 || list[at] !== tracked) at = list.indexOf(tracked);
      if (at < 0) continue;
      // Swapped with the last: the order is the records' last writes, not the list's.
      const last = list.pop()!;
      if (last !== tracked) {
        list[at] = last;
        // The moved record's `at` is its place in its first owner's list: this one, or another.
        // It was this list's last place when this is its first owner's list; without reading
        // its object's owners (four loads a removal, 0.6% of the node-deletion minute). When
        // its first owner's list is another and its place there happens to be the same
        // number, `at` goes stale: a later removal finds it by scan, in the same place.
        if (last.at === list.length) last.at = at;
      }
      if (i === 0) tracked.at = -1;
      // An empty list is dropped: its owner's removal would have found no dependents in it.
      if (list.length === 0) {
        this.#dependents.delete(ownerUid);
        this.#eventOwners.delete(ownerUid);
      }
    }
  }

  /** `object`: the deleted object, as the DELETED event carries it. */
  #onRemoved(object: KubeObject): void {
    const uid = uidOf(object);
    const ofKind = this.#objectsByKind.get(kindOf(object));
    const entry = ofKind?.get(uid);
    if (entry !== undefined) {
      ofKind!.delete(uid);
      // Out of the lists of the owners it was indexed under (those of its last write).
      this.#removeDependent(ownersOf(entry.object), entry);
    }
    const owners = ownersOf(object);
    for (let i = 0; i < owners.length; i++) {
      const ref = owners[i]!;
      // An Event owner's foregroundDeletion is never processed upstream: the collector holds
      // it only as a virtual node, which is never "deleting dependents" (see Tracked).
      if (ref.kind === 'Event') continue;
      const ownerObject = this.#ownerObject(ref, object.metadata?.namespace);
      if (ownerObject?.metadata?.finalizers?.includes('foregroundDeletion')) this.#deleteForeground(ownerObject);
    }
    this.#collectDependentsOf(uid);
    if (kindOf(object) === 'Namespace') this.#namespaces.delete(object.metadata?.name ?? '');
    this.#recheckNamespaceOf(object);
  }

  /** The dependents of an owner that went are collected if no other owner of theirs exists. */
  #collectDependentsOf(uid: string): void {
    // Most removed objects own nothing: no list to build and sort.
    if (!this.#dependents.has(uid)) return;
    for (const dependent of this.#dependentsOf(uid)) this.#collectIfOrphaned(dependent.object);
    this.#dependents.delete(uid);
    this.#eventOwners.delete(uid);
  }

  /** A terminating namespace whose object went may now be empty. */
  #recheckNamespaceOf(object: KubeObject): void {
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
    if (remaining.every((d) => !this.#isTracked(d.object))) this.#removeFinalizer(owner, 'foregroundDeletion');
  }

  /**
   * Deletes what a terminating namespace holds; once empty, lets it go. The tracked objects
   * first, in the order the collector first saw them; then the namespace's Events, which
   * are not tracked, listed from the API server in its order
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
    for (const [kind, ofKind] of this.#objectsByKind) {
      if (!resources[kind as Kind].namespaced) continue;
      for (const entry of ofKind.values()) if (entry.object.metadata?.namespace === name) inside.push(entry);
    }
    inside.sort(byFirst);
    for (const entry of inside) {
      // Read when used: the record is updated in place, so a delete sees what the deletes
      // before it changed (synchronous watch delivery).
      const object = entry.object;
      if (!object.metadata?.deletionTimestamp) this.#delete(object);
    }
    this.#emptyingEvents.add(name);
    try {
      for (const event of this.#eventsIn(name)) if (!event.metadata?.deletionTimestamp) this.#delete(event);
    } finally {
      this.#emptyingEvents.delete(name);
    }
    if (inside.every((e) => !this.#isTracked(e.object)) && this.#eventsIn(name).length === 0) {
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
