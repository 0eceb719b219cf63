// The event recorder every component uses to write core/v1 Events, with client-go's
// correlation (k8s.io/client-go tools/record/events_cache.go): the same event again bumps
// count and lastTimestamp on the existing Event; more than 10 distinct messages for one
// object and reason within 10 minutes are combined; a token bucket per source and object
// (burst 25, one token per 5 minutes) drops the rest.
//
// Cost (issue 8): upstream keys its three LRUs by long joined strings. Built, hashed and
// kept per Event they were ~300 bytes an Event and most of the recorder's time; here the
// caches hang off one record per involved object (found by uid), one group per type and
// reason, and one entry per logged message, and each LRU is a list threaded through
// them, so an Event costs no key string and no Map entry of its own. The three kinds of
// entry are columns indexed by 16-bit slots rather than objects (~236 → ~125 bytes per
// live Event at 300 nodes, 10 min), and since (issue 8, memory) times, token counts and
// reasons are 16-bit fields beside the links, the records are found by an open-addressing
// table of 16-bit slots rather than a Map by uid, and the tables grow by an eighth
// (~63 → ~35 bytes per live entry at 500 nodes, 60 min).
import * as E from 'fp-ts/lib/Either.js';
import type { Event, ObjectReference } from 'kubernetes-types/core/v1.js';
import type { ApiClient } from './client.js';
import type { Trace } from '../trace/trace.js';
import type { KubeObject } from './resources.js';

/** Normal or Warning, as upstream. */
export type EventType = 'Normal' | 'Warning';

/** Who reports: `source.component` and `source.host` of the Events. */
export interface EventSource {
  readonly component: string;
  readonly host?: string;
}

/** Tunables of the correlator; upstream's defaults. */
export interface EventCorrelatorOptions {
  /** Distinct messages per (object, reason) before they are combined (10). */
  readonly maxSimilarEvents: number;
  /** Window of the aggregator, ms (10 minutes). */
  readonly similarWindowMs: number;
  /** Spam filter bucket size (25). */
  readonly burst: number;
  /** Spam filter refill period, ms per token (5 minutes). */
  readonly refillMs: number;
}

/** client-go's defaults (events_cache.go: defaultAggregateMaxEvents, defaultSpamBurst, defaultSpamQPS). */
export const defaultCorrelatorOptions: EventCorrelatorOptions = {
  maxSimilarEvents: 10,
  similarWindowMs: 600_000,
  burst: 25,
  refillMs: 300_000,
};

/**
 * `s` as one flat string. Texts built by concatenation are trees of pieces (~190 bytes
 * for a 70-character message, against ~90 flat), and an Event keeps its texts for an
 * hour; trim() returns a flat copy, used only when it trimmed nothing.
 */
const flat = (s: string): string => {
  const t = s.trim();
  return t.length === s.length ? t : s;
};

/** referenceOf for an object with every member of the common shape (namespace aside). */
const commonReference = (
  kind: string,
  namespace: string | undefined,
  name: string,
  uid: string,
  apiVersion: string,
  resourceVersion: string,
  fieldPath: string | undefined,
): ObjectReference => {
  // Literals: a fixed shape with the members in the object, the common case.
  if (namespace !== undefined) {
    return Object.freeze(
      fieldPath ? { kind, namespace, name, uid, apiVersion, resourceVersion, fieldPath } : { kind, namespace, name, uid, apiVersion, resourceVersion },
    );
  }
  return Object.freeze(fieldPath ? { kind, name, uid, apiVersion, resourceVersion, fieldPath } : { kind, name, uid, apiVersion, resourceVersion });
};

/**
 * The reference to `obj`, frozen, without undefined members (the API server would copy
 * it to drop them; frozen, it is stored as is). Keys in upstream's order: kind,
 * namespace, name, uid, apiVersion, resourceVersion, fieldPath.
 */
const referenceOf = (obj: KubeObject, fieldPath?: string): ObjectReference => {
  const { kind, apiVersion } = obj;
  const { namespace, name, uid, resourceVersion } = obj.metadata ?? {};
  if (kind !== undefined && name !== undefined && uid !== undefined && apiVersion !== undefined && resourceVersion !== undefined) {
    return commonReference(kind, namespace, name, uid, apiVersion, resourceVersion, fieldPath);
  }
  const ref: Record<string, unknown> = {};
  const members: [string, unknown][] = [
    ['kind', kind],
    ['namespace', namespace],
    ['name', name],
    ['uid', uid],
    ['apiVersion', apiVersion],
    ['resourceVersion', resourceVersion],
  ];
  for (const [key, value] of members) if (value !== undefined) ref[key] = value;
  if (fieldPath) ref['fieldPath'] = fieldPath;
  return Object.freeze(ref);
};

/**
 * The last event-name nanos of a server, so two recorders never pick the same name: `ms`
 * × 1,000,000 + `sub` (`sub` < 1,000,000). Two numbers rather than a BigInt (issue 8):
 * the BigInt arithmetic allocated four heap numbers per Event.
 */
interface LastNanos {
  ms: number;
  sub: number;
}

const lastNanosByServer = new WeakMap<object, LastNanos>();

const NANOS_PER_MS = 1_000_000;
const TWO_POW_24 = 2 ** 24;
/** '00' … 'ff', by value. */
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** The last high part written by writeNanosHex and its hex: it changes every 2^24 ns (~17 ms), and many Events share a millisecond. */
let lastHigh = -1;
let lastHighHex = '';

/** The four strings writeNanosHex writes, to be concatenated in order. */
const HEX_PARTS: string[] = ['', '', '', ''];

