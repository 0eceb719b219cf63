// Where a library scenario's wall time goes, by the owner of each timer firing (issue 8):
// every simulated action is a firing of the virtual clock, labelled with the component that
// scheduled it and why, so the wall time from one firing to the next is that firing's cost
// (the action, the writes it makes and their delivery to every watcher). After start-up
// (library-timing.js: the library run `--warm` times first), each chosen scenario is run
// `--runs` times and the firings' costs are summed by owner (`kubelet/worker-1` counts as
// `kubelet`), or with `--purpose` by owner and purpose (node names as <node>, objects as
// <ns>/<name>). Prints figures only: nothing here asserts, shared machines are noisy.
// Run: node tools/bench/library-owners.js [scenario …] [--purpose] [--warm N] [--runs N] [--json]
import { performance } from 'node:perf_hooks';
import { loadScenario, runScenario } from '@failsim/scenarios';
import { libraryArgs } from './library-args.js';

const args = process.argv.slice(2);
const { warm, runs, json, library, chosen } = libraryArgs(args, { warm: 3, runs: 5 });
const byPurpose = args.includes('--purpose');

/** The key a firing's cost is summed under. */
const keyOf = (label, nodeNames) => {
  const owner = label.owner.split('/')[0];
  if (!byPurpose) return owner;
  // Names and virtual times vary by firing; what a firing is for does not.
  let purpose = label.purpose.replace(/\b[\w.-]+\/[\w.-]+/g, '<ns>/<name>').replace(/T\+\d+s/g, 'T+<s>');
  for (const node of nodeNames) purpose = purpose.split(node).join('<node>');
  return `${owner} | ${purpose}`;
};

/** Runs `file` to its end; with `costs`, adds each firing's wall ms under its key. Returns the firings. */
const run = (file, costs) => {
  const loaded = loadScenario(file);
  if (loaded._tag !== 'Right') throw new Error(`${file}: ${loaded.left.map((e) => e.message).join('; ')}`);
  const scenario = runScenario(loaded.right);
  const clock = scenario.env.cluster.sim.clock;
  const nodeNames = loaded.right.cluster.nodes.map((n) => n.name).sort((a, b) => b.length - a.length);
  const entryOf = (key) => {
    let entry = costs.get(key);
    if (entry === undefined) costs.set(key, (entry = { firings: 0, ms: [] }));
    return entry;
  };
  // The firing running now (at first, what runToEnd does before the first firing) and when it began.
  let open = '(start: resources applied, steps scheduled)';
  let since = performance.now();
  const close = (next) => {
    const now = performance.now();
    if (costs) entryOf(open).ms.push(now - since);
    open = next;
    since = now;
  };
  const firedBefore = clock.eventsRun;
  const stop = clock.observe({
    scheduled() {},
    cancelled() {},
    fired(_id, label) {
      close(keyOf(label, nodeNames));
      if (costs) entryOf(open).firings++;
    },
  });
  scenario.runToEnd();
  close(undefined);
  stop();
  return clock.eventsRun - firedBefore;
};

for (let pass = 0; pass < warm; pass++) for (const { file } of library) run(file);
const costs = new Map();
let firings = 0;
for (let i = 0; i < runs; i++) for (const { file } of chosen) firings += run(file, costs);

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const totalMs = [...costs.values()].reduce((sum, { ms }) => sum + ms.reduce((a, b) => a + b, 0), 0);
const rows = [...costs]
  .map(([key, { firings: n, ms }]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    const sum = ms.reduce((a, b) => a + b, 0);
    return {
      key,
      firings: n,
      share: sum / totalMs,
      msPerRun: sum / runs / chosen.length,
      meanUs: (1000 * sum) / ms.length,
      medianUs: 1000 * quantile(sorted, 0.5),
      p90Us: 1000 * quantile(sorted, 0.9),
    };
  })
  .sort((a, b) => b.share - a.share);

if (json) {
  console.log(JSON.stringify({ scenarios: chosen.map((s) => s.name), runs, firings, msPerRun: totalMs / runs / chosen.length, owners: rows }));
} else {
  console.log(`${chosen.length === library.length ? 'all library scenarios' : chosen.map((s) => s.name).join(', ')}: ${runs} runs each after ${warm} warm passes, ${(totalMs / runs / chosen.length).toFixed(1)} ms a run in firings`);
  console.log(`${'SHARE'.padStart(6)} ${'FIRINGS'.padStart(8)} ${'MS/RUN'.padStart(7)} ${'MEAN US'.padStart(8)} ${'MEDIAN'.padStart(7)} ${'P90'.padStart(7)}  OWNER${byPurpose ? ' | PURPOSE' : ''}`);
  for (const r of rows) {
    console.log(
      `${(100 * r.share).toFixed(1).padStart(5)}% ${String(r.firings).padStart(8)} ${r.msPerRun.toFixed(2).padStart(7)} ${r.meanUs.toFixed(1).padStart(8)} ${r.medianUs.toFixed(1).padStart(7)} ${r.p90Us.toFixed(1).padStart(7)}  ${r.key.slice(0, 110)}`,
    );
  }
}
