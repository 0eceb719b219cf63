// The due time of each pending timer, by timer id, as the invariant checker keeps it to
// check every firing (invariant-checker.ts). A clock issues ids in sequence and most timers
// fire or are cancelled soon after later ones are scheduled, so a ring indexed by the id's
// low bits holds nearly all of them; the few that stay pending while the ring comes round
// (a step due in an hour, a 5 min eviction) move to a Map.

/** A library scenario schedules ~4,000 timers; ~130 of them outlive 1,024 later ones. */
const RING_SIZE = 1 << 10;
const RING_MASK = RING_SIZE - 1;

/**
 * Due times by timer id (a positive integer). A Map of every pending timer cost a hash
 * insert and delete per timer, the checker's largest per-timer cost (issue 8); the ring
 * costs two array stores.
 */
export class DueTimes {
  /** The id in each ring slot; 0 for none (ids start at 1). */
  readonly #ids = new Float64Array(RING_SIZE);
  readonly #dues = new Float64Array(RING_SIZE);
  /** Pending timers pushed out of the ring by a later id with the same low bits. */
  readonly #evicted = new Map<number, number>();

  /** Remembers that timer `id` is due at `dueAt`. */
  set(id: number, dueAt: number): void {
    const slot = id & RING_MASK;
    const held = this.#ids[slot]!;
    if (held !== 0 && held !== id) this.#evicted.set(held, this.#dues[slot]!);
    this.#ids[slot] = id;
    this.#dues[slot] = dueAt;
  }

  /** Forgets timer `id` and returns its due time; undefined when it was not pending. */
  take(id: number): number | undefined {
    const slot = id & RING_MASK;
    if (this.#ids[slot] === id) {
      this.#ids[slot] = 0;
      return this.#dues[slot]!;
    }
    const due = this.#evicted.get(id);
    if (due !== undefined) this.#evicted.delete(id);
    return due;
  }
}
