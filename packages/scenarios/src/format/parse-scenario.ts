// parseScenario: YAML text → a validated Scenario, or every error with its position.
// Order: safe YAML (yaml-source.ts; through the bounded cache of yaml-cache.ts, so a text is
// parsed once while kept) → JSON Schema (scenario-schema.ts, ajv, compiled once at import) →
// semantic checks (profile keys, durations, commands, references between steps and
// expectations).
import { findProfile, profiles, withOverrides, type ProfileOverrides, type VersionProfile } from '@failsim/controllers';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import * as E from 'fp-ts/lib/Either.js';
import { posix } from 'node:path';
import { parseCommand, TAINT_ARG, type Command } from './command.js';
import { manifestProblems } from './manifest-check.js';
import { camelName, overrideKey, overrideValue, OVERRIDE_GROUPS } from './overrides.js';
import { didYouMean } from './did-you-mean.js';
import { DURATION_HINT, parseDuration, parseWindow, type TimeWindow } from './duration.js';
import { isLiteral, parseTemplate, type Template } from './reference.js';
import type { Expectation, Manifest, ObjectRef, ResourceEntry, Scenario, ScenarioNode, ScenarioStep, SourcePosition, StateCondition, StepTrigger } from './scenario.js';
import { formatPath, type ScenarioError } from './scenario-error.js';
import { scenarioSchema } from './scenario-schema.js';
import { sharedYamlCache } from './yaml-cache.js';
import { DEFAULT_YAML_LIMITS, yamlType, type YamlLimits, type YamlSource } from './yaml-source.js';

/** Options of parseScenario. */
export interface ParseScenarioOptions {
  /** The file name errors carry (as the user should see it). */
  readonly file: string;
  /** Size, depth and alias limits; defaults DEFAULT_YAML_LIMITS. */
  readonly limits?: Partial<YamlLimits>;
}

type Path = readonly (string | number)[];
type Json = Record<string, unknown>;

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(scenarioSchema);

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const PROFILE_NAMES = profiles.map((p) => p.name).join(', ');


/** Instance path '/steps/2/at' → ['steps', 2, 'at'], numbers where the value is an array. */
const pathOf = (pointer: string, root: unknown): (string | number)[] => {
  const path: (string | number)[] = [];
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path.push(Number(segment));
      value = value[Number(segment)] as unknown;
    } else {
      path.push(segment);
      value = (value as Json | undefined)?.[segment];
    }
  }
  return path;
};

const valueAt = (root: unknown, path: Path): unknown => path.reduce<unknown>((v, s) => (v as Record<string | number, unknown> | undefined)?.[s], root);

/** One clear message for an ajv error; undefined to drop it (the `if` of if/then/else). */
const schemaMessage = (error: ErrorObject, value: unknown): { extra?: string; key?: boolean; message: string } | undefined => {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined;
    case 'additionalProperties': {
      const name = String(p['additionalProperty']);
      const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
      return { extra: name, key: true, message: `unknown field "${name}"${didYouMean(name, Object.keys(parent?.properties ?? {}))}` };
    }
    case 'required':
      return { message: `missing required field "${String(p['missingProperty'])}"` };
    case 'type':
      return { message: `expected ${String(p['type']).replace(',', ' or ')}, got ${yamlType(value)}` };
    case 'enum':
      return { message: `must be one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(value)}` };
    case 'minItems':
      return { message: `needs at least ${String(p['limit'])} item${p['limit'] === 1 ? '' : 's'}` };
    case 'minLength':
      return { message: 'must not be empty' };
    case 'minProperties':
    case 'maxProperties':
      return { message: 'an expectation has exactly one of state, held, event, data' };
    case 'minimum':
    case 'maximum':
      return { message: `must be an integer from 0 to 4294967295; got ${String(value)}` };
    case 'pattern': {
      const text = JSON.stringify(value);
      if (error.schemaPath.includes('/duration/')) return { message: `invalid duration ${text} ${DURATION_HINT}` };
      if (error.schemaPath.includes('/window/')) return { message: `invalid window ${text} (use "30s..50s" or "50s")` };
      if (error.schemaPath.startsWith('#/properties/profile/')) return { message: `unknown profile ${text} (failsim has ${PROFILE_NAMES})` };
      return { message: `invalid name ${text} (lowercase letters, digits and "-", at most 63 characters)` };
    }
    default:
      return { message: error.message ?? error.keyword };
  }
};

