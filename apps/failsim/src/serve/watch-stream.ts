// A watch over HTTP, as kube-apiserver's watch server streams it (k8s.io/apiserver
// pkg/endpoints/handlers/watch.go, v1.32): 200, chunked, one `{"type":…,"object":…}` JSON
// document per line, flushed per event, open until the client goes or timeoutSeconds
// passes. Table watches carry one-row Tables, with the column definitions only in the
// first. Bookmarks only when asked (an unsolicited one prints a junk row in `get -w`);
// sendInitialEvents ends its ADDED burst with a bookmark annotated
// `k8s.io/initial-events-end` (reference kubectl-api-surface.md §7).
import type { ApiClient, ApiError, Kind, KubeObject, SimClock, TimerHandle, WatchEvent } from '@failsim/core';
import { resources } from '@failsim/core';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { toTable, type IncludeObject, type TableContext } from './tables.js';
import { toWire, watchLine } from './wire.js';

/** What a watch request asks for. */
export interface WatchRequest {
  readonly kind: Kind;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks: boolean;
  readonly sendInitialEvents: boolean;
  /** Close the stream after this many (virtual) seconds; the client re-lists and re-watches. */
  readonly timeoutSeconds?: number;
  /** Answer one-row Tables (Table Accept) and with which row objects. */
  readonly table?: { readonly include: IncludeObject };
  /** Names the watch in its timers' purposes. */
  readonly label: string;
}

/** Where a watch runs: the client it watches through and the clock its timers use. */
export interface WatchContext {
  readonly client: ApiClient;
  readonly clock: SimClock;
  /** The current cluster resourceVersion (for bookmarks). */
  readonly resourceVersion: () => string;
  readonly tableContext: () => TableContext;
  /** Answers a request that fails before the stream starts (a malformed selector or resourceVersion). */
  readonly fail: (error: ApiError) => void;
}

/** How often a watch that allows bookmarks gets one, in virtual ms (the watch cache's bookmark frequency is about a minute). */
export const BOOKMARK_PERIOD_MS = 60_000;

const OWNER = 'failsim-serve';

/**
 * Streams a watch to `res` until the client disconnects or the timeout passes. Errors
 * the watch raises before any event (a bad selector) are answered with their Status;
 * `410 Expired` (a resourceVersion compacted away) is an ERROR event, as upstream, after
 * which the stream ends.
 */
export const streamWatch = (request: WatchRequest, ctx: WatchContext, res: ServerResponse): void => {
  const r = resources[request.kind];
  let started = false;
  let columnsSent = false;
  let ended = false;
  const buffered: (string | Buffer)[] = [];
  const timers: TimerHandle[] = [];

  const line = (type: string, object: unknown): string => `${JSON.stringify({ type, object })}\n`;
  const write = (text: string | Buffer): void => {
    if (ended) return;
    if (started) res.write(text);
    else buffered.push(text);
  };
  const end = (): void => {
    if (ended) return;
    ended = true;
    subscription.unsubscribe();
    for (const t of timers) t.cancel();
    if (!res.writableEnded) res.end();
  };
  const render = (object: KubeObject): unknown => {
    const wire = toWire(object);
    if (!request.table) return wire;
    const table = toTable(request.kind, [wire], { ...ctx.tableContext(), include: request.table.include, omitColumns: columnsSent });
    columnsSent = true;
    return table;
  };
  const bookmark = (initialEventsEnd: boolean): void => {
    const metadata = { resourceVersion: ctx.resourceVersion(), ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) };
    write(line('BOOKMARK', { kind: request.kind, apiVersion: r.apiVersion, metadata }));
  };
  const scheduleBookmark = (): void => {
    timers.push(
      ctx.clock.schedule(
        BOOKMARK_PERIOD_MS,
        () => {
          bookmark(false);
          scheduleBookmark();
        },
        { owner: OWNER, purpose: `watch bookmark (${request.label})` },
      ),
    );
  };

  let syncError: ApiError | undefined;
  const subscription: Subscription = ctx.client
    .watch(request.kind, {
      ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
      ...(request.labelSelector ? { labelSelector: request.labelSelector } : {}),
      ...(request.fieldSelector ? { fieldSelector: request.fieldSelector } : {}),
      // sendInitialEvents: the current state first, whatever resourceVersion came along.
      ...(request.resourceVersion && !request.sendInitialEvents ? { resourceVersion: request.resourceVersion } : {}),
    })
    .subscribe({
      next: (event: WatchEvent) => {
        // Plain JSON events are the same bytes for every watcher: encoded once (wire.ts).
        write(request.table ? line(event.type, render(event.object)) : watchLine(event.type, event.object));
      },
      error: (error: ApiError) => {
        if (!started) syncError = error;
        else {
          write(line('ERROR', error));
          end();
        }
      },
    });
  if (syncError && syncError.code !== 410) {
    subscription.unsubscribe();
    ended = true;
    ctx.fail(syncError);
    return;
  }
  res.writeHead(200, { 'Content-Type': request.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  started = true;
  for (const text of buffered) res.write(text);
  buffered.length = 0;
  if (syncError) {
    write(line('ERROR', syncError));
    end();
    return;
  }
  if (request.sendInitialEvents) bookmark(true);
  if (request.allowWatchBookmarks) scheduleBookmark();
  if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0) {
    timers.push(ctx.clock.schedule(request.timeoutSeconds * 1000, end, { owner: OWNER, purpose: `watch timeoutSeconds=${request.timeoutSeconds} (${request.label})` }));
  }
  // The response's close is the client going away (the request's fires once its body is read).
  res.on('close', end);
};
