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