/** Checks and builds; every problem goes to `errors` with its position. */
class Checker {
  readonly errors: ScenarioError[] = [];
  constructor(readonly source: YamlSource) {}

  position(path: Path, key = false): SourcePosition {
    return { file: this.source.file, ...this.source.positionOf(path, key) };
  }

  fail(path: Path, message: string, key = false): undefined {
    this.errors.push({ ...this.position(path, key), path: formatPath(path), message });
    return undefined;
  }

  /** Right value, or the Left recorded at `path`. */
  get<T>(path: Path, result: E.Either<string, T>): T | undefined {
    return E.isRight(result) ? result.right : this.fail(path, result.left);
  }
}

const OBJECT_KINDS: Readonly<Record<string, { kind: ObjectRef['kind']; namespaced: boolean }>> = {
  node: { kind: 'node', namespaced: false }, pv: { kind: 'pv', namespaced: false }, vm: { kind: 'vm', namespaced: false },
  pod: { kind: 'pod', namespaced: true }, pvc: { kind: 'pvc', namespaced: true }, statefulset: { kind: 'statefulset', namespaced: true },
  deployment: { kind: 'deployment', namespaced: true },
};

/** `node/NAME`, `pod/NS/NAME`, … with references allowed in NAME. */
export const parseObjectRef = (text: string): E.Either<string, ObjectRef> => {
  const slash = text.indexOf('/');
  const kindText = slash < 0 ? text : text.slice(0, slash);
  const spec = OBJECT_KINDS[kindText];
  if (spec === undefined || slash < 0) return E.left(`invalid object "${text}" (use node/NAME, pod/NAMESPACE/NAME, pvc/NAMESPACE/NAME, pv/NAME or vm/NAME)${didYouMean(kindText, Object.keys(OBJECT_KINDS))}`);
  let rest = text.slice(slash + 1);
  let namespace: string | undefined;
  if (spec.namespaced) {
    const next = rest.indexOf('/');
    namespace = next < 0 ? '' : rest.slice(0, next);
    if (!NAME.test(namespace)) return E.left(`invalid object "${text}" (${kindText} needs ${kindText}/NAMESPACE/NAME)`);
    rest = rest.slice(next + 1);
  }
  return E.map((name: Template): ObjectRef => ({ kind: spec.kind, ...(namespace === undefined ? {} : { namespace }), name }))(parseTemplate(rest));
};

/** `/regex/flags` → RegExp, anything else stays a substring. */
const parseMessage = (text: string): E.Either<string, string | RegExp> => {
  const m = /^\/(.*)\/([dgimsuy]*)$/s.exec(text);
  if (m === null) return E.right(text);
  try {
    return E.right(new RegExp(m[1] ?? '', m[2]));
  } catch (e) {
    return E.left(e instanceof Error ? e.message : `invalid regular expression ${text}`);
  }
};

/** A relative path that stays inside the scenario's folder (checked again on disk by loadScenario). */
export const checkRelativePath = (path: string): E.Either<string, string> => {
  if (posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\')) return E.left(`absolute path "${path}" (use a path relative to the scenario's folder)`);
  if (path.includes('\\')) return E.left(`path "${path}" uses "\\" (use "/")`);
  const normal = posix.normalize(path);
  if (normal === '..' || normal.startsWith('../')) return E.left(`path "${path}" leaves the scenario's folder`);
  return E.right(normal);
};

