// Spec of library-owners.js, which docs/performance.md uses to say where a library run's
// time goes by the owner of each timer firing. Outcomes only, no timing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const tool = fileURLToPath(new URL('./library-owners.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8' });

test('every firing of the runs is counted under one owner, and the shares make the whole', () => {
  const r = run('standalone-pod-node-delete', '--warm', '0', '--runs', '2', '--json');
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(result.scenarios, ['standalone-pod-node-delete']);
  assert.equal(result.runs, 2);
  const counted = result.owners.reduce((sum, o) => sum + o.firings, 0);
  assert.equal(counted, result.firings);
  assert.ok(result.firings > 100);
  const shares = result.owners.reduce((sum, o) => sum + o.share, 0);
  assert.ok(Math.abs(shares - 1) < 1e-9);
  const owners = result.owners.map((o) => o.key);
  // A kubelet's owner is `kubelet/<node>`: one row for all of them.
  for (const owner of ['kubelet', 'default-scheduler', 'node-controller']) assert.ok(owners.includes(owner), owner);
  assert.ok(!owners.some((o) => o.startsWith('kubelet/')));
});

test('--purpose splits by what each firing is for, naming no node', () => {
  const r = run('standalone-pod-node-delete', '--warm', '0', '--runs', '1', '--purpose', '--json');
  assert.equal(r.status, 0, r.stderr);
  const keys = JSON.parse(r.stdout).owners.map((o) => o.key);
  assert.ok(keys.includes('kubelet | node status update of <node>'), keys.join('\n'));
  assert.ok(!keys.some((k) => /worker-\d|master-\d/.test(k)));
});

test('an unknown scenario or a bad count is refused', () => {
  const unknown = run('no-such-scenario');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no library scenario no-such-scenario/);
  assert.equal(run('--runs', '0').status, 2);
});
