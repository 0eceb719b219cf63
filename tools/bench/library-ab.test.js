// Spec of library-ab.js and worktree-at.sh, with which docs/performance.md compares the
// library's wall time before and after a change. Outcomes only, no timing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { repositoryRoot } from './bench-args.js';

const tool = fileURLToPath(new URL('./library-ab.js', import.meta.url));
const worktreeAt = fileURLToPath(new URL('./worktree-at.sh', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8' });

test('times both trees in every round (here: this tree against itself)', () => {
  const r = run(repositoryRoot, '--rounds', '2', '--runs', '1', '--warm', '0', '--json');
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.thisMs.length, 2);
  assert.equal(result.otherMs.length, 2);
  for (const ms of [...result.thisMs, ...result.otherMs]) assert.ok(ms > 0);
  assert.equal(result.rounds, 2);
});

test('a tree that is not built, or bad counts, are refused', () => {
  const dir = mkdtempSync(`${tmpdir()}/library-ab-`);
  try {
    const missing = run(dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /packages\/scenarios\/dist\/index\.js is missing/);
    assert.equal(run('--rounds', '1').status, 2);
    assert.equal(run(repositoryRoot, '--rounds', '0').status, 2);
    // worktree-at.sh makes the other tree: it takes a commit and a directory that does not exist yet.
    assert.equal(spawnSync('sh', [worktreeAt, 'HEAD'], { encoding: 'utf8' }).status, 2);
    const exists = spawnSync('sh', [worktreeAt, 'HEAD', dir], { encoding: 'utf8' });
    assert.equal(exists.status, 2);
    assert.match(exists.stderr, /exists/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
