// What a Pod costs by cluster size, in one warm process (issue 8): whether the per-Pod cost
// of the scale run grows with the cluster (memory: more objects than the CPU's caches hold,
// longer walks) or is the same at every size (the instructions of the write path). Each
// size's cluster (scale-cluster.js) is built, its nodes join for a simulated minute, its
// workloads are applied, and the workload minute (every Pod created, scheduled and started,
// every claim bound and attached) is timed: wall µs per Pod, clock firings and API writes per
// Pod. The sizes are run in turn, `--rounds` times, after `--warm` clusters of the smallest
// size (V8's JIT warm to the simulator's hot paths: a process's first workload minute is
// 3-4x its later ones), each timed minute after a full collection; medians per size.
// Figures only: nothing asserts, machines are noisy.
// Run: node tools/bench/pod-cost.js [--sizes 10,30,300,1000] [--warm N] [--rounds N] [--json]
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { benchArgs } from './bench-args.js';
import { median } from './library-timing.js';
import { scaleCluster, scaleWorkloads, PODS_PER_NODE } from './scale-cluster.js';

const { json, flag } = benchArgs();
const sizes = flag('--sizes', '10,30,300,1000').split(',').map(Number);
const warm = Number(flag('--warm', '6'));
const rounds = Number(flag('--rounds', '3'));
if (!sizes.every((n) => Number.isInteger(n) && n >= 3) || !(Number.isInteger(warm) && warm >= 0) || !(Number.isInteger(rounds) && rounds >= 1)) {
  console.error('error: --sizes takes integers >= 3 separated by commas, --warm an integer >= 0, --rounds an integer >= 1');
  process.exit(2);
}

// As scale-run.js: the CLI's cap on V8's heap growth (apps/failsim/bin/failsim.js says why).
setFlagsFromString('--heap-growing-percent=40');
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc');
const MIN = 60_000;

/** One workload minute of an `n`-node cluster: wall ms, firings and API writes. */
const workloadMinute = (n) => {
  const { cluster } = scaleCluster(n);
  const { clock, api } = cluster.sim;
  clock.runFor(MIN);
  const applied = cluster.kubectl.apply(scaleWorkloads(n));
  if (applied._tag !== 'Right') throw new Error(`apply: ${applied.left}`);
  collect();
  const writesBefore = Number(api.resourceVersion);
  const t0 = performance.now();
  const firings = clock.runFor(MIN);
  const ms = performance.now() - t0;
  return { ms, firings, writes: Number(api.resourceVersion) - writesBefore };
};

const smallest = Math.min(...sizes);
for (let i = 0; i < warm; i++) workloadMinute(smallest);
const measured = new Map(sizes.map((n) => [n, []]));
for (let round = 0; round < rounds; round++) for (const n of sizes) measured.get(n).push(workloadMinute(n));

const rows = sizes.map((n) => {
  const pods = n * PODS_PER_NODE;
  const runs = measured.get(n);
  return {
    nodes: n,
    pods,
    usPerPod: (1000 * median(runs.map((r) => r.ms))) / pods,
    firingsPerPod: runs[0].firings / pods,
    writesPerPod: runs[0].writes / pods,
  };
});
const base = rows.find((r) => r.nodes === smallest).usPerPod;

if (json) {
  console.log(JSON.stringify({ warm, rounds, sizes: rows.map((r) => ({ ...r, relativeToSmallest: r.usPerPod / base })) }));
} else {
  console.log(`the workload minute by cluster size, one process: median of ${rounds} rounds after ${warm} warm clusters of ${smallest} nodes`);
  console.log(`${'NODES'.padStart(6)} ${'PODS'.padStart(7)} ${'US/POD'.padStart(7)} ${'x SMALLEST'.padStart(10)} ${'FIRINGS/POD'.padStart(12)} ${'WRITES/POD'.padStart(11)}`);
  for (const r of rows) {
    console.log(
      `${String(r.nodes).padStart(6)} ${String(r.pods).padStart(7)} ${r.usPerPod.toFixed(0).padStart(7)} ${(r.usPerPod / base).toFixed(2).padStart(10)} ${r.firingsPerPod.toFixed(2).padStart(12)} ${r.writesPerPod.toFixed(2).padStart(11)}`,
    );
  }
}
