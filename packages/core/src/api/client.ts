// The handle every component uses to talk to the API server, like client-go's clientset:
// it carries who is calling and from where, so reachability applies to each call.
import type * as E from 'fp-ts/lib/Either.js';
import { map, startWith, type Observable } from 'rxjs';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type {
  ApiServer,
  Caller,
  DeleteOptions,
  ListOptions,
  ObjectList,
  PatchOptions,
  UpdateOptions,
  WatchOptions,
  WatchSink,
} from './api-server.js';
import type { ApiError } from './errors.js';
import type { Location } from './reachability.js';
import type { Kind, ObjectOf } from './resources.js';
import type { WatchEvent } from './watch.js';

/** The options of every status update, shared: a kubelet updates its Node's status every 10 s. */
const STATUS: UpdateOptions = Object.freeze({ subresource: 'status' });

/** A client of the API server for one component at one location. Every call is synchronous. */
export class ApiClient implements Caller {
  readonly location: Location;
  readonly component: string;

  constructor(
    /** The server this client talks to. */
    readonly server: ApiServer,
    caller: Caller,
  ) {
    this.location = caller.location;
    this.component = caller.component;
  }

  /** True while this client's location can reach the API server. */
  get reachable(): boolean {
    return this.server.reachability.isReachable(this.location);
  }

  /** This client's reachability: the current value, then every change. */
  get reachable$(): Observable<boolean> {
    return this.server.reachability.changes$(this.location).pipe(
      map((c) => c.reachable),
      startWith(this.reachable),
    );
  }

  /** GET `kind` `name` (in `namespace`, default "default", for namespaced kinds). */
  get<K extends Kind>(kind: K, name: string, namespace?: string): E.Either<ApiError, ObjectOf<K>> {
    return this.server.get(this, kind, name, namespace);
  }

  /** LIST `kind`, optionally filtered by namespace, label and field selectors. */
  list<K extends Kind>(kind: K, options?: ListOptions): E.Either<ApiError, ObjectList<ObjectOf<K>>> {
    return this.server.list(this, kind, options);
  }

  /** CREATE an object; the namespace comes from its metadata, else `namespace`, else "default". */
  create<K extends Kind>(kind: K, object: ObjectOf<K>, namespace?: string): E.Either<ApiError, ObjectOf<K>> {
    return this.server.create(this, kind, object, namespace);
  }

  /** UPDATE (PUT) an object; with `{subresource: 'status'}` only its status changes. */
  update<K extends Kind>(kind: K, object: ObjectOf<K>, options?: UpdateOptions): E.Either<ApiError, ObjectOf<K>> {
    return this.server.update(this, kind, object, options);
  }

  /** UPDATE the status subresource. */
  updateStatus<K extends Kind>(kind: K, object: ObjectOf<K>): E.Either<ApiError, ObjectOf<K>> {
    return this.server.update(this, kind, object, STATUS);
  }

  /** PATCH an object (strategic merge by default). */
  patch<K extends Kind>(kind: K, name: string, patch: unknown, options?: PatchOptions): E.Either<ApiError, ObjectOf<K>> {
    return this.server.patch(this, kind, name, patch, options);
  }

  /** DELETE an object; see {@link ApiServer.delete} for graceful deletion and finalizers. */
  delete<K extends Kind>(kind: K, name: string, options?: DeleteOptions): E.Either<ApiError, ObjectOf<K>> {
    return this.server.delete(this, kind, name, options);
  }

  /** Binds a Pod to a node (the pods/binding subresource the scheduler uses). */
  bind(podName: string, namespace: string, nodeName: string): E.Either<ApiError, Pod> {
    return this.server.bind(this, podName, namespace, nodeName);
  }

  /** Evicts a Pod (the pods/eviction subresource): a graceful delete PodDisruptionBudgets may refuse with 429. */
  evict(podName: string, namespace: string, options?: Omit<DeleteOptions, 'namespace'>): E.Either<ApiError, Pod> {
    return this.server.evict(this, podName, namespace, options);
  }

  /** WATCH `kind` from a resourceVersion; errors with an ApiError (Unreachable, Expired…). */
  watch<K extends Kind>(kind: K, options?: WatchOptions): Observable<WatchEvent<ObjectOf<K>>> {
    return this.server.watch(this, kind, options);
  }

  /**
   * WATCH `kind` as {@link ApiClient.watch}, delivering to `sink` without an Observable
   * (see {@link ApiServer.watchTo}); returns what stops it.
   */
  watchTo<K extends Kind>(kind: K, options: WatchOptions, sink: WatchSink<ObjectOf<K>>): () => void {
    return this.server.watchTo(this, kind, options, sink);
  }

  /** WATCH every kind at once (the garbage collector's view). */
  watchAll(options?: Omit<WatchOptions, 'labelSelector' | 'fieldSelector'>): Observable<WatchEvent> {
    return this.server.watch(this, undefined, options);
  }
}
