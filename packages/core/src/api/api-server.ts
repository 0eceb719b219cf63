// The API server: the only shared state of a simulation, as in Kubernetes. It models the
// parts of kube-apiserver's generic registry (k8s.io/apiserver pkg/registry/generic/registry/store.go)
// that failure handling depends on: one cluster-wide resourceVersion, optimistic
// concurrency, graceful deletion and finalizers (rest/delete.go BeforeDelete), the status
// subresource, admission, watches from a resourceVersion, and the caller's reachability.
import * as E from 'fp-ts/lib/Either.js';
import { Observable } from 'rxjs';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { SimClock } from '../kernel/clock.js';
import type { SeededRandom } from '../kernel/random.js';
import type { Trace, WriteTraceEntry } from '../trace/trace.js';
import {
  applyDefaults,
  defaultAdmissionOptions,
  mutate,
  podSpecUpdateErrors,
  prepareForCreate,
  validate,
  type AdmissionOptions,
} from './admission.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  gone,
  internalError,
  invalid,
  notFound,
  tooManyRequests,
  unreachable,
  type ApiError,
  type FieldError,
} from './errors.js';
import { compileFieldSelector, fieldsForKind, parseFieldSelector } from './fields.js';
import { copyWith, deepEqual, freezeBuilt, freezeBuiltTree, freezeCopy, freezeOwned, withChanges } from './immutable.js';
import { labelSelectorFromObject, parseLabelSelector } from './labels.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch.js';
import { CONTROL_PLANE, type Location, type Reachability } from './reachability.js';
import { kinds, resources, type Kind, type KubeObject, type ObjectOf } from './resources.js';
import { ChangeLog, type Change, type WatchEvent } from './watch.js';
import { ObjectStore, type KindStore } from './object-store.js';
import { EVENT_KEYS, EventStore, leadingKeys } from './event-store.js';
import { EventTTL, type EventExpiry } from './event-ttl.js';
import { ApiClient } from './client.js';

/** Who makes a call: the component (kubelet, node-lifecycle-controller…) and where it runs. */
export interface Caller {
  readonly location: Location;
  readonly component: string;
}

/**
 * Where {@link ApiServer.watchTo} delivers: `next` per event, `error` once at most (an
 * RxJS Subscriber is one).
 */
export interface WatchSink<T = KubeObject> {
  next(event: WatchEvent<T>): void;
  error(error: ApiError): void;
}