const checkOverrides = (c: Checker, raw: Json | undefined, profile: VersionProfile): ProfileOverrides => {
  const result: Record<string, Record<string, unknown>> = {};
  for (const group of OVERRIDE_GROUPS) {
    const given = (raw?.[group] ?? {}) as Json;
    const defaults = profile[group] as unknown as Json;
    const out: Record<string, unknown> = {};
    for (const [written, value] of Object.entries(given)) {
      const path = ['overrides', group, written];
      const name = overrideKey(profile, group, written);
      if (name === undefined) {
        const wanted = group === 'features' ? written : camelName(written);
        c.fail(path, `unknown ${group === 'options' ? 'option' : group === 'features' ? 'feature gate' : 'behaviour'} "${written}" of profile ${profile.name}${didYouMean(wanted, Object.keys(defaults))}`, true);
        continue;
      }
      const checked = c.get(path, overrideValue(name, defaults[name], value));
      if (checked !== undefined) out[name] = checked;
    }
    if (Object.keys(out).length > 0) result[group] = out;
  }
  return result;
};

const checkManifest = (c: Checker, path: Path, manifest: Json): Manifest | undefined => {
  const metadata = manifest['metadata'] as Json;
  const name = metadata['name'];
  if (typeof name === 'string' && !SUBDOMAIN.test(name)) return c.fail([...path, 'metadata', 'name'], `invalid name "${name}" (lowercase RFC 1123 subdomain)`);
  const namespace = metadata['namespace'];
  if (typeof namespace === 'string' && !NAME.test(namespace)) return c.fail([...path, 'metadata', 'namespace'], `invalid namespace "${namespace}"`);
  const problems = manifestProblems(manifest);
  for (const p of problems) c.fail([...path, ...p.path], p.message);
  return problems.length > 0 ? undefined : (manifest as unknown as Manifest);
};

const checkCluster = (c: Checker, raw: Json): Scenario['cluster'] => {
  const vsphere = raw['vsphere'] as { hosts: string[]; datastores: { name: string; policies?: string[] }[] } | undefined;
  const seen = new Set<string>();
  const nodes: ScenarioNode[] = [];
  (raw['nodes'] as Json[]).forEach((node, i) => {
    const name = node['name'] as string;
    if (seen.has(name)) c.fail(['cluster', 'nodes', i, 'name'], `duplicate node name "${name}"`);
    seen.add(name);
    const host = node['host'] as string | undefined;
    if (host !== undefined && vsphere !== undefined && !vsphere.hosts.includes(host))
      c.fail(['cluster', 'nodes', i, 'host'], `no host "${host}" in cluster.vsphere.hosts${didYouMean(host, vsphere.hosts)}`);
    if (host !== undefined && vsphere === undefined) c.fail(['cluster', 'nodes', i, 'host'], 'a host needs cluster.vsphere');
    nodes.push({ name, role: node['role'] as ScenarioNode['role'], vm: (node['vm'] as string | undefined) ?? name, ...(node['zone'] === undefined ? {} : { zone: node['zone'] as string }), ...(host === undefined ? {} : { host }) });
  });
  if (!nodes.some((n) => n.role === 'worker')) c.fail(['cluster', 'nodes'], 'needs at least one worker node');
  const datastores = (vsphere?.datastores ?? []).map((d) => ({ name: d.name, policies: d.policies ?? [] }));
  datastores.forEach((d, i) => {
    if (datastores.findIndex((o) => o.name === d.name) !== i) c.fail(['cluster', 'vsphere', 'datastores', i, 'name'], `duplicate datastore "${d.name}"`);
  });
  const bosh = raw['bosh'] as { deployment: string; director?: string } | undefined;
  if (bosh !== undefined && vsphere === undefined) c.fail(['cluster', 'bosh'], 'a BOSH deployment needs cluster.vsphere (its CPI is the vSphere CPI)');
  return { nodes, ...(vsphere === undefined ? {} : { vsphere: { hosts: vsphere.hosts, datastores } }), ...(bosh === undefined ? {} : { bosh }) };
};

/** The longest a scenario may run, and so any time in it: a week of cluster life. */
export const MAX_SCENARIO_MS = 7 * 24 * 3_600_000;
/** The longest a `when` may wait. */
const MAX_TIMEOUT_MS = 24 * 3_600_000;

/** A duration inside (0 or more, up to `max`]; Left says which bound it broke. */
const inRange = (ms: number, text: unknown, max = MAX_SCENARIO_MS, min = 0): E.Either<string, number> =>
  ms > max ? E.left(`${String(text)} is longer than ${max / 3_600_000}h, the most a scenario allows`) : ms < min || (min > 0 && ms === 0) ? E.left(`${String(text)} must be more than 0s`) : E.right(ms);

