// Watch events and the server's change log. Every committed write gets the next
// cluster-wide resourceVersion and one entry in the log, so the log's resourceVersions are
// contiguous and a watch from resourceVersion N replays entries N+1… until the log has
// been compacted past N (then the watch fails with 410 Expired, as etcd compaction does).
import type { Kind, KubeObject } from './resources.js';

/** What a watch delivers, as upstream: ADDED, MODIFIED or DELETED with the object. */
export interface WatchEvent<T = KubeObject> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: T;
}

/** One committed change: the log entry behind watch events. */
export interface Change {
  readonly rv: number;
  readonly kind: Kind;
  readonly type: WatchEvent['type'];
  readonly object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  readonly old?: KubeObject;
}

/** A bounded log of changes with contiguous resourceVersions. */
export class ChangeLog {
  #entries: Change[] = [];
  #start = 0;

  constructor(private readonly capacity: number) {}

  /** Appends the next change; drops the oldest beyond capacity. */
  append(change: Change): void {
    this.#entries.push(change);
    if (this.#entries.length - this.#start > this.capacity) {
      this.#start++;
      // Compact in bulk so appends stay O(1) amortised.
      if (this.#start > this.capacity) {
        this.#entries = this.#entries.slice(this.#start);
        this.#start = 0;
      }
    }
  }

  /** The oldest resourceVersion a watch may start from (entries after it are all kept). */
  get oldestResumable(): number {
    const first = this.#entries[this.#start];
    return first ? first.rv - 1 : Number.POSITIVE_INFINITY;
  }

  /**
   * The entries after `rv` up to and including `until`, in commit order; undefined when
   * some were compacted away.
   */
  since(rv: number, until: number): Change[] | undefined {
    if (rv >= until) return [];
    const first = this.#entries[this.#start];
    if (!first || rv < first.rv - 1) return undefined;
    const from = this.#start + (rv - first.rv + 1);
    const to = this.#start + (until - first.rv + 1);
    return this.#entries.slice(from, to);
  }
}
