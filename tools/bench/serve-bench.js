// Benchmark of `failsim serve` (issue 9): CLIENTS concurrent kubectl-style clients against
// the built server running the seed scenario (the article's StatefulSet power-off, steps
// and all) on a 1,000-node cluster (one control-plane node and 999 workers, each with its
// kube-proxy and flannel pods) for a simulated hour at --speed 600.
// Each client does what an informer does, over plain HTTP: list pods and nodes, then watch
// each from the list's resourceVersion (bookmarks allowed), applying ADDED / MODIFIED /
// DELETED to its own cache; a 410 or a closed stream means list and watch again. Beside
// that, each client re-lists pods and nodes every LIST_EVERY_MS wall ms, as `kubectl get`
// run in a loop would, to measure list latency. After the simulated hour the clock is
// paused through the control endpoint (POST /failsim/v1/clock), one final list of each is
// taken, and every client's cache is compared with it object by object (name and
// resourceVersion): anything missing, extra or stale is a missed watch event.
// Prints figures; asserts nothing (shared machines are noisy). Exit 1 only when the
// server cannot be started.
// Run: npm run bench:serve [-- --json] [-- --clients 50] [-- --nodes 1000] [-- --hours 1]
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
const SPEED = 600;
const LIST_EVERY_MS = 1_000;
/** Wall-time cap: a server that cannot keep up still ends the run, with the reached time reported. */
const WALL_CAP_MS = 15 * 60_000;
if (![CLIENTS, NODES].every((n) => Number.isInteger(n) && n >= 1) || !(HOURS > 0)) {
  console.error('error: --clients and --nodes take positive integers, --hours a positive number');
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
const bin = join(root, 'apps/failsim/bin/failsim.js');
const server = spawn(process.execPath, [bin, 'serve', scenarioFile, '--port', '0', '--speed', String(SPEED), '--kubeconfig', join(work, 'kubeconfig')], { stdio: ['ignore', 'pipe', 'pipe'] });
let serverOutput = '';
server.stdout.on('data', (c) => (serverOutput += c));
server.stderr.on('data', (c) => (serverOutput += c));
const startWall = performance.now();
while (!/kubeconfig: /.test(serverOutput) && server.exitCode === null && performance.now() - startWall < 120_000) await sleep(50);
const base = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(serverOutput)?.[1];
if (!base) {
  console.error(`error: failsim serve did not start:\n${serverOutput}`);
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
const startupMs = performance.now() - startWall;
log(`failsim serve: ${NODES} nodes at ${base}, speed ${SPEED}x (started in ${Math.round(startupMs)} ms)`);

// ---- HTTP -------------------------------------------------------------------------------
// No keep-alive: a pacer tick of a 1,000-node cluster can hold the event loop past the
// server's keep-alive timeout, and a request racing an idle socket's close would be reset.
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
const url = new URL(base);

/** One JSON request; resolves { status, body }. */
const call = (method, path, body) =>
  new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, agent, headers: { Accept: 'application/json', 'User-Agent': 'serve-bench/1.0', ...(body ? { 'Content-Type': 'application/json' } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode, body: JSON.parse(text) });
        } catch {
          reject(new Error(`${method} ${path}: HTTP ${res.statusCode}, not JSON: ${JSON.stringify(text.slice(0, 200))}`));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });

process.on("exit", (code) => { if (code !== 0) process.stderr.write(`server output:\n${serverOutput.slice(-3000)}\n`); });
const clock = async (body) => (await call(body ? 'POST' : 'GET', '/failsim/v1/clock', body)).body;

