// One run of the scale benchmark (issue 8), in this process: a generated cluster of N
// workers (scale-cluster.js) comes up (nodes join and kube-system starts in the first
// simulated minute, then the workloads are applied, as a cluster is built) and settles, then one zone (a third of the workers)
// is powered off at 5 min, the dead nodes are deleted at 20 min (`kubectl delete node`),
// and the simulation runs to 60 min, every controller at the 1.14 profile's upstream
// periods and rate limits. Prints one JSON object (the figures of the run) on stdout.
// scale-bench.js runs this in a child process per size, so peak RSS is per run.
// Run: node tools/bench/scale-run.js --nodes 1000 [--progress] [--minutes]
//        [--profile-minutes A:B --profile-out FILE.cpuprofile]
// --minutes adds `wallSecondsPerMinute` to the JSON: entry i is simulated minute i of the
// run (0 the nodes joining, 1 the workloads applied, 15 the power-off, 30 the dead nodes'
// deletion, 70 in all). --profile-minutes writes a CPU profile (Chrome DevTools format)
// of simulated minutes A to B (B not included), numbered the same way, to --profile-out:
// how docs/performance.md profiles one phase of the run.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { scaleCluster, scaleWorkloads, ZONES, PODS_PER_NODE } from './scale-cluster.js';

// The failsim CLI caps V8's old-space growth at 1.4x the live heap after each full
// collection (apps/failsim/bin/failsim.js says why); the benchmark measures the simulator as
// the CLI runs it. Without the cap V8 grows the heap up to 4x between collections when they
// are fast, and peak RSS was ~1.5-1.9x the live heap (docs/performance.md, "Peak RSS").
setFlagsFromString('--heap-growing-percent=40');

const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
};
const nodes = Number(arg('--nodes', '100'));
if (!Number.isInteger(nodes) || nodes < 3) {
  console.error('error: --nodes takes an integer >= 3');
  process.exit(2);
}
const perMinute = process.argv.includes('--minutes');
const profileMinutes = arg('--profile-minutes', undefined);
const profileOut = arg('--profile-out', undefined);
const [profileFrom, profileTo] = (profileMinutes ?? '').split(':').map(Number);
if (profileMinutes !== undefined && !(Number.isInteger(profileFrom) && Number.isInteger(profileTo) && profileFrom >= 0 && profileTo > profileFrom && profileTo <= 70 && profileOut)) {
  console.error('error: --profile-minutes takes A:B, whole simulated minutes with 0 <= A < B <= 70, and needs --profile-out FILE');
  process.exit(2);
}

const MIN = 60_000;
/** Virtual time the cluster gets to come up before the failure (the failure is at 5 min of the failure run). */
const SETTLE_MS = 10 * MIN;
/**
 * Virtual time the nodes get to join before the workloads are applied. Applied at 0, every
 * Pod would first fail to schedule ("no nodes available to schedule pods": the kubelets
 * register 100 ms in), a FailedScheduling Event and a PodScheduled=False write each, a
 * start-up no real cluster has: workloads are deployed onto nodes that exist.
 */
const NODES_JOIN_MS = MIN;
const POWER_OFF_AT = 5 * MIN;
const DELETE_AT = 20 * MIN;
const END_AT = 60 * MIN;
const DEAD_ZONE = ZONES[2];

