// The simulation's record of what happened: every API write, every Event and every
// reachability change, stamped with virtual time. Two runs of the same scenario and seed
// must give byte-identical NDJSON, so entries are plain data built in a fixed key order.
//
// Storage is columnar (issue 8): a trace holds every write of the run, 6 million at 5,000
// nodes, and an object per entry cost ~150-200 bytes. Each entry is a row of typed-array
// columns (time, what it is, interned strings, one number), filled chunk by chunk so
// growing never copies; entry objects are built only when read (`entries`, `toNDJSON`),
// with the same keys in the same order, so the NDJSON is byte for byte what it was.

import { RecentIds, StringTable } from './string-table.js';

/** An API write committed by the server. */
export interface WriteTraceEntry {
  readonly t: number;
  readonly type: 'write';
  /** create, update, status, patch, delete (marked for deletion), remove (gone from storage). */
  readonly verb: 'create' | 'update' | 'status' | 'patch' | 'delete' | 'remove';
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly resourceVersion: string;
  /** Who wrote it: `component@location`. */
  readonly by: string;
}

/** A core/v1 Event recorded (created or its count moved). */
export interface EventTraceEntry {
  readonly t: number;
  readonly type: 'event';
  readonly eventType: string;
  readonly reason: string;
  readonly message: string;
  readonly object: string;
  readonly count: number;
  readonly source: string;
}

/** A location became reachable or unreachable from the API server. */
export interface ReachabilityTraceEntry {
  readonly t: number;
  readonly type: 'reachability';
  readonly location: string;
  readonly reachable: boolean;
}

/** Anything the trace records. */
export type TraceEntry = WriteTraceEntry | EventTraceEntry | ReachabilityTraceEntry;

/**
 * A write as {@link Trace.onWrite} tells it: the row it was stored at (read it back with
 * {@link Trace.at}) and its values, so a listener that only compares them builds nothing.
 * `resourceVersion` is the number the string stands for (NaN when it stands for none).
 */
export type WriteListener = (
  row: number,
  t: number,
  verb: WriteTraceEntry['verb'],
  kind: string,
  namespace: string | undefined,
  name: string,
  resourceVersion: number,
  by: string,
) => void;

const VERBS: readonly WriteTraceEntry['verb'][] = ['create', 'update', 'status', 'patch', 'delete', 'remove'];
const VERB_CODE: ReadonlyMap<string, number> = new Map(VERBS.map((v, i) => [v, i]));
/**
 * A write whose name is its writer's own name for its kind (its first write's of that kind) has code
 * SELF + verb and no `c` value: a kubelet's Lease renewals and Node status writes, a third
 * of a large run's rows, name the kubelet's node.
 */
const SELF = 6;
/** Row codes after the verbs (0-5) and self-named verbs (6-11). */
const REACHABLE = 12;
const UNREACHABLE = 13;
/** An entry kept as the object it was recorded as (a shape the columns do not hold exactly). */
const RAW = 14;
/**
 * An Event row's code is EVENT + (the object id's bits above 16) × 2 + the id of its
 * eventType in the trace's event-type table ('Normal' 0, 'Warning' 1: the only two
 * Kubernetes has), so neither takes a column and `n` holds the object id's low 16 bits.
 * An Event of a third type, or whose object id is 7,864,320 (120 × 65,536) or more, is
 * kept RAW. (An Event's message is not elided as writes' names are: a source's first
 * message for a reason comes back for 4% of the Events of the 100-node bench.)
 */
const EVENT = 15;
const MAX_EVENT_CODE = 0xff;
/** No namespace (cluster-scoped write): namespaces are stored as their id + 1. */
const NONE = 0;
/** Largest value of a uint16 column. */
const MAX_U16 = 0xffff;

/** Rows per chunk: 16,384 rows × ~9 bytes of typed arrays ≈ 150 KB (and the `c` pointers), so a small simulation does not pay for a big one. */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
/** Rows per block of the `c` rank: a row's `c` index is its block's count plus the rows with a `c` before it in the block. */
const BLOCK_BITS = 5;
/** Times, counts and resourceVersions are stored as uint32; others (fractions, 50 days on) are kept raw. */
const MAX_U32 = 0xffff_ffff;

/** A column of ids, counts or offsets: as narrow as its chunk's values allow (uint8 or uint16 at first, widened on demand). */
type IdColumn = Uint8Array | Uint16Array | Uint32Array;

