import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// Runs the built launcher as a user would (bin/failsim.js → dist/cli.js).
const bin = join(import.meta.dirname, '..', 'bin', 'failsim.js');
const run = (...args: string[]): string => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('failsim command line', () => {
  it('prints the command list when run with no arguments', () => {
    expect(run()).toContain('Commands:\n  failsim ');
  });

  it('prints its version', () => {
    expect(run('--version').trim()).toBe('0.1.0');
  });
});
