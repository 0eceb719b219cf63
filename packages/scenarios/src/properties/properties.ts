// The properties of issue 7 over generated scenario files, and the check that runs them
// and prints a shrunk counter-example as the scenario file that reproduces it. Models no
// upstream file; fast-check's fc.check runs and shrinks (fast-check 4.10.2).
import { InvariantViolation } from '@failsim/core';
import * as fc from 'fast-check';
import type { ScenarioResult } from '../runner/runner.js';
import { asScenarioFile, type GeneratedScenario } from './generated-scenario.js';
import { runGenerated } from './run-generated.js';

/** Counts what a property run did, for the printed summary. */
export interface SequenceCounter {
  /** Generated scenarios run to their end (shrinking runs included). */
  sequences: number;
  /** Of those, how many were also run a second time for determinism. */
  determinismChecks: number;
}

/** A fresh counter. */
export const newCounter = (): SequenceCounter => ({ sequences: 0, determinismChecks: 0 });

/** Options of {@link noInvariantBreak}. */
export interface InvariantPropertyOptions {
  readonly counter: SequenceCounter;
  /** Run every n-th scenario twice and compare the JSON results (default 10; 0 = never). */
  readonly determinismEvery?: number;
}

/**
 * Properties (a) and (b): the run of `s` does not throw an InvariantViolation (core
 * `checkInvariants`, vSphere `checkVsphereInvariants`, on by default in runScenario), and
 * every `determinismEvery`-th scenario gives a byte-identical JSON result when run again
 * with the same seed. A violation is rethrown with the scenario file first in its message.
 */
export const noInvariantBreak = (options: InvariantPropertyOptions) => {
  const every = options.determinismEvery ?? 10;
  return (s: GeneratedScenario): boolean => {
    const counter = options.counter;
    counter.sequences++;
    const first = JSON.stringify(runGenerated(s));
    if (every > 0 && counter.sequences % every === 0) {
      counter.determinismChecks++;
      const second = JSON.stringify(runGenerated(s));
      if (second !== first) throw new Error(`not deterministic: same scenario and seed, different results (first difference at character ${firstDifference(first, second)})`);
    }
    return true;
  };
};

/** Index of the first differing character of two strings. */
export const firstDifference = (a: string, b: string): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/** The expectations of a result that failed, one line each. */
export const failedExpectations = (result: ScenarioResult): string[] =>
  result.expectations.filter((e) => !e.passed).map((e) => `${e.description}: ${e.detail}`);

/**
 * Property (c): every expectation the recovery scenario states holds (every StatefulSet
 * pod Running within the profile's bound after the repair, held, its data read back). The
 * runner's `passed` is not used: a repair step whose reference does not resolve (the VM
 * did not hold that disk) is expected. Throws with the failed expectations.
 */
export const recovers = (counter: SequenceCounter) => (s: GeneratedScenario): boolean => {
  counter.sequences++;
  const failed = failedExpectations(runGenerated(s));
  if (failed.length > 0) throw new Error(`did not recover:\n  ${failed.join('\n  ')}`);
  return true;
};

/** Options of {@link checkScenarios}. */
export interface CheckOptions {
  readonly numRuns: number;
  /** fast-check's seed; a failure prints it with the path to replay the same counter-example. */
  readonly seed?: number;
  /** fast-check's path of a reported counter-example: with `seed`, replays it alone. */
  readonly path?: string;
}

/** The outcome of {@link checkScenarios}. */
export interface CheckOutcome {
  /** Scenarios fast-check generated and checked (excluding shrinking). */
  readonly numRuns: number;
  /** Undefined when the property held; else the report with the counter-example's scenario file. */
  readonly failure?: string;
  /** The shrunk counter-example, when it failed. */
  readonly counterExample?: GeneratedScenario;
}

/**
 * Runs `predicate` over `arbitrary` with fast-check and, on failure, reports the shrunk
 * counter-example as the scenario file that reproduces it, with the error it raised (an
 * InvariantViolation's history included) and fast-check's seed and path to replay it.
 * @example
 * const out = checkScenarios(faultScenarioArbitrary(), noInvariantBreak({ counter }), { numRuns: 100 });
 * if (out.failure) throw new Error(out.failure);
 */
export const checkScenarios = (arbitrary: fc.Arbitrary<GeneratedScenario>, predicate: (s: GeneratedScenario) => boolean, options: CheckOptions): CheckOutcome => {
  const details = fc.check(fc.property(arbitrary, predicate), {
    numRuns: options.numRuns,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  if (!details.failed || details.counterexample === null) return { numRuns: details.numRuns };
  const [counterExample] = details.counterexample;
  return { numRuns: details.numRuns, failure: counterExampleReport(counterExample, details.errorInstance, details.seed, details.counterexamplePath), counterExample };
};

/**
 * The report of a counter-example: what broke, then the scenario file to save and run
 * (`failsim run counter-example.yaml`), then how to replay it under fast-check.
 */
export const counterExampleReport = (s: GeneratedScenario, error: unknown, seed: number, path: string | null): string => {
  const what = error instanceof InvariantViolation ? `InvariantViolation ${error.rule}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return [
    `Counter-example (shrunk): ${what}`,
    '',
    'Save as counter-example.yaml and run `failsim run counter-example.yaml` to reproduce:',
    '',
    asScenarioFile(s),
    `Replay under fast-check: { seed: ${seed}, path: ${JSON.stringify(path ?? '')} }`,
  ].join('\n');
};