/** The largest value `column` holds. */
const maxOf = (column: IdColumn): number => 2 ** (8 * column.BYTES_PER_ELEMENT) - 1;

/** `column` with room for `capacity` rows, holding its values, in a type that holds `value` too (the same type when it fits). */
const resized = (column: IdColumn, capacity: number, value: number): IdColumn => {
  const bytes = Math.max(column.BYTES_PER_ELEMENT, value > MAX_U16 ? 4 : value > 0xff ? 2 : 1);
  const out = bytes === 4 ? new Uint32Array(capacity) : bytes === 2 ? new Uint16Array(capacity) : new Uint8Array(capacity);
  out.set(column);
  return out;
};

/**
 * A number that differs for most pairs of different names (its length and last
 * character: names that share a writer and kind mostly differ at the end, a random suffix
 * or timestamp); equal names have equal ones.
 */
const fingerprint = (name: string): number => (name.length === 0 ? 0 : (name.length << 16) ^ name.charCodeAt(name.length - 1));

/** True when a row of `code` has a `c` value (a write not self-named, an Event). */
const hasC = (code: number): boolean => code < SELF || code >= EVENT;

/**
 * One chunk of rows. Columns a, b, d hold small numbers (ids of the trace's string
 * tables, a count), n an offset or an id's low bits, c strings:
 * write: code = verb (or SELF + verb), a = kind, b = namespace + 1 (or NONE), c = name
 * (none when self-named), d = by, n = resourceVersion - nBase;
 * event: code = EVENT + object id high bits and eventType, a = count, b = reason,
 * c = message, d = source, n = object id & 0xffff;
 * reachability: a = location.
 *
 * About 9 bytes of typed arrays a row (25 two rounds ago, 13 before this one; issue 8:
 * 6 million rows at 5,000 nodes), plus the `c` pointer of the rows that have one.
 * Times are whole virtual milliseconds after the chunk's first time, `t0`, in a uint16:
 * a chunk of a large cluster's rows spans seconds (~1,700 rows a second at 5,000 nodes);
 * when a time is more than 65.5 s after t0 (a small or quiet cluster) or before it, the
 * chunk's time column widens to uint32 whole times (t0 = 0).
 * a and b start as uint8: kinds, namespaces, reasons and locations each have a table of
 * their own (tens of strings), Event counts stay in the tens; d (writers, Event sources:
 * a few per node) starts as uint16. A resourceVersion is an offset from the chunk's
 * first one (the API server's versions go up by one a write: a chunk spans < 16,384).
 * Nothing bounds these, though, so a value that does not fit widens that column of its
 * chunk (a copy of at most one chunk's column, once; n to uint32 whole versions, nBase
 * = 0) and every row stays exact.
 * `c` holds only the rows that have a value, in row order: a row's index in it is
 * `rank[row >> 5]` (the values before its block of 32 rows) plus the rows of its block
 * before it that have one, read from `code`.
 */
class Chunk {
  /** Times, as offsets from t0 (-1 until the chunk's first time). */
  t: IdColumn;
  t0 = -1;
  code: Uint8Array;
  a: IdColumn;
  b: IdColumn;
  // Names and messages are nearly all distinct, and the objects that carry them hold the
  // same strings: kept as references they cost a pointer and no table lookup (the
  // table's map lookup of millions of unique names was 4% of a large run).
  c: string[];
  /** Values in `c`. */
  cCount = 0;
  /** `c` values before each block of 32 rows. */
  rank: Uint16Array;
  d: IdColumn;
  n: IdColumn;
  /** resourceVersion of the chunk's first write (-1 until then), 0 once n is wide. */
  nBase = -1;
  /** Largest values a, b, d, n hold now (kept as numbers: checked on every row). */
  aMax = 0xff;
  bMax = 0xff;
  dMax = MAX_U16;
  nMax = MAX_U16;
  /** Largest offset t holds now (MAX_U16 until it widens to whole times). */
  tMax = MAX_U16;

  /** Room for `capacity` rows; the first chunk starts small (a scenario run writes a few thousand rows) and grows to CHUNK. */
  constructor(readonly capacity: number) {
    this.t = new Uint16Array(capacity);
    this.code = new Uint8Array(capacity);
    this.a = new Uint8Array(capacity);
    this.b = new Uint8Array(capacity);
    this.c = new Array<string>(capacity);
    this.rank = new Uint16Array(capacity >>> BLOCK_BITS);
    this.d = new Uint16Array(capacity);
    this.n = new Uint16Array(capacity);
  }

