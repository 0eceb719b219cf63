// Spec of library-phases.js, which docs/performance.md uses to say how a library run's wall
// time splits between loading, building the environment, the cluster's start-up and the
// failure. Outcomes only, no timing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const tool = fileURLToPath(new URL('./library-phases.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8' });

test('one run: the four phases make its whole wall time, and start-up ends when the first step begins', () => {
  const r = run('statefulset-node-poweroff', 'deployment-node-poweroff', '--warm', '0', '--runs', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(
    result.scenarios.map((s) => s.name),
    ['deployment-node-poweroff', 'statefulset-node-poweroff'],
  );
  for (const s of result.scenarios) {
    const sum = s.loadMs + s.buildMs + s.startUpMs + s.restMs;
    assert.ok(Math.abs(sum - s.totalMs) < 1e-6, `${s.name}: ${sum} vs ${s.totalMs}`);
    for (const key of ['loadMs', 'buildMs', 'startUpMs', 'restMs']) assert.ok(s[key] > 0, `${s.name} ${key}`);
  }
  const [deployment, statefulset] = result.scenarios;
  // deployment-node-poweroff's first step is `at: 1m`; the others wait for their pod to run.
  assert.equal(deployment.startUpVirtualS, 60);
  assert.ok(statefulset.startUpVirtualS > 0 && statefulset.startUpVirtualS < 60, String(statefulset.startUpVirtualS));
  assert.ok(statefulset.restVirtualS > 60 * 60, String(statefulset.restVirtualS));
});

test('an unknown scenario or a bad count is refused', () => {
  const unknown = run('no-such-scenario');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no library scenario no-such-scenario/);
  assert.equal(run('--warm', '-1').status, 2);
});
