import { describe, expect, it } from '@jest/globals';
import { virtualTime } from './virtual-time.js';

describe('virtualTime', () => {
  it('prints minutes and seconds in the first hour, hours after', () => {
    expect(virtualTime(0)).toBe('T+00:00');
    expect(virtualTime(340)).toBe('T+05:40');
    expect(virtualTime(340.9)).toBe('T+05:40');
    expect(virtualTime(3599)).toBe('T+59:59');
    expect(virtualTime(4500)).toBe('T+1:15:00');
    expect(virtualTime(-1)).toBe('T+00:00');
  });
});
