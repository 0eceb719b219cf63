// Label selectors as the API server parses and applies them. Models
// k8s.io/apimachinery pkg/labels/selector.go (the lexer and parser of the string syntax,
// NewRequirement's checks, Requirement.Matches and String) and
// pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector (the object form), with the label
// key and value checks of pkg/util/validation/validation.go. Error texts are upstream's,
// as of Kubernetes 1.30 (the kubernetes-types version failsim uses).
import * as E from 'fp-ts/lib/Either.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { badRequest, type ApiError } from './errors.js';

/** A compiled label selector: what a list, a watch or a controller filters objects with. */
export interface LabelMatcher {
  /** True when every requirement holds for `labels` (a missing label set counts as empty). */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True when the selector does not restrict anything (upstream Selector.Empty). */
  readonly empty: boolean;
  /** The canonical string form, requirements sorted by key: `app=web,tier in (a,b)`. */
  toString(): string;
}

/** Upstream's selection.Operator values, which are also what its messages print. */
type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

interface Requirement {
  readonly key: string;
  readonly op: Operator;
  readonly values: readonly string[];
}

// ---------------------------------------------------------------------------------------
// Validation texts (pkg/util/validation/validation.go, 1.30).

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);

// Upstream joins examples as "'a', " + " or " + "'b', ", hence the double space kubectl users see.
const regexError = (msg: string, re: string, ...examples: string[]): string =>
  examples.length === 0
    ? `${msg} (regex used for validation is '${re}')`
    : `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${re}')`;

const maxLenError = (n: number): string => `must be no more than ${n} characters`;

