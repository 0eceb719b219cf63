// A binary min-heap: the node lifecycle controller keeps its per-node deadlines in one so a
// monitor pass visits only the nodes whose time has come (DESIGN.md principle 5), the
// zone queues order waiting nodes by when they may be processed, as upstream's TimedQueue
// (container/heap) does, and the work queue orders its delayed keys (client-go's
// delaying queue keeps a waitForPriorityQueue heap). Here in runtime/ so every
// controller can use it.

/**
 * A binary min-heap ordered by `before`. Insertion order does not break ties: give
 * `before` a sequence number when equal keys must come out first-in, first-out.
 *
 * @example
 * ```ts
 * const heap = new MinHeap<number>((a, b) => a < b);
 * heap.push(3); heap.push(1);
 * heap.pop(); // 1
 * ```
 */
export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;

  constructor(before: (a: T, b: T) => boolean) {
    this.#before = before;
  }

  /** Number of entries. */
  get size(): number {
    return this.#items.length;
  }

  /** The smallest entry, if any, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds an entry: O(log n). */
  push(item: T): void {
    this.#items.push(item);
    this.#up(this.#items.length - 1);
  }

  /** Removes and returns the smallest entry, if any: O(log n). */
  pop(): T | undefined {
    return this.removeAt(0);
  }

  /** Index of the first entry `match` accepts, or -1: O(n), like upstream's linear scans. */
  findIndex(match: (item: T) => boolean): number {
    return this.#items.findIndex(match);
  }

  /** Removes and returns the entry at `index` (from {@link MinHeap.findIndex}): O(log n). */
  removeAt(index: number): T | undefined {
    const items = this.#items;
    if (index < 0 || index >= items.length) return undefined;
    const removed = items[index];
    const last = items.pop()!;
    if (index < items.length) {
      items[index] = last;
      this.#down(index);
      this.#up(index);
    }
    return removed;
  }

  /** Restores order after the entry at `index` changed its key in place. */
  fix(index: number): void {
    this.#down(index);
    this.#up(index);
  }

  /** Every entry, in heap (not sorted) order. */
  values(): readonly T[] {
    return this.#items;
  }

  /** Drops every entry. */
  clear(): void {
    this.#items.length = 0;
  }

  #up(index: number): void {
    const items = this.#items;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      const item = items[i]!;
      const above = items[parent]!;
      if (!this.#before(item, above)) break;
      // A swap through locals: the destructuring form allocated an array per step.
      items[i] = above;
      items[parent] = item;
      i = parent;
    }
  }

  #down(index: number): void {
    const items = this.#items;
    const n = items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.#before(items[right]!, items[left]!)) child = right;
      const below = items[child]!;
      const item = items[i]!;
      if (!this.#before(below, item)) break;
      items[i] = below;
      items[child] = item;
      i = child;
    }
  }
}
