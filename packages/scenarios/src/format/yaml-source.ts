// Safe YAML reading for scenario and resource files (eemeli/yaml 2.x): YAML 1.2 core
// schema, unique keys, few aliases, no tags, bounded size and depth, so a scenario file
// cannot expand into something huge or run code, and every node keeps its position.
import * as E from 'fp-ts/lib/Either.js';
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { ScenarioError } from './scenario-error.js';

/** Limits on what a scenario or resource file may be. */
export interface YamlLimits {
  /** Largest file, in bytes (UTF-8). */
  readonly maxBytes: number;
  /** Deepest nesting of maps and sequences. */
  readonly maxDepth: number;
  /** Most alias uses (`*anchor`) per document: yaml's guard against "billion laughs". */
  readonly maxAliasCount: number;
  /** Most documents in a multi-document file. */
  readonly maxDocuments: number;
}

/** A YAML value's type as errors name it, in the JSON Schema's words (`integer`, `array`, `null`…). */
export const yamlType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value);

/** Defaults: 1 MiB, 32 levels, 16 aliases, 256 documents — far above any real scenario. */
export const DEFAULT_YAML_LIMITS: YamlLimits = { maxBytes: 1 << 20, maxDepth: 32, maxAliasCount: 16, maxDocuments: 256 };

/** One parsed YAML document and how to find a position in it. */
export interface YamlSource {
  readonly file: string;
  readonly document: Document.Parsed;
  /** The document as plain JavaScript. */
  readonly value: unknown;
  /** Position of the node at `path` (of its key when `key`), or of the deepest existing ancestor. */
  readonly positionOf: (path: readonly (string | number)[], key?: boolean) => { line: number; column: number };
}

/** First line of yaml's message, without its " at line L, column C" part. */
const shortMessage = (message: string): string => (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');

/** Error at a character offset. */
const at = (file: string, lineCounter: LineCounter, offset: number, message: string): ScenarioError => {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col, path: '', message };
};

/**
 * Deepest `[`/`{` nesting outside quotes and comments, checked before parsing so a file of
 * 100 000 `[` cannot exhaust the parser's stack. Block nesting needs indentation, so the
 * size limit bounds it; it is checked on the parsed tree.
 */
const flowDepthError = (text: string, maxDepth: number): number | undefined => {
  let depth = 0;
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (comment) {
      if (c === '\n') comment = false;
    } else if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      const previous = text[i - 1] ?? ' ';
      if (/[\s[{,:]/.test(previous)) quote = c;
    } else if (c === '#' && /\s/.test(text[i - 1] ?? '\n')) comment = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth > maxDepth) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
};

/** Walks the tree: explicit tags are refused, depth is bounded. Returns the first offending node. */
const checkTree = (node: unknown, depth: number, limits: YamlLimits): { node: YamlNode; message: string } | undefined => {
  if (isPair(node)) return checkTree(node.key, depth, limits) ?? checkTree(node.value, depth, limits);
  if (!isScalar(node) && !isCollection(node) && !isAlias(node)) return undefined;
  if (node.tag !== undefined && !isAlias(node)) return { node, message: `YAML tags are not allowed (found "${node.tag}")` };
  if (isCollection(node)) {
    if (depth + 1 > limits.maxDepth) return { node, message: `nesting deeper than ${limits.maxDepth} levels` };
    for (const item of node.items) {
      const found = checkTree(item, depth + 1, limits);
      if (found !== undefined) return found;
    }
  }
  return undefined;
};

