// Whether a change made the library faster (issue 8): this tree's @failsim/scenarios and
// another tree's (another commit, built: see tools/bench/worktree-at.sh) loaded in one
// process and timed in alternating rounds, so both see the same host. Whole runs move
// by a few per cent at most while the host's speed swings by a quarter within the hour:
// only runs side by side tell them apart. Each round times every library scenario
// `--runs` times in each tree (the tree that goes first alternates) and sums the medians;
// prints each round's sums and the median of the rounds. Figures only: nothing asserts.
// Run: node tools/bench/library-ab.js OTHER_TREE [--rounds N] [--runs N] [--warm N] [--json]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as here from '@failsim/scenarios';
import { median, timedRun } from './library-timing.js';

const args = process.argv.slice(2);
const valueOf = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const rounds = valueOf('--rounds', 6);
const runs = valueOf('--runs', 5);
const warm = valueOf('--warm', 3);
const json = args.includes('--json');
const other = args.find((a, i) => !a.startsWith('--') && !['--rounds', '--runs', '--warm'].includes(args[i - 1]));
const otherEntry = other === undefined ? undefined : join(resolve(other), 'packages', 'scenarios', 'dist', 'index.js');
if (otherEntry === undefined || !existsSync(otherEntry)) {
  console.error(`error: give the root of another built tree (${otherEntry ?? 'none given'} is missing; tools/bench/worktree-at.sh makes one)`);
  process.exit(2);
}
if (![rounds, runs].every((n) => Number.isInteger(n) && n >= 1) || !Number.isInteger(warm) || warm < 0) {
  console.error('error: --rounds and --runs take integers >= 1, --warm an integer >= 0');
  process.exit(2);
}

const trees = [
  { label: 'this', scenarios: here },
  { label: 'other', scenarios: await import(pathToFileURL(otherEntry).href) },
];

/** Each tree runs its own copy of the library (its YAML, its manifests). */
const sumOfMedians = ({ scenarios }) => {
  let sum = 0;
  for (const { file } of scenarios.libraryScenarios()) sum += median(Array.from({ length: runs }, () => timedRun(file, scenarios).wallMs));
  return sum;
};

for (let pass = 0; pass < warm; pass++) for (const tree of trees) for (const { file } of tree.scenarios.libraryScenarios()) timedRun(file, tree.scenarios);
const sums = { this: [], other: [] };
for (let round = 0; round < rounds; round++) {
  for (const tree of round % 2 === 0 ? trees : [...trees].reverse()) sums[tree.label].push(sumOfMedians(tree));
  if (!json) console.log(`round ${round + 1}: this ${sums.this.at(-1).toFixed(1)} ms, other ${sums.other.at(-1).toFixed(1)} ms`);
}
const result = { other: resolve(other), rounds, runs, warm, thisMs: sums.this, otherMs: sums.other, thisMedianMs: median(sums.this), otherMedianMs: median(sums.other) };
if (json) console.log(JSON.stringify(result));
else console.log(`library, sum of ${runs}-run medians: this tree ${result.thisMedianMs.toFixed(1)} ms, other tree ${result.otherMedianMs.toFixed(1)} ms (median of ${rounds} rounds)`);
