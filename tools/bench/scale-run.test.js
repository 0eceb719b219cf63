// Spec of the standard run's phase options: --minutes (wall seconds per simulated minute)
// and --profile-minutes (a CPU profile of chosen minutes), which docs/performance.md uses
// to say where the hour goes. A 3-node cluster: outcomes only, no timing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('./scale-run.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [runner, '--nodes', '3', ...args], { encoding: 'utf8' });

test('--minutes gives the wall time of each of the 70 simulated minutes; --profile-minutes writes a profile of those minutes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scale-run-'));
  try {
    const out = join(dir, 'minutes.cpuprofile');
    const r = run('--minutes', '--profile-minutes', '1:3', '--profile-out', out);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.wallSecondsPerMinute.length, 70);
    for (const s of result.wallSecondsPerMinute) assert.ok(Number.isFinite(s) && s >= 0);
    const profile = JSON.parse(readFileSync(out, 'utf8'));
    assert.ok(profile.nodes.length > 0 && profile.samples.length > 0);
    // The minutes profiled run the simulation: its clock is in the profile.
    assert.ok(profile.nodes.some((n) => n.callFrame.url.endsWith('kernel/clock.js')));
    // Without the flags the JSON is as scale-bench.js reads it, with the same counts.
    const plain = JSON.parse(run().stdout);
    assert.equal(plain.wallSecondsPerMinute, undefined);
    assert.equal(plain.events, result.events);
    assert.equal(plain.apiWrites, result.apiWrites);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--profile-minutes refuses a range it cannot profile, or no --profile-out', () => {
  for (const args of [['--profile-minutes', '3:2', '--profile-out', 'x'], ['--profile-minutes', '0:71', '--profile-out', 'x'], ['--profile-minutes', '1:2']]) {
    const r = run(...args);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--profile-minutes takes A:B/);
  }
});
