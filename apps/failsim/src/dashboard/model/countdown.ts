// Short durations for the dashboard's narrow columns: ages, countdowns and heartbeat
// ages in whole seconds, as kubectl's duration printer shortens them (4m30s, 2h5m).
import { humanDuration } from '@failsim/controllers';

/**
 * A non-negative virtual duration as kubectl prints ages (`45s`, `4m30s`, `2h5m`);
 * negative input (a time in the future by rounding) reads as `0s`.
 * @example shortAge(270_000) // '4m30s'
 */
export const shortAge = (ms: number): string => humanDuration(Math.max(0, ms));

/**
 * Time left until `dueAt` from `now`, rounded up to the second so a timer that has not
 * fired never reads 0s: `in 5m0s`, `in 40s`, `now`.
 * @example countdown(0, 40_000) // 'in 40s'
 */
export const countdown = (now: number, dueAt: number): string => {
  const left = Math.ceil((dueAt - now) / 1000) * 1000;
  return left <= 0 ? 'now' : `in ${humanDuration(left)}`;
};

/** Wall ms of an RFC 3339 timestamp; NaN for none or one that does not parse. */
export const timeOf = (t: string | undefined): number => (t ? Date.parse(t) : Number.NaN);

/**
 * kubectl's AGE of objects created at wall ms `created`, as seen at wall ms `now`
 * (translateTimestampSince of @failsim/controllers: `<unknown>` without a timestamp).
 * HumanDuration reads whole seconds only, so each whole second is formatted once: a
 * thousand objects created within a minute cost about sixty formats, not a thousand.
 * @example agesAt(Date.parse('2019-06-13T13:00:00Z'))(Date.parse('2019-06-13T12:57:08Z')) // '2m52s'
 */
export const agesAt = (now: number): ((created: number) => string) => {
  const bySecond = new Map<number, string>();
  return (created) => {
    if (!Number.isFinite(created)) return '<unknown>';
    const ms = now - created;
    const second = Math.trunc(ms / 1000);
    let age = bySecond.get(second);
    if (age === undefined) bySecond.set(second, (age = humanDuration(ms)));
    return age;
  };
};