/** The node a command names, when it names one literally (a reference is checked when it runs). */
const literalNode = (command: Command): string | undefined => {
  const node = command.tool === 'failsim' ? command.node : command.tool === 'kubectl' && 'node' in command ? command.node : undefined;
  return node !== undefined && isLiteral(node) ? node.raw : undefined;
};

const checkSteps = (c: Checker, raw: Json[], cluster: Scenario['cluster'], untilMs: number | undefined): ScenarioStep[] => {
  const nodeNames = cluster.nodes.map((n) => n.name);
  const steps: ScenarioStep[] = [];
  const ids = new Set<string>();
  raw.forEach((step, i) => {
    const path = ['steps', i];
    const id = (step['id'] as string | undefined) ?? `step-${i + 1}`;
    if (ids.has(id)) c.fail([...path, 'id'], `duplicate step id "${id}"`);
    ids.add(id);
    const given = (['at', 'after', 'when'] as const).filter((k) => step[k] !== undefined);
    if (given.length !== 1) {
      c.fail(given.length === 0 ? path : [...path, given[1] ?? ''], 'a step has exactly one of at, after, when', given.length > 1);
      return;
    }
    if (step['timeout'] !== undefined && given[0] !== 'when') c.fail([...path, 'timeout'], 'timeout goes with when', true);
    let trigger: StepTrigger | undefined;
    if (given[0] === 'at') {
      const atMs = c.get([...path, 'at'], E.chain((ms: number) => inRange(ms, step['at']))(parseDuration(step['at'] as string)));
      if (atMs !== undefined && untilMs !== undefined && atMs > untilMs) c.fail([...path, 'at'], `${String(step['at'])} is after until (${String(untilMs / 1000)}s)`);
      if (atMs !== undefined) trigger = { kind: 'at', atMs };
    } else if (given[0] === 'after') {
      const afterMs = c.get([...path, 'after'], E.chain((ms: number) => inRange(ms, step['after']))(parseDuration(step['after'] as string)));
      if (afterMs !== undefined) trigger = { kind: 'after', afterMs };
    } else {
      const condition = step['when'] as string;
      // The status is the last word; the object before " is " may hold a `{{ … }}` with spaces.
      const m = /^(\S.*?)\s+is\s+(\S+)$/.exec(condition.trim());
      if (m === null) c.fail([...path, 'when'], `invalid condition "${condition}" (use "<object> is <Status>", e.g. "pod/cassandra/cassandra-0 is Running")`);
      else if (step['timeout'] === undefined) c.fail(path, 'when needs a timeout');
      else {
        const object = c.get([...path, 'when'], parseObjectRef(m[1] ?? ''));
        const timeoutMs = c.get([...path, 'timeout'], E.chain((ms: number) => inRange(ms, step['timeout'], MAX_TIMEOUT_MS, 1))(parseDuration(step['timeout'] as string)));
        if (object !== undefined && timeoutMs !== undefined) trigger = { kind: 'when', object, status: m[2] ?? '', timeoutMs };
      }
    }
    const line = step['run'] as string;
    const command = c.get([...path, 'run'], parseCommand(line));
    if (command?.tool === 'bosh' && cluster.bosh !== undefined && command.deployment !== cluster.bosh.deployment)
      c.fail([...path, 'run'], `bosh: no deployment "${command.deployment}" (cluster.bosh.deployment is "${cluster.bosh.deployment}")`);
    if (command?.tool === 'bosh' && cluster.bosh === undefined) c.fail([...path, 'run'], 'bosh: the cluster has no BOSH deployment (cluster.bosh)');
    if (command?.tool === 'kubectl' && command.verb === 'apply') c.get([...path, 'run'], checkRelativePath(command.file));
    const named = command === undefined ? undefined : literalNode(command);
    if (named !== undefined && !nodeNames.includes(named)) c.fail([...path, 'run'], `no node "${named}" in cluster.nodes${didYouMean(named, nodeNames)}`);
    if (command !== undefined && trigger !== undefined) {
      const title = step['title'] as string | undefined;
      steps.push({ id, ...(title === undefined ? {} : { title }), trigger, line, command, position: c.position(path) });
    }
  });
  return steps;
};

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * A taint as `state`/`held` name it: `key`, `key:Effect` or `key=value:Effect` (what
 * `kubectl taint nodes` takes, without a removal's `-`).
 * @example parseTaint('node.kubernetes.io/unreachable:NoExecute') // right
 */
export const parseTaint = (text: string): E.Either<string, string> => {
  const m = TAINT_ARG.exec(text);
  if (m !== null && m[4] === undefined && (m[2] === undefined || m[3] !== undefined)) return E.right(text);
  const effect = /:([^:]*)$/.exec(text)?.[1]?.replace(/-$/, '');
  const why = effect !== undefined && !TAINT_EFFECTS.includes(effect) ? `: effect "${effect}" is not one of ${TAINT_EFFECTS.join(', ')}${didYouMean(effect, TAINT_EFFECTS)}` : '';
  return E.left(`invalid taint ${JSON.stringify(text)}${why} (use key, key:Effect or key=value:Effect, e.g. node.kubernetes.io/unreachable:NoExecute)`);
};

/** The `status`, or the `taint` and `absent`, of a `state`/`held` expectation at `path`. */
const stateCondition = (c: Checker, path: Path, body: Json, object: ObjectRef | undefined): StateCondition | undefined => {
  const status = body['status'] as string | undefined;
  const taint = body['taint'] as string | undefined;
  if ((status === undefined) === (taint === undefined)) return c.fail(path, `a ${String(path[2])} expectation has exactly one of status, taint`);
  if (status !== undefined) return body['absent'] === undefined ? { status } : c.fail([...path, 'absent'], 'absent goes with taint (for an object that does not exist, use status: absent)', true);
  if (object !== undefined && object.kind !== 'node') return c.fail([...path, 'taint'], `only nodes have taints (object is ${object.kind}/…)`);
  const parsed = c.get([...path, 'taint'], parseTaint(taint ?? ''));
  return parsed === undefined ? undefined : { taint: parsed, absent: body['absent'] === true };
};

const checkExpectations = (c: Checker, raw: Json[], stepIds: ReadonlySet<string>): Expectation[] => {
  const out: Expectation[] = [];
  raw.forEach((item, i) => {
    const [kind = '', body = {}] = Object.entries(item)[0] as [string, Json];
    const path = ['expectations', i, kind];
    const position = c.position(['expectations', i]);
    const after = body['after'] as string | undefined;
    if (after !== undefined && !stepIds.has(after)) c.fail([...path, 'after'], `no step with id "${after}"${didYouMean(after, [...stepIds])}`);
    const opt = { ...(after === undefined ? {} : { after }) };
    const object = body['object'] === undefined ? undefined : c.get([...path, 'object'], parseObjectRef(body['object'] as string));
    const within = body['within'] === undefined ? undefined : c.get([...path, 'within'], parseWindow(body['within'] as string));
    const withinOpt: { within?: TimeWindow } = within === undefined ? {} : { within };
    const condition = kind === 'state' || kind === 'held' ? stateCondition(c, path, body, object) : undefined;
    if (kind === 'state' && object !== undefined && within !== undefined && condition !== undefined) out.push({ kind, object, ...condition, within, ...opt, position });
    if (kind === 'held' && object !== undefined) {
      const forMs = c.get([...path, 'for'], parseDuration(body['for'] as string));
      if (forMs !== undefined && condition !== undefined) out.push({ kind, object, ...condition, forMs, ...opt, position });
    }
    if (kind === 'event') {
      const message = body['message'] === undefined ? undefined : c.get([...path, 'message'], parseMessage(body['message'] as string));
      out.push({ kind, reason: body['reason'] as string, ...(message === undefined ? {} : { message }), ...(object === undefined ? {} : { object }), ...opt, ...withinOpt, position });
    }
    if (kind === 'data') {
      const podText = body['pod'] as string;
      const slash = podText.indexOf('/');
      const namespace = podText.slice(0, slash);
      const name = slash > 0 && NAME.test(namespace) ? c.get([...path, 'pod'], parseTemplate(podText.slice(slash + 1))) : c.fail([...path, 'pod'], `invalid pod "${podText}" (use namespace/name)`);
      if (name !== undefined)
        out.push({ kind, pod: { namespace, name }, query: body['query'] as string, contains: body['contains'] as string, absent: body['absent'] === true, ...opt, ...withinOpt, position });
    }
  });
  return out;
};

/** The provisioner of each `storage:` value: the in-tree vSphere volume plugin or the vSphere CSI driver. */
const STORAGE_PROVISIONERS: Record<Scenario['storage'], string> = { vcp: 'kubernetes.io/vsphere-volume', csi: 'csi.vsphere.vmware.com' };

/**
 * Why a manifest contradicts the scenario's `storage:` (a StorageClass of the other vSphere
 * provisioner), or undefined. Other kinds and other provisioners pass. loadScenario can call
 * it for the manifests of resource files; parseScenario checks inline ones.
 * @example storageMismatch('csi', { kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: 'kubernetes.io/vsphere-volume' })
 */
export const storageMismatch = (storage: Scenario['storage'], manifest: { readonly kind?: unknown; readonly metadata?: { readonly name?: unknown }; readonly [k: string]: unknown }): string | undefined => {
  if (manifest.kind !== 'StorageClass') return undefined;
  const provisioner = manifest['provisioner'];
  const other = storage === 'vcp' ? 'csi' : 'vcp';
  if (provisioner !== STORAGE_PROVISIONERS[other]) return undefined;
  return `StorageClass "${String(manifest.metadata?.name)}" uses ${String(provisioner)} but the scenario has storage: ${storage} (use ${STORAGE_PROVISIONERS[storage]}, or storage: ${other})`;
};

/** The datastore a scenario without `cluster.vsphere` runs on (vsphereCluster's default). */
const DEFAULT_DATASTORE = 'vsanDatastore';

/**
 * Why a StorageClass names a datastore the scenario's vCenter does not have (the in-tree
 * plugin's `datastore` parameter, the CSI driver's `datastoreurl`
 * `ds:///vmfs/volumes/<name>/`), with the parameter's path; undefined otherwise. Run, every
 * claim of the class would fail to provision and retry to the end ("datastore 'x' not
 * found"), which a scenario means by mistake, not on purpose: a typo, or a datastore left
 * out of `cluster.vsphere.datastores`.
 * @example undeclaredDatastore({ nodes: [], vsphere: { hosts: ['h'], datastores: [{ name: 'ds1', policies: [] }] } },
 *   { kind: 'StorageClass', metadata: { name: 'sc' }, provisioner: 'kubernetes.io/vsphere-volume', parameters: { datastore: 'ds2' } })
 * // → { path: ['parameters', 'datastore'], message: 'StorageClass "sc" names datastore "ds2", which cluster.vsphere.datastores does not declare (it has ds1)' }
 */
export const undeclaredDatastore = (
  cluster: Scenario['cluster'],
  manifest: { readonly kind?: unknown; readonly metadata?: { readonly name?: unknown }; readonly [k: string]: unknown },
): { readonly path: readonly string[]; readonly message: string } | undefined => {
  if (manifest.kind !== 'StorageClass') return undefined;
  const parameters = manifest['parameters'];
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  // Both read their parameter keys case-insensitively (vsphere_volume_util.go; the CSI driver's lower-cased keys).
  const wanted = manifest['provisioner'] === STORAGE_PROVISIONERS.vcp ? 'datastore' : manifest['provisioner'] === STORAGE_PROVISIONERS.csi ? 'datastoreurl' : undefined;
  const key = Object.keys(parameters).find((k) => k.toLowerCase() === wanted);
  if (key === undefined) return undefined;
  const value = String((parameters as Record<string, unknown>)[key]);
  const name = wanted === 'datastoreurl' ? value.replace(/^ds:\/\/\/vmfs\/volumes\//, '').replace(/\/$/, '') : value;
  const declared = cluster.vsphere?.datastores.map((d) => d.name) ?? [DEFAULT_DATASTORE];
  if (declared.includes(name)) return undefined;
  const where = cluster.vsphere === undefined ? `a scenario without cluster.vsphere has only ${DEFAULT_DATASTORE}` : `cluster.vsphere.datastores does not declare (it has ${declared.join(', ')})`;
  return { path: ['parameters', key], message: `StorageClass "${String(manifest.metadata?.name)}" names datastore "${name}", which ${where}${didYouMean(name, declared)}` };
};

/** Validates a parsed YAML document as a scenario. */
export const scenarioFromSource = (source: YamlSource): E.Either<ScenarioError[], Scenario> => {
  const c = new Checker(source);
  const root = source.value;
  if (!validate(root)) {
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      const path = pathOf(error.instancePath, root);
      const described = schemaMessage(error, valueAt(root, path));
      if (described === undefined) continue;
      const full = described.extra === undefined ? path : [...path, described.extra];
      const key = formatPath(full);
      if (seen.has(key)) continue;
      seen.add(key);
      c.fail(full, described.message, described.key);
    }
    return E.left(c.errors);
  }
  const doc = source.value as Json;
  const base = findProfile(doc['profile'] as string);
  if (base === undefined) {
    c.fail(['profile'], `unknown profile "${String(doc['profile'])}" (failsim has ${PROFILE_NAMES})`);
    return E.left(c.errors);
  }
  const overrides = checkOverrides(c, doc['overrides'] as Json | undefined, base);
  const cluster = checkCluster(c, doc['cluster'] as Json);
  const untilMs = doc['until'] === undefined ? undefined : c.get(['until'], E.chain((ms: number) => inRange(ms, doc['until'], MAX_SCENARIO_MS, 1))(parseDuration(doc['until'] as string)));
  const resources: ResourceEntry[] = [];
  ((doc['resources'] ?? []) as Json[]).forEach((item, i) => {
    const position = c.position(['resources', i]);
    if (typeof item['file'] === 'string') {
      const path = c.get(['resources', i, 'file'], checkRelativePath(item['file']));
      if (path !== undefined) resources.push({ source: 'file', path, position });
    } else {
      const manifest = checkManifest(c, ['resources', i], item);
      if (manifest !== undefined) {
        const mismatch = storageMismatch(doc['storage'] as Scenario['storage'], manifest);
        if (mismatch !== undefined) c.fail(['resources', i, 'provisioner'], mismatch);
        const datastore = undeclaredDatastore(cluster, manifest);
        if (datastore !== undefined) c.fail(['resources', i, ...datastore.path], datastore.message);
        resources.push({ source: 'inline', manifest, position });
      }
    }
  });
  const steps = checkSteps(c, doc['steps'] as Json[], cluster, untilMs);
  const stepIds = new Set(((doc['steps'] as Json[]) ?? []).map((s, i) => (s['id'] as string | undefined) ?? `step-${i + 1}`));
  const expectations = checkExpectations(c, (doc['expectations'] ?? []) as Json[], stepIds);
  if (c.errors.length > 0) return E.left(c.errors);
  const metadata = doc['metadata'] as Scenario['metadata'];
  return E.right({
    file: source.file,
    metadata,
    profile: withOverrides(base, overrides),
    overrides,
    storage: doc['storage'] as Scenario['storage'],
    cluster,
    resources,
    steps,
    expectations,
    seed: (doc['seed'] as number | undefined) ?? 1,
    ...(untilMs === undefined ? {} : { untilMs }),
  });
};

/**
 * Parses a scenario file's text. Left: every error (file:line:column, field path, one
 * message each) and no partial result. Resource files are not read: see loadScenario.
 * @example parseScenario(text, { file: 'scenarios/statefulset-node-poweroff.yaml' })
 */
export const parseScenario = (text: string, options: ParseScenarioOptions): E.Either<ScenarioError[], Scenario> => {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const sources = sharedYamlCache.read(text, options.file, false, limits);
  if (E.isLeft(sources)) return sources;
  const [source] = sources.right;
  return source === undefined ? E.left([{ file: options.file, line: 1, column: 1, path: '', message: 'file is empty' }]) : scenarioFromSource(source);
};
