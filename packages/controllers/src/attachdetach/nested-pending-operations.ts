// At most one attach/detach operation per key, with exponential back-off after a failure,
// as upstream's pkg/volume/util/nestedpendingoperations/nestedpendingoperations.go and
// pkg/util/goroutinemap/exponentialbackoff/exponential_backoff.go (k/k v1.28): the first
// retry waits 500 ms, each further failure doubles the wait, capped at 2 min 2 s; success
// forgets the key. Storage reference §2 ("Operation retry back-off").

/** initialDurationBeforeRetry. */
export const INITIAL_DURATION_BEFORE_RETRY = 500;
/** maxDurationBeforeRetry (2 min 2 s). */
export const MAX_DURATION_BEFORE_RETRY = 122_000;

interface Operation {
  pending: boolean;
  lastErrorTime: number;
  durationBeforeRetry: number;
  lastError: string | undefined;
}

/**
 * The operation key: the volume alone for volumes that may not be multi-attached (so one
 * ReadWriteOnce volume has one operation at a time cluster-wide, as upstream's
 * AttachVolume/DetachVolume pass an empty node name for them), else volume and node.
 */
export const operationKey = (volumeName: string, nodeName: string, multiAttachAllowed: boolean): string =>
  multiAttachAllowed ? `${volumeName}\u0000${nodeName}` : volumeName;

/** The pending-operations table (NestedPendingOperations with exponentialBackOffOnError). */
export class NestedPendingOperations {
  readonly #ops = new Map<string, Operation>();

  /** IsOperationPending: an operation for the key is running (not merely backing off). */
  isOperationPending(key: string): boolean {
    return this.#ops.get(key)?.pending ?? false;
  }

  /**
   * When the key may run again: `now` or later; undefined when an operation is running.
   * Upstream refuses while `time.Since(lastErrorTime) <= durationBeforeRetry`; its loop is
   * sliding (each tick comes a little after the period), so the first tick at the boundary
   * is already past it. In virtual time ticks are exact, so the boundary itself is allowed.
   */
  retryAt(key: string, now: number): number | undefined {
    const op = this.#ops.get(key);
    if (!op) return now;
    if (op.pending) return undefined;
    return Math.max(now, op.lastErrorTime + op.durationBeforeRetry);
  }

  /** Starts an operation: false when one is running or the key is backing off. */
  start(key: string, now: number): boolean {
    if (this.retryAt(key, now) !== now) return false;
    const op = this.#ops.get(key);
    if (op) op.pending = true;
    else this.#ops.set(key, { pending: true, lastErrorTime: 0, durationBeforeRetry: 0, lastError: undefined });
    return true;
  }

  /** The operation ended; an error backs the key off (500 ms, doubling, capped). */
  complete(key: string, now: number, error?: string): void {
    const op = this.#ops.get(key);
    if (!op) return;
    if (error === undefined) {
      this.#ops.delete(key);
      return;
    }
    op.pending = false;
    op.lastError = error;
    op.lastErrorTime = now;
    op.durationBeforeRetry =
      op.durationBeforeRetry === 0 ? INITIAL_DURATION_BEFORE_RETRY : Math.min(MAX_DURATION_BEFORE_RETRY, op.durationBeforeRetry * 2);
  }

  /** The last error of a key still backing off, for diagnostics. */
  lastError(key: string): string | undefined {
    return this.#ops.get(key)?.lastError;
  }

  /** Forgets every operation (the controller stops). */
  clear(): void {
    this.#ops.clear();
  }
}
