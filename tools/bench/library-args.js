// The command line of the tools that time library scenarios one by one (library-owners.js,
// library-phases.js): scenario names (default: the whole library), `--warm N` passes over
// the library first, `--runs N` runs of each chosen scenario, `--json`. A bad count or an
// unknown name prints an error and exits with status 2.
import { libraryScenarios } from '@failsim/scenarios';

/**
 * @param {string[]} args process.argv.slice(2)
 * @param {{ warm: number, runs: number }} defaults
 * @returns {{ warm: number, runs: number, json: boolean, library: { name: string, file: string }[], chosen: { name: string, file: string }[] }}
 */
export const libraryArgs = (args, defaults) => {
  const flag = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const warm = flag('--warm', defaults.warm);
  const runs = flag('--runs', defaults.runs);
  if (!Number.isInteger(warm) || warm < 0 || !Number.isInteger(runs) || runs < 1) {
    console.error('error: --warm takes an integer >= 0 and --runs an integer >= 1');
    process.exit(2);
  }
  const names = args.filter((a, i) => !a.startsWith('--') && !['--warm', '--runs'].includes(args[i - 1]));
  const library = libraryScenarios();
  const unknown = names.filter((n) => !library.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(`error: no library scenario ${unknown.join(', ')} (there are: ${library.map((s) => s.name).join(', ')})`);
    process.exit(2);
  }
  const chosen = names.length > 0 ? library.filter((s) => names.includes(s.name)) : library;
  return { warm, runs, json: args.includes('--json'), library, chosen };
};
