// Runs a generated scenario exactly as `failsim run` runs its file: the text goes through
// parseScenario (so what is run is what the counter-example prints) and runScenario.
// Models no upstream file.
import * as E from 'fp-ts/lib/Either.js';
import type { LoadedScenario } from '../format/load-scenario.js';
import { parseScenario } from '../format/parse-scenario.js';
import { formatScenarioError } from '../format/scenario-error.js';
import { runScenario, type RunOptions, type ScenarioResult } from '../runner/runner.js';
import { asScenarioFile, type GeneratedScenario } from './generated-scenario.js';

/** The file name parse errors and results name for a generated scenario. */
export const GENERATED_FILE = 'generated.yaml';

/**
 * Parses a scenario file whose resources are all inline (what the generators print) into
 * the runner's input. Left: the parse errors, formatted `file:line:col: path: message`.
 * @example loadScenarioText(asScenarioFile(s))
 */
export const loadScenarioText = (text: string, file: string = GENERATED_FILE): E.Either<string, LoadedScenario> => {
  const parsed = parseScenario(text, { file });
  if (E.isLeft(parsed)) return E.left(parsed.left.map(formatScenarioError).join('\n'));
  const scenario = parsed.right;
  const manifests = scenario.resources.flatMap((r) => (r.source === 'inline' ? [{ manifest: r.manifest, position: r.position }] : []));
  if (manifests.length !== scenario.resources.length) return E.left(`${file}: a generated scenario has inline resources only`);
  return E.right({ ...scenario, manifests });
};

/**
 * Prints, parses and runs a generated scenario to its end. Throws what the run throws (an
 * InvariantViolation on a broken invariant) and an Error if the printed file does not parse
 * (a bug in the generator).
 */
export const runGenerated = (s: GeneratedScenario, options: RunOptions = {}): ScenarioResult => {
  const loaded = loadScenarioText(asScenarioFile(s));
  if (E.isLeft(loaded)) throw new Error(`generated scenario does not parse:\n${loaded.left}\n${asScenarioFile(s)}`);
  return runScenario(loaded.right, options).runToEnd();
};
