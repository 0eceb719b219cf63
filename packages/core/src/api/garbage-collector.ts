// The garbage collector and namespace cleanup of kube-controller-manager, reduced to what
// deletion semantics need: background cascading through ownerReferences, the "orphan" and
// "foregroundDeletion" finalizers (k8s.io/kubernetes pkg/controller/garbagecollector), and
// emptying a terminating namespace before it goes (pkg/controller/namespace).
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ApiClient } from './client.js';
import { isKind, resources, type Kind, type KubeObject } from './resources.js';

interface Node {
  kind: Kind;
  object: KubeObject;
}

const uidOf = (obj: KubeObject): string => obj.metadata?.uid ?? '';
const ownersOf = (obj: KubeObject): readonly OwnerReference[] => obj.metadata?.ownerReferences ?? [];

/**
 * Watches every kind from the control plane and deletes what deletion leaves behind.
 * Dependents are deleted as soon as their last owner is gone (upstream does it within
 * milliseconds to seconds; failsim does it in the same virtual instant).
 */
export class GarbageCollector {
  readonly #client: ApiClient;
  readonly #objects = new Map<string, Node>();
  readonly #dependents = new Map<string, Set<string>>();
  readonly #namespaces = new Map<string, Node>();

  constructor(client: ApiClient) {
    this.#client = client;
  }

  /** Starts watching; returns the subscription that stops it. */
  start(): Subscription {
    const subscription = this.#client.watchAll().subscribe((event) => {
      if (!event.object.kind || !isKind(event.object.kind)) return;
      const node: Node = { kind: event.object.kind, object: event.object };
      if (event.type === 'DELETED') this.#onRemoved(node);
      else this.#onUpsert(node);
    });
    // Dependents whose owners were all gone before we started.
    for (const node of [...this.#objects.values()]) this.#collectIfOrphaned(node);
    return subscription;
  }

  #onUpsert(node: Node): void {
    const uid = uidOf(node.object);
    const previous = this.#objects.get(uid);
    if (previous) for (const ref of ownersOf(previous.object)) this.#dependents.get(ref.uid)?.delete(uid);
    this.#objects.set(uid, node);
    if (node.kind === 'Namespace') this.#namespaces.set(node.object.metadata?.name ?? '', node);
    for (const ref of ownersOf(node.object)) {
      let set = this.#dependents.get(ref.uid);
      if (!set) this.#dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
    const meta = node.object.metadata ?? {};
    if (!meta.deletionTimestamp) return;
    if (meta.finalizers?.includes('orphan')) this.#orphanDependents(node);
    else if (meta.finalizers?.includes('foregroundDeletion')) this.#deleteForeground(node);
    if (node.kind === 'Namespace') this.#emptyNamespace(node);
  }

  #onRemoved(node: Node): void {
    const uid = uidOf(node.object);
    this.#objects.delete(uid);
    for (const ref of ownersOf(node.object)) {
      this.#dependents.get(ref.uid)?.delete(uid);
      const owner = this.#objects.get(ref.uid);
      if (owner?.object.metadata?.finalizers?.includes('foregroundDeletion')) this.#deleteForeground(owner);
    }
    for (const dependentUid of [...(this.#dependents.get(uid) ?? [])]) {
      const dependent = this.#objects.get(dependentUid);
      if (dependent) this.#collectIfOrphaned(dependent);
    }
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
    for (const dependentUid of [...(this.#dependents.get(uid) ?? [])]) {
      const dependent = this.#objects.get(dependentUid);
      if (!dependent) continue;
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
    const remaining = [...(this.#dependents.get(uid) ?? [])].map((d) => this.#objects.get(d)).filter((d): d is Node => d !== undefined);
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
