import { describe, expect, it } from '@jest/globals';
import { NODE_EVICTION_PERIOD, RateLimitedTimedQueue, TokenBucket, neverRateLimiter, type TimedValue } from './rate-limited-queue.js';

const drain = (queue: RateLimitedTimedQueue, now: number): string[] => {
  const done: string[] = [];
  queue.try(now, (v: TimedValue) => {
    done.push(v.value);
    return { done: true };
  });
  return done;
};

describe('TokenBucket', () => {
  it('starts full and refills at qps: 0.1/s gives one token every 10 s', () => {
    const bucket = new TokenBucket(0.1, 1, 0);
    expect(bucket.tryAccept(0)).toBe(true);
    expect(bucket.tryAccept(0)).toBe(false);
    expect(bucket.availableAt(0)).toBe(10_000);
    expect(bucket.tryAccept(9_999)).toBe(false);
    expect(bucket.tryAccept(10_000)).toBe(true);
    // Never more than the burst, however long it waits.
    expect(bucket.tryAccept(1_000_000)).toBe(true);
    expect(bucket.tryAccept(1_000_000)).toBe(false);
  });

  it('a refused token costs nothing', () => {
    const bucket = new TokenBucket(0.1, 1, 0);
    bucket.tryAccept(0);
    for (let t = 100; t < 10_000; t += NODE_EVICTION_PERIOD) expect(bucket.tryAccept(t)).toBe(false);
    expect(bucket.tryAccept(10_000)).toBe(true);
  });
});

describe('RateLimitedTimedQueue', () => {
  it('processes one node per token, the next one 10 s later at 0.1/s', () => {
    const queue = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    expect(queue.add('w1', 'u1', 0)).toBe(true);
    expect(queue.add('w2', 'u2', 0)).toBe(true);
    expect(drain(queue, 0)).toEqual(['w1']);
    expect(queue.nextTryAt(0)).toBe(10_000);
    expect(drain(queue, 5_000)).toEqual([]);
    expect(drain(queue, 10_000)).toEqual(['w2']);
    expect(queue.nextTryAt(10_000)).toBeUndefined();
  });

  it('keeps a processed node known until removed, so it is not queued twice', () => {
    const queue = new RateLimitedTimedQueue(new TokenBucket(10, 1, 0));
    queue.add('w1', 'u1', 0);
    expect(drain(queue, 0)).toEqual(['w1']);
    expect(queue.has('w1')).toBe(true);
    expect(queue.add('w1', 'u1', 1_000)).toBe(false);
    expect(queue.remove('w1')).toBe(true);
    expect(queue.remove('w1')).toBe(false);
    expect(queue.add('w1', 'u1', 1_000)).toBe(true);
    expect(queue.length).toBe(1);
  });

  it('retries a failed node after its wait, and a token is spent on each look', () => {
    const queue = new RateLimitedTimedQueue(new TokenBucket(1000, 1, 0));
    queue.add('w1', 'u1', 0);
    let calls = 0;
    queue.try(0, () => (++calls === 1 ? { done: false, wait: 50 } : { done: true }));
    expect(calls).toBe(1);
    expect(queue.values()[0]!.processAt).toBeGreaterThan(50);
    expect(queue.nextTryAt(1)).toBeGreaterThan(50);
    queue.try(40, () => ({ done: true }));
    expect(queue.length).toBe(1);
    queue.try(100, () => {
      calls++;
      return { done: true };
    });
    expect(calls).toBe(2);
    expect(queue.length).toBe(0);
  });

  it('a rate of 0 never processes; swapping back starts with an empty bucket', () => {
    const queue = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    queue.swapLimiter(0, 0);
    expect(queue.qps).toBe(0);
    queue.add('w1', 'u1', 0);
    expect(drain(queue, 0)).toEqual([]);
    expect(queue.nextTryAt(0)).toBeUndefined();
    queue.swapLimiter(0.1, 20_000);
    expect(drain(queue, 20_000)).toEqual([]);
    expect(queue.nextTryAt(20_000)).toBe(30_000);
    expect(drain(queue, 30_000)).toEqual(['w1']);
  });

  it('swapping to the same rate keeps the bucket (and its token)', () => {
    const queue = new RateLimitedTimedQueue(new TokenBucket(0.1, 1, 0));
    queue.swapLimiter(0.1, 0);
    queue.add('w1', 'u1', 0);
    expect(drain(queue, 0)).toEqual(['w1']);
    expect(neverRateLimiter.tryAccept(0)).toBe(false);
  });
});
