// Benchmark of @failsim/scenarios: every scenario of the library, run with runScenario to
// its end. The first run of each is reported alone (module start-up, JIT warm-up, the
// library's YAML read once); the next RUNS are summarised by their median. Virtual
// duration, events, transitions and the verdict come from the last run — the runs are
// deterministic, so every run has the same. Prints figures only; nothing here asserts,
// since shared machines are noisy.
// Run: npm run bench:scenarios [-- --json] [-- --runs N]
import { performance } from 'node:perf_hooks';
import { libraryScenarios, loadScenario, runScenario } from '@failsim/scenarios';

const json = process.argv.includes('--json');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('error: --runs takes a positive integer');
  process.exit(2);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** `T+1:02:03` / `T+05:40`, as the CLI's transcript prints virtual time. */
const virtualTime = (ms) => {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `T+${h}:${m}:${s}` : `T+${m}:${s}`;
};

/** One timed run: load (read + parse) and run to the end, as `failsim run` does. */
const timedRun = (file) => {
  const t0 = performance.now();
  const loaded = loadScenario(file);
  if (loaded._tag !== 'Right') throw new Error(`${file}: ${loaded.left.map((e) => e.message).join('; ')}`);
  const run = runScenario(loaded.right);
  const result = run.runToEnd();
  const wallMs = performance.now() - t0;
  return { wallMs, virtualMs: run.env.cluster.sim.clock.now() - run.startMs, result };
};

const rows = libraryScenarios().map(({ name, file }) => {
  const first = timedRun(file);
  const later = Array.from({ length: RUNS }, () => timedRun(file));
  const last = later[later.length - 1];
  return {
    scenario: name,
    virtualMs: last.virtualMs,
    wallMsFirst: first.wallMs,
    wallMsMedian: median(later.map((r) => r.wallMs)),
    runs: RUNS,
    events: last.result.events.length,
    transitions: last.result.transitions.length,
    passed: last.result.passed,
  };
});
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

if (json) {
  console.log(JSON.stringify({ node: process.version, arch: process.arch, scenarios: rows, peakRssMiB }, null, 2));
} else {
  console.log(`@failsim/scenarios benchmark (node ${process.version}, ${process.arch}): the library, first run then median of ${RUNS}`);
  const table = [
    ['SCENARIO', 'VIRTUAL', 'WALL MS (FIRST)', `WALL MS (MEDIAN OF ${RUNS})`, 'EVENTS', 'TRANSITIONS', 'PASSED'],
    ...rows.map((r) => [r.scenario, virtualTime(r.virtualMs), r.wallMsFirst.toFixed(1), r.wallMsMedian.toFixed(1), String(r.events), String(r.transitions), r.passed ? 'yes' : 'NO']),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  // Names left-aligned, figures right-aligned.
  for (const row of table) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ').trimEnd());
  console.log(`peak memory ${peakRssMiB.toFixed(0)} MiB RSS`);
}