/**
 * Writes `ms` × 1,000,000 + `sub` in hex without leading zeros, as BigInt's toString(16)
 * writes it, as the four strings of HEX_PARTS, for `ms` a safe integer ≥ 0 and `sub` <
 * 1,000,000: the value is split as high × 2^24 + low so each part stays below 2^53. Why
 * parts (issue 8): the high part's hex is kept and the low 24 bits are three pairs from a
 * table, so an event name is concatenated from strings that exist (the digits written one
 * by one, then String.fromCharCode.apply and a join of a fresh array, took about twice
 * the time in a micro-benchmark and allocated the hex string and the array as well).
 */
const writeNanosHex = (ms: number, sub: number): void => {
  const parts = HEX_PARTS;
  const msHigh = Math.floor(ms / TWO_POW_24);
  let low = (ms - msHigh * TWO_POW_24) * NANOS_PER_MS + sub; // < 2^44 + 2^20
  const carry = Math.floor(low / TWO_POW_24);
  low -= carry * TWO_POW_24;
  const high = msHigh * NANOS_PER_MS + carry; // < 2^53 for any ms below 2^53 / 10^6 × 2^24
  if (high === 0) {
    // An integer's toString(16) is exact.
    parts[0] = low.toString(16);
    parts[1] = parts[2] = parts[3] = '';
    return;
  }
  if (high !== lastHigh) {
    lastHigh = high;
    lastHighHex = high.toString(16);
  }
  parts[0] = lastHighHex;
  parts[1] = HEX_PAIRS[low >>> 16]!;
  parts[2] = HEX_PAIRS[(low >>> 8) & 255]!;
  parts[3] = HEX_PAIRS[low & 255]!;
};

/** `ms` × 1,000,000 + `sub` in hex without leading zeros, as BigInt's toString(16) writes it (see writeNanosHex). */
export const nanosHex = (ms: number, sub: number): string => {
  writeNanosHex(ms, sub);
  return flat(HEX_PARTS[0]! + HEX_PARTS[1]! + HEX_PARTS[2]! + HEX_PARTS[3]!);
};

/** How many message texts a server's recorders share at most before the table starts over. */
const SHARED_TEXTS = 4096;

/**
 * Message texts recently written by any recorder of a server, by content (issue 8): every
 * kubelet writes "Pulling image ..." / "Created container ..." for each of its Pods, an
 * hour of Events keeps each text, and a fresh string per Event was ~35 bytes per Event
 * more than one shared string. Bounded: when full it is cleared (texts seen once, such as
 * the scheduler's "Successfully assigned ...", would otherwise pile up); only which
 * string object an Event holds depends on it, never its content.
 */
const textsByServer = new WeakMap<object, Map<string, string>>();

/** client-go keeps its correlation caches in LRUs of 4096 entries (maxLruCacheEntries). */
const CACHE_ENTRIES = 4096;

/** No slot: the end of a list, an unset link. */
const NIL = -1;

/**
 * Slots are 16-bit indices. A table never holds more than its LRUs can keep alive: a
 * record lives while the spam filter's LRU or one of its groups holds it, a group while
 * the aggregator's LRU or one of its logged Events does, so at most 3 × 4,096 + 1
 * records, 2 × 4,096 + 1 groups and 4,096 + 1 logged Events.
 */
const MAX_SLOTS = 0x7fff;

/**
 * The first capacity of a table, in slots, and its least growth. A table grows by an
 * eighth (issue 8: by half, the unused capacity of ~850 recorders was a third of their
 * memory at 500 nodes; a kubelet's tables hold a few hundred entries and grow a dozen
 * times, copying a few kB each).
 */
const FIRST_CAPACITY = 16;

/** The capacity of every table before its first entry: recorders that never write pay for no columns. */
const NO_INTS = new Int16Array(0);

/** A number field in two 16-bit halves holds 0 … 2^32 − 2 inline; this value sends it to Slots#wide. */
const WIDE = 0xffffffff;

/**
 * One kind of correlation entry (records, groups or logged Events) in columns indexed by
 * slot (issue 8: as objects the three kinds cost ~225 bytes per live Event at 300 nodes,
 * mostly headers, 8-byte links and boxed fields): the links, small integers and numbers
 * (times, token counts: two 16-bit halves) of a slot side by side in one Int16Array
 * (`stride` per slot), strings and references in one plain array (`valStride` per slot).
 * The one client-go LRU that bounds the kind is threaded through fields 0 (prev) and 1
 * (next), as the Map keyed by strings it replaces, without keys: at most
 * {@link CACHE_ENTRIES}; `add` appends as the most recently set and returns the oldest
 * beyond the bound (unlinked, for the caller to let go); `touch` moves an entry last;
 * reading leaves the order as it is. Released slots are chained through `next`.
 */
class Slots<V> {
  /** `stride` 16-bit fields per slot: prev, next, then the subclass's. */
  ints: Int16Array = NO_INTS;
  /** `valStride` references per slot; undefined where unset. */
  vals: (V | undefined)[] = [];
  /** Number fields out of the inline range (not integers, negative or ≥ 2^32 − 1), by field index. */
  #wide: Map<number, number> | undefined;
  /** Released slots (in no list). */
  #free = NIL;
  /** Slots handed out so far: those below are live or free. */
  #end = 0;
  /** Slots the columns have room for; kept rather than read off `ints` (cold by the next alloc). */
  #capacity = 0;
  #head = NIL;
  #tail = NIL;
  #size = 0;

  constructor(
    readonly stride: number,
    readonly valStride: number,
  ) {}

  /** Field `field` of `slot`. */
  get(slot: number, field: number): number {
    return this.ints[slot * this.stride + field]!;
  }

  set(slot: number, field: number, value: number): void {
    this.ints[slot * this.stride + field] = value;
  }

