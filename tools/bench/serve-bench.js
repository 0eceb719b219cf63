// Benchmark of `failsim serve` (issue 9): CLIENTS concurrent kubectl-style clients against
// the built server running the seed scenario (the article's StatefulSet power-off, steps
// and all) on a 1,000-node cluster (one control-plane node and 999 workers, each with its
// kube-proxy and flannel pods) for a simulated hour.
//
// The clock is driven, not paced: the server starts paused and the bench advances it STEP
// virtual seconds at a time through the control endpoint (POST /failsim/v1/clock
// {"advance":"30s"}), so the server runs as fast as it can. Between steps the bench waits
// until the watch streams have gone quiet (every event of the step delivered), while the
// clients' lists keep arriving between and during steps; the figure is virtual s per wall s.
//
// Each client is an informer over plain HTTP: list pods and nodes, watch each from the
// list's resourceVersion (bookmarks allowed), apply ADDED / MODIFIED / DELETED to its own
// cache; a 410 or a closed stream means list and watch again. Beside that each client runs
// `kubectl get pods -A` and `kubectl get nodes` (server-side Tables, as kubectl asks for
// them) every LIST_EVERY wall seconds, spread over the period, to measure list latency.
// After the simulated hour one final list of each is taken with the clock standing still,
// and every client's cache is compared with it object by object (name and
// resourceVersion): anything missing, extra or stale is a missed watch event.
//
// Profile: 1.18 by default. Under the seed profile (1.12, no NodeLease) every kubelet
// writes its Node's status every 10 s, so 1,000 nodes make 360,000 Node writes an hour,
// each a ~3 KB MODIFIED event to each of the 50 node watches: 18 million events, 54 GB
// of JSON to parse on the client side. That does not fit in 15 wall minutes on this
// machine (the run with `--profile 1.12` prints how far it gets; docs/performance.md
// has the figures). 1.18 has NodeLease: kubelets renew a Lease every 10 s and write an
// unchanged status every 5 min, which is what a 1,000-node cluster does today.
//
// Prints figures; asserts nothing (shared machines are noisy). Exit 1 only when the
// server cannot be started.
// Run: npm run bench:serve [-- --json] [-- --clients 50] [-- --nodes 1000] [-- --hours 1]
//      [-- --step 30s] [-- --profile 1.18] [-- --list-every 10] [-- --cpu-prof DIR]
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchArgs, repositoryRoot } from './bench-args.js';

const root = repositoryRoot;
const { json, flag } = benchArgs();
const CLIENTS = Number(flag('--clients', '50'));
const NODES = Number(flag('--nodes', '1000'));
const HOURS = Number(flag('--hours', '1'));
const PROFILE = flag('--profile', '1.18');
const STEP = flag('--step', '30s');
const STEP_S = Number(/^(\d+)s$/.exec(STEP)?.[1] ?? NaN);
/** Wall seconds between one client's `kubectl get pods -A` + `kubectl get nodes`. */
const LIST_EVERY_MS = Number(flag('--list-every', '10')) * 1000;
/** Where the server writes its .cpuprofile (node --cpu-prof), when asked. */
const CPU_PROF = flag('--cpu-prof', '');
/** Wall-time cap: a server that cannot keep up still ends the run, with the reached time reported. */
const WALL_CAP_MS = 15 * 60_000;
/** The watch streams count as drained after this long without a byte. */
const QUIET_MS = 25;
if (![NODES].every((n) => Number.isInteger(n) && n >= 1) || !(Number.isInteger(CLIENTS) && CLIENTS >= 0) || !(HOURS > 0) || !(STEP_S > 0) || !(LIST_EVERY_MS > 0)) {
  console.error('error: --clients and --nodes take whole numbers, --hours and --list-every positive numbers, --step whole seconds (30s)');
  process.exit(2);
}

const log = (text) => {
  if (!json) process.stderr.write(`${text}\n`);
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values, p) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

// ---- the scenario: the seed power-off with NODES - 1 workers ----------------------------
const work = mkdtempSync(join(tmpdir(), 'failsim-serve-bench-'));
const library = join(root, 'packages/scenarios/library');
cpSync(join(library, 'manifests'), join(work, 'manifests'), { recursive: true });
const hosts = ['esxi-01', 'esxi-02', 'esxi-03'];
const nodeLines = ['    - { name: master-0, role: control-plane, zone: az1 }'];
for (let i = 0; i < NODES - 1; i++) nodeLines.push(`    - { name: worker-${i}, role: worker, zone: az1, host: ${hosts[i % 3]} }`);
const scenarioFile = join(work, `serve-bench-${NODES}.yaml`);
writeFileSync(scenarioFile, readFileSync(join(library, 'statefulset-node-poweroff.yaml'), 'utf8').replace(/ {2}nodes:\n(?: {4}- .*\n)+/, `  nodes:\n${nodeLines.join('\n')}\n`));

