// Keeps the package README's table of the article's observations true: the five article
// scenarios run, every listed expectation passes, and the README holds exactly the table
// the runs give. UPDATE_README=1 rewrites the table instead of comparing.
import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../format/load-scenario.js';
import { runScenario, type ScenarioResult } from '../runner/runner.js';
import { ARTICLE_OBSERVATIONS, observationTable } from './article-observations.js';
import { findLibraryScenario } from './library.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const START = '<!-- article-observations:start -->';
const END = '<!-- article-observations:end -->';

describe('the article\'s observations', () => {
  const results = new Map<string, ScenarioResult>();
  for (const name of new Set(ARTICLE_OBSERVATIONS.map((o) => o.scenario))) {
    const loaded = loadScenario(findLibraryScenario(name)!);
    if (E.isLeft(loaded)) throw new Error(JSON.stringify(loaded.left));
    results.set(name, runScenario(loaded.right).runToEnd());
  }

  it('are each reproduced inside the reference window', () => {
    const failed = ARTICLE_OBSERVATIONS.filter((o) => !results.get(o.scenario)!.expectations[o.expectation]!.passed);
    expect(failed).toEqual([]);
  });

  it('are tabled in the README as the runs give them', () => {
    const table = observationTable(results);
    const readme = readFileSync(README, 'utf8');
    const [before, rest] = readme.split(START);
    const after = rest?.split(END)[1];
    if (before === undefined || after === undefined) throw new Error(`README.md has no ${START} … ${END} section`);
    const updated = `${before}${START}\n${table}\n${END}${after}`;
    if (process.env['UPDATE_README'] === '1') writeFileSync(README, updated);
    else expect(readme).toBe(updated);
  });
});
