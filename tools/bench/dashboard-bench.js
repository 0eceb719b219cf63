// Benchmark of the failsim dashboard: the time to render one frame of the default screen
// (the overview at 160×48: header, nodes, pods, storage, clocks, events) with
// renderFrame, on the seed scenario's cluster (one control-plane node and workers) at 5,
// 200 and 1,000 nodes in all.
// Each size is a scenario file generated into a temp dir (the library's power-off with N
// workers, its manifests copied beside it), run in virtual time until the power-off
// node is NotReady, so the frame has a failure to show. Between frames the run moves one
// virtual second (untimed), so every frame samples a changed state. After WARMUP frames,
// the median of FRAMES frames is reported, in wall time and in CPU time of this process (on
// a shared machine the wall time grows with the load; the CPU time much less). Prints figures
// only; nothing asserts (shared machines are noisy); the target is ≤ 50 ms at 1,000 nodes.
// Idle cost, two figures: a repaint of a state that did not move (a keypress while paused:
// the API lists and samples are cached per state, so it costs Ink only), and how often a
// session on the real wall clock asks for a frame while running and while paused (a paused
// dashboard must not re-render: the pacer does not tick, so nothing notifies).
// The dashboard is not a package: its source is bundled here with esbuild, as the CLI is
// (tools/bundle-cli.js), so the frames are the ones the built `failsim dash` draws.
// Run: npm run bench:dashboard [-- --json] [-- --frames N] [-- --sizes 5,200,1000]
import { build } from 'esbuild';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchArgs, repositoryRoot } from './bench-args.js';
import { pathToFileURL } from 'node:url';

const root = repositoryRoot;
const { json, flag } = benchArgs();
const FRAMES = Number(flag('--frames', '21'));
const WARMUP = 5;
const SIZES = String(flag('--sizes', '5,200,1000')).split(',').map(Number);
if (!Number.isInteger(FRAMES) || FRAMES < 1 || SIZES.some((n) => !Number.isInteger(n) || n < 2)) {
  console.error('error: --frames takes a positive integer, --sizes a comma-separated list of positive integers');
  process.exit(2);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'failsim-dash-bench-'));
