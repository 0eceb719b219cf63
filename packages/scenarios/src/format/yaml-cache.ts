// A bounded cache of parsed YAML texts for the scenario loader. Parsing is most of what
// loading a scenario costs (eemeli/yaml 2.x builds a CST, then a Document of nodes: ~3 ms
// for a library scenario and its manifest files, the rest of a load is ~0.5 ms), and the
// same texts are parsed again and again in one process: `libraryScenarios()` parses every
// library file to list them, `failsim compare` and the benchmarks load one scenario per
// run, the dashboard reloads, a step's `kubectl apply -f` reads its file each run. Only the
// parsed Documents of texts that passed every check are kept; each read still converts
// them to fresh JavaScript values (Document.toJS), so callers get objects nobody else
// holds, exactly as an uncached read gives them, and errors are never cached (they name
// the file, and are cheap to find again).
import * as E from 'fp-ts/lib/Either.js';
import type { ScenarioError } from './scenario-error.js';
import { DEFAULT_YAML_LIMITS, parseYaml, readYaml, yamlSources, type ParsedYaml, type YamlLimits, type YamlSource } from './yaml-source.js';

/** Bounds of a {@link YamlCache}. */
export interface YamlCacheOptions {
  /** Largest text kept, in characters; larger ones are parsed every time. */
  readonly maxTextChars: number;
  /** Most characters of text kept in all (the Documents take some tens of times more). */
  readonly maxTotalChars: number;
}

/** Defaults: texts up to 64 Ki characters (a scenario is ~4 Ki), 1 Mi in all. */
export const DEFAULT_YAML_CACHE_OPTIONS: YamlCacheOptions = { maxTextChars: 64 * 1024, maxTotalChars: 1024 * 1024 };

/**
 * Parsed YAML texts by (text, one or many documents, limits), least recently used evicted
 * first. {@link YamlCache.read} answers as {@link readYaml} does for the same arguments.
 * @example
 * const cache = new YamlCache();
 * cache.read(text, 'a.yaml', false); // parses
 * cache.read(text, 'b.yaml', false); // same text: no parse; positions the same, file 'b.yaml'
 */
export class YamlCache {
  readonly #options: YamlCacheOptions;
  /** Map order is recency: a hit is moved to the end, eviction takes from the front. */
  readonly #entries = new Map<string, { readonly parsed: ParsedYaml; readonly chars: number }>();
  #chars = 0;
  #hits = 0;

  constructor(options: Partial<YamlCacheOptions> = {}) {
    this.#options = { ...DEFAULT_YAML_CACHE_OPTIONS, ...options };
  }

  /** Texts kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Reads answered without parsing, since this cache was made. */
  get hits(): number {
    return this.#hits;
  }

  /** As {@link readYaml}: `text`'s documents with fresh values, or every error with its position. */
  read(text: string, file: string, multi: boolean, limits: YamlLimits = DEFAULT_YAML_LIMITS): E.Either<ScenarioError[], YamlSource[]> {
    if (text.length > this.#options.maxTextChars) return readYaml(text, file, multi, limits);
    // The limits decide whether a text passes, so a text that passed under some limits is
    // not known to pass under others: they are part of the key.
    const key = `${multi ? 'm' : 's'}${limits.maxBytes},${limits.maxDepth},${limits.maxAliasCount},${limits.maxDocuments}\n${text}`;
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#hits++;
      // The walk for tags and depth passed when the entry was made, under the same limits.
      return yamlSources(entry.parsed, file, limits, true);
    }
    const parsed = parseYaml(text, file, multi, limits);
    if (E.isLeft(parsed)) return parsed;
    const sources = yamlSources(parsed.right, file, limits);
    if (E.isRight(sources)) this.#keep(key, parsed.right, text.length);
    return sources;
  }

  /** Empties the cache. */
  clear(): void {
    this.#entries.clear();
    this.#chars = 0;
  }

  #keep(key: string, parsed: ParsedYaml, chars: number): void {
    this.#entries.set(key, { parsed, chars });
    this.#chars += chars;
    for (const [oldest, entry] of this.#entries) {
      if (this.#chars <= this.#options.maxTotalChars) break;
      this.#entries.delete(oldest);
      this.#chars -= entry.chars;
    }
  }
}

/** The process's cache, shared by parseScenario, loadScenario and the runner's `kubectl apply -f`. */
export const sharedYamlCache: YamlCache = new YamlCache();
