// Storage of the Events as columns (issue 8). Events are what a large run keeps most of:
// --event-ttl keeps an hour of them, ~1.2 million at 5,000 nodes, and a stored Event was
// four heap objects of ~272 bytes (the Event, its metadata, its uid and resourceVersion
// strings) that every full GC marked. Here an Event is a row: its uid as four 32-bit
// words, its resourceVersion as a number, and its other members as references to values
// other Events and the trace share (reason, message, involvedObject, source, the
// timestamps). GET, LIST and watches get the object rebuilt from its row, a literal with
// the same members in the same order as the one stored (the JSON is byte for byte the
// same); only its identity differs from one read to the next.
//
// An Event whose shape the row does not hold exactly (other keys or key order, another
// apiVersion, a uid that is not a lowercase uuid, a resourceVersion that is not a plain
// 32-bit number) is kept as the object it is.
import { formatUuid } from '../kernel/random.js';
import type { KindStore } from './object-store.js';
import type { KubeObject } from './resources.js';

/**
 * The keys of a stored Event in the order the event recorder writes them (core/v1 Event's
 * field order). The API server stores an Event with them as a literal, and this store
 * keeps such an Event as a row.
 */
export const EVENT_KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'involvedObject',
  'reason',
  'message',
  'source',
  'firstTimestamp',
  'lastTimestamp',
  'count',
  'type',
  'reportingComponent',
  'reportingInstance',
] as const;

/** The metadata keys of a stored Event as the server writes them, in its order. */
const META_KEYS = ['name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion'] as const;

/** The members kept as references, per row: creationTimestamp, then the Event's own from involvedObject on. */
const VALUES = 11;
const CHUNK_BITS = 12;
/** Rows per chunk: 4,096 rows are ~440 KB, and growing adds a chunk (past the first, see FIRST_ROWS) instead of copying. */
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const NO_NAMESPACE = '';

/**
 * An Event {@link EventStore.remove} took out: at the removal's resourceVersion when its
 * row could build it (`removed`), otherwise as it was stored (`old`), and its stored
 * resourceVersion either way.
 */
export type RemovedEvent =
  | { readonly removed: KubeObject; readonly old: undefined; readonly storedVersion: number }
  | { readonly removed: undefined; readonly old: KubeObject; readonly storedVersion: number };

/**
 * The first chunk's rows before it first grows: a library scenario stores a few hundred
 * Events, and a full chunk (~440 KB) filled on each simulation's first Event was 2-3% of
 * its run.
 */
const FIRST_ROWS = 256;

/** Rows of Events: reference values, uid words and resourceVersions (0: the row is kept whole, see #whole). */
class Chunk {
  readonly values: unknown[];
  readonly uid: Uint32Array;
  readonly rv: Uint32Array;

  /** Room for `capacity` rows: CHUNK, or fewer for the first chunk while it grows. */
  constructor(readonly capacity: number) {
    this.values = new Array<unknown>(capacity * VALUES).fill(undefined);
    this.uid = new Uint32Array(capacity * 4);
    this.rv = new Uint32Array(capacity);
  }

  /** A chunk of twice the room (at most CHUNK) holding the same rows. */
  doubled(): Chunk {
    const next = new Chunk(Math.min(CHUNK, this.capacity * 2));
    const from = this.values;
    const to = next.values;
    for (let i = 0; i < from.length; i++) to[i] = from[i];
    next.uid.set(this.uid);
    next.rv.set(this.rv);
    return next;
  }
}

type Meta = Readonly<Record<string, unknown>>;

/**
 * How many of `keys` `obj` has as its own keys, in that order, from the first: -1 when a
 * key of `obj` is not the next of `keys` (the API server's literal builders apply only then).
 */
export const leadingKeys = (obj: object, keys: readonly string[]): number => {
  let i = 0;
  for (const key in obj) if (key !== keys[i++]) return -1;
  return i;
};

/** `text` as a resourceVersion a row holds (1 … 2^32−1, decimal without leading zeros), or 0. */
const resourceVersionOf = (text: unknown): number => {
  if (typeof text !== 'string' || text.length === 0 || text.length > 10 || text.charCodeAt(0) === 48) return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 0;
    n = n * 10 + d;
  }
  return n <= 0xffff_ffff ? n : 0;
};

const DASHES = [8, 13, 18, 23];
/** Character position of each of a uuid's 32 hex digits. */
const DIGIT_AT: readonly number[] = Array.from({ length: 32 }, (_, d) => d + (d >= 8 ? 1 : 0) + (d >= 12 ? 1 : 0) + (d >= 16 ? 1 : 0) + (d >= 20 ? 1 : 0));

