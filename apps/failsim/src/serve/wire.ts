// How stored objects go on the wire. The simulated API server already keeps metav1.Time
// fields as RFC 3339 seconds (`2019-06-13T13:00:00Z`, SimClock.iso); MicroTime fields
// must carry exactly six fractional digits or kubectl's describe fails to parse them
// (k8s.io/apimachinery pkg/apis/meta/v1/micro_time.go RFC3339Micro; reference
// kubectl-api-surface.md §1). This module fixes those up and nothing else.
import type { KubeObject } from '@failsim/core';

/** RFC3339Micro: `2006-01-02T15:04:05.000000Z07:00`, always in UTC here. */
export const formatMicroTime = (value: string): string => {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return value;
  const micros = /\.(\d+)/.exec(value)?.[1] ?? '';
  const fraction = (micros + '000000').slice(0, 6);
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
};

const micro = (value: unknown): unknown => (typeof value === 'string' && value ? formatMicroTime(value) : value);

/**
 * The object as the real apiserver would serialise it: Lease `spec.acquireTime`,
 * `spec.renewTime` and Event `eventTime`, `series.lastObservedTime` as MicroTime. Returns
 * the same object when nothing needs changing (stored objects are frozen and shared).
 */
export const toWire = <T extends KubeObject>(obj: T): T => {
  if (obj.kind === 'Lease') {
    const spec = (obj as { spec?: Record<string, unknown> }).spec;
    if (!spec || (spec['renewTime'] === undefined && spec['acquireTime'] === undefined)) return obj;
    const next = { ...spec };
    for (const key of ['renewTime', 'acquireTime']) if (next[key] !== undefined) next[key] = micro(next[key]);
    return { ...obj, spec: next };
  }
  if (obj.kind === 'Event') {
    const e = obj as { eventTime?: unknown; series?: { lastObservedTime?: unknown } };
    if (!e.eventTime && !e.series?.lastObservedTime) return obj;
    return {
      ...obj,
      ...(e.eventTime ? { eventTime: micro(e.eventTime) } : {}),
      ...(e.series ? { series: { ...e.series, ...(e.series.lastObservedTime ? { lastObservedTime: micro(e.series.lastObservedTime) } : {}) } } : {}),
    };
  }
  return obj;
};

// ---- encoded once, shared -----------------------------------------------------------
// Stored objects are deeply frozen and replaced, never changed, on every write: an
// object's JSON is fixed for its lifetime, so it is encoded once and the same bytes go to
// every list and every watcher of it (kube-apiserver's watch cache does the same with its
// cachingObject, k8s.io/apiserver pkg/storage/cacher/caching_object.go, v1.32). The caches
// are weak: bytes live as long as the server (store or change log) keeps the object.

const encoded = new WeakMap<object, Buffer>();

/**
 * `JSON.stringify(toWire(obj))` as UTF-8 bytes, encoded once per stored object.
 * @example res.end(wireJson(pod)) // the same Buffer for every GET, list and watch of this version of the pod
 */
export const wireJson = (obj: KubeObject): Buffer => {
  let bytes = encoded.get(obj);
  if (!bytes) encoded.set(obj, (bytes = Buffer.from(JSON.stringify(toWire(obj)), 'utf8')));
  return bytes;
};

/** The watch event types whose lines are shared; BOOKMARK and ERROR are built per watch. */
export type SharedEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

const lines: Readonly<Record<SharedEventType, WeakMap<object, Buffer>>> = { ADDED: new WeakMap(), MODIFIED: new WeakMap(), DELETED: new WeakMap() };
const linePrefix: Readonly<Record<SharedEventType, Buffer>> = {
  ADDED: Buffer.from('{"type":"ADDED","object":'),
  MODIFIED: Buffer.from('{"type":"MODIFIED","object":'),
  DELETED: Buffer.from('{"type":"DELETED","object":'),
};
const lineSuffix = Buffer.from('}\n');

/**
 * One watch event line, `{"type":…,"object":…}\n` — the bytes of
 * `JSON.stringify({ type, object: toWire(obj) }) + '\n'` — built once per (type, object)
 * and shared by every watcher the event reaches.
 */
export const watchLine = (type: SharedEventType, obj: KubeObject): Buffer => {
  const cache = lines[type];
  let bytes = cache.get(obj);
  if (!bytes) cache.set(obj, (bytes = Buffer.concat([linePrefix[type], wireJson(obj), lineSuffix])));
  return bytes;
};

const comma = Buffer.from(',');

/**
 * A list body, `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":…},"items":[…]}`,
 * as the pieces to write in order: each item's shared bytes, never copied or encoded again
 * (one 10 MB Buffer.concat per list cost more than writing the pieces to the socket).
 */
export const listParts = (kind: string, apiVersion: string, resourceVersion: string, items: readonly KubeObject[]): Buffer[] => {
  const parts: Buffer[] = [Buffer.from(`{"kind":${JSON.stringify(`${kind}List`)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":${JSON.stringify(resourceVersion)}},"items":[`)];
  items.forEach((item, i) => {
    if (i > 0) parts.push(comma);
    parts.push(wireJson(item));
  });
  parts.push(Buffer.from(']}'));
  return parts;
};

/** {@link listParts} as one Buffer: the bytes of `JSON.stringify` of the list with each item toWire'd. */
export const listJson = (kind: string, apiVersion: string, resourceVersion: string, items: readonly KubeObject[]): Buffer => Buffer.concat(listParts(kind, apiVersion, resourceVersion, items));