const positionFinder = (document: Document.Parsed, lineCounter: LineCounter) => (path: readonly (string | number)[], key = false): { line: number; column: number } => {
  let node: unknown = document.contents;
  let offset = document.contents?.range[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) break;
      const last = i === path.length - 1;
      const keyNode = pair.key as YamlNode;
      if (last && key) {
        offset = keyNode.range?.[0] ?? offset;
        break;
      }
      node = pair.value;
      offset = (pair.value as YamlNode | null)?.range?.[0] ?? keyNode.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = (node as YamlNode | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
};

/**
 * The documents of one text that passed the syntax, size, nesting and document-count
 * checks (not yet the tag and depth walk, which {@link yamlSources} does per document).
 */
export interface ParsedYaml {
  /** The non-empty documents, in file order. */
  readonly documents: readonly Document.Parsed[];
  readonly lineCounter: LineCounter;
}

/**
 * First half of {@link readYaml}: parses `text` and checks everything that concerns the
 * whole text. Left: every syntax error, or the first limit violation, with its position.
 */
export const parseYaml = (text: string, file: string, multi: boolean, limits: YamlLimits = DEFAULT_YAML_LIMITS): E.Either<ScenarioError[], ParsedYaml> => {
  const lineCounter = new LineCounter();
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return E.left([{ file, line: 1, column: 1, path: '', message: `file is ${bytes} bytes, more than the ${limits.maxBytes} allowed` }]);
  const deep = flowDepthError(text, limits.maxDepth);
  if (deep !== undefined) {
    // Count lines up to the offending bracket without parsing.
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    return E.left([{ file, line, column: deep - before.lastIndexOf('\n'), path: '', message: `nesting deeper than ${limits.maxDepth} levels` }]);
  }
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, schema: 'core', merge: false, strict: true, prettyErrors: false });
  if (!Array.isArray(documents)) return E.left([{ file, line: 1, column: 1, path: '', message: 'file is empty' }]);
  const errors = documents
    .flatMap((d) => [...d.errors, ...d.warnings])
    .map((e) => at(file, lineCounter, e.pos[0], e.code === 'TAG_RESOLVE_FAILED' ? `YAML tags are not allowed (found "${shortMessage(e.message).replace(/^Unresolved tag: /, '')}")` : shortMessage(e.message)));
  if (errors.length > 0) return E.left(errors);
  const nonEmpty = documents.filter((d) => d.contents !== null);
  if (nonEmpty.length === 0) return E.left([{ file, line: 1, column: 1, path: '', message: 'file is empty' }]);
  if (!multi && documents.length > 1) {
    const second = documents[1]?.range[0] ?? 0;
    return E.left([at(file, lineCounter, second, 'a scenario is one YAML document; found more')]);
  }
  if (nonEmpty.length > limits.maxDocuments) return E.left([{ file, line: 1, column: 1, path: '', message: `more than ${limits.maxDocuments} documents` }]);
  return E.right({ documents: nonEmpty, lineCounter });
};

/**
 * Second half of {@link readYaml}: each document, in order, walked for tags and depth
 * (unless `checked`: a {@link ParsedYaml} that already passed the walk under the same
 * limits) and converted to fresh JavaScript values. Left: the first violation.
 */
export const yamlSources = (parsed: ParsedYaml, file: string, limits: YamlLimits = DEFAULT_YAML_LIMITS, checked = false): E.Either<ScenarioError[], YamlSource[]> => {
  const { lineCounter } = parsed;
  const sources: YamlSource[] = [];
  for (const document of parsed.documents) {
    const bad = checked ? undefined : checkTree(document.contents, 0, limits);
    if (bad !== undefined) return E.left([at(file, lineCounter, bad.node.range?.[0] ?? 0, bad.message)]);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      return E.left([at(file, lineCounter, document.range[0], shortMessage(e instanceof Error ? e.message : String(e)))]);
    }
    sources.push(sourceOf(file, document, value, lineCounter));
  }
  return E.right(sources);
};

/**
 * The documents of `parsed` (which passed {@link yamlSources} under the same limits) with
 * the given values, one per document: how a cache hands out fresh copies of values it
 * converted once.
 */
export const yamlSourcesWithValues = (parsed: ParsedYaml, file: string, values: readonly unknown[]): YamlSource[] =>
  parsed.documents.map((document, i) => sourceOf(file, document, values[i], parsed.lineCounter));

/** The source of one document of `file` with its value. */
const sourceOf = (file: string, document: Document.Parsed, value: unknown, lineCounter: LineCounter): YamlSource => ({
  file,
  document,
  value,
  positionOf: positionFinder(document, lineCounter),
});

/**
 * Parses `text` into YAML documents (exactly one unless `multi`), enforcing `limits`.
 * Left: every syntax error, or the first limit or tag violation, each with its position.
 */
export const readYaml = (text: string, file: string, multi: boolean, limits: YamlLimits = DEFAULT_YAML_LIMITS): E.Either<ScenarioError[], YamlSource[]> => {
  const parsed = parseYaml(text, file, multi, limits);
  return E.isLeft(parsed) ? parsed : yamlSources(parsed.right, file, limits);
};
