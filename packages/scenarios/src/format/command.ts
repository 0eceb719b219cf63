// The `run:` command lines of scenario steps, in the vocabulary operators type: kubectl
// (flags as kubectl v1.32 names them: staging/src/k8s.io/kubectl/pkg/cmd/{delete,drain,
// taint,scale,apply,exec}), govc (any command, kept generic: vmware/govmomi govc/), the
// BOSH CLI's cloud check (cloudfoundry/bosh-cli cmd/opts/opts.go CloudCheckOpts: --auto,
// --resolution, --report) and failsim's own `partition node X` / `heal node X` /
// `restart-kubelet node X` (what `systemctl restart kubelet` on the node does).
// Parsed now so a typo fails at load time; references inside words are resolved at run time.
import { parseLabelSelector } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { didYouMean } from './did-you-mean.js';
import { parseDuration } from './duration.js';
import { parseTemplate, type Template } from './reference.js';

/** A taint argument of `kubectl taint nodes`: `key=value:Effect`, `key:Effect` or a removal `key:Effect-`/`key-`. */
export interface TaintArg {
  readonly key: string;
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly remove: boolean;
}

/** kubectl commands failsim runs. `namespace` is -n/--namespace when given. */
export type KubectlCommand =
  | { readonly tool: 'kubectl'; readonly verb: 'delete-node'; readonly node: Template }
  /**
   * `kubectl delete node A B …` (`nodes`, in the order given) or `kubectl delete node -l
   * <selector>` (`selector`, label selector syntax; `nodes` empty): every Node named or
   * matching, as a zone's are deleted after a zone failure.
   */
  | { readonly tool: 'kubectl'; readonly verb: 'delete-nodes'; readonly nodes: readonly Template[]; readonly selector?: string }
  | {
      readonly tool: 'kubectl';
      readonly verb: 'delete-pod';
      readonly namespace?: string;
      readonly pod: Template;
      readonly force: boolean;
      /** --grace-period in seconds; absent = the pod's own terminationGracePeriodSeconds. */
      readonly gracePeriodSeconds?: number;
    }
  | {
      readonly tool: 'kubectl';
      readonly verb: 'drain';
      readonly node: Template;
      readonly ignoreDaemonsets: boolean;
      /** --delete-emptydir-data (or its pre-1.20 name --delete-local-data). */
      readonly deleteEmptydirData: boolean;
      readonly force: boolean;
      readonly disableEviction: boolean;
      readonly gracePeriodSeconds?: number;
      /** --timeout in milliseconds; absent = wait for ever (kubectl's 0). */
      readonly timeoutMs?: number;
    }
  | { readonly tool: 'kubectl'; readonly verb: 'cordon' | 'uncordon'; readonly node: Template }
  | { readonly tool: 'kubectl'; readonly verb: 'taint-nodes'; readonly node: Template; readonly taints: readonly TaintArg[]; readonly overwrite: boolean }
  | { readonly tool: 'kubectl'; readonly verb: 'scale'; readonly namespace?: string; readonly kind: 'statefulset' | 'deployment' | 'replicaset'; readonly name: string; readonly replicas: number }
  | { readonly tool: 'kubectl'; readonly verb: 'apply'; readonly namespace?: string; readonly file: string }
  | {
      readonly tool: 'kubectl';
      readonly verb: 'exec';
      readonly namespace?: string;
      readonly pod: Template;
      readonly container?: string;
      /** The command after `--`. */
      readonly command: readonly string[];
      /** The CQL of `cqlsh -e "…"`, when the command is that. */
      readonly cql?: string;
    };

/** A govc command, kept generic: the runner's govc decides what it supports. */
export interface GovcCommand {
  readonly tool: 'govc';
  /** `vm.power`, `device.remove`, … */
  readonly command: string;
  readonly args: readonly Template[];
}

/** `bosh -d <deployment> cck …`. */
export interface BoshCommand {
  readonly tool: 'bosh';
  readonly deployment: string;
  readonly command: 'cck';
  /** --resolution values, in order (answers to the problems, as bosh-cli applies them). */
  readonly resolutions: readonly string[];
  /** --auto, --report, or neither (answers come from --resolution or the runner). */
  readonly mode: 'auto' | 'report' | 'interactive';
}

/** failsim's own faults on a node's machine: a network partition, its healing, a kubelet restart. */
export interface FaultCommand {
  readonly tool: 'failsim';
  readonly verb: 'partition' | 'heal' | 'restart-kubelet';
  readonly node: Template;
}

/** A parsed `run:` line. */
export type Command = KubectlCommand | GovcCommand | BoshCommand | FaultCommand;

