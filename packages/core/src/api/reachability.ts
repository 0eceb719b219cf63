// Who can reach the API server. Every client belongs to a location: the control plane or
// a node. A powered-off or partitioned node's location is unreachable: its calls fail
// with Unreachable and its watches deliver nothing until it is reachable again. This is
// the mechanism that keeps a Pod Terminating while its kubelet is gone.
import { Observable } from 'rxjs';

/** Where a client runs: `control-plane`, `node/<name>`, or any label an embedder picks. */
export type Location = string;

/** The control plane's location; it can never be made unreachable. */
export const CONTROL_PLANE: Location = 'control-plane';

/** The location of a node's components (kubelet, its containers). */
export const nodeLocation = (nodeName: string): Location => `node/${nodeName}`;

/** A change of reachability. */
export interface ReachabilityChange {
  readonly location: Location;
  readonly reachable: boolean;
}

/** The reachability model: which locations can reach the API server now. */
export class Reachability {
  readonly #unreachable = new Set<Location>();
  readonly #listeners = new Set<(change: ReachabilityChange) => void>();

  /** True when clients at `location` can reach the API server. */
  isReachable(location: Location): boolean {
    // Asked on every call and watch delivery; until a failure nothing is cut off, and the
    // size answers without hashing the location.
    return this.#unreachable.size === 0 || !this.#unreachable.has(location);
  }

  /** Locations that cannot reach the API server now, sorted. */
  get unreachable(): readonly Location[] {
    return [...this.#unreachable].sort();
  }

  /**
   * Makes `location` reachable or not; a no-op when nothing changes.
   * @throws RangeError for the control plane, which failsim never cuts off.
   */
  set(location: Location, reachable: boolean): void {
    if (location === CONTROL_PLANE && !reachable) throw new RangeError('the control plane cannot be made unreachable');
    if (this.isReachable(location) === reachable) return;
    if (reachable) this.#unreachable.delete(location);
    else this.#unreachable.add(location);
    for (const listener of [...this.#listeners]) listener({ location, reachable });
  }

  /** Calls `listener` on every change; returns the unsubscribe. Listeners run in registration order. */
  onChange(listener: (change: ReachabilityChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Changes of one location (or all), as an Observable. */
  changes$(location?: Location): Observable<ReachabilityChange> {
    return new Observable<ReachabilityChange>((subscriber) =>
      this.onChange((change) => {
        if (location === undefined || change.location === location) subscriber.next(change);
      }),
    );
  }
}
