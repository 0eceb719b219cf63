// Checking a scenario's expectations against what the run recorded. Each check reads the
// recorded transitions and events (and, for data, the runner's cqlsh probes), so a failure
// can say what was expected, what happened instead, and when.
import * as E from 'fp-ts/lib/Either.js';
import { TAINT_ARG } from '../format/command.js';
import type { TimeWindow } from '../format/duration.js';
import type { Expectation, ObjectRef, StateCondition } from '../format/scenario.js';
import { objectKey, type RecordedEvent, type Transition, type TransitionField } from './recorder.js';

/** The verdict on one expectation. */
export interface ExpectationResult {
  readonly description: string;
  readonly passed: boolean;
  /** Why: what was seen and when (virtual seconds from the scenario start). */
  readonly detail: string;
}

/** What a data probe (`kubectl exec … cqlsh -e …`) answered. */
export interface DataProbe {
  readonly at: number;
  readonly ok: boolean;
  readonly output: string;
}

/** What {@link checkExpectation} reads. */
export interface ExpectationContext {
  /** When the `after` step ran, seconds; undefined when it never ran. 0 without `after`. */
  readonly anchor: number | undefined;
  /** The expectation's object with references resolved, as the recorder names it. */
  readonly object?: E.Either<string, string>;
  readonly transitions: readonly Transition[];
  readonly events: readonly RecordedEvent[];
  /** The end of the run, seconds. */
  readonly end: number;
  /** For data expectations: the probes, oldest first. */
  readonly probes?: readonly DataProbe[];
}

