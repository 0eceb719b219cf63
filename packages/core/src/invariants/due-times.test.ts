import { describe, expect, it } from '@jest/globals';
import { DueTimes } from './due-times.js';

describe('DueTimes', () => {
  it('gives each pending id its due time once, and nothing for an id never set', () => {
    const due = new DueTimes();
    due.set(1, 1_000);
    due.set(2, 500);
    expect(due.take(2)).toBe(500);
    expect(due.take(2)).toBeUndefined();
    expect(due.take(1)).toBe(1_000);
    expect(due.take(3)).toBeUndefined();
  });

  it('keeps a timer pending while many later ids with the same ring slot come and go', () => {
    const due = new DueTimes();
    due.set(1, 3_600_000);
    // 20,000 short timers: ids sharing slot 1 come round many times.
    for (let id = 2; id < 20_002; id++) due.set(id, id);
    for (let id = 2; id < 20_002; id += 2) expect(due.take(id)).toBe(id);
    expect(due.take(1)).toBe(3_600_000);
    expect(due.take(1)).toBeUndefined();
    for (let id = 3; id < 20_002; id += 2) expect(due.take(id)).toBe(id);
    expect(due.take(20_002)).toBeUndefined();
  });

  it('grows its ring while many timers stay pending, each still given once', () => {
    const due = new DueTimes();
    // 50,000 timers pending at once (a large cluster's Lease and status timers), then
    // taken in another order than set, with short ones set and taken in between.
    for (let id = 1; id <= 50_000; id++) due.set(id, id * 10);
    expect(due.ringSize).toBeGreaterThanOrEqual(1 << 15);
    for (let id = 50_001; id <= 60_000; id++) {
      due.set(id, 1);
      expect(due.take(id)).toBe(1);
    }
    for (let id = 50_000; id >= 1; id -= 3) expect(due.take(id)).toBe(id * 10);
    for (let id = 1; id <= 50_000; id++) expect(due.take(id)).toBe((50_000 - id) % 3 === 0 ? undefined : id * 10);
  });
});