type Word = Template;

/** Splits a command line into words: shell quoting ('…', "…" with \-escapes), `{{ … }}` kept whole. */
export const splitWords = (line: string): E.Either<string, readonly string[]> => {
  const words: string[] = [];
  let current: string | undefined;
  let i = 0;
  while (i < line.length) {
    const c = line[i] ?? '';
    if (/\s/.test(c)) {
      if (current !== undefined) words.push(current);
      current = undefined;
      i++;
    } else if (c === '{' && line[i + 1] === '{') {
      const close = line.indexOf('}}', i + 2);
      if (close < 0) return E.left('unclosed "{{"');
      current = (current ?? '') + line.slice(i, close + 2);
      i = close + 2;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) return E.left('unclosed quote \'');
      current = (current ?? '') + line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let text = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        text += line[i] ?? '';
        i++;
      }
      if (i >= line.length) return E.left('unclosed quote "');
      current = (current ?? '') + text;
      i++;
    } else {
      current = (current ?? '') + c;
      i++;
    }
  }
  if (current !== undefined) words.push(current);
  return E.right(words);
};

type FlagKind = 'bool' | 'string' | 'int' | 'duration';
type FlagSpec = Readonly<Record<string, FlagKind>>;
interface ParsedFlags {
  readonly values: ReadonlyMap<string, string | number | boolean>;
  readonly positional: readonly string[];
  /** Words after `--`, when present. */
  readonly rest?: readonly string[];
}

/** Flags every kubectl verb accepts; -n is --namespace. */
const KUBECTL_GLOBAL: FlagSpec = { '--namespace': 'string' };
const SHORT: Readonly<Record<string, string>> = { '-n': '--namespace', '-f': '--filename', '-c': '--container', '-d': '--deployment', '-i': '--stdin', '-t': '--tty', '-l': '--selector' };

const parseFlags = (prefix: string, words: readonly string[], spec: FlagSpec): E.Either<string, ParsedFlags> => {
  const values = new Map<string, string | number | boolean>();
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '--') return E.right({ values, positional, rest: words.slice(i + 1) });
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    if (/^-[a-z]{2,}$/.test(word) && [...word.slice(1)].every((letter) => `-${letter}` in SHORT)) {
      // Combined short booleans: `-it`.
      for (const letter of word.slice(1)) {
        const long = SHORT[`-${letter}`] ?? '';
        if (spec[long] !== 'bool') return E.left(`${prefix}: unknown flag "${word}"`);
        values.set(long, true);
      }
      continue;
    }
    const eq = word.indexOf('=');
    const written = eq >= 0 ? word.slice(0, eq) : word;
    const name = SHORT[written] ?? written;
    const kind = spec[name];
    if (kind === undefined) return E.left(`${prefix}: unknown flag "${written}"${didYouMean(written, Object.keys(spec))}`);
    let value: string | undefined = eq >= 0 ? word.slice(eq + 1) : undefined;
    if (kind === 'bool') {
      if (value !== undefined && value !== 'true' && value !== 'false') return E.left(`${prefix}: flag ${written} takes true or false, not "${value}"`);
      values.set(name, value !== 'false');
      continue;
    }
    if (value === undefined) {
      value = words[i + 1];
      if (value === undefined || value === '--') return E.left(`${prefix}: flag ${written} needs a value`);
      i++;
    }
    if (kind === 'int') {
      if (!/^\d+$/.test(value)) return E.left(`${prefix}: flag ${written} takes a whole number ≥ 0, not "${value}"`);
      values.set(name, Number(value));
    } else if (kind === 'duration') {
      const ms = parseDuration(value);
      if (E.isLeft(ms)) return E.left(`${prefix}: flag ${written}: ${ms.left}`);
      values.set(name, ms.right);
    } else if (name === '--resolution' && values.has(name)) {
      values.set(name, `${String(values.get(name))}\n${value}`);
    } else {
      values.set(name, value);
    }
  }
  return E.right({ values, positional });
};

const template = (prefix: string, text: string): E.Either<string, Word> => E.mapLeft((message: string) => `${prefix}: ${message}`)(parseTemplate(text));

const str = (flags: ParsedFlags, name: string): string | undefined => {
  const value = flags.values.get(name);
  return typeof value === 'string' ? value : undefined;
};
const num = (flags: ParsedFlags, name: string): number | undefined => {
  const value = flags.values.get(name);
  return typeof value === 'number' ? value : undefined;
};
const bool = (flags: ParsedFlags, name: string): boolean => flags.values.get(name) === true;
const ns = (flags: ParsedFlags): { namespace?: string } => {
  const namespace = str(flags, '--namespace');
  return namespace === undefined ? {} : { namespace };
};

