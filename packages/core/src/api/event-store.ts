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
//
// A row holds four references, not eleven (issue 8, ~1,000,000 Events alive at 5,000
// nodes): the involvedObject, the message, a shared "shape" (reason, source, type,
// reportingComponent, reportingInstance: one recorder writes the same few for every Pod)
// and a shared "times" (creationTimestamp, firstTimestamp, lastTimestamp, count: an Event
// of count 1 has the three of the second it was written, so every Event created in one
// second shares one). 56 bytes less a row; a patched Event (count > 1) gets a times of
// its own, as big as the three references it replaces plus a header. Rows are found by
// (namespace, name) through an open-addressing table of row numbers (~10 bytes a row)
// and the row's own name reference, namespace id and hash, where a Map entry per name
// was ~41.
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

/** The references per row: involvedObject, message, shape (EventShape), times (EventTimes), and the name (undefined: a free row). */
const VALUES = 5;
const V_INVOLVED = 0;
const V_MESSAGE = 1;
const V_SHAPE = 2;
const V_TIMES = 3;
const V_NAME = 4;

/** Name table slots: EMPTY, TOMBSTONE (a removed row: probing goes on past it) or row + 1. */
const EMPTY = 0;
const TOMBSTONE = -1;
/** Smallest name table, in slots (a power of two). */
const MIN_TABLE = 256;

/** What Events of one reporter and reason share (see the header); frozen, shared by rows. */
interface EventShape {
  readonly reason: unknown;
  readonly source: unknown;
  readonly type: unknown;
  readonly reportingComponent: unknown;
  readonly reportingInstance: unknown;
}

/** The times and count of an Event; frozen, shared by rows with the same four. */
interface EventTimes {
  readonly creationTimestamp: unknown;
  readonly firstTimestamp: unknown;
  readonly lastTimestamp: unknown;
  readonly count: unknown;
}

/**
 * Shapes kept per source object at most: a recorder writes a handful of reasons; past
 * this, a shape is not shared (so an odd writer with endless reasons cannot grow the table).
 */
const SHAPES_PER_SOURCE = 64;
const CHUNK_BITS = 12;
/** Rows per chunk: 4,096 rows are ~210 KB, and growing adds a chunk (past the first, see FIRST_ROWS) instead of copying. */
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
 * Events, and a full chunk (~440 KB when rows held 11 references) filled on each simulation's first Event was 2-3% of
 * its run.
 */
const FIRST_ROWS = 256;

/** Rows of Events: reference values, uid words and resourceVersions (0: the row is kept whole, see #whole). */
class Chunk {
  readonly values: unknown[];
  readonly uid: Uint32Array;
  readonly rv: Uint32Array;
  /** The row's namespace id (EventStore#nsNames). */
  readonly ns: Uint32Array;
  /**
   * The row's name table hash (hashOf), kept: a rebuild of the table then reads no name
   * (rehashing each name from its string was ~1% of the workload minute), and a probe
   * compares it before the name.
   */
  readonly hash: Uint32Array;

  /** Room for `capacity` rows: CHUNK, or fewer for the first chunk while it grows. */
  constructor(readonly capacity: number) {
    this.values = new Array<unknown>(capacity * VALUES).fill(undefined);
    this.uid = new Uint32Array(capacity * 4);
    this.rv = new Uint32Array(capacity);
    this.ns = new Uint32Array(capacity);
    this.hash = new Uint32Array(capacity);
  }

  /** A chunk of twice the room (at most CHUNK) holding the same rows. */
  doubled(): Chunk {
    const next = new Chunk(Math.min(CHUNK, this.capacity * 2));
    const from = this.values;
    const to = next.values;
    for (let i = 0; i < from.length; i++) to[i] = from[i];
    next.uid.set(this.uid);
    next.rv.set(this.rv);
    next.ns.set(this.ns);
    next.hash.set(this.hash);
    return next;
  }
}

type Meta = Readonly<Record<string, unknown>>;

/** Array.prototype.sort's default order for strings (UTF-16 code units). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

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

/**
 * The name table's hash of (namespace id, name): FNV-1a over the name's length, its first
 * 8 and last 32 characters (all of a name up to 40; an Event name's varying part is its
 * hex timestamp at the end), then mixed so that the low bits the table uses vary.
 */
