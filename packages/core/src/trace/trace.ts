// The simulation's record of what happened: every API write, every Event and every
// reachability change, stamped with virtual time. Two runs of the same scenario and seed
// must give byte-identical NDJSON, so entries are plain data built in a fixed key order.
//
// Storage is columnar (issue 8): a trace holds every write of the run, 6 million at 5,000
// nodes, and an object per entry cost ~150-200 bytes. Each entry is a row of typed-array
// columns (time, what it is, interned strings, one number), filled chunk by chunk so
// growing never copies; entry objects are built only when read (`entries`, `toNDJSON`),
// with the same keys in the same order, so the NDJSON is byte for byte what it was.

import { StringTable } from './string-table.js';

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
const EVENT = 6;
const REACHABLE = 7;
const UNREACHABLE = 8;
/** An entry kept as the object it was recorded as (a shape the columns do not hold exactly). */
const RAW = 9;
/** No namespace (cluster-scoped write). */
const NONE = -1;

/** Rows per chunk: 16,384 rows × 29 bytes ≈ 0.5 MB, so a small simulation does not pay for a big one. */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
/** Times, counts and resourceVersions are stored as uint32; others (fractions, 50 days on) are kept raw. */
const MAX_U32 = 0xffff_ffff;

/**
 * One chunk of rows. Columns a, b and d hold ids of the trace's string table, e of its object texts, c strings:
 * write: a = kind, b = namespace (or NONE), c = name, d = by, n = resourceVersion;
 * event: a = eventType, b = reason, c = message, d = source, e = object, n = count;
 * reachability: a = location.
 *
 * Times are whole virtual milliseconds in a uint32 (4 bytes, not 8, per row: 7 million
 * rows at 5,000 nodes), and an Event's object text (one per involved object, shared by
 * its Events' rows) is an id too, since only event rows use the column (issue 8).
 */
class Chunk {
  readonly t: Uint32Array;
  readonly code: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  // Names and messages are nearly all distinct, and the objects that carry them hold the
  // same strings: kept as references they cost a pointer and no table lookup (the
  // table's map lookup of millions of unique names was 4% of a large run).
  readonly c: string[];
  readonly d: Int32Array;
  readonly e: Int32Array;
  readonly n: Uint32Array;

  /** Room for `capacity` rows; the first chunk starts small (a scenario run writes a few thousand rows) and grows to CHUNK. */
  constructor(readonly capacity: number) {
    this.t = new Uint32Array(capacity);
    this.code = new Uint8Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.c = new Array<string>(capacity);
    this.d = new Int32Array(capacity);
    this.e = new Int32Array(capacity);
    this.n = new Uint32Array(capacity);
  }

  /** A chunk of twice the room holding the same rows. */
  doubled(): Chunk {
    const next = new Chunk(Math.min(CHUNK, this.capacity * 2));
    next.t.set(this.t);
    next.code.set(this.code);
    next.a.set(this.a);
    next.b.set(this.b);
    next.d.set(this.d);
    next.e.set(this.e);
    next.n.set(this.n);
    for (let i = 0; i < this.capacity; i++) next.c[i] = this.c[i]!;
    return next;
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
    if (this.#listeners.size > 0 || !isU32(count) || !isU32(t)) {
      this.record({ t, type: 'event', eventType, reason, message, object, count, source });
      return;
    }
    this.#eventRow(t, eventType, reason, message, object, count, source);
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
        if (isU32(entry.count) && isU32(entry.t) && hasKeys(entry, EVENT_KEYS) && this.#strs(entry.eventType, entry.reason, entry.message, entry.object, entry.source)) {
          this.#eventRow(entry.t, entry.eventType, entry.reason, entry.message, entry.object, entry.count, entry.source);
          return;
        }
        break;
      case 'reachability':
        if (typeof entry.reachable === 'boolean' && isU32(entry.t) && hasKeys(entry, REACHABILITY_KEYS) && this.#strs(entry.location)) {
          const row = this.#row(entry.t, entry.reachable ? REACHABLE : UNREACHABLE);
          this.#chunks[row >>> CHUNK_BITS]!.a[row & MASK] = this.#id(entry.location);
          return;
        }
        break;
    }
    // Its time is read from the entry, not the column.
    this.#raw.set(this.#row(0, RAW), entry);
  }

  /** True when every value is a string (a recorded entry may come from untyped code). */
  #strs(...values: unknown[]): boolean {
    return values.every((v) => typeof v === 'string');
  }

  #writeRow(t: number, verb: WriteTraceEntry['verb'], kind: string, namespace: string | undefined, name: string, rv: number, by: string): void {
    const row = this.#row(t, VERB_CODE.get(verb)!);
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    chunk.a[i] = this.#id(kind);
    chunk.b[i] = namespace ? this.#id(namespace) : NONE;
    chunk.c[i] = name;
    chunk.d[i] = this.#id(by);
    chunk.n[i] = rv;
  }

  #eventRow(t: number, eventType: string, reason: string, message: string, object: string, count: number, source: string): void {
    const row = this.#row(t, EVENT);
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    chunk.a[i] = this.#id(eventType);
    chunk.b[i] = this.#id(reason);
    chunk.c[i] = message;
    chunk.d[i] = this.#id(source);
    chunk.e[i] = this.#objects.id(object);
    chunk.n[i] = count;
  }

  /** Claims the next row, with its time and code; returns its number. */
  #row(t: number, code: number): number {
    const row = this.#size++;
    this.#view = undefined;
    if (row === 0) this.#chunks.push(new Chunk(FIRST_CHUNK));
    else if ((row & MASK) === 0) this.#chunks.push(new Chunk(CHUNK));
    else if (row < CHUNK && row === this.#chunks[0]!.capacity) this.#chunks[0] = this.#chunks[0]!.doubled();
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    chunk.t[row & MASK] = t;
    chunk.code[row & MASK] = code;
    return row;
  }

  /** The id of `s` in the string table, adding it. */
  #id(s: string): number {
    return this.#strings.id(s);
  }

  /** Row `row` as the entry it was recorded as (equal keys, order and values). */
  #entry(row: number): TraceEntry {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    const t = chunk.t[i]!;
    const code = chunk.code[i]!;
    const s = this.#strings;
    if (code < EVENT) {
      const ns = chunk.b[i]!;
      const verb = VERBS[code]!;
      const kind = s.at(chunk.a[i]!);
      const name = chunk.c[i]!;
      const resourceVersion = String(chunk.n[i]!);
      const by = s.at(chunk.d[i]!);
      return ns === NONE
        ? { t, type: 'write', verb, kind, name, resourceVersion, by }
        : { t, type: 'write', verb, kind, namespace: s.at(ns), name, resourceVersion, by };
    }
    if (code === EVENT) {
      return {
        t,
        type: 'event',
        eventType: s.at(chunk.a[i]!),
        reason: s.at(chunk.b[i]!),
        message: chunk.c[i]!,
        object: this.#objects.at(chunk.e[i]!),
        count: chunk.n[i]!,
        source: s.at(chunk.d[i]!),
      };
    }
    if (code === RAW) return this.#raw.get(row)!;
    return { t, type: 'reachability', location: s.at(chunk.a[i]!), reachable: code === REACHABLE };
  }
}
