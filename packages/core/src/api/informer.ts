// List + watch with a local cache, like client-go's reflector and shared informer: list,
// then watch from the list's resourceVersion; when the watch expires (410), relist and
// turn the difference into events; when the caller cannot reach the server, wait until it
// can. A watch of an unreachable caller simply stalls and catches up (see ApiServer).
import * as E from 'fp-ts/lib/Either.js';
import { filter, Observable, take, type Subscriber, type Subscription } from 'rxjs';
import type { ListOptions } from './api-server.js';
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

const isRetriable = (e: ApiError): boolean => e.reason === 'Unreachable';
const isExpired = (e: ApiError): boolean => e.reason === 'Expired' || e.reason === 'Gone';

/**
 * A cache of one kind kept current by list + watch, shared by every subscriber of
 * {@link Informer.events$} — like client-go's shared informer with its event handlers.
 */
export class Informer<K extends Kind> {
  readonly #cache = new Map<string, ObjectOf<K>>();
  readonly #subscribers = new Set<Subscriber<InformerEvent<ObjectOf<K>>>>();
  /**
   * #subscribers as an array, rebuilt when one joins or leaves: delivery iterates a snapshot
   * (as the copy it replaces; one that left mid-event is closed and takes nothing) without
   * copying the set per event.
   */
  #snapshot: readonly Subscriber<InformerEvent<ObjectOf<K>>>[] = [];
  /** The cache's keys in order, kept until a key is added or removed (see list). */
  #sortedKeys: string[] | undefined;
  #stop: (() => void) | undefined;
  #synced = false;
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
    return this.#cache.get(this.#namespaced ? `${namespace ?? 'default'}/${name}` : name);
  }

  /** Every cached object, in key order. */
  list(): ObjectOf<K>[] {
    // The sorted keys outlive updates (only adds and deletes drop them): controllers list
    // on every sync, and re-sorting thousands of keys each time dominated those syncs.
    const keys = (this.#sortedKeys ??= [...this.#cache.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const out = new Array<ObjectOf<K>>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = this.#cache.get(keys[i]!)!;
    return out;
  }

  /** Number of cached objects. */
  get size(): number {
    return this.#cache.size;
  }

  /** Starts list + watch; returns what stops it. */
  #run(): () => void {
    let watch: Subscription | undefined;
    let wait: Subscription | undefined;
    let stopped = false;
    let lastRv = '';
    // `cached`: whether the key is in the cache before the event, when the caller knows
    // (the watch just looked the old object up), so the cache is not asked twice.
    const emit = (event: InformerEvent<ObjectOf<K>>, key: string = cacheKey(event.object), cached: boolean = this.#cache.has(key)): void => {
      if (event.type === 'DELETED') {
        if (cached) {
          this.#cache.delete(key);
          this.#sortedKeys = undefined;
        }
      } else {
        if (!cached) this.#sortedKeys = undefined;
        this.#cache.set(key, event.object);
      }
      for (const subscriber of this.#snapshot) subscriber.next(event);
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
        const key = cacheKey(object);
        seen.add(key);
        const old = this.#cache.get(key);
        if (!old) emit({ type: 'ADDED', object });
        else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) emit({ type: 'MODIFIED', object, old });
      }
      for (const [key, old] of [...this.#cache]) if (!seen.has(key)) emit({ type: 'DELETED', object: old, old });
      this.#synced = true;
      lastRv = listed.right.resourceVersion;
      watchFrom();
    };
    const watchFrom = (): void => {
      if (stopped) return;
      watch = this.client.watch(this.kind, { ...this.options, resourceVersion: lastRv }).subscribe({
        next: (event) => {
          lastRv = event.object.metadata?.resourceVersion ?? lastRv;
          const key = cacheKey(event.object);
          const old = this.#cache.get(key);
          emit(old ? { type: event.type, object: event.object, old } : { type: event.type, object: event.object }, key, old !== undefined);
        },
        error: (error: ApiError) => {
          if (isExpired(error)) relist();
          else if (isRetriable(error)) retryWhenReachable(watchFrom);
          else fail(error);
        },
      });
    };
    relist();
    return () => {
      stopped = true;
      watch?.unsubscribe();
      wait?.unsubscribe();
      this.#synced = false;
    };
  }
}
