// Benchmark of @failsim/core on this machine: virtual-clock events per second (1 M timers),
// API writes per second with 10 active watchers, and peak memory. Prints figures only;
// nothing here asserts, since shared machines are noisy. Run: npm run bench
import { performance } from 'node:perf_hooks';
import { SimClock, SeededRandom, createSimulation } from '@failsim/core';

const json = process.argv.includes('--json');
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const clockBench = (timers) => {
  const clock = new SimClock();
  const random = new SeededRandom('bench');
  const label = { owner: 'bench', purpose: 'timer' };
  let fired = 0;
  const action = () => {
    fired++;
  };
  const t0 = performance.now();
  for (let i = 0; i < timers; i++) clock.schedule(random.int(0, 3_600_000), action, label);
  const t1 = performance.now();
  clock.runUntilIdle();
  const t2 = performance.now();
  if (fired !== timers) throw new Error(`fired ${fired} of ${timers}`);
  return {
    timers,
    scheduleSeconds: (t1 - t0) / 1000,
    runSeconds: (t2 - t1) / 1000,
    eventsPerSecond: timers / ((t2 - t1) / 1000),
    scheduleAndRunPerSecond: timers / ((t2 - t0) / 1000),
  };
};

const apiBench = (writes, watchers) => {
  const sim = createSimulation({ seed: 'bench', garbageCollector: true });
  const client = sim.api.client('bench');
  let delivered = 0;
  for (let i = 0; i < watchers; i++) {
    client.watch('Pod', i % 2 === 0 ? {} : { fieldSelector: 'spec.nodeName=w1' }).subscribe(() => delivered++);
  }
  const pods = 1000;
  const t0 = performance.now();
  for (let i = 0; i < pods; i++) {
    client.create('Pod', { metadata: { name: `p-${i}`, labels: { app: 'bench' } }, spec: { nodeName: `w${i % 10}`, containers: [{ name: 'c', image: 'nginx:1.17' }] } });
  }
  for (let i = pods; i < writes; i++) {
    client.patch('Pod', `p-${i % pods}`, { metadata: { annotations: { n: String(i) } } }, { type: 'merge' });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { writes, watchers, seconds, writesPerSecond: writes / seconds, watchEventsDelivered: delivered };
};

const clock = clockBench(1_000_000);
const api = apiBench(200_000, 10);
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

if (json) {
  console.log(JSON.stringify({ clock, api, peakRssMiB }, null, 2));
} else {
  console.log(`@failsim/core benchmark (node ${process.version}, ${process.arch})`);
  console.log(`virtual clock   ${fmt(clock.timers)} timers: scheduled in ${clock.scheduleSeconds.toFixed(3)} s, run in ${clock.runSeconds.toFixed(3)} s`);
  console.log(`                ${fmt(clock.eventsPerSecond)} events/s (${fmt(clock.scheduleAndRunPerSecond)}/s including scheduling)   target >= 2,000,000`);
  console.log(`api server      ${fmt(api.writes)} writes with ${api.watchers} watchers in ${api.seconds.toFixed(3)} s: ${fmt(api.writesPerSecond)} writes/s   target >= 100,000`);
  console.log(`                ${fmt(api.watchEventsDelivered)} watch events delivered`);
  console.log(`peak memory     ${peakRssMiB.toFixed(0)} MiB RSS`);
}
