// Durations and time windows of scenario files. The unit set and the compound form
// ("1h30m", "500ms") follow Go's time.ParseDuration (golang/go src/time/format.go, go1.22),
// the syntax Kubernetes flags such as --node-monitor-grace-period accept; negative and
// fractional values are left out because a scenario's times are whole, forward offsets.
import * as E from 'fp-ts/lib/Either.js';

/** Milliseconds per unit, as time.ParseDuration names them (µs and ns are finer than the virtual clock). */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

const DURATION = /^(?:\d+(?:ms|h|m|s))+$/;
const PART = /(\d+)(ms|h|m|s)/g;

/** The hint every duration error ends with. */
export const DURATION_HINT = '(use 30s, 5m, 1h)';

/**
 * Parses a duration such as "40s", "5m", "1h30m" or "500ms" into milliseconds.
 * Left: the error message, e.g. `invalid duration "5 minutes" (use 30s, 5m, 1h)`.
 * @example parseDuration('1h30m') // right(5_400_000)
 */
export const parseDuration = (text: string): E.Either<string, number> => {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return E.left(`invalid duration ${JSON.stringify(text)} ${DURATION_HINT}`);
  let ms = 0;
  // exec on the shared global PART: matchAll clones the RegExp and makes an iterator per
  // call, for each duration of each load (~2% of loading a library scenario).
  PART.lastIndex = 0;
  for (let match = PART.exec(trimmed); match !== null; match = PART.exec(trimmed)) ms += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
  if (!Number.isSafeInteger(ms)) return E.left(`duration ${JSON.stringify(text)} is too long`);
  return E.right(ms);
};

/** A closed interval of virtual time, relative to some origin, in milliseconds. */
export interface TimeWindow {
  /** Earliest offset, inclusive. */
  readonly fromMs: number;
  /** Latest offset, inclusive. */
  readonly toMs: number;
}

/**
 * Parses a window "30s..50s" (from..to), or a single duration "50s" meaning 0..50s.
 * Left when a bound is not a duration or the window is reversed ("50s..30s").
 */
export const parseWindow = (text: string): E.Either<string, TimeWindow> => {
  const bounds = text.split('..');
  if (bounds.length === 1) return E.map((toMs: number) => ({ fromMs: 0, toMs }))(parseDuration(text));
  const [fromText = '', toText = ''] = bounds;
  if (bounds.length !== 2) return E.left(`invalid window ${JSON.stringify(text)} (use "30s..50s" or "50s")`);
  const from = parseDuration(fromText);
  if (E.isLeft(from)) return from;
  const to = parseDuration(toText);
  if (E.isLeft(to)) return to;
  if (from.right > to.right) return E.left(`invalid window ${JSON.stringify(text)}: its start is after its end`);
  return E.right({ fromMs: from.right, toMs: to.right });
};
