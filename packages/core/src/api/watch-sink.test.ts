import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { config, Subscription } from 'rxjs';
import { gone } from './errors.js';
import type { WatchEvent } from './watch.js';
import { watchSink } from './watch-sink.js';

const event = (name: string): WatchEvent => ({ type: 'ADDED', object: { kind: 'Lease', metadata: { name } } });
const nameOf = (e: WatchEvent): string => e.object.metadata?.name ?? '';
const messageOf = (e: unknown): string => (e as Error).message;
// RxJS reports on a 0 ms host timer (reportUnhandledError): one set after it fires after.
const reportsDone = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 0));

describe('watchSink', () => {
  let reported: unknown[];
  let before: typeof config.onUnhandledError;
  beforeEach(() => {
    reported = [];
    before = config.onUnhandledError;
    config.onUnhandledError = (error) => void reported.push(error);
  });
  afterEach(() => {
    config.onUnhandledError = before;
  });

  it('reports what the handler throws as unhandled and goes on delivering', async () => {
    const seen: string[] = [];
    const sink = watchSink((e) => {
      seen.push(nameOf(e));
      if (nameOf(e) === 'a') throw new Error('bad a');
    });
    sink.next(event('a'));
    sink.next(event('b'));
    expect(seen).toEqual(['a', 'b']);
    expect(reported).toEqual([]);
    await reportsDone();
    expect(reported.map(messageOf)).toEqual(['bad a']);
  });

  it('reports an error as unhandled without onError, and ends its subscription: nothing is taken after', async () => {
    const seen: string[] = [];
    const subscription = new Subscription();
    const sink = watchSink((e) => void seen.push(nameOf(e)), { subscription });
    sink.next(event('a'));
    sink.error(gone('too old resource version: 1 (2)'));
    expect(subscription.closed).toBe(true);
    sink.next(event('b'));
    sink.error(gone('again'));
    expect(seen).toEqual(['a']);
    await reportsDone();
    expect(reported.map(messageOf)).toEqual(['too old resource version: 1 (2)']);
  });

  it('takes nothing once its subscription is unsubscribed, an error neither', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const subscription = new Subscription();
    const sink = watchSink((e) => void seen.push(nameOf(e)), { subscription, onError: (error) => void errors.push(error.message) });
    sink.next(event('a'));
    subscription.unsubscribe();
    sink.next(event('b'));
    sink.error(gone('late'));
    expect(seen).toEqual(['a']);
    expect(errors).toEqual([]);
    await reportsDone();
    expect(reported).toEqual([]);
  });

  it('hands an error to onError, reporting what it throws, and ends its subscription after it', async () => {
    const subscription = new Subscription();
    const closedWhenCalled: boolean[] = [];
    const sink = watchSink(() => undefined, {
      subscription,
      onError: (error) => {
        closedWhenCalled.push(subscription.closed);
        throw new Error(`handling ${error.message}`);
      },
    });
    sink.error(gone('expired'));
    expect(closedWhenCalled).toEqual([false]);
    expect(subscription.closed).toBe(true);
    await reportsDone();
    expect(reported.map(messageOf)).toEqual(['handling expired']);
  });

  it('without a subscription, hands every error to onError and keeps delivering after one', async () => {
    const seen: string[] = [];
    const sink = watchSink((e) => void seen.push(nameOf(e)), { onError: (error) => void seen.push(`error ${error.message}`) });
    sink.next(event('a'));
    sink.error(gone('expired'));
    sink.next(event('b'));
    sink.error(gone('again'));
    expect(seen).toEqual(['a', 'error expired', 'b', 'error again']);
    await reportsDone();
    expect(reported).toEqual([]);
  });
});
