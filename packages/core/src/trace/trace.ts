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
/** Row codes after the verbs (0-5). */
const REACHABLE = 7;
const UNREACHABLE = 8;
/** An entry kept as the object it was recorded as (a shape the columns do not hold exactly). */
const RAW = 9;
/**
 * An Event row's code is EVENT + the id of its eventType in the trace's event-type table,
 * so the type takes no column ('Normal' and 'Warning' in practice: ids 0 and 1). An Event
 * whose type id does not fit the byte (the 247th distinct type) is kept RAW.
 */
const EVENT = 10;
const MAX_EVENT_TYPE = 0xff - EVENT;
/** No namespace (cluster-scoped write): namespaces are stored as their id + 1. */
const NONE = 0;
/** Largest value of a narrow (uint16) column; a larger one widens that column of its chunk. */
const MAX_U16 = 0xffff;

/** Rows per chunk: 16,384 rows × 13 bytes ≈ 210 KB (and the `c` pointers), so a small simulation does not pay for a big one. */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
/** Times, counts and resourceVersions are stored as uint32; others (fractions, 50 days on) are kept raw. */
const MAX_U32 = 0xffff_ffff;

/** A column of ids, counts or time offsets: uint16 until a value does not fit, then uint32 for that chunk. */
type IdColumn = Uint16Array | Uint32Array;

/** `column` with room for `capacity` rows, holding its values, in the same or a wider type (`wide`). */
const resized = (column: IdColumn, capacity: number, wide: boolean): IdColumn => {
  const out = wide || column instanceof Uint32Array ? new Uint32Array(capacity) : new Uint16Array(capacity);
  out.set(column);
  return out;
};

