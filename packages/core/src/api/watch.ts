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

const TYPES: readonly Change['type'][] = ['ADDED', 'MODIFIED', 'DELETED'];
const TYPE_CODE = { ADDED: 0, MODIFIED: 1, DELETED: 2 } as const;

/**
 * A bounded log of changes with contiguous resourceVersions.
 *
 * A ring of columns (issue 8): it holds exactly `capacity` changes, where compacting an
 * array in bulk kept up to twice that many old objects alive, and it keeps no object per
 * change; {@link ChangeLog.since} rebuilds the changes a resuming watch asks for. The
 * columns grow with the log up to `capacity`, so a small simulation pays for what it
 * holds, not for the bound.
 */
export class ChangeLog {
  readonly #rvs: number[] = [];
  readonly #kinds: Kind[] = [];
  readonly #types: number[] = [];
  readonly #objects: KubeObject[] = [];
  readonly #olds: (KubeObject | undefined)[] = [];
  /** Slot of the oldest change once the ring is full (0 while it grows). */
  #head = 0;

  /** A log that keeps the last `capacity` changes (none when it is 0). */
  constructor(private readonly capacity: number) {}

  /** Number of changes held (at most the capacity). */
  get size(): number {
    return this.#rvs.length;
  }

  /** Appends the next change; drops the oldest beyond capacity. O(1). */
  append(change: Change): void {
    if (this.capacity <= 0) return;
    const type = TYPE_CODE[change.type];
    if (this.#rvs.length < this.capacity) {
      this.#rvs.push(change.rv);
      this.#kinds.push(change.kind);
      this.#types.push(type);
      this.#objects.push(change.object);
      this.#olds.push(change.old);
      return;
    }
    // Full: the new change takes the oldest one's slot.
    const slot = this.#head;
    this.#rvs[slot] = change.rv;
    this.#kinds[slot] = change.kind;
    this.#types[slot] = type;
    this.#objects[slot] = change.object;
    this.#olds[slot] = change.old;
    this.#head = slot + 1 === this.#rvs.length ? 0 : slot + 1;
  }

  /** The oldest resourceVersion a watch may start from (entries after it are all kept). */
  get oldestResumable(): number {
    return this.#rvs.length > 0 ? this.#rvs[this.#head]! - 1 : Number.POSITIVE_INFINITY;
  }

  /**
   * The entries after `rv` up to and including `until`, in commit order; undefined when
   * some were compacted away.
   */
  since(rv: number, until: number): Change[] | undefined {
    if (rv >= until) return [];
    const length = this.#rvs.length;
    if (length === 0) return undefined;
    const first = this.#rvs[this.#head]!;
    if (rv < first - 1) return undefined;
    // resourceVersions are contiguous, so offsets from the oldest are positions in the ring.
    const from = Math.max(0, rv - first + 1);
    const to = Math.min(length, until - first + 1);
    const out: Change[] = [];
    for (let i = from; i < to; i++) {
      const slot = (this.#head + i) % length;
      const old = this.#olds[slot];
      const base = { rv: this.#rvs[slot]!, kind: this.#kinds[slot]!, type: TYPES[this.#types[slot]!]!, object: this.#objects[slot]! };
      out.push(old === undefined ? base : { ...base, old });
    }
    return out;
  }
}
