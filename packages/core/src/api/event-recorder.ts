// The event recorder every component uses to write core/v1 Events, with client-go's
// correlation (k8s.io/client-go tools/record/events_cache.go): the same event again bumps
// count and lastTimestamp on the existing Event; more than 10 distinct messages for one
// object and reason within 10 minutes are combined; a token bucket per source and object
// (burst 25, one token per 5 minutes) drops the rest.
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

interface Bucket {
  tokens: number;
  last: number;
}

/** The distinct messages of one (object, type, reason) in the aggregation window. */
interface Similar {
  first: number;
  /** The first message; a Set only once a second distinct one comes (most never do). */
  message: string | undefined;
  messages: Set<string> | undefined;
}

/** Adds `message` to `similar`; returns the number of distinct messages. */
const addMessage = (similar: Similar, message: string): number => {
  if (similar.messages !== undefined) return similar.messages.add(message).size;
  if (similar.message === undefined || similar.message === message) {
    similar.message = message;
    return 1;
  }
  similar.messages = new Set([similar.message, message]);
  return 2;
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

interface Logged {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

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

/** Last event-name nanos per server, so two recorders never pick the same name. */
const lastNanosByServer = new WeakMap<object, bigint>();

/** client-go keeps its correlation caches in LRUs of 4096 entries (maxLruCacheEntries). */
const CACHE_ENTRIES = 4096;

/**
 * A map of at most {@link CACHE_ENTRIES} keys that drops the least recently set one: a Map
 * in insertion order, set again = deleted and set. The oldest key is found by one iterator
 * kept for the cache's life (a Map iterator skips deleted entries and reaches entries set
 * after it was made), so every key before its position is gone; a fresh `keys().next()`
 * per eviction walked over every hole the deletes left at the front of V8's table
 * (compacted only when it fills): thousands per set in a full cache (2.6% self at 1,000 nodes).
 */
class LruCache<V> {
  readonly #entries = new Map<string, V>();
  /** Made at the first eviction; never runs out, as the map always holds more keys then. */
  #order: IterableIterator<string> | undefined;

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** Sets `key` as the most recently set; drops the least recently set beyond the bound. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.add(key, value);
  }

  /** {@link set} of a key the caller just found missing: one hash lookup fewer. */
  add(key: string, value: V): void {
    const entries = this.#entries;
    entries.set(key, value);
    if (entries.size > CACHE_ENTRIES) {
      const oldest = (this.#order ??= entries.keys()).next() as IteratorYieldResult<string>;
      entries.delete(oldest.value);
    }
  }
}

const objectKey = (ref: ObjectReference): string => [ref.kind, ref.namespace, ref.name, ref.uid, ref.apiVersion].join('\u0000');

/** The reference built for an object version and field, with its correlation key. */
interface LastReference {
  readonly object: KubeObject;
  readonly fieldPath: string | undefined;
  readonly ref: ObjectReference;
  readonly key: string;
}

/** Records Events for one component through its client. */
export class EventRecorder {
  readonly #client: ApiClient;
  readonly #source: EventSource;
  readonly #options: EventCorrelatorOptions;
  readonly #trace: Trace | undefined;
  readonly #buckets = new LruCache<Bucket>();
  readonly #similar = new LruCache<Similar>();
  readonly #logged = new LruCache<Logged>();
  /** The Events' `source`, frozen once: every Event of this recorder shares it. */
  readonly #sourceRef: Readonly<EventSource>;
  /** The trace's `source` text. */
  readonly #sourceText: string;
  /** The last reference built, reused while the same object version and field are reported on. */
  #lastRef: LastReference | undefined;

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
    const now = this.#client.server.clock.now();
    const last = this.#referenceTo(object, fieldPath);
    const involvedObject = last.ref;
    // The caches are this recorder's own, so their keys leave out the source (upstream's
    // caches are shared by every source of a broadcaster): the same keys tell the same
    // events apart. Built with join(), which makes flat strings: the LRUs keep them.
    const objKey = last.key;
    if (!this.#takeToken(objKey, now)) return undefined;

    const similarKey = [objKey, type, reason].join('\u0000');
    let similar = this.#similar.get(similarKey);
    if (!similar) this.#similar.add(similarKey, (similar = { first: now, message: undefined, messages: undefined }));
    else if (now - similar.first > this.#options.similarWindowMs) {
      this.#similar.set(similarKey, (similar = { first: now, message: undefined, messages: undefined }));
    }
    const combined = addMessage(similar, message) >= this.#options.maxSimilarEvents;
    const finalMessage = flat(combined ? `(combined from similar events): ${message}` : message);
    const logKey = combined ? similarKey : [similarKey, message].join('\u0000');

    const stamp = this.#client.server.clock.iso(now);
    const previous = this.#logged.get(logKey);
    if (previous) {
      const patched = this.#client.patch('Event', previous.name, { count: previous.count + 1, lastTimestamp: stamp, message: finalMessage }, {
        type: 'merge',
        namespace: previous.namespace,
      });
      if (E.isRight(patched)) {
        previous.count++;
        return this.#traced(patched.right, now);
      }
      if (patched.left.reason !== 'NotFound') return undefined;
    }
    const namespace = involvedObject.namespace || 'default';
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
    this.#logged.set(logKey, { name: created.right.metadata?.name ?? '', namespace, count, firstTimestamp: created.right.firstTimestamp ?? stamp });
    return this.#traced(created.right, now);
  }

  /** Shorthand for a Normal event. */
  normal(object: KubeObject, reason: string, message: string): Event | undefined {
    return this.event(object, 'Normal', reason, message);
  }

  /** Shorthand for a Warning event. */
  warning(object: KubeObject, reason: string, message: string): Event | undefined {
    return this.event(object, 'Warning', reason, message);
  }

  #traced(event: Event, now: number): Event {
    const trace = this.#trace;
    if (trace === undefined) return event;
    const ref = event.involvedObject;
    const object = ref.namespace ? [ref.kind ?? '', ref.namespace, ref.name ?? ''].join('/') : [ref.kind ?? '', ref.name ?? ''].join('/');
    trace.recordEvent(now, event.type ?? '', event.reason ?? '', event.message ?? '', object, event.count ?? 1, this.#sourceText);
    return event;
  }

  /**
   * The reference to `object` (and `fieldPath`) and its cache key, shared with the last
   * Event when it was about the same (a kubelet reports several in a row on one Pod).
   */
  #referenceTo(object: KubeObject, fieldPath: string | undefined): LastReference {
    const last = this.#lastRef;
    if (last !== undefined && last.object === object && last.fieldPath === fieldPath) return last;
    const ref = referenceOf(object, fieldPath);
    return (this.#lastRef = { object, fieldPath, ref, key: objectKey(ref) });
  }

  /** Upstream names events `<object>.<unix nanos in hex>`; nanos stay unique per server. */
  #eventName(objectName: string, now: number): string {
    const server = this.#client.server;
    const last = lastNanosByServer.get(server) ?? 0n;
    let nanos = BigInt(server.clock.epochMs + now) * 1_000_000n;
    if (nanos <= last) nanos = last + 1n;
    lastNanosByServer.set(server, nanos);
    return [objectName, nanos.toString(16)].join('.');
  }

  #takeToken(key: string, now: number): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) this.#buckets.add(key, (bucket = { tokens: this.#options.burst, last: now }));
    const refilled = Math.floor((now - bucket.last) / this.#options.refillMs);
    if (refilled > 0) {
      bucket.tokens = Math.min(this.#options.burst, bucket.tokens + refilled);
      bucket.last += refilled * this.#options.refillMs;
    }
    if (bucket.tokens <= 0) return false;
    bucket.tokens--;
    return true;
  }
}
