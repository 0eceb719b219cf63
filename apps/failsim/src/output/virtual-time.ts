// The left margin of a transcript: virtual time since the scenario start, as T+MM:SS
// (T+H:MM:SS from the first hour on), so runs of minutes and of hours both read at a glance.

/**
 * `T+05:40` for 340 s, `T+1:15:00` for 4500 s; fractions of a second are dropped.
 * @example virtualTime(340) // 'T+05:40'
 */
export const virtualTime = (seconds: number): string => {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `T+${h}:${two(m)}:${two(s)}` : `T+${two(m)}:${two(s)}`;
};