  /** A chunk of twice the room holding the same rows (in columns as wide as these). */
  doubled(): Chunk {
    const capacity = Math.min(CHUNK, this.capacity * 2);
    const next = new Chunk(capacity);
    next.t = resized(this.t, capacity, 0);
    next.t0 = this.t0;
    next.code.set(this.code);
    next.a = resized(this.a, capacity, 0);
    next.b = resized(this.b, capacity, 0);
    next.d = resized(this.d, capacity, 0);
    next.n = resized(this.n, capacity, 0);
    next.rank.set(this.rank);
    for (let i = 0; i < this.cCount; i++) next.c[i] = this.c[i]!;
    next.cCount = this.cCount;
    next.nBase = this.nBase;
    next.aMax = this.aMax;
    next.bMax = this.bMax;
    next.dMax = this.dMax;
    next.nMax = this.nMax;
    next.tMax = this.tMax;
    return next;
  }

  /** Stores the time of row `i`, a uint32, widening the time column if its offset from t0 does not fit 16 bits. */
  time(i: number, t: number): void {
    if (this.t0 < 0) this.t0 = t;
    const offset = t - this.t0;
    // A number compared, not `instanceof`: once wide (a quiet cluster: every chunk of an
    // idle hour spans more than 65.5 s) every row would ask again (issue 8).
    if ((offset < 0 || offset > this.tMax) && this.tMax === MAX_U16) {
      const wide = new Uint32Array(this.capacity);
      for (let j = 0; j < this.capacity; j++) wide[j] = this.t[j]! + this.t0;
      this.t = wide;
      this.t0 = 0;
      this.tMax = MAX_U32;
    }
    this.t[i] = t - this.t0;
  }

  /** Widens each of columns a, b, d that cannot hold its value for the row being written. */
  widen(a: number, b: number, d: number): void {
    if (a > this.aMax) this.aMax = maxOf((this.a = resized(this.a, this.capacity, a)));
    if (b > this.bMax) this.bMax = maxOf((this.b = resized(this.b, this.capacity, b)));
    if (d > this.dMax) this.dMax = maxOf((this.d = resized(this.d, this.capacity, d)));
  }

  /** Stores `rv` in n of write row `i`, as an offset from nBase while it fits, else widening n to whole versions. */
  version(i: number, rv: number): void {
    if (this.nBase < 0) this.nBase = rv;
    const offset = rv - this.nBase;
    if ((offset < 0 || offset > this.nMax) && this.nMax === MAX_U16) {
      // Whole versions from here: the chunk's earlier writes get their base back; Event
      // rows keep their object ids' low bits.
      const wide = new Uint32Array(this.capacity);
      for (let j = 0; j < i; j++) wide[j] = this.n[j]! + (this.code[j]! < REACHABLE ? this.nBase : 0);
      this.n = wide;
      this.nMax = MAX_U32;
      this.nBase = 0;
    }
    this.n[i] = rv - this.nBase;
  }

  /** Appends the `c` value of row `i` (the last row claimed). */
  pushC(value: string): void {
    this.c[this.cCount++] = value;
  }

  /** The index in `c` of row `i`'s value (a row that has one). */
  cIndex(i: number): number {
    let k = this.rank[i >>> BLOCK_BITS]!;
    for (let j = (i >>> BLOCK_BITS) << BLOCK_BITS; j < i; j++) if (hasC(this.code[j]!)) k++;
    return k;
  }

  /** Drops the room `c` has past its values, once the chunk is full. */
  seal(): void {
    this.c = this.c.slice(0, this.cCount);
  }
}

/** Rows of the first chunk before it first grows. */
const FIRST_CHUNK = 1 << 10;

const isU32 = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= MAX_U32;

/** True when `entry` has exactly `keys`, in that order (so rebuilding it gives the same JSON). */
const hasKeys = (entry: object, keys: readonly string[]): boolean => {
  let i = 0;
  for (const key in entry) if (keys[i++] !== key) return false;
  return i === keys.length;
};
const WRITE_KEYS = ['t', 'type', 'verb', 'kind', 'namespace', 'name', 'resourceVersion', 'by'];
const CLUSTER_WRITE_KEYS = ['t', 'type', 'verb', 'kind', 'name', 'resourceVersion', 'by'];
const EVENT_KEYS = ['t', 'type', 'eventType', 'reason', 'message', 'object', 'count', 'source'];
const REACHABILITY_KEYS = ['t', 'type', 'location', 'reachable'];

