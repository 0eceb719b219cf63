import { describe, expect, it } from '@jest/globals';
import { ExitCode } from './io.js';

describe('ExitCode', () => {
  it('keeps 1 for a failed run, 2 for bad input and 3 for a broken invariant', () => {
    expect(ExitCode).toEqual({ ok: 0, failed: 1, usage: 2, internal: 3 });
  });
});
