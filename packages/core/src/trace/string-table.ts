// Strings interned to small integer ids, in first-seen order: columnar stores (the trace's
// rows, the Event TTL's FIFO) keep an id per row instead of a pointer to a string object,
// and read the string back by id.

/**
 * Interns strings to ids 0, 1, 2… in the order first seen.
 *
 * @example
 * const table = new StringTable();
 * table.id('Pod'); // 0
 * table.id('Node'); // 1
 * table.id('Pod'); // 0
 * table.at(1); // 'Node'
 */
export class StringTable {
  readonly #ids = new Map<string, number>();
  readonly #strings: string[] = [];

  /** The id of `s`, added if new. */
  id(s: string): number {
    let id = this.#ids.get(s);
    if (id === undefined) {
      id = this.#strings.length;
      this.#strings.push(s);
      this.#ids.set(s, id);
    }
    return id;
  }

  /** The string of `id` (an id this table gave). */
  at(id: number): string {
    return this.#strings[id]!;
  }

  /** Number of strings interned. */
  get size(): number {
    return this.#strings.length;
  }
}

/**
 * The last few strings asked of a {@link StringTable} and their ids, checked before the
 * table's map (issue 8): one caller (the trace's kind, namespace or writer column) mostly
 * asks again for one of the few strings it asked last, often the very same string object,
 * and comparing a few references costs less than hashing and probing the map.
 *
 * @example
 * const table = new StringTable();
 * const kinds = new RecentIds(table, 4);
 * kinds.id('Pod'); // 0, from the table
 * kinds.id('Pod'); // 0, from the memo
 */
export class RecentIds {
  readonly #strings: (string | undefined)[];
  readonly #ids: number[];
  /** The slot the next miss replaces (round robin). */
  #next = 0;

  /** A memo of `slots` entries in front of `table` (ids are the table's). */
  constructor(
    readonly table: StringTable,
    slots = 1,
  ) {
    this.#strings = new Array<string | undefined>(slots).fill(undefined);
    this.#ids = new Array<number>(slots).fill(0);
  }

  /** The table's id of `s`, added to the table if new. */
  id(s: string): number {
    const strings = this.#strings;
    for (let i = 0; i < strings.length; i++) if (strings[i] === s) return this.#ids[i]!;
    const id = this.table.id(s);
    const slot = this.#next;
    strings[slot] = s;
    this.#ids[slot] = id;
    this.#next = slot + 1 === strings.length ? 0 : slot + 1;
    return id;
  }
}