const hashOf = (ns: number, name: string): number => {
  const n = name.length;
  let h = Math.imul(0x811c9dc5 ^ ns, 0x01000193);
  h = Math.imul(h ^ n, 0x01000193);
  const head = n > 40 ? 8 : n;
  for (let i = 0; i < head; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  for (let i = n > 40 ? n - 32 : n; i < n; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
};

/** The uuid whose four words are at `at`. */
const uuidAt = (words: Uint32Array, at: number): string => formatUuid(words[at]!, words[at + 1]!, words[at + 2]!, words[at + 3]!);

/** The Events, by namespace and name, as rows of columns; lists sorted as etcd returns them. */
export class EventStore implements KindStore {
  /** Namespaces by id (a row's ns column) and ids by namespace; a cluster has a handful. */
  readonly #nsNames: string[] = [];
  readonly #nsIds = new Map<string, number>();
  /** Rows by (namespace, name): open addressing, linear probing, at most half full counting tombstones. */
  #table = new Int32Array(MIN_TABLE);
  /** Slots of #table not EMPTY (rows and tombstones). */
  #used = 0;
  readonly #chunks: Chunk[] = [];
  /** Rows given up by deleted Events, taken again before new ones. */
  readonly #free: number[] = [];
  #rows = 0;
  /** Events whose shape a row does not hold, by row. */
  readonly #whole = new Map<number, KubeObject>();
  /** Shapes by source object (see EventShape); weak, so a table goes with the last Event of its source. */
  readonly #shapes = new WeakMap<object, EventShape[]>();
  /** The last shape stored: a recorder mostly writes several Events in a row. */
  #lastShape: EventShape | undefined;
  /** The last times of count 1 stored (every Event created in that second shares it), and the last other. */
  #lastNew: EventTimes | undefined;
  #lastOther: EventTimes | undefined;

  /** Number of stored Events. */
  get size(): number {
    return this.#rows - this.#free.length;
  }

  /** The Event, rebuilt from its row, if stored. */
  get(namespace: string | undefined, name: string): KubeObject | undefined {
    const ns = namespace ?? NO_NAMESPACE;
    const slot = this.#slotOf(ns, name);
    return slot < 0 ? undefined : this.#build(this.#table[slot]! - 1, ns, name);
  }

  /** Whether an Event is stored under `namespace` and `name`, without rebuilding it. */
  has(namespace: string | undefined, name: string): boolean {
    return this.#slotOf(namespace ?? NO_NAMESPACE, name) >= 0;
  }

  /** Stores (adds or replaces) an Event under its metadata's namespace and name. */
  set(obj: KubeObject): void {
    this.write(obj, undefined);
  }

  /**
   * Stores `event` as {@link EventStore.set} does and returns its row, for
   * {@link EventStore.removeRow}: the --event-ttl expiry keeps it with the countdown.
   *
   * `uid`, when given, says that `event` has a row's shape (apiVersion v1, kind Event, the
   * Event keys and the server's metadata keys in their order) and a uid whose 128 bits are
   * these four words. Why (issue 8): the API server builds every Event it creates so;
   * checking its keys again and parsing its uid back out of the text were a third of
   * storing it. The resourceVersion is still read from the Event.
   */
  write(event: KubeObject, uid: Uint32Array | undefined): number {
    const ns = event.metadata?.namespace ?? NO_NAMESPACE;
    const name = event.metadata?.name ?? '';
    // Hashed once: a new Event (most writes) is probed for, then entered under the same hash.
    const id = this.#nsIds.get(ns);
    const hash = id === undefined ? 0 : hashOf(id, name);
    const slot = id === undefined ? -1 : this.#slotAt(id, hash, name);
    let row: number;
    if (slot < 0) row = this.#add(ns, name, id, hash);
    else {
      row = this.#table[slot]! - 1;
      this.#whole.delete(row);
    }
    if (!this.#fill(row, event, ns, name, uid)) {
      this.#clear(row);
      this.#whole.set(row, event);
    }
    return row;
  }

  /** Removes an Event; false when it was not stored. */
  delete(namespace: string | undefined, name: string): boolean {
    const slot = this.#slotOf(namespace ?? NO_NAMESPACE, name);
    if (slot < 0) return false;
    this.#release(slot);
    return true;
  }

  /** Takes the row in table `slot` out of the table and gives it back, holding nothing. */
  #release(slot: number): void {
    const row = this.#table[slot]! - 1;
    // A tombstone: the rows after it in their probe sequences stay reachable.
    this.#table[slot] = TOMBSTONE;
    this.#clear(row);
    this.#chunks[row >>> CHUNK_BITS]!.values[(row & MASK) * VALUES + V_NAME] = undefined;
    this.#whole.delete(row);
    this.#free.push(row);
  }

  /** The table slot of the row stored under `ns` and `name`, or -1. */
  #slotOf(ns: string, name: string): number {
    const id = this.#nsIds.get(ns);
    return id === undefined ? -1 : this.#slotAt(id, hashOf(id, name), name);
  }

  /** #slotOf of the namespace with id `id`, `hash` being hashOf(id, name). */
  #slotAt(id: number, hash: number, name: string): number {
    const table = this.#table;
    const mask = table.length - 1;
    const chunks = this.#chunks;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === EMPTY) return -1;
      if (entry === TOMBSTONE) continue;
      const row = entry - 1;
      const chunk = chunks[row >>> CHUNK_BITS]!;
      const i = row & MASK;
      if (chunk.hash[i] === hash && chunk.ns[i] === id && chunk.values[i * VALUES + V_NAME] === name) return slot;
    }
  }

  /**
   * A new row for `name` in `ns` (not stored), entered in the table; `id` is the
   * namespace's id (undefined: it has none yet) and `hash` hashOf(id, name) when it has one.
   */
  #add(ns: string, name: string, id: number | undefined, hash: number): number {
    if (id === undefined) {
      id = this.#nsNames.push(ns) - 1;
      this.#nsIds.set(ns, id);
      hash = hashOf(id, name);
    }
    if ((this.#used + 1) * 2 > this.#table.length) this.#rebuild();
    const row = this.#take();
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    chunk.ns[i] = id;
    chunk.hash[i] = hash;
    chunk.values[i * VALUES + V_NAME] = name;
    this.#enter(this.#table, row, hash);
    return row;
  }

  /** Puts `row` in the first EMPTY or TOMBSTONE slot of its probe sequence in `table`. */
  #enter(table: Int32Array, row: number, hash: number): void {
    const mask = table.length - 1;
    let slot = hash & mask;
    while (table[slot]! > 0) slot = (slot + 1) & mask;
    if (table[slot] === EMPTY) this.#used++;
    table[slot] = row + 1;
  }

  /**
   * A new table for the stored rows and one more: at least three slots a row, so it is a
   * third full, tombstones dropped. The Event expiry leaves tombstones, and the table
   * shrinks back with the Events. The old table is walked, not the rows: its size follows
   * the live Events, where the rows stay as many as there ever were.
   */
  #rebuild(): void {
    const old = this.#table;
    const live = this.size + 1;
    let capacity = MIN_TABLE;
    while (capacity < live * 3) capacity *= 2;
    const table = new Int32Array(capacity);
    this.#table = table;
    this.#used = 0;
    const chunks = this.#chunks;
    for (let slot = 0; slot < old.length; slot++) {
      const entry = old[slot]!;
      if (entry <= 0) continue;
      const row = entry - 1;
      this.#enter(table, row, chunks[row >>> CHUNK_BITS]!.hash[row & MASK]!);
    }
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
    const slot = this.#slotOf(ns, name);
    if (slot < 0) return undefined;
    return this.#takeOut(slot, this.#table[slot]! - 1, ns, name, resourceVersion);
  }

  /**
   * {@link EventStore.remove} of the Event `namespace`/`name` that `row` (what {@link
   * EventStore.write} returned when it was stored) held at `storedVersion`, if the row still holds
   * that write; undefined otherwise (written again, deleted, or kept whole: remove() by
   * name then). Why (issue 8): the expiry's Events are an hour old, and finding each by
   * name re-hashed its name and compared rows no longer in any cache (~⅓ of the lookup).
   * A resourceVersion is one write's: a row holding it holds that Event, under that name.
   */
  removeRow(row: number, storedVersion: number, namespace: string | undefined, name: string, resourceVersion: string): RemovedEvent | undefined {
    // 0 is no write's: the rv of a free row or one kept whole.
    if (row < 0 || row >= this.#rows || storedVersion === 0) return undefined;
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    if (chunk.rv[i] !== storedVersion) return undefined;
    // The row is in the table (rv 0 marks free and whole rows): its slot is in its probe sequence.
    const table = this.#table;
    const mask = table.length - 1;
    const entry = row + 1;
    let slot = chunk.hash[i]! & mask;
    while (table[slot] !== entry) {
      if (table[slot] === EMPTY) return undefined;
      slot = (slot + 1) & mask;
    }
    return this.#takeOut(slot, row, namespace ?? NO_NAMESPACE, name, resourceVersion);
  }

  /** Takes out the Event of `row`, in table `slot`, as remove() returns it. */
  #takeOut(slot: number, row: number, ns: string, name: string, resourceVersion: string): RemovedEvent {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    const stored = chunk.rv[i]!;
    let taken: RemovedEvent;
    if (stored === 0) {
      const old = this.#whole.get(row)!;
      taken = { removed: undefined, old, storedVersion: Number(old.metadata?.resourceVersion) };
    } else if (this.#defined(chunk, i)) {
      const times = chunk.values[i * VALUES + V_TIMES] as EventTimes;
      const metadata = Object.freeze({ name, namespace: ns, uid: uuidAt(chunk.uid, i * 4), creationTimestamp: times.creationTimestamp, resourceVersion });
      taken = { removed: this.#event(chunk, i, metadata), old: undefined, storedVersion: stored };
    } else {
      taken = { removed: undefined, old: this.#build(row, ns, name), storedVersion: stored };
    }
    this.#release(slot);
    return taken;
  }

  /** The Events of one namespace (or all, namespaces in order), sorted by name. */
  list(namespace?: string): readonly KubeObject[] {
    const only = namespace === undefined ? undefined : this.#nsIds.get(namespace);
    if (namespace !== undefined && only === undefined) return [];
    // Each namespace's (name, row) pairs, by namespace id: a walk over every row (listing Events is rare).
    const byNs: [string, number][][] = [];
    const chunks = this.#chunks;
    for (let row = 0; row < this.#rows; row++) {
      const chunk = chunks[row >>> CHUNK_BITS]!;
      const i = row & MASK;
      const name = chunk.values[i * VALUES + V_NAME];
      const id = chunk.ns[i]!;
      if (typeof name === 'string' && (only === undefined || id === only)) (byNs[id] ??= []).push([name, row]);
    }
    const ids: number[] = [];
    byNs.forEach((_, id) => ids.push(id));
    const nsNames = this.#nsNames;
    ids.sort((a, b) => compare(nsNames[a]!, nsNames[b]!));
    const out: KubeObject[] = [];
    for (const id of ids) {
      const ns = nsNames[id]!;
      for (const [name, row] of byNs[id]!.sort((a, b) => compare(a[0], b[0]))) out.push(this.#build(row, ns, name));
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

  /**
   * Writes `obj` into `row`; false (the row half written) when its shape is not the one
   * rows hold. `uid`: as {@link EventStore.write} was given it.
   */
  #fill(row: number, obj: KubeObject, ns: string, name: string, uid: Uint32Array | undefined): boolean {
    const e = obj as unknown as Readonly<Record<string, unknown>>;
    const meta = e.metadata as Meta;
    if (uid === undefined) {
      if (e.apiVersion !== 'v1' || e.kind !== 'Event' || leadingKeys(e, EVENT_KEYS) !== EVENT_KEYS.length) return false;
      if (meta === undefined || meta === null || leadingKeys(meta, META_KEYS) !== META_KEYS.length) return false;
      if (meta.name !== name || meta.namespace !== ns || typeof ns !== 'string') return false;
    }
    if (ns === NO_NAMESPACE) return false;
    const rv = resourceVersionOf(meta.resourceVersion);
    if (rv === 0) return false;
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    if (uid !== undefined) {
      // Four stores: TypedArray#set, a builtin call, cost more for four words.
      const to = chunk.uid;
      const at = i * 4;
      to[at] = uid[0]!;
      to[at + 1] = uid[1]!;
      to[at + 2] = uid[2]!;
      to[at + 3] = uid[3]!;
    } else if (!uuidInto(meta.uid, chunk.uid, i * 4)) return false;
    chunk.rv[i] = rv;
    const v = chunk.values;
    const at = i * VALUES;
    v[at + V_INVOLVED] = e.involvedObject;
    v[at + V_MESSAGE] = e.message;
    v[at + V_SHAPE] = this.#shape(e.reason, e.source, e.type, e.reportingComponent, e.reportingInstance);
    v[at + V_TIMES] = this.#times(meta.creationTimestamp, e.firstTimestamp, e.lastTimestamp, e.count);
    return true;
  }

  /** The shared shape of these members (made when new). */
  #shape(reason: unknown, source: unknown, type: unknown, reportingComponent: unknown, reportingInstance: unknown): EventShape {
    const last = this.#lastShape;
    if (
      last !== undefined &&
      last.reason === reason &&
      last.source === source &&
      last.type === type &&
      last.reportingComponent === reportingComponent &&
      last.reportingInstance === reportingInstance
    ) {
      return last;
    }
    // Only an object source keys the table (weakly); a primitive one gets a shape of its own.
    if (typeof source !== 'object' || source === null) return (this.#lastShape = Object.freeze({ reason, source, type, reportingComponent, reportingInstance }));
    let shapes = this.#shapes.get(source);
    if (shapes === undefined) this.#shapes.set(source, (shapes = []));
    for (const s of shapes) {
      if (s.reason === reason && s.type === type && s.reportingComponent === reportingComponent && s.reportingInstance === reportingInstance) return (this.#lastShape = s);
    }
    // Built here rather than by a closure, whose captured members were a context allocated on every call (issue 8).
    const shape: EventShape = Object.freeze({ reason, source, type, reportingComponent, reportingInstance });
    if (shapes.length < SHAPES_PER_SOURCE) shapes.push(shape);
    return (this.#lastShape = shape);
  }

  /** The shared times of these members: the last one of its kind when equal, else a new one. */
  #times(creationTimestamp: unknown, firstTimestamp: unknown, lastTimestamp: unknown, count: unknown): EventTimes {
    const single = count === 1;
    const last = single ? this.#lastNew : this.#lastOther;
    if (
      last !== undefined &&
      last.creationTimestamp === creationTimestamp &&
      last.firstTimestamp === firstTimestamp &&
      last.lastTimestamp === lastTimestamp &&
      last.count === count
    ) {
      return last;
    }
    const times: EventTimes = Object.freeze({ creationTimestamp, firstTimestamp, lastTimestamp, count });
    if (single) this.#lastNew = times;
    else this.#lastOther = times;
    return times;
  }

  /** Lets go of what `row` refers to. */
  #clear(row: number): void {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    chunk.rv[i] = 0;
    // Four stores: Array.prototype.fill over a range of this large array was ~15% of a delete.
    const v = chunk.values;
    const at = i * VALUES;
    v[at + V_INVOLVED] = undefined;
    v[at + V_MESSAGE] = undefined;
    v[at + V_SHAPE] = undefined;
    v[at + V_TIMES] = undefined;
  }

  /** Whether every member the row at `i` of `chunk` holds is defined. */
  #defined(chunk: Chunk, i: number): boolean {
    const v = chunk.values;
    const at = i * VALUES;
    const shape = v[at + V_SHAPE] as EventShape;
    const times = v[at + V_TIMES] as EventTimes;
    return (
      v[at + V_INVOLVED] !== undefined &&
      v[at + V_MESSAGE] !== undefined &&
      shape.reason !== undefined &&
      shape.source !== undefined &&
      shape.type !== undefined &&
      shape.reportingComponent !== undefined &&
      shape.reportingInstance !== undefined &&
      times.creationTimestamp !== undefined &&
      times.firstTimestamp !== undefined &&
      times.lastTimestamp !== undefined &&
      times.count !== undefined
    );
  }

  /** The Event of `row`, as the server stored it: frozen literals, members in the stored order. */
  #build(row: number, namespace: string, name: string): KubeObject {
    const chunk = this.#chunks[row >>> CHUNK_BITS]!;
    const i = row & MASK;
    const rv = chunk.rv[i]!;
    if (rv === 0) return this.#whole.get(row)!;
    const times = chunk.values[i * VALUES + V_TIMES] as EventTimes;
    const metadata = Object.freeze({ name, namespace, uid: uuidAt(chunk.uid, i * 4), creationTimestamp: times.creationTimestamp, resourceVersion: String(rv) });
    return this.#event(chunk, i, metadata);
  }

  /** The frozen Event literal of the row at `i` of `chunk` with `metadata`. */
  #event(chunk: Chunk, i: number, metadata: Meta): KubeObject {
    const v = chunk.values;
    const at = i * VALUES;
    const shape = v[at + V_SHAPE] as EventShape;
    const times = v[at + V_TIMES] as EventTimes;
    return Object.freeze({
      apiVersion: 'v1',
      kind: 'Event',
      metadata,
      involvedObject: v[at + V_INVOLVED],
      reason: shape.reason,
      message: v[at + V_MESSAGE],
      source: shape.source,
      firstTimestamp: times.firstTimestamp,
      lastTimestamp: times.lastTimestamp,
      count: times.count,
      type: shape.type,
      reportingComponent: shape.reportingComponent,
      reportingInstance: shape.reportingInstance,
    });
  }
}
