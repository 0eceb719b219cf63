// Watch events and the server's change log. Every committed write gets the next
// cluster-wide resourceVersion and one entry in the log, so the log's resourceVersions are
// contiguous and a watch from resourceVersion N replays entries N+1… until the log has
// been compacted past N (then the watch fails with 410 Expired, as etcd compaction does).
import { kinds, type Kind, type KubeObject } from './resources.js';

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
  /** The object before the change (MODIFIED and DELETED; a DELETED change replayed by {@link ChangeLog.since} has none). */
  readonly old?: KubeObject;
}

const TYPES: readonly Change['type'][] = ['ADDED', 'MODIFIED', 'DELETED'];
const TYPE_CODE = { ADDED: 0, MODIFIED: 1, DELETED: 2 } as const;

/** Changes per chunk of the ring's columns (see ChangeLog). */
const CHUNK_BITS = 11;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/** A kind's index in {@link kinds}, for the ring's code column. */
const KIND_CODE: ReadonlyMap<Kind, number> = new Map(kinds.map((kind, i) => [kind, i]));

/**
 * A bounded log of changes with contiguous resourceVersions.
 *
 * A ring of columns (issue 8): it holds exactly `capacity` changes, where compacting an
 * array in bulk kept up to twice that many old objects alive, and it keeps no object per
 * change; {@link ChangeLog.since} rebuilds the changes a resuming watch asks for. The
 * columns are chunks of 2,048 changes added as the log grows, up to `capacity`: a small
 * simulation pays for what it holds, not for the bound, and growing copies nothing (the
 * arrays grown by push left ~2× their size in garbage behind them, 2.6% of what a library
 * scenario allocated). The resourceVersion of a change is not stored: they are
 * contiguous, so it follows from the last one; kind and type share a 16-bit code.
 * A change about a kind the server does not serve (only a caller of this class could
 * make one) keeps its kind in a side map.
 */
export class ChangeLog {
  /** kind index × 4 + type code, per slot. */
  readonly #codes: Uint16Array[] = [];
  readonly #objects: (KubeObject | undefined)[][] = [];
  readonly #olds: (KubeObject | undefined)[][] = [];
  /** Kinds without a code (not in `kinds`), by slot. */
  readonly #otherKinds = new Map<number, Kind>();
  #size = 0;
  /** Slot of the oldest change once the ring is full (0 while it grows). */
  #head = 0;
  /** The resourceVersion of the newest change. */
  #last = 0;

  /** A log that keeps the last `capacity` changes (none when it is 0). */
  constructor(private readonly capacity: number) {}

  /** Number of changes held (at most the capacity). */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends the next change, whose resourceVersion must follow the last one's (as the
   * API server's do); drops the oldest beyond capacity. O(1).
   */
  append(change: Change): void {
    if (this.capacity <= 0) return;
    let slot: number;
    if (this.#size < this.capacity) {
      slot = this.#size++;
      if ((slot & CHUNK_MASK) === 0) {
        // A chunk no longer than the ring needs: a small capacity gets a small chunk.
        const length = Math.min(CHUNK, this.capacity - slot);
        this.#codes.push(new Uint16Array(length));
        this.#objects.push(new Array<KubeObject | undefined>(length).fill(undefined));
        this.#olds.push(new Array<KubeObject | undefined>(length).fill(undefined));
      }
    } else {
      // Full: the new change takes the oldest one's slot.
      slot = this.#head;
      this.#head = slot + 1 === this.#size ? 0 : slot + 1;
    }
    this.#last = change.rv;
    const chunk = slot >> CHUNK_BITS;
    const i = slot & CHUNK_MASK;
    const kind = KIND_CODE.get(change.kind);
    if (kind === undefined) this.#otherKinds.set(slot, change.kind);
    else if (this.#otherKinds.size > 0) this.#otherKinds.delete(slot);
    this.#codes[chunk]![i] = (kind ?? 0) * 4 + TYPE_CODE[change.type];
    this.#objects[chunk]![i] = change.object;
    // A DELETED change is kept without the object before it: no watch reads it (the event
    // carries the removed object), and keeping it held each removed object's previous
    // version for as long as the log, long enough to be promoted to V8's old generation
    // (issue 8: ~970,000 Events expire within three minutes at 5,000 nodes).
    this.#olds[chunk]![i] = change.type === 'DELETED' ? undefined : change.old;
  }

  /** The oldest resourceVersion a watch may start from (entries after it are all kept). */
  get oldestResumable(): number {
    return this.#size > 0 ? this.#last - this.#size : Number.POSITIVE_INFINITY;
  }

  /**
   * The entries after `rv` up to and including `until`, in commit order; undefined when
   * some were compacted away.
   */
  since(rv: number, until: number): Change[] | undefined {
    if (rv >= until) return [];
    const length = this.#size;
    if (length === 0) return undefined;
    const first = this.#last - length + 1;
    if (rv < first - 1) return undefined;
    // resourceVersions are contiguous, so offsets from the oldest are positions in the ring.
    const from = Math.max(0, rv - first + 1);
    const to = Math.min(length, until - first + 1);
    const out: Change[] = [];
    for (let i = from; i < to; i++) {
      const slot = (this.#head + i) % length;
      const chunk = slot >> CHUNK_BITS;
      const at = slot & CHUNK_MASK;
      const code = this.#codes[chunk]![at]!;
      const old = this.#olds[chunk]![at];
      const kind = this.#otherKinds.get(slot) ?? kinds[code >> 2]!;
      const base = { rv: first + i, kind, type: TYPES[code & 3]!, object: this.#objects[chunk]![at]! };
      out.push(old === undefined ? base : { ...base, old });
    }
    return out;
  }
}
