// kubectl's human-readable ages: duration.HumanDuration and duration.ShortHumanDuration
// (k8s.io/apimachinery pkg/util/duration/duration.go, as of kubernetes v1.14 and unchanged
// since), and describe's translateTimestampSince, which turns an object's timestamp and
// "now" into the AGE / Age cells of `kubectl get` and `kubectl describe`.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's int(d.Seconds()) and friends: truncation toward zero, not floor. */
const whole = (ms: number, unit: number): number => Math.trunc(ms / unit);

/**
 * kubectl's `HumanDuration`: ~2–3 significant figures, as in the AGE column.
 *
 * Negative durations down to -2 s (exclusive) read `0s` (clock skew between machines);
 * anything older reads `<invalid>`, which is what `describe` shows for a deletion
 * timestamp still in the future ("Terminating (lasts <invalid>)").
 *
 * @example humanDuration(49 * 3600_000) // "2d1h"; humanDuration(432_000) // "7m12s"
 */
export const humanDuration = (ms: number): string => {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${whole(hours, 24)}d` : `${whole(hours, 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${whole(hours, 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = whole(hours, 24) % 365;
    return dy === 0 ? `${whole(hours, 24 * 365)}y` : `${whole(hours, 24 * 365)}y${dy}d`;
  }
  return `${whole(hours, 24 * 365)}y`;
};

/**
 * kubectl's `ShortHumanDuration`: one unit only (`59s`, `1m`, `23h`, `364d`, `2y`), as
 * used by older printers and some event columns.
 */
export const shortHumanDuration = (ms: number): string => {
  const seconds = whole(ms, SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = whole(ms, MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = whole(ms, HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${whole(hours, 24)}d`;
  return `${whole(hours, 24 * 365)}y`;
};

/**
 * kubectl's `translateTimestampSince`: the HumanDuration from an RFC 3339 timestamp to
 * `now`, or `<unknown>` when the timestamp is missing (a zero metav1.Time).
 */
export const translateTimestampSince = (timestamp: string | undefined, now: Date): string => {
  if (!timestamp) return '<unknown>';
  const at = Date.parse(timestamp);
  if (!Number.isFinite(at)) return '<unknown>';
  return humanDuration(now.getTime() - at);
};