/** Formats milliseconds like a scenario duration: 40s, 5m, 1h30m, 500ms. */
export const formatMs = (ms: number): string => {
  if (ms === 0) return '0s';
  if (ms % 1000 !== 0) return `${ms}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
};

const windowText = (w: TimeWindow): string => (w.fromMs === 0 ? formatMs(w.toMs) : `${formatMs(w.fromMs)}..${formatMs(w.toMs)}`);
const refText = (ref: ObjectRef): string => `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name.raw}`;
const since = (after: string | undefined): string => (after ? `after ${after}` : 'from the start');
const secs = (s: number): string => `${Math.round(s * 1000) / 1000}s`;

/** The recorder's name and field for a scenario object. */
export const objectField = (ref: ObjectRef, name: string): E.Either<string, { key: string; field: TransitionField }> => {
  switch (ref.kind) {
    case 'node':
      return E.right({ key: objectKey('Node', name), field: 'status' });
    case 'pod':
      return E.right({ key: objectKey('Pod', name, ref.namespace), field: 'status' });
    case 'vm':
      return E.right({ key: objectKey('VirtualMachine', name), field: 'power' });
    default:
      return E.left(`the runner follows the status of nodes, pods and vms (power), not ${ref.kind}s`);
  }
};

/**
 * The field a `state`/`held` expectation reads: {@link objectField}'s, plus `pv/NAME`, whose
 * status is the VMs its disk is attached to (the recorder's `attachedTo`: names sorted and
 * comma-separated, "" for none). Kept apart from objectField, which `when` conditions use too
 * and whose live lookup knows no PVs.
 */
export const expectationField = (ref: ObjectRef, name: string): E.Either<string, { key: string; field: TransitionField }> =>
  ref.kind === 'pv' ? E.right({ key: objectKey('PersistentVolume', name), field: 'attachedTo' }) : objectField(ref, name);

/** The words for what a `state`/`held` expectation wants: `NotReady`, `tainted node.kubernetes.io/unreachable:NoExecute`. */
const wantedText = (exp: StateCondition): string => ('status' in exp ? exp.status : `${exp.absent ? 'untainted' : 'tainted'} ${exp.taint}`);

/** One sentence for an expectation. */
export const describeExpectation = (exp: Expectation): string => {
  switch (exp.kind) {
    case 'state':
      return `${refText(exp.object)} is ${wantedText(exp)} within ${windowText(exp.within)} ${since(exp.after)}`;
    case 'held':
      return `${refText(exp.object)} stays ${wantedText(exp)} for ${formatMs(exp.forMs)} ${since(exp.after)}`;
    case 'event': {
      const message = exp.message === undefined ? '' : ` with message ${exp.message instanceof RegExp ? String(exp.message) : JSON.stringify(exp.message)}`;
      const object = exp.object ? ` on ${refText(exp.object)}` : '';
      return `event ${exp.reason}${message}${object}${exp.within ? ` within ${windowText(exp.within)}` : ''} ${since(exp.after)}`;
    }
    case 'data':
      return `cqlsh "${exp.query}" in pod ${exp.pod.namespace}/${exp.pod.name.raw} ${exp.absent ? 'does not show' : 'shows'} "${exp.contains}"${exp.within ? ` within ${windowText(exp.within)}` : ' at the end'} ${since(exp.after)}`;
  }
};

/** The history of one field: [at, value] from the first record on. */
const history = (transitions: readonly Transition[], key: string, field: TransitionField): { at: number; value: string | null }[] =>
  transitions.filter((t) => t.object === key && t.field === field).map((t) => ({ at: t.at, value: t.to }));

const valueAt = (h: readonly { at: number; value: string | null }[], at: number): string | null => {
  let value: string | null = null;
  for (const c of h) {
    if (c.at > at) break;
    value = c.value;
  }
  return value;
};

/** The status a `state`/`held` expectation gives for an object that does not exist (removed, or not yet created). */
export const ABSENT = 'absent';

const show = (v: string | null): string => (v === null ? ABSENT : v);

/**
 * Whether a Node's `taints` value (the recorder's: `key[=value]:Effect`, comma-separated)
 * holds a taint as a scenario names it: `key`, `key:Effect` or `key=value:Effect`.
 */
export const carriesTaint = (taints: string | null, wanted: string): boolean => {
  // Both are `kubectl taint` arguments: the wanted one checked by parseTaint, the recorded
  // ones formatTaint's `key[=value]:Effect`.
  const [, key, value, effect] = TAINT_ARG.exec(wanted) ?? [];
  return (taints ?? '').split(',').some((taint) => {
    const [, k, v = '', e] = TAINT_ARG.exec(taint) ?? [];
    return k === key && (effect === undefined || e === effect) && (value === undefined || v === value);
  });
};

/** What a `state`/`held` check reads: one field of one object, and which of its values pass. */
interface Wanted {
  readonly key: string;
  readonly field: TransitionField;
  /** See {@link wantedText}. */
  readonly text: string;
  readonly holds: (value: string | null) => boolean;
  /** A value as a detail shows it. */
  readonly show: (value: string | null) => string;
  /** Why the expectation cannot be decided from what the run saw, if so (a mistyped name). */
  readonly unseen?: string;
}

const wanted = (exp: Extract<Expectation, { kind: 'state' | 'held' }>, name: string, transitions: readonly Transition[]): E.Either<string, Wanted> => {
  const text = wantedText(exp);
  if ('taint' in exp) {
    const key = objectKey('Node', name);
    const { taint, absent } = exp;
    const seen = transitions.some((t) => t.object === key && t.field === 'status');
    return E.right({
      key,
      field: 'taints',
      text,
      holds: (v) => carriesTaint(v, taint) !== absent,
      show: (v) => (v ? `tainted ${v}` : 'untainted'),
      ...(seen ? {} : { unseen: `${key} never existed during the run (is the name right?)` }),
    });
  }
  // `absent` is the removal (a transition to null); an object the run never saw cannot
  // prove it, so a mistyped name fails instead of passing.
  const want = exp.status === ABSENT ? null : exp.status;
  return E.map(({ key, field }: { key: string; field: TransitionField }): Wanted => ({
    key,
    field,
    text,
    holds: (v) => v === want,
    show,
    ...(want === null && !transitions.some((t) => t.object === key && t.field === field) ? { unseen: `${key} never existed during the run, so it cannot be seen ${ABSENT} (is the name right?)` } : {}),
  }))(expectationField(exp.object, name));
};

/** Checks one expectation; never throws. */
export const checkExpectation = (exp: Expectation, ctx: ExpectationContext): ExpectationResult => {
  const description = describeExpectation(exp);
  const fail = (detail: string): ExpectationResult => ({ description, passed: false, detail });
  const pass = (detail: string): ExpectationResult => ({ description, passed: true, detail });
  if (ctx.anchor === undefined) return fail(`step "${exp.after ?? ''}" never ran`);
  const anchor = ctx.anchor;
  const rel = (at: number): string => `${secs(at)} (${secs(at - anchor)} ${exp.after ? `after ${exp.after}` : 'from the start'})`;

  if (exp.kind === 'state' || exp.kind === 'held') {
    if (ctx.object === undefined || E.isLeft(ctx.object)) return fail(ctx.object ? ctx.object.left : 'no object');
    const target = wanted(exp, ctx.object.right, ctx.transitions);
    if (E.isLeft(target)) return fail(target.left);
    const { key, field, text, holds, show: shown, unseen } = target.right;
    if (unseen !== undefined) return fail(unseen);
    const h = history(ctx.transitions, key, field);
    if (exp.kind === 'state') {
      const from = anchor + exp.within.fromMs / 1000;
      const to = anchor + exp.within.toMs / 1000;
      if (holds(valueAt(h, from))) return pass(`${key} was ${text} at ${rel(from)}`);
      // Records at exactly `from` count too: a pod removed and re-created in one instant is
      // absent at that moment although the value in force at `from` is the new pod's.
      const hit = h.find((c) => c.at >= from && c.at <= to && holds(c.value));
      if (hit) return pass(`${key} became ${text} at ${rel(hit.at)}`);
      const later = h.find((c) => c.at > to && holds(c.value));
      const earlier = [...h].reverse().find((c) => c.at >= anchor && c.at < from && holds(c.value));
      const seen = later ? `became ${text} only at ${rel(later.at)}` : earlier ? `was ${text} at ${rel(earlier.at)}, before the window, and left it` : `never became ${text}`;
      return fail(`expected ${key} ${text} between ${secs(from)} and ${secs(to)}; it was ${shown(valueAt(h, to))} at ${secs(to)} and ${seen}`);
    }
    // The record that starts the hold: the one in force at the anchor, else the first after it.
    // Later records are searched by index, not time: a pod deleted and re-created in the same
    // instant has two records with one `at`, and the second still ends the hold.
    let atAnchor = -1;
    for (let i = 0; i < h.length && h[i]!.at <= anchor; i++) atAnchor = i;
    const holdsAtAnchor = holds(atAnchor >= 0 ? h[atAnchor]!.value : null);
    const startIndex = holdsAtAnchor ? atAnchor : h.findIndex((c, i) => i > atAnchor && holds(c.value));
    const startsAt = holdsAtAnchor ? anchor : startIndex >= 0 ? h[startIndex]!.at : undefined;
    if (startsAt === undefined) return fail(`expected ${key} to become ${text} and stay so for ${formatMs(exp.forMs)}; it never became ${text} (last ${shown(valueAt(h, ctx.end))})`);
    const until = startsAt + exp.forMs / 1000;
    const left = h.find((c, i) => i > startIndex && !holds(c.value));
    if (left && left.at < until)
      return fail(`${key} became ${text} at ${rel(startsAt)} but changed to ${shown(left.value)} at ${rel(left.at)}, after ${secs(left.at - startsAt)} of the ${formatMs(exp.forMs)}`);
    if (until > ctx.end) return fail(`${key} became ${text} at ${rel(startsAt)}; the run ended at ${secs(ctx.end)}, before ${formatMs(exp.forMs)} had passed`);
    return pass(`${key} was ${text} from ${rel(startsAt)}${left ? ` until ${rel(left.at)}` : ' to the end'}`);
  }

  if (exp.kind === 'event') {
    const object = exp.object ? ctx.object : undefined;
    if (object && E.isLeft(object)) return fail(object.left);
    const key = object ? objectKeyFor(exp.object!, object.right) : undefined;
    const from = anchor + (exp.within?.fromMs ?? 0) / 1000;
    const to = exp.within ? anchor + exp.within.toMs / 1000 : Infinity;
    const text = (m: string): boolean => exp.message === undefined || (typeof exp.message === 'string' ? m.includes(exp.message) : exp.message.test(m));
    const candidates = ctx.events.filter((e) => e.reason === exp.reason && text(e.message) && (key === undefined || e.object === key));
    const hit = candidates.find((e) => e.at >= from && e.at <= to);
    if (hit) return pass(`${hit.type} ${hit.reason} on ${hit.object} at ${rel(hit.at)}: ${hit.message}`);
    const what = `${exp.reason}${key ? ` on ${key}` : ''}`;
    if (candidates.length > 0) {
      const c = candidates[0]!;
      return fail(`expected ${what} between ${secs(from)} and ${to === Infinity ? 'the end' : secs(to)}; the first such event was at ${rel(c.at)}: ${c.message}`);
    }
    const sameReason = ctx.events.filter((e) => e.reason === exp.reason);
    return fail(
      `expected ${what} between ${secs(from)} and ${to === Infinity ? 'the end' : secs(to)}; none was recorded` +
        (sameReason.length > 0 ? ` (${sameReason.length} ${exp.reason} events with other objects or messages, first at ${secs(sameReason[0]!.at)}: ${sameReason[0]!.message})` : ''),
    );
  }

  const probes = ctx.probes ?? [];
  const ok = (p: DataProbe): boolean => (exp.absent ? !p.output.includes(exp.contains) : p.ok && p.output.includes(exp.contains));
  const hit = probes.find(ok);
  if (hit) return pass(`at ${rel(hit.at)} the query answered${exp.absent ? ` without "${exp.contains}"` : ` with "${exp.contains}"`}`);
  const last = probes[probes.length - 1];
  if (last === undefined) return fail('the query never ran');
  return fail(`expected "${exp.contains}" ${exp.absent ? 'absent from' : 'in'} the answer of "${exp.query}"; ${probes.length} tries, the last at ${rel(last.at)} answered: ${last.output}`);
};

const objectKeyFor = (ref: ObjectRef, name: string): string => {
  const kinds: Record<ObjectRef['kind'], string> = { node: 'Node', pod: 'Pod', pvc: 'PersistentVolumeClaim', pv: 'PersistentVolume', statefulset: 'StatefulSet', deployment: 'Deployment', vm: 'VirtualMachine' };
  return objectKey(kinds[ref.kind], name, ref.namespace);
};
