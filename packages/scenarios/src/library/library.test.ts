// The scenario library: every shipped scenario is listed, loads (resource files included),
// runs on the simulation clock and passes its expectations (windows from the references);
// one run is byte-identical when repeated with the same seed.
import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { loadScenario } from '../format/load-scenario.js';
import { formatScenarioError } from '../format/scenario-error.js';
import { runScenario } from '../runner/runner.js';
import { DEFAULT_SCENARIO, findLibraryScenario, LIBRARY_DIR, libraryScenarios } from './library.js';

const ARTICLE = ['recovery-after-poweroff', 'standalone-pod-node-delete', 'standalone-pod-node-poweroff', 'statefulset-node-delete', 'statefulset-node-poweroff'];
/** The variations beyond the article, with the profile each runs on. */
const VARIATIONS: Record<string, string> = {
  'csi-node-poweroff': '1.28', 'deployment-node-poweroff': '1.14', 'drain-with-pv': '1.18', 'force-delete-pod': '1.14',
  'kubelet-restart': '1.28', 'network-partition': '1.18', 'nongraceful-shutdown': '1.28', 'statefulset-disk-deleted': '1.12',
};

const load = (file: string) => {
  const loaded = loadScenario(file);
  if (E.isLeft(loaded)) throw new Error(loaded.left.map(formatScenarioError).join('\n'));
  return loaded.right;
};

describe('the library', () => {
  const scenarios = libraryScenarios();

  it('lives in packages/scenarios/library, with the shared manifests', () => {
    expect(basename(LIBRARY_DIR)).toBe('library');
    for (const m of ['cassandra-namespace.yaml', 'cass-sc.yaml', 'cass-sc-csi.yaml', 'cassandra-statefulset.yaml']) expect(existsSync(join(LIBRARY_DIR, 'manifests', m))).toBe(true);
  });

  it('lists the seed article’s five scenarios on profile 1.12, named after their files', () => {
    const names = scenarios.map((s) => s.name);
    // Every .yaml at the top of the folder parses (a broken file would be left out).
    expect(scenarios).toHaveLength(readdirSync(LIBRARY_DIR).filter((f) => f.endsWith('.yaml')).length);
    expect(names).toEqual([...names].sort());
    for (const name of ARTICLE) expect(scenarios.find((s) => s.name === name)).toMatchObject({ profile: '1.12', file: join(LIBRARY_DIR, `${name}.yaml`) });
    expect(Object.fromEntries(scenarios.filter((s) => !ARTICLE.includes(s.name)).map((s) => [s.name, s.profile]))).toEqual(VARIATIONS);
    expect(scenarios).toHaveLength(13);
    for (const s of scenarios) {
      expect(basename(s.file)).toBe(`${s.name}.yaml`);
      expect(s.title.length).toBeGreaterThan(0);
    }
  });

  it('finds a scenario by name, the default among them', () => {
    expect(DEFAULT_SCENARIO).toBe('statefulset-node-poweroff');
    expect(findLibraryScenario(DEFAULT_SCENARIO)).toBe(join(LIBRARY_DIR, 'statefulset-node-poweroff.yaml'));
    expect(findLibraryScenario('no-such-scenario')).toBeUndefined();
  });
});

describe.each(libraryScenarios().map((s) => [s.name, s.file] as const))('library scenario %s', (name, file) => {
  it('loads, runs and passes every expectation', () => {
    const result = runScenario(load(file)).runToEnd();
    const failed = result.expectations.filter((e) => !e.passed);
    const badSteps = result.steps.filter((s) => !s.ok).map((s) => `${s.at}s ${s.command}`);
    // On failure the message carries each failing expectation's detail.
    expect({ name: result.scenario, failed }).toEqual({ name, failed: [] });
    expect(result.passed).toBe(true);
    expect(result.expectations.length).toBeGreaterThan(0);
    // Only bosh cck may answer with an error (the recovery's first Reboot VM fails).
    expect(badSteps.filter((s) => !s.includes(' bosh '))).toEqual([]);
  });
});

describe('determinism', () => {
  it('gives byte-identical results for the same scenario and seed', () => {
    const loaded = load(findLibraryScenario('statefulset-node-delete')!);
    expect(JSON.stringify(runScenario(loaded).runToEnd())).toBe(JSON.stringify(runScenario(loaded).runToEnd()));
  });
});

describe('the README', () => {
  it('lists every library scenario with its profile and title', () => {
    const path = fileURLToPath(new URL('../../README.md', import.meta.url));
    const table = ['| scenario | profile | what it shows |', '|---|---|---|', ...libraryScenarios().map((s) => `| \`${s.name}\` | ${s.profile} | ${s.title} |`)].join('\n');
    const readme = readFileSync(path, 'utf8');
    const updated = readme.replace(/<!-- library:start -->[\s\S]*<!-- library:end -->/, `<!-- library:start -->\n${table}\n<!-- library:end -->`);
    if (process.env['UPDATE_README'] === '1') writeFileSync(path, updated);
    else expect(readme).toBe(updated);
  });
});
