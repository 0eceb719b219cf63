// Spec of pod-cost.js, which docs/performance.md uses for whether a Pod's cost grows with
// the cluster. Outcomes only, no timing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const tool = fileURLToPath(new URL('./pod-cost.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8' });

test('each size is its workload minute: 30 Pods a node, each created, scheduled and started', () => {
  const r = run('--sizes', '3,6', '--warm', '0', '--rounds', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(
    result.sizes.map((s) => [s.nodes, s.pods]),
    [
      [3, 90],
      [6, 180],
    ],
  );
  assert.equal(result.sizes[0].relativeToSmallest, 1);
  // A Pod is at least its create, binding and Running status write, and their firings.
  for (const s of result.sizes) assert.ok(s.writesPerPod >= 3 && s.firingsPerPod >= 3 && s.usPerPod > 0, JSON.stringify(s));
});

test('the table names every size', () => {
  const r = run('--sizes', '3', '--warm', '0', '--rounds', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\s+3\s+90\s/m);
});

test('bad sizes, warm or rounds are refused', () => {
  for (const args of [['--sizes', '2'], ['--sizes', 'x'], ['--warm', '-1'], ['--rounds', '0']]) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /--sizes takes integers/);
  }
});
