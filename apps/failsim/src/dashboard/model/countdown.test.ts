import { describe, expect, it } from '@jest/globals';
import { humanDuration, translateTimestampSince } from '@failsim/controllers';
import { agesAt, countdown, shortAge, timeOf } from './countdown.js';

describe('countdown and shortAge', () => {
  it('round a countdown up to the second and read kubectl-style', () => {
    expect(countdown(0, 40_000)).toBe('in 40s');
    expect(countdown(0, 39_001)).toBe('in 40s');
    expect(countdown(0, 360_000)).toBe('in 6m');
    expect(countdown(10, 10)).toBe('now');
  });

  it('print ages as kubectl does, never negative', () => {
    expect(shortAge(270_000)).toBe('4m30s');
    expect(shortAge(-500)).toBe('0s');
  });

  it('agesAt reads as translateTimestampSince for every offset, formatting each whole second once', () => {
    const now = Date.parse('2019-06-13T13:02:52.500Z');
    const ageOf = agesAt(now);
    // Every 250 ms over the first 12 minutes and a few later ones, future ones included.
    const offsets = [...Array.from({ length: 12 * 240 }, (_, i) => i * 250), -500, -1_999, -2_000, -5_000, 3 * 3_600_000 + 17, 49 * 3_600_000];
    for (const ms of offsets) {
      const created = new Date(now - ms).toISOString();
      expect(ageOf(timeOf(created))).toBe(translateTimestampSince(created, new Date(now)));
    }
    expect(ageOf(timeOf(undefined))).toBe('<unknown>');
    expect(ageOf(timeOf('not a time'))).toBe(translateTimestampSince('not a time', new Date(now)));
    expect(ageOf(now - 172_000)).toBe(humanDuration(172_000));
  });
});