/**
 * One chunk of rows. Columns a, b and d hold small numbers (ids of the trace's string
 * table, a count), n a uint32 (a resourceVersion, an object text's id), c strings:
 * write: code = verb, a = kind, b = namespace + 1 (or NONE), c = name, d = by, n = resourceVersion;
 * event: code = EVENT + eventType, a = count, b = reason, c = message, d = source, n = object;
 * reachability: a = location.
 *
 * 13 bytes of typed arrays a row, not 25 (issue 8: 6 million rows at 5,000 nodes).
 * Times are whole virtual milliseconds after the chunk's first time, `t0`, in a uint16:
 * a chunk of a large cluster's rows spans seconds (~1,700 rows a second at 5,000 nodes);
 * when a time is more than 65.5 s after t0 (a small or quiet cluster) or before it, the
 * chunk's time column widens to uint32 whole times (t0 = 0), as wide as before.
 * a, b and d are uint16: the strings they stand for are kinds, namespaces, writers
 * (`component@location`, a few per node), reasons, Event sources (one per component and
 * node) and locations, thousands at 5,000 nodes; Event counts stay in the tens. Nothing
 * bounds them, though (a cluster of 70,000 nodes has more writers), so a value above
 * 0xffff widens that column of its chunk to uint32 (a copy of at most one chunk's column,
 * once) and every row stays exact. An Event's type is in its code and its object text is
 * an id in n, which writes use for the resourceVersion: no row pays for a column only the
 * other kind of row uses.
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
  readonly c: string[];
  d: IdColumn;
  n: Uint32Array;

  /** Room for `capacity` rows; the first chunk starts small (a scenario run writes a few thousand rows) and grows to CHUNK. */
  constructor(readonly capacity: number) {
    this.t = new Uint16Array(capacity);
    this.code = new Uint8Array(capacity);
    this.a = new Uint16Array(capacity);
    this.b = new Uint16Array(capacity);
    this.c = new Array<string>(capacity);
    this.d = new Uint16Array(capacity);
    this.n = new Uint32Array(capacity);
  }

  /** A chunk of twice the room holding the same rows (in columns as wide as these). */
  doubled(): Chunk {
    const capacity = Math.min(CHUNK, this.capacity * 2);
    const next = new Chunk(capacity);
    next.t = resized(this.t, capacity, false);
    next.t0 = this.t0;
    next.code.set(this.code);
    next.a = resized(this.a, capacity, false);
    next.b = resized(this.b, capacity, false);
    next.d = resized(this.d, capacity, false);
    next.n.set(this.n);
    for (let i = 0; i < this.capacity; i++) next.c[i] = this.c[i]!;
    return next;
  }

  /** Stores the time of row `i`, a uint32, widening the time column if its offset from t0 does not fit 16 bits. */
  time(i: number, t: number): void {
    if (this.t0 < 0) this.t0 = t;
    const offset = t - this.t0;
    if ((offset < 0 || offset > MAX_U16) && this.t instanceof Uint16Array) {
      const wide = new Uint32Array(this.capacity);
      for (let j = 0; j < this.capacity; j++) wide[j] = this.t[j]! + this.t0;
      this.t = wide;
      this.t0 = 0;
    }
    this.t[i] = t - this.t0;
  }

  /** Widens to uint32 each of columns a, b, d that is still uint16 and whose value for the row being written is above {@link MAX_U16}. */
  widen(a: number, b: number, d: number): void {
    if (a > MAX_U16 && this.a instanceof Uint16Array) this.a = resized(this.a, this.capacity, true);
    if (b > MAX_U16 && this.b instanceof Uint16Array) this.b = resized(this.b, this.capacity, true);
    if (d > MAX_U16 && this.d instanceof Uint16Array) this.d = resized(this.d, this.capacity, true);
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

/**
 * Append-only, in-memory log of a simulation; see {@link Trace.toNDJSON}.
 *
 * Entries are stored as columns and rebuilt on read: `entries` returns equal objects, not
 * the ones recorded. The API server and event recorder use {@link Trace.recordWrite} and
 * {@link Trace.recordEvent}, which build no object unless someone subscribed.
 */
export class Trace {
  readonly #chunks: Chunk[] = [];
  #size = 0;
  /** String table: every kind, namespace, writer, event type, reason, source, location once. */
  readonly #strings = new StringTable();
  /**
   * The last strings of each column and their ids, in front of the table's map (issue 8:
   * the map lookups were ~1.3% of the 300-node workload minute). Kinds come back among
   * four or so (Pod, Node, Lease, Event), the other columns mostly repeat the last value.
   */
  readonly #kinds = new RecentIds(this.#strings, 4);
  readonly #namespaces = new RecentIds(this.#strings);
  readonly #writers = new RecentIds(this.#strings);
  readonly #reasons = new RecentIds(this.#strings, 2);
  readonly #sources = new RecentIds(this.#strings);
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
   * Appends a write, as `record` of `{ t, type: 'write', verb, kind, namespace?, name,
   * resourceVersion: String(resourceVersion), by }` (namespace omitted when undefined or
   * empty) would, without building the entry unless a listener wants it.
   */
  recordWrite(t: number, verb: WriteTraceEntry['verb'], kind: string, namespace: string | undefined, name: string, resourceVersion: number, by: string): void {
    if (!isU32(resourceVersion) || !isU32(t)) {
      this.record(
        namespace
          ? { t, type: 'write', verb, kind, namespace, name, resourceVersion: String(resourceVersion), by }
          : { t, type: 'write', verb, kind, name, resourceVersion: String(resourceVersion), by },
      );
      return;
    }
    const row = this.#size;
    this.#writeRow(t, verb, kind, namespace, name, resourceVersion, by);
    // Write listeners (the invariant checker) take the values: no entry object per write.
    for (const listener of this.#writeListeners) listener(row, t, verb, kind, namespace, name, resourceVersion, by);
    if (this.#listeners.size > 0) {
      const entry = this.#entry(row);
      for (const listener of this.#listeners) listener(entry);
    }
  }

  /** Appends an Event entry, as `record` of `{ t, type: 'event', eventType, reason, message, object, count, source }` would. */
  recordEvent(t: number, eventType: string, reason: string, message: string, object: string, count: number, source: string): void {
    if (this.#listeners.size > 0 || !isU32(count) || !isU32(t) || !this.#eventRow(t, eventType, reason, message, object, count, source)) {
      this.record({ t, type: 'event', eventType, reason, message, object, count, source });
    }
  }

  /** Every entry so far, oldest first: built from the columns on each read after a new entry. */
  get entries(): readonly TraceEntry[] {
    if (this.#view === undefined || this.#view.length !== this.#size) {
      const out = new Array<TraceEntry>(this.#size);
      for (let i = 0; i < this.#size; i++) out[i] = this.#entry(i);
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
    return Number.isInteger(row) && row >= 0 && row < this.#size ? this.#entry(row) : undefined;
  }

  /** The trace as newline-delimited JSON, one entry per line, ending with a newline. */
  toNDJSON(): string {
    const lines = new Array<string>(this.#size);
    for (let i = 0; i < this.#size; i++) lines[i] = `${JSON.stringify(this.#entry(i))}\n`;
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
          this.#writeRow(entry.t, entry.verb, entry.kind, entry.namespace, entry.name, rv, entry.by);
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
          const location = this.#strings.id(entry.location);
          const row = this.#row(entry.t, entry.reachable ? REACHABLE : UNREACHABLE);
          const chunk = this.#chunks[row >>> CHUNK_BITS]!;
          if (location > MAX_U16) chunk.widen(location, 0, 0);
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

  #writeRow(t: number, verb: WriteTraceEntry['verb'], kind: string, namespace: string | undefined, name: string, rv: number, by: string): void {
    const a = this.#kinds.id(kind);
    const b = namespace ? this.#namespaces.id(namespace) + 1 : NONE;
    const d = this.#writers.id(by);
    const row = this.#row(t, VERB_CODE.get(verb)!);
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    // Ids are below 2^31, so one OR tells whether any needs a wide column.
    if ((a | b | d) > MAX_U16) chunk.widen(a, b, d);
    chunk.a[i] = a;
    chunk.b[i] = b;
    chunk.c[i] = name;
    chunk.d[i] = d;
    chunk.n[i] = rv;
  }

  /** Stores an Event row (count a uint32); false, storing nothing, when its type's id does not fit the row code. */
  #eventRow(t: number, eventType: string, reason: string, message: string, object: string, count: number, source: string): boolean {
    const type = this.#eventTypes.id(eventType);
    if (type > MAX_EVENT_TYPE) return false;
    const b = this.#reasons.id(reason);
    const d = this.#sources.id(source);
    const n = this.#objects.id(object);
    const row = this.#row(t, EVENT + type);
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    if (count > MAX_U16 || (b | d) > MAX_U16) chunk.widen(count, b, d);
    chunk.a[i] = count;
    chunk.b[i] = b;
    chunk.c[i] = message;
    chunk.d[i] = d;
    chunk.n[i] = n;
    return true;
  }

  /** Claims the next row, with its time (a uint32; -1 for none: a RAW row's is its entry's) and code; returns its number. */
  #row(t: number, code: number): number {
    const row = this.#size++;
    this.#view = undefined;
    if (row === 0) this.#chunks.push(new Chunk(FIRST_CHUNK));
    else if ((row & MASK) === 0) this.#chunks.push(new Chunk(CHUNK));
    else if (row < CHUNK && row === this.#chunks[0]!.capacity) this.#chunks[0] = this.#chunks[0]!.doubled();
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    if (t >= 0) chunk.time(row & MASK, t);
    chunk.code[row & MASK] = code;
    return row;
  }

  /** Row `row` as the entry it was recorded as (equal keys, order and values). */
  #entry(row: number): TraceEntry {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    const t = chunk.t0 + chunk.t[i]!;
    const code = chunk.code[i]!;
    const s = this.#strings;
    if (code < REACHABLE) {
      const ns = chunk.b[i]!;
      const verb = VERBS[code]!;
      const kind = s.at(chunk.a[i]!);
      const name = chunk.c[i]!;
      const resourceVersion = String(chunk.n[i]!);
      const by = s.at(chunk.d[i]!);
      return ns === NONE
        ? { t, type: 'write', verb, kind, name, resourceVersion, by }
        : { t, type: 'write', verb, kind, namespace: s.at(ns - 1), name, resourceVersion, by };
    }
    if (code >= EVENT) {
      return {
        t,
        type: 'event',
        eventType: this.#eventTypes.table.at(code - EVENT),
        reason: s.at(chunk.b[i]!),
        message: chunk.c[i]!,
        object: this.#objects.at(chunk.n[i]!),
        count: chunk.a[i]!,
        source: s.at(chunk.d[i]!),
      };
    }
    if (code === RAW) return this.#raw.get(row)!;
    return { t, type: 'reachability', location: s.at(chunk.a[i]!), reachable: code === REACHABLE };
  }
}