const dns1123SubdomainErrors = (value: string): string[] => [
  ...(value.length > 253 ? [maxLenError(253)] : []),
  ...(dns1123SubdomainRe.test(value) ? [] : [regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com')]),
];

/** IsQualifiedName: an optional DNS-subdomain prefix and "/", then a name of at most 63. */
const labelKeyErrors = (key: string): string[] => {
  const parts = key.split('/');
  let name: string;
  const errs: string[] = [];
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qualifiedNameRe.test(name)) errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
};

const labelValueErrors = (value: string): string[] => [
  ...(value.length > 63 ? [maxLenError(63)] : []),
  ...(labelValueRe.test(value) ? [] : [regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345')]),
];

// field.Invalid(...).Error(): strings print as Go %q, string slices as Go %#v.
const goQuote = (s: string): string => JSON.stringify(s);
const invalidValue = (path: string, value: string | readonly string[], detail: string): string =>
  `${path}: Invalid value: ${typeof value === 'string' ? goQuote(value) : `[]string{${value.map(goQuote).join(', ')}}`}: ${detail}`;

// utilerrors.NewAggregate: one message alone, several (deduplicated) in brackets.
const aggregate = (msgs: readonly string[]): string => {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
};

// strconv.ParseInt(v, 10, 64): optional sign, decimal digits, within int64.
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const parseInt64 = (v: string): bigint | undefined => {
  if (!/^[+-]?[0-9]+$/.test(v)) return undefined;
  const n = BigInt(v);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
};

/**
 * labels.NewRequirement's checks. Upstream's field path here has no root, so errors name
 * `key`, `values`, `values[0][key]`.
 */
const newRequirement = (key: string, op: Operator, values: readonly string[]): E.Either<string, Requirement> => {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length > 0) errs.push(invalidValue('key', key, keyErrs.join('; ')));
  switch (op) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalidValue('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalidValue('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalidValue('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalidValue('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) errs.push(invalidValue(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  return errs.length > 0 ? E.left(aggregate(errs)) : E.right({ key, op, values });
};

// ---------------------------------------------------------------------------------------
// Matching and printing.

const OP_TEXT: Readonly<Record<Operator, string>> = {
  in: ' in ',
  notin: ' notin ',
  '=': '=',
  '==': '==',
  '!=': '!=',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

// Values print sorted (upstream safeSort) so equal selectors print equally.
const requirementString = (r: Requirement): string => {
  if (r.op === 'exists') return r.key;
  if (r.op === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? (r.values[0] ?? '') : [...r.values].sort().join(',');
  return r.op === 'in' || r.op === 'notin' ? `${r.key}${OP_TEXT[r.op]}(${values})` : `${r.key}${OP_TEXT[r.op]}${values}`;
};

type Labels = Readonly<Record<string, string>> | undefined;

const lookup = (labels: Labels, key: string): string | undefined =>
  labels !== undefined && labels !== null && Object.hasOwn(labels, key) ? labels[key] : undefined;

// Compiled once per selector: a list over 150,000 Pods calls these in a tight loop.
const compileRequirement = (r: Requirement): ((labels: Labels) => boolean) => {
  const { key, values } = r;
  const set = new Set(values);
  const has = values.length === 1 ? (v: string) => v === values[0] : (v: string) => set.has(v);
  switch (r.op) {
    case 'in':
    case '=':
    case '==':
      return (labels) => {
        const v = lookup(labels, key);
        return v !== undefined && has(v);
      };
    case 'notin':
    case '!=':
      return (labels) => {
        const v = lookup(labels, key);
        return v === undefined || !has(v);
      };
    case 'exists':
      return (labels) => lookup(labels, key) !== undefined;
    case '!':
      return (labels) => lookup(labels, key) === undefined;
    case 'gt':
    case 'lt': {
      const bound = parseInt64(values[0] ?? '');
      const greater = r.op === 'gt';
      return (labels) => {
        const v = lookup(labels, key);
        const n = v === undefined ? undefined : parseInt64(v);
        if (n === undefined || bound === undefined) return false;
        return greater ? n > bound : n < bound;
      };
    }
  }
};

const EVERYTHING: LabelMatcher = Object.freeze({ matches: () => true, empty: true, toString: () => '' });
// labels.Nothing(): not empty (it restricts everything away), and prints as "".
const NOTHING: LabelMatcher = Object.freeze({ matches: () => false, empty: false, toString: () => '' });

// Sorted by key like upstream's Selector.Add; a stable sort keeps same-key requirements in
// the order given, so the string form is deterministic.
const fromRequirements = (reqs: readonly Requirement[]): LabelMatcher => {
  if (reqs.length === 0) return EVERYTHING;
  const sorted = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const tests = sorted.map(compileRequirement);
  const text = sorted.map(requirementString).join(',');
  return Object.freeze({
    matches: (labels: Labels) => tests.every((t) => t(labels)),
    empty: false,
    toString: () => text,
  });
};

// ---------------------------------------------------------------------------------------
// The string syntax: lexer and recursive-descent parser, token for token as upstream.

type Token =
  | 'error'
  | 'eos'
  | 'closedPar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

interface Scanned {
  readonly tok: Token;
  readonly lit: string;
}

const STRING_TO_TOKEN: ReadonlyMap<string, Token> = new Map<string, Token>([
  [')', 'closedPar'],
  [',', 'comma'],
  ['!', 'doesNotExist'],
  ['==', 'doubleEquals'],
  ['=', 'equals'],
  ['>', 'greaterThan'],
  ['in', 'in'],
  ['<', 'lessThan'],
  ['!=', 'notEquals'],
  ['notin', 'notIn'],
  ['(', 'openPar'],
]);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => '=!(),><'.includes(ch);

const scan = (s: string): Scanned[] => {
  const items: Scanned[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos] ?? '')) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    const start = pos;
    if (isSpecialSymbol(s[pos] ?? '')) {
      // Longest run of symbols that still forms a token: "!=" not "!" then "=".
      let last: Scanned | undefined;
      while (pos < s.length && isSpecialSymbol(s[pos] ?? '')) {
        const tok = STRING_TO_TOKEN.get(s.slice(start, pos + 1));
        if (tok !== undefined) last = { tok, lit: s.slice(start, pos + 1) };
        else if (last !== undefined) break;
        pos++;
      }
      if (last === undefined) {
        items.push({ tok: 'error', lit: `error expected: keyword found '${s.slice(start, pos)}'` });
      } else {
        pos = start + last.lit.length;
        items.push(last);
      }
    } else {
      while (pos < s.length && !isSpecialSymbol(s[pos] ?? '') && !isWhitespace(s[pos] ?? '')) pos++;
      const lit = s.slice(start, pos);
      items.push({ tok: STRING_TO_TOKEN.get(lit) ?? 'identifier', lit });
    }
  }
};

/** Words upstream's parser accepts where an operator goes, in its message's order. */
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

const BINARY_TOKENS: ReadonlyMap<Token, Operator> = new Map<Token, Operator>([
  ['in', 'in'],
  ['notIn', 'notin'],
  ['equals', '='],
  ['doubleEquals', '=='],
  ['notEquals', '!='],
  ['greaterThan', 'gt'],
  ['lessThan', 'lt'],
]);

class Parser {
  readonly #items: readonly Scanned[];
  #pos = 0;

  constructor(text: string) {
    this.#items = scan(text);
  }

  // In a value position "in" and "notin" are plain identifiers: `x in (in,notin)`.
  #asValue(s: Scanned): Scanned {
    return s.tok === 'in' || s.tok === 'notIn' ? { tok: 'identifier', lit: s.lit } : s;
  }

  #lookahead(values: boolean): Scanned {
    const s = this.#items[this.#pos] ?? { tok: 'eos', lit: '' };
    return values ? this.#asValue(s) : s;
  }

  #consume(values: boolean): Scanned {
    const s = this.#lookahead(values);
    if (this.#pos < this.#items.length - 1) this.#pos++;
    return s;
  }

  parse(): E.Either<string, Requirement[]> {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.#lookahead(true);
      if (tok === 'eos') return E.right(reqs);
      if (tok !== 'identifier' && tok !== 'doesNotExist') return E.left(`found '${lit}', expected: !, identifier, or 'end of string'`);
      const r = this.#requirement();
      if (E.isLeft(r)) return E.left(`unable to parse requirement: ${r.left}`);
      reqs.push(r.right);
      const next = this.#consume(true);
      if (next.tok === 'eos') return E.right(reqs);
      if (next.tok !== 'comma') return E.left(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.#lookahead(true);
      if (after.tok !== 'identifier' && after.tok !== 'doesNotExist') return E.left(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  #requirement(): E.Either<string, Requirement> {
    let op: Operator | undefined;
    let { tok, lit } = this.#consume(true);
    if (tok === 'doesNotExist') {
      op = '!';
      ({ tok, lit } = this.#consume(true));
    }
    if (tok !== 'identifier') return E.left(`found '${lit}', expected: identifier`);
    const key = lit;
    const keyErrs = labelKeyErrors(key);
    // Upstream checks the key here against a nil field path, which Go prints as "<nil>".
    if (keyErrs.length > 0) return E.left(invalidValue('<nil>', key, keyErrs.join('; ')));
    const next = this.#lookahead(true).tok;
    if (op === undefined && (next === 'eos' || next === 'comma')) op = 'exists';
    if (op !== undefined) return newRequirement(key, op, []);

    const opTok = this.#consume(false);
    const binary = BINARY_TOKENS.get(opTok.tok);
    if (binary === undefined) return E.left(`found '${opTok.lit}', expected: ${BINARY_OPERATORS}`);
    const values = binary === 'in' || binary === 'notin' ? this.#setValues() : this.#exactValue();
    if (E.isLeft(values)) return values;
    // Upstream collects values in a string set: deduplicated and sorted.
    return newRequirement(key, binary, [...new Set(values.right)].sort());
  }

  #setValues(): E.Either<string, string[]> {
    const open = this.#consume(true);
    if (open.tok !== 'openPar') return E.left(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.#lookahead(true);
    if (tok === 'closedPar') {
      this.#consume(true);
      return E.right(['']);
    }
    if (tok !== 'identifier' && tok !== 'comma') return E.left(`found '${lit}', expected: ',', ')' or identifier`);
    const values: string[] = [];
    for (;;) {
      const item = this.#consume(true);
      if (item.tok === 'identifier') {
        values.push(item.lit);
        const after = this.#lookahead(true);
        if (after.tok === 'comma') continue;
        if (after.tok === 'closedPar') break;
        return E.left(`found '${after.lit}', expected: ',' or ')'`);
      } else if (item.tok === 'comma') {
        // "(,x)", "(x,,y)" and "(x,)" each carry an empty value.
        if (values.length === 0) values.push('');
        const after = this.#lookahead(true).tok;
        if (after === 'closedPar') {
          values.push('');
          break;
        }
        if (after === 'comma') values.push('');
      } else {
        return E.left(`found '${item.lit}', expected: ',', or identifier`);
      }
    }
    this.#consume(true);
    return E.right(values);
  }

  #exactValue(): E.Either<string, string[]> {
    const { tok } = this.#lookahead(true);
    if (tok === 'eos' || tok === 'comma') return E.right(['']);
    const value = this.#consume(true);
    return value.tok === 'identifier' ? E.right([value.lit]) : E.left(`found '${value.lit}', expected: identifier`);
  }
}

/**
 * Parses kubectl's label selector syntax (`-l`, `?labelSelector=`): comma-separated
 * requirements that must all hold — `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`,
 * `k` (exists), `!k` (does not exist), and upstream's `k>1`, `k<1` on integer values.
 * Whitespace around tokens is ignored; an empty string selects everything.
 *
 * Bad syntax or an invalid key/value gives a BadRequest with upstream's text, e.g.
 * `unable to parse requirement: found 'x' expected: '('` for `a in x`.
 *
 * @example
 * parseLabelSelector('app=web, tier notin (cache)') // Right: matches {app:"web"}
 */
export const parseLabelSelector = (text: string): E.Either<ApiError, LabelMatcher> => {
  const reqs = new Parser(text).parse();
  return E.isLeft(reqs) ? E.left(badRequest(reqs.left)) : E.right(fromRequirements(reqs.right));
};

const OBJECT_OPERATORS: Readonly<Record<string, Operator>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * Compiles a `metav1.LabelSelector` (a workload's `spec.selector`, a PDB's, a topology
 * spread constraint's) as upstream's LabelSelectorAsSelector does: a missing selector
 * (undefined or null) matches nothing, an empty `{}` matches everything, otherwise
 * `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist) must all hold.
 *
 * An unknown operator or an invalid key/value gives a BadRequest with upstream's text.
 */
export const labelSelectorFromObject = (sel: LabelSelector | null | undefined): E.Either<ApiError, LabelMatcher> => {
  if (sel === undefined || sel === null) return E.right(NOTHING);
  // A stored object's selector is frozen, so its compiled form cannot go stale: controllers
  // compile the same DaemonSet's or ReplicaSet's selector on every sync (2% of a scenario).
  if (!isFrozenSelector(sel)) return compileSelector(sel);
  let compiled = compiledSelectors.get(sel);
  if (compiled === undefined) compiledSelectors.set(sel, (compiled = compileSelector(sel)));
  return compiled;
};

/** True when nothing in the selector can change (what the API server stores is deeply frozen). */
const isFrozenSelector = (sel: LabelSelector): boolean =>
  Object.isFrozen(sel) &&
  (sel.matchLabels === undefined || Object.isFrozen(sel.matchLabels)) &&
  (sel.matchExpressions === undefined ||
    (Object.isFrozen(sel.matchExpressions) && sel.matchExpressions.every((e) => Object.isFrozen(e) && (e.values === undefined || Object.isFrozen(e.values)))));

/** Compiled forms of frozen selectors (see labelSelectorFromObject); the matchers are frozen too. */
const compiledSelectors = new WeakMap<LabelSelector, E.Either<ApiError, LabelMatcher>>();

const compileSelector = (sel: LabelSelector): E.Either<ApiError, LabelMatcher> => {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    const r = newRequirement(key, '=', [value]);
    if (E.isLeft(r)) return E.left(badRequest(r.left));
    reqs.push(r.right);
  }
  for (const expr of sel.matchExpressions ?? []) {
    const op = Object.hasOwn(OBJECT_OPERATORS, expr.operator) ? OBJECT_OPERATORS[expr.operator] : undefined;
    if (op === undefined) return E.left(badRequest(`${goQuote(expr.operator)} is not a valid label selector operator`));
    const r = newRequirement(expr.key, op, [...(expr.values ?? [])]);
    if (E.isLeft(r)) return E.left(badRequest(r.left));
    reqs.push(r.right);
  }
  return E.right(fromRequirements(reqs));
};
