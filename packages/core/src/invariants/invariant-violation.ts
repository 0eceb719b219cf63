// What an invariant checker throws (or reports) when the simulation breaks one of its own
// rules. Not modelled on upstream: Kubernetes has no such thing; failsim needs it so that a
// bug in the model fails loudly, with the history that led to it, instead of producing a
// plausible but wrong timeline.

/** One line of the history carried by a violation: a write, a timer firing, a vSphere task… */
export interface InvariantHistoryEntry {
  /** Virtual time (ms) it happened at. */
  readonly t: number;
  /** What happened, e.g. `write update Pod default/web-0 rv=12 by kubelet@node/w1`. */
  readonly what: string;
}

/** `T+<seconds>s <what>`: how a history line prints. */
export const formatHistoryEntry = (entry: InvariantHistoryEntry): string => `T+${entry.t / 1000}s ${entry.what}`;

/**
 * A broken invariant: a bug in failsim, never a property of the modelled cluster. Carries
 * the rule, the detail, the virtual time and the offending history (oldest first); the
 * message prints all three.
 *
 * @example
 * ```ts
 * try { sim.clock.runFor(60_000); } catch (e) { if (e instanceof InvariantViolation) console.log(e.history); }
 * ```
 */
export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';

  constructor(
    /** The rule, e.g. `watch-order` or `vmdk-single-writer`. */
    readonly rule: string,
    /** What broke it, in one sentence. */
    readonly detail: string,
    /** Virtual time (ms) the checker saw it. */
    readonly at: number,
    /** The writes, timer firings or tasks relevant to it, oldest first. */
    readonly history: readonly InvariantHistoryEntry[],
  ) {
    super(
      `invariant ${rule} violated at T+${at / 1000}s: ${detail}` +
        (history.length > 0 ? `\nhistory (oldest first):\n${history.map((h) => `  ${formatHistoryEntry(h)}`).join('\n')}` : ''),
    );
  }
}
