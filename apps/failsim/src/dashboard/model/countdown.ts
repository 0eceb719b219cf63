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
