// Kubernetes resource quantities ("100m", "2", "1Gi", "1.5e3"), as
// k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity, Value, MilliValue) of
// the 1.12–1.32 releases: decimal SI suffixes, binary suffixes, decimal exponents. Values
// round up to an integer as upstream's Value() and MilliValue() do.

/** Multipliers of the suffixes upstream accepts (quantity_suffixer.go). */
const SUFFIXES: Readonly<Record<string, number>> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// The grammar of quantity.go: sign, digits with an optional fraction, then a suffix
// (SI, binary or a decimal exponent).
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/**
 * The quantity's value in base units (cores, bytes, pods), or undefined when `text` is not
 * a quantity. Numbers pass through, as the API's int-or-string fields allow.
 *
 * @example parseQuantity('500m') === 0.5; parseQuantity('1Gi') === 1073741824
 */
export const parseQuantity = (text: string | number | undefined): number | undefined => {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (text === undefined) return undefined;
  const match = QUANTITY.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', digits = '0', exponent, suffix = ''] = match;
  const scale = exponent ? 10 ** Number(exponent.slice(1)) : (SUFFIXES[suffix] ?? 1);
  const value = Number(digits) * scale;
  return sign === '-' ? -value : value;
};

// Floating point turns 0.1 * 1000 into 100.00000000000001; rounding up from there would
// make it 101. Values this close to an integer are that integer.
const ceilExact = (value: number): number => {
  const nearest = Math.round(value);
  return Math.abs(value - nearest) < 1e-6 ? nearest : Math.ceil(value);
};

/** Value(): the quantity rounded up to a whole base unit (bytes, pods); 0 when absent or invalid. */
export const quantityValue = (text: string | number | undefined): number => ceilExact(parseQuantity(text) ?? 0);

/** MilliValue(): the quantity in thousandths, rounded up (millicores); 0 when absent or invalid. */
export const quantityMilliValue = (text: string | number | undefined): number => ceilExact((parseQuantity(text) ?? 0) * 1000);