/** Traces made so far in this process (see Trace.serial). */
let tracesMade = 0;

/**
 * Append-only, in-memory log of a simulation; see {@link Trace.toNDJSON}.
 *
 * Entries are stored as columns and rebuilt on read: `entries` returns equal objects, not
 * the ones recorded. The API server and event recorder use {@link Trace.recordWrite} and
 * {@link Trace.recordEvent}, which build no object unless someone subscribed.
 */
export class Trace {
  /**
   * A number no other trace of this process has: a cache outside the trace (the API
   * server's writer ids, kept per caller) tells whose ids it holds without holding the trace.
   */
  readonly serial = ++tracesMade;
  readonly #chunks: Chunk[] = [];
  #size = 0;
  /**
   * String tables, one per column (kinds, namespaces, writers, reasons, Event sources,
   * locations), so the ids of the small ones stay small (uint8 columns), each behind a
   * memo of the last strings it was asked (issue 8: the map lookups were ~1.3% of the
   * 300-node workload minute). Kinds come back among four or so (Pod, Node, Lease,
   * Event), namespaces among a few (the workloads', kube-node-lease's Leases, default's
   * Node Events), reasons among a kubelet's four (Pulling, Pulled, Created, Started), the
   * other columns mostly repeat the last value. Writers and Event sources are thousands
   * (one a kubelet) and interleave: their writers keep their ids (writerId, sourceId).
   */
  readonly #kinds = new RecentIds(new StringTable(), 4);
  readonly #namespaces = new RecentIds(new StringTable(), 4);
  readonly #writers = new RecentIds(new StringTable());
  readonly #reasons = new RecentIds(new StringTable(), 4);
  readonly #sources = new RecentIds(new StringTable());
  readonly #locations = new RecentIds(new StringTable());
  /**
   * Each writer's own name for each kind, by writer id then kind id: the name of its first
   * write of that kind. A write of that name is stored without `c` (SELF): a kubelet's
   * Lease renewals and Node status writes, a third of a large run's rows, name its node.
   */
  readonly #selfNames: (string | undefined)[][] = [];
  /**
   * The {@link fingerprint} of each writer's own name, by kind id then writer id (0: none
   * yet, or a fingerprint of 0): a write whose name's differs is not self-named, found
   * without reading the writer's names. Why (issue 8): the nested arrays and the own name
   * were cache misses on every write (~0.7% of the workload minute at 1,000 nodes), and
   * most writes (Pods, Events) name another object than their writer's own.
   */
  readonly #selfPrints: Int32Array[] = [];
  /** Event types, whose ids go in an Event row's code: a table of their own keeps them small. */
  readonly #eventTypes = new RecentIds(new StringTable(), 2);
  /**
   * Event object texts (`Kind/namespace/name`), one per involved object, by id. A table
   * of their own: thousands of them in the table above made its lookup on every write
   * (kind, namespace, writer) slower.
   */
  readonly #objects = new StringTable();
  /** Entries kept as recorded (RAW rows), by row. */
  readonly #raw = new Map<number, TraceEntry>();
  readonly #listeners = new Set<(entry: TraceEntry) => void>();
  /** Write listeners as an array, rebuilt on (un)subscribe: they run on every write. */
  #writeListeners: readonly WriteListener[] = [];
  /** The entries built by the last `entries` read, while no entry has been added since. */
  #view: readonly TraceEntry[] | undefined;

