import { describe, expect, it } from '@jest/globals';
import { NestedPendingOperations, operationKey } from './nested-pending-operations.js';

describe('NestedPendingOperations', () => {
  it('backs off 500 ms, doubling, capped at 2 min 2 s, and forgets on success', () => {
    const ops = new NestedPendingOperations();
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 12; i++) {
      expect(ops.start('k', now)).toBe(true);
      expect(ops.start('k', now)).toBe(false); // one at a time
      ops.complete('k', now, 'boom');
      const at = ops.retryAt('k', now)!;
      waits.push(at - now);
      expect(ops.start('k', at - 1)).toBe(false);
      now = at;
    }
    expect(waits).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 122_000, 122_000, 122_000, 122_000]);
    ops.start('k', now);
    ops.complete('k', now);
    expect(ops.retryAt('k', now)).toBe(now);
  });

  it('keys ReadWriteOnce volumes by volume alone', () => {
    expect(operationKey('v', 'w1', false)).toBe(operationKey('v', 'w2', false));
    expect(operationKey('v', 'w1', true)).not.toBe(operationKey('v', 'w2', true));
  });
});
