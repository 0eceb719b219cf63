// Sinks for ApiServer.watchTo that behave as the RxJS Subscriber of a subscription did
// (issue 8): the informer, the garbage collector, the invariant checker and, through the
// package's export, the scenario runner's recorder and hazard detector take every write of
// the cluster through a sink rather than through three RxJS Subscriber layers, and must
// still handle their handlers' exceptions the way those layers did.
import { throwError, type Subscription } from 'rxjs';
import type { WatchSink } from './api-server.js';
import type { ApiError } from './errors.js';
import type { KubeObject } from './resources.js';
import type { WatchEvent } from './watch.js';

/**
 * Reports an exception as an RxJS subscriber reports one its observer threw
 * (handleUnhandledError: config.onUnhandledError, else rethrown asynchronously): an
 * Observable that errors, subscribed without an error handler, goes the same way. Never
 * throws (not exported from the package: {@link watchSink} is the public way to it).
 */
export const reportUnhandled = (error: unknown): void => {
  throwError(() => error).subscribe();
};

/** How a {@link watchSink} takes the watch's error, and whether that ends it. */
export interface WatchSinkOptions {
  /**
   * Called with the watch's error (what it throws is reported as unhandled); without it the
   * error itself is reported, as by an RxJS subscriber without an error callback.
   */
  readonly onError?: (error: ApiError) => void;
  /**
   * The subscription the sink stands for, as an RxJS Subscriber is its own: the watch's
   * error ends it (after onError), and once it has ended (by that error or unsubscribed)
   * the sink takes nothing more.
   * Without one the sink takes whatever the watch delivers, after an error too.
   */
  readonly subscription?: Subscription;
}

/**
 * A sink calling `onNext` for each event as an RxJS subscriber calls its observer: what
 * `onNext` throws is reported as unhandled and delivery goes on.
 *
 * @example
 * const subscription = new Subscription();
 * subscription.add(server.watchTo(caller, undefined, {}, watchSink((event) => onEvent(event), { subscription })));
 */
export const watchSink = <T = KubeObject>(onNext: (event: WatchEvent<T>) => void, options: WatchSinkOptions = {}): WatchSink<T> => {
  const { onError, subscription } = options;
  return {
    next: (event) => {
      if (subscription?.closed) return;
      try {
        onNext(event);
      } catch (error) {
        reportUnhandled(error);
      }
    },
    // As SafeSubscriber.error: the error callback, or the error reported; then the teardown.
    error: (error) => {
      if (subscription?.closed) return;
      try {
        if (onError === undefined) {
          reportUnhandled(error);
        } else {
          try {
            onError(error);
          } catch (thrown) {
            reportUnhandled(thrown);
          }
        }
      } finally {
        subscription?.unsubscribe();
      }
    },
  };
};
