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
 * What the collector knows of one object. Updated in place on every write (the Map keeps
 * its entry and its place), so a write of an existing object allocates nothing here.
 */
interface Node {
  readonly kind: Kind;
  object: KubeObject;
  /**
   * When the object was last written, in the collector's own count: dependents are visited
   * in the order of their last writes (see GarbageCollector#dependentsOf).
   */
  seq: number;
}

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

/** Orders nodes by their last write. */
const bySeq = (a: Node, b: Node): number => a.seq - b.seq;

/**
 * Watches every kind from the control plane and deletes what deletion leaves behind.
 * Dependents are deleted as soon as their last owner is gone (upstream does it within
 * milliseconds to seconds; failsim does it in the same virtual instant).
 */
export class GarbageCollector {
  readonly #client: ApiClient;
  readonly #objects = new Map<string, Node>();
  /** Owner uid → uids of its dependents (unordered: #dependentsOf orders them). */
  readonly #dependents = new Map<string, Set<string>>();
  readonly #namespaces = new Map<string, Node>();
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
      if (event.type === 'DELETED') this.#onRemoved({ kind, object, seq: 0 });
      else this.#onUpsert(kind, object, event.type === 'ADDED');
    });
    // Dependents whose owners were all gone before we started.
    for (const node of [...this.#objects.values()]) this.#collectIfOrphaned(node);
    return subscription;
  }

  /**
   * The objects that name `uid` as an owner, in the order of their last writes: the order
   * the index had when every write moved its object to the end of its owners' sets, which
   * cost two set operations per owner on every write of every dependent.
   */
  #dependentsOf(uid: string): Node[] {
    const out: Node[] = [];
    for (const dependentUid of this.#dependents.get(uid) ?? NO_UIDS) {
      const dependent = this.#objects.get(dependentUid);
      if (dependent) out.push(dependent);
    }
    return out.sort(bySeq);
  }

  /**
   * `added`: the watch says the object was created. The server gives every created object
   * a fresh uid, so the collector cannot know it: the lookup (a miss in a map of every
   * object and Event of the cluster, most writes being Event creations) is skipped.
   */
  #onUpsert(kind: Kind, object: KubeObject, added: boolean): void {
    const uid = uidOf(object);
    const seq = ++this.#seq;
    let node = added ? undefined : this.#objects.get(uid);
    const owners = ownersOf(object);
    if (node === undefined) {
      this.#objects.set(uid, (node = { kind, object, seq }));
      for (const ref of owners) this.#addDependent(ref.uid, uid);
    } else {
      // Most writes keep the owners (often the very array): the index stays as it is.
      const previous = ownersOf(node.object);
      if (!sameOwners(previous, owners)) {
        for (const ref of previous) this.#dependents.get(ref.uid)?.delete(uid);
        for (const ref of owners) this.#addDependent(ref.uid, uid);
      }
      node.object = object;
      node.seq = seq;
    }
    if (kind === 'Namespace') this.#namespaces.set(object.metadata?.name ?? '', node);
    const meta = object.metadata;
    if (!meta?.deletionTimestamp) return;
    if (meta.finalizers?.includes('orphan')) this.#orphanDependents(node);
    else if (meta.finalizers?.includes('foregroundDeletion')) this.#deleteForeground(node);
    if (kind === 'Namespace') this.#emptyNamespace(node);
  }

  #addDependent(ownerUid: string, uid: string): void {
    let set = this.#dependents.get(ownerUid);
    if (!set) this.#dependents.set(ownerUid, (set = new Set()));
    set.add(uid);
  }

  #onRemoved(node: Node): void {
    const uid = uidOf(node.object);
    this.#objects.delete(uid);
    for (const ref of ownersOf(node.object)) {
      this.#dependents.get(ref.uid)?.delete(uid);
      const owner = this.#objects.get(ref.uid);
      if (owner?.object.metadata?.finalizers?.includes('foregroundDeletion')) this.#deleteForeground(owner);
    }
    for (const dependent of this.#dependentsOf(uid)) this.#collectIfOrphaned(dependent);
    this.#dependents.delete(uid);
    if (node.kind === 'Namespace') this.#namespaces.delete(node.object.metadata?.name ?? '');
    const namespace = node.object.metadata?.namespace;
    const ns = namespace ? this.#namespaces.get(namespace) : undefined;
    if (ns?.object.metadata?.deletionTimestamp) this.#emptyNamespace(ns);
  }

  /** A dependent none of whose owners exist any more is deleted (background propagation). */
  #collectIfOrphaned(node: Node): void {
    const owners = ownersOf(node.object);
    if (owners.length === 0 || node.object.metadata?.deletionTimestamp) return;
    if (owners.some((ref) => this.#objects.has(ref.uid))) return;
    this.#delete(node);
  }

  #orphanDependents(owner: Node): void {
    const uid = uidOf(owner.object);
    for (const dependent of this.#dependentsOf(uid)) {
      const meta = dependent.object.metadata ?? {};
      const ownerReferences = ownersOf(dependent.object).filter((ref) => ref.uid !== uid);
      this.#client.patch(dependent.kind, meta.name ?? '', { metadata: { ownerReferences: ownerReferences.length ? ownerReferences : null } }, {
        type: 'merge',
        namespace: meta.namespace,
      });
    }
    this.#removeFinalizer(owner, 'orphan');
  }

  #deleteForeground(owner: Node): void {
    const uid = uidOf(owner.object);
    const remaining = this.#dependentsOf(uid);
    for (const dependent of remaining) if (!dependent.object.metadata?.deletionTimestamp) this.#delete(dependent);
    if (remaining.every((d) => !this.#objects.has(uidOf(d.object)))) this.#removeFinalizer(owner, 'foregroundDeletion');
  }

  /** Deletes what a terminating namespace holds; once empty, lets it go. */
  #emptyNamespace(ns: Node): void {
    const name = ns.object.metadata?.name ?? '';
    const inside = [...this.#objects.values()].filter((n) => resources[n.kind].namespaced && n.object.metadata?.namespace === name);
    for (const node of inside) if (!node.object.metadata?.deletionTimestamp) this.#delete(node);
    if (inside.every((n) => !this.#objects.has(uidOf(n.object)))) {
      const current = this.#client.get('Namespace', name);
      if (E.isRight(current) && (current.right.spec?.finalizers ?? []).length > 0) {
        this.#client.update('Namespace', { ...current.right, spec: { ...current.right.spec, finalizers: [] } });
      }
    }
  }

  #delete(node: Node): void {
    const meta: ObjectMeta = node.object.metadata ?? {};
    this.#client.delete(node.kind, meta.name ?? '', { namespace: meta.namespace, preconditions: { uid: meta.uid } });
  }

  #removeFinalizer(node: Node, finalizer: string): void {
    const meta = node.object.metadata ?? {};
    const current = this.#client.get(node.kind, meta.name ?? '', meta.namespace);
    if (E.isLeft(current) || current.right.metadata?.uid !== meta.uid) return;
    const finalizers = (current.right.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    this.#client.update(node.kind, { ...current.right, metadata: { ...current.right.metadata, finalizers } });
  }
}
