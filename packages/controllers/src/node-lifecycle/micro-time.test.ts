import { describe, expect, it } from '@jest/globals';
import { parseRfc3339 } from './micro-time.js';

describe('parseRfc3339', () => {
  it('agrees with Date.parse on MicroTime and Time texts across days, including fractions of every length', () => {
    const start = Date.parse('2024-02-28T23:59:50Z');
    for (let step = 0; step < 1500; step++) {
      const ms = start + step * 3_331 + (step % 7);
      const base = new Date(ms).toISOString(); // …SS.mmmZ
      const micro = `${base.slice(0, 23)}${String(step % 1000).padStart(3, '0')}Z`;
      const seconds = `${base.slice(0, 19)}Z`;
      const short = `${base.slice(0, 21)}Z`;
      for (const text of [base, micro, seconds, short]) expect(parseRfc3339(text)).toBe(Date.parse(text));
    }
  });

  it('hands other forms to Date.parse', () => {
    for (const text of ['2024-01-01T00:00:00+02:00', '2024-01-01T24:00:00Z', '2024-01-01T00:00:60Z', '2024-01-01T00:00:00.Z', '2024-01-01T00:00:0aZ', '2024-02-30T01:00:00.5Z', 'not a time', '', '2024-01-01T00:00:00.1234567890123Z', '2024-13-01T00:00:00Z']) {
      expect(parseRfc3339(text)).toEqual(Date.parse(text));
    }
  });
});