/** Options of a list. Selectors use kubectl's string syntax. */
export interface ListOptions {
  /** Only this namespace; all namespaces when omitted. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/** Options of a watch: a list's, plus where to start. */
export interface WatchOptions extends ListOptions {
  /**
   * Start after this resourceVersion, replaying what the caller missed. Omitted or "0":
   * start now, with a synthetic ADDED for every object that matches (upstream's semantics).
   */
  readonly resourceVersion?: string;
}

/** A list result: the items, sorted by namespace/name, and the resourceVersion it reflects. */
export interface ObjectList<T> {
  readonly items: readonly T[];
  readonly resourceVersion: string;
}

/** DeleteOptions, as upstream's. */
export interface DeleteOptions {
  readonly namespace?: string;
  /** Seconds before the object is removed; Pods default to their terminationGracePeriodSeconds. 0 forces. */
  readonly gracePeriodSeconds?: number;
  /** What becomes of dependents: Background (default), Foreground or Orphan. */
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

/** The patch types the server accepts, by their content type's short name. */
export type PatchType = 'merge' | 'strategic' | 'json';

/** Options of a patch. */
export interface PatchOptions {
  readonly namespace?: string;
  /** Default: strategic (what kubectl sends for built-in kinds). */
  readonly type?: PatchType;
  readonly subresource?: 'status';
}

/** Options of an update. */
export interface UpdateOptions {
  readonly subresource?: 'status';
}

/** Construction options of an {@link ApiServer}. */
export interface ApiServerOptions {
  readonly clock: SimClock;
  readonly random: SeededRandom;
  readonly trace: Trace;
  readonly reachability: Reachability;
  readonly admission?: Partial<AdmissionOptions>;
  /** How many changes the server keeps for watches that resume (etcd compaction). Default 100,000. */
  readonly watchCacheSize?: number;
  /** kube-apiserver --event-ttl: Events are removed this long after their last update. Default 1 h; 0 keeps them. */
  readonly eventTTLSeconds?: number;
}

type Obj = KubeObject & Record<string, unknown>;
type Meta = ObjectMeta & { [key: string]: unknown };
type Result<T> = E.Either<ApiError, T>;

interface Watcher {
  readonly kind: Kind | undefined;
  /** Registration order: delivery follows it, indexed or not, so outcomes do not depend on the index. */
  readonly seq: number;
  /** The `field=value` requirement by which the watcher sits in its kind's field index rather than the kind's list. */
  readonly indexKey: IndexKey | undefined;
  readonly location: Location;
  /** True for the control plane's watches, which can never be cut off (no reachability lookup per change). */
  readonly controlPlane: boolean;
  /** True when the watch has no namespace or selector: `matches` is then not called. */
  readonly matchesAll: boolean;
  readonly matches: (obj: KubeObject) => boolean;
  /** Where its events go, called directly: a closure per watcher around it was one more call per change per watcher (issue 8). */
  readonly sink: WatchSink;
  lastRv: number;
  stalled: boolean;
  active: boolean;
}

const NO_WATCHERS: readonly Watcher[] = [];

/** The errors of a write with nothing to report. */
const NO_FIELD_ERRORS: readonly FieldError[] = Object.freeze([]);

/** A change record of the delivery queue, rewritten when its slot is reused (see ApiServer#changes). */
interface PendingChange {
  rv: number;
  kind: Kind;
  type: Change['type'];
  object: KubeObject;
  old: KubeObject | undefined;
}

/** Compiled matchers the server keeps before it starts over (see ApiServer#matcher). */
const MATCHER_CACHE_SIZE = 4096;

/** What stops a watch that failed before it started. */
const NO_STOP = (): void => {};

/** The matcher of a list or watch without namespace or selectors. */
const MATCH_ALL = (): boolean => true;
/** {@link MATCH_ALL} as a matcher result, shared. */
const MATCH_ALL_RESULT: Result<(obj: KubeObject) => boolean> = E.right(MATCH_ALL);

/**
 * Fields whose `=` selectors index watchers: a kubelet watches Pods with
 * `spec.nodeName=<node>` and a node's own object by `metadata.name`. With 5,000 kubelets,
 * offering every Pod change to every kubelet's watch made each write O(nodes); the index
 * (like the watch cache's indexers, k8s.io/apiserver pkg/storage/cacher, v1.14) offers a
 * change only to the watchers whose value the object has, before or after the change.
 */
const INDEXED_FIELDS: ReadonlySet<string> = new Set(['spec.nodeName', 'metadata.name']);

/** An indexable `field=value` requirement of a watch. */
interface IndexKey {
  readonly field: string;
  readonly value: string;
}

/** One indexed field of a kind: its getter, and the watchers by the value they select. */
interface IndexedField {
  readonly get: (obj: KubeObject) => string | undefined;
  /**
   * By value, not by a `field=value` string: a change is looked up with the strings its
   * object holds (hashed once), where a key built per change was a fresh string to hash.
   */
  readonly byValue: Map<string, readonly Watcher[]>;
}

/** A kind's indexed watchers, by field in first-use order. */
interface WatcherIndex {
  readonly fields: Map<string, IndexedField>;
  /** The values of `fields`, in the same order: delivery walks them on every write of the kind, without a Map iterator. */
  readonly list: IndexedField[];
}

const bySeq = (a: Watcher, b: Watcher): number => a.seq - b.seq;
/** A Namespace's spec.finalizers ("kubernetes") hold it until the namespace controller empties it. */
const hasSpecFinalizers = (obj: KubeObject): boolean =>
  obj.kind === 'Namespace' && ((obj as { spec?: { finalizers?: string[] } }).spec?.finalizers ?? []).length > 0;

/** Metadata fields only the server sets; a client's values for them are ignored. */
const SERVER_OWNED_META = ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'resourceVersion'] as const;
const SERVER_OWNED_META_SET: ReadonlySet<string> = new Set(SERVER_OWNED_META);

/**
 * The client's metadata with the server-owned fields taken from `owned`, without
 * undefined members (they would show as present-but-empty keys).
 */
const serverMeta = (client: Meta, owned: Partial<Record<(typeof SERVER_OWNED_META)[number], unknown>>): Meta => {
  const out: Record<string, unknown> = {};
  for (const key in client) {
    const value = client[key];
    if (value !== undefined && !SERVER_OWNED_META_SET.has(key)) out[key] = value;
  }
  // SERVER_OWNED_META's order, member by member: a loop over the keys read and wrote
  // `owned[key]` with a different key each time (generic keyed accesses), on every update,
  // a Lease renewal every 10 s per node among them.
  if (owned.name !== undefined) out.name = owned.name;
  if (owned.namespace !== undefined) out.namespace = owned.namespace;
  if (owned.uid !== undefined) out.uid = owned.uid;
  if (owned.creationTimestamp !== undefined) out.creationTimestamp = owned.creationTimestamp;
  if (owned.deletionTimestamp !== undefined) out.deletionTimestamp = owned.deletionTimestamp;
  if (owned.deletionGracePeriodSeconds !== undefined) out.deletionGracePeriodSeconds = owned.deletionGracePeriodSeconds;
  if (owned.generation !== undefined) out.generation = owned.generation;
  if (owned.resourceVersion !== undefined) out.resourceVersion = owned.resourceVersion;
  return out;
};

type EventFields = Record<(typeof EVENT_KEYS)[number], unknown>;

/**
 * `event` as an object literal with the same members in the same order, when it has
 * exactly {@link EVENT_KEYS}; otherwise `event` itself. Why (issue 8): Events are most of
 * the objects a large run keeps (an hour of them, --event-ttl), and the server builds them
 * by copying onto an empty object, which holds 4 members in the object and the other 9 in
 * a separate property array (~88 bytes more per Event). A literal holds all 13 in the
 * object, and every Event, created or patched, shares its hidden class.
 */
const inObjectEvent = (event: Obj, metadata: unknown = event.metadata, involvedObject: unknown = (event as unknown as EventFields).involvedObject): Obj =>
  leadingKeys(event, EVENT_KEYS) !== EVENT_KEYS.length ? event : eventLiteral(event, metadata, involvedObject);

/**
 * The Event literal {@link inObjectEvent} builds, for an `event` known to have exactly
 * {@link EVENT_KEYS} in order (#createEvent: create() checked them; a second walk over its
 * keys was a cost per Event, issue 8).
 */
const eventLiteral = (event: Obj, metadata: unknown, involvedObject: unknown): Obj => {
  const e = event as unknown as EventFields;
  return {
    apiVersion: e.apiVersion,
    kind: e.kind,
    metadata,
    involvedObject,
    reason: e.reason,
    message: e.message,
    source: e.source,
    firstTimestamp: e.firstTimestamp,
    lastTimestamp: e.lastTimestamp,
    count: e.count,
    type: e.type,
    reportingComponent: e.reportingComponent,
    reportingInstance: e.reportingInstance,
  } as unknown as Obj;
};

/** The uid words of the Event #createEvent is creating, for the store's row (EventStore.write). */
const EVENT_UID = new Uint32Array(4);

/**
 * Slots of the server's table of recent Event references (powers of two): it starts small
 * and doubles with the Events created, up to the most. A scenario of a few nodes creates a
 * few hundred Events, and a 16,384-slot table filled per simulation was 1.4% of a library
 * scenario's run.
 */
const REFERENCE_SLOTS_FIRST = 256;
const REFERENCE_SLOTS_MOST = 16384;

/** A hash of the uid's first characters (uids are random); the slot is its low bits. */
const referenceHash = (uid: string): number => {
  let h = 0;
  const n = uid.length < 8 ? uid.length : 8;
  for (let i = 0; i < n; i++) h = (h * 31 + uid.charCodeAt(i)) | 0;
  return h;
};

/**
 * Whether `a` and `b` have the same own keys in the same order with identical values
 * (an ObjectReference's members are strings): the same JSON.
 */
const sameFlatMembers = (a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean => {
  const keys = Object.keys(b);
  let i = 0;
  for (const key in a) {
    if (key !== keys[i++] || a[key] !== b[key]) return false;
  }
  return i === keys.length;
};

/** The top-level keys of a Pod (and most kinds), in the order the server builds them. */
const SPEC_STATUS_KEYS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'] as const;

/**
 * `obj` as it is stored: an object literal with the same members in the same order when
 * it is an Event with exactly the Event keys or a Pod with exactly
 * {@link SPEC_STATUS_KEYS}, otherwise `obj` itself. As {@link inObjectEvent}: copied onto
 * an empty object, a Pod keeps its fifth member in a separate property array (~32 bytes
 * more per stored version). Only Events and Pods: they are what a large run keeps
 * (150,000 Pods at 5,000 nodes), while the copy costs a little on every write (~1% of a
 * run when every kind's writes, a Node status every 10 s, were copied).
 */
const inObject = (kind: Kind, obj: Obj): Obj => {
  if (kind === 'Event') return inObjectEvent(obj);
  if (kind !== 'Pod' || leadingKeys(obj, SPEC_STATUS_KEYS) !== SPEC_STATUS_KEYS.length) return obj;
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata, spec: obj.spec, status: obj.status };
};

/**
 * `copyWith(obj, { metadata })` as {@link inObject} would then store it, built once: a
 * literal when `obj` is an Event with exactly the Event keys or has exactly
 * {@link SPEC_STATUS_KEYS}, otherwise a copy with the same members in the same order.
 */
const withMetadata = (kind: Kind, obj: Obj, metadata: Meta): Obj => {
  if (kind === 'Event' && leadingKeys(obj, EVENT_KEYS) === EVENT_KEYS.length) return inObjectEvent(obj, metadata);
  if (kind === 'Pod' && leadingKeys(obj, SPEC_STATUS_KEYS) === SPEC_STATUS_KEYS.length) {
    return { apiVersion: obj.apiVersion, kind: obj.kind, metadata, spec: obj.spec, status: obj.status };
  }
  return copyWith(obj, { metadata });
};

/** The top-level keys of a kind without status (a Lease), in the order clients build them. */
const SPEC_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'] as const;

/**
 * `input` with the server's apiVersion, kind and metadata as a literal, when its keys are
 * exactly {@link SPEC_KEYS}: what `Object.assign({}, input, { apiVersion, kind, metadata })`
 * builds (same members, same order); otherwise undefined. Why (issue 8): that generic copy
 * cost ~200 ns on every renewal of every node's Lease (every 10 s per node), a literal a
 * few; created and updated objects of the shape share the literal's hidden class.
 */
const specLiteral = (input: Obj, apiVersion: string, kind: Kind, metadata: Meta): Obj | undefined =>
  leadingKeys(input, SPEC_KEYS) === SPEC_KEYS.length ? { apiVersion, kind, metadata, spec: input.spec } : undefined;

/**
 * `old` with `status` replaced, as `Object.assign({}, old, { status })` builds it (the same
 * members in the same order), for a status write. When `old` has exactly
 * {@link SPEC_STATUS_KEYS} (or all but the status), an object literal: Object.assign onto
 * an empty object keeps a fifth member in a separate property array and took an argument
 * object too (~60 bytes more per write: a Node status every 10 s per kubelet, a Pod's on
 * every container change). Such a Pod is then stored as {@link inObject} would copy it.
 */
const withStatus = (old: Obj, status: unknown): Obj => {
  if (leadingKeys(old, SPEC_STATUS_KEYS) < SPEC_STATUS_KEYS.length - 1) return Object.assign({}, old, { status });
  return { apiVersion: old.apiVersion, kind: old.kind, metadata: old.metadata, spec: old.spec, status };
};

/** The metadata keys of an object nobody labels, annotates or owns (Events, mostly), before its resourceVersion is set. */
const PLAIN_META_KEYS = ['name', 'namespace', 'uid', 'creationTimestamp'] as const;

/**
 * `meta` with `resourceVersion` as an object literal, when its members are exactly
 * name, namespace, uid and creationTimestamp (and a resourceVersion, replaced), all
 * defined; otherwise undefined. As {@link inObjectEvent}: built member by member on an
 * empty object, such metadata keeps its fifth member in a separate property array
 * (~32 bytes more); the literal holds all five in the object.
 */
const plainMeta = (meta: Meta, resourceVersion: string): Meta | undefined => {
  let i = 0;
  for (const key in meta) {
    if (meta[key] === undefined) return undefined;
    if (i === PLAIN_META_KEYS.length) {
      if (key !== 'resourceVersion') return undefined;
      i++;
    } else if (key !== PLAIN_META_KEYS[i++]) return undefined;
  }
  if (i < PLAIN_META_KEYS.length) return undefined;
  return { name: meta.name, namespace: meta.namespace, uid: meta.uid, creationTimestamp: meta.creationTimestamp, resourceVersion };
};

/** The metadata keys of a workload's Pod (a controller's labels and owner), as the server stores them. */
const POD_META_KEYS = ['labels', 'ownerReferences', 'name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion'] as const;
/** The metadata keys of a registered Node (the kubelet's labels and annotations), as the server stores them. */
const NODE_META_KEYS = ['labels', 'annotations', 'name', 'uid', 'creationTimestamp', 'resourceVersion'] as const;

/**
 * `meta` at `resourceVersion`, as `Object.assign({}, meta, { resourceVersion })` builds it
 * (same members, same order: the resourceVersion replaced, or added last), as a literal when
 * its keys are a workload Pod's or a registered Node's, with or without a resourceVersion;
 * otherwise undefined. Why (issue 8): copying a frozen object (stored metadata is) takes
 * V8's slow generic path, ~170 ns where a literal costs a few: a copy per status write, a
 * Node's every 10 s per kubelet and a Pod's on every container change. Every write of
 * these shapes builds the literal, so that their versions share one hidden class (a
 * literal for some writes only gave the readers of Pods two).
 */
const metaLiteral = (meta: Meta, resourceVersion: string): Meta | undefined => {
  if (leadingKeys(meta, POD_META_KEYS) >= POD_META_KEYS.length - 1) {
    const { labels, ownerReferences, name, namespace, uid, creationTimestamp } = meta;
    return { labels, ownerReferences, name, namespace, uid, creationTimestamp, resourceVersion };
  }
  if (leadingKeys(meta, NODE_META_KEYS) >= NODE_META_KEYS.length - 1) {
    const { labels, annotations, name, uid, creationTimestamp } = meta;
    return { labels, annotations, name, uid, creationTimestamp, resourceVersion };
  }
  return undefined;
};

/**
 * `Object.assign({}, meta, { resourceVersion })`, a literal where {@link plainMeta} or
 * {@link metaLiteral} builds one.
 */
const metaAtVersion = (meta: Meta, resourceVersion: string): Meta => {
  const literal = plainMeta(meta, resourceVersion) ?? metaLiteral(meta, resourceVersion);
  if (literal !== undefined) return literal;
  const copy = Object.assign({}, meta);
  (copy as Record<string, unknown>).resourceVersion = resourceVersion;
  return copy;
};

/**
 * The stored `old` at `resourceVersion`, as the DELETED change carries it: what
 * `freezeCopy({ ...old, metadata: { ...old.metadata, resourceVersion } })` builds (same
 * members, same order), without the spread copies that freezeCopy then copied again.
 * Why (issue 8): an hour after the workloads start, ~900,000 Events expire within three
 * simulated minutes at 5,000 nodes, and #remove was 5.8% of them. `old` is stored, so
 * deeply frozen and its metadata free of undefined members; only its top level may hold
 * one (a status write of undefined), which freezeCopy would drop: such an object takes
 * the old way.
 */
const removedVersion = (kind: Kind, old: Obj, resourceVersion: string): KubeObject => {
  for (const key in old) if (old[key] === undefined) return freezeCopy({ ...old, metadata: { ...old.metadata, resourceVersion } });
  const oldMeta = old.metadata as Meta | undefined;
  const meta = Object.freeze(
    oldMeta !== undefined ? metaAtVersion(oldMeta, resourceVersion) : { resourceVersion },
  );
  // An Event or Pod as the stored ones are (a literal: see inObject), others copied in order.
  return Object.freeze(withMetadata(kind, old, meta));
};

/** Whether serverMeta would keep none of `meta`'s members (all are server-owned or undefined). */
const onlyServerOwned = (meta: Meta): boolean => {
  for (const key in meta) if (meta[key] !== undefined && !SERVER_OWNED_META_SET.has(key)) return false;
  return true;
};

/** The `field=value` of a watch's first indexable `=` requirement, if any (the selector is valid: the matcher parsed it). */
const indexKeyOf = (fieldSelector: string | undefined): IndexKey | undefined => {
  if (!fieldSelector) return undefined;
  const reqs = parseFieldSelector(fieldSelector);
  if (E.isLeft(reqs)) return undefined;
  const req = reqs.right.find((r) => r.operator === '=' && INDEXED_FIELDS.has(r.field));
  return req ? { field: req.field, value: req.value } : undefined;
};

/**
 * The caller of the --event-ttl removals: one object, as writers is keyed by caller
 * (issue 8: a literal per expired Event missed that WeakMap each time, built its
 * `kube-apiserver@…` text again and added an entry, ~7% of the expiry minutes).
 */
const EVENT_TTL_CALLER: Caller = Object.freeze({ component: 'kube-apiserver', location: CONTROL_PLANE });

/**
 * A caller as the trace names it (`component@location`, built once) and its id as a writer
 * of the trace whose serial is `trace` (Trace.writerId; a serial, so that a caller that
 * outlives its simulation, like EVENT_TTL_CALLER, keeps no trace alive).
 */
interface Writer {
  readonly by: string;
  trace: number;
  id: number;
}

/** Each caller's {@link Writer}: the trace names the writer of every write. */
const writers = new WeakMap<Caller, Writer>();

const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A Kubernetes-like API server over Kubernetes object shapes, in virtual time. Components
 * use it through {@link ApiServer.client}; calls are synchronous and return fp-ts Eithers.
 */
export class ApiServer {
  readonly clock: SimClock;
  readonly reachability: Reachability;
  readonly #random: SeededRandom;
  readonly #trace: Trace;
  readonly #admission: AdmissionOptions;
  readonly #eventTTLms: number;
  /** The Events, as columns (see EventStore); also the 'Event' entry of #stores. */
  readonly #events = new EventStore();
  /** A store per kind. */
  readonly #stores = new Map<Kind, KindStore>(kinds.map((k) => [k, k === 'Event' ? this.#events : new ObjectStore()]));
  readonly #log: ChangeLog;
  /** Watchers by kind (undefined: every kind), as arrays rebuilt on (un)subscribe, since delivery iterates them on every write. */
  readonly #watchers = new Map<Kind | undefined, readonly Watcher[]>();
  /** Watchers with an indexable `=` field selector, by kind (see INDEXED_FIELDS). */
  readonly #indexes = new Map<Kind, WatcherIndex>();
  /** Indexed watchers a change is offered to, reused so delivery allocates nothing when there are none. */
  readonly #candidates: Watcher[] = [];
  /**
   * How many of #candidates are the current change's. A count rather than truncating:
   * `length = 0` gave the array's backing store up, and the next write grew a new one.
   * Slots past the count keep watchers until overwritten (they live as long as the server).
   */
  #candidateCount = 0;
  #watcherSeq = 0;
  /** The Events' --event-ttl countdowns; undefined when Events are kept (TTL 0). */
  readonly #eventTTL: EventTTL | undefined;
  /**
   * The last Event involvedObject seen per slot of its uid's hash (see
   * #sharedReference): at most 16,384 slots (128 KB) holding references that Events keep
   * anyway (4,096 slots caught 60% of the equal copies at 100 nodes, 16,384 87%).
   */
  #references: (Readonly<Record<string, unknown>> | undefined)[] = new Array<Readonly<Record<string, unknown>> | undefined>(REFERENCE_SLOTS_FIRST).fill(undefined);
  /** References offered to the table since it last grew: it doubles after as many as it has slots. */
  #referencesOffered = 0;
  #rv = 0;
  /**
   * Changes and resuming watchers waiting for delivery: the first #pendingCount slots. The
   * array is kept and its slots cleared after a drain, since a fresh array per write (most
   * writes drain at once) was a backing store to allocate and collect every time.
   */
  readonly #pending: (Change | Watcher | undefined)[] = [];
  #pendingCount = 0;
  /**
   * The change record of each #pending slot, reused by the next write that takes the
   * slot: a record lives only while its change is delivered (the log keeps columns, a
   * resuming watch gets fresh records), and one per write was 64 bytes to collect.
   */
  readonly #changes: PendingChange[] = [];
  /** Compiled list and watch matchers by kind, namespace and selectors (see #matcher). */
  readonly #matchers = new Map<string, Result<(obj: KubeObject) => boolean>>();
  /**
   * The watch events of the change being offered, made on first use and shared by every
   * watcher that gets the same type (frozen, so no handler can change another's): a
   * Node status write reaches a dozen watches, and an event object each was garbage.
   */
  #eventsOf: Change | undefined;
  #added: WatchEvent | undefined;
  #modified: WatchEvent | undefined;
  #deleted: WatchEvent | undefined;
  #delivering = false;
  #deliveredRv = 0;

