import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { parseDuration, parseWindow } from './duration.js';

describe('parseDuration', () => {
  it('reads Go-style durations into milliseconds', () => {
    expect(parseDuration('40s')).toEqual(E.right(40_000));
    expect(parseDuration('5m')).toEqual(E.right(300_000));
    expect(parseDuration('1h30m')).toEqual(E.right(5_400_000));
    expect(parseDuration('500ms')).toEqual(E.right(500));
    expect(parseDuration('2m3s')).toEqual(E.right(123_000));
  });
  it('refuses words, signs, fractions and bare numbers', () => {
    for (const bad of ['5 minutes', '-5s', '1.5s', '30', '', 's'])
      expect(parseDuration(bad)).toEqual(E.left(`invalid duration ${JSON.stringify(bad)} (use 30s, 5m, 1h)`));
  });
});

describe('parseWindow', () => {
  it('reads from..to and a lone upper bound', () => {
    expect(parseWindow('30s..50s')).toEqual(E.right({ fromMs: 30_000, toMs: 50_000 }));
    expect(parseWindow('50s')).toEqual(E.right({ fromMs: 0, toMs: 50_000 }));
  });
  it('refuses reversed windows and bad bounds', () => {
    expect(parseWindow('50s..30s')).toEqual(E.left('invalid window "50s..30s": its start is after its end'));
    expect(parseWindow('30s..soon')).toEqual(E.left('invalid duration "soon" (use 30s, 5m, 1h)'));
    expect(parseWindow('1s..2s..3s')).toEqual(E.left('invalid window "1s..2s..3s" (use "30s..50s" or "50s")'));
  });
});