const onePositional = (prefix: string, flags: ParsedFlags, what: string): E.Either<string, Word> => {
  if (flags.positional.length !== 1) return E.left(`${prefix}: expects one ${what}, got ${flags.positional.length}`);
  return template(prefix, flags.positional[0] ?? '');
};

/** `kubectl delete node`'s names or `-l` selector (kubectl's rule: not both). */
const deleteNodes = (prefix: string, flags: ParsedFlags, names: readonly string[]): E.Either<string, KubectlCommand> => {
  const selector = str(flags, '--selector');
  if (flags.values.size > (selector === undefined ? 0 : 1)) return E.left(`${prefix}: takes no flags but -l`);
  if (selector !== undefined) {
    if (names.length > 0) return E.left(`${prefix}: name cannot be provided when a selector is specified`);
    const parsed = parseLabelSelector(selector);
    if (E.isLeft(parsed)) return E.left(`${prefix}: -l ${JSON.stringify(selector)}: ${parsed.left.message}`);
    return E.right({ tool: 'kubectl', verb: 'delete-nodes', nodes: [], selector });
  }
  if (names.length === 0) return E.left(`${prefix}: expects node names or -l <selector>, got neither`);
  const nodes: Word[] = [];
  for (const name of names) {
    const node = template(prefix, name);
    if (E.isLeft(node)) return node;
    nodes.push(node.right);
  }
  const [only] = nodes;
  return nodes.length === 1 && only !== undefined ? E.right({ tool: 'kubectl', verb: 'delete-node', node: only }) : E.right({ tool: 'kubectl', verb: 'delete-nodes', nodes });
};

const KUBECTL_VERBS = ['delete', 'drain', 'cordon', 'uncordon', 'taint', 'scale', 'apply', 'exec'];
const NODE_TYPES = ['node', 'nodes', 'no'];
const POD_TYPES = ['pod', 'pods', 'po'];
const SCALE_TYPES: Readonly<Record<string, 'statefulset' | 'deployment' | 'replicaset'>> = {
  statefulset: 'statefulset', statefulsets: 'statefulset', sts: 'statefulset',
  deployment: 'deployment', deployments: 'deployment', deploy: 'deployment',
  replicaset: 'replicaset', replicasets: 'replicaset', rs: 'replicaset',
};
/** A taint as `kubectl taint nodes` takes it: key, `=value`, `:Effect`, a trailing `-` to remove. */
export const TAINT_ARG = /^([A-Za-z0-9][-A-Za-z0-9_./]*)(?:=([^:]*))?(?::(NoSchedule|PreferNoSchedule|NoExecute))?(-)?$/;

/** `type name` or `type/name` as kubectl takes resources. */
const typeAndName = (positional: readonly string[]): [string, string[]] => {
  const [first = '', ...rest] = positional;
  const slash = first.indexOf('/');
  return slash > 0 ? [first.slice(0, slash), [first.slice(slash + 1), ...rest]] : [first, rest];
};

/**
 * Each verb's flags after the global ones, built once: `{ ...KUBECTL_GLOBAL, ...spec }` per
 * parsed command cost microseconds (an object literal that starts with a spread takes
 * V8's slow path for every property added after it), for every kubectl step of every load.
 */
const withGlobal = (spec: FlagSpec): FlagSpec => Object.freeze({ ...KUBECTL_GLOBAL, ...spec });
const KUBECTL_FLAGS = {
  delete: withGlobal({ '--force': 'bool', '--grace-period': 'int', '--now': 'bool', '--wait': 'bool', '--selector': 'string' }),
  drain: withGlobal({
    '--ignore-daemonsets': 'bool', '--delete-emptydir-data': 'bool', '--delete-local-data': 'bool', '--force': 'bool',
    '--disable-eviction': 'bool', '--grace-period': 'int', '--timeout': 'duration',
  }),
  cordon: withGlobal({}),
  taint: withGlobal({ '--overwrite': 'bool' }),
  scale: withGlobal({ '--replicas': 'int' }),
  apply: withGlobal({ '--filename': 'string' }),
  exec: withGlobal({ '--container': 'string', '--stdin': 'bool', '--tty': 'bool' }),
} as const;