/** Writes the 128 bits of `uid`, a lowercase 8-4-4-4-12 hex uuid, as four words at `at`; false when it is not one. */
const uuidInto = (uid: unknown, words: Uint32Array, at: number): boolean => {
  if (typeof uid !== 'string' || uid.length !== 36) return false;
  for (const dash of DASHES) if (uid.charCodeAt(dash) !== 45) return false;
  for (let w = 0; w < 4; w++) {
    let word = 0;
    for (let d = w * 8; d < w * 8 + 8; d++) {
      const c = uid.charCodeAt(DIGIT_AT[d]!);
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (digit < 0) return false;
      word = word * 16 + digit;
    }
    words[at + w] = word;
  }
  return true;
};

/** The uuid whose four words are at `at`. */
const uuidAt = (words: Uint32Array, at: number): string => formatUuid(words[at]!, words[at + 1]!, words[at + 2]!, words[at + 3]!);

/** The Events, by namespace and name, as rows of columns; lists sorted as etcd returns them. */
export class EventStore implements KindStore {
  /** Row of each Event by name, per namespace. */
  readonly #namespaces = new Map<string, Map<string, number>>();
  readonly #chunks: Chunk[] = [];
  /** Rows given up by deleted Events, taken again before new ones. */
  readonly #free: number[] = [];
  #rows = 0;
  /** Events whose shape a row does not hold, by row. */
  readonly #whole = new Map<number, KubeObject>();

  /** Number of stored Events. */
  get size(): number {
    return this.#rows - this.#free.length;
  }

  /** The Event, rebuilt from its row, if stored. */
  get(namespace: string | undefined, name: string): KubeObject | undefined {
    const ns = namespace ?? NO_NAMESPACE;
    const row = this.#namespaces.get(ns)?.get(name);
    return row === undefined ? undefined : this.#build(row, ns, name);
  }

  /** Whether an Event is stored under `namespace` and `name`, without rebuilding it. */
  has(namespace: string | undefined, name: string): boolean {
    return this.#namespaces.get(namespace ?? NO_NAMESPACE)?.has(name) ?? false;
  }