// ---- the server -------------------------------------------------------------------------
// Speed 1 and a pause as soon as it answers: the clock moves only by the bench's steps.
const bin = join(root, 'apps/failsim/bin/failsim.js');
const nodeFlags = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
const server = spawn(process.execPath, [...nodeFlags, bin, 'serve', scenarioFile, '--port', '0', '--speed', '1', '--profile', PROFILE, '--kubeconfig', join(work, 'kubeconfig')], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverOutput = '';
server.stdout.on('data', (c) => (serverOutput += c));
server.stderr.on('data', (c) => (serverOutput += c));
const startWall = performance.now();
while (!/kubeconfig: /.test(serverOutput) && server.exitCode === null && performance.now() - startWall < 120_000) await sleep(50);
const base = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(serverOutput)?.[1];
const gitVersion = /\(Kubernetes (v[\d.]+)\)/.exec(serverOutput)?.[1] ?? '?';
if (!base) {
  console.error(`error: failsim serve did not start:\n${serverOutput}`);
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
const startupMs = performance.now() - startWall;

// ---- HTTP -------------------------------------------------------------------------------
// No keep-alive: a step can hold the server's event loop past its keep-alive timeout, and
// a request racing an idle socket's close would be reset.
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const url = new URL(base);
const USER_AGENT = 'serve-bench/1.0';
/** What kubectl get sends: a Table, else plain JSON (kubectl 1.32 get.go). */
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/** One JSON request; resolves { status, body, bytes }. */
const call = (method, path, body, accept = 'application/json') =>
  new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, agent, headers: { Accept: accept, 'User-Agent': USER_AGENT, ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        try {
          resolve({ status: res.statusCode, body: JSON.parse(bytes.toString('utf8')), bytes: bytes.length });
        } catch {
          reject(new Error(`${method} ${path}: HTTP ${res.statusCode}, not JSON: ${JSON.stringify(bytes.toString('utf8', 0, 200))}`));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });

process.on('exit', (code) => {
  if (code !== 0) process.stderr.write(`server output:\n${serverOutput.slice(-3000)}\n`);
});
const clock = async (body) => {
  const { status, body: state } = await call(body ? 'POST' : 'GET', '/failsim/v1/clock', body);
  if (status !== 200) throw new Error(`clock ${JSON.stringify(body)}: ${status} ${state.message}`);
  return state;
};
const c0 = await clock({ pause: true });
log(`failsim serve: ${NODES} nodes (Kubernetes ${gitVersion}, profile ${PROFILE}) at ${base}, clock driven in ${STEP} steps (started in ${Math.round(startupMs)} ms)`);

const RESOURCES = { pods: '/api/v1/pods', nodes: '/api/v1/nodes' };
const keyOf = (o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/** When a watch stream last received a byte (any client): the steps wait for quiet. */
let lastWatchData = 0;

/** An informer-like client: a cache per resource, kept by list + watch. */
class Client {
  constructor(id) {
    this.id = id;
    this.requests = 0;
    this.errors = [];
    this.events = 0;
    this.bytes = 0;
    this.relists = 0;
    this.latencies = [];
    this.caches = { pods: new Map(), nodes: new Map() };
    this.watches = new Set();
    this.stopped = false;
  }

  /** The informer's list: JSON, every object. */
  async list(resource) {
    this.requests++;
    const { status, body, bytes } = await call('GET', RESOURCES[resource]);
    this.bytes += bytes;
    if (status !== 200) throw new Error(`list ${resource}: ${status} ${body.message ?? ''}`);
    return body;
  }

  /** `kubectl get`: a Table, timed to its last byte and parsed, as kubectl does. */
  async get(resource) {
    const t0 = performance.now();
    this.requests++;
    const { status, body, bytes } = await call('GET', `${RESOURCES[resource]}?limit=500`, undefined, TABLE_ACCEPT);
    this.latencies.push(performance.now() - t0);
    this.bytes += bytes;
    if (status !== 200 || body.kind !== 'Table') throw new Error(`get ${resource}: ${status} ${body.kind} ${body.message ?? ''}`);
  }

  async listAndWatch(resource) {
    const list = await this.list(resource);
    this.caches[resource] = new Map(list.items.map((o) => [keyOf(o), o.metadata.resourceVersion]));
    this.watch(resource, list.metadata.resourceVersion);
  }

  watch(resource, resourceVersion) {
    if (this.stopped) return;
    this.requests++;
    const path = `${RESOURCES[resource]}?watch=true&allowWatchBookmarks=true&resourceVersion=${resourceVersion}`;
    let rv = resourceVersion;
    let expired = false;
    const req = request({ host: url.hostname, port: url.port, method: 'GET', path, agent, headers: { Accept: 'application/json', 'User-Agent': USER_AGENT } }, (res) => {
      if (res.statusCode !== 200) {
        this.errors.push(`watch ${resource}: HTTP ${res.statusCode}`);
        res.resume();
        return;
      }
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        lastWatchData = performance.now();
        this.bytes += chunk.length;
        pending += chunk;
        let from = 0;
        let nl;
        while ((nl = pending.indexOf('\n', from)) >= 0) {
          const line = pending.slice(from, nl);
          from = nl + 1;
          if (!line) continue;
          let event;
          try {
            event = JSON.parse(line);
          } catch {
            this.errors.push(`watch ${resource}: a line that is not JSON`);
            continue;
          }
          if (event.type === 'ERROR') {
            // 410 Expired is the informer's cue to list again, not a failure; anything else is.
            if (event.object?.code === 410) expired = true;
            else this.errors.push(`watch ${resource}: ERROR ${event.object?.message}`);
            continue;
          }
          rv = event.object.metadata.resourceVersion;
          if (event.type === 'BOOKMARK') continue;
          this.events++;
          const cache = this.caches[resource];
          if (event.type === 'DELETED') cache.delete(keyOf(event.object));
          else cache.set(keyOf(event.object), event.object.metadata.resourceVersion);
        }
        pending = pending.slice(from);
      });
      res.on('end', () => {
        this.watches.delete(req);
        if (this.stopped) return;
        if (expired) {
          this.relists++;
          this.listAndWatch(resource).catch((e) => this.errors.push(String(e)));
        } else this.watch(resource, rv);
      });
      res.on('error', () => {});
    });
    req.on('error', (e) => {
      if (!this.stopped) this.errors.push(`watch ${resource}: ${e.message}`);
    });
    this.watches.add(req);
    req.end();
  }

  async start() {
    await Promise.all([this.listAndWatch('pods'), this.listAndWatch('nodes')]);
    // Spread the clients' gets over the period, as independent users would.
    this.poller = (async () => {
      await sleep((this.id * LIST_EVERY_MS) / CLIENTS);
      while (!this.stopped) {
        try {
          await this.get('pods');
          await this.get('nodes');
        } catch (e) {
          this.errors.push(String(e));
        }
        await sleep(LIST_EVERY_MS);
      }
    })();
  }

  async stop() {
    this.stopped = true;
    await this.poller;
    for (const req of this.watches) req.destroy();
  }

  /** What differs, for --debug. */
  diff(finals) {
    const out = [];
    for (const resource of ['pods', 'nodes']) {
      const cache = this.caches[resource];
      for (const [key, rv] of finals[resource]) if (cache.get(key) !== rv) out.push(`${resource} ${key}: cache ${cache.get(key)} final ${rv}`);
      for (const key of cache.keys()) if (!finals[resource].has(key)) out.push(`${resource} ${key}: extra`);
    }
    return out;
  }

  /** Objects whose cached state differs from the final list's: missing, extra or stale. */
  missed(finals) {
    let missed = 0;
    for (const resource of ['pods', 'nodes']) {
      const cache = this.caches[resource];
      const final = finals[resource];
      for (const [key, rv] of final) if (cache.get(key) !== rv) missed++;
      for (const key of cache.keys()) if (!final.has(key)) missed++;
    }
    return missed;
  }
}

/** Waits until no watch stream has received a byte for QUIET_MS (at most `capMs`). */
const drained = async (capMs) => {
  const end = performance.now() + capMs;
  await sleep(QUIET_MS);
  while (performance.now() - lastWatchData < QUIET_MS && performance.now() < end) await sleep(QUIET_MS);
};

// ---- the run ----------------------------------------------------------------------------
const clients = Array.from({ length: CLIENTS }, (_, i) => new Client(i));
const t0 = performance.now();
await Promise.all(clients.map((c) => c.start()));
log(`${CLIENTS} clients listing and watching pods and nodes from T+${c0.elapsed} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
const targetMs = c0.elapsedMs + HOURS * 3_600_000;
let state = c0;
let steps = 0;
let stepWallMs = 0;
let lastReport = performance.now();
while (state.elapsedMs < targetMs && performance.now() - t0 < WALL_CAP_MS) {
  const s0 = performance.now();
  const to = Math.min(targetMs, state.elapsedMs + STEP_S * 1000);
  state = await clock({ until: `${to}ms` });
  stepWallMs += performance.now() - s0;
  steps++;
  await drained(10_000);
  if (performance.now() - lastReport > 30_000) {
    lastReport = performance.now();
    const wall = (performance.now() - t0) / 1000;
    log(`  T+${state.elapsed}: ${wall.toFixed(0)} s wall, ${((state.elapsedMs - c0.elapsedMs) / 1000 / wall).toFixed(1)} virtual s per wall s`);
  }
}
const runWallMs = performance.now() - t0;
log(`stopped at T+${state.elapsed} after ${(runWallMs / 1000).toFixed(1)} s`);

// The clock stands still: the final lists are the truth the caches must reach.
const finalLists = { pods: (await call('GET', RESOURCES.pods)).body, nodes: (await call('GET', RESOURCES.nodes)).body };
const finals = Object.fromEntries(Object.entries(finalLists).map(([r, l]) => [r, new Map(l.items.map((o) => [keyOf(o), o.metadata.resourceVersion]))]));
// Watch streams deliver as the server writes; give the last bytes a moment to arrive.
const settleEnd = performance.now() + 5_000;
while (clients.some((c) => c.missed(finals) > 0) && performance.now() < settleEnd) await sleep(100);
await Promise.all(clients.map((c) => c.stop()));

const events = clients.map((c) => c.events);
const latencies = clients.flatMap((c) => c.latencies);
const simulatedMs = state.elapsedMs - c0.elapsedMs;
const result = {
  nodes: NODES,
  pods: finals.pods.size,
  clients: CLIENTS,
  profile: PROFILE,
  kubernetes: gitVersion,
  step: STEP,
  simulated: state.elapsed,
  simulatedMs,
  finished: state.elapsedMs >= targetMs,
  startupMs: Math.round(startupMs),
  wallMs: Math.round(runWallMs),
  virtualSecondsPerWallSecond: Number((simulatedMs / runWallMs).toFixed(1)),
  steps,
  /** Wall ms the server spent inside the steps (answering the clock request), against the whole run. */
  stepWallMs: Math.round(stepWallMs),
  requests: clients.reduce((n, c) => n + c.requests, 0),
  lists: latencies.length,
  watchEvents: events.reduce((a, b) => a + b, 0),
  watchEventsPerClient: { min: Math.min(...events), max: Math.max(...events), mean: Math.round(events.reduce((a, b) => a + b, 0) / Math.max(1, CLIENTS)) },
  megabytesReceived: Math.round(clients.reduce((n, c) => n + c.bytes, 0) / 1e6),
  relists: clients.reduce((n, c) => n + c.relists, 0),
  errors: clients.reduce((n, c) => n + c.errors.length, 0),
  missedWatchEvents: clients.reduce((n, c) => n + c.missed(finals), 0),
  listLatencyMs: { p50: Number(percentile(latencies, 50).toFixed(1)), p99: Number(percentile(latencies, 99).toFixed(1)) },
  machine: { cpus: cpus().length, load1: Number(loadavg()[0].toFixed(2)) },
};
if (process.argv.includes('--debug')) for (const c of clients.slice(0, 2)) console.error(c.diff(finals).slice(0, 10).join('\n'));
const firstErrors = clients.flatMap((c) => c.errors).slice(0, 5);

server.kill('SIGTERM');
await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.once('exit', resolve)));
agent.destroy();
rmSync(work, { recursive: true, force: true });

if (json) console.log(JSON.stringify(result, null, 2));
else {
  const min = (ms) => (ms / 60_000).toFixed(1);
  console.log(`failsim serve, ${result.nodes} nodes / ${result.pods} pods, Kubernetes ${gitVersion} (profile ${PROFILE}), ${result.clients} clients (list + watch of pods and nodes, kubectl get every ${LIST_EVERY_MS / 1000} s)`);
  console.log(`  simulated            ${min(simulatedMs)} min in ${steps} steps of ${STEP}${result.finished ? '' : ` (NOT finished: the ${WALL_CAP_MS / 60_000} min wall cap came first)`}`);
  console.log(`  wall time            ${(result.wallMs / 1000).toFixed(1)} s, ${result.virtualSecondsPerWallSecond} virtual s per wall s (server start ${(result.startupMs / 1000).toFixed(1)} s; inside steps ${(result.stepWallMs / 1000).toFixed(1)} s)`);
  console.log(`  requests             ${result.requests} (${result.lists} timed kubectl gets, ${result.relists} relists after 410)`);
  console.log(`  watch events         ${result.watchEvents} delivered (per client min ${result.watchEventsPerClient.min}, mean ${result.watchEventsPerClient.mean}, max ${result.watchEventsPerClient.max}); ${result.megabytesReceived} MB received`);
  console.log(`  list latency         p50 ${result.listLatencyMs.p50} ms, p99 ${result.listLatencyMs.p99} ms (kubectl get, Table)`);
  console.log(`  errors               ${result.errors}${firstErrors.length ? ` (${firstErrors.join('; ')})` : ''}`);
  console.log(`  missed watch events  ${result.missedWatchEvents}`);
  console.log(`  machine              ${result.machine.cpus} CPUs, load ${result.machine.load1}`);
}
