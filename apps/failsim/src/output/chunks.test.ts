import { describe, expect, it } from '@jest/globals';
import { inChunks, jsonChunks } from './chunks.js';
import { sampleResult } from './testdata/sample-result.js';

describe('inChunks', () => {
  it('joins to the lines joined by newlines, whatever the piece size', () => {
    const lines = ['a', 'b', '', 'c', 'd', ''];
    for (const size of [1, 2, 3, 5, 6, 7]) {
      const pieces = [...inChunks(lines, size)];
      expect(pieces).toHaveLength(Math.ceil(lines.length / size));
      expect(pieces.join('')).toBe(lines.join('\n'));
    }
    expect([...inChunks([])]).toEqual([]);
  });
});

describe('jsonChunks', () => {
  it('joins to JSON.stringify(value, null, 2), arrays in pieces', () => {
    const odd = { a: 1, skipped: undefined, f: () => 1, empty: [], none: {}, nested: { b: [1, { c: 'x\ny' }] }, list: [{ d: [] }, 2, 'three', null, undefined, [4, [5]]], last: 'end' };
    for (const value of [sampleResult, odd, {}, { only: [] }]) {
      for (const size of [1, 2, 1000]) expect([...jsonChunks(value, size)].join('')).toBe(JSON.stringify(value, null, 2));
    }
    // One piece per `size` items of an array, not one for the whole output.
    expect([...jsonChunks({ items: [1, 2, 3, 4, 5] }, 2)]).toEqual(['{\n', '  "items": [\n', '    1,\n    2,\n', '    3,\n    4,\n', '    5\n', '  ]\n', '}']);
  });
});
