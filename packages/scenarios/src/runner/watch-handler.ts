// A watch of the API server that calls a handler per event without an Observable (issue 8):
// through `client.watch(kind).subscribe(f)` each Pod status write, Node heartbeat and Event
// reached the runner's recorder and the hazard detector through three RxJS Subscriber
// layers. Exceptions are reported as such a subscriber (without an error handler) reports
// them, and delivery goes on, as it did.
import type { ApiClient, ApiError, Kind, ObjectOf, WatchEvent } from '@failsim/core';
import { throwError } from 'rxjs';

/**
 * Reports an exception as an RxJS subscriber without an error handler reports one (its
 * handler threw, or its Observable errored): config.onUnhandledError, else rethrown
 * asynchronously.
 */
const reportUnhandled = (error: unknown): void => {
  throwError(() => error).subscribe();
};

/**
 * WATCHes `kind` from now (existing objects first, as ADDED), calling `handle` per event as
 * `client.watch(kind).subscribe(handle)` would; returns what stops the watch.
 * @example const stop = watchWith(client, 'Node', ({ type }) => { if (type === 'DELETED') scanSoon(); });
 */
export const watchWith = <K extends Kind>(client: ApiClient, kind: K, handle: (event: WatchEvent<ObjectOf<K>>) => void): (() => void) =>
  client.watchTo(kind, {}, {
    next(event: WatchEvent<ObjectOf<K>>): void {
      try {
        handle(event);
      } catch (error) {
        reportUnhandled(error);
      }
    },
    error(error: ApiError): void {
      reportUnhandled(error);
    },
  });
