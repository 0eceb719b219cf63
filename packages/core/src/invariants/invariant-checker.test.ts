import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { config } from 'rxjs';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation, type Simulation } from '../simulation.js';
import { nodeLocation } from '../api/reachability.js';
import type { KubeObject } from '../api/resources.js';
import type { WatchEvent } from '../api/watch.js';
import { checkInvariants } from './invariant-checker.js';
import { InvariantViolation } from './invariant-violation.js';

const pod = (name: string, nodeName?: string): Pod => ({
  metadata: { name, labels: { app: 'web' } },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'web', image: 'nginx:1.17' }] },
});

/**
 * Wraps the server's watch so that every watch stream (Observable or sink: ApiServer.watch
 * delivers through watchTo) drops the changes `dropped` picks, as a delivery bug would.
 */
const dropFromEveryWatch = (sim: Simulation, dropped: (event: WatchEvent) => boolean): void => {
  const real = sim.api.watchTo.bind(sim.api);
  const dropping: typeof real = (caller, kind, options, sink) =>
    real(caller, kind, options, {
      next: (event) => {
        if (!dropped(event)) sink.next(event);
      },
      error: (error) => sink.error(error),
    });
  sim.api.watchTo = dropping;
};

/** A small but busy run: creates, status updates from watch handlers, graceful and forced deletes, a partition, Event expiry. */
const busyRun = (sim: Simulation): void => {
  const kubectl = sim.api.client('kubectl');
  const kubelet = sim.api.client('kubelet', nodeLocation('w1'));
  // A handler that writes while a change is being delivered: its write queues behind.
  kubelet.watch('Pod', { fieldSelector: 'spec.nodeName=w1' }).subscribe((event) => {
    const { name, deletionTimestamp } = event.object.metadata ?? {};
    if (event.type === 'ADDED') kubelet.patch('Pod', name ?? '', { status: { phase: 'Running' } }, { subresource: 'status', type: 'merge' });
    if (event.type === 'MODIFIED' && deletionTimestamp !== undefined) kubelet.delete('Pod', name ?? '', { gracePeriodSeconds: 0 });
  });
  for (let i = 0; i < 5; i++) kubectl.create('Pod', pod(`web-${i}`, 'w1'));
  kubectl.create('Pod', pod('pending-0'));
  kubectl.create('Event', { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'web-0' }, reason: 'Test', message: 'hello', type: 'Normal' });
  sim.clock.schedule(60_000, () => sim.reachability.set(nodeLocation('w1'), false), { owner: 'test', purpose: 'partition w1' });
  sim.clock.schedule(90_000, () => kubectl.delete('Pod', 'web-1'), { owner: 'test', purpose: 'delete web-1' });
  sim.clock.schedule(100_000, () => kubectl.delete('Pod', 'pending-0'), { owner: 'test', purpose: 'delete pending-0' });
  sim.clock.schedule(110_000, () => kubectl.create('Pod', pod('pending-0')), { owner: 'test', purpose: 're-create pending-0' });
  const cancelled = sim.clock.schedule(120_000, () => kubectl.delete('Pod', 'web-2'), { owner: 'test', purpose: 'cancelled delete' });
  sim.clock.schedule(10_000, () => cancelled.cancel(), { owner: 'test', purpose: 'cancel' });
  sim.clock.schedule(300_000, () => sim.reachability.set(nodeLocation('w1'), true), { owner: 'test', purpose: 'heal w1' });
  sim.clock.schedule(400_000, () => kubectl.delete('Pod', 'web-3', { gracePeriodSeconds: 0 }), { owner: 'test', purpose: 'force delete web-3' });
  sim.clock.runFor(2 * 3_600_000);
};

