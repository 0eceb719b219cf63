// Golden transcripts (STYLE.md, after kwok's testdata): every scenario of the library is
// run and its transcript (output/transcript.ts with the snapshots of output/capture.ts)
// compared byte for byte with src/golden/<scenario>.transcript.txt, checked in so a
// change of behaviour shows up as a diff in review. A missing or stale file fails; only
// `npm run golden:update` (UPDATE_GOLDEN=1) writes them. Runs are deterministic: virtual
// time from a fixed epoch, seeded randomness, no wall clock.
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '@failsim/scenarios';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libraryScenarios } from '../library.js';
import { captureRun } from '../output/capture.js';
import { transcript } from '../output/transcript.js';
import { goldenDiff } from './golden-diff.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const SUFFIX = '.transcript.txt';
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const HINT = 'run `npm run golden:update` to accept';
const scenarios = libraryScenarios();

const render = (file: string): string => {
  const loaded = loadScenario(file);
  if (loaded._tag === 'Left') throw new Error(`${file} does not load: ${loaded.left.map((e) => e.message).join('; ')}`);
  const { result, snapshots } = captureRun(loaded.right);
  return transcript(result, snapshots);
};

describe('golden transcripts', () => {
  it('has scenarios to check', () => {
    expect(scenarios.length).toBeGreaterThan(0);
  });

  it.each(scenarios.map((s) => [s.name, s.file] as const))('%s', (name, file) => {
    const path = join(DIR, `${name}${SUFFIX}`);
    const actual = render(file);
    if (UPDATE) {
      writeFileSync(path, actual);
      return;
    }
    if (!existsSync(path)) throw new Error(`no golden transcript ${name}${SUFFIX}; ${HINT}`);
    const expected = readFileSync(path, 'utf8');
    if (actual !== expected) throw new Error(`${name}: the transcript differs from ${name}${SUFFIX}\n${goldenDiff(expected, actual)}\n${HINT}`);
  }, 120_000);

  it('keeps no golden file without a scenario', () => {
    const names = new Set(scenarios.map((s) => s.name));
    const stale = readdirSync(DIR).filter((f) => f.endsWith(SUFFIX) && !names.has(f.slice(0, -SUFFIX.length)));
    if (UPDATE) for (const f of stale) rmSync(join(DIR, f));
    else expect(stale).toEqual([]);
  });
});
