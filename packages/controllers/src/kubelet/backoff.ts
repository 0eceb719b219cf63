// The kubelet's CrashLoopBackOff bookkeeping: client-go's flowcontrol.Backoff
// (k8s.io/client-go/util/flowcontrol/backoff.go · Next, IsInBackOffSince, hasExpired ·
// v1.14/main, unchanged in these paths) as the kubelet uses it in
// pkg/kubelet/kuberuntime/kuberuntime_manager.go · doBackOff. Upstream adds no jitter to
// the kubelet's container back-off, so none is modelled here.

/** One key's state: the current delay and when it was last raised. */
interface Entry {
  backoff: number;
  lastUpdate: number;
}

/**
 * Per-key exponential back-off on virtual time: the first {@link Backoff.next} sets the
 * initial delay, each later one doubles it up to the cap, and a key unused for twice the
 * cap starts over (the "reset after 10 min of running" of CrashLoopBackOff).
 *
 * @example
 * const b = new Backoff(10_000, 300_000);
 * b.next('web-0/app', exitedAt, now); // delay 10 s
 * b.isInBackOffSince('web-0/app', exitedAt, now + 5_000); // true
 */
export class Backoff {
  readonly #entries = new Map<string, Entry>();

  constructor(
    /** Initial delay in ms (the kubelet's backOffPeriod, 10 s). */
    readonly initial: number,
    /** Cap in ms (MaxContainerBackOff, 300 s). */
    readonly max: number,
  ) {}

  /** The key's current delay in ms (0 when it has none). */
  get(key: string): number {
    return this.#entries.get(key)?.backoff ?? 0;
  }

  /**
   * Raises the key's delay because of an event at `eventTime` (a container's finishedAt):
   * initial for a new or expired key, else doubled up to the cap. `now` becomes its last update.
   */
  next(key: string, eventTime: number, now: number): void {
    const entry = this.#entries.get(key);
    if (!entry || this.#hasExpired(eventTime, entry.lastUpdate)) {
      this.#entries.set(key, { backoff: this.initial, lastUpdate: now });
      return;
    }
    entry.backoff = Math.min(entry.backoff * 2, this.max);
    entry.lastUpdate = now;
  }

  /** True while less than the key's delay has passed since `eventTime` (and the key has not expired). */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const entry = this.#entries.get(key);
    if (!entry || this.#hasExpired(eventTime, entry.lastUpdate)) return false;
    return now - eventTime < entry.backoff;
  }

  /** Forgets every key starting with `prefix` (a pod's keys once the pod is gone). */
  forget(prefix: string): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  /** Upstream keeps an entry "stable" once twice the cap passed between its last raise and the new event. */
  #hasExpired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > this.max * 2;
  }
}

/**
 * A duration as Go's time.Duration.String prints whole seconds and more: `10s`, `1m20s`,
 * `5m0s`, `1h0m0s` (the form of upstream's "back-off 5m0s restarting failed container").
 */
export const goDuration = (ms: number): string => {
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Number((totalSeconds % 60).toFixed(3));
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
};
