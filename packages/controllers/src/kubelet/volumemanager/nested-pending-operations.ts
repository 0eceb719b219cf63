// The per-volume operation bookkeeping of the kubelet's operation executor:
// pkg/volume/util/nestedpendingoperations/nestedpendingoperations.go (one operation per key
// at a time; a failed one is not retried before its back-off ends; a success forgets the
// key and so resets the back-off) with pkg/util/goroutinemap/exponentialbackoff/
// exponential_backoff.go (500 ms, doubling, at most 2 min 2 s) · v1.12. Storage reference §2, §4.

/** exponentialbackoff initialDurationBeforeRetry. */
export const INITIAL_DURATION_BEFORE_RETRY_MS = 500;
/** exponentialbackoff maxDurationBeforeRetry (2 min 2 s; 2 min in releases before 1.8). */
export const MAX_DURATION_BEFORE_RETRY_MS = 122_000;

/** A cancellable operation in progress (an RxJS subscription fits). */
export interface RunningOperation {
  unsubscribe(): void;
}

interface Operation {
  running: RunningOperation | undefined;
  /** Set right after `start` until the operation ends: a synchronous completion must not be cancelled. */
  inProgress: boolean;
  durationBeforeRetry: number;
  lastErrorAt: number;
  lastError: string | undefined;
}

/**
 * Pending volume operations by key (a volume's unique name, or volume + pod). Level-based
 * callers ask {@link NestedPendingOperations.retryAt} when a key may run again and only
 * then start it; the owner of the clock decides when to look again.
 */
export class NestedPendingOperations {
  /**
   * Empty almost always (an operation is forgotten when it succeeds): created on first use
   * and dropped once empty, since an empty Map (~190 bytes with its table) per kubelet was
   * most of what an idle one kept.
   */
  #ops: Map<string, Operation> | undefined;

  /** Whether an operation of `key` is in progress. */
  isRunning(key: string): boolean {
    return this.#ops?.get(key)?.inProgress ?? false;
  }

  /** When `key` may start again: now-or-earlier if it may, undefined while it runs. */
  retryAt(key: string): number | undefined {
    const op = this.#ops?.get(key);
    if (!op) return Number.NEGATIVE_INFINITY;
    if (op.inProgress) return undefined;
    return op.lastErrorAt + op.durationBeforeRetry;
  }

  /** The last error of `key`'s failed operation, while it backs off. */
  lastError(key: string): string | undefined {
    return this.#ops?.get(key)?.lastError;
  }

  /** Marks `key` in progress; `run` starts the work and returns its handle (it may already have ended). */
  start(key: string, run: () => RunningOperation | undefined): void {
    const ops = (this.#ops ??= new Map<string, Operation>());
    const op = ops.get(key) ?? { running: undefined, inProgress: false, durationBeforeRetry: 0, lastErrorAt: 0, lastError: undefined };
    op.inProgress = true;
    ops.set(key, op);
    const running = run();
    if (this.#ops?.get(key) === op && op.inProgress) op.running = running;
  }

  /** `key`'s operation succeeded: forget it, so its next failure starts the back-off afresh. */
  succeeded(key: string): void {
    if (this.#ops?.delete(key) === true && this.#ops.size === 0) this.#ops = undefined;
  }

  /** `key`'s operation failed at `now` with `error`: back off (500 ms, doubling, cap 2m2s). */
  failed(key: string, now: number, error: string): void {
    const ops = (this.#ops ??= new Map<string, Operation>());
    const op = ops.get(key) ?? { running: undefined, inProgress: false, durationBeforeRetry: 0, lastErrorAt: 0, lastError: undefined };
    op.durationBeforeRetry = op.durationBeforeRetry === 0 ? INITIAL_DURATION_BEFORE_RETRY_MS : Math.min(2 * op.durationBeforeRetry, MAX_DURATION_BEFORE_RETRY_MS);
    op.lastErrorAt = now;
    op.lastError = error;
    op.inProgress = false;
    op.running = undefined;
    ops.set(key, op);
  }

  /** Cancels every operation in progress and forgets every key (the kubelet process ended). */
  clear(): void {
    for (const op of this.#ops?.values() ?? []) op.running?.unsubscribe();
    this.#ops = undefined;
  }
}
