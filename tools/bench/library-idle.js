// What an idle simulated hour of a library scenario's cluster costs (issue 8): the scenario
// loaded and started free (its resources applied, none of its steps run), run ten
// simulated minutes to settle, then `--hours` more timed: the kubelets' heartbeats (Node
// status, Leases), the node monitor, the periodic loops, and nothing else. After start-up
// (library-timing.js: the library run `--warm` times first), each chosen scenario is run
// `--runs` times; prints the median wall ms per idle hour (default 4 h timed), firings per hour and µs per
// firing. `--profile FILE` writes a CPU profile (Chrome DevTools format) of the first
// chosen scenario's last timed idle stretch. Figures only: nothing asserts, machines are noisy.
// Run: node tools/bench/library-idle.js [scenario …] [--hours H] [--warm N] [--runs N] [--profile FILE] [--json]
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadScenario, runScenario } from '@failsim/scenarios';
import { libraryArgs } from './library-args.js';
import { median } from './library-timing.js';

const args = process.argv.slice(2);
const valueOf = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const hours = Number(valueOf('--hours') ?? 4);
const profileFile = valueOf('--profile');
if (!(hours > 0)) {
  console.error('error: --hours takes a number above 0');
  process.exit(2);
}
// The flags' values are not scenario names.
const named = args.filter((a, i) => !['--hours', '--profile'].includes(args[i - 1]) && !['--hours', '--profile'].includes(a));
const { warm, runs, json, library, chosen } = libraryArgs(named, { warm: 2, runs: 5 });

const SETTLE_MS = 10 * 60_000;

/** A settled, free-running cluster of `file`: its clock and where the idle stretch ends. */
const settled = (file) => {
  const loaded = loadScenario(file);
  if (loaded._tag !== 'Right') throw new Error(`${file}: ${loaded.left.map((e) => e.message).join('; ')}`);
  const scenario = runScenario(loaded.right, { free: true });
  scenario.start();
  const clock = scenario.env.cluster.sim.clock;
  clock.runUntil(scenario.startMs + SETTLE_MS);
  return { clock, end: scenario.startMs + SETTLE_MS + hours * 3_600_000 };
};

// Each timed stretch starts after a full collection, so that it pays for its own garbage
// and not for what the runs before it left (medians of identical clusters differed 2x).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc');

/** One timed idle stretch: wall ms and firings. */
const idle = ({ clock, end }) => {
  collect();
  const firedBefore = clock.eventsRun;
  const t0 = performance.now();
  clock.runUntil(end);
  return { ms: performance.now() - t0, firings: clock.eventsRun - firedBefore };
};

for (let pass = 0; pass < warm; pass++) for (const { file } of library) idle(settled(file));
let session;
const rows = [];
for (const [index, { name, file }] of chosen.entries()) {
  const measured = [];
  for (let i = 0; i < runs; i++) {
    const cluster = settled(file);
    const profiled = profileFile !== undefined && index === 0 && i === runs - 1;
    if (profiled) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    }
    measured.push(idle(cluster));
    if (profiled) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
      session.disconnect();
    }
  }
  const msPerHour = median(measured.map((m) => m.ms)) / hours;
  const firingsPerHour = measured[0].firings / hours;
  rows.push({ name, msPerHour, firingsPerHour, usPerFiring: (1000 * msPerHour) / firingsPerHour });
}

if (json) {
  console.log(JSON.stringify({ hours, runs, warm, scenarios: rows }));
} else {
  console.log(`an idle simulated hour after 10 settled minutes (free run: no steps), median of ${runs} runs of ${hours} h after ${warm} warm passes`);
  console.log(`${'SCENARIO'.padEnd(30)} ${'MS/HOUR'.padStart(8)} ${'FIRINGS/HOUR'.padStart(13)} ${'US/FIRING'.padStart(10)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(30)} ${r.msPerHour.toFixed(2).padStart(8)} ${r.firingsPerHour.toFixed(0).padStart(13)} ${r.usPerFiring.toFixed(2).padStart(10)}`);
  }
}
