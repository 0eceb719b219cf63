// The scenario library: the YAML scenarios shipped in packages/scenarios/library/ (the seed
// article's five on Kubernetes 1.12 with the vSphere Cloud Provider, and variations on
// later profiles), with their shared manifests in library/manifests/. This module finds
// the folder from its own URL, so it works from src/ under Jest and from dist/ once built:
// both sit one level below the package root (src/library/, dist/library/).
import * as E from 'fp-ts/lib/Either.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../format/parse-scenario.js';

/** Absolute path of the library folder (`packages/scenarios/library`). */
export const LIBRARY_DIR: string = fileURLToPath(new URL('../../library/', import.meta.url)).replace(/[\\/]$/, '');

/** The scenario the CLI and the docs run when none is named: the article's power-off. */
export const DEFAULT_SCENARIO = 'statefulset-node-poweroff';

/** One library scenario, from its file's metadata. */
export interface LibraryScenario {
  /** `metadata.name`, also the file's base name. */
  readonly name: string;
  /** `metadata.title`. */
  readonly title: string;
  /** The version profile it runs on (`"1.12"`, `"1.28"`, …). */
  readonly profile: string;
  /** Absolute path of the scenario file. */
  readonly file: string;
}

const scenarioFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(dir, entry.name))
    .sort();

/**
 * Lists the library's scenarios, sorted by name. A file that does not parse is left out
 * (the library's spec loads every file, so none ships broken). `dir` defaults to this
 * package's library folder; a bundle that moved this code elsewhere passes the folder.
 */
export const libraryScenarios = (dir: string = LIBRARY_DIR): LibraryScenario[] =>
  scenarioFiles(dir)
    .flatMap((file) => {
      const parsed = parseScenario(readFileSync(file, 'utf8'), { file });
      if (E.isLeft(parsed)) return [];
      const { metadata, profile } = parsed.right;
      return [{ name: metadata.name, title: metadata.title, profile: profile.name, file }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));

/** Path of the library scenario called `name` (in `dir`, default the package's), or undefined. */
export const findLibraryScenario = (name: string, dir: string = LIBRARY_DIR): string | undefined =>
  libraryScenarios(dir).find((s) => s.name === name)?.file;