const RESOURCES = { pods: '/api/v1/pods', nodes: '/api/v1/nodes' };
const keyOf = (o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** An informer-like client: a cache per resource, kept by list + watch. */
class Client {
  constructor(id) {
    this.id = id;
    this.requests = 0;
    this.errors = [];
    this.events = 0;
    this.relists = 0;
    this.latencies = [];
    this.caches = { pods: new Map(), nodes: new Map() };
    this.watches = new Set();
    this.stopped = false;
  }

  async list(resource, timed) {
    const t0 = performance.now();
    this.requests++;
    const { status, body } = await call('GET', RESOURCES[resource]);
    if (timed) this.latencies.push(performance.now() - t0);
    if (status !== 200) throw new Error(`list ${resource}: ${status} ${body.message ?? ''}`);
    return body;
  }

  async listAndWatch(resource) {
    const list = await this.list(resource, false);
    const cache = new Map(list.items.map((o) => [keyOf(o), o.metadata.resourceVersion]));
    this.caches[resource] = cache;
    this.watch(resource, list.metadata.resourceVersion);
  }

  watch(resource, resourceVersion) {
    if (this.stopped) return;
    this.requests++;
    const path = `${RESOURCES[resource]}?watch=true&allowWatchBookmarks=true&resourceVersion=${resourceVersion}`;
    let rv = resourceVersion;
    let expired = false;
    const req = request({ host: url.hostname, port: url.port, method: 'GET', path, agent, headers: { Accept: 'application/json', 'User-Agent': 'serve-bench/1.0' } }, (res) => {
      if (res.statusCode !== 200) {
        this.errors.push(`watch ${resource}: HTTP ${res.statusCode}`);
        res.resume();
        return;
      }
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        pending += chunk;
        let nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
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
    // Spread the clients' polling over the period, as independent users would.
    this.poller = (async () => {
      await sleep((this.id * LIST_EVERY_MS) / CLIENTS);
      while (!this.stopped) {
        try {
          await this.list('pods', true);
          await this.list('nodes', true);
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

// ---- the run ----------------------------------------------------------------------------
const clients = Array.from({ length: CLIENTS }, (_, i) => new Client(i));
const t0 = performance.now();
const c0 = await clock();
await Promise.all(clients.map((c) => c.start()));
log(`${CLIENTS} clients listing and watching pods and nodes from T+${c0.elapsed}`);
const targetMs = c0.elapsedMs + HOURS * 3_600_000;
let state = c0;
while (state.elapsedMs < targetMs && performance.now() - t0 < WALL_CAP_MS) {
  await sleep(250);
  state = await clock();
}
state = await clock({ pause: true });
const runWallMs = performance.now() - t0;
log(`paused at T+${state.elapsed} after ${(runWallMs / 1000).toFixed(1)} s`);

// The clock stands still now: the final lists are the truth the caches must reach.
const finalLists = { pods: (await call('GET', RESOURCES.pods)).body, nodes: (await call('GET', RESOURCES.nodes)).body };
const finals = Object.fromEntries(Object.entries(finalLists).map(([r, l]) => [r, new Map(l.items.map((o) => [keyOf(o), o.metadata.resourceVersion]))]));
// Watch streams deliver as the server writes; give the last bytes a moment to arrive.
const settleEnd = performance.now() + 5_000;
while (clients.some((c) => c.missed(finals) > 0) && performance.now() < settleEnd) await sleep(100);
await Promise.all(clients.map((c) => c.stop()));

const events = clients.map((c) => c.events);
const latencies = clients.flatMap((c) => c.latencies);
const result = {
  nodes: NODES,
  pods: finals.pods.size,
  clients: CLIENTS,
  speed: SPEED,
  simulated: state.elapsed,
  simulatedMs: state.elapsedMs - c0.elapsedMs,
  startupMs: Math.round(startupMs),
  wallMs: Math.round(runWallMs),
  requests: clients.reduce((n, c) => n + c.requests, 0),
  lists: latencies.length,
  watchEventsPerClient: { min: Math.min(...events), max: Math.max(...events), mean: Math.round(events.reduce((a, b) => a + b, 0) / CLIENTS) },
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
  console.log(`failsim serve, ${result.nodes} nodes / ${result.pods} pods, ${result.clients} clients (list + watch of pods and nodes), speed ${SPEED}x`);
  console.log(`  simulated            ${result.simulated} (from the clients' start: ${(result.simulatedMs / 60_000).toFixed(1)} min)`);
  console.log(`  wall time            ${(result.wallMs / 1000).toFixed(1)} s (server start ${(result.startupMs / 1000).toFixed(1)} s)`);
  console.log(`  requests             ${result.requests} (${result.lists} timed lists, ${result.relists} relists after 410)`);
  console.log(`  watch events/client  min ${result.watchEventsPerClient.min}, mean ${result.watchEventsPerClient.mean}, max ${result.watchEventsPerClient.max}`);
  console.log(`  list latency         p50 ${result.listLatencyMs.p50} ms, p99 ${result.listLatencyMs.p99} ms`);
  console.log(`  errors               ${result.errors}${firstErrors.length ? ` (${firstErrors.join('; ')})` : ''}`);
  console.log(`  missed watch events  ${result.missedWatchEvents}`);
  console.log(`  machine              ${result.machine.cpus} CPUs, load ${result.machine.load1}`);
}