  /** Appends an entry and tells the listeners. */
  record(entry: TraceEntry): void {
    this.#store(entry);
    if (entry.type === 'write' && this.#writeListeners.length > 0) {
      for (const listener of this.#writeListeners) {
        listener(this.#size - 1, entry.t, entry.verb, entry.kind, entry.namespace, entry.name, Number(entry.resourceVersion), entry.by);
      }
    }
    for (const listener of this.#listeners) listener(entry);
  }

  /**
   * The id of writer `by` for {@link Trace.recordWrite}. Why (issue 8): a caller that
   * keeps it per writer spares the trace a lookup of `by` in a table of thousands (a
   * kubelet's writes interleave with the others') on every write.
   */
  writerId(by: string): number {
    return this.#writers.table.id(by);
  }

  /**
   * Appends a write, as `record` of `{ t, type: 'write', verb, kind, namespace?, name,
   * resourceVersion: String(resourceVersion), by }` (namespace omitted when undefined or
   * empty) would, without building the entry unless a listener wants it. `writer`, when
   * given, is {@link Trace.writerId} of `by`.
   */
  recordWrite(t: number, verb: WriteTraceEntry['verb'], kind: string, namespace: string | undefined, name: string, resourceVersion: number, by: string, writer = -1): void {
    if (!isU32(resourceVersion) || !isU32(t)) {
      this.record(
        namespace
          ? { t, type: 'write', verb, kind, namespace, name, resourceVersion: String(resourceVersion), by }
          : { t, type: 'write', verb, kind, name, resourceVersion: String(resourceVersion), by },
      );
      return;
    }
    const row = this.#size;
    this.#writeRow(t, verb, kind, namespace, name, resourceVersion, by, writer);
    // Write listeners (the invariant checker) take the values: no entry object per write.
    for (const listener of this.#writeListeners) listener(row, t, verb, kind, namespace, name, resourceVersion, by);
    if (this.#listeners.size > 0) {
      const entry = this.#at(row);
      for (const listener of this.#listeners) listener(entry);
    }
  }

  /** Appends an Event entry, as `record` of `{ t, type: 'event', eventType, reason, message, object, count, source }` would. */
  recordEvent(t: number, eventType: string, reason: string, message: string, object: string, count: number, source: string): void {
    if (this.#listeners.size > 0 || !isU32(count) || !isU32(t) || !this.#eventRow(t, eventType, reason, message, object, count, source)) {
      this.record({ t, type: 'event', eventType, reason, message, object, count, source });
    }
  }

  /**
   * The id of an Event's object text (`Kind/namespace/name`) for {@link Trace.recordEventOf}:
   * the event recorder keeps it per involved object, so the text is built and hashed once
   * per object rather than once per Event (issue 8: ~1.5% of the workload minute at 5,000
   * nodes went to the join and the lookup in a table of ~150,000 texts).
   */
  objectId(object: string): number {
    return this.#objects.id(object);
  }

  /**
   * The id of Event source `source` for {@link Trace.recordEventOf}: an event recorder has
   * one source and keeps its id (issue 8: sources are thousands, one a kubelet, and their
   * Events interleave, so the memo in front of their table missed).
   */
  sourceId(source: string): number {
    return this.#sources.table.id(source);
  }

  /**
   * {@link Trace.recordEvent} with the object text given by its {@link Trace.objectId};
   * `sourceId`, when given, is {@link Trace.sourceId} of `source`.
   */
  recordEventOf(t: number, eventType: string, reason: string, message: string, objectId: number, count: number, source: string, sourceId = -1): void {
    if (this.#listeners.size > 0 || !isU32(count) || !isU32(t) || !this.#eventRowOf(t, eventType, reason, message, objectId, count, source, sourceId)) {
      this.record({ t, type: 'event', eventType, reason, message, object: this.#objects.at(objectId), count, source });
    }
  }

  /** Every entry so far, oldest first: built from the columns on each read after a new entry. */
  get entries(): readonly TraceEntry[] {
    if (this.#view === undefined || this.#view.length !== this.#size) {
      const out = new Array<TraceEntry>(this.#size);
      this.#each((entry, row) => (out[row] = entry));
      this.#view = out;
    }
    return this.#view;
  }

  /** Number of entries so far. */
  get size(): number {
    return this.#size;
  }

  /** Calls `listener` for each entry recorded from now on; returns the unsubscribe. */
  subscribe(listener: (entry: TraceEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Calls `listener` with the row and values of each write recorded from now on, before
   * the `subscribe` listeners see it; returns the unsubscribe. Cheaper than `subscribe`
   * for a listener that reads every write: the trace builds no entry for it.
   */
  onWrite(listener: WriteListener): () => void {
    this.#writeListeners = [...this.#writeListeners, listener];
    return () => {
      this.#writeListeners = this.#writeListeners.filter((l) => l !== listener);
    };
  }

  /** The entry at `row` (0 = the oldest), as `entries[row]` without building the others; undefined past the end. */
  at(row: number): TraceEntry | undefined {
    return Number.isInteger(row) && row >= 0 && row < this.#size ? this.#at(row) : undefined;
  }

  /** The trace as newline-delimited JSON, one entry per line, ending with a newline. */
  toNDJSON(): string {
    const lines = new Array<string>(this.#size);
    this.#each((entry, row) => (lines[row] = `${JSON.stringify(entry)}\n`));
    return lines.join('');
  }

  // ---- storage -----------------------------------------------------------------------

  #store(entry: TraceEntry): void {
    switch (entry.type) {
      case 'write': {
        const verb = VERB_CODE.get(entry.verb);
        const rv = Number(entry.resourceVersion);
        const keys = entry.namespace ? WRITE_KEYS : CLUSTER_WRITE_KEYS;
        if (verb !== undefined && isU32(rv) && isU32(entry.t) && String(rv) === entry.resourceVersion && hasKeys(entry, keys) && this.#strs(entry.kind, entry.namespace ?? '', entry.name, entry.by)) {
          this.#writeRow(entry.t, entry.verb, entry.kind, entry.namespace, entry.name, rv, entry.by, -1);
          return;
        }
        break;
      }
      case 'event':
        if (
          isU32(entry.count) &&
          isU32(entry.t) &&
          hasKeys(entry, EVENT_KEYS) &&
          this.#strs(entry.eventType, entry.reason, entry.message, entry.object, entry.source) &&
          this.#eventRow(entry.t, entry.eventType, entry.reason, entry.message, entry.object, entry.count, entry.source)
        ) {
          return;
        }
        break;
      case 'reachability':
        if (typeof entry.reachable === 'boolean' && isU32(entry.t) && hasKeys(entry, REACHABILITY_KEYS) && this.#strs(entry.location)) {
          const location = this.#locations.id(entry.location);
          const row = this.#row(entry.t, entry.reachable ? REACHABLE : UNREACHABLE);
          const chunk = this.#chunks[row >>> CHUNK_BITS]!;
          if (location > chunk.aMax) chunk.widen(location, 0, 0);
          chunk.a[row & MASK] = location;
          return;
        }
        break;
    }
    // Its time is read from the entry, not the column.
    this.#raw.set(this.#row(-1, RAW), entry);
  }

  /** True when every value is a string (a recorded entry may come from untyped code). */
  #strs(...values: unknown[]): boolean {
    return values.every((v) => typeof v === 'string');
  }

  /** Stores a write row; `writer` is the id of `by` (-1: not known, looked up). */
  #writeRow(t: number, verb: WriteTraceEntry['verb'], kind: string, namespace: string | undefined, name: string, rv: number, by: string, writer: number): void {
    const a = this.#kinds.id(kind);
    const b = namespace ? this.#namespaces.id(namespace) + 1 : NONE;
    const d = writer >= 0 ? writer : this.#writers.id(by);
    const print = fingerprint(name);
    let prints = this.#selfPrints[a];
    if (prints === undefined || d >= prints.length) prints = this.#printsFor(a, d);
    const known = prints[d]!;
    const self = known !== 0 && known !== print ? false : this.#isOwnName(d, a, name, print, prints);
    const row = this.#row(t, VERB_CODE.get(verb)! + (self ? SELF : 0));
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    if (a > chunk.aMax || b > chunk.bMax || d > chunk.dMax) chunk.widen(a, b, d);
    chunk.a[i] = a;
    chunk.b[i] = b;
    if (!self) chunk.pushC(name);
    chunk.d[i] = d;
    chunk.version(i, rv);
  }

  /** Whether `name` is writer `d`'s own name for kind `a` (made its own name when it has none); `print` is its fingerprint, noted in `prints`. */
  #isOwnName(d: number, a: number, name: string, print: number, prints: Int32Array): boolean {
    let names = this.#selfNames[d];
    if (names === undefined) this.#selfNames[d] = names = [];
    let own = names[a];
    if (own === undefined) {
      names[a] = own = name;
      prints[d] = print;
    }
    return own === name;
  }

  /** The own name fingerprints of kind `a`, with room for writer `d`. */
  #printsFor(a: number, d: number): Int32Array {
    const old = this.#selfPrints[a];
    let capacity = old === undefined ? 64 : old.length;
    while (capacity <= d) capacity *= 2;
    const prints = new Int32Array(capacity);
    if (old !== undefined) prints.set(old);
    this.#selfPrints[a] = prints;
    return prints;
  }

  /** Stores an Event row (count a uint32); false, storing nothing, when its type or object id does not fit the row code. */
  #eventRow(t: number, eventType: string, reason: string, message: string, object: string, count: number, source: string): boolean {
    return this.#eventRowOf(t, eventType, reason, message, this.#objects.id(object), count, source, -1);
  }

  /** #eventRow with the object text's id `n` (an id of #objects) and the id of `source` (-1: not known, looked up). */
  #eventRowOf(t: number, eventType: string, reason: string, message: string, n: number, count: number, source: string, sourceId: number): boolean {
    const type = this.#eventTypes.id(eventType);
    const code = EVENT + (n >>> 16) * 2 + type;
    if (type > 1 || code > MAX_EVENT_CODE) return false;
    const b = this.#reasons.id(reason);
    const d = sourceId >= 0 ? sourceId : this.#sources.id(source);
    const row = this.#row(t, code);
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    if (count > chunk.aMax || b > chunk.bMax || d > chunk.dMax) chunk.widen(count, b, d);
    chunk.a[i] = count;
    chunk.b[i] = b;
    chunk.pushC(message);
    chunk.d[i] = d;
    chunk.n[i] = n & MAX_U16;
    return true;
  }

  /** Claims the next row, with its time (a uint32; -1 for none: a RAW row's is its entry's) and code; returns its number. */
  #row(t: number, code: number): number {
    const row = this.#size++;
    this.#view = undefined;
    if (row === 0) this.#chunks.push(new Chunk(FIRST_CHUNK));
    else if ((row & MASK) === 0) {
      this.#chunks[this.#chunks.length - 1]!.seal();
      this.#chunks.push(new Chunk(CHUNK));
    } else if (row < CHUNK && row === this.#chunks[0]!.capacity) this.#chunks[0] = this.#chunks[0]!.doubled();
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    if (t >= 0) chunk.time(i, t);
    chunk.code[i] = code;
    if ((i & ((1 << BLOCK_BITS) - 1)) === 0) chunk.rank[i >>> BLOCK_BITS] = chunk.cCount;
    return row;
  }

  /** Row `row` as the entry it was recorded as (equal keys, order and values); `ci` is its index in its chunk's `c` (when it has a value). */
  #entry(row: number, ci: number): TraceEntry {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    const t = chunk.t0 + chunk.t[i]!;
    const code = chunk.code[i]!;
    if (code < REACHABLE) {
      const ns = chunk.b[i]!;
      const self = code >= SELF;
      const verb = VERBS[self ? code - SELF : code]!;
      const kind = this.#kinds.table.at(chunk.a[i]!);
      const d = chunk.d[i]!;
      const name = self ? this.#selfNames[d]![chunk.a[i]!]! : chunk.c[ci]!;
      const resourceVersion = String(chunk.nBase + chunk.n[i]!);
      const by = this.#writers.table.at(d);
      return ns === NONE
        ? { t, type: 'write', verb, kind, name, resourceVersion, by }
        : { t, type: 'write', verb, kind, namespace: this.#namespaces.table.at(ns - 1), name, resourceVersion, by };
    }
    if (code >= EVENT) {
      return {
        t,
        type: 'event',
        eventType: this.#eventTypes.table.at((code - EVENT) & 1),
        reason: this.#reasons.table.at(chunk.b[i]!),
        message: chunk.c[ci]!,
        object: this.#objects.at(((code - EVENT) >>> 1) * (MAX_U16 + 1) + chunk.n[i]!),
        count: chunk.a[i]!,
        source: this.#sources.table.at(chunk.d[i]!),
      };
    }
    if (code === RAW) return this.#raw.get(row)!;
    return { t, type: 'reachability', location: this.#locations.table.at(chunk.a[i]!), reachable: code === REACHABLE };
  }

  /** Row `row` as `#entry` gives it, its `c` index found from its block's rank. */
  #at(row: number): TraceEntry {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    return this.#entry(row, hasC(chunk.code[i]!) ? chunk.cIndex(i) : -1);
  }

  /** Calls `fn` with each entry, oldest first, following each chunk's `c` index as it goes. */
  #each(fn: (entry: TraceEntry, row: number) => void): void {
    let ci = 0;
    for (let row = 0; row < this.#size; row++) {
      const i = row & MASK;
      if (i === 0) ci = 0;
      fn(this.#entry(row, ci), row);
      if (hasC(this.#chunks[row >>> CHUNK_BITS]!.code[i]!)) ci++;
    }
  }
}