const t0 = performance.now();
/** Progress on stderr (virtual minute, wall seconds, RSS), so a long run shows how far it got. */
const progress = (what) => {
  if (process.argv.includes('--progress')) {
    console.error(`${nodes} nodes: ${what} at wall ${((performance.now() - t0) / 1000).toFixed(1)} s, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
  }
};
/** Wall seconds of each simulated minute run so far (--minutes). */
const wallSecondsPerMinute = [];
/** The inspector session of --profile-minutes, connected while it profiles. */
let profiler;
/**
 * Runs the clock `ms` further, a simulated minute at a time; returns the events fired. The
 * profiler starts and stops between minutes (--profile-minutes), outside the timed minute.
 */
const runFor = async (clock, ms, label) => {
  let fired = 0;
  for (let left = ms; left > 0; left -= MIN) {
    const minute = wallSecondsPerMinute.length;
    if (profileMinutes !== undefined && minute === profileFrom) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const t = performance.now();
    fired += clock.runFor(Math.min(MIN, left));
    wallSecondsPerMinute.push((performance.now() - t) / 1000);
    if (profiler !== undefined && minute + 1 === profileTo) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(profileOut, JSON.stringify(profile));
      profiler.disconnect();
      profiler = undefined;
    }
    progress(`${label} ${(clock.now() / MIN).toFixed(0)} min`);
  }
  return fired;
};
const env = scaleCluster(nodes);
const { cluster } = env;
const { clock, api } = cluster.sim;
progress('cluster created');
let events = await runFor(clock, NODES_JOIN_MS, 'nodes joining');
const applied = cluster.kubectl.apply(scaleWorkloads(nodes));
if (applied._tag !== 'Right') throw new Error(`apply: ${applied.left}`);
events += await runFor(clock, SETTLE_MS - NODES_JOIN_MS, 'settling');
const tSettled = performance.now();
const rvSettled = Number(api.resourceVersion);

const client = api.client('scale-bench');
const pods = client.list('Pod').right.items;
const running = pods.filter((p) => p.status?.phase === 'Running').length;

// The nodes of the dead zone and when each gets its NoExecute taint (the eviction of its pods).
const deadNodes = client
  .list('Node')
  .right.items.filter((n) => n.metadata.labels?.['topology.kubernetes.io/zone'] === DEAD_ZONE && !n.metadata.labels?.['node-role.kubernetes.io/master'])
  .map((n) => n.metadata.name);
const start = clock.now();
const tainted = new Map();
const watch = client.watch('Node', { resourceVersion: api.resourceVersion }).subscribe(({ type, object }) => {
  if (type === 'DELETED' || tainted.has(object.metadata.name)) return;
  if ((object.spec?.taints ?? []).some((t) => t.effect === 'NoExecute')) tainted.set(object.metadata.name, clock.now() - start);
});
const zoneStates = [];
const nlc = cluster.controllers.get('node-lifecycle-controller') ?? [...cluster.controllers.values()].find((c) => typeof c.zoneStates === 'function');
const sampleZones = () => {
  const states = nlc?.zoneStates?.();
  if (states) zoneStates.push({ atMin: (clock.now() - start) / MIN, states: Object.fromEntries(states) });
};

const tRun = performance.now();
events += await runFor(clock, POWER_OFF_AT, 'run');
// Through vCenter (a 1 s Power Off task each), so the VMs and the node machines agree.
for (const node of deadNodes) env.vcenter.powerOff(env.vmForNode.get(node)).subscribe({ error: (e) => console.error(`power off ${node}: ${e.message ?? e}`) });
events += await runFor(clock, DELETE_AT - POWER_OFF_AT - MIN, 'run');
sampleZones();
events += await runFor(clock, MIN, 'run');
const kubectl = api.client('kubectl');
for (const node of deadNodes) kubectl.delete('Node', node);
events += await runFor(clock, END_AT - DELETE_AT, 'run');
sampleZones();
const tEnd = performance.now();
watch.unsubscribe();

const evictedPerMinute = {};
for (const at of tainted.values()) {
  const minute = Math.floor(at / MIN);
  evictedPerMinute[minute] = (evictedPerMinute[minute] ?? 0) + 1;
}
const wallSeconds = (tEnd - t0) / 1000;
const writes = Number(api.resourceVersion);
const result = {
  nodes,
  pods: PODS_PER_NODE * nodes,
  podsCreated: pods.length,
  podsRunningAtFailure: running,
  deadNodes: deadNodes.length,
  wallSeconds,
  setupSeconds: (tSettled - t0) / 1000,
  failureRunSeconds: (tEnd - tRun) / 1000,
  virtualSeconds: (SETTLE_MS + END_AT) / 1000,
  virtualSecondsPerWallSecond: (SETTLE_MS + END_AT) / 1000 / wallSeconds,
  events,
  eventsPerSecond: events / wallSeconds,
  apiWrites: writes,
  apiWritesSettled: rvSettled,
  apiWritesPerSecond: writes / wallSeconds,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
  evictedPerMinute,
  zoneStates,
  ...(perMinute ? { wallSecondsPerMinute } : {}),
};
env.stop();
console.log(JSON.stringify(result));
