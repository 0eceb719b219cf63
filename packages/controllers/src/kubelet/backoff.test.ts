import { describe, expect, it } from '@jest/globals';
import { Backoff, goDuration } from './backoff.js';

describe('Backoff', () => {
  it('starts at the initial delay and doubles up to the cap: 10, 20, 40, 80, 160, 300, 300 s', () => {
    const b = new Backoff(10_000, 300_000);
    const delays: number[] = [];
    let t = 0;
    for (let i = 0; i < 7; i++) {
      b.next('k', t, t);
      delays.push(b.get('k'));
      t += b.get('k') + 1_000;
    }
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  });

  it('is in back-off for its delay after the event, measured from the event time', () => {
    const b = new Backoff(10_000, 300_000);
    expect(b.isInBackOffSince('k', 0, 0)).toBe(false);
    b.next('k', 0, 0);
    expect(b.isInBackOffSince('k', 5_000, 5_000)).toBe(true);
    expect(b.isInBackOffSince('k', 5_000, 14_999)).toBe(true);
    expect(b.isInBackOffSince('k', 5_000, 15_000)).toBe(false);
  });

  it('starts over once more than twice the cap passed since the last raise (10 min of running)', () => {
    const b = new Backoff(10_000, 300_000);
    b.next('k', 0, 0);
    b.next('k', 10_000, 10_000);
    expect(b.get('k')).toBe(20_000);
    // Exited exactly 600 s after the last raise: not expired yet, so still in back-off.
    expect(b.isInBackOffSince('k', 610_000, 610_000)).toBe(true);
    // Exited 600 s + 1 ms after: expired, restart at once and start from 10 s again.
    expect(b.isInBackOffSince('k', 610_001, 610_001)).toBe(false);
    b.next('k', 610_001, 610_001);
    expect(b.get('k')).toBe(10_000);
  });

  it('forgets the keys of a pod', () => {
    const b = new Backoff(10_000, 300_000);
    b.next('web-0_default_u1_app', 0, 0);
    b.next('web-0_default_u1_sidecar', 0, 0);
    b.next('web-1_default_u2_app', 0, 0);
    b.forget('web-0_default_u1_');
    expect([b.get('web-0_default_u1_app'), b.get('web-0_default_u1_sidecar'), b.get('web-1_default_u2_app')]).toEqual([0, 0, 10_000]);
  });
});

describe('goDuration', () => {
  it('prints durations as Go does', () => {
    expect([500, 2_500, 10_000, 80_000, 160_000, 300_000, 3_600_000, 3_723_000].map(goDuration)).toEqual([
      '500ms',
      '2.5s',
      '10s',
      '1m20s',
      '2m40s',
      '5m0s',
      '1h0m0s',
      '1h2m3s',
    ]);
  });
});
