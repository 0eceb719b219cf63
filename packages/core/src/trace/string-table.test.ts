import { describe, expect, it } from '@jest/globals';
import { RecentIds, StringTable } from './string-table.js';

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

describe('RecentIds', () => {
  it('gives the ids the table gives, whatever it remembers', () => {
    const plain = new StringTable();
    const table = new StringTable();
    const memo = new RecentIds(table, 3);
    // A seeded walk over a few strings, some repeated as equal strings built anew.
    let x = 7;
    for (let i = 0; i < 2_000; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      const s = ['Pod', 'Node', 'Lease', 'Event', `ns-${x % 9}`][x % 5]!;
      expect(memo.id(s)).toBe(plain.id(s));
    }
    expect(table.size).toBe(plain.size);
    for (let id = 0; id < plain.size; id++) expect(table.at(id)).toBe(plain.at(id));
  });

  it('keeps the example of its documentation', () => {
    const kinds = new RecentIds(new StringTable(), 4);
    expect(kinds.id('Pod')).toBe(0);
    expect(kinds.id('Pod')).toBe(0);
    expect(kinds.id('Node')).toBe(1);
    expect(kinds.table.at(1)).toBe('Node');
  });
});
