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
// them, so an Event costs no key string and no Map entry of its own.
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

/**
 * The reference to `obj`, frozen, without undefined members (the API server would copy
 * it to drop them; frozen, it is stored as is). Keys in upstream's order: kind,
 * namespace, name, uid, apiVersion, resourceVersion, fieldPath.
 */
const referenceOf = (obj: KubeObject, fieldPath?: string): ObjectReference => {
  const { kind, apiVersion } = obj;
  const { namespace, name, uid, resourceVersion } = obj.metadata ?? {};
  if (kind !== undefined && name !== undefined && uid !== undefined && apiVersion !== undefined && resourceVersion !== undefined) {
    // Literals: a fixed shape with the members in the object, the common case.
    if (namespace !== undefined) {
      return Object.freeze(
        fieldPath ? { kind, namespace, name, uid, apiVersion, resourceVersion, fieldPath } : { kind, namespace, name, uid, apiVersion, resourceVersion },
      );
    }
    return Object.freeze(fieldPath ? { kind, name, uid, apiVersion, resourceVersion, fieldPath } : { kind, name, uid, apiVersion, resourceVersion });
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
const HEX_DIGIT_CODES: readonly number[] = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
/** Character codes of the hex being built by nanosHex (not re-entrant: nothing inside calls out). */
const NANOS_HEX: number[] = new Array<number>(19).fill(0); // 2^53 × 10^6 has 19 hex digits
/** Arrays of exactly n codes, by n (see nanosHex). */
const NANOS_HEX_BY_LENGTH: number[][] = [];

/**
 * `ms` × 1,000,000 + `sub` in hex without leading zeros, as BigInt's toString(16) writes
 * it, for `ms` a safe integer ≥ 0 and `sub` < 1,000,000: the value is split as
 * high × 2^24 + low so each part stays below 2^53.
 */
export const nanosHex = (ms: number, sub: number): string => {
  const msHigh = Math.floor(ms / TWO_POW_24);
  let low = (ms - msHigh * TWO_POW_24) * NANOS_PER_MS + sub; // < 2^44 + 2^20
  const carry = Math.floor(low / TWO_POW_24);
  low -= carry * TWO_POW_24;
  let high = msHigh * NANOS_PER_MS + carry; // < 2^53 for any ms below 2^53 / 10^6 × 2^24
  const codes = NANOS_HEX;
  let at = codes.length;
  for (let i = 0; i < 6 && (high > 0 || low > 0 || i === 0); i++) {
    codes[--at] = HEX_DIGIT_CODES[low & 15]!;
    low >>>= 4;
  }
  while (high > 0) {
    const digit = high % 16;
    codes[--at] = HEX_DIGIT_CODES[digit]!;
    high = (high - digit) / 16;
  }
  // Copied into an array of exactly the digits, kept per length: a slice per name was an array to collect.
  const length = codes.length - at;
  const out = (NANOS_HEX_BY_LENGTH[length] ??= new Array<number>(length).fill(0));
  for (let i = 0; i < length; i++) out[i] = codes[at + i]!;
  return String.fromCharCode.apply(null, out);
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


/**
 * `t` itself, as a small integer when it is one. Virtual times reach the recorder as heap
 * numbers even when whole, and a number field that ever held a heap number is stored boxed
 * in every object of its class: a 16-byte heap number hung off each Group (`first`) and
 * ObjectRecord (`last`), 60,000 at 300 nodes (issue 8). Stored as small integers, the
 * fields stay inline. Same value either way: `t | 0` equals `t` only for a whole `t`
 * within 32 bits (an Event's time is a whole millisecond anyway, #eventName refuses
 * others; past 2^31 ms, ~25 days, times stay heap numbers); -0 becomes 0, which no
 * difference or comparison here can tell apart.
 */
const compactTime = (t: number): number => {
  const i = t | 0;
  return i === t ? i : t;
};

/** client-go keeps its correlation caches in LRUs of 4096 entries (maxLruCacheEntries). */
const CACHE_ENTRIES = 4096;

/** The links an entry of an {@link LruList} carries itself. */
interface LruLinks<T> {
  lruPrev: T | undefined;
  lruNext: T | undefined;
}

/**
 * One of client-go's correlation LRUs, as a list threaded through its entries: at most
 * {@link CACHE_ENTRIES}, the least recently set one dropped first (and handed to
 * `evicted`). Reading an entry leaves its place, as it did when these were Maps keyed by
 * strings (set again = deleted and set; get = no move). The entries are found through
 * the recorder's per-object records, so a list needs no key: no correlation string is
 * built, hashed or kept per Event.
 */
class LruList<T extends LruLinks<T>> {
  #head: T | undefined = undefined;
  #tail: T | undefined = undefined;
  #size = 0;

  constructor(private readonly evicted: (entry: T) => void) {}

  /** Appends `entry` (not in the list) as the most recently set; evicts the oldest beyond the bound. */
  add(entry: T): void {
    this.#append(entry);
    if (++this.#size > CACHE_ENTRIES) {
      const oldest = this.#head!;
      this.#unlink(oldest);
      this.#size--;
      this.evicted(oldest);
    }
  }

  /** Moves `entry` (in the list) to the most recently set place. */
  touch(entry: T): void {
    if (this.#tail === entry) return;
    this.#unlink(entry);
    this.#append(entry);
  }

  #append(entry: T): void {
    entry.lruPrev = this.#tail;
    entry.lruNext = undefined;
    if (this.#tail === undefined) this.#head = entry;
    else this.#tail.lruNext = entry;
    this.#tail = entry;
  }

  #unlink(entry: T): void {
    const { lruPrev, lruNext } = entry;
    if (lruPrev === undefined) this.#head = lruNext;
    else lruPrev.lruNext = lruNext;
    if (lruNext === undefined) this.#tail = lruPrev;
    else lruNext.lruPrev = lruPrev;
    entry.lruPrev = entry.lruNext = undefined;
  }
}

/** Flag of a record or group: its LRU (the spam filter's, the aggregator's) holds it. */
const IN_LRU = 1;
/** Flag of a record or group: dropped (see ObjectRecord#dropped, Group#dropped). */
const DROPPED = 2;

/**
 * Everything the recorder correlates about one involved object: client-go's three keys
 * all start with kind, namespace, name, uid and apiVersion (client-go v11 / Kubernetes
 * 1.14 tools/record/events_cache.go: getSpamKey, EventAggregatorByReasonFunc,
 * getEventKey), so they are nested under it. Members missing from the reference are ''
 * (strings.Join of Go's zero values). Two differences from upstream are older than this
 * nesting and kept so runs stay as they were: getEventKey also holds the fieldPath, and
 * groupcache's LRU moves an entry on Get as well as on Add.
 */
class ObjectRecord implements LruLinks<ObjectRecord> {
  /** The spam filter's token bucket, while `inBuckets` (in the spam filter's LRU). */
  tokens = 0;
  last = 0;
  /** IN_LRU (inBuckets) and DROPPED: one field for the two flags, 8 bytes less per record (issue 8). */
  #flags = 0;
  lruPrev: ObjectRecord | undefined = undefined;
  lruNext: ObjectRecord | undefined = undefined;
  /**
   * The first of the (type, reason) groups with an entry in the aggregator's or the
   * logger's LRU, chained through Group#nextInRecord: a handful per object, and an empty
   * array grown by its first push costs ~180 bytes.
   */
  groups: Group | undefined = undefined;
  /** Another object with the same uid (only objects without one share it, as ''). */
  sameUid: ObjectRecord | undefined = undefined;
  /** `Kind/namespace/name` as the trace shows the object, built once and shared by its Events' entries. */
  #traceText: string | undefined = undefined;

  constructor(
    readonly kind: string,
    readonly namespace: string,
    readonly name: string,
    readonly uid: string,
    readonly apiVersion: string,
  ) {}

  /** Whether the spam filter's LRU holds the token bucket. */
  get inBuckets(): boolean {
    return (this.#flags & IN_LRU) !== 0;
  }

  set inBuckets(value: boolean) {
    this.#flags = value ? this.#flags | IN_LRU : this.#flags & ~IN_LRU;
  }

  /** Set once no LRU holds anything of it and it left the index: found again, it is rebuilt. */
  get dropped(): boolean {
    return (this.#flags & DROPPED) !== 0;
  }

  set dropped(value: boolean) {
    this.#flags = value ? this.#flags | DROPPED : this.#flags & ~DROPPED;
  }

  get traceText(): string {
    return (this.#traceText ??= this.namespace ? [this.kind, this.namespace, this.name].join('/') : [this.kind, this.name].join('/'));
  }

  matches(ref: ObjectReference): boolean {
    return (
      this.kind === (ref.kind ?? '') &&
      this.namespace === (ref.namespace ?? '') &&
      this.name === (ref.name ?? '') &&
      this.apiVersion === (ref.apiVersion ?? '')
    );
  }
}

/**
 * One (object, type, reason): the aggregator's entry (the distinct messages within the
 * window, while `inSimilar`) and the logger's entries of its Events, by message.
 */
class Group implements LruLinks<Group> {
  /** Start of the aggregation window. */
  first = 0;
  /** The distinct messages of the window: the first alone, a Set only once a second one comes (most never do). */
  seen: string | Set<string> | undefined = undefined;
  /** IN_LRU (inSimilar) and DROPPED: one field for the two flags, 8 bytes less per group (issue 8). */
  #flags = 0;
  lruPrev: Group | undefined = undefined;
  lruNext: Group | undefined = undefined;
  /**
   * Logged Events by message (undefined: the combined Event, keyed by the aggregate key
   * alone upstream): one without a Map (the usual case), a Map from the second on.
   */
  logged: Logged | Map<string | undefined, Logged> | undefined = undefined;
  /** The next group of the same record. */
  nextInRecord: Group | undefined = undefined;

  constructor(
    readonly record: ObjectRecord,
    readonly type: string,
    readonly reason: string,
  ) {}

  /** Whether the aggregator's LRU holds the group (its window is running). */
  get inSimilar(): boolean {
    return (this.#flags & IN_LRU) !== 0;
  }

  set inSimilar(value: boolean) {
    this.#flags = value ? this.#flags | IN_LRU : this.#flags & ~IN_LRU;
  }

  /** Set once no LRU holds anything of it and it left its record: found again, it is rebuilt. */
  get dropped(): boolean {
    return (this.#flags & DROPPED) !== 0;
  }

  set dropped(value: boolean) {
    this.#flags = value ? this.#flags | DROPPED : this.#flags & ~DROPPED;
  }

  /** Starts a new aggregation window at `now`. */
  reset(now: number): void {
    this.first = now;
    this.seen = undefined;
  }

  /** Adds `message` to the window; returns the number of distinct messages. */
  addMessage(message: string): number {
    const seen = this.seen;
    if (seen === undefined || seen === message) {
      this.seen = message;
      return 1;
    }
    if (typeof seen !== 'string') return seen.add(message).size;
    this.seen = new Set([seen, message]);
    return 2;
  }

  /** The logged Event of `message` (undefined: the combined one). */
  loggedOf(message: string | undefined): Logged | undefined {
    const logged = this.logged;
    if (logged === undefined) return undefined;
    if (logged instanceof Map) return logged.get(message);
    return logged.message === message ? logged : undefined;
  }

  putLogged(entry: Logged): void {
    const logged = this.logged;
    if (logged === undefined) this.logged = entry;
    else if (logged instanceof Map) logged.set(entry.message, entry);
    else this.logged = new Map([[logged.message, logged], [entry.message, entry]]);
  }

  removeLogged(entry: Logged): void {
    const logged = this.logged;
    const message = entry.message;
    if (logged === entry) this.logged = undefined;
    else if (logged instanceof Map && logged.get(message) === entry) {
      logged.delete(message);
      if (logged.size === 0) this.logged = undefined;
    }
  }

  get empty(): boolean {
    return !this.inSimilar && this.logged === undefined;
  }
}

/**
 * An Event the logger knows (client-go's eventLog): its name, count and first timestamp,
 * to bump it on the next identical event. `message` is the Event's own (flat) text, or
 * undefined for the combined Event.
 */
class Logged implements LruLinks<Logged> {
  lruPrev: Logged | undefined = undefined;
  lruNext: Logged | undefined = undefined;

  constructor(
    readonly group: Group,
    readonly message: string | undefined,
    public name: string,
    public count: number,
    public firstTimestamp: string,
  ) {}
}

/** The reference built for an object version and field, with its correlation record. */
interface LastReference {
  readonly object: KubeObject;
  readonly fieldPath: string | undefined;
  readonly ref: ObjectReference;
  record: ObjectRecord;
}

/** Records Events for one component through its client. */
export class EventRecorder {
  readonly #client: ApiClient;
  readonly #source: EventSource;
  readonly #options: EventCorrelatorOptions;
  readonly #trace: Trace | undefined;
  /**
   * The correlation records by uid. The caches are this recorder's own, so their keys
   * leave out the source (upstream's are shared by every source of a broadcaster): the
   * same keys tell the same events apart.
   */
  readonly #records = new Map<string, ObjectRecord>();
  /** The spam filter's LRU (upstream's spam key: the object). */
  readonly #buckets = new LruList<ObjectRecord>((record) => {
    record.inBuckets = false;
    this.#dropIfEmpty(record);
  });
  /** The aggregator's LRU (upstream's aggregate key: the object, type and reason). */
  readonly #similar = new LruList<Group>((group) => {
    group.inSimilar = false;
    group.reset(0);
    this.#dropGroupIfEmpty(group);
  });
  /** The logger's LRU (upstream's event key: the object, type, reason and message). */
  readonly #logged = new LruList<Logged>((entry) => {
    entry.group.removeLogged(entry);
    this.#dropGroupIfEmpty(entry.group);
  });
  /** The Events' `source`, frozen once: every Event of this recorder shares it. */
  readonly #sourceRef: Readonly<EventSource>;
  /** The trace's `source` text. */
  readonly #sourceText: string;
  /** The last reference built, reused while the same object version and field are reported on. */
  #lastRef: LastReference | undefined;
  /** The server's shared message texts (textsByServer), found on first use. */
  #texts: Map<string, string> | undefined;

  constructor(client: ApiClient, source: EventSource, options: { trace?: Trace; correlator?: Partial<EventCorrelatorOptions> } = {}) {
    this.#client = client;
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
    const now = compactTime(this.#client.server.clock.now());
    const last = this.#referenceTo(object, fieldPath);
    const involvedObject = last.ref;
    const record = this.#liveRecord(last);
    if (!this.#takeToken(record, now)) return undefined;

    let group = this.#groupOf(record, type, reason);
    if (!group.inSimilar) {
      group.inSimilar = true;
      group.reset(now);
      this.#similar.add(group);
    } else if (now - group.first > this.#options.similarWindowMs) {
      group.reset(now);
      this.#similar.touch(group);
    }
    // The Event keeps the flat, shared text; the caches share it rather than the caller's string.
    const text = this.#shared(flat(message));
    const combined = group.addMessage(text) >= this.#options.maxSimilarEvents;
    const finalMessage = combined ? flat(`(combined from similar events): ${message}`) : text;
    const logKey = combined ? undefined : text;

    const stamp = this.#client.server.clock.iso(now);
    const previous = group.loggedOf(logKey);
    const namespace = involvedObject.namespace || 'default';
    if (previous) {
      const patched = this.#client.patch('Event', previous.name, { count: previous.count + 1, lastTimestamp: stamp, message: finalMessage }, {
        type: 'merge',
        namespace,
      });
      if (E.isRight(patched)) {
        previous.count++;
        return this.#traced(patched.right, record, now);
      }
      if (patched.left.reason !== 'NotFound') return undefined;
    }
    const count = (previous?.count ?? 0) + 1;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.#eventName(involvedObject.name ?? '', now), namespace },
      involvedObject,
      reason,
      message: finalMessage,
      source: this.#sourceRef,
      firstTimestamp: previous?.firstTimestamp ?? stamp,
      lastTimestamp: stamp,
      count,
      type,
      reportingComponent: this.#source.component,
      reportingInstance: this.#source.host ?? '',
    };
    const created = this.#client.create('Event', event);
    if (E.isLeft(created)) return undefined;
    // Writes deliver to watchers synchronously: should one have reported through this
    // recorder and evicted the group meanwhile, it is found (or made) again.
    if (group.dropped) group = this.#groupOf(this.#liveRecord(last), type, reason);
    this.#setLogged(group, logKey, created.right.metadata?.name ?? '', count, created.right.firstTimestamp ?? stamp);
    return this.#traced(created.right, record, now);
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
   * The trace's object text comes from the record: the Event's involvedObject has the
   * kind, namespace and name the record was found by, and one shared string per object
   * is kept by every trace row about it.
   */
  #traced(event: Event, record: ObjectRecord, now: number): Event {
    const trace = this.#trace;
    if (trace === undefined) return event;
    trace.recordEvent(now, event.type ?? '', event.reason ?? '', event.message ?? '', record.traceText, event.count ?? 1, this.#sourceText);
    return event;
  }

  /**
   * The reference to `object` (and `fieldPath`) and its record, shared with the last
   * Event when it was about the same (a kubelet reports several in a row on one Pod).
   */
  #referenceTo(object: KubeObject, fieldPath: string | undefined): LastReference {
    const last = this.#lastRef;
    if (last !== undefined && last.object === object && last.fieldPath === fieldPath) return last;
    const ref = referenceOf(object, fieldPath);
    const record = last !== undefined && !last.record.dropped && last.record.uid === (ref.uid ?? '') && last.record.matches(ref) ? last.record : this.#recordOf(ref);
    return (this.#lastRef = { object, fieldPath, ref, record });
  }

  /** The record of `last`, found or made again if every LRU had let it go. */
  #liveRecord(last: LastReference): ObjectRecord {
    if (last.record.dropped) last.record = this.#recordOf(last.ref);
    return last.record;
  }

  /** The record of the object `ref` names, made when missing. */
  #recordOf(ref: ObjectReference): ObjectRecord {
    const uid = ref.uid ?? '';
    const first = this.#records.get(uid);
    for (let r = first; r !== undefined; r = r.sameUid) if (r.matches(ref)) return r;
    const record = new ObjectRecord(ref.kind ?? '', ref.namespace ?? '', ref.name ?? '', uid, ref.apiVersion ?? '');
    if (first === undefined) this.#records.set(uid, record);
    else {
      record.sameUid = first.sameUid;
      first.sameUid = record;
    }
    return record;
  }

  /** The (type, reason) group of `record`, made when missing. */
  #groupOf(record: ObjectRecord, type: string, reason: string): Group {
    let lastGroup: Group | undefined;
    for (let group = record.groups; group !== undefined; group = group.nextInRecord) {
      if (group.reason === reason && group.type === type) return group;
      lastGroup = group;
    }
    // Appended: the order of first use, as the array this chain replaced.
    const group = new Group(record, type, reason);
    if (lastGroup === undefined) record.groups = group;
    else lastGroup.nextInRecord = group;
    return group;
  }

  /** Remembers the Event written for `message` (undefined: the combined one) as the most recent. */
  #setLogged(group: Group, message: string | undefined, name: string, count: number, firstTimestamp: string): void {
    const existing = group.loggedOf(message);
    if (existing !== undefined) {
      existing.name = name;
      existing.count = count;
      existing.firstTimestamp = firstTimestamp;
      this.#logged.touch(existing);
      return;
    }
    const entry = new Logged(group, message, name, count, firstTimestamp);
    group.putLogged(entry);
    this.#logged.add(entry);
  }

  /** A group none of whose LRUs holds anything goes; its record too when that leaves it empty. */
  #dropGroupIfEmpty(group: Group): void {
    if (!group.empty) return;
    const record = group.record;
    if (record.groups === group) record.groups = group.nextInRecord;
    else {
      for (let g = record.groups; g !== undefined; g = g.nextInRecord) {
        if (g.nextInRecord === group) {
          g.nextInRecord = group.nextInRecord;
          break;
        }
      }
    }
    group.nextInRecord = undefined;
    group.dropped = true;
    this.#dropIfEmpty(group.record);
  }

  #dropIfEmpty(record: ObjectRecord): void {
    if (record.inBuckets || record.groups !== undefined || record.dropped) return;
    record.dropped = true;
    const first = this.#records.get(record.uid);
    if (first === record) {
      if (record.sameUid === undefined) this.#records.delete(record.uid);
      else this.#records.set(record.uid, record.sameUid);
    } else {
      for (let r = first; r !== undefined; r = r.sameUid) {
        if (r.sameUid === record) {
          r.sameUid = record.sameUid;
          break;
        }
      }
    }
  }

  /** Upstream names events `<object>.<unix nanos in hex>`; nanos stay unique per server. */
  #eventName(objectName: string, now: number): string {
    const server = this.#client.server;
    const ms = server.clock.epochMs + now;
    // BigInt(ms) threw for a fractional or unsafe time; it still does.
    if (!Number.isSafeInteger(ms) || ms < 0) BigInt(ms);
    let last = lastNanosByServer.get(server);
    if (last === undefined) lastNanosByServer.set(server, (last = { ms: 0, sub: 0 }));
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
    return [objectName, nanosHex(last.ms, last.sub)].join('.');
  }

  #takeToken(record: ObjectRecord, now: number): boolean {
    if (!record.inBuckets) {
      record.inBuckets = true;
      record.tokens = this.#options.burst;
      record.last = now;
      this.#buckets.add(record);
    }
    const refilled = Math.floor((now - record.last) / this.#options.refillMs);
    if (refilled > 0) {
      record.tokens = Math.min(this.#options.burst, record.tokens + refilled);
      record.last += refilled * this.#options.refillMs;
    }
    if (record.tokens <= 0) return false;
    record.tokens--;
    return true;
  }
}
