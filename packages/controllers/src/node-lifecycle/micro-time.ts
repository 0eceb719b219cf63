// RFC 3339 timestamps as the node lifecycle controller reads them: a Lease's spec.renewTime
// (metav1.MicroTime, "2006-01-02T15:04:05.000000Z07:00" in k/k
// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/micro_time.go, v1.14) is parsed on every
// renewal of every node (every 10 s each). Date.parse was the single largest line of the
// node monitor's settled-minute profile; this reads the fixed UTC layout digit by digit and
// keeps the day's midnight, and hands anything else to Date.parse.

/** The last calendar day parsed ("YYYY-MM-DD") and its midnight in epoch ms. */
let lastDay = '';
let lastDayMs = 0;

/** The digit at `i` of `s`, or -1 when it is not an ASCII digit. */
const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
};

/** Two digits at `i`, or -1. */
const two = (s: string, i: number): number => {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};

/**
 * Epoch milliseconds of an RFC 3339 timestamp, equal to `Date.parse(iso)` for every input:
 * `YYYY-MM-DDTHH:MM:SS[.fraction]Z` is read here (the fraction truncated to milliseconds,
 * as V8's Date.parse does); any other form (offsets, leap seconds, malformed) goes to
 * Date.parse.
 */
export const parseRfc3339 = (iso: string): number => {
  const n = iso.length;
  if (n < 20 || iso.charCodeAt(n - 1) !== 90 /* Z */ || iso.charCodeAt(10) !== 84 /* T */ || iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58) {
    return Date.parse(iso);
  }
  const hh = two(iso, 11);
  const mm = two(iso, 14);
  const ss = two(iso, 17);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return Date.parse(iso);
  let ms = 0;
  if (n > 20) {
    // ".f…fZ": at least one digit, every one a digit; the first three count.
    if (iso.charCodeAt(19) !== 46 /* . */ || n === 21) return Date.parse(iso);
    for (let i = 20; i < n - 1; i++) {
      const d = digit(iso, i);
      if (d < 0) return Date.parse(iso);
      if (i < 23) ms = ms * 10 + d;
    }
    // Fewer than three digits: ".5" is 500 ms.
    for (let i = n - 1; i < 23; i++) ms *= 10;
  }
  if (!iso.startsWith(lastDay) || lastDay === '') {
    const dayMs = Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
    if (Number.isNaN(dayMs)) return Date.parse(iso);
    lastDay = iso.slice(0, 10);
    lastDayMs = dayMs;
  }
  return lastDayMs + ((hh * 60 + mm) * 60 + ss) * 1000 + ms;
};