describe('checkInvariants', () => {
  it('follows tens of thousands of writes as its commit window grows, with no false report', () => {
    const sim = createSimulation();
    const checker = checkInvariants(sim);
    const kubectl = sim.api.client('kubectl');
    // 3 writes a pod: past the largest window (65,536 commits) and round it.
    for (let i = 0; i < 25_000; i++) {
      kubectl.create('Pod', pod(`p-${i}`, 'w1'));
      kubectl.patch('Pod', `p-${i}`, { status: { phase: 'Running' } }, { subresource: 'status', type: 'merge' });
      kubectl.delete('Pod', `p-${i}`, { gracePeriodSeconds: 0 });
      if (i % 1000 === 0) sim.clock.runFor(1000);
    }
    expect(Number(sim.api.resourceVersion)).toBeGreaterThan(70_000);
    expect(() => checker.stop()).not.toThrow();
    expect(checker.violations).toEqual([]);
  });

  it('keeps every commit its watches have still to see: a handler\'s burst of writes queued behind one change', () => {
    // The checker's watches see the 3,000 creates only after the handler returns: its window
    // (256 commits at first) must grow to hold them all, or it would report each one it
    // no longer holds as never committed.
    const sim = createSimulation();
    const kubectl = sim.api.client('kubectl');
    const burst = kubectl.watch('Pod').subscribe((event) => {
      if (event.type !== 'ADDED' || event.object.metadata?.name !== 'trigger') return;
      for (let i = 0; i < 3_000; i++) kubectl.create('Pod', pod(`burst-${i}`, 'w1'));
    });
    const checker = checkInvariants(sim);
    kubectl.create('Pod', pod('trigger', 'w1'));
    sim.clock.runFor(1000);
    burst.unsubscribe();
    expect(() => checker.stop()).not.toThrow();
    expect(checker.violations).toEqual([]);
  });

  it('sees no violation in a busy run, and the run behaves as without it', () => {
    const sim = createSimulation({ seed: 7 });
    const checker = checkInvariants(sim);
    busyRun(sim);
    expect(() => checker.stop()).not.toThrow();
    expect(checker.violations).toEqual([]);
    // The same run without a checker writes the same trace: the checker only reads.
    const plain = createSimulation({ seed: 7 });
    busyRun(plain);
    expect(sim.trace.toNDJSON()).toBe(plain.trace.toNDJSON());
    const kubectl = sim.api.client('kubectl');
    expect(E.isLeft(kubectl.get('Pod', 'web-1'))).toBe(true);
    expect(E.isRight(kubectl.get('Pod', 'pending-0'))).toBe(true);
  });

  it('catches a watch path that drops an event (injected bug), with the missed write and history', () => {
    // INJECTED BUG: the server's watch is wrapped so that every watch stream drops the
    // status update that sets web-0 Running — as a delivery bug that skips one change would.
    const sim = createSimulation({ seed: 7 });
    dropFromEveryWatch(sim, (e) => e.object.metadata?.name === 'web-0' && (e.object as Pod).status?.phase === 'Running');
    const seen: InvariantViolation[] = [];
    const checker = checkInvariants(sim, { onViolation: (v) => seen.push(v) });
    const kubectl = sim.api.client('kubectl');
    kubectl.create('Pod', pod('web-0', 'w1'));
    kubectl.patch('Pod', 'web-0', { status: { phase: 'Running' } }, { subresource: 'status', type: 'merge' });
    kubectl.create('Pod', pod('web-1', 'w1'));
    // The server delivers to watches of the kind first, then to watches of everything.
    expect(seen.map((v) => v.rule)).toEqual(['watch-order', 'watch-order']);
    expect(seen[1]!.detail).toBe('watch of all kinds missed write status Pod default/web-0 rv=6 by kubectl@control-plane: after resourceVersion 5 it saw ADDED Pod default/web-1 rv=7');
    expect(seen[0]!.detail).toBe('watch of Pod missed write status Pod default/web-0 rv=6 by kubectl@control-plane: after resourceVersion 5 it saw ADDED Pod default/web-1 rv=7');
    expect(seen[0]!.history.map((h) => h.what)).toEqual(
      expect.arrayContaining(['write create Pod default/web-0 rv=5 by kubectl@control-plane', 'write status Pod default/web-0 rv=6 by kubectl@control-plane']),
    );
    expect(checker.violations).toHaveLength(2);
  });

  it('reports an onViolation that throws as RxJS reports a failing subscriber, and goes on checking', async () => {
    const reported: unknown[] = [];
    const before = config.onUnhandledError;
    config.onUnhandledError = (error) => reported.push(error);
    try {
      // INJECTED BUG: the dropping watch of the test above, and a violation handler that throws.
      const sim = createSimulation({ seed: 7 });
      dropFromEveryWatch(sim, (e) => e.object.metadata?.name === 'web-0' && (e.object as Pod).status?.phase === 'Running');
      const checker = checkInvariants(sim, {
        onViolation: (v) => {
          throw new Error(`handler failed on ${v.rule}`);
        },
      });
      const kubectl = sim.api.client('kubectl');
      kubectl.create('Pod', pod('web-0', 'w1'));
      kubectl.patch('Pod', 'web-0', { status: { phase: 'Running' } }, { subresource: 'status', type: 'merge' });
      kubectl.create('Pod', pod('web-1', 'w1'));
      // The write is delivered to every watch; RxJS reports on a later macrotask.
      expect(E.isRight(kubectl.get('Pod', 'web-1'))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(reported.map((e) => (e as Error).message)).toEqual(['handler failed on watch-order', 'handler failed on watch-order']);
      expect(checker.violations.map((v) => v.rule)).toEqual(['watch-order', 'watch-order']);
    } finally {
      config.onUnhandledError = before;
    }
  });

  it('fails fast by throwing at the next timer firing when no onViolation is given', () => {
    // INJECTED BUG: the same dropping watch, but the dropped change is the last one, so only
    // the catch-up check at the next timer firing can see it.
    const sim = createSimulation({ seed: 7 });
    dropFromEveryWatch(sim, (e) => e.object.metadata?.name === 'lost');
    checkInvariants(sim);
    sim.api.client('kubectl').create('Pod', pod('lost'));
    sim.clock.schedule(1_000, () => undefined, { owner: 'test', purpose: 'tick' });
    let thrown: unknown;
    try {
      sim.clock.runFor(5_000);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvariantViolation);
    const violation = thrown as InvariantViolation;
    expect(violation.rule).toBe('watch-order');
    expect(violation.at).toBe(1_000);
    expect(violation.message).toBe(
      [
        'invariant watch-order violated at T+1s: watch of all kinds never saw write create Pod default/lost rv=5 by kubectl@control-plane (last saw resourceVersion 4)',
        'history (oldest first):',
        '  T+0s write create Pod default/lost rv=5 by kubectl@control-plane',
        '  T+1s fired timer #1 test: tick',
      ].join('\n'),
    );
  });

  it('at the catch-up check, names each watch still behind: the watch of everything, then those of the kinds written', () => {
    // INJECTED BUG: the dropping watch again, the lost change the last of two kinds written.
    const sim = createSimulation({ seed: 7 });
    dropFromEveryWatch(sim, (e) => e.object.metadata?.name === 'lost');
    const seen: InvariantViolation[] = [];
    checkInvariants(sim, { onViolation: (v) => seen.push(v) });
    const kubectl = sim.api.client('kubectl');
    kubectl.create('Event', { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'lost' }, reason: 'Test', message: 'hello', type: 'Normal' });
    kubectl.create('Pod', pod('lost'));
    sim.clock.schedule(1_000, () => undefined, { owner: 'test', purpose: 'tick' });
    sim.clock.runFor(5_000);
    expect(seen.map((v) => v.detail)).toEqual([
      'watch of all kinds never saw write create Pod default/lost rv=6 by kubectl@control-plane (last saw resourceVersion 5)',
      'watch of Pod never saw write create Pod default/lost rv=6 by kubectl@control-plane (last saw resourceVersion 4)',
    ]);
  });

  it('catches a get that still returns a deleted object (injected bug)', () => {
    // INJECTED BUG: a stale read cache in front of get, which answers for objects the
    // store no longer has.
    const sim = createSimulation();
    const realGet = sim.api.get.bind(sim.api);
    const stale = new Map<string, KubeObject>();
    sim.api.get = ((caller, kind, name, namespace) => {
      const got = realGet(caller, kind, name, namespace);
      if (E.isRight(got)) stale.set(`${kind}/${name}`, got.right);
      return E.isLeft(got) && stale.has(`${kind}/${name}`) ? E.right(stale.get(`${kind}/${name}`)!) : got;
    }) as typeof realGet;
    const seen: InvariantViolation[] = [];
    checkInvariants(sim, { onViolation: (v) => seen.push(v) });
    const kubectl = sim.api.client('kubectl');
    kubectl.create('Pod', pod('web-0'));
    kubectl.get('Pod', 'web-0');
    kubectl.delete('Pod', 'web-0');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.rule).toBe('deleted-not-listed');
    expect(seen[0]!.detail).toMatch(/^Pod default\/web-0 \(uid [0-9a-f-]+\) was deleted at resourceVersion 6 but get still returns it \(resourceVersion 5\)$/);
    expect(seen[0]!.history.map((h) => h.what)).toEqual(['write create Pod default/web-0 rv=5 by kubectl@control-plane', 'write remove Pod default/web-0 rv=6 by kubectl@control-plane']);
  });

  it('catches a list that still returns a deleted object in audit (injected bug)', () => {
    // INJECTED BUG: list answers from a snapshot taken before the delete.
    const sim = createSimulation();
    const kubectl = sim.api.client('kubectl');
    kubectl.create('Pod', pod('web-0'));
    const realList = sim.api.list.bind(sim.api);
    const snapshot = realList({ component: 'x', location: 'control-plane' }, 'Pod');
    const seen: InvariantViolation[] = [];
    const checker = checkInvariants(sim, { onViolation: (v) => seen.push(v) });
    sim.api.list = ((caller, kind, opts) => (kind === 'Pod' ? snapshot : realList(caller, kind, opts))) as typeof realList;
    kubectl.delete('Pod', 'web-0');
    checker.audit();
    expect(seen.map((v) => v.detail)).toEqual([expect.stringMatching(/^Pod default\/web-0 \(uid .+\) is listed after it was deleted$/), 'list of Pod returns 1 objects, the watch shows 0']);
  });

  it('catches a clock whose now() goes backwards (injected bug)', () => {
    // INJECTED BUG: now() monkeypatched to read 5 s behind the clock after T+60s.
    const sim = createSimulation();
    const seen: InvariantViolation[] = [];
    checkInvariants(sim, { onViolation: (v) => seen.push(v) });
    const realNow = sim.clock.now.bind(sim.clock);
    const kubectl = sim.api.client('kubectl');
    sim.clock.schedule(60_000, () => kubectl.create('Pod', pod('a')), { owner: 'test', purpose: 'create a' });
    sim.clock.schedule(61_000, () => {
      sim.clock.now = () => realNow() - 5_000;
      kubectl.create('Pod', pod('b'));
    }, { owner: 'test', purpose: 'create b' });
    sim.clock.runFor(70_000);
    expect(seen.map((v) => v.detail)).toEqual(['virtual clock went backwards from 61000 ms to 56000 ms (write create Pod default/b rv=6 by kubectl@control-plane)']);
    expect(seen[0]!.history.map((h) => `${h.t} ${h.what}`)).toEqual([
      '60000 fired timer #1 test: create a',
      '60000 write create Pod default/a rv=5 by kubectl@control-plane',
      '61000 fired timer #2 test: create b',
      '56000 write create Pod default/b rv=6 by kubectl@control-plane',
    ]);
  });

  it('catches a cancelled timer that still fires, and one that fires before it is due (injected bugs)', () => {
    const sim = createSimulation();
    const seen: InvariantViolation[] = [];
    checkInvariants(sim, { onViolation: (v) => seen.push(v) });
    // INJECTED BUG 1: the queue's cancel is a no-op, so a cancelled timer keeps its action.
    const queue = (sim.clock as unknown as { queue: { cancel: (slot: number) => void; peekTime: () => number } }).queue;
    queue.cancel = () => undefined;
    sim.clock.schedule(1_000, () => undefined, { owner: 'test', purpose: 'cancelled one' }).cancel();
    sim.clock.runFor(2_000);
    expect(seen.map((v) => v.detail)).toEqual(['timer #1 test: cancelled one fired at 1000 ms after it was cancelled']);
    // INJECTED BUG 2: peekTime reports the top timer 500 ms early.
    const realPeek = queue.peekTime.bind(queue);
    queue.peekTime = () => realPeek() - 500;
    sim.clock.schedule(10_000, () => undefined, { owner: 'test', purpose: 'early one' });
    sim.clock.step();
    expect(seen[1]!.detail).toBe('timer #2 test: early one fired at 11500 ms, before its due time 12000 ms');
    expect(seen[1]!.history.map((h) => h.what)).toEqual(['fired timer #1 test: cancelled one', 'fired timer #2 test: early one']);
  });

  it('catches a resourceVersion that does not increase (injected bug)', () => {
    // INJECTED BUG: a writer that records a write with a reused resourceVersion, as a
    // server whose counter went back would.
    const sim = createSimulation();
    const seen: InvariantViolation[] = [];
    checkInvariants(sim, { onViolation: (v) => seen.push(v) });
    sim.trace.record({ t: 0, type: 'write', verb: 'create', kind: 'Pod', namespace: 'default', name: 'ghost', resourceVersion: '3', by: 'bug@control-plane' });
    expect(seen.map((v) => v.detail)).toEqual(['resourceVersion 3 does not follow 4 (write create Pod default/ghost rv=3 by bug@control-plane)']);
  });
});