const parseKubectl = (words: readonly string[]): E.Either<string, KubectlCommand> => {
  const [verb = '', ...args] = words;
  const prefix = `kubectl ${verb}`;
  const flagsFor = (spec: FlagSpec): E.Either<string, ParsedFlags> => parseFlags(prefix, args, spec);
  switch (verb) {
    case 'delete': {
      const flags = flagsFor(KUBECTL_FLAGS.delete);
      if (E.isLeft(flags)) return flags;
      const [type, names] = typeAndName(flags.right.positional);
      const rest: ParsedFlags = { values: flags.right.values, positional: names };
      if (NODE_TYPES.includes(type)) return deleteNodes(`${prefix} node`, flags.right, names);
      if (str(flags.right, '--selector') !== undefined) return E.left(`${prefix}: -l selects nodes only`);
      if (POD_TYPES.includes(type)) {
        const grace = bool(flags.right, '--now') ? 1 : num(flags.right, '--grace-period');
        return E.map((pod: Word): KubectlCommand => ({
          tool: 'kubectl', verb: 'delete-pod', ...ns(flags.right), pod, force: bool(flags.right, '--force'),
          ...(grace === undefined ? {} : { gracePeriodSeconds: grace }),
        }))(onePositional(`${prefix} pod`, rest, 'pod name'));
      }
      return E.left(`${prefix}: only nodes and pods can be deleted, not "${type}"`);
    }
    case 'drain': {
      const flags = flagsFor(KUBECTL_FLAGS.drain);
      if (E.isLeft(flags)) return flags;
      const f = flags.right;
      const grace = num(f, '--grace-period');
      const timeout = num(f, '--timeout');
      return E.map((node: Word): KubectlCommand => ({
        tool: 'kubectl', verb: 'drain', node, ignoreDaemonsets: bool(f, '--ignore-daemonsets'),
        deleteEmptydirData: bool(f, '--delete-emptydir-data') || bool(f, '--delete-local-data'), force: bool(f, '--force'),
        disableEviction: bool(f, '--disable-eviction'),
        ...(grace === undefined ? {} : { gracePeriodSeconds: grace }), ...(timeout === undefined ? {} : { timeoutMs: timeout }),
      }))(onePositional(prefix, f, 'node name'));
    }
    case 'cordon':
    case 'uncordon': {
      const flags = flagsFor(KUBECTL_FLAGS.cordon);
      if (E.isLeft(flags)) return flags;
      return E.map((node: Word): KubectlCommand => ({ tool: 'kubectl', verb, node }))(onePositional(prefix, flags.right, 'node name'));
    }
    case 'taint': {
      const flags = flagsFor(KUBECTL_FLAGS.taint);
      if (E.isLeft(flags)) return flags;
      const [type = '', nodeText, ...taintTexts] = flags.right.positional;
      if (!NODE_TYPES.includes(type) || nodeText === undefined) return E.left(`${prefix}: use "kubectl taint nodes NODE key=value:Effect"`);
      if (taintTexts.length === 0) return E.left(`${prefix}: no taint given`);
      const taints: TaintArg[] = [];
      for (const text of taintTexts) {
        const m = TAINT_ARG.exec(text);
        const remove = m?.[4] === '-';
        if (m === null || (!remove && m[3] === undefined)) return E.left(`${prefix}: invalid taint "${text}" (use key=value:Effect or key:Effect-)`);
        taints.push({
          key: m[1] ?? '', remove, ...(m[2] === undefined ? {} : { value: m[2] }),
          ...(m[3] === undefined ? {} : { effect: m[3] as TaintArg['effect'] & string }),
        });
      }
      return E.map((node: Word): KubectlCommand => ({ tool: 'kubectl', verb: 'taint-nodes', node, taints, overwrite: bool(flags.right, '--overwrite') }))(
        template(prefix, nodeText),
      );
    }
    case 'scale': {
      const flags = flagsFor(KUBECTL_FLAGS.scale);
      if (E.isLeft(flags)) return flags;
      const [type, names] = typeAndName(flags.right.positional);
      const kind = SCALE_TYPES[type];
      if (kind === undefined || names.length !== 1) return E.left(`${prefix}: use "kubectl scale statefulset/NAME --replicas=N"`);
      const replicas = num(flags.right, '--replicas');
      if (replicas === undefined) return E.left(`${prefix}: --replicas is required`);
      return E.right({ tool: 'kubectl', verb: 'scale', ...ns(flags.right), kind, name: names[0] ?? '', replicas });
    }
    case 'apply': {
      const flags = flagsFor(KUBECTL_FLAGS.apply);
      if (E.isLeft(flags)) return flags;
      const file = str(flags.right, '--filename');
      if (file === undefined || flags.right.positional.length > 0) return E.left(`${prefix}: use "kubectl apply -f relative/path.yaml"`);
      return E.right({ tool: 'kubectl', verb: 'apply', ...ns(flags.right), file });
    }
    case 'exec': {
      const flags = flagsFor(KUBECTL_FLAGS.exec);
      if (E.isLeft(flags)) return flags;
      const command = flags.right.rest ?? [];
      if (command.length === 0) return E.left(`${prefix}: give the command after "--"`);
      const container = str(flags.right, '--container');
      const cql = command[0] === 'cqlsh' && command[1] === '-e' && command.length === 3 ? command[2] : undefined;
      return E.map((pod: Word): KubectlCommand => ({
        tool: 'kubectl', verb: 'exec', ...ns(flags.right), pod, ...(container === undefined ? {} : { container }), command,
        ...(cql === undefined ? {} : { cql }),
      }))(onePositional(prefix, flags.right, 'pod name'));
    }
    default:
      return E.left(`kubectl: unknown verb "${verb}" (use ${KUBECTL_VERBS.join(', ')})${didYouMean(verb, KUBECTL_VERBS)}`);
  }
};