  constructor(options: ApiServerOptions) {
    this.clock = options.clock;
    this.reachability = options.reachability;
    this.#random = options.random.fork('kube-apiserver');
    this.#trace = options.trace;
    this.#admission = { ...defaultAdmissionOptions, ...options.admission };
    this.#eventTTLms = (options.eventTTLSeconds ?? 3600) * 1000;
    this.#eventTTL = this.#eventTTLms > 0 ? new EventTTL(this.clock, this.#eventTTLms, (expiry) => this.#expireEvent(expiry)) : undefined;
    this.#log = new ChangeLog(options.watchCacheSize ?? 100_000);
    this.reachability.onChange(({ location, reachable }) => {
      this.#trace.record({ t: this.clock.now(), type: 'reachability', location, reachable });
      if (reachable) this.#resumeWatchers(location);
    });
  }

  /** The current cluster-wide resourceVersion (that of the last committed write). */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** A client for `component` running at `location` (default: the control plane). */
  client(component: string, location: Location = CONTROL_PLANE): ApiClient {
    return new ApiClient(this, { component, location });
  }

  // ---- reads -------------------------------------------------------------------------

  /** GET one object. */
  get<K extends Kind>(caller: Caller, kind: K, name: string, namespace?: string): Result<ObjectOf<K>> {
    const r = resources[kind];
    if (!this.reachability.isReachable(caller.location)) return E.left(unreachable(caller.location, 'Get', `${r.resource}/${name}`));
    const obj = this.#store(kind).get(this.#ns(kind, namespace), name);
    return obj ? E.right(obj as ObjectOf<K>) : E.left(notFound(r, name));
  }

