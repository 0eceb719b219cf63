// `failsim run --output ndjson`: one JSON record per line, for tools that read a run as a
// stream (jq -c, log shippers). The timeline first (steps, transitions and Events by
// virtual time), then the expectations in file order, then one result record.
import type { ScenarioResult } from '@failsim/scenarios';
import { timeline } from './timeline.js';

/** The NDJSON text of `result`, ending with a newline. */
export const ndjson = (result: ScenarioResult): string => ndjsonLines(result).map((line) => `${line}\n`).join('');

/** The records of `result`, one JSON text each, without newlines. */
export const ndjsonLines = (result: ScenarioResult): string[] => {
  const records: object[] = [
    ...timeline(result),
    ...result.expectations.map((e) => ({ type: 'expectation', ...e })),
    { type: 'result', scenario: result.scenario, profile: result.profile, seed: result.seed, passed: result.passed },
  ];
  return records.map((r) => JSON.stringify(r));
};
