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