  /** LIST objects of a kind, filtered by namespace and selectors. */
  list<K extends Kind>(caller: Caller, kind: K, options: ListOptions = {}): Result<ObjectList<ObjectOf<K>>> {
    const r = resources[kind];
    if (!this.reachability.isReachable(caller.location)) return E.left(unreachable(caller.location, 'List', r.resource));
    const matcher = this.#matcher(kind, options);
    if (E.isLeft(matcher)) return matcher;
    const namespace = resources[kind].namespaced ? options.namespace : undefined;
    // A copy either way: the store's sorted list is updated in place by later writes.
    const stored = this.#store(kind).list(namespace);
    const items = (matcher.right === MATCH_ALL ? stored.slice() : stored.filter(matcher.right)) as ObjectOf<K>[];
    return E.right({ items, resourceVersion: String(this.#rv) });
  }

  /** WATCH a kind (or every kind when `kind` is undefined) from a resourceVersion. */
  watch<K extends Kind>(caller: Caller, kind: K | undefined, options: WatchOptions = {}): Observable<WatchEvent<ObjectOf<K>>> {
    return new Observable<WatchEvent<ObjectOf<K>>>((subscriber) => this.watchTo(caller, kind, options, subscriber));
  }

  /**
   * WATCH as {@link ApiServer.watch}, delivering to `sink` without an Observable: the same
   * events in the same order, and `sink.error` at most once, after which nothing more
   * comes. Returns what stops the watch. For the informers (issue 8): every change reached
   * each informer through three RxJS Subscriber layers, ~1.5% of a library scenario. A
   * sink that throws breaks the delivery of the write being made, which an Observable's
   * subscriber would have reported instead; {@link Informer} catches and reports as RxJS.
   */
  watchTo<K extends Kind>(caller: Caller, kind: K | undefined, options: WatchOptions, sink: WatchSink<ObjectOf<K>>): () => void {
    const what = kind ? resources[kind].resource : 'all resources';
    if (!this.reachability.isReachable(caller.location)) {
      sink.error(unreachable(caller.location, 'Watch', what));
      return NO_STOP;
    }
    const matcher = kind ? this.#matcher(kind, options) : MATCH_ALL_RESULT;
    if (E.isLeft(matcher)) {
      sink.error(matcher.left);
      return NO_STOP;
    }
    const watcher: Watcher = {
      kind,
      seq: this.#watcherSeq++,
      indexKey: kind ? indexKeyOf(options.fieldSelector) : undefined,
      location: caller.location,
      controlPlane: caller.location === CONTROL_PLANE,
      matchesAll: matcher.right === MATCH_ALL,
      matches: matcher.right,
      sink,
      lastRv: this.#rv,
      stalled: false,
      active: true,
    };
    const from = options.resourceVersion && options.resourceVersion !== '0' ? Number(options.resourceVersion) : undefined;
    if (from !== undefined && !Number.isInteger(from)) {
      sink.error(badRequest(`invalid resource version: "${options.resourceVersion}"`));
      return NO_STOP;
    }
    if (from === undefined) {
      for (const k of kind ? [kind] : kinds) {
        for (const obj of this.#store(k).list()) {
          if (watcher.matches(obj)) watcher.sink.next({ type: 'ADDED', object: obj });
        }
      }
    } else {
      const missed = this.#log.since(from, this.#rv);
      if (!missed) {
        sink.error(gone(`too old resource version: ${from} (${this.#log.oldestResumable})`));
        return NO_STOP;
      }
      watcher.lastRv = from;
      // The log holds every kind; a watch of one kind replays only its own.
      for (const change of missed) if (watcher.kind === undefined || change.kind === watcher.kind) this.#offer(watcher, change);
      watcher.lastRv = this.#rv;
    }
    this.#register(watcher);
    return () => this.#unregister(watcher);
  }

  // ---- writes ------------------------------------------------------------------------

  /** CREATE: admission, defaults, uid, resourceVersion, creationTimestamp. */
  create<K extends Kind>(caller: Caller, kind: K, input: ObjectOf<K>, namespace?: string): Result<ObjectOf<K>> {
    const r = resources[kind];
    const inMeta = ((input as KubeObject).metadata ?? {}) as Meta;
    if (!this.reachability.isReachable(caller.location)) {
      return E.left(unreachable(caller.location, 'Post', `${r.resource}/${inMeta.name ?? inMeta.generateName ?? ''}`));
    }
    const ns = r.namespaced ? (inMeta.namespace ?? namespace ?? 'default') : undefined;
    if (r.namespaced && inMeta.namespace && namespace && inMeta.namespace !== namespace) {
      return E.left(badRequest(`the namespace of the provided object does not match the namespace sent on the request`));
    }
    if (ns !== undefined) {
      const nsObj = this.#store('Namespace').get(undefined, ns);
      if (!nsObj) return E.left(notFound(resources.Namespace, ns));
      if (nsObj.metadata?.deletionTimestamp) {
        return E.left(forbidden(r, inMeta.name ?? '', `unable to create new content in namespace ${ns} because it is being terminated`));
      }
    }
    const name = inMeta.name || (inMeta.generateName ? this.#generateName(inMeta.generateName) : '');
    if (
      kind === 'Event' &&
      ns !== undefined &&
      (input as Obj).apiVersion === r.apiVersion &&
      (input as Obj).kind === kind &&
      onlyServerOwned(inMeta) &&
      leadingKeys(input, EVENT_KEYS) === EVENT_KEYS.length
    ) {
      return this.#createEvent(caller, input as Obj, name, ns) as Result<ObjectOf<K>>;
    }
    const meta = serverMeta(inMeta, {
      name,
      namespace: ns,
      uid: this.#random.uuid(),
      creationTimestamp: this.clock.iso(),
      generation: r.tracksGeneration ? 1 : undefined,
    });
    let obj: Obj = specLiteral(input as Obj, r.apiVersion, kind, meta) ?? withChanges(input as Obj, { apiVersion: r.apiVersion, kind, metadata: meta });
    obj = prepareForCreate(kind, mutate(kind, applyDefaults(kind, obj), this.#admission));
    const errors = validate(kind, obj);
    if (errors.length > 0) return E.left(invalid(kind, r.group, name, errors));
    if (this.#store(kind).has(ns, name)) return E.left(alreadyExists(r, name));
    return E.right(this.#commit(caller, 'create', kind, obj, undefined) as unknown as ObjectOf<K>);
  }

  /**
   * CREATE of an Event as the event recorder builds it (the server's apiVersion and kind,
   * the Event keys in order, metadata without client-set members): the general path's
   * result, built as the literal it stores (inObjectEvent with the server's metadata). Why (issue 8): Events are a third of the writes when Pods start; the general
   * path built the metadata twice (an `owned` record, then serverMeta's copy), copied the
   * Event onto an empty object and then again into a literal. Events have no defaults,
   * admission or create-time resets (admission.ts), and only their name is validated.
   */
  #createEvent(caller: Caller, input: Obj, name: string, namespace: string): Result<KubeObject> {
    // serverMeta's members in its order, drawn in its order (uid, then the timestamp); the
    // resourceVersion is set in place by #commit (see plainMeta).
    const metadata: Meta = { name, namespace, uid: this.#random.uuidInto(EVENT_UID, 0), creationTimestamp: this.clock.iso(), resourceVersion: '' };
    const event = eventLiteral(input, metadata, this.#sharedReference(input.involvedObject));
    const errors = validate('Event', event);
    if (errors.length > 0) return E.left(invalid('Event', resources.Event.group, name, errors));
    if (this.#events.has(namespace, name)) return E.left(alreadyExists(resources.Event, name));
    // Built as the store's rows hold an Event (create() checked apiVersion, kind and keys): its uid goes as words.
    return E.right(this.#commit(caller, 'create', 'Event', event, undefined, true, true, EVENT_UID));
  }

  /**
   * `ref`, an Event's involvedObject, or an equal one (same members, same order, frozen)
   * that an earlier Event holds. Why (issue 8): recorders share a reference only between
   * consecutive Events about the same object version (event-recorder.ts #referenceTo), and
   * several components report on one Pod version (the scheduler, then the kubelet's Events
   * interleaved across pods): ~37% of the stored references were equal copies (4,211 of
   * 11,471 at 100 nodes, 10 min), ~104 bytes each. Only frozen references are shared (a
   * caller's unfrozen one is copied by the commit, as before), so the stored JSON is the
   * same; the table keeps the last reference per slot of the uid's hash: 11,471 → 7,746
   * references for 7,260 distinct ones at 100 nodes, 10 min.
   */
  #sharedReference(ref: unknown): unknown {
    if (ref === null || typeof ref !== 'object') return ref;
    const r = ref as Readonly<Record<string, unknown>>;
    const uid = r.uid;
    if (typeof uid !== 'string') return ref;
    let table = this.#references;
    const hash = referenceHash(uid);
    // The very reference kept (a recorder reports several Events in a row with one) was
    // frozen when kept: Object.isFrozen, a runtime call, only for the others (issue 8).
    if (table[hash & (table.length - 1)] !== r && !Object.isFrozen(r)) return ref;
    if (++this.#referencesOffered > table.length && table.length < REFERENCE_SLOTS_MOST) {
      // Only which equal copies get shared depends on the table; the stored JSON does not.
      const grown = new Array<Readonly<Record<string, unknown>> | undefined>(table.length * 2).fill(undefined);
      for (let i = 0; i < table.length; i++) {
        const kept = table[i];
        if (kept !== undefined) grown[referenceHash(kept.uid as string) & (grown.length - 1)] = kept;
      }
      this.#references = table = grown;
      this.#referencesOffered = 0;
    }
    const slot = hash & (table.length - 1);
    const known = table[slot];
    // uid and resourceVersion first: most misses differ there, before the keys are listed.
    if (known !== undefined && (known === r || (known.uid === uid && known.resourceVersion === r.resourceVersion && sameFlatMembers(known, r)))) return known;
    table[slot] = r;
    return ref;
  }

  /** UPDATE (PUT) the object or its status subresource; a stale resourceVersion is a Conflict. */
  update<K extends Kind>(caller: Caller, kind: K, input: ObjectOf<K>, options: UpdateOptions = {}): Result<ObjectOf<K>> {
    const r = resources[kind];
    const inMeta = ((input as KubeObject).metadata ?? {}) as Meta;
    const name = inMeta.name ?? '';
    if (!this.reachability.isReachable(caller.location)) return E.left(unreachable(caller.location, 'Put', `${r.resource}/${name}`));
    const old = this.#store(kind).get(this.#ns(kind, inMeta.namespace), name) as Obj | undefined;
    if (!old) return E.left(notFound(r, name));
    if (inMeta.resourceVersion && inMeta.resourceVersion !== old.metadata?.resourceVersion) return E.left(conflict(r, name));
    if (inMeta.uid && inMeta.uid !== old.metadata?.uid) {
      return E.left(conflict(r, name, `Precondition failed: UID in precondition: ${inMeta.uid}, UID in object meta: ${old.metadata?.uid}`));
    }
    return this.#updateFrom(caller, kind, old, input as Obj, options.subresource === 'status' ? 'status' : 'update') as Result<ObjectOf<K>>;
  }

  /** PATCH with a JSON merge, strategic merge or JSON patch. */
  patch<K extends Kind>(caller: Caller, kind: K, name: string, patch: unknown, options: PatchOptions = {}): Result<ObjectOf<K>> {
    const r = resources[kind];
    if (!this.reachability.isReachable(caller.location)) return E.left(unreachable(caller.location, 'Patch', `${r.resource}/${name}`));
    const old = this.#store(kind).get(this.#ns(kind, options.namespace), name) as Obj | undefined;
    if (!old) return E.left(notFound(r, name));
    const type = options.type ?? 'strategic';
    const patched: Result<unknown> =
      type === 'merge' ? E.right(applyMergePatch(old, patch)) : type === 'json' ? applyJsonPatch(old, patch) : applyStrategicMergePatch(old, patch, kind);
    if (E.isLeft(patched)) return patched;
    const next = patched.right as Obj;
    const rv = (next.metadata as Meta | undefined)?.resourceVersion;
    if (rv && rv !== old.metadata?.resourceVersion) return E.left(conflict(r, name));
    if (next.metadata?.name !== name || (r.namespaced && next.metadata?.namespace !== old.metadata?.namespace)) {
      return E.left(badRequest('the name of the object and the name sent on the request must match'));
    }
    return this.#updateFrom(caller, kind, old, next, options.subresource === 'status' ? 'status' : 'patch') as Result<ObjectOf<K>>;
  }

  /**
   * DELETE. A Pod bound to a node is deleted gracefully: it gets deletionTimestamp and
   * deletionGracePeriodSeconds and stays (Terminating) until deleted with grace 0 (its
   * kubelet does that). Finalizers keep any object until they are all removed.
   * Returns the object as it now stands, or as it was when removed.
   */
  delete<K extends Kind>(caller: Caller, kind: K, name: string, options: DeleteOptions = {}): Result<ObjectOf<K>> {
    const r = resources[kind];
    if (!this.reachability.isReachable(caller.location)) return E.left(unreachable(caller.location, 'Delete', `${r.resource}/${name}`));
    const old = this.#store(kind).get(this.#ns(kind, options.namespace), name) as Obj | undefined;
    if (!old) return E.left(notFound(r, name));
    const meta = old.metadata as Meta;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) {
      return E.left(conflict(r, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`));
    }
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      return E.left(
        conflict(r, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`),
      );
    }
    const requested = options.gracePeriodSeconds;
    if (requested !== undefined && (!Number.isInteger(requested) || requested < 0)) {
      return E.left(invalid('DeleteOptions', '', '', [{ field: 'gracePeriodSeconds', type: 'Invalid value', value: requested, detail: 'must be greater than or equal to 0' }]));
    }
    const grace = this.#gracePeriod(kind, old, requested);
    const finalizers = [...(meta.finalizers ?? [])];
    const propagation = options.propagationPolicy ?? 'Background';
    if (!meta.deletionTimestamp) {
      if (propagation === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
      if (propagation === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    }
    if (finalizers.length === 0 && grace === 0 && !hasSpecFinalizers(old)) return E.right(this.#remove(caller, kind, old) as unknown as ObjectOf<K>);

    let deletionTimestamp = meta.deletionTimestamp;
    let deletionGracePeriodSeconds = meta.deletionGracePeriodSeconds;
    if (!deletionTimestamp) {
      deletionTimestamp = this.clock.iso(this.clock.now() + grace * 1000);
      deletionGracePeriodSeconds = grace;
    } else if ((deletionGracePeriodSeconds ?? 0) > grace) {
      // Already terminating: a delete may only shorten the grace period (rest.BeforeDelete).
      const start = Date.parse(deletionTimestamp) - this.clock.epochMs - (deletionGracePeriodSeconds ?? 0) * 1000;
      deletionTimestamp = this.clock.iso(start + grace * 1000);
      deletionGracePeriodSeconds = grace;
    } else if (finalizers.length === (meta.finalizers?.length ?? 0)) {
      return E.right(old as unknown as ObjectOf<K>);
    }
    // copyWith, not a spread: the result is frozen in place and must share its hidden class.
    const next: Obj = copyWith(old, { metadata: { ...meta, finalizers: finalizers.length ? finalizers : undefined, deletionTimestamp, deletionGracePeriodSeconds } });
    // A namespace being deleted says so in its phase until its content is gone.
    if (kind === 'Namespace') next.status = { ...(old.status as object), phase: 'Terminating' };
    const committed = this.#commit(caller, 'delete', kind, next, old);
    return E.right(this.#removeIfFinal(caller, kind, committed) as unknown as ObjectOf<K>);
  }

  /** The pods/binding subresource: the scheduler's way to set spec.nodeName. */
  bind(caller: Caller, podName: string, namespace: string, nodeName: string): Result<Pod> {
    const r = resources.Pod;
    if (!this.reachability.isReachable(caller.location)) return E.left(unreachable(caller.location, 'Post', `pods/${podName}/binding`));
    const old = this.#store('Pod').get(namespace, podName) as Pod | undefined;
    if (!old) return E.left(notFound(r, podName));
    if (old.metadata?.deletionTimestamp) return E.left(conflict(r, podName, `pod ${podName} is being deleted, cannot be assigned to a host`));
    if (old.spec?.nodeName) return E.left(conflict(r, podName, `pod ${podName} is already assigned to node "${old.spec.nodeName}"`));
    // The old conditions but PodScheduled, then the new one (a loop, not filter and a spread).
    const oldConditions = old.status?.conditions ?? [];
    const conditions: unknown[] = [];
    for (let i = 0; i < oldConditions.length; i++) if (oldConditions[i]!.type !== 'PodScheduled') conditions.push(oldConditions[i]);
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: this.clock.iso() });
    // Spec and status are built here and frozen in place, as the commit's freezeCopy of
    // them would copy them (issue 8): a bind spread both, then the commit copied both
    // again, ~600 bytes of garbage per pod scheduled. copyWith, not spreads: a spread that
    // then gains a key (nodeName) leaves V8's fast clone path.
    const spec = freezeBuiltTree(copyWith(old.spec!, { nodeName }));
    const status = freezeBuiltTree(copyWith(old.status ?? {}, { conditions }));
    const o = old as Obj;
    // A Pod with exactly the usual keys is built as the literal the store keeps (inObject).
    const literal = leadingKeys(o, SPEC_STATUS_KEYS) === SPEC_STATUS_KEYS.length;
    const next = literal ? { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, spec, status } : copyWith(o, { spec, status });
    return E.right(this.#commit(caller, 'update', 'Pod', next as Obj, o, literal) as Pod);
  }

  /**
   * The pods/eviction subresource (policy/v1 Eviction; pkg/registry/core/pod/storage/eviction.go):
   * a graceful delete that a PodDisruptionBudget can refuse with 429 while it allows no
   * disruption. A pod that is terminal, pending or already being deleted is deleted without
   * consulting budgets; an allowed eviction takes one disruption from the budget's status.
   */
  evict(caller: Caller, podName: string, namespace: string, options: Omit<DeleteOptions, 'namespace'> = {}): Result<Pod> {
    const r = resources.Pod;
    if (!this.reachability.isReachable(caller.location)) return E.left(unreachable(caller.location, 'Post', `pods/${podName}/eviction`));
    const pod = this.#store('Pod').get(namespace, podName) as Pod | undefined;
    if (!pod) return E.left(notFound(r, podName));
    const phase = pod.status?.phase;
    const ignoreBudgets = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata?.deletionTimestamp !== undefined;
    if (!ignoreBudgets) {
      const budgets = (this.#store('PodDisruptionBudget').list(namespace) as PodDisruptionBudget[]).filter((pdb) => {
        const selector = labelSelectorFromObject(pdb.spec?.selector);
        return E.isRight(selector) && !selector.right.empty && selector.right.matches(pod.metadata?.labels);
      });
      if (budgets.length > 1) {
        return E.left(internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'));
      }
      const [budget] = budgets;
      if (budget) {
        const status = budget.status;
        if ((status?.disruptionsAllowed ?? 0) <= 0) {
          return E.left(
            tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", [
              {
                reason: 'DisruptionBudget',
                message: `The disruption budget ${budget.metadata?.name ?? ''} needs ${status?.desiredHealthy ?? 0} healthy pods and has ${status?.currentHealthy ?? 0} currently`,
              },
            ]),
          );
        }
        const disruptedPods = { ...status?.disruptedPods, [podName]: this.clock.iso() };
        this.#commit(
          caller,
          'status',
          'PodDisruptionBudget',
          withChanges(budget as Obj, { status: { ...status, disruptionsAllowed: (status?.disruptionsAllowed ?? 0) - 1, disruptedPods } }),
          budget,
        );
      }
    }
    return this.delete<'Pod'>(caller, 'Pod', podName, { ...options, namespace });
  }

  // ---- internals ---------------------------------------------------------------------

  #store(kind: Kind): KindStore {
    return this.#stores.get(kind)!;
  }

  #ns(kind: Kind, namespace: string | undefined): string | undefined {
    return resources[kind].namespaced ? (namespace ?? 'default') : undefined;
  }

  #generateName(prefix: string): string {
    // One string of five codes (drawn in order), where appending char by char made a
    // string per character: a name per Pod a controller creates (issue 8).
    const n = GENERATE_NAME_ALPHABET.length;
    const code = (): number => GENERATE_NAME_ALPHABET.charCodeAt(this.#random.int(0, n));
    return prefix + String.fromCharCode(code(), code(), code(), code(), code());
  }

  #matcher(kind: Kind, options: ListOptions): Result<(obj: KubeObject) => boolean> {
    // Controllers list with the same few selectors on every sync (the pod GC every 20 s,
    // the DaemonSet controller per node…): parsed and compiled once. Matchers are pure.
    // Without selectors compiling costs less than the key, and without a namespace there is
    // nothing to compile (the pod GC lists every Node every 20 s: parsing the two empty
    // selectors was half of that list, issue 8).
    if (!options.labelSelector && !options.fieldSelector) return options.namespace === undefined ? MATCH_ALL_RESULT : this.#compileMatcher(kind, options);
    const key = `${kind}\u0000${options.namespace ?? '\u0001'}\u0000${options.labelSelector ?? ''}\u0000${options.fieldSelector ?? ''}`;
    const cached = this.#matchers.get(key);
    if (cached !== undefined) return cached;
    const compiled = this.#compileMatcher(kind, options);
    if (E.isRight(compiled)) {
      // Bounded: selectors naming single objects (metadata.name=…) could otherwise pile up.
      if (this.#matchers.size >= MATCHER_CACHE_SIZE) this.#matchers.clear();
      this.#matchers.set(key, compiled);
    }
    return compiled;
  }

  #compileMatcher(kind: Kind, options: ListOptions): Result<(obj: KubeObject) => boolean> {
    const labels = parseLabelSelector(options.labelSelector ?? '');
    if (E.isLeft(labels)) return E.left(labels.left);
    const reqs = parseFieldSelector(options.fieldSelector ?? '');
    if (E.isLeft(reqs)) return E.left(reqs.left);
    const fields = compileFieldSelector(reqs.right, fieldsForKind(kind), kind);
    if (E.isLeft(fields)) return E.left(fields.left);
    const namespace = resources[kind].namespaced ? options.namespace : undefined;
    const labelMatcher = labels.right;
    const fieldMatcher = fields.right;
    if (namespace === undefined && labelMatcher.empty && reqs.right.length === 0) return MATCH_ALL_RESULT;
    return E.right(
      (obj) =>
        (namespace === undefined || obj.metadata?.namespace === namespace) &&
        (labelMatcher.empty || labelMatcher.matches(obj.metadata?.labels)) &&
        fieldMatcher(obj),
    );
  }

  /** The grace period a delete gets (pod strategy CheckGracefulDelete); 0 for other kinds. */
  #gracePeriod(kind: Kind, obj: Obj, requested: number | undefined): number {
    if (kind !== 'Pod') return 0;
    const pod = obj as Pod;
    if (!pod.spec?.nodeName) return 0;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
    return requested ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  #updateFrom(caller: Caller, kind: Kind, old: Obj, input: Obj, verb: 'update' | 'patch' | 'status'): Result<KubeObject> {
    const r = resources[kind];
    const oldMeta = old.metadata as Meta;
    const inMeta = (input.metadata ?? {}) as Meta;
    const name = oldMeta.name ?? '';
    let next: Obj;
    if (verb === 'status') {
      next = withStatus(old, input.status);
    } else {
      // copyWith, not a spread: the result is frozen in place and must share its hidden
      // class with the created ones (a spread gave every patched Event and renewed Lease its own).
      const metadata = serverMeta(inMeta, oldMeta);
      next = specLiteral(input, r.apiVersion, kind, metadata) ?? copyWith(input, { apiVersion: r.apiVersion, kind, metadata });
      if (r.hasStatus) next.status = old.status;
      // A spec the server stored was already defaulted and admitted; only a new one needs it.
      if (next.spec !== old.spec || kind === 'StorageClass') next = mutate(kind, applyDefaults(kind, next), this.#admission);
      // Only the name (immutable) and spec are validated; an unchanged spec was valid.
      // No array per write when there is nothing to report (a Lease renewal's spec changes
      // every 10 s per node, with nothing to report); the same errors in the same order otherwise.
      let errors: readonly FieldError[] = next.spec === old.spec ? NO_FIELD_ERRORS : validate(kind, next);
      // An unchanged spec has nothing forbidden (podSpecUpdateErrors answers so at once).
      if (kind === 'Pod' && next.spec !== old.spec) {
        const forbidden = podSpecUpdateErrors((old as Pod).spec!, (next as Pod).spec!, deepEqual);
        if (forbidden.length > 0) errors = [...errors, ...forbidden];
      }
      if (oldMeta.deletionTimestamp) {
        const added = (inMeta.finalizers ?? []).filter((f) => !(oldMeta.finalizers ?? []).includes(f));
        if (added.length > 0) {
          errors = [
            ...errors,
            { field: 'metadata.finalizers', type: 'Forbidden', detail: `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}` },
          ];
        }
      }
      if (errors.length > 0) return E.left(invalid(kind, r.group, name, errors));
      if (r.tracksGeneration && !deepEqual(old.spec, next.spec)) {
        next = withChanges(next, { metadata: withChanges(next.metadata as Meta, { generation: (oldMeta.generation ?? 0) + 1 }) });
      }
    }
    // A no-op write commits nothing. The spec first: when it changed (a Lease renewal, 500 a
    // second at 5,000 nodes) the answer comes without walking the rebuilt metadata.
    // A status write changed nothing else (next is old with the input's status).
    if (verb === 'status' ? deepEqual(old.status, next.status) : deepEqual(old.spec, next.spec) && deepEqual(old, next)) return E.right(old);
    const committed = verb === 'status' ? this.#commitStatus(caller, kind, next, old) : this.#commit(caller, verb, kind, next, old);
    return E.right(this.#removeIfFinal(caller, kind, committed));
  }

  /** An object being deleted whose last finalizer went and whose grace period is 0 is removed. */
  #removeIfFinal(caller: Caller, kind: Kind, obj: KubeObject): KubeObject {
    const meta = obj.metadata;
    if (meta?.deletionTimestamp && (meta.finalizers ?? []).length === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0 && !hasSpecFinalizers(obj)) {
      return this.#remove(caller, kind, obj);
    }
    return obj;
  }

  /**
   * `stored`: `input` is already as {@link inObject} would build it. `plainBuilt`: its
   * metadata is a literal of this server's with the members {@link plainMeta} keeps, all
   * defined, and a resourceVersion to set. `eventUid`: `input` is an Event built as the
   * Event store's rows hold one, with a uid of these four words (EventStore.write).
   */
  #commit(
    caller: Caller,
    verb: WriteTraceEntry['verb'],
    kind: Kind,
    input: Obj,
    old: KubeObject | undefined,
    stored = false,
    plainBuilt = false,
    eventUid?: Uint32Array,
  ): KubeObject {
    const rv = ++this.#rv;
    const resourceVersion = String(rv);
    // `input` and its metadata are objects this server just built (never a caller's), so
    // they are completed and frozen in place; their members are frozen copies.
    const plain = plainBuilt ? undefined : plainMeta(input.metadata as Meta, resourceVersion);
    if (plainBuilt) {
      const meta = input.metadata as Meta;
      (meta as Record<string, unknown>).resourceVersion = resourceVersion;
      Object.freeze(meta);
    } else if (plain !== undefined) {
      // Its members are strings: nothing to copy or freeze below it.
      input.metadata = Object.freeze(plain);
    } else {
      // Pod and Node metadata as the literal all their versions share; other shapes copied
      // when frozen (a stored one), completed in place when this server built them.
      let meta = metaLiteral(input.metadata as Meta, resourceVersion);
      if (meta === undefined) {
        meta = Object.isFrozen(input.metadata) ? Object.assign({}, input.metadata as Meta) : (input.metadata as Meta);
        (meta as Record<string, unknown>).resourceVersion = resourceVersion;
      }
      // Frozen in place before the object is: freezeOwned(input) would otherwise copy it again.
      input.metadata = freezeBuilt(meta);
    }
    return this.#committed(caller, verb, kind, freezeOwned(stored ? input : inObject(kind, input)), old, rv, eventUid);
  }

  /**
   * #commit of a status write: `input` is the stored `old` with another status (withStatus,
   * so already as {@link inObject} would build it). Every member but the status is old's,
   * deeply frozen, its metadata without undefined members: only the status may need
   * freezing. Why (issue 8): #commit's walks called Object.isFrozen (a C++ builtin, ~30 ns)
   * on the metadata, each of its labels, annotations and owner references, and the spec,
   * to find them frozen on every Node heartbeat and Pod status write.
   */
  #commitStatus(caller: Caller, kind: Kind, input: Obj, old: KubeObject): KubeObject {
    const rv = ++this.#rv;
    const resourceVersion = String(rv);
    // What #commit builds: a literal, or a copy with the resourceVersion replaced.
    input.metadata = Object.freeze(metaAtVersion(input.metadata as Meta, resourceVersion));
    const status = input.status;
    if (status !== null && typeof status === 'object' && !Object.isFrozen(status)) input.status = freezeCopy(status);
    return this.#committed(caller, 'status', kind, Object.freeze(input), old, rv);
  }

  /** `obj`, frozen, committed at `rv`: stored, traced and published. `eventUid`: as #commit's. */
  #committed(caller: Caller, verb: WriteTraceEntry['verb'], kind: Kind, obj: KubeObject, old: KubeObject | undefined, rv: number, eventUid?: Uint32Array): KubeObject {
    if (kind === 'Event') {
      // The Event store returns the row it wrote: the expiry removes the Event by it.
      const row = this.#events.write(obj, eventUid);
      this.#record(caller, verb, kind, obj, rv);
      this.#expireEventLater(obj, rv, old, row);
    } else {
      this.#store(kind).set(obj);
      this.#record(caller, verb, kind, obj, rv);
    }
    this.#publish(rv, kind, old ? 'MODIFIED' : 'ADDED', obj, old);
    return obj;
  }

  #remove(caller: Caller, kind: Kind, old: KubeObject): KubeObject {
    const rv = ++this.#rv;
    const obj = removedVersion(kind, old as Obj, String(rv));
    this.#store(kind).delete(old.metadata?.namespace, old.metadata?.name ?? '');
    if (kind === 'Event') this.#eventTTL?.stop(Number(old.metadata?.resourceVersion));
    this.#removed(caller, kind, old, obj, rv);
    return obj;
  }

  /** The removal at `rv` of `old` (already out of its store; undefined when not built), `obj` its DELETED version: traced and published. */
  #removed(caller: Caller, kind: Kind, old: KubeObject | undefined, obj: KubeObject, rv: number): void {
    this.#record(caller, 'remove', kind, obj, rv);
    this.#publish(rv, kind, 'DELETED', obj, old);
  }

  #record(caller: Caller, verb: WriteTraceEntry['verb'], kind: Kind, obj: KubeObject, rv: number): void {
    const meta = obj.metadata ?? {};
    let writer = writers.get(caller);
    if (writer === undefined) writers.set(caller, (writer = { by: `${caller.component}@${caller.location}`, trace: -1, id: -1 }));
    // A caller can write to several servers (tests, the --event-ttl caller): the id is its trace's.
    const trace = this.#trace;
    if (writer.trace !== trace.serial) {
      writer.trace = trace.serial;
      writer.id = trace.writerId(writer.by);
    }
    // The trace stores the write as columns: no entry object per write (issue 8).
    this.#trace.recordWrite(this.clock.now(), verb, kind, meta.namespace, meta.name ?? '', rv, writer.by, writer.id);
  }

