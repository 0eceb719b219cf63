import { describe, expect, it } from '@jest/globals';
import { MAX_DURATION_BEFORE_RETRY_MS, NestedPendingOperations } from './nested-pending-operations.js';

describe('NestedPendingOperations', () => {
  it('backs a failing key off 500 ms, doubling, capped at 2m2s', () => {
    const ops = new NestedPendingOperations();
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 10; i++) {
      ops.start('v', () => undefined);
      ops.failed('v', now, 'Volume not attached according to node status');
      const at = ops.retryAt('v')!;
      waits.push(at - now);
      now = at;
    }
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, MAX_DURATION_BEFORE_RETRY_MS, 122_000]);
    expect(ops.lastError('v')).toBe('Volume not attached according to node status');
  });

  it('blocks a running key, forgets it on success and cancels everything on clear', () => {
    const ops = new NestedPendingOperations();
    let cancelled = 0;
    ops.start('a', () => ({ unsubscribe: () => cancelled++ }));
    expect(ops.isRunning('a')).toBe(true);
    expect(ops.retryAt('a')).toBeUndefined();
    ops.failed('b', 0, 'x');
    ops.succeeded('b');
    expect(ops.retryAt('b')).toBe(Number.NEGATIVE_INFINITY);
    ops.clear();
    expect(cancelled).toBe(1);
    expect(ops.isRunning('a')).toBe(false);
  });

  it('keeps other keys while one is forgotten, and starts afresh after every key was (the table is dropped when empty)', () => {
    const ops = new NestedPendingOperations();
    ops.failed('a', 0, 'x');
    ops.failed('b', 0, 'y');
    ops.succeeded('a');
    expect(ops.retryAt('b')).toBe(500);
    expect(ops.lastError('b')).toBe('y');
    ops.failed('b', 500, 'y');
    expect(ops.retryAt('b')).toBe(1_500);
    ops.succeeded('b');
    expect(ops.retryAt('b')).toBe(Number.NEGATIVE_INFINITY);
    ops.start('b', () => {
      // A synchronous success inside start leaves nothing behind.
      ops.succeeded('b');
      return undefined;
    });
    expect(ops.isRunning('b')).toBe(false);
    ops.failed('b', 2_000, 'z');
    expect(ops.retryAt('b')).toBe(2_500);
  });
});
