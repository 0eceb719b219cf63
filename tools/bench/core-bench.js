// Benchmark of @failsim/core: virtual-clock events per second (1 M timers), API writes per
// second with 10 active watchers (a mixed workload, and each verb alone), and peak memory.
// Prints figures only; nothing here asserts, since shared machines are noisy.
// Run: npm run bench:core [-- --json]
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
  return { timers, scheduleSeconds: (t1 - t0) / 1000, runSeconds: (t2 - t1) / 1000, eventsPerSecond: timers / ((t2 - t1) / 1000) };
};

const POD_COUNT = 1000;
const podManifest = (name, i) => ({
  metadata: { name, labels: { app: 'bench' } },
  spec: { nodeName: `w${i % 10}`, containers: [{ name: 'c', image: 'nginx:1.17' }] },
});

/** A simulation with 1,000 pods and 10 watchers (half filtered by spec.nodeName, as kubelets watch). */
const setup = (watchers) => {
  const sim = createSimulation({ seed: 'bench' });
  const client = sim.api.client('bench');
  let delivered = 0;
  for (let i = 0; i < watchers; i++) {
    client.watch('Pod', i % 2 === 0 ? {} : { fieldSelector: `spec.nodeName=w${i}` }).subscribe(() => delivered++);
  }
  for (let i = 0; i < POD_COUNT; i++) client.create('Pod', podManifest(`p-${i}`, i));
  return { sim, client, delivered: () => delivered };
};

const writers = {
  // What kubelets and controllers do most: PUT the status subresource.
  updateStatus: (client, i) => {
    const name = `p-${i % POD_COUNT}`;
    const pod = client.get('Pod', name).right;
    return client.updateStatus('Pod', { ...pod, status: { ...pod.status, conditions: [{ type: 'Ready', status: Math.floor(i / POD_COUNT) % 2 ? 'True' : 'False' }] } });
  },
  mergePatch: (client, i) => client.patch('Pod', `p-${i % POD_COUNT}`, { metadata: { annotations: { n: String(i) } } }, { type: 'merge' }),
  create: (client, i) => client.create('Pod', podManifest(`q-${i}`, i)),
  deleteForce: (client, i) => client.delete('Pod', `q-${i}`, { gracePeriodSeconds: 0 }),
};

/** Runs `count` writes of one verb, or the mix (40% status, 30% patch, 15% create, 15% delete). */
const apiBench = (verb, count, watchers) => {
  const { sim, client, delivered } = setup(watchers);
  const mix = (c, i) => {
    const slot = i % 20;
    if (slot < 8) return writers.updateStatus(c, i);
    if (slot < 14) return writers.mergePatch(c, i);
    if (slot < 17) return writers.create(c, i);
    return writers.deleteForce(c, i - 3);
  };
  const write = verb === 'mix' ? mix : writers[verb];
  if (verb === 'deleteForce') for (let i = 0; i < count; i++) writers.create(client, i);
  const rv0 = Number(sim.api.resourceVersion);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const result = write(client, i);
    if (result._tag !== 'Right') throw new Error(`${verb} #${i}: ${result.left.message}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const writes = Number(sim.api.resourceVersion) - rv0;
  return { verb, writes, watchers, seconds, writesPerSecond: writes / seconds, watchEventsDelivered: delivered() };
};

const clock = clockBench(1_000_000);
const api = ['mix', 'updateStatus', 'mergePatch', 'create', 'deleteForce'].map((verb) => apiBench(verb, verb === 'mix' ? 200_000 : 100_000, 10));
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

if (json) {
  console.log(JSON.stringify({ clock, api, peakRssMiB }, null, 2));
} else {
  console.log(`@failsim/core benchmark (node ${process.version}, ${process.arch})`);
  console.log(`virtual clock  ${fmt(clock.timers)} timers, scheduled in ${clock.scheduleSeconds.toFixed(3)} s, run in ${clock.runSeconds.toFixed(3)} s`);
  console.log(`               ${fmt(clock.eventsPerSecond)} events/s   (target >= 2,000,000)`);
  console.log(`api server     writes/s with ${api[0].watchers} watchers on 1,000 pods   (target >= 100,000)`);
  for (const r of api) {
    console.log(`  ${r.verb.padEnd(13)}${fmt(r.writesPerSecond).padStart(10)} writes/s   ${fmt(r.writes)} writes in ${r.seconds.toFixed(3)} s, ${fmt(r.watchEventsDelivered)} watch events`);
  }
  console.log(`peak memory    ${peakRssMiB.toFixed(0)} MiB RSS`);
}
