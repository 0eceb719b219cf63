// Spec of scale-scenario.js: the scale benchmark's standard run as a scenario file that
// loads, runs and passes its expectations. Outcomes only, no timing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadScenario, runScenario } from '@failsim/scenarios';
import { MAX_NODES, scaleScenario } from './scale-scenario.js';

const tool = fileURLToPath(new URL('./scale-scenario.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8' });

test('the generated zone failure loads, runs and passes: NotReady, evictions, Multi-Attach, the force detach', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scale-scenario-'));
  try {
    const r = run('--nodes', '6', '--out', dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(dir).sort(), ['zone-failure-6-workloads-1.yaml', 'zone-failure-6.yaml']);
    const loaded = loadScenario(join(dir, 'zone-failure-6.yaml'));
    assert.equal(loaded._tag, 'Right', JSON.stringify(loaded.left));
    const scenario = runScenario(loaded.right);
    const result = scenario.runToEnd();
    assert.deepEqual(
      result.expectations.map((e) => [e.description, e.passed]),
      result.expectations.map((e) => [e.description, true]),
      result.expectations.map((e) => e.detail).join('\n'),
    );
    assert.equal(result.expectations.length, 6);
    assert.equal(result.passed, true);
    // The rate limit in the results: the dead zone's Nodes tainted NoExecute 10 s apart (0.1/s).
    const tainted = result.transitions.filter((t) => t.field === 'taints' && t.to?.includes(':NoExecute') && !t.from?.includes(':NoExecute'));
    assert.deepEqual(tainted.map((t) => t.object).sort(), ['Node/w-3', 'Node/w-6']);
    assert.equal(tainted[1].at - tainted[0].at, 10);
    // The zone's Nodes went with one command; the others stay.
    const nodes = scenario.env.cluster.sim.api.client('test').list('Node').right.items.map((n) => n.metadata.name);
    assert.deepEqual(nodes, ['master-0', 'w-1', 'w-2', 'w-4', 'w-5']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a large cluster\'s workloads are split into files a scenario may hold (250 documents each)', () => {
  const { manifests, scenario } = scaleScenario(1000);
  const counts = [...manifests.values()].map((text) => text.split(/^---$/m).length);
  assert.ok(counts.length > 1 && counts.every((n) => n <= 250), JSON.stringify(counts));
  for (const file of manifests.keys()) assert.match(scenario, new RegExp(`run: kubectl apply -f ${file}$`, 'm'));
});

test('--nodes outside 3 … MAX_NODES is refused', () => {
  for (const n of ['2', String(MAX_NODES + 1), 'x']) {
    const r = run('--nodes', n, '--out', tmpdir());
    assert.equal(r.status, 2, n);
    assert.match(r.stderr, /--nodes takes an integer from 3 to/);
  }
});
