// The only source of randomness in the model. Same seed, same draws, on every platform:
// everything here is 32-bit integer arithmetic (Math.imul, >>>), never Math.random.

const TWO_POW_32 = 2 ** 32;
const TWO_POW_53 = 2 ** 53;

// sfc32's first outputs still echo the seed; its author recommends discarding about a dozen.
const WARM_UP = 15;

type Seed = readonly [number, number, number, number];

/** cyrb128 (bryc, public domain): a 128-bit string hash used to expand seeds and labels. */
function cyrb128(text: string): Seed {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function seedText(seed: number | string): string {
  if (typeof seed === 'string') return seed;
  if (!Number.isFinite(seed)) throw new RangeError(`SeededRandom: seed must be finite, got ${seed}`);
  // String(-0) is "0", and 42 and "42" name the same stream, whether a seed came from YAML
  // as a number or from the command line as text.
  return String(seed);
}

const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `word` as 8 hex digits; a table lookup, since every API create draws a uid. */
function hex8(word: number): string {
  return HEX_BYTES[word >>> 24]! + HEX_BYTES[(word >>> 16) & 255]! + HEX_BYTES[(word >>> 8) & 255]! + HEX_BYTES[word & 255]!;
}

/** Character codes of the hex digits. */
const HEX_CODES: readonly number[] = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
const DASH = 45; // '-'
/** The words of the uuid {@link SeededRandom.uuid} draws (it keeps none). */
const UUID_WORDS = new Uint32Array(4);
/** The 36 character codes of the uuid being built (reused: uuid() is not re-entrant). */
const UUID_CODES: number[] = new Array<number>(36).fill(0);

/** Writes the `digits` low hex digits of `value` (most significant first) into `codes` at `at`. */
function hexInto(codes: number[], at: number, value: number, digits: number): void {
  for (let i = digits - 1; i >= 0; i--) {
    codes[at + i] = HEX_CODES[value & 15]!;
    value >>>= 4;
  }
}

/**
 * The 128 bits of four 32-bit words as a lowercase 8-4-4-4-12 uuid, one flat string (not
 * re-entrant: it fills a shared array). {@link SeededRandom.uuid} builds its uids with it,
 * and the API server's Event store rebuilds the uids it keeps as words (issue 8).
 */
export function formatUuid(w0: number, w1: number, w2: number, w3: number): string {
  const c = UUID_CODES;
  hexInto(c, 0, w0, 8);
  c[8] = DASH;
  hexInto(c, 9, w1 >>> 16, 4);
  c[13] = DASH;
  hexInto(c, 14, w1 & 0xffff, 4);
  c[18] = DASH;
  hexInto(c, 19, w2 >>> 16, 4);
  c[23] = DASH;
  hexInto(c, 24, w2 & 0xffff, 4);
  hexInto(c, 28, w3, 8);
  // One flat string straight from the character codes (issue 8): every object (and
  // Event) keeps its uid for its lifetime, so it must not be a rope of pieces, and the
  // hex of each word, its slices and a joined array were ~20 throwaway strings a create.
  return String.fromCharCode.apply(null, c);
}

/**
 * A seeded pseudo-random generator (sfc32, seeded through the cyrb128 hash): the only
 * randomness the model may use. The same seed gives the same sequence on every platform.
 *
 * Streams for separate components come from {@link SeededRandom.fork}, which derives a
 * child from this generator's seed and a label, not from its position, so extra draws in
 * one component never shift another's sequence.
 *
 * @example
 * ```ts
 * const random = new SeededRandom(42);
 * const kubelet = random.fork('kubelet/w2');
 * const jitter = kubelet.int(0, 1_000);
 * const uid = random.fork('apiserver/uids').uuid();
 * ```
 */
export class SeededRandom {
  private readonly seed: Seed;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * Creates a generator from a seed. Strings are hashed with cyrb128; a number is hashed as
   * its decimal string, so `42` and `'42'` give the same stream. A non-finite number throws
   * RangeError.
   */
  constructor(seed: number | string) {
    this.seed = cyrb128(seedText(seed));
    [this.a, this.b, this.c, this.d] = this.seed;
    for (let i = 0; i < WARM_UP; i++) this.nextUint32();
  }

  /** A float in [0, 1), in steps of 2^-32. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * An integer in [min, maxExclusive), uniform (rejection sampling, no modulo bias). Both
   * bounds must be safe integers with min < maxExclusive and a span of at most 2^53;
   * otherwise RangeError.
   */
  int(min: number, maxExclusive: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(maxExclusive) || maxExclusive <= min) {
      throw new RangeError(`SeededRandom.int: need safe integers min < maxExclusive, got [${min}, ${maxExclusive})`);
    }
    const span = maxExclusive - min;
    if (span > TWO_POW_53) throw new RangeError(`SeededRandom.int: span ${span} exceeds 2^53`);
    if (span <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % span);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return min + (x % span);
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % span);
    let x = this.nextUint53();
    while (x >= limit) x = this.nextUint53();
    return min + (x % span);
  }

  /** A uniformly chosen element of `items`; RangeError if it is empty. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('SeededRandom.pick: no items to pick from');
    return items[this.int(0, items.length)] as T;
  }

  /** A shuffled copy of `items` (Fisher–Yates); the input is not modified. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const swap = out[i] as T;
      out[i] = out[j] as T;
      out[j] = swap;
    }
    return out;
  }

  /**
   * True with probability `p`: always false for p <= 0, always true for p >= 1; NaN throws
   * RangeError. Draws exactly once whatever `p` is, so changing a probability does not
   * shift the draws that follow.
   */
  chance(p: number): boolean {
    if (Number.isNaN(p)) throw new RangeError('SeededRandom.chance: probability is NaN');
    return this.next() < p;
  }

  /**
   * An independent child generator derived from this generator's seed and `label`, not
   * from its current state: the same label always gives the same child, and draws on the
   * parent (or on other children) never change it. Use one distinct label per component.
   */
  fork(label: string): SeededRandom {
    // The seed's hex is fixed-width, so no (seed, label) pair can collide with another by
    // shifting characters between the two.
    const key = this.seed.map(hex8).join('') + label;
    return new SeededRandom(key);
  }

  /** An RFC 4122 version 4 UUID (as used for metadata.uid) built from four draws. */
  uuid(): string {
    return this.uuidInto(UUID_WORDS, 0);
  }

  /**
   * {@link SeededRandom.uuid} (the same four draws), its 128 bits also written as four
   * words at `at` of `words`, most significant first. Why (issue 8): the API server's Event
   * store keeps uids as words, and parsing them back out of the text was a cost per Event.
   */
  uuidInto(words: Uint32Array, at: number): string {
    // The 32 hex digits of four draws, in order: the version digit replaces the 13th and
    // the variant's two bits the 17th's top two (as slicing their hex did before).
    const w0 = this.nextUint32();
    const w1 = ((this.nextUint32() & 0xffff0fff) | 0x4000) >>> 0;
    const w2 = ((this.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0;
    const w3 = this.nextUint32();
    words[at] = w0;
    words[at + 1] = w1;
    words[at + 2] = w2;
    words[at + 3] = w3;
    return formatUuid(w0, w1, w2, w3);
  }

  /** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 32-bit variant). */
  private nextUint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  private nextUint53(): number {
    return (this.nextUint32() >>> 11) * TWO_POW_32 + this.nextUint32();
  }
}
