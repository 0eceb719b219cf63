// The soak run of issue 7 (`npm run soak`): the CI properties, many more times. Models no
// upstream file. Runs in batches of the CI mix — mostly small clusters over short
// histories, some at issue 7's full bounds (1–10 workers, two simulated hours), some
// fault-then-repair scenarios — each batch with its own fast-check seed, printed, so a
// failure is replayable. Reads FAILSIM_SOAK_RUNS (default 100000) and
// FAILSIM_SOAK_SEED when run as a program; prints the count and the wall time.
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { checkScenarios, newCounter, noInvariantBreak, recovers, type SequenceCounter } from './properties.js';
import { recoveryScenarioArbitrary } from './recovery-arbitrary.js';
import { faultScenarioArbitrary } from './scenario-arbitrary.js';

/** The bounds of the small scenarios that make most of the CI run and the soak. */
export const SMALL_BOUNDS = { maxWorkers: 3, maxWorkloads: 2, maxFaults: 6, horizonSeconds: 900 } as const;

/** Options of {@link soak}. */
export interface SoakOptions {
  /** Generated scenarios to check, in total. */
  readonly runs: number;
  /** Seed of the first batch; batch i uses seed + i. */
  readonly seed: number;
  /** Told after each batch (for progress lines). */
  readonly onBatch?: (done: number, counter: SequenceCounter) => void;
}

/** What a soak did. */
export interface SoakOutcome {
  readonly sequences: number;
  readonly determinismChecks: number;
  readonly wallMs: number;
  /** The first counter-example's report, if a property failed (the soak stops there). */
  readonly failure?: string;
}

/** A batch of the mix: 100 scenarios, 85 small, 5 at full bounds, 10 fault-then-repair. */
const BATCH = [
  { runs: 85, kind: 'small' },
  { runs: 5, kind: 'large' },
  { runs: 10, kind: 'recovery' },
] as const;

/**
 * Checks `runs` generated scenarios against the invariant, determinism (every 10th) and
 * recovery properties; stops at the first counter-example.
 */
export const soak = (options: SoakOptions): SoakOutcome => {
  const counter = newCounter();
  const start = performance.now();
  let done = 0;
  for (let batch = 0; done < options.runs; batch++) {
    for (const part of BATCH) {
      const numRuns = Math.min(part.runs, options.runs - done);
      if (numRuns <= 0) break;
      const seed = options.seed + batch * BATCH.length + BATCH.indexOf(part);
      const outcome =
        part.kind === 'recovery'
          ? checkScenarios(recoveryScenarioArbitrary(), recovers(counter), { numRuns, seed })
          : checkScenarios(faultScenarioArbitrary(part.kind === 'small' ? SMALL_BOUNDS : {}), noInvariantBreak({ counter }), { numRuns, seed });
      done += numRuns;
      if (outcome.failure !== undefined) return { ...counter, wallMs: performance.now() - start, failure: outcome.failure };
    }
    options.onBatch?.(done, counter);
  }
  return { ...counter, wallMs: performance.now() - start };
};

/** `node dist/properties/soak.js`: runs FAILSIM_SOAK_RUNS scenarios (default 100000) and prints the figures. */
const main = (): void => {
  const runs = Number(process.env['FAILSIM_SOAK_RUNS'] ?? 100_000);
  const seed = Number(process.env['FAILSIM_SOAK_SEED'] ?? 1);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    console.error('FAILSIM_SOAK_RUNS must be a positive integer and FAILSIM_SOAK_SEED an integer');
    process.exitCode = 2;
    return;
  }
  console.log(`failsim soak: ${runs} generated scenarios, seed ${seed}`);
  const out = soak({ runs, seed, onBatch: (done, c) => { if (done % 1000 === 0) console.log(`  ${done} scenarios, ${c.sequences} runs`); } });
  const seconds = out.wallMs / 1000;
  console.log(`failsim soak: ${out.sequences} sequences run (${out.determinismChecks} determinism re-runs) in ${seconds.toFixed(1)} s wall, ${(out.wallMs / Math.max(1, out.sequences)).toFixed(0)} ms each`);
  if (out.failure !== undefined) {
    console.log(out.failure);
    process.exitCode = 1;
  }
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