try {
  // The dashboard's frame renderer and session, bundled once.
  const entry = join(work, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { renderFrame } from ${JSON.stringify(join(root, 'apps/failsim/src/dashboard/render-frame.tsx'))};`,
      `export { DashboardSession, frozenWall } from ${JSON.stringify(join(root, 'apps/failsim/src/dashboard/session.ts'))};`,
      `export { loadScenario } from '@failsim/scenarios';`,
    ].join('\n'),
  );
  const bundle = join(work, 'dashboard.mjs');
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    logLevel: 'warning',
    absWorkingDir: join(root, 'apps/failsim'),
    nodePaths: [join(root, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': join(root, 'tools/react-devtools-stub.js') },
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const { renderFrame, DashboardSession, frozenWall, loadScenario } = await import(pathToFileURL(bundle).href);

  // The seed scenario with `workers` worker nodes (the first four keep their hosts).
  const library = join(root, 'packages/scenarios/library');
  cpSync(join(library, 'manifests'), join(work, 'manifests'), { recursive: true });
  const seed = readFileSync(join(library, 'statefulset-node-poweroff.yaml'), 'utf8');
  const scenarioWith = (workers) => {
    const hosts = ['esxi-01', 'esxi-02', 'esxi-03'];
    const nodes = ['    - { name: master-0, role: control-plane, zone: az1 }'];
    for (let i = 0; i < workers; i++) nodes.push(`    - { name: worker-${i}, role: worker, zone: az1, host: ${hosts[i % 3]} }`);
    const text = seed.replace(/  nodes:\n(?: {4}- .*\n)+/, `  nodes:\n${nodes.join('\n')}\n`);
    const file = join(work, `poweroff-${workers}.yaml`);
    writeFileSync(file, text);
    return file;
  };

  const rows = [];
  for (const size of SIZES) {
    const loaded = loadScenario(scenarioWith(size - 1));
    if (loaded._tag !== 'Right') throw new Error(`generated scenario (${size} nodes): ${loaded.left.map((e) => e.message).join('; ')}`);
    const t0 = performance.now();
    const session = new DashboardSession({ loaded: loaded.right, wall: frozenWall });
    session.start();
    const clock = session.run.env.cluster.sim.clock;
    // Until the power-off has run, then 50 virtual seconds: a NotReady node on screen.
    const limit = clock.now() + 3 * 3_600_000;
    while (session.run.nextStep()?.id !== 'delete-node' && clock.nextDueAt() !== undefined && clock.now() < limit) clock.step();
    clock.runFor(50_000);
    const setupMs = performance.now() - t0;
    let frame = '';
    const times = [];
    const cpuTimes = [];
    for (let i = 0; i < WARMUP + FRAMES; i++) {
      // Each frame sees a state that moved (one virtual second, untimed), as in a live run:
      // nothing sampled for the previous frame can be reused as it was.
      clock.runFor(1_000);
      const s = performance.now();
      const c = process.cpuUsage();
      frame = renderFrame(session, { columns: 160, rows: 48 });
      const cpu = process.cpuUsage(c);
      if (i >= WARMUP) {
        times.push(performance.now() - s);
        cpuTimes.push((cpu.user + cpu.system) / 1000);
      }
    }
    // The same state again: what a repaint costs while paused (a key typed at the prompt).
    const idle = [];
    for (let i = 0; i < FRAMES; i++) {
      const s = performance.now();
      renderFrame(session, { columns: 160, rows: 48 });
      idle.push(performance.now() - s);
    }
    session.stop();
    rows.push({
      nodes: size,
      frameMsMedian: median(times),
      frameMsMax: Math.max(...times),
      frameCpuMsMedian: median(cpuTimes),
      idleFrameMsMedian: median(idle),
      frames: FRAMES,
      setupMs,
      notReadyShown: /NotReady/.test(frame),
      lines: frame.split('\n').length,
    });
  }

  // Idle: a 5-node session paced by the real wall clock at 10×, as `failsim dash` runs it;
  // its change notifications are the frames the app would render.
  const notifications = async () => {
    const loaded = loadScenario(scenarioWith(4));
    if (loaded._tag !== 'Right') throw new Error('generated scenario (5 nodes) did not load');
    const session = new DashboardSession({ loaded: loaded.right });
    let count = 0;
    session.subscribe(() => count++);
    session.start();
    const over = async (ms) => {
      count = 0;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return (count * 1000) / ms;
    };
    const running = await over(1_000);
    session.togglePause();
    const paused = await over(1_000);
    session.stop();
    return { runningPerSecond: running, pausedPerSecond: paused };
  };
  const idle = await notifications();

  if (json) {
    console.log(JSON.stringify({ columns: 160, rows: 48, warmup: WARMUP, cpus: cpus().length, loadAverage1m: loadavg()[0], results: rows, idle }, null, 2));
  } else {
    console.log(`failsim dashboard: one frame of the default screen at 160×48 (median of ${FRAMES} after ${WARMUP} warm-up)`);
    console.log('');
    const table = [
      ['nodes', 'frame ms (median)', 'frame ms (max)', 'CPU ms (median)', 'idle repaint ms', 'setup ms', 'NotReady on screen'],
      ...rows.map((r) => [String(r.nodes), r.frameMsMedian.toFixed(1), r.frameMsMax.toFixed(1), r.frameCpuMsMedian.toFixed(1), r.idleFrameMsMedian.toFixed(1), r.setupMs.toFixed(0), r.notReadyShown ? 'yes' : 'no']),
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    for (const [i, r] of table.entries()) {
      console.log(r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
      if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    console.log('');
    console.log('target: ≤ 50 ms per frame at 1,000 nodes');
    console.log(`idle: a running session asks for ${idle.runningPerSecond.toFixed(0)} frames/s, a paused one ${idle.pausedPerSecond.toFixed(0)} (an idle repaint, above, happens only on a key)`);
    // Frame times scale with how busy the machine is: say how busy it was.
    console.log(`machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(2)} (1 min)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
