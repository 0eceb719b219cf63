// NAME|FILE: which scenario file a command argument means. An argument that names an
// existing file, or looks like a path (a slash, or a .yaml/.yml ending), is a file;
// anything else is a name in the library. Results are plain tagged unions rather than
// fp-ts Eithers: the app does not depend on fp-ts, and nothing here composes them.
import { formatScenarioError, loadScenario, type LoadedScenario } from '@failsim/scenarios';
import { existsSync } from 'node:fs';
import type { Io } from './io.js';
import { findLibraryScenario } from './library.js';

const LOOKS_LIKE_PATH = /[/\\]|\.ya?ml$/i;

/** A scenario file path, or the one-line reason there is none. */
export type SourceResult = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly error: string };

/**
 * The scenario file `arg` designates, or the one-line reason it designates none.
 * @example scenarioFile('statefulset-node-poweroff') // { ok: true, file: '/…/statefulset-node-poweroff.yaml' }
 */
export const scenarioFile = (arg: string, find: (name: string) => string | undefined = findLibraryScenario): SourceResult => {
  if (arg.trim() === '') return { ok: false, error: 'error: empty scenario name' };
  if (existsSync(arg) || LOOKS_LIKE_PATH.test(arg)) return { ok: true, file: arg };
  const file = find(arg);
  return file === undefined ? { ok: false, error: `error: unknown scenario "${arg}" (failsim list shows the library, or give a file path)` } : { ok: true, file };
};

/**
 * The scenario `arg` designates, loaded; or undefined after printing every reason it
 * cannot be (one line each on stderr) — the caller then exits with the usage code.
 */
export const loadScenarioArgument = (io: Io, arg: string): LoadedScenario | undefined => {
  const source = scenarioFile(arg);
  if (!source.ok) {
    io.err(`${source.error}\n`);
    return undefined;
  }
  const loaded = loadScenario(source.file);
  if (loaded._tag === 'Left') {
    for (const error of loaded.left) io.err(`${formatScenarioError(error)}\n`);
    return undefined;
  }
  return loaded.right;
};
