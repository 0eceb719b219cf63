// Where a library scenario's wall time goes, by phase of the run (issue 8): `load`
// (loadScenario: read and parse the file and its manifests), `build` (runScenario: the
// environment, the cluster's controllers and kubelets, vCenter or BOSH), `start-up` (from
// start(), which applies the resources, until the scenario's first step begins: the nodes
// join, the workload's Pods are scheduled, their disks provisioned and attached, and they
// run), and `rest` (the steps, the failure they make and the expectations' horizon, and
// the result). After start-up (library-timing.js: the library run `--warm` times first),
// each chosen scenario is run `--runs` times and each phase's median is printed, with the
// simulated time it covers. Prints figures only: nothing here asserts, machines are noisy.
// Run: node tools/bench/library-phases.js [scenario …] [--warm N] [--runs N] [--json]
import { performance } from 'node:perf_hooks';
import { loadScenario, runScenario } from '@failsim/scenarios';
import { libraryArgs } from './library-args.js';
import { median } from './library-timing.js';

const { warm, runs, json, library, chosen } = libraryArgs(process.argv.slice(2), { warm: 3, runs: 7 });

/** One run of `file` to its end: each phase's wall ms, and the simulated ms of start-up and rest. */
const run = (file) => {
  const t0 = performance.now();
  const loaded = loadScenario(file);
  if (loaded._tag !== 'Right') throw new Error(`${file}: ${loaded.left.map((e) => e.message).join('; ')}`);
  const t1 = performance.now();
  const scenario = runScenario(loaded.right);
  const t2 = performance.now();
  const clock = scenario.env.cluster.sim.clock;
  const firstStep = loaded.right.steps[0]?.id;
  // The first step has begun once nextStep() names another (or none): known at the next
  // firing, whose `previousNow` is the time of the firing that began it.
  let startedUp;
  const stop = clock.observe({
    scheduled() {},
    cancelled() {},
    fired(_id, _label, previousNow) {
      if (startedUp === undefined && scenario.nextStep()?.id !== firstStep) startedUp = { at: performance.now(), virtualMs: previousNow - scenario.startMs };
    },
  });
  scenario.runToEnd();
  const t3 = performance.now();
  stop();
  // A run whose first step began in its last firing (or that has no steps) started up at the end.
  startedUp ??= { at: t3, virtualMs: clock.now() - scenario.startMs };
  return {
    loadMs: t1 - t0,
    buildMs: t2 - t1,
    startUpMs: startedUp.at - t2,
    restMs: t3 - startedUp.at,
    totalMs: t3 - t0,
    startUpVirtualS: startedUp.virtualMs / 1000,
    restVirtualS: (clock.now() - scenario.startMs - startedUp.virtualMs) / 1000,
  };
};

for (let pass = 0; pass < warm; pass++) for (const { file } of library) run(file);
const rows = chosen.map(({ name, file }) => {
  const measured = Array.from({ length: runs }, () => run(file));
  const of = (key) => median(measured.map((m) => m[key]));
  return {
    name,
    loadMs: of('loadMs'),
    buildMs: of('buildMs'),
    startUpMs: of('startUpMs'),
    restMs: of('restMs'),
    totalMs: of('totalMs'),
    startUpVirtualS: measured[0].startUpVirtualS,
    restVirtualS: measured[0].restVirtualS,
  };
});

if (json) {
  console.log(JSON.stringify({ runs, warm, scenarios: rows }));
} else {
  console.log(`wall ms by phase, median of ${runs} runs after ${warm} warm passes (each column its own median: they need not add up to TOTAL)`);
  console.log(`${'SCENARIO'.padEnd(30)} ${'LOAD'.padStart(6)} ${'BUILD'.padStart(6)} ${'START-UP'.padStart(9)} ${'(SIM S)'.padStart(8)} ${'REST'.padStart(7)} ${'(SIM MIN)'.padStart(9)} ${'TOTAL'.padStart(7)}`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(30)} ${r.loadMs.toFixed(1).padStart(6)} ${r.buildMs.toFixed(1).padStart(6)} ${r.startUpMs.toFixed(1).padStart(9)} ${r.startUpVirtualS.toFixed(0).padStart(8)} ${r.restMs.toFixed(1).padStart(7)} ${(r.restVirtualS / 60).toFixed(1).padStart(9)} ${r.totalMs.toFixed(1).padStart(7)}`,
    );
  }
}