  /** The number kept in fields `field` and `field` + 1 of `slot` (see setNumber). */
  getNumber(slot: number, field: number): number {
    const at = slot * this.stride + field;
    const ints = this.ints;
    const value = (((ints[at + 1]! & 0xffff) << 16) | (ints[at]! & 0xffff)) >>> 0;
    return value === WIDE ? this.#wide!.get(at)! : value;
  }

  /**
   * Keeps `value` in fields `field` and `field` + 1 of `slot`: a time in ms or a token
   * count is an integer well below 2^32 in any run (4 bytes where a plain array's element
   * is 8); any other number is kept exactly, aside.
   */
  setNumber(slot: number, field: number, value: number): void {
    const at = slot * this.stride + field;
    const ints = this.ints;
    if (this.#wide !== undefined) this.#wide.delete(at);
    if (!(Number.isInteger(value) && value >= 0 && value < WIDE)) {
      (this.#wide ??= new Map<number, number>()).set(at, value);
      value = WIDE;
    }
    ints[at] = value & 0xffff;
    ints[at + 1] = value >>> 16;
  }

  /** A slot for a new entry; the caller sets every field. */
  alloc(): number {
    const free = this.#free;
    if (free !== NIL) {
      this.#free = this.get(free, NEXT);
      return free;
    }
    const capacity = this.#capacity;
    if (this.#end === capacity) {
      // Not reachable within the bounds above; thrown rather than overflowing the 16-bit links.
      if (capacity === MAX_SLOTS) throw new Error('event recorder: correlation table full');
      const grown = Math.min(MAX_SLOTS, capacity + Math.max(FIRST_CAPACITY, capacity >> 3));
      const ints = new Int16Array(grown * this.stride);
      ints.set(this.ints);
      this.ints = ints;
      // Sized here rather than by the engine's own growth (by half): the same eighth.
      const vals = new Array<V | undefined>(grown * this.valStride).fill(undefined);
      for (let i = 0; i < this.vals.length; i++) vals[i] = this.vals[i];
      this.vals = vals;
      this.#capacity = grown;
    }
    return this.#end++;
  }

  /** Gives `slot` (in no list) back; the subclass has cleared what it referenced. */
  release(slot: number): void {
    this.set(slot, NEXT, this.#free);
    this.#free = slot;
  }

  /** Appends `slot` (not in the list) as the most recently set; returns the evicted oldest, or NIL. */
  add(slot: number): number {
    this.#append(slot);
    if (++this.#size <= CACHE_ENTRIES) return NIL;
    const oldest = this.#head;
    this.#unlink(oldest);
    this.#size--;
    return oldest;
  }

  /** Moves `slot` (in the list) to the most recently set place. */
  touch(slot: number): void {
    if (this.#tail === slot) return;
    this.#unlink(slot);
    this.#append(slot);
  }

  #append(slot: number): void {
    const tail = this.#tail;
    this.set(slot, PREV, tail);
    this.set(slot, NEXT, NIL);
    if (tail === NIL) this.#head = slot;
    else this.set(tail, NEXT, slot);
    this.#tail = slot;
  }

  #unlink(slot: number): void {
    const prev = this.get(slot, PREV);
    const next = this.get(slot, NEXT);
    if (prev === NIL) this.#head = next;
    else this.set(prev, NEXT, next);
    if (next === NIL) this.#tail = prev;
    else this.set(next, PREV, prev);
    this.set(slot, PREV, NIL);
    this.set(slot, NEXT, NIL);
  }
}

/** Fields of every slot: the LRU's links. */
const PREV = 0;
const NEXT = 1;

/** Records fields: 1 while the spam filter's LRU holds the bucket. */
const R_IN_BUCKETS = 2;
/**
 * Records fields: the first of the (type, reason) groups with an entry in the
 * aggregator's or the logger's LRU, chained through G_NEXT_IN_RECORD in the order of first use.
 */
const R_GROUPS = 3;
/**
 * Records fields: the hash of the uid or name (recordHash), where the index places the
 * record and what a probe compares before reading the record's reference.
 */
const R_HASH = 4;
/** Records fields: the spam filter's token bucket, while in its LRU: tokens left (two fields) and the time of the last refill (two). */
const R_TOKENS = 5;
const R_LAST = 7;
/**
 * Records fields: the trace's id of the object's text plus one (two fields), 0 until the
 * first traced Event: the text is joined and looked up in the trace's table of every
 * object (~150,000 at 5,000 nodes) once per record, not once per Event (issue 8).
 */
const R_OBJECT = 9;

/**
 * The 16-bit hash by which the index places the record of an object, as R_HASH holds it
 * (signed): FNV-1a over the
 * length and the last 8 UTF-16 code units (a UUID's random tail, a counter's last
 * digits), a quarter of the work of all 36, of its uid, or of its name when it has none;
 * an equal hash only makes a probe longer. Why the name (issue 8): the taint manager
 * names the Pods it evicts by namespace and name alone, and with '' hashed all their
 * records sat in one probe run that every lookup walked (360,000 probes for 11,500
 * lookups at 100 nodes; Records#matches was 3.2% of the 300-node run).
 */
const recordHash = (uid: string, name: string | undefined): number => {
  const key = uid !== '' ? uid : (name ?? '');
  let h = Math.imul(0x811c9dc5 ^ key.length, 0x01000193);
  for (let i = Math.max(0, key.length - 8); i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return ((h ^ (h >>> 16)) << 16) >> 16;
};

/**
 * Everything the recorder correlates about one involved object: client-go's three keys
 * all start with kind, namespace, name, uid and apiVersion (client-go v11 / Kubernetes
 * 1.14 tools/record/events_cache.go: getSpamKey, EventAggregatorByReasonFunc,
 * getEventKey), so they are nested under it, and the list is the spam filter's LRU.
 * The object is known by the reference its first Event was written with (members missing
 * from it count as '', strings.Join of Go's zero values; the reference is the Events'
 * own, so a record holds one pointer where it held five). Two differences from upstream
 * are older than this nesting and kept so runs stay as they were: getEventKey also holds
 * the fieldPath, and groupcache's LRU moves an entry on Get as well as on Add.
 */
class Records extends Slots<ObjectReference> {
  constructor() {
    super(11, 1);
  }

  /** The reference record `r` was made for; undefined for a free slot. */
  ref(r: number): ObjectReference | undefined {
    return this.vals[r];
  }

  /** Whether record `r` is the one of the object of these members ('' for a missing one). */
  matches(r: number, uid: string, kind: string, namespace: string, name: string, apiVersion: string): boolean {
    const own = this.vals[r]!;
    return (
      (own.uid ?? '') === uid &&
      (own.name ?? '') === name &&
      (own.namespace ?? '') === namespace &&
      (own.kind ?? '') === kind &&
      (own.apiVersion ?? '') === apiVersion
    );
  }

  /** `Kind/namespace/name` as the trace shows the object of record `r`. */
  traceText(r: number): string {
    const { kind = '', namespace = '', name = '' } = this.vals[r]!;
    // Flat, as #eventName's (the trace keeps it).
    return flat(namespace ? kind + '/' + namespace + '/' + name : kind + '/' + name);
  }
}

/** Whether `ref` has exactly these members (namespace undefined: none), as referenceOf builds them from an object's. */
const sameObject = (ref: ObjectReference, kind: string, namespace: string | undefined, name: string, uid: string, apiVersion: string): boolean =>
  ref.uid === uid && ref.name === name && ref.namespace === namespace && ref.kind === kind && ref.apiVersion === apiVersion;

/**
 * The records by uid: open addressing with linear probing over a power-of-two Int16Array
 * holding slot + 1 (0: empty), at most half full (issue 8: a Map entry per record, keyed
 * by the uid, was ~40 bytes; here 2–4), placed by recordHash. Records of one uid (only
 * objects without one share it, as '') are told apart by the caller's match.
 */
class RecordIndex {
  #table: Int16Array = NO_INTS;
  #count = 0;

  constructor(readonly records: Records) {}

  /**
   * The record Records#matches accepts for these members (`hash`: recordHash of uid and
   * name), or NIL. There is at most one: records are made only where none is found. A
   * probe compares the R_HASH of a record before its reference (issue 8): the references
   * are cold, and most records a probe passes (all, for a new object) are other objects'.
   */
  find(uid: string, hash: number, kind: string, namespace: string, name: string, apiVersion: string): number {
    const table = this.#table;
    const mask = table.length - 1;
    if (mask < 0) return NIL;
    const records = this.records;
    for (let at = hash & mask; table[at] !== 0; at = (at + 1) & mask) {
      const r = table[at]! - 1;
      if (records.get(r, R_HASH) === hash && records.matches(r, uid, kind, namespace, name, apiVersion)) return r;
    }
    return NIL;
  }

  /** Adds record `r` (its R_HASH set, not in the index). */
  add(r: number): void {
    if ((this.#count + 1) * 2 > this.#table.length) this.#grow();
    this.#place(this.#table, r);
    this.#count++;
  }

  /** Removes record `r` (in the index), moving the run after it back so every probe still finds its records. */
  delete(r: number): void {
    const table = this.#table;
    const mask = table.length - 1;
    const records = this.records;
    let hole = records.get(r, R_HASH) & mask;
    while (table[hole] !== r + 1) hole = (hole + 1) & mask;
    table[hole] = 0;
    for (let at = (hole + 1) & mask; table[at] !== 0; at = (at + 1) & mask) {
      const home = records.get(table[at]! - 1, R_HASH) & mask;
      // The entry stays unless its home is cyclically after the hole and not after it.
      const stays = hole <= at ? hole < home && home <= at : hole < home || home <= at;
      if (stays) continue;
      table[hole] = table[at]!;
      table[at] = 0;
      hole = at;
    }
    this.#count--;
  }

  #place(table: Int16Array, r: number): void {
    const mask = table.length - 1;
    let at = this.records.get(r, R_HASH) & mask;
    while (table[at] !== 0) at = (at + 1) & mask;
    table[at] = r + 1;
  }

  #grow(): void {
    const old = this.#table;
    const table = new Int16Array(old.length === 0 ? FIRST_CAPACITY : old.length * 2);
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.#place(table, old[i]! - 1);
    this.#table = table;
  }
}

/** Groups fields: the record of the group. */
const G_RECORD = 2;
/** Groups fields: bit 0, the aggregator's LRU holds the group (its window is running); above, the type's code. */
const G_BITS = 3;
/** Groups fields: the next group of the same record. */
const G_NEXT_IN_RECORD = 4;
/** Groups fields: the first of the group's logged Events, chained through L_NEXT_IN_GROUP. */
const G_LOGGED = 5;
/** Groups fields: the reason's code (EventRecorder#reasons). */
const G_REASON = 6;
/** Groups fields: the start of the aggregation window (two fields). */
const G_FIRST = 7;

/**
 * One (object, type, reason): the aggregator's entry (the distinct messages within the
 * window, while in its LRU) and the logger's entries of its Events. The value of a slot
 * is the window's distinct messages: the first alone, a Set only once a second one comes
 * (most never do).
 */
class Groups extends Slots<string | Set<string>> {
  constructor() {
    super(9, 1);
  }

  /** Adds `message` to the window of `g`; returns the number of distinct messages. */
  addMessage(g: number, message: string): number {
    const seen = this.vals[g];
    if (seen === undefined || seen === message) {
      this.vals[g] = message;
      return 1;
    }
    if (typeof seen !== 'string') return seen.add(message).size;
    this.vals[g] = new Set([seen, message]);
    return 2;
  }
}

/** Logged fields: the group of the entry. */
const L_GROUP = 2;
/** Logged fields: the next logged Event of the same group. */
const L_NEXT_IN_GROUP = 3;
/** Logged fields: the Event's count (two fields). */
const L_COUNT = 4;
/**
 * Logged fields: a time whose clock.iso() is the stored Event's firstTimestamp (two
 * fields): 4 bytes where the string's reference was 8, and the text is needed again only
 * when the Event is gone and written anew. The API server stores the firstTimestamp it is
 * given, so the time it was made from tells it exactly.
 */
const L_FIRST = 6;
/** Logged values: the Event's own (flat, shared) text, or undefined for the combined Event. */
const L_MESSAGE = 0;
/** Logged values: the Event's name; undefined for a free slot. */
const L_NAME = 1;

/**
 * The Events the logger knows (client-go's eventLog): name, count and first timestamp, to
 * bump an Event on the next identical event; the list is the logger's LRU. A group keeps
 * a handful at most, so they are a chain to walk rather than a Map per group.
 */
class Logged extends Slots<string> {
  constructor() {
    super(8, 2);
  }

  /** Value `field` (L_MESSAGE, L_NAME) of entry `l`. */
  value(l: number, field: number): string | undefined {
    return this.vals[l * 2 + field];
  }

  setValue(l: number, field: number, value: string | undefined): void {
    this.vals[l * 2 + field] = value;
  }

  count(l: number): number {
    return this.getNumber(l, L_COUNT);
  }

  setCount(l: number, count: number): void {
    this.setNumber(l, L_COUNT, count);
  }
}

/**
 * The code of `value` in `table` (its index), added when new: a recorder writes a handful
 * of types and reasons, so a short scan finds them. `limit` is the most a field holds.
 */
const codeOf = (table: string[], value: string, limit: number, what: string): number => {
  for (let i = 0; i < table.length; i++) if (table[i] === value) return i;
  if (table.length === limit) throw new Error(`event recorder: too many ${what}`);
  return table.push(value) - 1;
};

/** Records Events for one component through its client. */
export class EventRecorder {
  readonly #client: ApiClient;
  readonly #source: EventSource;
  readonly #options: EventCorrelatorOptions;
  readonly #trace: Trace | undefined;
  /**
   * The first correlation record by uid. The caches are this recorder's own, so their
   * keys leave out the source (upstream's are shared by every source of a broadcaster):
   * the same keys tell the same events apart.
   */
  readonly #index: RecordIndex;
  /** Records, and the spam filter's LRU (upstream's spam key: the object). */
  readonly #records = new Records();
  /** Groups, and the aggregator's LRU (upstream's aggregate key: the object, type and reason). */
  readonly #groups = new Groups();
  /** Logged Events, and the logger's LRU (upstream's event key: the object, type, reason and message). */
  readonly #logged = new Logged();
  /** Event types by code (Groups#bits): 'Normal' and 'Warning'. */
  readonly #types: string[] = [];
  /**
   * Reasons by code (G_REASON): a component writes a handful, so a group keeps a 16-bit
   * code where it kept a reference (issue 8), and finds it by a short scan.
   */
  readonly #reasons: string[] = [];
  /**
   * Slots released so far. A write delivers to watchers synchronously: should one report
   * through this recorder and release slots meanwhile, the slots held across the write
   * are looked up again.
   */
  #releases = 0;
  /** The Events' `source`, frozen once: every Event of this recorder shares it. */
  readonly #sourceRef: Readonly<EventSource>;
  /** The trace's `source` text. */
  readonly #sourceText: string;
  /** The trace's id of #sourceText (Trace.sourceId), asked on the first Event traced; -1 until then. */
  #sourceId = -1;
  /** The last object and field reported on, its reference and record (NIL once released): reused while they are the same. */
  #lastObject: KubeObject | undefined;
  #lastFieldPath: string | undefined;
  #lastRef: ObjectReference | undefined;
  #lastRecord = NIL;
  /**
   * The uid of the last object whose record was kept as #lastRecord: that record is
   * compared with an object only when its uid is this one, since the record's reference
   * is cold by the recorder's next Event (a kubelet's Events interleave with a thousand
   * others') and rarely the next object's.
   */
  #lastUid: string | undefined;
  /** The server's shared message texts (textsByServer), found on first use. */
  #texts: Map<string, string> | undefined;
  /** The server's last event-name nanos (lastNanosByServer), found on first use: a WeakMap lookup per Event otherwise. */
  #lastNanos: LastNanos | undefined;

  constructor(client: ApiClient, source: EventSource, options: { trace?: Trace; correlator?: Partial<EventCorrelatorOptions> } = {}) {
    this.#client = client;
    this.#index = new RecordIndex(this.#records);
    this.#source = source;
    this.#trace = options.trace;
    this.#options = { ...defaultCorrelatorOptions, ...options.correlator };
    this.#sourceRef = Object.freeze(source.host ? { component: source.component, host: source.host } : { component: source.component });
    this.#sourceText = source.host ? `${source.component}, ${source.host}` : source.component;
  }

  /**
   * Records an Event about `object`. Returns the Event as written, or undefined when the
   * spam filter dropped it or the API server could not be reached (the event is lost, as
   * it is upstream once the broadcaster's retries run out).
   */
  event(object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): Event | undefined {
    const now = this.#client.server.clock.now();
    const involvedObject = this.#referenceTo(object, fieldPath);
    let record = this.#liveRecord(involvedObject);
    if (!this.#takeToken(record, now)) return undefined;

    const groups = this.#groups;
    let group = this.#groupOf(record, type, reason);
    const bits = groups.get(group, G_BITS);
    if ((bits & 1) === 0) {
      groups.set(group, G_BITS, bits | 1);
      groups.setNumber(group, G_FIRST, now);
      groups.vals[group] = undefined;
      const evicted = groups.add(group);
      if (evicted !== NIL) this.#evictGroup(evicted);
    } else if (now - groups.getNumber(group, G_FIRST) > this.#options.similarWindowMs) {
      groups.setNumber(group, G_FIRST, now);
      groups.vals[group] = undefined;
      groups.touch(group);
    }
    // The Event keeps the flat, shared text; the caches share it rather than the caller's string.
    const text = this.#shared(flat(message));
    const combined = groups.addMessage(group, text) >= this.#options.maxSimilarEvents;
    const finalMessage = combined ? flat(`(combined from similar events): ${message}`) : text;
    const logKey = combined ? undefined : text;

    const stamp = this.#client.server.clock.iso(now);
    const logged = this.#logged;
    const previous = this.#loggedOf(group, logKey);
    const namespace = involvedObject.namespace || 'default';
    const objectId = this.#trace === undefined ? 0 : this.#objectId(record);
    const releases = this.#releases;
    let count = 1;
    let firstTime = now;
    let firstTimestamp = stamp;
    if (previous !== NIL) {
      const name = logged.value(previous, L_NAME)!;
      count = logged.count(previous) + 1;
      firstTime = logged.getNumber(previous, L_FIRST);
      const patched = this.#client.patch('Event', name, { count, lastTimestamp: stamp, message: finalMessage }, { type: 'merge', namespace });
      if (E.isRight(patched)) {
        // The slot is still this entry unless slots were released meanwhile and it went to another Event (names are unique).
        if (this.#releases === releases || logged.value(previous, L_NAME) === name) logged.setCount(previous, logged.count(previous) + 1);
        return this.#traced(patched.right, objectId, now);
      }
      if (patched.left.reason !== 'NotFound') return undefined;
      // Written anew with the first timestamp of the Event that is gone (see L_FIRST).
      firstTimestamp = this.#client.server.clock.iso(firstTime);
    }
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.#eventName(involvedObject.name ?? '', now), namespace },
      involvedObject,
      reason,
      message: finalMessage,
      source: this.#sourceRef,
      firstTimestamp,
      lastTimestamp: stamp,
      count,
      type,
      reportingComponent: this.#source.component,
      reportingInstance: this.#source.host ?? '',
    };
    const created = this.#client.create('Event', event);
    if (E.isLeft(created)) return undefined;
    // Should a watcher have reported through this recorder and let the group go meanwhile, it is found (or made) again.
    if (this.#releases !== releases) {
      record = this.#recordOf(involvedObject);
      group = this.#groupOf(record, type, reason);
    }
    this.#setLogged(group, logKey, created.right.metadata?.name ?? '', count, firstTime);
    return this.#traced(created.right, objectId, now);
  }

  /** `text`, or the equal string another Event of this server already holds (see textsByServer). */
  #shared(text: string): string {
    let texts = this.#texts;
    if (texts === undefined) {
      const server = this.#client.server;
      texts = textsByServer.get(server);
      if (texts === undefined) textsByServer.set(server, (texts = new Map<string, string>()));
      this.#texts = texts;
    }
    const known = texts.get(text);
    if (known !== undefined) return known;
    if (texts.size >= SHARED_TEXTS) texts.clear();
    texts.set(text, text);
    return text;
  }

  /** Shorthand for a Normal event. */
  normal(object: KubeObject, reason: string, message: string): Event | undefined {
    return this.event(object, 'Normal', reason, message);
  }

  /** Shorthand for a Warning event. */
  warning(object: KubeObject, reason: string, message: string): Event | undefined {
    return this.event(object, 'Warning', reason, message);
  }

  /**
   * The trace's object text comes from the record (its id, see R_OBJECT): the Event's
   * involvedObject has the kind, namespace and name the record was found by.
   */
  #traced(event: Event, objectId: number, now: number): Event {
    const trace = this.#trace;
    if (trace === undefined) return event;
    if (this.#sourceId < 0) this.#sourceId = trace.sourceId(this.#sourceText);
    trace.recordEventOf(now, event.type ?? '', event.reason ?? '', event.message ?? '', objectId, event.count ?? 1, this.#sourceText, this.#sourceId);
    return event;
  }

  /**
   * The reference to `object` (and `fieldPath`), shared with the last Event when it was
   * about the same (a kubelet reports several in a row on one Pod), and its record kept
   * as #lastRecord when the last one was about the same object.
   */
  #referenceTo(object: KubeObject, fieldPath: string | undefined): ObjectReference {
    const lastRef = this.#lastRef;
    if (lastRef !== undefined && this.#lastObject === object && this.#lastFieldPath === fieldPath) return lastRef;
    this.#lastObject = object;
    this.#lastFieldPath = fieldPath;
    return (this.#lastRef = this.#referenceAndRecord(object, fieldPath));
  }

  /**
   * The reference to `object`, its record then kept as #lastRecord (found, or made when
   * missing). The reference is the record's own when that is the one referenceOf(object,
   * fieldPath) would build (the same members, values and order: every member of the
   * common shape compared exactly). Why (issue 8): a kubelet reports on a Pod again
   * between its other Pods' Events (a third of the references built at 300 nodes were
   * equal to their record's), and the record's own reference is then neither built again
   * nor, being the one the API server's table of recent references holds, compared member
   * by member there. The object's members are read once and the index probed once: a new
   * object (most Events' at the workload start) was looked for twice, exactly then loosely.
   */
  #referenceAndRecord(object: KubeObject, fieldPath: string | undefined): ObjectReference {
    const { kind, apiVersion, metadata } = object;
    if (metadata !== undefined && kind !== undefined && apiVersion !== undefined) {
      const { namespace, name, uid, resourceVersion } = metadata;
      if (name !== undefined && uid !== undefined && resourceVersion !== undefined) {
        const records = this.#records;
        let record = this.#lastRecord;
        let exact = record !== NIL && this.#lastUid === uid && sameObject(records.ref(record)!, kind, namespace, name, uid, apiVersion);
        this.#lastUid = uid;
        const hash = exact ? 0 : recordHash(uid, name);
        if (!exact) {
          record = this.#index.find(uid, hash, kind, namespace ?? '', name, apiVersion);
          exact = record !== NIL && sameObject(records.ref(record)!, kind, namespace, name, uid, apiVersion);
        }
        if (exact) {
          const own = records.ref(record)!;
          this.#lastRecord = record;
          if (own.resourceVersion === resourceVersion && own.fieldPath === (fieldPath ? fieldPath : undefined)) return own;
        }
        const ref = commonReference(kind, namespace, name, uid, apiVersion, resourceVersion, fieldPath);
        this.#lastRecord = record !== NIL ? record : this.#newRecord(ref, hash);
        return ref;
      }
    }
    const ref = referenceOf(object, fieldPath);
    const last = this.#lastRecord;
    if (last === NIL || !this.#records.matches(last, ref.uid ?? '', ref.kind ?? '', ref.namespace ?? '', ref.name ?? '', ref.apiVersion ?? '')) {
      this.#lastRecord = this.#recordOf(ref);
    }
    return ref;
  }

  /** The record of the last reference, found or made again if every LRU had let it go. */
  #liveRecord(ref: ObjectReference): number {
    if (this.#lastRecord === NIL) this.#lastRecord = this.#recordOf(ref);
    return this.#lastRecord;
  }

  /** The record of the object `ref` names, made when missing. */
  #recordOf(ref: ObjectReference): number {
    const uid = ref.uid ?? '';
    const hash = recordHash(uid, ref.name);
    const found = this.#index.find(uid, hash, ref.kind ?? '', ref.namespace ?? '', ref.name ?? '', ref.apiVersion ?? '');
    return found !== NIL ? found : this.#newRecord(ref, hash);
  }

  /** A record for the object `ref` names (none in the index), its recordHash `hash`. */
  #newRecord(ref: ObjectReference, hash: number): number {
    const records = this.#records;
    const record = records.alloc();
    records.vals[record] = ref;
    records.setNumber(record, R_TOKENS, 0);
    records.setNumber(record, R_LAST, 0);
    records.setNumber(record, R_OBJECT, 0);
    records.set(record, R_HASH, hash);
    records.set(record, PREV, NIL);
    records.set(record, NEXT, NIL);
    records.set(record, R_IN_BUCKETS, 0);
    records.set(record, R_GROUPS, NIL);
    this.#index.add(record);
    return record;
  }

  /** The (type, reason) group of `record`, made when missing. */
  #groupOf(record: number, type: string, reason: string): number {
    const groups = this.#groups;
    // Type codes sit above G_BITS' flag bit (14 bits), reason codes fill G_REASON's 15.
    const code = codeOf(this.#types, type, 0x3fff, 'event types');
    const reasonCode = codeOf(this.#reasons, reason, MAX_SLOTS, 'event reasons');
    let lastGroup = NIL;
    for (let g = this.#records.get(record, R_GROUPS); g !== NIL; g = groups.get(g, G_NEXT_IN_RECORD)) {
      if (groups.get(g, G_REASON) === reasonCode && groups.get(g, G_BITS) >> 1 === code) return g;
      lastGroup = g;
    }
    const group = groups.alloc();
    groups.vals[group] = undefined;
    groups.set(group, G_REASON, reasonCode);
    groups.setNumber(group, G_FIRST, 0);
    groups.set(group, PREV, NIL);
    groups.set(group, NEXT, NIL);
    groups.set(group, G_RECORD, record);
    groups.set(group, G_BITS, code << 1);
    groups.set(group, G_NEXT_IN_RECORD, NIL);
    groups.set(group, G_LOGGED, NIL);
    // Appended: the order of first use, as the array this chain replaced.
    if (lastGroup === NIL) this.#records.set(record, R_GROUPS, group);
    else groups.set(lastGroup, G_NEXT_IN_RECORD, group);
    return group;
  }

  /** The logged Event of `message` in `group` (undefined: the combined one), or NIL. */
  #loggedOf(group: number, message: string | undefined): number {
    const logged = this.#logged;
    for (let l = this.#groups.get(group, G_LOGGED); l !== NIL; l = logged.get(l, L_NEXT_IN_GROUP)) if (logged.value(l, L_MESSAGE) === message) return l;
    return NIL;
  }

  /** Remembers the Event written for `message` (undefined: the combined one) as the most recent. */
  #setLogged(group: number, message: string | undefined, name: string, count: number, firstTime: number): void {
    const logged = this.#logged;
    const existing = this.#loggedOf(group, message);
    if (existing !== NIL) {
      logged.setValue(existing, L_NAME, name);
      logged.setCount(existing, count);
      logged.setNumber(existing, L_FIRST, firstTime);
      logged.touch(existing);
      return;
    }
    const entry = logged.alloc();
    logged.setValue(entry, L_MESSAGE, message);
    logged.setValue(entry, L_NAME, name);
    logged.setNumber(entry, L_FIRST, firstTime);
    logged.setCount(entry, count);
    const groups = this.#groups;
    logged.set(entry, PREV, NIL);
    logged.set(entry, NEXT, NIL);
    logged.set(entry, L_GROUP, group);
    logged.set(entry, L_NEXT_IN_GROUP, groups.get(group, G_LOGGED));
    groups.set(group, G_LOGGED, entry);
    const evicted = logged.add(entry);
    if (evicted !== NIL) this.#evictLogged(evicted);
  }

  /** The spam filter's LRU let `record` go. */
  #evictRecord(record: number): void {
    this.#records.set(record, R_IN_BUCKETS, 0);
    this.#dropIfEmpty(record);
  }

  /** The aggregator's LRU let `group` go: its window ends. */
  #evictGroup(group: number): void {
    const groups = this.#groups;
    groups.set(group, G_BITS, groups.get(group, G_BITS) & ~1);
    groups.setNumber(group, G_FIRST, 0);
    groups.vals[group] = undefined;
    this.#dropGroupIfEmpty(group);
  }

  /** The logger's LRU let `entry` go. */
  #evictLogged(entry: number): void {
    const logged = this.#logged;
    const groups = this.#groups;
    const group = logged.get(entry, L_GROUP);
    const next = logged.get(entry, L_NEXT_IN_GROUP);
    let l = groups.get(group, G_LOGGED);
    if (l === entry) groups.set(group, G_LOGGED, next);
    else {
      while (logged.get(l, L_NEXT_IN_GROUP) !== entry) l = logged.get(l, L_NEXT_IN_GROUP);
      logged.set(l, L_NEXT_IN_GROUP, next);
    }
    logged.setValue(entry, L_MESSAGE, undefined);
    logged.setValue(entry, L_NAME, undefined);
    logged.set(entry, L_GROUP, NIL);
    logged.set(entry, L_NEXT_IN_GROUP, NIL);
    logged.release(entry);
    this.#releases++;
    this.#dropGroupIfEmpty(group);
  }

