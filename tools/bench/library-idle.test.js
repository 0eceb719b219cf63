// Spec of library-idle.js, which docs/performance.md uses for what an idle simulated hour of
// a library cluster costs. Outcomes only, no timing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const tool = fileURLToPath(new URL('./library-idle.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8' });

test('an idle hour is the heartbeats: a 1.14 cluster fires once more per Lease renewal than a 1.12 one', () => {
  const r = run('statefulset-node-poweroff', 'force-delete-pod', '--hours', '1', '--warm', '0', '--runs', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.hours, 1);
  const byName = Object.fromEntries(result.scenarios.map((s) => [s.name, s]));
  // Both run five kubelets; 1.14 adds a Lease renewal every 10 s on each (nodeLeaseDurationSeconds / 4).
  assert.equal(byName['force-delete-pod'].firingsPerHour - byName['statefulset-node-poweroff'].firingsPerHour, 5 * 360);
  for (const s of result.scenarios) assert.ok(s.msPerHour > 0 && s.usPerFiring > 0, s.name);
});

test('--profile writes a CPU profile of the idle stretch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'library-idle-'));
  try {
    const file = join(dir, 'idle.cpuprofile');
    const r = run('deployment-node-poweroff', '--hours', '0.5', '--warm', '0', '--runs', '1', '--profile', file);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^deployment-node-poweroff\s/m);
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(profile.nodes.length > 0 && profile.samples.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad --hours or an unknown scenario is refused', () => {
  assert.equal(run('--hours', '0').status, 2);
  const unknown = run('no-such-scenario');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no library scenario no-such-scenario/);
});
