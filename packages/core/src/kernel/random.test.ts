import { describe, it, expect } from '@jest/globals';
import { SeededRandom } from './random.js';

const draws = (random: SeededRandom, n: number): number[] => Array.from({ length: n }, () => random.next());

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draws(new SeededRandom('failsim'), 100)).toEqual(draws(new SeededRandom('failsim'), 100));
    expect(draws(new SeededRandom(7), 100)).toEqual(draws(new SeededRandom(7), 100));
  });

  it('keeps its sequence across releases (a changed generator changes every scenario log)', () => {
    const random = new SeededRandom('failsim');
    expect(draws(random, 3)).toEqual([0.980284106452018, 0.9851268378552049, 0.27352600498124957]);
    expect(random.int(0, 1_000)).toBe(979);
    expect(random.uuid()).toBe('df8649dc-ebc3-4865-b495-9764c3296495');
  });

  it('gives different sequences for different seeds', () => {
    const sequences = ['a', 'b', 'failsim', 'failsim ', 0, 1, 2, 1.5, -1].map((seed) =>
      draws(new SeededRandom(seed), 5).join(),
    );
    expect(new Set(sequences).size).toBe(sequences.length);
  });

  it('hashes a number seed as its decimal string', () => {
    expect(draws(new SeededRandom(42), 5)).toEqual(draws(new SeededRandom('42'), 5));
    expect(draws(new SeededRandom(-0), 5)).toEqual(draws(new SeededRandom(0), 5));
    expect(() => new SeededRandom(NaN)).toThrow(RangeError);
    expect(() => new SeededRandom(Infinity)).toThrow(RangeError);
  });

  it('draws floats in [0, 1) spread evenly over 10 buckets', () => {
    const random = new SeededRandom('uniformity');
    const buckets = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = random.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
      const b = Math.floor(x * 10);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    // Expected 1,000 per bucket with a standard deviation of 30: ±150 is five sigma.
    for (const count of buckets) expect(Math.abs(count - 1_000)).toBeLessThan(150);
    // Chi-square with 9 degrees of freedom: 27.9 is the 0.1% critical value.
    const chiSquare = buckets.reduce((acc, count) => acc + (count - 1_000) ** 2 / 1_000, 0);
    expect(chiSquare).toBeLessThan(27.9);
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.01);
  });

  it('keeps int within bounds and reaches both ends', () => {
    const random = new SeededRandom('ints');
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const x = random.int(-3, 4);
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(-3);
      expect(x).toBeLessThan(4);
      seen.add(x);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(random.int(5, 6)).toBe(5);
    const big = random.int(0, 2 ** 40);
    expect(big).toBeGreaterThanOrEqual(0);
    expect(big).toBeLessThan(2 ** 40);
    expect(Number.isInteger(big)).toBe(true);
  });

  it('rejects empty or invalid int ranges', () => {
    const random = new SeededRandom(1);
    expect(() => random.int(3, 3)).toThrow(RangeError);
    expect(() => random.int(4, 3)).toThrow(RangeError);
    expect(() => random.int(0.5, 3)).toThrow(RangeError);
    expect(() => random.int(-(2 ** 53) + 1, 2 ** 53 - 1)).toThrow(RangeError);
  });

  it('picks elements and refuses an empty list', () => {
    const random = new SeededRandom('pick');
    const items = ['w1', 'w2', 'w3'] as const;
    const picked = new Set(Array.from({ length: 200 }, () => random.pick(items)));
    expect([...picked].sort()).toEqual(['w1', 'w2', 'w3']);
    expect(() => random.pick([])).toThrow(RangeError);
  });

  it('shuffles into a new array holding the same elements', () => {
    const random = new SeededRandom('shuffle');
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = random.shuffle(items);
    expect(shuffled).not.toBe(items);
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(random.shuffle([])).toEqual([]);
    expect(new SeededRandom('shuffle').shuffle(items)).toEqual(shuffled);
  });

  it('chance honours its edges and always draws once', () => {
    const a = new SeededRandom('chance');
    const b = new SeededRandom('chance');
    expect(a.chance(0)).toBe(false);
    expect(a.chance(1)).toBe(true);
    b.next();
    b.next();
    expect(a.next()).toBe(b.next());
    const random = new SeededRandom('chance rate');
    const hits = Array.from({ length: 10_000 }, () => random.chance(0.3)).filter(Boolean).length;
    expect(Math.abs(hits - 3_000)).toBeLessThan(250);
    expect(() => random.chance(NaN)).toThrow(RangeError);
  });

  it('forks children from the seed and label, not from the parent state', () => {
    const parent = new SeededRandom('cluster');
    const before = draws(parent.fork('kubelet/w1'), 10);
    draws(parent, 1_000);
    expect(draws(parent.fork('kubelet/w1'), 10)).toEqual(before);
    expect(draws(parent.fork('kubelet/w2'), 10)).not.toEqual(before);
    expect(draws(new SeededRandom('other').fork('kubelet/w1'), 10)).not.toEqual(before);
  });

  it('forked streams do not disturb each other or the parent', () => {
    const reference = new SeededRandom('cluster');
    const expectedParent = draws(reference, 10);
    const parent = new SeededRandom('cluster');
    const child = parent.fork('scheduler');
    draws(child, 500);
    expect(draws(parent, 10)).toEqual(expectedParent);
    const grandchild = child.fork('node-picker');
    expect(draws(grandchild, 5)).toEqual(draws(new SeededRandom('cluster').fork('scheduler').fork('node-picker'), 5));
    expect(draws(grandchild, 5)).not.toEqual(draws(child.fork('other'), 5));
  });

  it('makes RFC 4122 version 4 uuids, all distinct', () => {
    const random = new SeededRandom('uids');
    const uuids = Array.from({ length: 1_000 }, () => random.uuid());
    for (const uuid of uuids) {
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(new Set(uuids).size).toBe(1_000);
  });
  it('builds each uuid from the four draws as the hex of the words, sliced (the earlier construction)', () => {
    // The hex of four draws of the same stream (int(0, 2^32) takes exactly one draw each).
    const random = new SeededRandom('uids');
    const words = new SeededRandom('uids');
    const hex = (): string => words.int(0, 2 ** 32).toString(16).padStart(8, '0');
    for (let n = 0; n < 2_000; n++) {
      const h = hex() + hex() + hex() + hex();
      const variant = (8 | (parseInt(h.charAt(16), 16) & 3)).toString(16);
      const expected = [h.slice(0, 8), h.slice(8, 12), `4${h.slice(13, 16)}`, variant + h.slice(17, 20), h.slice(20, 32)].join('-');
      expect(random.uuid()).toBe(expected);
    }
  });

  it('draws the same uuids into words as uuid() does, the words being their 128 bits', () => {
    const random = new SeededRandom('uids');
    const same = new SeededRandom('uids');
    const words = new Uint32Array(6);
    for (let n = 0; n < 2_000; n++) {
      const uid = same.uuidInto(words, 1);
      expect(uid).toBe(random.uuid());
      const hex = Array.from(words.subarray(1, 5), (w) => w.toString(16).padStart(8, '0')).join('');
      expect(uid.replaceAll('-', '')).toBe(hex);
    }
    // Both draw four words a uuid: the streams are still in step.
    expect(same.next()).toBe(random.next());
    expect(words[0]).toBe(0);
    expect(words[5]).toBe(0);
  });
});