  /** A group none of whose LRUs holds anything goes; its record too when that leaves it empty. */
  #dropGroupIfEmpty(group: number): void {
    const groups = this.#groups;
    if ((groups.get(group, G_BITS) & 1) !== 0 || groups.get(group, G_LOGGED) !== NIL) return;
    const records = this.#records;
    const record = groups.get(group, G_RECORD);
    const next = groups.get(group, G_NEXT_IN_RECORD);
    let g = records.get(record, R_GROUPS);
    if (g === group) records.set(record, R_GROUPS, next);
    else {
      while (groups.get(g, G_NEXT_IN_RECORD) !== group) g = groups.get(g, G_NEXT_IN_RECORD);
      groups.set(g, G_NEXT_IN_RECORD, next);
    }
    groups.vals[group] = undefined;
    groups.set(group, G_NEXT_IN_RECORD, NIL);
    groups.set(group, G_RECORD, NIL);
    groups.release(group);
    this.#releases++;
    this.#dropIfEmpty(record);
  }

  /** A record no LRU holds anything of leaves the index; found again, it is made again. */
  #dropIfEmpty(record: number): void {
    const records = this.#records;
    if (records.ref(record) === undefined || records.get(record, R_IN_BUCKETS) !== 0 || records.get(record, R_GROUPS) !== NIL) return;
    this.#index.delete(record);
    records.vals[record] = undefined;
    records.release(record);
    this.#releases++;
    if (this.#lastRecord === record) this.#lastRecord = NIL;
  }

  /** The trace's id of the object text of `record` (a trace is set), asked of the trace on the record's first Event. */
  #objectId(record: number): number {
    const records = this.#records;
    const known = records.getNumber(record, R_OBJECT);
    if (known !== 0) return known - 1;
    const id = this.#trace!.objectId(records.traceText(record));
    records.setNumber(record, R_OBJECT, id + 1);
    return id;
  }

  /** Upstream names events `<object>.<unix nanos in hex>`; nanos stay unique per server. */
  #eventName(objectName: string, now: number): string {
    const server = this.#client.server;
    const ms = server.clock.epochMs + now;
    // BigInt(ms) threw for a fractional or unsafe time; it still does.
    if (!Number.isSafeInteger(ms) || ms < 0) BigInt(ms);
    let last = this.#lastNanos;
    if (last === undefined) {
      last = lastNanosByServer.get(server);
      if (last === undefined) lastNanosByServer.set(server, (last = { ms: 0, sub: 0 }));
      this.#lastNanos = last;
    }
    // ms × 10^6 ≤ last (whose sub < 10^6) exactly when ms ≤ last.ms: then last + 1.
    if (ms <= last.ms) {
      if (++last.sub === NANOS_PER_MS) {
        last.ms++;
        last.sub = 0;
      }
    } else {
      last.ms = ms;
      last.sub = 0;
    }
    // Flat: the name is kept for an hour. Concatenated and flattened (issue 8): a join of
    // an array kept for the purpose went through the engine's generic join, ~1.5 times
    // the time in a micro-benchmark.
    writeNanosHex(last.ms, last.sub);
    return flat(objectName + '.' + HEX_PARTS[0]! + HEX_PARTS[1]! + HEX_PARTS[2]! + HEX_PARTS[3]!);
  }

  #takeToken(record: number, now: number): boolean {
    const records = this.#records;
    const { burst, refillMs } = this.#options;
    if (records.get(record, R_IN_BUCKETS) === 0) {
      records.set(record, R_IN_BUCKETS, 1);
      records.setNumber(record, R_TOKENS, burst);
      records.setNumber(record, R_LAST, now);
      const evicted = records.add(record);
      if (evicted !== NIL) this.#evictRecord(evicted);
    }
    const last = records.getNumber(record, R_LAST);
    const refilled = Math.floor((now - last) / refillMs);
    let tokens = records.getNumber(record, R_TOKENS);
    if (refilled > 0) {
      tokens = Math.min(burst, tokens + refilled);
      records.setNumber(record, R_LAST, last + refilled * refillMs);
    }
    if (tokens <= 0) {
      if (refilled > 0) records.setNumber(record, R_TOKENS, tokens);
      return false;
    }
    records.setNumber(record, R_TOKENS, tokens - 1);
    return true;
  }
}