  /**
   * Events live for --event-ttl after their last write, as etcd leases make them: the
   * write at `rv`, stored in the Event store's `row`, starts a countdown and ends the one
   * of the write it replaced (`old`).
   */
  #expireEventLater(event: KubeObject, rv: number, old: KubeObject | undefined, row: number): void {
    const ttl = this.#eventTTL;
    if (ttl === undefined) return;
    if (old !== undefined) ttl.stop(Number(old.metadata?.resourceVersion));
    ttl.start(event.metadata?.namespace, event.metadata?.name ?? '', rv, row);
  }

  /** A countdown ran out: the Event it was started for goes (a later write or a delete would have stopped it). */
  #expireEvent(expiry: EventExpiry): void {
    // What #remove does, with the Event found and built once (issue 8, EventStore.remove).
    // The resourceVersion is taken only once the Event is known to be there, as #remove does.
    // By the countdown's row while it holds that write; by name otherwise (an Event kept
    // whole, say), which finds the same Event whenever the row does.
    const resourceVersion = String(this.#rv + 1);
    const events = this.#events;
    const taken =
      events.removeRow(expiry.row, expiry.resourceVersion, expiry.namespace, expiry.name, resourceVersion) ??
      events.remove(expiry.namespace, expiry.name, resourceVersion);
    if (taken === undefined) return;
    const rv = ++this.#rv;
    const obj = taken.removed ?? removedVersion('Event', taken.old as Obj, String(rv));
    // The countdown that fired is the stored version's (every write stops the one before),
    // and the TTL ended it before calling here: stop() would find it over. Any other is stopped.
    if (taken.storedVersion !== expiry.resourceVersion) this.#eventTTL?.stop(taken.storedVersion);
    // A DELETED change's previous version is read by nothing (the log drops it, #offer
    // ignores it, its indexed fields are the removed version's): a row's is not built.
    this.#removed(EVENT_TTL_CALLER, 'Event', taken.old, obj, rv);
  }

