// List + watch with a local cache, like client-go's reflector and shared informer: list,
// then watch from the list's resourceVersion; when the watch expires (410), relist and
// turn the difference into events; when the caller cannot reach the server, wait until it
// can. A watch of an unreachable caller simply stalls and catches up (see ApiServer).
import * as E from 'fp-ts/lib/Either.js';
import { filter, Observable, take, throwError, type Subscriber, type Subscription } from 'rxjs';
import type { ListOptions } from './api-server.js';
import type { WatchEvent } from './watch.js';
import type { ApiClient } from './client.js';
import type { ApiError } from './errors.js';
import { resources, type Kind, type KubeObject, type ObjectOf } from './resources.js';

/** A change the informer saw, with the object before it for MODIFIED and DELETED. */
export interface InformerEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: T;
  readonly old?: T;
}

/** The informer's cache key: `namespace/name`, or `name` for cluster-scoped objects. */
export const cacheKey = (obj: KubeObject): string =>
  obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name ?? ''}` : (obj.metadata?.name ?? '');

/**
 * One cached object. The informer finds it by namespace, then name (the strings the object
 * already holds), so a watch event or a get() builds and hashes no "namespace/name" key:
 * fresh key strings cost ~1 µs a lookup at 30,000 Pods, the shared ones ~0.15 µs.
 */
interface Slot<T> {
  object: T;
  /** The cache key, made when the keys are sorted (see list). */
  key: string | undefined;
  /** Order of insertion, which a relist's deletions follow (as a Map keyed by cacheKey did). */
  readonly seq: number;
}

/** Where an object is cached: its namespace ("" for none), as cacheKey tells them apart. */
const namespaceOf = (obj: KubeObject): string => obj.metadata?.namespace || '';

const bySeq = (a: { readonly seq: number }, b: { readonly seq: number }): number => a.seq - b.seq;

/**
 * Reports an exception as an RxJS subscriber reports one its observer threw
 * (handleUnhandledError: config.onUnhandledError, else rethrown asynchronously): an
 * Observable that errors, subscribed without an error handler, goes the same way.
 */
const reportUnhandled = (error: unknown): void => {
  throwError(() => error).subscribe();
};

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

const isRetriable = (e: ApiError): boolean => e.reason === 'Unreachable';
const isExpired = (e: ApiError): boolean => e.reason === 'Expired' || e.reason === 'Gone';

/**
 * A cache of one kind kept current by list + watch, shared by every subscriber of
 * {@link Informer.events$} — like client-go's shared informer with its event handlers.
 */
export class Informer<K extends Kind> {
  /** Cached objects by namespace ("" for cluster-scoped ones), then name. */
  readonly #cache = new Map<string, Map<string, Slot<ObjectOf<K>>>>();
  #size = 0;
  #inserted = 0;
  readonly #subscribers = new Set<Subscriber<InformerEvent<ObjectOf<K>>>>();
  /**
   * #subscribers as an array, rebuilt when one joins or leaves: delivery iterates a snapshot
   * (as the copy it replaces; one that left mid-event is closed and takes nothing) without
   * copying the set per event.
   */
  #snapshot: readonly Subscriber<InformerEvent<ObjectOf<K>>>[] = [];
  /** The cache's slots in key order, kept until a key is added or removed (see list). */
  #sorted: Slot<ObjectOf<K>>[] | undefined;
  #stop: (() => void) | undefined;
  #synced = false;
  /** See {@link Informer.changes}. */
  #changes = 0;
  /** #fromWatch's answer, reused: read at once by the caller, never kept. */
  readonly #delivery: { made: InformerEvent<ObjectOf<K>>; slot: Slot<ObjectOf<K>> | undefined } = { made: undefined!, slot: undefined };
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
    this.events$ = new Observable<InformerEvent<ObjectOf<K>>>((subscriber) => {
      if (this.#stop) for (const object of this.list()) subscriber.next({ type: 'ADDED', object });
      this.#subscribers.add(subscriber);
      this.#snapshot = [...this.#subscribers];
      if (!this.#stop) this.#stop = this.#run();
      return () => {
        this.#subscribers.delete(subscriber);
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
    if (!this.#namespaced) return this.#cache.get('')?.get(name)?.object;
    const ns = namespace ?? 'default';
    // An empty namespace made the key "/name", which no cached object has.
    return ns === '' ? undefined : this.#cache.get(ns)?.get(name)?.object;
  }

  /** Every cached object, in key order. */
  list(): ObjectOf<K>[] {
    // The sorted slots outlive updates (only adds and deletes drop them): controllers list
    // on every sync, and re-sorting thousands of keys each time dominated those syncs.
    const sorted = (this.#sorted ??= this.#slots().sort((a, b) => {
      const x = (a.key ??= cacheKey(a.object));
      const y = (b.key ??= cacheKey(b.object));
      return x < y ? -1 : x > y ? 1 : 0;
    }));
    const out = new Array<ObjectOf<K>>(sorted.length);
    for (let i = 0; i < sorted.length; i++) out[i] = sorted[i]!.object;
    return out;
  }

  /** Number of cached objects. */
  get size(): number {
    return this.#size;
  }

  /**
   * Changes applied to the cache so far (adds, updates, deletes): the same count at two
   * reads means every `get` between them returns the same objects, so a caller may keep
   * what it looked up (the node monitor's pass, issue 8).
   */
  get changes(): number {
    return this.#changes;
  }

  /** Every slot, in no particular order. */
  #slots(): Slot<ObjectOf<K>>[] {
    const out: Slot<ObjectOf<K>>[] = [];
    for (const names of this.#cache.values()) for (const slot of names.values()) out.push(slot);
    return out;
  }

  #slotOf(obj: KubeObject): Slot<ObjectOf<K>> | undefined {
    return this.#cache.get(namespaceOf(obj))?.get(obj.metadata?.name ?? '');
  }

  /**
   * The InformerEvent for a watch event, and the object's slot in the cache before it;
   * see lastDelivery for what is shared with the informer that took the event before.
   */
  #fromWatch(event: WatchEvent<ObjectOf<K>>): { readonly made: InformerEvent<ObjectOf<K>>; readonly slot: Slot<ObjectOf<K>> | undefined } {
    const last = lastDelivery;
    if (last.watchEvent !== event) {
      const meta = event.object.metadata;
      last.watchEvent = event;
      last.namespace = meta?.namespace || '';
      last.name = meta?.name ?? '';
      last.resourceVersion = meta?.resourceVersion;
      last.made = undefined;
    }
    const slot = this.#cache.get(last.namespace)?.get(last.name);
    const old = slot?.object;
    let made = last.made as InformerEvent<ObjectOf<K>> | undefined;
    if (made === undefined || last.old !== old) {
      made = old !== undefined ? { type: event.type, object: event.object, old } : { type: event.type, object: event.object };
      last.made = made;
      last.old = old;
    }
    this.#delivery.made = made;
    this.#delivery.slot = slot;
    return this.#delivery;
  }

  /** Applies a change to the cache; `slot` is the object's, if cached. */
  #apply(event: InformerEvent<ObjectOf<K>>, slot: Slot<ObjectOf<K>> | undefined): void {
    if (event.type === 'DELETED' && slot === undefined) return;
    this.#changes++;
    if (event.type === 'DELETED') {
      const ns = namespaceOf(event.object);
      const names = this.#cache.get(ns)!;
      names.delete(event.object.metadata?.name ?? '');
      if (names.size === 0) this.#cache.delete(ns);
      this.#size--;
      this.#sorted = undefined;
    } else if (slot !== undefined) {
      slot.object = event.object;
    } else {
      const ns = namespaceOf(event.object);
      let names = this.#cache.get(ns);
      if (names === undefined) this.#cache.set(ns, (names = new Map<string, Slot<ObjectOf<K>>>()));
      names.set(event.object.metadata?.name ?? '', { object: event.object, key: undefined, seq: ++this.#inserted });
      this.#size++;
      this.#sorted = undefined;
    }
  }

  /** Starts list + watch; returns what stops it. */
  #run(): () => void {
    let stopWatch: (() => void) | undefined;
    let watchGeneration = 0;
    let wait: Subscription | undefined;
    let stopped = false;
    let lastRv = '';
    // `slot`: the object's in the cache before the event, which the caller just looked up.
    const emit = (event: InformerEvent<ObjectOf<K>>, slot: Slot<ObjectOf<K>> | undefined): void => {
      this.#apply(event, slot);
      // Indexed: for-of made an array iterator per event where this closure was not optimized.
      const subscribers = this.#snapshot;
      for (let i = 0; i < subscribers.length; i++) subscribers[i]!.next(event);
    };
    const fail = (error: ApiError): void => {
      for (const subscriber of this.#snapshot) subscriber.error(error);
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
        const slot = this.#slotOf(object);
        if (!slot) emit({ type: 'ADDED', object }, slot);
        else if (slot.object.metadata?.resourceVersion !== object.metadata?.resourceVersion) emit({ type: 'MODIFIED', object, old: slot.object }, slot);
      }
      // What the list no longer has goes, in the order it was cached.
      for (const slot of this.#slots().sort(bySeq)) {
        if (seen.has((slot.key ??= cacheKey(slot.object)))) continue;
        const old = slot.object;
        emit({ type: 'DELETED', object: old, old }, slot);
      }
      this.#synced = true;
      lastRv = listed.right.resourceVersion;
      watchFrom();
    };
    const watchFrom = (): void => {
      if (stopped) return;
      // A sink, not an Observable (issue 8): each change reached the informer through
      // three RxJS Subscriber layers. What those layers did with an exception of the
      // handlers below (report it, go on) the catches do, through RxJS's own reporting.
      // A watch can fail as it begins (410, or the caller cut off) and the handling below may
      // start the next one before watchTo returns: only the newest watch's stop is kept.
      const generation = ++watchGeneration;
      const stop = this.client.watchTo(this.kind, { ...this.options, resourceVersion: lastRv }, {
        next: (event) => {
          try {
            const { made, slot } = this.#fromWatch(event);
            lastRv = lastDelivery.resourceVersion ?? lastRv;
            emit(made, slot);
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
