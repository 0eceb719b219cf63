// References in scenario strings: names a scenario cannot know when it is written (which
// node the scheduler picked, the VM behind it, the VMDK of a claim), written as
// `{{ node of pod cassandra/cassandra-0 }}` and resolved by the runner when the step runs.
// Grammar (whitespace-separated words inside `{{ }}`):
//   reference := "node of pod" NS "/" NAME
//              | "vm of node" NAME
//              | "vm of pod" NS "/" NAME
//              | "disk of pvc" NS "/" NAME "on vm" VM
//              | "pv of pvc" NS "/" NAME
// NAME and NS are Kubernetes names (RFC 1123 subdomain / label); VM a vSphere inventory
// name (no spaces, no braces). References do not nest: resolve a VM first with its own step.
import * as E from 'fp-ts/lib/Either.js';

/** A name the runner looks up when the step runs. */
export type Reference =
  | { readonly kind: 'node-of-pod'; readonly namespace: string; readonly pod: string }
  | { readonly kind: 'vm-of-node'; readonly node: string }
  | { readonly kind: 'vm-of-pod'; readonly namespace: string; readonly pod: string }
  | { readonly kind: 'disk-of-pvc'; readonly namespace: string; readonly pvc: string; readonly vm: string }
  | { readonly kind: 'pv-of-pvc'; readonly namespace: string; readonly pvc: string };

/** Text with references in it: literal parts and references, in order. */
export interface Template {
  /** The text as written. */
  readonly raw: string;
  /** Literal strings and references; a template with no reference has one string part. */
  readonly parts: readonly (string | Reference)[];
}

/** RFC 1123 subdomain, as Kubernetes object names (apimachinery validation.IsDNS1123Subdomain). */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** RFC 1123 label, as namespaces (IsDNS1123Label). */
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const VM = /^[^\s{}]+$/;

const FORMS = '"node of pod NS/NAME", "vm of node NAME", "vm of pod NS/NAME", "pv of pvc NS/NAME" or "disk of pvc NS/NAME on vm VM"';

const namespaced = (text: string, what: string): E.Either<string, { namespace: string; name: string }> => {
  const [namespace = '', name = '', ...rest] = text.split('/');
  if (rest.length > 0 || !LABEL.test(namespace) || !NAME.test(name)) return E.left(`invalid ${what} "${text}" (use namespace/name)`);
  return E.right({ namespace, name });
};

/** Parses the inside of one `{{ … }}`. */
export const parseReference = (inner: string): E.Either<string, Reference> => {
  const words = inner.trim().split(/\s+/);
  const head = words.slice(0, 3).join(' ');
  if (words.length === 4 && (head === 'node of pod' || head === 'vm of pod')) {
    return E.map(({ namespace, name }: { namespace: string; name: string }): Reference =>
      head === 'node of pod' ? { kind: 'node-of-pod', namespace, pod: name } : { kind: 'vm-of-pod', namespace, pod: name },
    )(namespaced(words[3] ?? '', 'pod'));
  }
  if (words.length === 4 && head === 'pv of pvc') {
    return E.map(({ namespace, name }: { namespace: string; name: string }): Reference => ({ kind: 'pv-of-pvc', namespace, pvc: name }))(namespaced(words[3] ?? '', 'pvc'));
  }
  if (words.length === 4 && head === 'vm of node') {
    const node = words[3] ?? '';
    return NAME.test(node) ? E.right({ kind: 'vm-of-node', node }) : E.left(`invalid node name "${node}"`);
  }
  if (words.length === 7 && head === 'disk of pvc' && words[4] === 'on' && words[5] === 'vm') {
    const vm = words[6] ?? '';
    if (!VM.test(vm)) return E.left(`invalid VM name "${vm}"`);
    return E.map(({ namespace, name }: { namespace: string; name: string }): Reference => ({ kind: 'disk-of-pvc', namespace, pvc: name, vm }))(
      namespaced(words[3] ?? '', 'pvc'),
    );
  }
  // Built only here: a valid reference (every one of a loading scenario) costs no message.
  return E.left(`unknown reference "{{ ${inner.trim()} }}" (use ${FORMS})`);
};

/**
 * Splits `text` into literal parts and `{{ … }}` references, validating each reference.
 * @example parseTemplate('node/{{ node of pod cassandra/cassandra-0 }}')
 */
export const parseTemplate = (text: string): E.Either<string, Template> => {
  const parts: (string | Reference)[] = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    const strayClose = rest.indexOf('}}');
    if (strayClose >= 0 && (open < 0 || strayClose < open)) return E.left(`"}}" without "{{" in "${text}"`);
    if (open < 0) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf('}}', open + 2);
    if (close < 0) return E.left(`unclosed "{{" in "${text}"`);
    const inner = rest.slice(open + 2, close);
    if (inner.includes('{{')) return E.left(`references do not nest: "${text}"`);
    const reference = parseReference(inner);
    if (E.isLeft(reference)) return reference;
    parts.push(reference.right);
    rest = rest.slice(close + 2);
  }
  return E.right({ raw: text, parts });
};

/** True when the template is plain text. */
export const isLiteral = (template: Template): boolean => template.parts.every((part) => typeof part === 'string');
