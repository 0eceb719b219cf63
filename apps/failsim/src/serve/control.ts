// failsim's own control endpoint beside the Kubernetes paths: it lets a test, a script or
// a person bring the live simulation to a given virtual moment deterministically (pause
// the pacer, run the clock to `T+6m`) and inject a fault kubectl cannot (`govc vm.power
// -off …`), so the article's kubectl commands can be typed at the article's moments. No
// upstream counterpart: kube-apiserver has nothing like it, hence the /failsim/ prefix
// that no Kubernetes client asks for. Answered only to loopback clients.
import type { Pacer, SimClock } from '@failsim/core';
import { parseDuration } from '@failsim/scenarios';
import * as E from 'fp-ts/lib/Either.js';

/** Where the control paths live. */
export const CONTROL_PREFIX = '/failsim/v1';

/** What the control endpoint drives. */
export interface ControlTarget {
  readonly pacer: Pacer;
  readonly clock: SimClock;
  /** The virtual time (ms) of the scenario's T+0. */
  readonly startMs: number;
  /** Runs a scenario command line now (ScenarioRun.command); Left: why it did not run. */
  readonly command: (line: string) => E.Either<string, void>;
}

/** The answer of every clock request. */
export interface ClockState {
  readonly kind: 'ClockState';
  /** The virtual wall time, RFC 3339. */
  readonly now: string;
  /** Virtual time since T+0, as a duration (`6m30s`). */
  readonly elapsed: string;
  readonly elapsedMs: number;
  readonly paused: boolean;
  readonly speed: number | 'max';
}

/** A clock request: exactly one of these fields. */
export type ClockRequest = { readonly pause: true } | { readonly resume: true } | { readonly advance: string } | { readonly until: string };

const formatElapsed = (ms: number): string => {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
};

/** The clock as the endpoint reports it. */
export const clockState = (target: ControlTarget): ClockState => {
  const elapsedMs = target.clock.now() - target.startMs;
  const { paused, speed } = target.pacer.state;
  return { kind: 'ClockState', now: target.clock.iso(), elapsed: formatElapsed(elapsedMs), elapsedMs, paused, speed };
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Applies one clock request. `advance` and `until` pause the pacer first and leave it
 * paused, so the moment reached stays put while kubectl looks at it; `resume` lets the
 * pacer run on from there at its speed. `until` takes a time since T+0 (`T+6m` or `6m`)
 * and refuses a moment already past. Left: the reason, for a 400.
 * @example applyClockRequest(target, { until: 'T+6m30s' }) // right({ elapsed: '6m30s', paused: true, … })
 */
export const applyClockRequest = (target: ControlTarget, request: unknown): E.Either<string, ClockState> => {
  if (!isObject(request)) return E.left('a clock request is a JSON object: {"pause":true}, {"resume":true}, {"advance":"50s"} or {"until":"T+6m"}');
  const keys = Object.keys(request);
  if (keys.length !== 1) return E.left(`a clock request has exactly one of pause, resume, advance, until; got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
  const [key] = keys as [string];
  const value = request[key];
  if (key === 'pause' || key === 'resume') {
    if (value !== true) return E.left(`${key} must be true`);
    if (key === 'pause') target.pacer.pause();
    else target.pacer.resume();
    return E.right(clockState(target));
  }
  if (key !== 'advance' && key !== 'until') return E.left(`unknown clock request field "${key}" (pause, resume, advance, until)`);
  if (typeof value !== 'string') return E.left(`${key} must be a duration string such as "50s" or "6m"`);
  const duration = parseDuration(key === 'until' ? value.replace(/^T\+/, '') : value);
  if (E.isLeft(duration)) return E.left(`${key}: ${duration.left}`);
  const to = key === 'advance' ? target.clock.now() + duration.right : target.startMs + duration.right;
  if (to < target.clock.now()) return E.left(`until: T+${formatElapsed(duration.right)} has passed (the clock is at T+${clockState(target).elapsed})`);
  target.pacer.pause();
  // Every event due up to `to` runs, in order, exactly as the pacer would have run them.
  target.clock.runUntil(to);
  return E.right(clockState(target));
};

/**
 * Runs a command request `{"run": "govc vm.power -off {{ vm of pod cassandra/cassandra-0 }}"}`
 * as a scenario step would, at the current virtual time. Left: why it did not run.
 */
export const applyCommandRequest = (target: ControlTarget, request: unknown): E.Either<string, ClockState> => {
  if (!isObject(request) || typeof request['run'] !== 'string') return E.left('a command request is {"run": "<kubectl|govc|bosh|partition … line>"}');
  const ran = target.command(request['run']);
  return E.isLeft(ran) ? E.left(ran.left) : E.right(clockState(target));
};

/** A control request, already read: method, path (without the query) and body. */
export interface ControlRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Buffer;
  /** The client's address; only loopback clients are served. */
  readonly remoteAddress: string | undefined;
}

/** A control answer: HTTP code and JSON body. */
export interface ControlResponse {
  readonly code: number;
  readonly body: unknown;
}

const failure = (code: number, reason: string, message: string): ControlResponse => ({
  code,
  body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: {}, code },
});

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The control endpoint:
 * - `GET  /failsim/v1/clock` → {@link ClockState}
 * - `POST /failsim/v1/clock` with a {@link ClockRequest} → ClockState after it
 * - `POST /failsim/v1/commands` with `{"run": "…"}` → ClockState after the command started
 * Errors are Status objects (400 for a bad request, 403 for a client not on loopback, 404, 405).
 * @example handleControl(target, { method: 'POST', path: '/failsim/v1/clock', body: Buffer.from('{"advance":"50s"}'), remoteAddress: '127.0.0.1' })
 */
export const handleControl = (target: ControlTarget, request: ControlRequest): ControlResponse => {
  if (!LOOPBACK.has(request.remoteAddress ?? '')) return failure(403, 'Forbidden', 'the failsim control endpoint answers loopback clients only');
  const route = request.path.slice(CONTROL_PREFIX.length);
  if (route !== '/clock' && route !== '/commands') return failure(404, 'NotFound', 'the server could not find the requested resource');
  if (request.method === 'GET' && route === '/clock') return { code: 200, body: clockState(target) };
  if (request.method !== 'POST') return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch (e) {
    return failure(400, 'BadRequest', `json parse error: ${(e as Error).message}`);
  }
  const result = route === '/clock' ? applyClockRequest(target, parsed) : applyCommandRequest(target, parsed);
  return E.isLeft(result) ? failure(400, 'BadRequest', result.left) : { code: 200, body: result.right };
};
