// The simulation's record of what happened: every API write, every Event and every
// reachability change, stamped with virtual time. Two runs of the same scenario and seed
// must give byte-identical NDJSON, so entries are plain data built in a fixed key order.

/** An API write committed by the server. */
export interface WriteTraceEntry {
  readonly t: number;
  readonly type: 'write';
  /** create, update, status, patch, delete (marked for deletion), remove (gone from storage). */
  readonly verb: 'create' | 'update' | 'status' | 'patch' | 'delete' | 'remove';
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly resourceVersion: string;
  /** Who wrote it: `component@location`. */
  readonly by: string;
}

/** A core/v1 Event recorded (created or its count moved). */
export interface EventTraceEntry {
  readonly t: number;
  readonly type: 'event';
  readonly eventType: string;
  readonly reason: string;
  readonly message: string;
  readonly object: string;
  readonly count: number;
  readonly source: string;
}

/** A location became reachable or unreachable from the API server. */
export interface ReachabilityTraceEntry {
  readonly t: number;
  readonly type: 'reachability';
  readonly location: string;
  readonly reachable: boolean;
}

/** Anything the trace records. */
export type TraceEntry = WriteTraceEntry | EventTraceEntry | ReachabilityTraceEntry;

/** Append-only, in-memory log of a simulation; see {@link Trace.toNDJSON}. */
export class Trace {
  readonly #entries: TraceEntry[] = [];
  readonly #listeners = new Set<(entry: TraceEntry) => void>();

  /** Appends an entry and tells the listeners. */
  record(entry: TraceEntry): void {
    this.#entries.push(entry);
    for (const listener of this.#listeners) listener(entry);
  }

  /** Every entry so far, oldest first. */
  get entries(): readonly TraceEntry[] {
    return this.#entries;
  }

  /** Number of entries so far. */
  get size(): number {
    return this.#entries.length;
  }

  /** Calls `listener` for each entry recorded from now on; returns the unsubscribe. */
  subscribe(listener: (entry: TraceEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The trace as newline-delimited JSON, one entry per line, ending with a newline. */
  toNDJSON(): string {
    return this.#entries.map((e) => `${JSON.stringify(e)}\n`).join('');
  }
}
