// The bare reference loop of the scale benchmark (issue 8): a binary-heap event queue
// doing no work per event, as fast as a discrete-event loop in this Node can go. Each
// event reschedules itself a pseudo-random delay later (a simulation's steady state:
// the queue keeps its size), so the figure is pops + pushes on a heap of `size` entries.
// The simulator's event rate is reported as a fraction of this one.
import { performance } from 'node:perf_hooks';

/**
 * Runs `events` events on a heap holding `size` pending events; returns events per second.
 * Times (Float64Array) and ids (Int32Array) sit in parallel arrays, as SimClock keeps them.
 */
export const referenceLoop = (events = 5_000_000, size = 100_000) => {
  const times = new Float64Array(size + 1);
  const ids = new Int32Array(size + 1);
  let n = 0;
  let seed = 0x2545f491;
  const next = () => {
    // xorshift32: a deterministic delay without Math.random.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % 10_000;
  };
  const push = (t, id) => {
    let i = n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent] < t || (times[parent] === t && ids[parent] < id)) break;
      times[i] = times[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    times[i] = t;
    ids[i] = id;
  };
  const pop = () => {
    const t = times[--n];
    const id = ids[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && (times[child + 1] < times[child] || (times[child + 1] === times[child] && ids[child + 1] < ids[child]))) child++;
      if (times[child] > t || (times[child] === t && ids[child] > id)) break;
      times[i] = times[child];
      ids[i] = ids[child];
      i = child;
    }
    times[i] = t;
    ids[i] = id;
  };
  let nextId = 0;
  for (let i = 0; i < size; i++) push(next(), nextId++);
  const t0 = performance.now();
  for (let e = 0; e < events; e++) {
    const now = times[0];
    pop();
    push(now + 1 + next(), nextId++);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { events, heapSize: size, seconds, eventsPerSecond: events / seconds };
};

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(referenceLoop()));
