// Wall time of the library scenarios "after start-up", shared by scale-bench.js and
// scenarios-bench.js. Start-up is the process's, not a scenario's: module loading, the
// library's YAML parsed once, and V8's JIT warming to the simulator's hot paths, which
// takes about ten runs of scenario code (a first run of a scenario is 5-8x its later runs,
// the next few 2-3x). So the whole library is run `warmPasses` times first, then each
// scenario `runs` times; a run is load (read + parse) and run to the end, as `failsim run`
// does. Figures only: nothing asserts, shared machines are noisy.
import { performance } from 'node:perf_hooks';
import { libraryScenarios, loadScenario, runScenario } from '@failsim/scenarios';

/**
 * One timed run: load and run to the end, with `scenarios` (this tree's @failsim/scenarios
 * unless another tree's is given, as library-ab.js does); its wall ms, virtual ms and a summary of its
 * result (Events and transitions counted, passed). Only the summary is kept: a run's
 * result reaches its whole simulation, and holding the ~90 runs of a library timing made
 * each later run's garbage collections mark every earlier simulation (the last scenarios
 * in the list ran ~2x slower than alone).
 */
export const timedRun = (file, scenarios = { loadScenario, runScenario }) => {
  const t0 = performance.now();
  const loaded = scenarios.loadScenario(file);
  if (loaded._tag !== 'Right') throw new Error(`${file}: ${loaded.left.map((e) => e.message).join('; ')}`);
  const run = scenarios.runScenario(loaded.right);
  const result = run.runToEnd();
  const wallMs = performance.now() - t0;
  return {
    wallMs,
    virtualMs: run.env.cluster.sim.clock.now() - run.startMs,
    events: result.events.length,
    transitions: result.transitions.length,
    passed: result.passed,
  };
};

/** The median of a non-empty list of numbers. */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Every library scenario timed after start-up: `{ name, first, later }` per scenario, where
 * `first` is its first (cold) run in this process and `later` its `runs` runs after
 * `warmPasses` passes over the whole library (the first pass gives `first`).
 */
export const timeLibrary = ({ warmPasses = 2, runs = 5 } = {}) => {
  const library = libraryScenarios();
  const first = new Map();
  for (let pass = 0; pass < warmPasses; pass++) {
    for (const { name, file } of library) {
      const run = timedRun(file);
      if (!first.has(name)) first.set(name, run);
    }
  }
  return library.map(({ name, file }) => {
    const later = Array.from({ length: runs }, () => timedRun(file));
    return { name, first: first.get(name) ?? later[0], later };
  });
};
