// List + watch with a local cache, like client-go's reflector and shared informer: list,
// then watch from the list's resourceVersion; when the watch expires (410), relist and
// turn the difference into events; when the caller cannot reach the server, wait until it
// can. A watch of an unreachable caller simply stalls and catches up (see ApiServer).
import * as E from 'fp-ts/lib/Either.js';
import { filter, Observable, Subscriber, Subscription, take, type Observer } from 'rxjs';
import type { ListOptions } from './api-server.js';
import type { WatchEvent } from './watch.js';
import type { ApiClient } from './client.js';
import type { ApiError } from './errors.js';
import { resources, type Kind, type KubeObject, type ObjectOf } from './resources.js';
import { reportUnhandled } from './watch-sink.js';

/** A change the informer saw, with the object before it for MODIFIED and DELETED. */
export interface InformerEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: T;
  readonly old?: T;
}

/** The informer's cache key: `namespace/name`, or `name` for cluster-scoped objects. */
export const cacheKey = (obj: KubeObject): string =>
  obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name ?? ''}` : (obj.metadata?.name ?? '');

/** Where an object is cached: its namespace ("" for none), as cacheKey tells them apart. */
const namespaceOf = (obj: KubeObject): string => obj.metadata?.namespace || '';

/**
 * Where an object that shares its name with a cached object of another namespace is
 * cached: its cache key, which no name can equal (names hold no "/", see admission's
 * validateName).
 */
const sharedNameKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** A cached object with its cache key and where it is in the cache, made only to sort (see list). */
interface Keyed {
  readonly key: string;
  readonly at: string;
}

const byKey = (a: Keyed, b: Keyed): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * What the last informer to take a watch event read from it, for the next one (issue 8).
 * The API server offers each change to every watcher in turn with one shared frozen watch
 * event, so the dozen Pod informers of a cluster take the same event one after another:
 * its namespace, name and resourceVersion are read once (property reads on objects of
 * every kind are megamorphic), and the InformerEvent made for it is handed on to every
 * informer whose cached object before it is the same one, so it is made once, not once per
 * informer. The event is equal either way (same type, object and old); only its identity is
 * shared, as client-go's shared informer hands one notification to all its handlers.
 */
const lastDelivery: {
  watchEvent: WatchEvent | undefined;
  namespace: string;
  name: string;
  resourceVersion: string | undefined;
  /** The cached object the event was made with (undefined: made without `old`). */
  old: KubeObject | undefined;
  made: InformerEvent<KubeObject> | undefined;
} = { watchEvent: undefined, namespace: '', name: '', resourceVersion: undefined, old: undefined, made: undefined };

/**
 * One subscription of {@link Informer.events$} (issue 8). A handler subscribed with a
 * function or an observer object is called directly: through an RxJS SafeSubscriber each
 * event took three calls per handler (Subscriber.next, _next, ConsumerObserver.next), ~1.3%
 * of the workload minute at 1,000 nodes. `observer` is what RxJS's ConsumerObserver would
 * hold (the caller's object, or one wrapping its function) and is called the way it calls
 * it: an exception is reported as RxJS reports it and delivery goes on. A Subscriber
 * (an operator's, or one handed on by another Observable) is kept as such and called as
 * before.
 */
interface Handler<T> {
  readonly observer: Partial<Observer<T>>;
  readonly subscriber: Subscriber<T> | undefined;
  /** What ends a direct handler's subscription (set before it joins). */
  subscription: Subscription | undefined;
  /** False once it left or failed: a direct handler that left mid-event takes nothing, as a closed Subscriber. */
  active: boolean;
}

const NO_OBSERVER: Partial<Observer<unknown>> = Object.freeze({});

/** Delivers `value` to a handler as its RxJS Subscriber would (see Handler). */
const deliver = <T>(handler: Handler<T>, value: T): void => {
  if (handler.subscriber !== undefined) {
    handler.subscriber.next(value);
    return;
  }
  if (!handler.active) return;
  const observer = handler.observer;
  if (observer.next) {
    try {
      observer.next(value);
    } catch (error) {
      reportUnhandled(error);
    }
  }
};

/**
 * Ends a handler with `error` as its RxJS Subscriber would (SafeSubscriber.error: the
 * observer's error callback, or the error reported as unhandled; then the teardown).
 */
const failHandler = <T>(handler: Handler<T>, error: unknown): void => {
  if (handler.subscriber !== undefined) {
    handler.subscriber.error(error);
    return;
  }
  if (!handler.active) return;
  handler.active = false;
  const observer = handler.observer;
  try {
    if (observer.error) {
      try {
        observer.error(error);
      } catch (thrown) {
        reportUnhandled(thrown);
      }
    } else {
      reportUnhandled(error);
    }
  } finally {
    handler.subscription?.unsubscribe();
  }
};

/**
 * The Observable of {@link Informer.events$}: `subscribe` with a function or an observer
 * object registers a direct {@link Handler}; a Subscriber (`pipe`, firstValueFrom, another
 * Observable handing its subscriber on) and the deprecated several-callback form go
 * through RxJS as for any Observable, and meet the same join.
 */
class HandlerObservable<T> extends Observable<T> {
  readonly #join: (handler: Handler<T>) => () => void;

  constructor(join: (handler: Handler<T>) => () => void) {
    super((subscriber) => join({ observer: NO_OBSERVER, subscriber, subscription: undefined, active: true }));
    this.#join = join;
  }

  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    // The deprecated form, as RxJS wraps it.
    if (error != null || complete != null) return super.subscribe(observerOrNext as ((value: T) => void) | null | undefined, error, complete);
    // A Subscriber, or an observer that is also a subscription, RxJS uses as it is (isSubscriber).
    if (observerOrNext instanceof Subscriber || (typeof observerOrNext === 'object' && observerOrNext !== null && 'unsubscribe' in observerOrNext)) {
      return super.subscribe(observerOrNext);
    }
    // As SafeSubscriber's partial observer: the caller's object, or one holding its function.
    const observer: Partial<Observer<T>> = typeof observerOrNext === 'function' ? { next: observerOrNext } : (observerOrNext ?? {});
    const subscription = new Subscription();
    const handler: Handler<T> = { observer, subscriber: undefined, subscription, active: true };
    // Added to a subscription that already ended (the first list failed), the teardown runs
    // at once, as RxJS's does; what the join throws ends the handler, as in _trySubscribe.
    try {
      subscription.add(this.#join(handler));
    } catch (thrown) {
      failHandler(handler, thrown);
    }
    return subscription;
  }
}

const isRetriable = (e: ApiError): boolean => e.reason === 'Unreachable';
const isExpired = (e: ApiError): boolean => e.reason === 'Expired' || e.reason === 'Gone';

/**
 * A cache of one kind kept current by list + watch, shared by every subscriber of
 * {@link Informer.events$} — like client-go's shared informer with its event handlers.
 */
export class Informer<K extends Kind> {
  /**
   * Cached objects by name (issue 8): one Map entry per object, in the order the objects
   * were cached, which a relist's deletions follow (as a Map keyed by cacheKey did). An
   * object whose name a cached object of another namespace already has is kept under its
   * cache key instead (see #find). The name is a string the object already holds, so a
   * watch event or a get() builds and hashes no "namespace/name" key (fresh key strings
   * cost ~1 µs a lookup at 30,000 Pods, the shared ones ~0.15 µs); and there is no record
   * per object, nor a map per namespace each needing the insertion order beside it (a
   * record per object per informer was ~48 bytes, 2.3 MiB at 500 nodes).
   */
  readonly #cache = new Map<string, ObjectOf<K>>();
  /** How many objects are cached under their cache key (see #cache): none, usually. */
  #sharedNames = 0;
  readonly #subscribers = new Set<Handler<InformerEvent<ObjectOf<K>>>>();
  /**
   * #subscribers as an array, rebuilt when one joins or leaves: delivery iterates a snapshot
   * (as the copy it replaces; one that left mid-event is closed and takes nothing) without
   * copying the set per event.
   */
  #snapshot: readonly Handler<InformerEvent<ObjectOf<K>>>[] = [];
  /**
   * The cache in key order, kept until a key is added or removed (see list): where each
   * object is in #cache, which finds its current version.
   */
  #sorted: string[] | undefined;
  #stop: (() => void) | undefined;
  #synced = false;
  /** See {@link Informer.changes}. */
  #changes = 0;
  /** #fromWatch's answer, reused: read at once by the caller, never kept. */
  readonly #delivery: { made: InformerEvent<ObjectOf<K>>; at: string | undefined } = { made: undefined!, at: undefined };
  /** Where #find found its object in #cache (its name, or its cache key). */
  #foundAt = '';
  /** Whether the kind is namespaced, looked up once: get() is on every controller's hot path. */
  readonly #namespaced: boolean;

  /**
   * Every change. The first subscriber starts the list + watch (an ADDED per listed
   * object); a subscriber that joins later first gets an ADDED per cached object, as a
   * handler added to a running client-go informer does. When the last one leaves, the
   * watch stops. The cache is up to date when a subscriber sees an event.
   */
  readonly events$: Observable<InformerEvent<ObjectOf<K>>>;

  constructor(
    readonly client: ApiClient,
    readonly kind: K,
    readonly options: ListOptions = {},
  ) {
    this.#namespaced = resources[kind].namespaced;
    this.events$ = new HandlerObservable<InformerEvent<ObjectOf<K>>>((handler) => {
      if (this.#stop) for (const object of this.list()) deliver(handler, { type: 'ADDED', object });
      this.#subscribers.add(handler);
      this.#snapshot = [...this.#subscribers];
      if (!this.#stop) this.#stop = this.#run();
      return () => {
        handler.active = false;
        this.#subscribers.delete(handler);
        this.#snapshot = [...this.#subscribers];
        if (this.#subscribers.size === 0) {
          this.#stop?.();
          this.#stop = undefined;
        }
      };
    });
  }

  /** True once the first list has been applied to the cache. */
  get hasSynced(): boolean {
    return this.#synced;
  }

  /** The cached object, if any (namespace defaults to "default" for namespaced kinds). */
  get(name: string, namespace?: string): ObjectOf<K> | undefined {
    if (!this.#namespaced) return this.#find('', name);
    const ns = namespace ?? 'default';
    // An empty namespace made the key "/name", which no cached object has.
    return ns === '' ? undefined : this.#find(ns, name);
  }

  /** Every cached object, in key order. */
  list(): ObjectOf<K>[] {
    // The order outlives updates (only adds and deletes drop it): controllers list on every
    // sync, and re-sorting thousands of keys each time dominated those syncs. It keeps where
    // each object is, not the object, which an update replaces; no key string outlives the
    // sort.
    let sorted = this.#sorted;
    if (sorted === undefined) {
      const keyed: Keyed[] = [];
      for (const [at, object] of this.#cache) keyed.push({ key: cacheKey(object), at });
      keyed.sort(byKey);
      sorted = this.#sorted = keyed.map((k) => k.at);
    }
    const cache = this.#cache;
    const out = new Array<ObjectOf<K>>(sorted.length);
    for (let i = 0; i < sorted.length; i++) out[i] = cache.get(sorted[i]!)!;
    return out;
  }

  /** Number of cached objects. */
  get size(): number {
    return this.#cache.size;
  }

  /**
   * Changes applied to the cache so far (adds, updates, deletes): the same count at two
   * reads means every `get` between them returns the same objects, so a caller may keep
   * what it looked up (the node monitor's pass, issue 8).
   */
  get changes(): number {
    return this.#changes;
  }

  /** The cached object of that namespace ("" for none) and name; sets #foundAt. */
  #find(namespace: string, name: string): ObjectOf<K> | undefined {
    const object = this.#cache.get(name);
    if (object !== undefined && (object.metadata?.namespace || '') === namespace) {
      this.#foundAt = name;
      return object;
    }
    if (this.#sharedNames === 0) return undefined;
    const at = sharedNameKey(namespace, name);
    this.#foundAt = at;
    return this.#cache.get(at);
  }

  #cached(obj: KubeObject): ObjectOf<K> | undefined {
    return this.#find(namespaceOf(obj), obj.metadata?.name ?? '');
  }

  /**
   * The InformerEvent for a watch event (its `old` is the object cached before it), and
   * where that is in #cache; see lastDelivery for what is shared with the informer that
   * took the event before.
   */
  #fromWatch(event: WatchEvent<ObjectOf<K>>): { readonly made: InformerEvent<ObjectOf<K>>; readonly at: string | undefined } {
    const last = lastDelivery;
    if (last.watchEvent !== event) {
      const meta = event.object.metadata;
      last.watchEvent = event;
      last.namespace = meta?.namespace || '';
      last.name = meta?.name ?? '';
      last.resourceVersion = meta?.resourceVersion;
      last.made = undefined;
    }
    const old = this.#find(last.namespace, last.name);
    let made = last.made as InformerEvent<ObjectOf<K>> | undefined;
    if (made === undefined || last.old !== old) {
      made = old !== undefined ? { type: event.type, object: event.object, old } : { type: event.type, object: event.object };
      last.made = made;
      last.old = old;
    }
    this.#delivery.made = made;
    this.#delivery.at = old === undefined ? undefined : this.#foundAt;
    return this.#delivery;
  }

  /** Applies a change to the cache; `at` is where the object is in #cache, if cached. */
  #apply(event: InformerEvent<ObjectOf<K>>, at: string | undefined): void {
    if (event.type === 'DELETED' && at === undefined) return;
    this.#changes++;
    const cache = this.#cache;
    if (at !== undefined) {
      if (event.type !== 'DELETED') {
        cache.set(at, event.object);
        return;
      }
      cache.delete(at);
      if (at !== (event.object.metadata?.name ?? '')) this.#sharedNames--;
    } else {
      const name = event.object.metadata?.name ?? '';
      if (cache.has(name)) {
        // Another namespace's object has the name (#find looked there first).
        cache.set(sharedNameKey(namespaceOf(event.object), name), event.object);
        this.#sharedNames++;
      } else {
        cache.set(name, event.object);
      }
    }
    this.#sorted = undefined;
  }

  /** Starts list + watch; returns what stops it. */
  #run(): () => void {
    let stopWatch: (() => void) | undefined;
    let watchGeneration = 0;
    let wait: Subscription | undefined;
    let stopped = false;
    let lastRv = '';
    // `at`: where the object was in the cache before the event (undefined: not cached),
    // which the caller just looked up.
    const emit = (event: InformerEvent<ObjectOf<K>>, at: string | undefined): void => {
      this.#apply(event, at);
      // Indexed: for-of made an array iterator per event where this closure was not optimized.
      const subscribers = this.#snapshot;
      for (let i = 0; i < subscribers.length; i++) deliver(subscribers[i]!, event);
    };
    const fail = (error: ApiError): void => {
      for (const handler of this.#snapshot) failHandler(handler, error);
    };
    const retryWhenReachable = (then: () => void): void => {
      wait = this.client.reachable$.pipe(filter(Boolean), take(1)).subscribe(then);
    };
    const relist = (): void => {
      if (stopped) return;
      const listed = this.client.list(this.kind, this.options);
      if (E.isLeft(listed)) {
        if (isRetriable(listed.left)) retryWhenReachable(relist);
        else fail(listed.left);
        return;
      }
      const seen = new Set<string>();
      for (const object of listed.right.items) {
        seen.add(cacheKey(object));
        const cached = this.#cached(object);
        if (!cached) emit({ type: 'ADDED', object }, undefined);
        else if (cached.metadata?.resourceVersion !== object.metadata?.resourceVersion) emit({ type: 'MODIFIED', object, old: cached }, this.#foundAt);
      }
      // What the list no longer has goes, in the order it was cached (taken before any goes).
      const gone: [string, ObjectOf<K>][] = [];
      for (const entry of this.#cache) if (!seen.has(cacheKey(entry[1]))) gone.push(entry);
      for (const [at, old] of gone) emit({ type: 'DELETED', object: old, old }, at);
      this.#synced = true;
      lastRv = listed.right.resourceVersion;
      watchFrom();
    };
    const watchFrom = (): void => {
      if (stopped) return;
      // A sink, not an Observable (issue 8): each change reached the informer through
      // three RxJS Subscriber layers. What those layers did with an exception of the
      // handlers below (report it, go on) the catches do, through RxJS's own reporting:
      // watchSink's rule without a subscription, written out because this is the hottest
      // sink of a run (watchSink's call of its handler cost ~4 ns a delivery).
      // A watch can fail as it begins (410, or the caller cut off) and the handling below may
      // start the next one before watchTo returns: only the newest watch's stop is kept.
      const generation = ++watchGeneration;
      const stop = this.client.watchTo(this.kind, { ...this.options, resourceVersion: lastRv }, {
        next: (event) => {
          try {
            const { made, at } = this.#fromWatch(event);
            lastRv = lastDelivery.resourceVersion ?? lastRv;
            emit(made, at);
          } catch (error) {
            reportUnhandled(error);
          }
        },
        error: (error: ApiError) => {
          try {
            if (isExpired(error)) relist();
            else if (isRetriable(error)) retryWhenReachable(watchFrom);
            else fail(error);
          } catch (thrown) {
            reportUnhandled(thrown);
          }
        },
      });
      if (generation === watchGeneration) stopWatch = stop;
    };
    relist();
    return () => {
      stopped = true;
      stopWatch?.();
      wait?.unsubscribe();
      this.#synced = false;
    };
  }
}
