// What the workload controllers share, as upstream's pkg/controller/controller_utils.go
// (GetPodFromTemplate, ComputeHash, the generated-name suffix, ActivePods ordering) and
// pkg/controller/controller_ref_manager.go (claiming orphans) — Kubernetes 1.28 unless a
// comment says otherwise. Upstream's controllers find their children through the shared
// informer's cache; here an {@link OwnerIndex} keeps them by owner uid so a reconcile costs
// what its owner has, not what the cluster has — one index of the shared Pod informer
// ({@link IndexedInformer}) for all the workload controllers, as they share the informer.
import * as E from 'fp-ts/lib/Either.js';
import type { PodTemplateSpec, Pod } from 'kubernetes-types/core/v1.js';
import type { LabelSelector, ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';
import { Observable, type Observer, type Subscription } from 'rxjs';
import { labelSelectorFromObject, type ApiClient, type Informer, type InformerEvent, type KubeObject, type LabelMatcher, type SeededRandom } from '@failsim/core';
import { controllerOf, isPodReady, keyOf } from '../runtime/pod-util.js';

/** Label the Deployment controller puts on its ReplicaSets and their pods (DefaultDeploymentUniqueLabelKey). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** Label StatefulSet and DaemonSet pods carry with their revision (ControllerRevisionHashLabelKey). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
/** Label naming a StatefulSet pod (StatefulSetPodNameLabel, since 1.9). */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

/** The alphabet of upstream's generated names (k8s.io/apimachinery pkg/util/rand: no vowels, no 0/1/3). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters of {@link NAME_ALPHABET}, as the API server appends to a generateName. */
export const randomSuffix = (random: SeededRandom): string => {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[random.int(0, NAME_ALPHABET.length)];
  return suffix;
};

/**
 * rand.SafeEncodeString: each character of `text` mapped onto {@link NAME_ALPHABET}, so
 * hashes never spell words and never look like numbers.
 */
export const safeEncodeString = (text: string): string => {
  let out = '';
  for (let i = 0; i < text.length; i++) out += NAME_ALPHABET[text.charCodeAt(i) % NAME_ALPHABET.length];
  return out;
};

/**
 * JSON with object keys sorted, so equal objects always give the same text: appended to
 * one string as it walks (a template is hashed once per stored object, but a library run
 * stores new ones each run), keys in UTF-16 order as `<` compares them, undefined members
 * left out, and what JSON cannot write (undefined, a function) written as `null`.
 */
const canonicalJson = (value: unknown): string => appendCanonical('', value);

const appendCanonical = (out: string, value: unknown): string => {
  if (value === null || typeof value !== 'object') return out + (JSON.stringify(value) ?? 'null');
  if (Array.isArray(value)) {
    out += '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole is written as nothing, as join() writes the hole map() leaves.
      if (i in value) out = appendCanonical(out, value[i]);
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  // Object.keys' strings sorted by the default order: UTF-16 code units, as `<` compares.
  const keys = Object.keys(record).sort();
  out += '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += first ? JSON.stringify(key) : `,${JSON.stringify(key)}`;
    first = false;
    out = appendCanonical(out + ':', member);
  }
  return out + '}';
};

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text` (hash/fnv New32a). */
const fnv32a = (text: string): number => {
  let hash = 0x811c9dc5;
  // Templates are ASCII, whose UTF-8 bytes are the char codes: no encoded copy for them.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return fnv32aBytes(hash, new TextEncoder().encode(text.slice(i)));
    hash = Math.imul(hash ^ code, 0x01000193) >>> 0;
  }
  return hash >>> 0;
};

/** FNV-1a of `bytes`, from `hash`. */
const fnv32aBytes = (hash: number, bytes: Uint8Array): number => {
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash >>> 0;
};

/**
 * A stable hash of a pod template, as ComputeHash gives the pod-template-hash: FNV-1a of
 * the template (plus the collision count, when there is one), printed in decimal and
 * safe-encoded — up to 10 characters. Upstream hashes Go's spew dump of the struct; failsim
 * hashes canonical JSON, so values differ from a real cluster's but are just as stable.
 *
 * @example computeHash({ metadata: { labels: { app: 'web' } }, spec }) // e.g. "5d4f8b7c69"
 */
export const computeHash = (template: unknown, collisionCount?: number): string => {
  // Controllers hash their stored (deeply frozen) template on every sync: a frozen object
  // never changes, so its hash is kept with it (per collision count).
  const cacheable = template !== null && typeof template === 'object' && Object.isFrozen(template);
  const count = collisionCount ?? -1;
  let byCount = cacheable ? templateHashes.get(template) : undefined;
  const known = byCount?.get(count);
  if (known !== undefined) return known;
  const hash = safeEncodeString(String(fnv32a(canonicalJson(template) + (collisionCount !== undefined ? `/${collisionCount}` : ''))));
  if (cacheable) {
    if (!byCount) templateHashes.set(template, (byCount = new Map<number, string>()));
    byCount.set(count, hash);
  }
  return hash;
};

/** {@link computeHash} results of frozen templates, by collision count (-1: none). */
const templateHashes = new WeakMap<object, Map<number, string>>();

/** The owner reference a controller puts on what it creates (controller=true, blockOwnerDeletion=true). */
export const controllerRef = (owner: KubeObject): OwnerReference => ({
  apiVersion: owner.apiVersion ?? 'apps/v1',
  kind: owner.kind ?? '',
  name: owner.metadata?.name ?? '',
  uid: owner.metadata?.uid ?? '',
  controller: true,
  blockOwnerDeletion: true,
});

/**
 * A new Pod from a template (GetPodFromTemplate): its labels, annotations and finalizers,
 * its spec, and the controller reference. The caller names it.
 */
export const podFromTemplate = (template: PodTemplateSpec | undefined, owner: KubeObject, name: string): Pod => {
  const meta: ObjectMeta = {
    name,
    namespace: owner.metadata?.namespace ?? 'default',
    labels: { ...template?.metadata?.labels },
    ownerReferences: [controllerRef(owner)],
  };
  if (template?.metadata?.annotations) meta.annotations = { ...template.metadata.annotations };
  if (template?.metadata?.finalizers) meta.finalizers = [...template.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { ...template?.spec, containers: template?.spec?.containers ?? [] } };
};

/** The compiled `spec.selector` of a workload; an invalid selector selects nothing. */
export const selectorOf = (selector: LabelSelector | undefined): LabelMatcher | undefined => {
  const compiled = labelSelectorFromObject(selector);
  return E.isRight(compiled) ? compiled.right : undefined;
};

/** One bucket of an {@link OwnerIndex}: children by name, in the order they were indexed. */
interface Bucket<T> {
  /** The namespace of the child that opened the bucket. */
  readonly namespace: string;
  readonly children: Map<string, T>;
}

/**
 * A child's key in `bucket`: its name, a string the object already holds (no
 * `namespace/name` built and hashed per event), when it shares the bucket's namespace —
 * always, for the children of one owner or the orphans of one namespace; `namespace/name`
 * otherwise (an owner reference across namespaces), which no name can equal since names
 * hold no `/`.
 */
const childKey = <T extends KubeObject>(bucket: Bucket<T>, obj: T): string => {
  const namespace = obj.metadata?.namespace ?? '';
  const name = obj.metadata?.name ?? '';
  return namespace === bucket.namespace ? name : `${namespace}/${name}`;
};

/**
 * Children of one kind grouped by the uid of their controller, plus the orphans (no
 * controller reference) by namespace, kept current from an informer's events. Lets a
 * reconcile read "the pods of ReplicaSet x" without scanning every pod.
 */
export class OwnerIndex<T extends KubeObject> {
  readonly #byOwner = new Map<string, Bucket<T>>();
  readonly #orphans = new Map<string, Bucket<T>>();

  /** Applies an informer event; call it before reacting to the event. */
  apply(event: InformerEvent<T>): void {
    const { old, object } = event;
    if (old && event.type !== 'DELETED') {
      // Most events change a child that keeps its controller (a status update): it is
      // moved to the end of the same bucket, as the remove and add below would, with one
      // key and one bucket lookup. Pods share their ownerReferences across versions.
      const before = controllerOf(old);
      const after = old.metadata?.ownerReferences === object.metadata?.ownerReferences ? before : controllerOf(object);
      const sameBucket = before && after ? before.uid === after.uid : !before && !after && old.metadata?.namespace === object.metadata?.namespace;
      if (sameBucket) {
        const map = after ? this.#byOwner : this.#orphans;
        const owner = after ? after.uid : (object.metadata?.namespace ?? '');
        let bucket = map.get(owner);
        if (!bucket) map.set(owner, (bucket = { namespace: object.metadata?.namespace ?? '', children: new Map<string, T>() }));
        const key = childKey(bucket, object);
        bucket.children.delete(key);
        bucket.children.set(key, object);
        return;
      }
    }
    if (old) this.#remove(old);
    if (event.type !== 'DELETED') this.#add(object);
  }

  /** The children whose controller has `uid`. */
  owned(uid: string | undefined): T[] {
    return [...this.ownedValues(uid)];
  }

  /**
   * The children whose controller has `uid`, as a live iterator over the index (in the
   * order they were indexed): for a reconcile that only walks them, without a copy.
   */
  ownedValues(uid: string | undefined): IterableIterator<T> {
    return (this.#byOwner.get(uid ?? '')?.children ?? NO_CHILDREN).values() as IterableIterator<T>;
  }

  /** Forgets everything. */
  clear(): void {
    this.#byOwner.clear();
    this.#orphans.clear();
  }

  /** The children of `namespace` that no controller owns. */
  orphans(namespace: string | undefined): T[] {
    return [...(this.#orphans.get(namespace ?? '')?.children.values() ?? [])];
  }

  #add(obj: T): void {
    const ref = controllerOf(obj);
    const map = ref ? this.#byOwner : this.#orphans;
    const owner = ref ? ref.uid : (obj.metadata?.namespace ?? '');
    let bucket = map.get(owner);
    if (!bucket) map.set(owner, (bucket = { namespace: obj.metadata?.namespace ?? '', children: new Map<string, T>() }));
    bucket.children.set(childKey(bucket, obj), obj);
  }

  #remove(obj: T): void {
    const ref = controllerOf(obj);
    const map = ref ? this.#byOwner : this.#orphans;
    const owner = ref ? ref.uid : (obj.metadata?.namespace ?? '');
    const bucket = map.get(owner);
    if (!bucket) return;
    bucket.children.delete(childKey(bucket, obj));
    if (bucket.children.size === 0) map.delete(owner);
  }
}

const NO_CHILDREN: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * The events of an {@link IndexedInformer} (issue 8): every subscription joins the index
 * (whose own subscription comes first) and is handed on to the informer's events$ as it
 * is, which tells a function or observer (called directly, without RxJS's three Subscriber
 * calls per event: ~1% of the workload minute at 1,000 nodes for these four handlers) from
 * a Subscriber (`pipe`, firstValueFrom) itself. Every handler thus sees an event after the
 * index and in the order the handlers subscribed; the informer's subscription ends the
 * handler, then leaves (on unsubscribe, and after the handler's error; added to a
 * subscription that already ended, the leave runs at once, as RxJS's teardown would).
 */
class IndexedEvents<E> extends Observable<E> {
  readonly #source: Observable<E>;
  readonly #join: () => void;
  readonly #leave: () => void;

  constructor(source: Observable<E>, join: () => void, leave: () => void) {
    super();
    this.#source = source;
    this.#join = join;
    this.#leave = leave;
  }

  override subscribe(
    observerOrNext?: Partial<Observer<E>> | ((value: E) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    this.#join();
    const subscription =
      error != null || complete != null
        ? this.#source.subscribe(observerOrNext as ((value: E) => void) | null | undefined, error, complete)
        : this.#source.subscribe(observerOrNext ?? undefined);
    subscription.add(this.#leave);
    return subscription;
  }
}

/**
 * An informer of one kind whose events arrive after an {@link OwnerIndex} of its cache has
 * taken them: the controllers that find children by owner (ReplicaSet, Deployment,
 * StatefulSet, DaemonSet) share one index of the shared Pod informer, as upstream's
 * controllers share the informer's indexers, instead of each keeping a copy.
 */
export class IndexedInformer<T extends KubeObject> {
  /** The index: current whenever a subscriber of {@link IndexedInformer.events$} sees an event. */
  readonly index = new OwnerIndex<T>();
  /**
   * The informer's events. The first subscriber starts the index's own subscription to the
   * informer (placed before it, so the index is ahead of every subscriber); when the last
   * leaves, the index stops and is cleared (a later subscriber rebuilds it from the
   * informer's replay). See IndexedEvents for how a handler is passed on.
   */
  readonly events$: Observable<InformerEvent<T>>;

  constructor(informer: { readonly events$: Observable<InformerEvent<T>> }) {
    let users = 0;
    let feed: Subscription | undefined;
    this.events$ = new IndexedEvents<InformerEvent<T>>(
      informer.events$,
      () => {
        if (users++ === 0) feed = informer.events$.subscribe((e) => this.index.apply(e));
      },
      () => {
        if (--users === 0) {
          feed?.unsubscribe();
          feed = undefined;
          this.index.clear();
        }
      },
    );
  }
}

const podIndexes = new WeakMap<Informer<'Pod'>, IndexedInformer<Pod>>();

/** The one {@link IndexedInformer} of a (shared) Pod informer, made on first use. */
export const indexedPods = (pods: Informer<'Pod'>): IndexedInformer<Pod> => {
  let indexed = podIndexes.get(pods);
  if (!indexed) podIndexes.set(pods, (indexed = new IndexedInformer<Pod>(pods)));
  return indexed;
};

/**
 * Adopts `orphan` for `owner` (ControllerRefManager.AdoptPod): adds the controller
 * reference with a patch that fails if the orphan changed meanwhile. Returns the adopted
 * object, or undefined if the API refused (someone else adopted it, it changed or went).
 */
export const adopt = <T extends KubeObject>(client: ApiClient, kind: 'Pod' | 'ReplicaSet', owner: KubeObject, orphan: T): T | undefined => {
  const patched = client.patch(
    kind,
    orphan.metadata?.name ?? '',
    {
      metadata: {
        resourceVersion: orphan.metadata?.resourceVersion,
        ownerReferences: [...(orphan.metadata?.ownerReferences ?? []), controllerRef(owner)],
      },
    },
    { type: 'merge', namespace: orphan.metadata?.namespace ?? 'default' },
  );
  return E.isRight(patched) ? (patched.right as unknown as T) : undefined;
};

/** Parses a metav1.Time; undefined for a missing or bad value. */
export const timeOf = (stamp: string | undefined | null): number | undefined => {
  if (!stamp) return undefined;
  const ms = Date.parse(stamp);
  return Number.isNaN(ms) ? undefined : ms;
};

/** The Ready condition's lastTransitionTime of a ready pod (podReadyTime), as epoch ms. */
export const podReadyTime = (pod: Pod): number | undefined =>
  isPodReady(pod) ? timeOf(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime) : undefined;

/**
 * Available = ready for at least `minReadySeconds` (podutil.IsPodAvailable). `nowEpochMs`
 * is the wall date of the simulation's now.
 */
export const isPodAvailable = (pod: Pod, minReadySeconds: number, nowEpochMs: number): boolean => {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 <= nowEpochMs;
};

/** afterOrZero as an order: a missing time first, then the later time first; 0 when equal. */
const laterOrZeroFirst = (a: number | undefined, b: number | undefined): number => {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return b - a;
};

const maxRestarts = (pod: Pod): number => Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount));
const PHASE_ORDER: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Upstream's ActivePods.Less: which of two pods a scale-down deletes first — unassigned
 * before assigned, Pending before Unknown before Running, not ready before ready, ready
 * for less time before more, more restarts before fewer, newer before older.
 * Returns a negative number when `a` goes first.
 */
export const compareForDeletion = (a: Pod, b: Pod): number => {
  const aNode = a.spec?.nodeName ?? '';
  const bNode = b.spec?.nodeName ?? '';
  if (aNode !== bNode && (aNode === '' || bNode === '')) return aNode === '' ? -1 : 1;
  const aPhase = PHASE_ORDER[a.status?.phase ?? ''] ?? 0;
  const bPhase = PHASE_ORDER[b.status?.phase ?? ''] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  if (isPodReady(a) && isPodReady(b)) {
    const order = laterOrZeroFirst(podReadyTime(a), podReadyTime(b));
    if (order !== 0) return order;
  }
  const ra = maxRestarts(a);
  const rb = maxRestarts(b);
  if (ra !== rb) return rb - ra;
  return laterOrZeroFirst(timeOf(a.metadata?.creationTimestamp), timeOf(b.metadata?.creationTimestamp));
};

/**
 * What upstream's ControllerExpectations guard against, reduced to one instant: the names
 * a controller created for an owner at the current virtual time. A reconcile that runs
 * again in the same instant counts them even if its cache has not seen them yet, so it
 * never creates twice. Older records are dropped: by then the informer has caught up.
 */
export class InstantCreations {
  #at = Number.NaN;
  readonly #byOwner = new Map<string, Set<string>>();

  constructor(private readonly now: () => number) {}

  /** Notes that `name` was created for `owner` now. */
  record(owner: string, name: string): void {
    this.#roll();
    let names = this.#byOwner.get(owner);
    if (!names) this.#byOwner.set(owner, (names = new Set()));
    names.add(name);
  }

  /** Names created for `owner` this instant that `seen` does not know yet. */
  unseen(owner: string, seen: (name: string) => boolean): string[] {
    this.#roll();
    return [...(this.#byOwner.get(owner) ?? [])].filter((name) => !seen(name));
  }

  #roll(): void {
    const now = this.now();
    if (now !== this.#at) {
      this.#at = now;
      this.#byOwner.clear();
    }
  }
}

/**
 * The keys of the owners of `kind` a pod event concerns, as upstream's addPod/updatePod/
 * deletePod handlers find them: for the pod before and after the change, its controlling
 * owner of that kind, or — for an orphan that still exists — every owner in its namespace
 * whose selector matches it (it may adopt the pod). The plain definition, which the
 * controllers' {@link enqueueOwnersOfPodEvent} must agree with (its spec compares them).
 */
export const ownerKeysForPodEvent = (
  event: InformerEvent<Pod>,
  kind: string,
  owners: () => readonly { metadata?: { namespace?: string; name?: string }; spec?: { selector?: LabelSelector } }[],
): string[] => {
  const keys: string[] = [];
  for (const pod of event.old ? [event.old, event.object] : [event.object]) {
    const ref = controllerOf(pod);
    if (ref) {
      if (ref.kind === kind) keys.push(`${pod.metadata?.namespace ?? 'default'}/${ref.name}`);
    } else if (event.type !== 'DELETED') {
      for (const owner of owners()) {
        if (owner.metadata?.namespace === pod.metadata?.namespace && selectorOf(owner.spec?.selector)?.matches(pod.metadata?.labels)) keys.push(keyOf(owner));
      }
    }
  }
  return keys;
};

/** The owners {@link enqueueOwnersOfPodEvent} may offer an orphan to. */
type PodOwners = () => readonly { metadata?: { namespace?: string; name?: string }; spec?: { selector?: LabelSelector } }[];

/** How many owners an {@link OwnerKeys} remembers before it starts over (a memo: forgetting costs only a rebuilt key). */
const OWNER_KEYS_MAX = 4096;

/**
 * The work-queue keys (`namespace/name`) of the owners pods name in their controller
 * reference, kept by owner uid: every Pod write asks for its owner's key, and one string
 * per owner replaces one per event. A remembered key is used only when the namespace and
 * name it was built from are those asked for, so it always equals the built one.
 */
export class OwnerKeys {
  readonly #byUid = new Map<string, { readonly namespace: string; readonly name: string; readonly key: string }>();

  /** `namespace/ref.name`. */
  keyOf(namespace: string, ref: { readonly uid: string; readonly name: string }): string {
    const known = this.#byUid.get(ref.uid);
    if (known !== undefined && known.namespace === namespace && known.name === ref.name) return known.key;
    if (this.#byUid.size >= OWNER_KEYS_MAX) this.#byUid.clear();
    const key = `${namespace}/${ref.name}`;
    this.#byUid.set(ref.uid, { namespace, name: ref.name, key });
    return key;
  }
}

/**
 * What {@link ownerKeysForPodEvent} returns, added to `queue` in the same order, without the
 * arrays and strings: the keys of the pod after the change are skipped when they must be
 * those of the pod before it (the same controller reference object, or an orphan with the
 * same labels object in the same namespace), since adding a key the queue already holds
 * in the same instant changes nothing. The workload controllers call it on every Pod write.
 */
export const enqueueOwnersOfPodEvent = (event: InformerEvent<Pod>, kind: string, owners: PodOwners, keys: OwnerKeys, queue: { add(key: string): void }): void => {
  const { old, object } = event;
  const deleted = event.type === 'DELETED';
  if (old) {
    enqueueOwnersOfPod(old, deleted, kind, owners, keys, queue);
    const before = old.metadata;
    const after = object.metadata;
    if (
      before?.ownerReferences === after?.ownerReferences &&
      before?.namespace === after?.namespace &&
      (before?.labels === after?.labels || controllerOf(object) !== undefined)
    ) {
      return;
    }
  }
  enqueueOwnersOfPod(object, deleted, kind, owners, keys, queue);
};

/** One pod's part of {@link enqueueOwnersOfPodEvent}. */
const enqueueOwnersOfPod = (pod: Pod, deleted: boolean, kind: string, owners: PodOwners, keys: OwnerKeys, queue: { add(key: string): void }): void => {
  const ref = controllerOf(pod);
  if (ref) {
    if (ref.kind === kind) queue.add(keys.keyOf(pod.metadata?.namespace ?? 'default', ref));
    return;
  }
  if (deleted) return;
  for (const owner of owners()) {
    if (owner.metadata?.namespace === pod.metadata?.namespace && selectorOf(owner.spec?.selector)?.matches(pod.metadata?.labels)) queue.add(keyOf(owner));
  }
};
