import { describe, expect, it } from '@jest/globals';
import { parseDocument } from 'yaml';
import { isTree, plainCopy } from './plain-copy.js';

describe('plainCopy', () => {
  it('copies what Document.toJS gives, deeply, keys in order, sharing nothing', () => {
    const value = parseDocument('b: 1\na: [x, { c: null, 2: true }]\nd: -0.5\n').toJS() as { a: [string, object] };
    const copy = plainCopy(value);
    expect(copy).toEqual(value);
    expect(Object.keys(copy)).toEqual(['b', 'a', 'd']);
    expect(Object.keys(copy.a[1])).toEqual(Object.keys(value.a[1]));
    expect(copy).not.toBe(value);
    expect(copy.a).not.toBe(value.a);
    expect(copy.a[1]).not.toBe(value.a[1]);
    expect(plainCopy('s')).toBe('s');
    expect(plainCopy(null)).toBe(null);
  });

  it('keeps a __proto__ key an own property, as toJS does, without touching the prototype', () => {
    const value = parseDocument('__proto__: { polluted: yes }\n').toJS() as Record<string, unknown>;
    const copy = plainCopy(value);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('isTree', () => {
  it('is false when an alias shares an object, true otherwise', () => {
    expect(isTree(parseDocument('a: &x { k: 1 }\nb: *x\n').toJS())).toBe(false);
    expect(isTree(parseDocument('a: &x 1\nb: *x\nc: [1, 2]\n').toJS())).toBe(true);
    expect(isTree('scalar')).toBe(true);
  });
});
