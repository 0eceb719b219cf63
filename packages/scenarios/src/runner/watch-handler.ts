// A watch of the API server that calls a handler per event without an Observable (issue 8):
// through `client.watch(kind).subscribe(f)` each Pod status write, Node heartbeat and Event
// reached the runner's recorder and the hazard detector through three RxJS Subscriber
// layers. core's watchSink reports exceptions as such a subscriber (without an error
// handler) reports them, and delivery goes on, as it did.
import { watchSink, type ApiClient, type Kind, type ObjectOf, type WatchEvent } from '@failsim/core';

/**
 * WATCHes `kind` from now (existing objects first, as ADDED), calling `handle` per event as
 * `client.watch(kind).subscribe(handle)` would; returns what stops the watch.
 * @example const stop = watchWith(client, 'Node', ({ type }) => { if (type === 'DELETED') scanSoon(); });
 */
export const watchWith = <K extends Kind>(client: ApiClient, kind: K, handle: (event: WatchEvent<ObjectOf<K>>) => void): (() => void) =>
  client.watchTo(kind, {}, watchSink(handle));
