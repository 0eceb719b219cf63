import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { parseYaml, readYaml, yamlSources, yamlType } from './yaml-source.js';

const messages = (r: E.Either<{ message: string; line: number; column: number }[], unknown>): string[] =>
  E.isLeft(r) ? r.left.map((e) => `${e.line}:${e.column} ${e.message}`) : ['(parsed)'];

describe('readYaml', () => {
  it('gives each document\'s value and the position of a path (of its key on request)', () => {
    const r = readYaml('a:\n  b: [1, 2]\n---\nc: x\n', 'f.yaml', true);
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
    expect(r.right.map((s) => s.value)).toEqual([{ a: { b: [1, 2] } }, { c: 'x' }]);
    expect(r.right[0]?.positionOf(['a', 'b', 1])).toEqual({ line: 2, column: 10 });
    expect(r.right[0]?.positionOf(['a', 'b'], true)).toEqual({ line: 2, column: 3 });
    // A path that goes nowhere stops at its deepest existing ancestor.
    expect(r.right[1]?.positionOf(['c', 'd'])).toEqual({ line: 4, column: 4 });
  });

  it('refuses tags, deep nesting, a second document where one is wanted, and empty files', () => {
    expect(messages(readYaml('a: !!str 1\n', 'f', false))).toEqual(['1:10 YAML tags are not allowed (found "tag:yaml.org,2002:str")']);
    expect(messages(readYaml('a: [[[1]]]\n', 'f', false, { maxBytes: 1000, maxDepth: 2, maxAliasCount: 1, maxDocuments: 1 }))).toEqual(['1:6 nesting deeper than 2 levels']);
    expect(messages(readYaml('a: 1\n---\nb: 2\n', 'f', false))).toEqual(['2:1 a scenario is one YAML document; found more']);
    expect(messages(readYaml('# nothing\n', 'f', false))).toEqual(['1:1 file is empty']);
  });
});

describe('parseYaml and yamlSources', () => {
  it('are readYaml in two halves: the whole-text checks, then the per-document walk and values', () => {
    const text = 'x: 1\n---\ny: !!str 2\n';
    const parsed = parseYaml(text, 'f', true);
    if (E.isLeft(parsed)) throw new Error(JSON.stringify(parsed.left));
    expect(parsed.right.documents).toHaveLength(2);
    expect(messages(yamlSources(parsed.right, 'f'))).toEqual(messages(readYaml(text, 'f', true)));
    // `checked`: the walk is skipped (for documents that already passed it).
    const skipped = yamlSources(parsed.right, 'f', undefined, true);
    expect(E.isRight(skipped)).toBe(true);
  });
});

describe('yamlType', () => {
  it('names values in the JSON Schema\'s words', () => {
    expect([null, [], 1, 1.5, 'a', true, {}].map(yamlType)).toEqual(['null', 'array', 'integer', 'number', 'string', 'boolean', 'object']);
  });
});
