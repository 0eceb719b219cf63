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

interface Similar {
  messages: Set<string>;
  first: number;
}

interface Logged {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

const referenceOf = (obj: KubeObject, fieldPath?: string): ObjectReference => ({
  kind: obj.kind,
  namespace: obj.metadata?.namespace,
  name: obj.metadata?.name,
  uid: obj.metadata?.uid,
  apiVersion: obj.apiVersion,
  resourceVersion: obj.metadata?.resourceVersion,
  ...(fieldPath ? { fieldPath } : {}),
});

/** Last event-name nanos per server, so two recorders never pick the same name. */
const lastNanosByServer = new WeakMap<object, bigint>();

/** client-go keeps its correlation caches in LRUs of 4096 entries (maxLruCacheEntries). */
const CACHE_ENTRIES = 4096;

/** Sets `key` in `map`, dropping the least recently set entry beyond {@link CACHE_ENTRIES}. */
const remember = <V>(map: Map<string, V>, key: string, value: V): void => {
  map.delete(key);
  map.set(key, value);
  if (map.size > CACHE_ENTRIES) map.delete(map.keys().next().value!);
};

const objectKey = (ref: ObjectReference): string => [ref.kind, ref.namespace, ref.name, ref.uid, ref.apiVersion].join('\u0000');

/** Records Events for one component through its client. */
export class EventRecorder {
  readonly #client: ApiClient;
  readonly #source: EventSource;
  readonly #options: EventCorrelatorOptions;
  readonly #trace: Trace | undefined;
  readonly #buckets = new Map<string, Bucket>();
  readonly #similar = new Map<string, Similar>();
  readonly #logged = new Map<string, Logged>();

  constructor(client: ApiClient, source: EventSource, options: { trace?: Trace; correlator?: Partial<EventCorrelatorOptions> } = {}) {
    this.#client = client;
    this.#source = source;
    this.#trace = options.trace;
    this.#options = { ...defaultCorrelatorOptions, ...options.correlator };
  }

  /**
   * Records an Event about `object`. Returns the Event as written, or undefined when the
   * spam filter dropped it or the API server could not be reached (the event is lost, as
   * it is upstream once the broadcaster's retries run out).
   */
  event(object: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): Event | undefined {
    const now = this.#client.server.clock.now();
    const involvedObject = referenceOf(object, fieldPath);
    const objKey = objectKey(involvedObject);
    if (!this.#takeToken(`${this.#source.component}\u0000${this.#source.host ?? ''}\u0000${objKey}`, now)) return undefined;

    const similarKey = [this.#source.component, this.#source.host, objKey, type, reason].join('\u0000');
    let similar = this.#similar.get(similarKey);
    if (!similar || now - similar.first > this.#options.similarWindowMs) {
      remember(this.#similar, similarKey, (similar = { messages: new Set(), first: now }));
    }
    similar.messages.add(message);
    const combined = similar.messages.size >= this.#options.maxSimilarEvents;
    const finalMessage = combined ? `(combined from similar events): ${message}` : message;
    const logKey = combined ? similarKey : `${similarKey}\u0000${message}`;

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
      source: { component: this.#source.component, ...(this.#source.host ? { host: this.#source.host } : {}) },
      firstTimestamp: previous?.firstTimestamp ?? stamp,
      lastTimestamp: stamp,
      count,
      type,
      reportingComponent: this.#source.component,
      reportingInstance: this.#source.host ?? '',
    };
    const created = this.#client.create('Event', event);
    if (E.isLeft(created)) return undefined;
    remember(this.#logged, logKey, { name: created.right.metadata?.name ?? '', namespace, count, firstTimestamp: created.right.firstTimestamp ?? stamp });
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
    const ref = event.involvedObject;
    this.#trace?.record({
      t: now,
      type: 'event',
      eventType: event.type ?? '',
      reason: event.reason ?? '',
      message: event.message ?? '',
      object: `${ref.kind ?? ''}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name ?? ''}`,
      count: event.count ?? 1,
      source: this.#source.host ? `${this.#source.component}, ${this.#source.host}` : this.#source.component,
    });
    return event;
  }

  /** Upstream names events `<object>.<unix nanos in hex>`; nanos stay unique per server. */
  #eventName(objectName: string, now: number): string {
    const server = this.#client.server;
    const last = lastNanosByServer.get(server) ?? 0n;
    let nanos = BigInt(server.clock.epochMs + now) * 1_000_000n;
    if (nanos <= last) nanos = last + 1n;
    lastNanosByServer.set(server, nanos);
    return `${objectName}.${nanos.toString(16)}`;
  }

  #takeToken(key: string, now: number): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) remember(this.#buckets, key, (bucket = { tokens: this.#options.burst, last: now }));
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