  /** Stores (adds or replaces) an Event under its metadata's namespace and name. */
  set(obj: KubeObject): void {
    const ns = obj.metadata?.namespace ?? NO_NAMESPACE;
    const name = obj.metadata?.name ?? '';
    let rows = this.#namespaces.get(ns);
    if (!rows) this.#namespaces.set(ns, (rows = new Map<string, number>()));
    let row = rows.get(name);
    if (row === undefined) rows.set(name, (row = this.#take()));
    else this.#whole.delete(row);
    if (!this.#fill(row, obj, ns, name)) {
      this.#clear(row);
      this.#whole.set(row, obj);
    }
  }

  /** Removes an Event; false when it was not stored. */
  delete(namespace: string | undefined, name: string): boolean {
    const ns = namespace ?? NO_NAMESPACE;
    const rows = this.#namespaces.get(ns);
    const row = rows?.get(name);
    if (rows === undefined || row === undefined) return false;
    this.#release(rows, ns, name, row);
    return true;
  }

  /** Takes `name` out of its namespace's `rows` and gives its `row` back, holding nothing. */
  #release(rows: Map<string, number>, ns: string, name: string, row: number): void {
    rows.delete(name);
    if (rows.size === 0) this.#namespaces.delete(ns);
    this.#clear(row);
    this.#whole.delete(row);
    this.#free.push(row);
  }

  /**
   * Removes the Event stored under `namespace` and `name` and returns it as the API
   * server's DELETED change carries it (`removed`): the stored Event at `resourceVersion`,
   * the same members in the same order, frozen; or, when its row cannot say (an Event kept
   * whole, or a member undefined, which the server's copy drops), the Event as stored
   * (`old`), for the caller to build it. Why (issue 8): the --event-ttl expiry removes
   * ~970,000 Events within three simulated minutes at 5,000 nodes; each was rebuilt
   * twice (a get, then a copy at the new resourceVersion) and its row found twice (get,
   * delete). Nothing reads a DELETED change's previous version (the watch cache drops it,
   * watches get the removed one), so only the stored resourceVersion is given with it.
   */
  remove(namespace: string | undefined, name: string, resourceVersion: string): RemovedEvent | undefined {
    const ns = namespace ?? NO_NAMESPACE;
    const rows = this.#namespaces.get(ns);
    const row = rows?.get(name);
    if (rows === undefined || row === undefined) return undefined;
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    const stored = chunk.rv[i]!;
    let taken: RemovedEvent;
    if (stored === 0) {
      const old = this.#whole.get(row)!;
      taken = { removed: undefined, old, storedVersion: Number(old.metadata?.resourceVersion) };
    } else if (this.#defined(chunk, i)) {
      const metadata = Object.freeze({ name, namespace: ns, uid: uuidAt(chunk.uid, i * 4), creationTimestamp: chunk.values[i * VALUES], resourceVersion });
      taken = { removed: this.#event(chunk, i, metadata), old: undefined, storedVersion: stored };
    } else {
      taken = { removed: undefined, old: this.#build(row, ns, name), storedVersion: stored };
    }
    this.#release(rows, ns, name, row);
    return taken;
  }

  /** The Events of one namespace (or all, namespaces in order), sorted by name. */
  list(namespace?: string): readonly KubeObject[] {
    const namespaces = namespace !== undefined ? [namespace] : [...this.#namespaces.keys()].sort();
    const out: KubeObject[] = [];
    for (const ns of namespaces) {
      const rows = this.#namespaces.get(ns);
      if (rows === undefined) continue;
      for (const name of [...rows.keys()].sort()) out.push(this.#build(rows.get(name)!, ns, name));
    }
    return out;
  }

  #take(): number {
    const free = this.#free.pop();
    if (free !== undefined) return free;
    const row = this.#rows++;
    if ((row & MASK) === 0 && row >>> CHUNK_BITS === this.#chunks.length) this.#chunks.push(new Chunk(row === 0 ? FIRST_ROWS : CHUNK));
    else if (row < CHUNK && row === this.#chunks[0]!.capacity) this.#chunks[0] = this.#chunks[0]!.doubled();
    return row;
  }

  /** Writes `obj` into `row`; false (the row half written) when its shape is not the one rows hold. */
  #fill(row: number, obj: KubeObject, ns: string, name: string): boolean {
    const e = obj as unknown as Readonly<Record<string, unknown>>;
    if (e.apiVersion !== 'v1' || e.kind !== 'Event' || leadingKeys(e, EVENT_KEYS) !== EVENT_KEYS.length) return false;
    const meta = e.metadata as Meta | undefined;
    if (meta === undefined || meta === null || leadingKeys(meta, META_KEYS) !== META_KEYS.length) return false;
    if (meta.name !== name || meta.namespace !== ns || typeof ns !== 'string' || ns === NO_NAMESPACE) return false;
    const rv = resourceVersionOf(meta.resourceVersion);
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    if (rv === 0 || !uuidInto(meta.uid, chunk.uid, i * 4)) return false;
    chunk.rv[i] = rv;
    const v = chunk.values;
    const at = i * VALUES;
    v[at] = meta.creationTimestamp;
    v[at + 1] = e.involvedObject;
    v[at + 2] = e.reason;
    v[at + 3] = e.message;
    v[at + 4] = e.source;
    v[at + 5] = e.firstTimestamp;
    v[at + 6] = e.lastTimestamp;
    v[at + 7] = e.count;
    v[at + 8] = e.type;
    v[at + 9] = e.reportingComponent;
    v[at + 10] = e.reportingInstance;
    return true;
  }

  /** Lets go of what `row` refers to. */
  #clear(row: number): void {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    chunk.rv[i] = 0;
    // A loop of 11 stores: Array.prototype.fill over a range of this large array was ~15% of a delete.
    const v = chunk.values;
    for (let at = i * VALUES, end = at + VALUES; at < end; at++) v[at] = undefined;
  }

  /** Whether every reference value of the row at `i` of `chunk` is defined. */
  #defined(chunk: Chunk, i: number): boolean {
    const v = chunk.values;
    for (let at = i * VALUES, end = at + VALUES; at < end; at++) if (v[at] === undefined) return false;
    return true;
  }

  /** The Event of `row`, as the server stored it: frozen literals, members in the stored order. */
  #build(row: number, namespace: string, name: string): KubeObject {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    const rv = chunk.rv[i]!;
    if (rv === 0) return this.#whole.get(row)!;
    const metadata = Object.freeze({ name, namespace, uid: uuidAt(chunk.uid, i * 4), creationTimestamp: chunk.values[i * VALUES], resourceVersion: String(rv) });
    return this.#event(chunk, i, metadata);
  }

  /** The frozen Event literal of the row at `i` of `chunk` with `metadata`. */
  #event(chunk: Chunk, i: number, metadata: Meta): KubeObject {
    const v = chunk.values;
    const at = i * VALUES;
    return Object.freeze({
      apiVersion: 'v1',
      kind: 'Event',
      metadata,
      involvedObject: v[at + 1],
      reason: v[at + 2],
      message: v[at + 3],
      source: v[at + 4],
      firstTimestamp: v[at + 5],
      lastTimestamp: v[at + 6],
      count: v[at + 7],
      type: v[at + 8],
      reportingComponent: v[at + 9],
      reportingInstance: v[at + 10],
    });
  }
}