  // ---- watch delivery ----------------------------------------------------------------
  // Changes are delivered one at a time to every watcher, in commit order, even when a
  // watcher's handler writes (its change is queued behind the one being delivered).

  #publish(rv: number, kind: Kind, type: Change['type'], object: KubeObject, old: KubeObject | undefined): void {
    const slot = this.#pendingCount++;
    let change = this.#changes[slot];
    if (change === undefined) {
      this.#changes[slot] = change = { rv, kind, type, object, old };
    } else {
      // The events made for the record's last change must not be taken for this one's.
      if (this.#eventsOf === change) this.#eventsOf = undefined;
      change.rv = rv;
      change.kind = kind;
      change.type = type;
      change.object = object;
      change.old = old;
    }
    this.#log.append(change);
    this.#pending[slot] = change;
    this.#drain();
  }

  #resumeWatchers(location: Location): void {
    for (const [kind, watchers] of this.#watchers) {
      const stalled = watchers.filter((w) => w.location === location && w.stalled);
      const index = kind === undefined ? undefined : this.#indexes.get(kind);
      if (index !== undefined) {
        for (const { byValue } of index.fields.values()) {
          for (const indexed of byValue.values()) for (const w of indexed) if (w.location === location && w.stalled) stalled.push(w);
        }
        stalled.sort(bySeq);
      }
      for (const watcher of stalled) this.#pending[this.#pendingCount++] = watcher;
    }
    this.#drain();
  }

  #drain(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let i = 0; i < this.#pendingCount; i++) {
        const item = this.#pending[i]!;
        if ('rv' in item) {
          const watchers = this.#watchers.get(item.kind) ?? NO_WATCHERS;
          const index = this.#indexes.get(item.kind);
          // Indexed loops: for-of allocated an array iterator per change where this was not optimized.
          if (index === undefined || !this.#collectCandidates(index, item)) {
            for (let w = 0; w < watchers.length; w++) this.#offer(watchers[w]!, item);
          } else {
            this.#offerMerged(watchers, item);
          }
          const everyKind = this.#watchers.get(undefined) ?? NO_WATCHERS;
          for (let w = 0; w < everyKind.length; w++) this.#offer(everyKind[w]!, item);
          this.#deliveredRv = item.rv;
        } else {
          this.#catchUp(item);
        }
      }
    } finally {
      // A loop, not Array#fill: the builtin's call cost more than clearing the one or two slots a write fills.
      const pending = this.#pending;
      for (let i = 0; i < this.#pendingCount; i++) pending[i] = undefined;
      this.#pendingCount = 0;
      this.#delivering = false;
    }
  }

  #register(watcher: Watcher): void {
    const { kind, indexKey } = watcher;
    // The kind's list exists even when empty: resuming walks kinds in first-watch order.
    const listed = this.#watchers.get(kind) ?? NO_WATCHERS;
    if (kind === undefined || indexKey === undefined) {
      this.#watchers.set(kind, [...listed, watcher]);
      return;
    }
    if (!this.#watchers.has(kind)) this.#watchers.set(kind, listed);
    let index = this.#indexes.get(kind);
    if (!index) this.#indexes.set(kind, (index = { fields: new Map(), list: [] }));
    let field = index.fields.get(indexKey.field);
    if (!field) {
      index.fields.set(indexKey.field, (field = { get: fieldsForKind(kind).get(indexKey.field)!, byValue: new Map() }));
      index.list.push(field);
    }
    field.byValue.set(indexKey.value, [...(field.byValue.get(indexKey.value) ?? NO_WATCHERS), watcher]);
  }

  #unregister(watcher: Watcher): void {
    watcher.active = false;
    const { kind, indexKey } = watcher;
    if (kind !== undefined && indexKey !== undefined) {
      const byValue = this.#indexes.get(kind)?.fields.get(indexKey.field)?.byValue;
      const rest = (byValue?.get(indexKey.value) ?? NO_WATCHERS).filter((w) => w !== watcher);
      if (rest.length > 0) byValue?.set(indexKey.value, rest);
      else byValue?.delete(indexKey.value);
      return;
    }
    this.#watchers.set(
      kind,
      (this.#watchers.get(kind) ?? []).filter((w) => w !== watcher),
    );
  }

  /** Fills #candidates with the indexed watchers of the change's values (before and after); true when there are any. */
  #collectCandidates(index: WatcherIndex, change: Change): boolean {
    const candidates = this.#candidates;
    let count = 0;
    const fields = index.list;
    for (let f = 0; f < fields.length; f++) {
      const { get, byValue } = fields[f]!;
      const value = get(change.object) ?? '';
      const now = byValue.get(value);
      if (now !== undefined) for (let i = 0; i < now.length; i++) candidates[count++] = now[i]!;
      if (change.old !== undefined) {
        const before = get(change.old) ?? '';
        const then = before === value ? undefined : byValue.get(before);
        if (then !== undefined) for (let i = 0; i < then.length; i++) candidates[count++] = then[i]!;
      }
    }
    this.#candidateCount = count;
    // By seq, an insertion sort when few (a kubelet or two, the usual case), where
    // Array#sort allocated its work area on every write that had two. Seqs are distinct,
    // so the order is the one sort gave.
    if (count > 16) {
      const sorted = candidates.slice(0, count).sort(bySeq);
      for (let i = 0; i < count; i++) candidates[i] = sorted[i]!;
    } else {
      for (let i = 1; i < count; i++) {
        const w = candidates[i]!;
        let j = i - 1;
        while (j >= 0 && candidates[j]!.seq > w.seq) {
          candidates[j + 1] = candidates[j]!;
          j--;
        }
        candidates[j + 1] = w;
      }
    }
    return count > 0;
  }

  /** Offers the change to the kind's listed watchers and the indexed candidates, in registration order. */
  #offerMerged(listed: readonly Watcher[], change: Change): void {
    // Not copied: a handler's write is only queued (#drain does not nest), so nothing refills #candidates meanwhile.
    const candidates = this.#candidates;
    const count = this.#candidateCount;
    let c = 0;
    for (let w = 0; w < listed.length; w++) {
      const watcher = listed[w]!;
      while (c < count && candidates[c]!.seq < watcher.seq) this.#offer(candidates[c++]!, change);
      this.#offer(watcher, change);
    }
    while (c < count) this.#offer(candidates[c++]!, change);
  }

  #offer(watcher: Watcher, change: Change): void {
    if (change.rv <= watcher.lastRv || watcher.stalled || !watcher.active) return;
    if (!watcher.controlPlane && !this.reachability.isReachable(watcher.location)) {
      // It saw everything before this change; resuming replays from here.
      watcher.stalled = true;
      watcher.lastRv = change.rv - 1;
      return;
    }
    watcher.lastRv = change.rv;
    const all = watcher.matchesAll;
    const now = all || watcher.matches(change.object);
    const before = change.old !== undefined && change.type === 'MODIFIED' && (all || watcher.matches(change.old));
    if (change.type === 'DELETED') {
      if (now) watcher.sink.next(this.#eventOf(change, 'DELETED'));
    } else if (now) {
      watcher.sink.next(this.#eventOf(change, before || change.type === 'ADDED' ? change.type : 'ADDED'));
    } else if (before) {
      // The object left the watch's selector: upstream's filtered watch says DELETED.
      watcher.sink.next(this.#eventOf(change, 'DELETED'));
    }
  }

  /** The shared `type` event of `change` (see #eventsOf). */
  #eventOf(change: Change, type: WatchEvent['type']): WatchEvent {
    if (this.#eventsOf !== change) {
      // A handler may start a watch whose replay offers other changes: the cache follows
      // whichever change is being offered, so each event still carries its own object.
      this.#eventsOf = change;
      this.#added = this.#modified = this.#deleted = undefined;
    }
    if (type === 'MODIFIED') return (this.#modified ??= Object.freeze({ type, object: change.object }));
    if (type === 'ADDED') return (this.#added ??= Object.freeze({ type, object: change.object }));
    return (this.#deleted ??= Object.freeze({ type, object: change.object }));
  }

  /** A watcher whose location is reachable again replays what it missed, or fails with 410. */
  #catchUp(watcher: Watcher): void {
    if (!watcher.stalled || !this.reachability.isReachable(watcher.location)) return;
    const missed = this.#log.since(watcher.lastRv, this.#deliveredRv);
    watcher.stalled = false;
    if (!missed) {
      this.#unregister(watcher);
      watcher.sink.error(gone(`too old resource version: ${watcher.lastRv} (${this.#log.oldestResumable})`));
      return;
    }
    for (const change of missed) {
      if (watcher.kind === undefined || change.kind === watcher.kind) this.#offer(watcher, change);
      else watcher.lastRv = change.rv;
    }
  }
}
