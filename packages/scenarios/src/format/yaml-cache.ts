// A bounded cache of parsed YAML texts for the scenario loader. Parsing is most of what
// loading a scenario costs (eemeli/yaml 2.x builds a CST, then a Document of nodes: ~3 ms
// for a library scenario and its manifest files, the rest of a load is ~0.5 ms), and the
// same texts are parsed again and again in one process: `libraryScenarios()` parses every
// library file to list them, `failsim compare` and the benchmarks load one scenario per
// run, the dashboard reloads, a step's `kubectl apply -f` reads its file each run. Only
// texts that passed every check are kept, with their parsed Documents (for positions) and
// the values Document.toJS gave, which nobody is handed: each read gets deep copies of them
// (plain-copy.ts, a fraction of a second toJS; a value in which an alias shares an object
// is converted again instead), so callers get objects nobody else holds, exactly as an
// uncached read gives them. Errors are never cached (they name the file, and are cheap to
// find again).
import * as E from 'fp-ts/lib/Either.js';
import { isTree, plainCopy } from './plain-copy.js';
import type { ScenarioError } from './scenario-error.js';
import { DEFAULT_YAML_LIMITS, parseYaml, readYaml, yamlSources, yamlSourcesWithValues, type ParsedYaml, type YamlLimits, type YamlSource } from './yaml-source.js';

/** One way a text was read (one or many documents, under some limits), and what it gave. */
interface Kept {
  readonly parsed: ParsedYaml;
  /** The documents' values as toJS gave them, never handed out; undefined when an alias shares an object (copies would not). */
  readonly values: readonly unknown[] | undefined;
}

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
  /**
   * By text (the text itself is the key: a key made of it and the read's options was a new
   * string to flatten and hash on every read), then by {@link variantOf}. Map order is
   * recency: a hit is moved to the end, eviction takes from the front.
   */
  readonly #entries = new Map<string, Map<string, Kept>>();
  #chars = 0;
  #hits = 0;

  constructor(options: Partial<YamlCacheOptions> = {}) {
    this.#options = { ...DEFAULT_YAML_CACHE_OPTIONS, ...options };
  }

  /** Texts kept now, once per way they were read. */
  get size(): number {
    let size = 0;
    for (const variants of this.#entries.values()) size += variants.size;
    return size;
  }

  /** Reads answered without parsing, since this cache was made. */
  get hits(): number {
    return this.#hits;
  }

  /** As {@link readYaml}: `text`'s documents with fresh values, or every error with its position. */
  read(text: string, file: string, multi: boolean, limits: YamlLimits = DEFAULT_YAML_LIMITS): E.Either<ScenarioError[], YamlSource[]> {
    if (text.length > this.#options.maxTextChars) return readYaml(text, file, multi, limits);
    const variant = variantOf(multi, limits);
    const variants = this.#entries.get(text);
    const kept = variants?.get(variant);
    if (variants !== undefined && kept !== undefined) {
      this.#entries.delete(text);
      this.#entries.set(text, variants);
      this.#hits++;
      // The walk for tags and depth passed when the entry was made, under the same limits.
      return kept.values === undefined ? yamlSources(kept.parsed, file, limits, true) : E.right(yamlSourcesWithValues(kept.parsed, file, kept.values.map(plainCopy)));
    }
    const parsed = parseYaml(text, file, multi, limits);
    if (E.isLeft(parsed)) return parsed;
    const sources = yamlSources(parsed.right, file, limits);
    if (E.isLeft(sources)) return sources;
    const values = sources.right.map((s) => s.value);
    // The values just converted become the kept ones; the caller gets copies.
    const tree = values.every((v) => isTree(v));
    this.#keep(text, variants, variant, { parsed: parsed.right, values: tree ? values : undefined });
    return tree ? E.right(yamlSourcesWithValues(parsed.right, file, values.map(plainCopy))) : sources;
  }

  /** Empties the cache. */
  clear(): void {
    this.#entries.clear();
    this.#chars = 0;
  }

  #keep(text: string, variants: Map<string, Kept> | undefined, variant: string, kept: Kept): void {
    if (variants === undefined) {
      this.#entries.set(text, new Map([[variant, kept]]));
      this.#chars += text.length;
    } else {
      variants.set(variant, kept);
      this.#entries.delete(text);
      this.#entries.set(text, variants);
    }
    for (const oldest of this.#entries.keys()) {
      if (this.#chars <= this.#options.maxTotalChars) break;
      this.#entries.delete(oldest);
      this.#chars -= oldest.length;
    }
  }
}

/** The part of a read's arguments that decides whether a text passes: the limits, one or many documents. */
const variantOf = (multi: boolean, limits: YamlLimits): string => `${multi ? 'm' : 's'}${limits.maxBytes},${limits.maxDepth},${limits.maxAliasCount},${limits.maxDocuments}`;

/** The process's cache, shared by parseScenario, loadScenario and the runner's `kubectl apply -f`. */
export const sharedYamlCache: YamlCache = new YamlCache();
