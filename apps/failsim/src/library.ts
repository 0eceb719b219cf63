// The scenario library as the CLI sees it: the YAML files of packages/scenarios/library/
// (packages/scenarios/src/library/library.ts). That module finds its folder from its own
// import.meta.url, which inside this esbuild bundle is dist/cli.js of the app, so the CLI
// finds the folder itself, through the installed package's package.json, and reads the
// same files with the package's own reader.
import { libraryScenarios as listLibrary, type LibraryScenario } from '@failsim/scenarios';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One scenario of the library, as `failsim list` prints it. */
export type LibraryEntry = LibraryScenario;

/** `packages/scenarios/library`, found from the package's own package.json. */
export const libraryDir = (): string => join(dirname(createRequire(import.meta.url).resolve('@failsim/scenarios/package.json')), 'library');

/** Every scenario of the library, sorted by name; empty without a library folder. */
export const libraryScenarios = (dir: string = libraryDir()): readonly LibraryEntry[] => (existsSync(dir) ? listLibrary(dir) : []);

/** The path of the library scenario `name`, if there is one. */
export const findLibraryScenario = (name: string): string | undefined => libraryScenarios().find((s) => s.name === name)?.file;
