import { describe, expect, it } from '@jest/globals';
import { StringTable } from './string-table.js';

describe('StringTable', () => {
  it('gives ids in first-seen order and the same id again for an equal string', () => {
    const table = new StringTable();
    expect([table.id('Pod'), table.id('Node'), table.id('Pod'), table.id(''), table.id('Node')]).toEqual([0, 1, 0, 2, 1]);
    expect(table.size).toBe(3);
    expect([table.at(0), table.at(1), table.at(2)]).toEqual(['Pod', 'Node', '']);
  });

  it('keeps the example of its documentation', () => {
    const table = new StringTable();
    expect(table.id('Pod')).toBe(0);
    expect(table.id('Node')).toBe(1);
    expect(table.id('Pod')).toBe(0);
    expect(table.at(1)).toBe('Node');
  });
});
