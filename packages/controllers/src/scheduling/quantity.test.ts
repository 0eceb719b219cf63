import { describe, expect, it } from '@jest/globals';
import { parseQuantity, quantityMilliValue, quantityValue } from './quantity.js';

describe('parseQuantity', () => {
  it('reads decimal SI, binary and exponent suffixes', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1k')).toBe(1000);
    expect(parseQuantity('1Ki')).toBe(1024);
    expect(parseQuantity('1Gi')).toBe(1073741824);
    expect(parseQuantity('10Gi')).toBe(10 * 2 ** 30);
    expect(parseQuantity('1.5e3')).toBe(1500);
    expect(parseQuantity('.5')).toBe(0.5);
    expect(parseQuantity('-1')).toBe(-1);
    expect(parseQuantity(3)).toBe(3);
  });

  it('rejects what is not a quantity', () => {
    expect(parseQuantity('ten')).toBeUndefined();
    expect(parseQuantity('1GB')).toBeUndefined();
    expect(parseQuantity('')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
  });
});

describe('quantityValue and quantityMilliValue', () => {
  it('round up as Value() and MilliValue() do, without floating point drift', () => {
    expect(quantityMilliValue('100m')).toBe(100);
    expect(quantityMilliValue('0.1')).toBe(100);
    expect(quantityMilliValue('1')).toBe(1000);
    expect(quantityMilliValue('1.5')).toBe(1500);
    expect(quantityMilliValue('1n')).toBe(1);
    expect(quantityValue('1500m')).toBe(2);
    expect(quantityValue('200Mi')).toBe(209715200);
    expect(quantityValue(undefined)).toBe(0);
  });
});
