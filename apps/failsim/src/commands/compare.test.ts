import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { recordingIo } from '../test-io.js';
import { compare } from './compare.js';
import { collectSetting, parseProfileFlag } from './run.js';

const file = join(import.meta.dirname, '..', '..', '..', '..', 'packages', 'scenarios', 'src', 'runner', 'testdata', 'statefulset-node-poweroff.yaml');

/** The cells of the row whose label matches, one per column. */
const column = (out: string, label: RegExp): string[] => out.split('\n').find((l) => label.test(l))?.split(/\s{2,}/).slice(1) ?? [];
const seconds = (t: string): number => (t === '—' ? Number.NaN : t.replace(/^T\+/, '').split(':').reduce((acc, part) => acc * 60 + Number(part), 0));

describe('failsim compare', () => {
  it('shows 1.12 and 1.28 side by side: NodeLost/Unknown against the taint manager, and the time to recovery', () => {
    const io = recordingIo();
    expect(compare(io, file, [parseProfileFlag('1.12'), parseProfileFlag('1.28')])).toBe(0);
    const out = io.text.out;
    expect(out.split('\n')[0]).toMatch(/^MOMENT\s+PROFILE 1\.12\s+PROFILE 1\.28$/);
    // The node is named by its role, so both columns fill one row even if the scheduler picked different workers.
    expect(column(out, /^Node\(cassandra-0\) → NotReady /).every((t) => /^T\+\d\d:\d\d$/.test(t))).toBe(true);
    expect(column(out, /^Pod\/cassandra\/cassandra-0 → Unknown /)).toEqual([expect.stringMatching(/^T\+/), '—']);
    expect(column(out, /^TaintManagerEviction on Pod\/cassandra\/cassandra-0 /)).toEqual(['—', expect.stringMatching(/^T\+/)]);
    // Both taint the node NoSchedule on NotReady; only 1.28 evicts by a NoExecute taint, and
    // the master's role taint at registration is no moment.
    expect(column(out, /^Node\(cassandra-0\) tainted node\.kubernetes\.io\/unreachable:NoSchedule /).every((t) => /^T\+\d\d:\d\d$/.test(t))).toBe(true);
    expect(column(out, /^Node\(cassandra-0\) tainted node\.kubernetes\.io\/unreachable:NoExecute /)).toEqual(['—', expect.stringMatching(/^T\+/)]);
    expect(out).not.toMatch(/tainted node-role/);
    const recovery = column(out, /^time to recovery /).map(seconds);
    expect(recovery.every((s) => s > 70 * 60)).toBe(true);
  }, 30_000);
});

describe('failsim compare --set', () => {
  it('applies --set to every column: a 2 min grace period moves NotReady ≈80 s later under both profiles', () => {
    const profiles = [parseProfileFlag('1.12'), parseProfileFlag('1.28')];
    const plain = recordingIo();
    expect(compare(plain, file, profiles)).toBe(0);
    const slower = recordingIo();
    expect(compare(slower, file, profiles, collectSetting('node-monitor-grace-period=2m'))).toBe(0);
    const notReady = /^Node\(cassandra-0\) → NotReady /;
    const before = column(plain.text.out, notReady).map(seconds);
    const after = column(slower.text.out, notReady).map(seconds);
    expect(before).toHaveLength(2);
    expect(before.every(Number.isFinite) && after.every(Number.isFinite)).toBe(true);
    // 40 s → 120 s of grace: 80 s later, give or take the 5 s monitor tick and 10 s heartbeats.
    after.forEach((at, i) => expect(at - before[i]!).toBeGreaterThanOrEqual(65));
    after.forEach((at, i) => expect(at - before[i]!).toBeLessThanOrEqual(95));
    expect(slower.text.err).toBe('');
  }, 30_000);
});
