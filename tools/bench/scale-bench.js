// The scale benchmark (issue 8): `npm run bench`. For each size (default 100, 1,000 and
// 5,000 nodes; 30 Pods a node) one standard run in its own child process (scale-run.js:
// cluster up and settled, a zone powered off at 5 min, its nodes deleted at 20 min, run to
// 60 min), so peak RSS is the run's own; then the growth exponent of wall time against
// work between the two largest sizes (1,000 → 5,000 by default), the bare reference loop
// (reference-loop.js) and the simulator's event rate as a fraction of it, and the wall
// time of each library scenario after start-up (the library run twice to warm the JIT,
// then the median of 5; see library-timing.js).
// Prints figures only; nothing here asserts, since shared machines are noisy.
// Run: npm run bench [-- --json] [-- --sizes 100,1000] [-- --repeat 2]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, timeLibrary } from './library-timing.js';
import { referenceLoop } from './reference-loop.js';

const argValue = (name) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const json = process.argv.includes('--json');
const sizes = (argValue('--sizes') ?? '100,1000,5000').split(',').map(Number);
const repeat = Number(argValue('--repeat') ?? '1');
if (sizes.some((n) => !Number.isInteger(n) || n < 3) || !Number.isInteger(repeat) || repeat < 1) {
  console.error('error: --sizes takes node counts >= 3 separated by commas, --repeat a positive integer');
  process.exit(2);
}
const log = (line) => {
  if (!json) console.error(line);
};

const runner = fileURLToPath(new URL('./scale-run.js', import.meta.url));
/** One standard run of `nodes` nodes in a child process; its JSON figures. */
const scaleRun = (nodes) => {
  for (let attempt = 1; ; attempt++) {
    // The heap grows about linearly with nodes (~2 MiB a node over the run): room for 5,000 nodes and more.
    const heapMiB = Math.max(4096, Math.ceil(nodes * 2.5));
    const child = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, runner, '--nodes', String(nodes)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (child.status === 0) return JSON.parse(child.stdout.trim().split('\n').pop());
    // A package's dist being rebuilt meanwhile (nx build starts with rm -rf dist): wait and run again.
    if (attempt < 4 && child.stderr.includes('ERR_MODULE_NOT_FOUND')) {
      log(`  a dist was missing (rebuilt meanwhile?); retrying in 15 s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15_000);
      continue;
    }
    throw new Error(`scale-run --nodes ${nodes} failed (${child.status ?? child.signal}): ${child.stderr}`);
  }
};

// Each size `repeat` times: the best (least wall time) is reported, with the spread.
const detailed = sizes.map((nodes) => {
  const tries = [];
  for (let i = 0; i < repeat; i++) {
    log(`running ${nodes} nodes (${i + 1}/${repeat})…`);
    tries.push(scaleRun(nodes));
  }
  const best = tries.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
  const walls = tries.map((t) => t.wallSeconds);
  return { ...best, spreadSeconds: Math.max(...walls) - Math.min(...walls), tries: tries.length };
});

// Work is nodes × simulated time (the same hour for every size): exponent of wall against nodes.
const bySize = [...detailed].sort((a, b) => a.nodes - b.nodes);
const [small, large] = bySize.length >= 2 ? bySize.slice(-2) : [undefined, undefined];
const growthExponent = small && large ? Math.log(large.wallSeconds / small.wallSeconds) / Math.log(large.nodes / small.nodes) : null;

log('running the reference loop…');
const reference = [referenceLoop(), referenceLoop()].reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));

log('running the library scenarios…');
const articleScenarioMs = {};
for (const { name, later } of timeLibrary({ warmPasses: 2, runs: 5 })) {
  articleScenarioMs[name] = Math.round(median(later.map((r) => r.wallMs)) * 10) / 10;
}

const runs = detailed.map((r) => ({
  nodes: r.nodes,
  pods: r.pods,
  wallSeconds: r.wallSeconds,
  virtualSecondsPerWallSecond: r.virtualSecondsPerWallSecond,
  eventsPerSecond: r.eventsPerSecond,
  apiWritesPerSecond: r.apiWritesPerSecond,
  peakRssMiB: r.peakRssMiB,
}));

if (json) {
  console.log(JSON.stringify({ runs, growthExponent, referenceEventsPerSecond: reference.eventsPerSecond, articleScenarioMs }));
} else {
  const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const table = (rows) => {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
  };
  console.log(`failsim scale benchmark (node ${process.version}, ${process.arch}): zone power-off at 5 min, nodes deleted at 20 min, 60 simulated min (+10 min start-up)`);
  console.log(
    table([
      ['NODES', 'PODS', 'WALL S', 'SPREAD S', 'VIRTUAL S/S', 'EVENTS/S', 'API WRITES/S', 'PEAK RSS MIB', '% OF REFERENCE'],
      ...detailed.map((r) => [
        fmt(r.nodes),
        fmt(r.pods),
        fmt(r.wallSeconds, 1),
        r.tries > 1 ? fmt(r.spreadSeconds, 1) : '-',
        fmt(r.virtualSecondsPerWallSecond, 1),
        fmt(r.eventsPerSecond),
        fmt(r.apiWritesPerSecond),
        fmt(r.peakRssMiB),
        `${fmt((100 * r.eventsPerSecond) / reference.eventsPerSecond, 2)}%`,
      ]),
    ]),
  );
  console.log(`growth exponent of wall time vs work (${small?.nodes ?? '-'} → ${large?.nodes ?? '-'} nodes): ${growthExponent === null ? '-' : growthExponent.toFixed(2)}   (target <= 1.15)`);
  console.log(`reference loop (binary heap, no work per event, ${fmt(reference.heapSize)} pending): ${fmt(reference.eventsPerSecond)} events/s`);
  console.log('nodes of the powered-off zone tainted NoExecute (evicted) per minute after the failure:');
  for (const r of detailed) {
    const minutes = Object.entries(r.evictedPerMinute).map(([m, count]) => `${m}:${count}`);
    const states = r.zoneStates.at(-1)?.states ?? {};
    console.log(`  ${fmt(r.nodes).padStart(5)} nodes, ${fmt(r.deadNodes)} dead: ${minutes.join(' ')}   zones at 20 min: ${Object.entries(r.zoneStates[0]?.states ?? states).map(([z, s]) => `${z}=${s}`).join(', ')}`);
  }
  console.log('library scenarios, wall ms after start-up (library run twice first, then median of 5; target <= 50):');
  console.log(table([['SCENARIO', 'WALL MS'], ...Object.entries(articleScenarioMs).map(([name, ms]) => [name, fmt(ms, 1)])]));
}
