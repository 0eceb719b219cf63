// soak: the CI mix in batches, counted; a short soak passes and counts every scenario.
import { describe, expect, it } from '@jest/globals';
import { soak, SMALL_BOUNDS } from './soak.js';

describe('soak', () => {
  it('runs the asked number of scenarios in the batch mix and reports the figures', () => {
    const batches: number[] = [];
    const out = soak({ runs: 30, seed: 77, onBatch: (done) => batches.push(done) });
    expect(out.failure).toBeUndefined();
    // 30 = 30 small ones of the first batch (85 small, 5 full-size, 10 recovery per 100).
    expect(out.sequences).toBe(30);
    expect(out.determinismChecks).toBe(3);
    expect(batches).toEqual([30]);
    expect(out.wallMs).toBeGreaterThan(0);
    expect(SMALL_BOUNDS).toEqual({ maxWorkers: 3, maxWorkloads: 2, maxFaults: 6, horizonSeconds: 900 });
  }, 120_000);
});
