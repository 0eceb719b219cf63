import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { YamlCache } from './yaml-cache.js';
import { DEFAULT_YAML_LIMITS, readYaml, type YamlSource } from './yaml-source.js';

const library = (name: string): string => fileURLToPath(new URL(`../../library/${name}`, import.meta.url));
const manifests = readFileSync(library('manifests/cassandra-statefulset.yaml'), 'utf8');

const sources = (result: E.Either<unknown, YamlSource[]>): YamlSource[] => {
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

describe('YamlCache', () => {
  it('answers a second read of a text without parsing, with values and positions equal to an uncached read', () => {
    const cache = new YamlCache();
    const first = sources(cache.read(manifests, 'a.yaml', true));
    const second = sources(cache.read(manifests, 'b.yaml', true));
    const plain = sources(readYaml(manifests, 'b.yaml', true));
    expect(cache.hits).toBe(1);
    expect(second.map((s) => s.value)).toEqual(plain.map((s) => s.value));
    expect(second.map((s) => s.file)).toEqual(['b.yaml']);
    expect(second[0]?.positionOf(['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual(plain[0]?.positionOf(['spec', 'template', 'spec', 'containers', 0, 'image']));
    expect(second[0]?.positionOf(['spec', 'replicas'], true)).toEqual({ line: 12, column: 3 });
    // Fresh values on every read: what one caller changes, the next does not see.
    expect(second[0]?.value).not.toBe(first[0]?.value);
    (second[0]?.value as { kind: string }).kind = 'Changed';
    expect((sources(cache.read(manifests, 'c.yaml', true))[0]?.value as { kind: string }).kind).toBe('StatefulSet');
  });

  it('hands out copies on the first read too: what its caller changes, the cache does not keep', () => {
    const cache = new YamlCache();
    const first = sources(cache.read(manifests, 'a.yaml', true));
    (first[0]?.value as { spec: { replicas: number } }).spec.replicas = 99;
    const again = sources(cache.read(manifests, 'a.yaml', true));
    expect(cache.hits).toBe(1);
    expect(again.map((s) => s.value)).toEqual(sources(readYaml(manifests, 'a.yaml', true)).map((s) => s.value));
  });

  it('keeps aliases shared inside one value, as Document.toJS gives them', () => {
    const cache = new YamlCache();
    const text = 'a: &x { k: 1 }\nb: *x\n';
    cache.read(text, 'x.yaml', false);
    const value = sources(cache.read(text, 'x.yaml', false))[0]?.value as { a: unknown; b: unknown };
    expect(cache.hits).toBe(1);
    expect(value.b).toBe(value.a);
  });

  it('never caches errors, and reports them with the file of each read', () => {
    const cache = new YamlCache();
    const text = 'a: 1\na: 2\n';
    const errors = (file: string): unknown => {
      const r = cache.read(text, file, false);
      return E.isLeft(r) ? r.left : 'parsed';
    };
    expect(errors('one.yaml')).toEqual([{ file: 'one.yaml', line: 2, column: 1, path: '', message: 'Map keys must be unique' }]);
    expect(errors('two.yaml')).toEqual([{ file: 'two.yaml', line: 2, column: 1, path: '', message: 'Map keys must be unique' }]);
    expect(cache.size).toBe(0);
    expect(cache.hits).toBe(0);
  });

  it('keys by the limits and the document count: a text cached under loose limits still fails stricter ones', () => {
    const cache = new YamlCache();
    const text = 'a:\n  b:\n    c: 1\n';
    expect(E.isRight(cache.read(text, 'x.yaml', false))).toBe(true);
    const strict = cache.read(text, 'x.yaml', false, { ...DEFAULT_YAML_LIMITS, maxDepth: 2 });
    expect(E.isLeft(strict) ? strict.left.map((e) => e.message) : []).toEqual(['nesting deeper than 2 levels']);
    const two = '---\na: 1\n---\nb: 2\n';
    expect(E.isRight(cache.read(two, 'x.yaml', true))).toBe(true);
    const single = cache.read(two, 'x.yaml', false);
    expect(E.isLeft(single) ? single.left.map((e) => e.message) : []).toEqual(['a scenario is one YAML document; found more']);
    expect(cache.hits).toBe(0);
  });

  it('evicts the least recently used texts beyond its size, and does not keep texts larger than its limit', () => {
    const cache = new YamlCache({ maxTotalChars: 20, maxTextChars: 12 });
    const a = 'a: 1111111\n'; // 11 characters each
    const b = 'b: 2222222\n';
    const c = 'c: 3333333\n';
    cache.read(a, 'a', false);
    cache.read(b, 'b', false); // 22 > 20: a goes
    expect(cache.size).toBe(1);
    cache.read(b, 'b', false);
    expect(cache.hits).toBe(1);
    cache.read(a, 'a', false); // a again: a miss; b goes
    expect(cache.hits).toBe(1);
    cache.read(c, 'c', false);
    expect(cache.size).toBe(1);
    cache.read('big: 1234567890\n', 'big', false);
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
