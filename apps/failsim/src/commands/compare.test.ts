import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { recordingIo } from '../test-io.js';
import { compare } from './compare.js';
import { collectSetting, parseProfileFlag } from './run.js';

const file = join(import.meta.dirname, '..', '..', '..', '..', 'packages', 'scenarios', 'src', 'runner', 'testdata', 'statefulset-node-poweroff.yaml');

/**
 * Per column, the virtual time (`T+MM:SS`) of the first row matching `label` that has one
 * there: the profiles may schedule the pod on different nodes, so rows differ by column.
 */
const column = (out: string, label: RegExp, columns: number): string[] => {
  const rows = out.split('\n').filter((l) => label.test(l)).map((l) => l.split(/\s{2,}/).slice(1));
  return Array.from({ length: columns }, (_, i) => rows.map((cells) => cells[i] ?? '—').find((cell) => cell !== '—') ?? '—');
};

describe('failsim compare --set', () => {
  it('applies --set to every column: a 2 min grace period moves NotReady ≈80 s later under both profiles', () => {
    const profiles = [parseProfileFlag('1.12'), parseProfileFlag('1.28')];
    const plain = recordingIo();
    expect(compare(plain, file, profiles)).toBe(0);
    const slower = recordingIo();
    expect(compare(slower, file, profiles, collectSetting('node-monitor-grace-period=2m'))).toBe(0);
    const seconds = (t: string): number => (t === '—' ? Number.NaN : t.slice(2).split(':').reduce((acc, part) => acc * 60 + Number(part), 0));
    const notReady = /^Node\/worker-\d → NotReady /;
    const before = column(plain.text.out, notReady, 2).map(seconds);
    const after = column(slower.text.out, notReady, 2).map(seconds);
    expect(before.every(Number.isFinite) && after.every(Number.isFinite)).toBe(true);
    // 40 s → 120 s of grace: 80 s later, give or take the 5 s monitor tick and 10 s heartbeats.
    after.forEach((at, i) => expect(at - before[i]!).toBeGreaterThanOrEqual(65));
    after.forEach((at, i) => expect(at - before[i]!).toBeLessThanOrEqual(95));
    expect(slower.text.err).toBe('');
  }, 30_000);
});
