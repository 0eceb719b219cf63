import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { recordingIo } from '../test-io.js';
import { parseProfileFlag, parseSeedFlag, parseUntilFlag, run } from './run.js';

const file = join(import.meta.dirname, '..', '..', '..', '..', 'packages', 'scenarios', 'src', 'runner', 'testdata', 'statefulset-node-poweroff.yaml');

describe('failsim run flags', () => {
  it('parses profiles, seeds and durations, and refuses bad values with one message', () => {
    expect(parseProfileFlag('v1.28').name).toBe('1.28');
    expect(() => parseProfileFlag('1.99')).toThrow('unknown profile (failsim has 1.12, 1.14, 1.18, 1.28, 1.32).');
    expect(parseSeedFlag('42')).toBe(42);
    expect(() => parseSeedFlag('-1')).toThrow('the seed is a non-negative integer.');
    expect(() => parseSeedFlag('1.5')).toThrow('the seed is a non-negative integer.');
    expect(parseUntilFlag('1h30m')).toBe(5_400_000);
    expect(() => parseUntilFlag('5 minutes')).toThrow('invalid duration "5 minutes" (use 30s, 5m, 1h).');
    expect(() => parseUntilFlag('0s')).toThrow('the end of the run must be after its start.');
  });
});

describe('failsim run', () => {
  it('fails (exit 1) when the run ends before an expectation can hold', () => {
    const io = recordingIo();
    // Ten minutes: the pod is not Unknown for an hour and the node is never deleted.
    expect(run(io, file, { output: 'json', until: 600_000 })).toBe(1);
    const result = JSON.parse(io.text.out) as { passed: boolean; expectations: { passed: boolean }[] };
    expect(result.passed).toBe(false);
    expect(result.expectations.map((e) => e.passed)).toEqual([true, false, false, false]);
  });

  it('exits 2 with the scenario errors on stderr for a missing file', () => {
    const io = recordingIo();
    expect(run(io, 'missing/x.yaml', { output: 'transcript' })).toBe(2);
    expect(io.text).toEqual({ out: '', err: 'missing/x.yaml:1:1: no such file\n' });
  });
});
