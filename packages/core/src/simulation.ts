// One call to get a wired simulation: clock, randomness, trace, reachability, the API
// server with its bootstrap namespaces, and the garbage collector.
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import { ApiServer, type ApiServerOptions } from './api/api-server.js';
import { GarbageCollector } from './api/garbage-collector.js';
import { Reachability } from './api/reachability.js';
import { SimClock } from './kernel/clock.js';
import { SeededRandom } from './kernel/random.js';
import { Trace } from './trace/trace.js';

/** Options of {@link createSimulation}. */
export interface SimulationOptions extends Pick<ApiServerOptions, 'admission' | 'watchCacheSize' | 'eventTTLSeconds'> {
  /** Seed of the only random source; same seed, same run. Default 1. */
  readonly seed?: number | string;
  /** Wall date of virtual time 0. Default 2019-06-01T00:00:00Z. */
  readonly epoch?: Date | string;
  /** Run the garbage collector (cascading deletion). Default true. */
  readonly garbageCollector?: boolean;
}

/** A wired simulation. */
export interface Simulation {
  readonly clock: SimClock;
  readonly random: SeededRandom;
  readonly trace: Trace;
  readonly reachability: Reachability;
  readonly api: ApiServer;
  /** Stops the built-in components (garbage collector). */
  readonly stop: () => void;
}

/** Namespaces kube-apiserver creates at start-up. */
export const BOOTSTRAP_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** Creates a simulation at virtual time 0 with the bootstrap namespaces and the garbage collector. */
export const createSimulation = (options: SimulationOptions = {}): Simulation => {
  const clock = new SimClock(options.epoch !== undefined ? { epoch: options.epoch } : {});
  const random = new SeededRandom(options.seed ?? 1);
  const trace = new Trace();
  const reachability = new Reachability();
  const api = new ApiServer({
    clock,
    random,
    trace,
    reachability,
    ...(options.admission ? { admission: options.admission } : {}),
    ...(options.watchCacheSize !== undefined ? { watchCacheSize: options.watchCacheSize } : {}),
    ...(options.eventTTLSeconds !== undefined ? { eventTTLSeconds: options.eventTTLSeconds } : {}),
  });
  const bootstrap = api.client('kube-apiserver');
  for (const name of BOOTSTRAP_NAMESPACES) {
    const created = bootstrap.create('Namespace', { metadata: { name } });
    if (E.isLeft(created)) throw new Error(`bootstrap namespace ${name}: ${created.left.message}`);
  }
  const subscriptions: Subscription[] = [];
  if (options.garbageCollector !== false) {
    subscriptions.push(new GarbageCollector(api.client('garbage-collector')).start());
  }
  return { clock, random, trace, reachability, api, stop: () => subscriptions.forEach((s) => s.unsubscribe()) };
};
