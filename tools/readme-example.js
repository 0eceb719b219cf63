// Runs the `## Example` JavaScript block of a package README against the package's build
// (the example imports the package by name, which resolves to its own dist through its
// exports map) and returns what it printed beside what the README's "prints:" block says.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} packageRoot @returns {{ printed: string, expected: string | undefined }} */
export const runReadmeExample = (packageRoot) => {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const code = /## Example[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  const expected = /prints:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error(`${packageRoot}/README.md has no "## Example" js block`);
  const file = join(packageRoot, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    return { printed: execFileSync(process.execPath, [file], { encoding: 'utf8' }), expected };
  } finally {
    rmSync(file, { force: true });
  }
};
