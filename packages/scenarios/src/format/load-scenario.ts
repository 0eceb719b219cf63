// loadScenario: read a scenario file and the resource files it names from disk. Resource
// paths stay inside the scenario's folder: absolute paths and `..` are refused by the
// parser, and here the real path (symlinks followed) must still be under the folder.
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { manifestProblems } from './manifest-check.js';
import { parseScenario, storageMismatch, undeclaredDatastore, type ParseScenarioOptions } from './parse-scenario.js';
import type { Manifest, Scenario, SourcePosition } from './scenario.js';
import { formatPath, type ScenarioError } from './scenario-error.js';
import { sharedYamlCache } from './yaml-cache.js';
import { DEFAULT_YAML_LIMITS, type YamlSource } from './yaml-source.js';

/** A manifest and where it was written. */
export interface LoadedManifest {
  readonly manifest: Manifest;
  readonly position: SourcePosition;
}

/** A scenario with every resource loaded, in file order. */
export interface LoadedScenario extends Scenario {
  readonly manifests: readonly LoadedManifest[];
}

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const readText = (path: string, maxBytes: number): E.Either<string, string> => {
  try {
    const size = statSync(path).size;
    if (size > maxBytes) return E.left(`file is ${size} bytes, more than the ${maxBytes} allowed`);
    return E.right(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return E.left(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot read (${String(code)})`);
  }
};

/**
 * Reads the scenario at `path` and its resource files. Errors name files as `path` was
 * given (resource files relative to it).
 */
export const loadScenario = (path: string, options: Omit<ParseScenarioOptions, 'file'> = {}): E.Either<ScenarioError[], LoadedScenario> => {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const text = readText(path, limits.maxBytes);
  if (E.isLeft(text)) return E.left([{ file: path, line: 1, column: 1, path: '', message: text.left }]);
  const parsed = parseScenario(text.right, { file: path, limits });
  if (E.isLeft(parsed)) return parsed;
  const scenario = parsed.right;
  // The native realpath: one realpath(3) call, where the JS one lstats every component of the path.
  const folder = realpathSync.native(dirname(resolve(path)));
  const errors: ScenarioError[] = [];
  const manifests: LoadedManifest[] = [];
  /** The YAML documents of `relativePath` in the scenario's folder, with the file's name as errors give it. */
  const readDocuments = (relativePath: string): E.Either<string | ScenarioError[], { file: string; documents: YamlSource[] }> => {
    let real: string;
    try {
      real = realpathSync.native(resolve(folder, relativePath));
    } catch {
      return E.left(`no file "${relativePath}" in the scenario's folder`);
    }
    const inside = relative(folder, real);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || resolve(folder, inside) !== real)
      return E.left(`path "${relativePath}" leads outside the scenario's folder (symlink)`);
    const file = `${dirname(path)}/${relativePath}`;
    const content = readText(real, limits.maxBytes);
    if (E.isLeft(content)) return content;
    const documents = sharedYamlCache.read(content.right, file, true, limits);
    return E.isLeft(documents) ? documents : E.right({ file, documents: documents.right });
  };
  /** Reports a problem at `p` in document `d` of a file (its index leads the path when the file has several). */
  const reportIn = (file: string, documents: readonly YamlSource[], d: number) => (p: readonly (string | number)[], message: string): void =>
    void errors.push({ file, ...documents[d]!.positionOf([...p]), path: formatPath([...(documents.length > 1 ? [d] : []), ...p]), message });
  scenario.resources.forEach((entry, i) => {
    if (entry.source === 'inline') {
      manifests.push({ manifest: entry.manifest, position: entry.position });
      return;
    }
    const read = readDocuments(entry.path);
    if (E.isLeft(read)) {
      if (typeof read.left === 'string') errors.push({ ...entry.position, path: `resources[${i}].file`, message: read.left });
      else errors.push(...read.left);
      return;
    }
    const { file, documents } = read.right;
    documents.forEach((source, d) => {
      const value = source.value as Record<string, unknown>;
      const bad = reportIn(file, documents, d);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad([], 'a manifest is a mapping with apiVersion, kind and metadata');
      const metadata = value['metadata'] as Record<string, unknown> | undefined;
      if (typeof value['apiVersion'] !== 'string') return bad([], 'missing required field "apiVersion"');
      if (typeof value['kind'] !== 'string') return bad([], 'missing required field "kind"');
      if (typeof metadata !== 'object' || metadata === null) return bad([], 'missing required field "metadata"');
      if (typeof metadata['name'] !== 'string') return bad(['metadata'], 'missing required field "name"');
      if (!NAME.test(metadata['name'])) return bad(['metadata', 'name'], `invalid name "${metadata['name']}" (lowercase RFC 1123 subdomain)`);
      const problems = manifestProblems(value);
      for (const p of problems) bad(p.path, p.message);
      if (problems.length > 0) return;
      const mismatch = storageMismatch(scenario.storage, value);
      if (mismatch !== undefined) return bad(['provisioner'], mismatch);
      const datastore = undeclaredDatastore(scenario.cluster, value);
      if (datastore !== undefined) return bad(datastore.path, datastore.message);
      manifests.push({ manifest: value as unknown as Manifest, position: { file, ...source.positionOf([]) } });
    });
  });
  // A file a step applies is read when the step runs, as kubectl reads it (a missing or
  // invalid one fails the step then). A StorageClass in it on a datastore the scenario does
  // not have is the scenario's own mistake, though, and every claim of it would fail to the
  // end of the run: found now, as in a resource file.
  for (const step of scenario.steps) {
    if (step.command.tool !== 'kubectl' || step.command.verb !== 'apply') continue;
    const read = readDocuments(step.command.file);
    if (E.isLeft(read)) continue;
    const { file, documents } = read.right;
    documents.forEach((source, d) => {
      const value = source.value;
      if (typeof value !== 'object' || value === null) return;
      const problem = undeclaredDatastore(scenario.cluster, value as Parameters<typeof undeclaredDatastore>[1]);
      if (problem !== undefined) reportIn(file, documents, d)(problem.path, problem.message);
    });
  }
  // Object.assign, not `{ ...scenario, manifests }`: a property added after a leading
  // spread takes V8's slow path (microseconds per load); same keys, same order.
  return errors.length > 0 ? E.left(errors) : E.right(Object.assign({}, scenario, { manifests }));
};
