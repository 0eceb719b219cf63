import { describe, expect, it } from '@jest/globals';
import { countdown, shortAge } from './countdown.js';

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
});
