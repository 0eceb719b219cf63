// The command line every benchmark here reads: `--json`, and `--name value` flags.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @param {string[]} args process.argv.slice(2) @returns {{ json: boolean, flag: (name: string, fallback: string) => string }} */
export const benchArgs = (args = process.argv.slice(2)) => ({
  json: args.includes('--json'),
  flag: (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
  },
});
