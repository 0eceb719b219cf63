// The due time of each pending timer, by timer id, as the invariant checker keeps it to
// check every firing (invariant-checker.ts). A clock issues ids in sequence and most timers
// fire or are cancelled soon after later ones are scheduled, so a ring indexed by the id's
// low bits holds nearly all of them; the few that stay pending while the ring comes round
// (a step due in an hour, a 5 min eviction) move to a Map.

/** A library scenario schedules ~4,000 timers; ~130 of them outlive 1,024 later ones. */
const FIRST_RING_SIZE = 1 << 10;
/** 16 MiB of ring: a 5,000-node cluster issues ~2^17 timer ids in a Lease renewal period. */
const MAX_RING_SIZE = 1 << 20;

/**
 * Due times by timer id (a positive integer). A Map of every pending timer cost a hash
 * insert and delete per timer, the checker's largest per-timer cost (issue 8); the ring
 * costs two array stores. The ring doubles whenever the Map outgrows it: in a large
 * cluster a kubelet's 10 s Lease timer sees ~30,000 later ids at 1,000 nodes, and with a
 * ring of 1,024 nearly every timer went through the Map.
 */
export class DueTimes {
  /** The id in each ring slot; 0 for none (ids start at 1). */
  #ids = new Float64Array(FIRST_RING_SIZE);
  #dues = new Float64Array(FIRST_RING_SIZE);
  #mask = FIRST_RING_SIZE - 1;
  /** Pending timers pushed out of the ring by a later id with the same low bits. */
  readonly #evicted = new Map<number, number>();

  /** Remembers that timer `id` is due at `dueAt`. */
  set(id: number, dueAt: number): void {
    const slot = id & this.#mask;
    const held = this.#ids[slot]!;
    if (held !== 0 && held !== id) {
      this.#evicted.set(held, this.#dues[slot]!);
      if (this.#evicted.size > this.#mask && this.#mask < MAX_RING_SIZE - 1) return this.#grow(id, dueAt);
    }
    this.#ids[slot] = id;
    this.#dues[slot] = dueAt;
  }

  /** Forgets timer `id` and returns its due time; undefined when it was not pending. */
  take(id: number): number | undefined {
    const slot = id & this.#mask;
    if (this.#ids[slot] === id) {
      this.#ids[slot] = 0;
      return this.#dues[slot]!;
    }
    const due = this.#evicted.get(id);
    if (due !== undefined) this.#evicted.delete(id);
    return due;
  }

  /** How many slots the ring has now. */
  get ringSize(): number {
    return this.#mask + 1;
  }

  /** Doubles the ring, moves the evicted timers back where their slot is free, then sets `id`. */
  #grow(id: number, dueAt: number): void {
    const ids = this.#ids;
    const dues = this.#dues;
    const size = (this.#mask + 1) * 2;
    this.#ids = new Float64Array(size);
    this.#dues = new Float64Array(size);
    this.#mask = size - 1;
    // Ids of distinct slots under the old mask keep distinct slots under the new one.
    for (let slot = 0; slot < ids.length; slot++) if (ids[slot] !== 0) this.#place(ids[slot]!, dues[slot]!);
    for (const [held, due] of this.#evicted) {
      const slot = held & this.#mask;
      if (this.#ids[slot] !== 0) continue;
      this.#place(held, due);
      this.#evicted.delete(held);
    }
    this.set(id, dueAt);
  }

  #place(id: number, dueAt: number): void {
    const slot = id & this.#mask;
    this.#ids[slot] = id;
    this.#dues[slot] = dueAt;
  }
}
