import { describe, it, expect } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { ApiError } from './errors.js';
import { freezeCopy } from './immutable.js';
import { labelSelectorFromObject, parseLabelSelector, type LabelMatcher } from './labels.js';

const ok = (e: E.Either<ApiError, LabelMatcher>): LabelMatcher => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${e.left.message}`);
  return e.right;
};
const fail = (e: E.Either<ApiError, LabelMatcher>): ApiError => {
  if (E.isRight(e)) throw new Error(`expected Left, got selector ${e.right.toString()}`);
  return e.left;
};
const parse = (text: string): LabelMatcher => ok(parseLabelSelector(text));

describe('parseLabelSelector', () => {
  it('selects everything for an empty or blank string', () => {
    for (const text of ['', '   ', '\t\n']) {
      const m = parse(text);
      expect(m.empty).toBe(true);
      expect(m.matches(undefined)).toBe(true);
      expect(m.matches({ a: 'b' })).toBe(true);
      expect(m.toString()).toBe('');
    }
  });

  it('matches equality in all three spellings', () => {
    for (const text of ['app=web', 'app==web', ' app = web ']) {
      const m = parse(text);
      expect(m.empty).toBe(false);
      expect(m.matches({ app: 'web' })).toBe(true);
      expect(m.matches({ app: 'db' })).toBe(false);
      expect(m.matches({})).toBe(false);
      expect(m.matches(undefined)).toBe(false);
    }
  });

  it('treats != as "absent or different"', () => {
    const m = parse('app!=web');
    expect(m.matches({ app: 'db' })).toBe(true);
    expect(m.matches({})).toBe(true);
    expect(m.matches(undefined)).toBe(true);
    expect(m.matches({ app: 'web' })).toBe(false);
  });

  it('handles set-based in and notin', () => {
    const inSel = parse('tier in (cache, db)');
    expect(inSel.matches({ tier: 'db' })).toBe(true);
    expect(inSel.matches({ tier: 'web' })).toBe(false);
    expect(inSel.matches({})).toBe(false);

    const notIn = parse('tier notin (cache)');
    expect(notIn.matches({ tier: 'db' })).toBe(true);
    expect(notIn.matches({})).toBe(true);
    expect(notIn.matches({ tier: 'cache' })).toBe(false);
  });

  it('handles exists and does-not-exist', () => {
    const exists = parse('gpu');
    expect(exists.matches({ gpu: '' })).toBe(true);
    expect(exists.matches({ cpu: 'x' })).toBe(false);

    const absent = parse('!gpu');
    expect(absent.matches({ cpu: 'x' })).toBe(true);
    expect(absent.matches({ gpu: 'true' })).toBe(false);
    expect(absent.matches(undefined)).toBe(true);
  });

  it('ANDs comma-separated requirements', () => {
    const m = parse('app=web,tier in (fe,be),!canary');
    expect(m.matches({ app: 'web', tier: 'fe' })).toBe(true);
    expect(m.matches({ app: 'web', tier: 'fe', canary: 'yes' })).toBe(false);
    expect(m.matches({ app: 'web', tier: 'db' })).toBe(false);
  });

  it('prints the canonical form, sorted by key with sorted set values', () => {
    expect(parse('z=1, a in (y,x,x), !m, k').toString()).toBe('a in (x,y),k,!m,z=1');
    expect(parse('a==b,c!=d,e notin (f)').toString()).toBe('a==b,c!=d,e notin (f)');
    // The canonical form parses back to the same selector.
    const canonical = parse('tier in (db,cache),app=web').toString();
    expect(parse(canonical).toString()).toBe(canonical);
  });

  it('accepts empty values as upstream does', () => {
    expect(parse('a=').matches({ a: '' })).toBe(true);
    expect(parse('a in ()').matches({ a: '' })).toBe(true);
    expect(parse('a in (,x)').toString()).toBe('a in (,x)');
    expect(parse('a in (x,)').matches({ a: '' })).toBe(true);
  });

  it('reads in and notin as values inside a value position', () => {
    const m = parse('in in (in,notin)');
    expect(m.matches({ in: 'notin' })).toBe(true);
    expect(m.toString()).toBe('in in (in,notin)');
  });

  it('compares integers with > and <', () => {
    const gt = parse('replicas>2');
    expect(gt.matches({ replicas: '3' })).toBe(true);
    expect(gt.matches({ replicas: '2' })).toBe(false);
    expect(gt.matches({ replicas: 'many' })).toBe(false);
    expect(parse('replicas<2').matches({ replicas: '-1' })).toBe(true);
    expect(gt.toString()).toBe('replicas>2');
  });

  it('accepts prefixed keys', () => {
    expect(parse('app.kubernetes.io/name=web').matches({ 'app.kubernetes.io/name': 'web' })).toBe(true);
  });

  it('does not consult inherited properties of the label object', () => {
    expect(parse('toString').matches({})).toBe(false);
    expect(parse('constructor=x').matches({})).toBe(false);
  });

  it.each([
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    [',a', "found ',', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a in (x', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (x y)', "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ['a in =', "unable to parse requirement: found '=' expected: '('"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['a==(', "unable to parse requirement: found '(', expected: identifier"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
  ])('rejects %j with upstream text', (text, message) => {
    const err = fail(parseLabelSelector(text));
    expect(err.reason).toBe('BadRequest');
    expect(err.code).toBe(400);
    expect(err.message).toBe(message);
  });

  it('rejects invalid keys and values with the validation texts', () => {
    expect(fail(parseLabelSelector('-a=b')).message).toBe(
      'unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
    );
    expect(fail(parseLabelSelector('a=b/c')).message).toMatch(
      /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "b\/c": a valid label must be an empty string or consist of/,
    );
    expect(fail(parseLabelSelector(`a=${'x'.repeat(64)}`)).message).toContain('must be no more than 63 characters');
    expect(fail(parseLabelSelector('Example.com/a')).message).toContain('prefix part a lowercase RFC 1123 subdomain');
    expect(fail(parseLabelSelector('a/b/c')).message).toContain('a qualified name must consist of');
    expect(fail(parseLabelSelector('a>x')).message).toBe(
      'unable to parse requirement: values[0]: Invalid value: "x": for \'Gt\', \'Lt\' operators, the value must be an integer',
    );
  });
});

describe('labelSelectorFromObject', () => {
  it('matches nothing for a missing selector (LabelSelectorAsSelector nil)', () => {
    for (const sel of [undefined, null]) {
      const m = ok(labelSelectorFromObject(sel));
      expect(m.matches({ app: 'web' })).toBe(false);
      expect(m.matches(undefined)).toBe(false);
      expect(m.empty).toBe(false);
      expect(m.toString()).toBe('');
    }
  });

  it('matches everything for an empty selector', () => {
    for (const sel of [{}, { matchLabels: {}, matchExpressions: [] }]) {
      const m = ok(labelSelectorFromObject(sel));
      expect(m.empty).toBe(true);
      expect(m.matches(undefined)).toBe(true);
    }
  });

  it('combines matchLabels and matchExpressions', () => {
    const m = ok(
      labelSelectorFromObject({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['fe', 'be'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'team', operator: 'Exists' },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      }),
    );
    expect(m.matches({ app: 'web', tier: 'fe', team: 'a' })).toBe(true);
    expect(m.matches({ app: 'web', tier: 'fe', team: 'a', env: 'dev' })).toBe(false);
    expect(m.matches({ app: 'web', tier: 'fe', team: 'a', canary: '1' })).toBe(false);
    expect(m.matches({ app: 'web', tier: 'fe' })).toBe(false);
    expect(m.matches({ app: 'db', tier: 'fe', team: 'a' })).toBe(false);
    expect(m.toString()).toBe('app=web,!canary,env notin (dev),team,tier in (be,fe)');
  });

  it('rejects an unknown operator with upstream text', () => {
    const err = fail(labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }));
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe('"Gt" is not a valid label selector operator');
  });

  it('rejects In without values and Exists with values', () => {
    expect(fail(labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).message).toBe(
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
    expect(fail(labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).message).toBe(
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    );
  });

  it('reports several problems of one requirement as an aggregate', () => {
    expect(fail(labelSelectorFromObject({ matchLabels: { '-k': 'a b' } })).message).toMatch(
      /^\[key: Invalid value: "-k": name part .*, values\[0\]\[-k\]: Invalid value: "a b": a valid label .*\]$/,
    );
  });

  it('compiles a frozen (stored) selector once and a mutable one on every call', () => {
    const stored = freezeCopy({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] });
    const first = ok(labelSelectorFromObject(stored));
    expect(ok(labelSelectorFromObject(stored))).toBe(first);
    expect(first.matches({ app: 'web', tier: 'a' })).toBe(true);
    expect(first.toString()).toBe('app=web,tier in (a)');
    // Shallowly frozen with a mutable member: its content may change, so it is not cached.
    const labels: Record<string, string> = { app: 'web' };
    const shallow = Object.freeze({ matchLabels: labels });
    expect(ok(labelSelectorFromObject(shallow)).matches({ app: 'web' })).toBe(true);
    labels.app = 'db';
    expect(ok(labelSelectorFromObject(shallow)).matches({ app: 'web' })).toBe(false);
    // An invalid frozen selector keeps its error.
    const bad = freezeCopy({ matchLabels: { '-k': 'v' } });
    expect(fail(labelSelectorFromObject(bad)).reason).toBe('BadRequest');
    expect(fail(labelSelectorFromObject(bad)).reason).toBe('BadRequest');
  });
});