/**
 * Resolutions the BOSH director offers, per problem type (cloudfoundry/bosh
 * src/bosh-director/lib/bosh/director/problem_handlers/*.rb, v280).
 */
export const BOSH_RESOLUTIONS: readonly string[] = [
  'ignore', 'reboot_vm', 'recreate_vm', 'recreate_vm_without_wait', 'delete_vm', 'delete_vm_reference',
  'delete_disk_reference', 'activate_disk', 'reattach_disk', 'reattach_disk_and_reboot',
];

const parseBosh = (words: readonly string[]): E.Either<string, BoshCommand> => {
  const flags = parseFlags('bosh', words, { '--deployment': 'string', '--resolution': 'string', '--auto': 'bool', '--report': 'bool' });
  if (E.isLeft(flags)) return flags;
  const f = flags.right;
  const [command = ''] = f.positional;
  if (f.positional.length !== 1 || (command !== 'cck' && command !== 'cloud-check'))
    return E.left(`bosh: unknown command "${f.positional.join(' ')}" (only "bosh -d DEPLOYMENT cck" is supported)`);
  const deployment = str(f, '--deployment');
  if (deployment === undefined) return E.left('bosh cck: -d DEPLOYMENT is required');
  const resolutions = str(f, '--resolution')?.split('\n') ?? [];
  const unknown = resolutions.find((r) => !BOSH_RESOLUTIONS.includes(r));
  if (unknown !== undefined) return E.left(`bosh cck: unknown resolution "${unknown}"${didYouMean(unknown, BOSH_RESOLUTIONS)}`);
  if (bool(f, '--auto') && bool(f, '--report')) return E.left('bosh cck: --auto and --report exclude each other');
  if (bool(f, '--report') && resolutions.length > 0) return E.left('bosh cck: --report and --resolution exclude each other');
  return E.right({ tool: 'bosh', deployment, command: 'cck', resolutions, mode: bool(f, '--auto') ? 'auto' : bool(f, '--report') ? 'report' : 'interactive' });
};

const GOVC_COMMAND = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_.]*)*$/;

const TOOLS = ['kubectl', 'govc', 'bosh', 'partition', 'heal', 'restart-kubelet'];

/**
 * Parses a step's command line.
 * @example parseCommand('kubectl delete pod cassandra-0 -n cassandra --force --grace-period=0')
 */
export const parseCommand = (line: string): E.Either<string, Command> => {
  const split = splitWords(line);
  if (E.isLeft(split)) return split;
  const [tool = '', ...words] = split.right;
  switch (tool) {
    case 'kubectl':
      return parseKubectl(words);
    case 'bosh':
      return parseBosh(words);
    case 'govc': {
      const [command = '', ...args] = words;
      if (!GOVC_COMMAND.test(command)) return E.left(`govc: invalid command "${command}"`);
      const templates: Word[] = [];
      for (const arg of args) {
        const t = template(`govc ${command}`, arg);
        if (E.isLeft(t)) return t;
        templates.push(t.right);
      }
      return E.right({ tool: 'govc', command, args: templates });
    }
    case 'partition':
    case 'heal':
    case 'restart-kubelet': {
      if (words.length !== 2 || words[0] !== 'node') return E.left(`${tool}: use "${tool} node NODE"`);
      return E.map((node: Word): Command => ({ tool: 'failsim', verb: tool, node }))(template(tool, words[1] ?? ''));
    }
    default:
      return E.left(`unknown command "${tool}" (use ${TOOLS.join(', ')})${didYouMean(tool, TOOLS)}`);
  }
};
