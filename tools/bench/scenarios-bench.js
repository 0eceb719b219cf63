// Benchmark of @failsim/scenarios: every scenario of the library, run with runScenario to
// its end. The first (cold) run of each is reported alone (module start-up, JIT warm-up,
// the library's YAML read once); after a second pass over the library, the next RUNS of
// each are summarised by their median (library-timing.js says why). Virtual
// duration, events, transitions and the verdict come from the last run — the runs are
// deterministic, so every run has the same. Prints figures only; nothing here asserts,
// since shared machines are noisy.
// Run: npm run bench:scenarios [-- --json] [-- --runs N]
import { median, timeLibrary } from './library-timing.js';

const json = process.argv.includes('--json');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('error: --runs takes a positive integer');
  process.exit(2);
}

/** `T+1:02:03` / `T+05:40`, as the CLI's transcript prints virtual time. */
const virtualTime = (ms) => {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `T+${h}:${m}:${s}` : `T+${m}:${s}`;
};

const rows = timeLibrary({ warmPasses: 2, runs: RUNS }).map(({ name, first, later }) => {
  const last = later[later.length - 1];
  return {
    scenario: name,
    virtualMs: last.virtualMs,
    wallMsFirst: first.wallMs,
    wallMsMedian: median(later.map((r) => r.wallMs)),
    runs: RUNS,
    events: last.events,
    transitions: last.transitions,
    passed: last.passed,
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
