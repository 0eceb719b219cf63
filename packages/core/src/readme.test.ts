import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Runs the README's example against the built package (it imports '@failsim/core' by
// name, which resolves to this package's dist through its exports map) and compares what
// it prints with the README's "prints:" block.
const packageRoot = join(import.meta.dirname, '..');

describe('README example', () => {
  it('prints what the README says it prints', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const code = /## Example[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    const expected = /prints:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    expect(expected).toBeDefined();
    const file = join(packageRoot, `.readme-example-${process.pid}.mjs`);
    writeFileSync(file, code!);
    try {
      const output = execFileSync(process.execPath, [file], { encoding: 'utf8' });
      expect(output).toBe(expected);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
