import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, type EventTraceEntry, type WriteTraceEntry } from '@failsim/core';
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { defaultTimings } from '../runtime/context.js';
import { profile114, profile128, profile132 } from '../profiles/profiles.js';
import type { VersionProfile } from '../profiles/profile.js';
import { TaintEvictionController, matchingTolerations, minTolerationTime } from './taint-eviction-controller.js';

const right = <T>(r: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const NOT_READY: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };
const OUT_OF_SERVICE: Taint = { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' };

/** A node w1 with pods on it and a running controller; taints are set by hand. */
const setup = (profile: VersionProfile = profile114) => {
  const sim = createSimulation();
  const kubectl = sim.api.client('kubectl');
  right(kubectl.create('Node', { metadata: { name: 'w1' } }));
  const tec = new TaintEvictionController({ sim, profile, timings: defaultTimings });
  tec.start();
  const addPod = (name: string, tolerations?: Toleration[], nodeName = 'w1'): void => {
    right(kubectl.create('Pod', { metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) } }));
  };
  const taint = (...taints: Taint[]): void => {
    right(kubectl.patch('Node', 'w1', { spec: { taints: taints.length > 0 ? taints : null } }, { type: 'merge' }));
  };
  const pod = (name: string): Pod | undefined => {
    const got = kubectl.get('Pod', name, 'default');
    return E.isRight(got) ? got.right : undefined;
  };
  const events = (): EventTraceEntry[] => sim.trace.entries.filter((e): e is EventTraceEntry => e.type === 'event');
  const deletions = (name: string): number[] =>
    sim.trace.entries.filter((e): e is WriteTraceEntry => e.type === 'write' && e.kind === 'Pod' && e.verb === 'delete' && e.name === name).map((e) => e.t);
  return { sim, kubectl, tec, addPod, taint, pod, events, deletions };
};

describe('toleration helpers', () => {
  it('use the first matching toleration per taint and the smallest tolerationSeconds', () => {
    const tolerations: Toleration[] = [
      { key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: UNREACHABLE.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      { key: NOT_READY.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ];
    const { all, used } = matchingTolerations([UNREACHABLE, NOT_READY], tolerations);
    expect(all).toBe(true);
    expect(used.map((t) => t.tolerationSeconds)).toEqual([300, 60]);
    expect(minTolerationTime(used)).toBe(60_000);
    expect(matchingTolerations([OUT_OF_SERVICE], tolerations).all).toBe(false);
    expect(minTolerationTime([{ operator: 'Exists' }])).toBe(-1);
    expect(minTolerationTime([{ operator: 'Exists', tolerationSeconds: -5 }])).toBe(0);
  });
});

describe('TaintEvictionController', () => {
  it('deletes a pod with the default 300 s toleration exactly 300 s after it saw the unreachable taint', () => {
    const { sim, tec, addPod, taint, pod, events, deletions } = setup(profile114);
    addPod('web-0');
    sim.clock.runFor(1_000);
    taint(UNREACHABLE);
    sim.clock.runFor(1);
    expect(tec.scheduledEvictions()).toEqual([{ key: 'default/web-0', createdAt: 1_000, fireAt: 301_000 }]);
    expect(sim.clock.pending()).toContainEqual(
      expect.objectContaining({ dueAt: 301_000, owner: 'taint-controller', purpose: 'delete pod default/web-0 after tolerationSeconds 300' }),
    );
    sim.clock.runUntil(300_999);
    expect(pod('web-0')?.metadata?.deletionTimestamp).toBeUndefined();
    sim.clock.runUntil(301_000);
    expect(deletions('web-0')).toEqual([301_000]);
    // Graceful: the pod stays, Terminating, for its 30 s grace period.
    expect(pod('web-0')?.metadata?.deletionTimestamp).toBe('2019-06-01T00:05:31Z');
    // 1.14: no DisruptionTarget condition yet, and the source is the taint manager's.
    expect(pod('web-0')?.status?.conditions?.some((c) => c.type === 'DisruptionTarget') ?? false).toBe(false);
    expect(events().map((e) => [e.t, e.reason, e.message, e.source, e.object])).toEqual([
      [301_000, 'TaintManagerEviction', 'Marking for deletion Pod default/web-0', 'taint-controller', 'Pod/default/web-0'],
    ]);
  });

  it('evicts at once on an out-of-service taint, with DisruptionTarget first (1.28)', () => {
    const { sim, addPod, taint, pod, events, deletions } = setup(profile128);
    addPod('web-0');
    sim.clock.runFor(120_000);
    taint(OUT_OF_SERVICE);
    sim.clock.runFor(1);
    expect(deletions('web-0')).toEqual([120_000]);
    const condition = pod('web-0')?.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    expect(condition).toMatchObject({
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: '2019-06-01T00:02:00Z',
    });
    expect(events().map((e) => [e.t, e.message, e.source])).toEqual([[120_000, 'Marking for deletion Pod default/web-0', 'taint-controller']]);
  });

  it('cancels, with an event, when the taint goes before the toleration runs out', () => {
    const { sim, addPod, taint, pod, events, deletions } = setup(profile114);
    addPod('web-0');
    taint(UNREACHABLE);
    sim.clock.runFor(200_000);
    taint();
    sim.clock.runFor(400_000);
    expect(deletions('web-0')).toEqual([]);
    expect(pod('web-0')?.metadata?.deletionTimestamp).toBeUndefined();
    expect(events().map((e) => [e.t, e.reason, e.message])).toEqual([[200_000, 'TaintManagerEviction', 'Cancelling deletion of Pod default/web-0']]);
    expect(sim.clock.pending().filter((t) => t.owner === 'taint-controller')).toEqual([]);
  });

  it('honours tolerationSeconds: the shortest in use, forever without it, 0 at once', () => {
    const { sim, addPod, taint, deletions } = setup(profile114);
    const exists = (key: string, tolerationSeconds?: number): Toleration => ({
      key,
      operator: 'Exists',
      effect: 'NoExecute',
      ...(tolerationSeconds !== undefined ? { tolerationSeconds } : {}),
    });
    addPod('short', [exists(UNREACHABLE.key, 60), exists(NOT_READY.key, 120)]);
    addPod('forever', [exists(UNREACHABLE.key), exists(NOT_READY.key)]);
    addPod('zero', [exists(UNREACHABLE.key, 0), exists(NOT_READY.key, 0)]);
    addPod('mixed', [exists(UNREACHABLE.key, 200), exists(NOT_READY.key, 30)]);
    taint(UNREACHABLE, NOT_READY);
    sim.clock.runFor(3_600_000);
    expect(deletions('zero')).toEqual([0]);
    expect(deletions('mixed')).toEqual([30_000]);
    expect(deletions('short')).toEqual([60_000]);
    expect(deletions('forever')).toEqual([]);
  });

  it('keeps the deletion it scheduled when the taints change (not-ready replaces unreachable)', () => {
    const { sim, addPod, taint, deletions, events } = setup(profile114);
    addPod('web-0');
    taint(UNREACHABLE);
    sim.clock.runFor(100_000);
    taint(NOT_READY);
    sim.clock.runFor(400_000);
    expect(deletions('web-0')).toEqual([300_000]);
    expect(events().map((e) => e.message)).toEqual(['Marking for deletion Pod default/web-0']);
  });

  it('acts on a pod bound to a node already tainted, from the time it sees the pod', () => {
    const { sim, addPod, taint, deletions } = setup(profile114);
    taint(UNREACHABLE);
    sim.clock.runFor(50_000);
    addPod('late');
    sim.clock.runFor(400_000);
    expect(deletions('late')).toEqual([350_000]);
  });

  it('cancels with an event when the pod is deleted while its eviction waits', () => {
    const { sim, kubectl, addPod, taint, events } = setup(profile114);
    addPod('web-0');
    taint(UNREACHABLE);
    sim.clock.runFor(10_000);
    right(kubectl.delete('Pod', 'web-0', { namespace: 'default', gracePeriodSeconds: 0 }));
    sim.clock.runFor(400_000);
    expect(events().map((e) => [e.t, e.message])).toEqual([[10_000, 'Cancelling deletion of Pod default/web-0']]);
  });

  it('replaces a pending eviction by an immediate one when an untolerated taint arrives (§9.3 step 6)', () => {
    const { sim, addPod, taint, deletions, events } = setup(profile132);
    addPod('web-0');
    sim.clock.runFor(50_000);
    taint(UNREACHABLE);
    sim.clock.runFor(70_000);
    taint(UNREACHABLE, OUT_OF_SERVICE);
    sim.clock.runFor(1);
    expect(deletions('web-0')).toEqual([120_000]);
    expect(events().map((e) => [e.t, e.message, e.source])).toEqual([
      [120_000, 'Cancelling deletion of Pod default/web-0', 'taint-eviction-controller'],
      [120_000, 'Marking for deletion Pod default/web-0', 'taint-eviction-controller'],
    ]);
  });

  it('restarted, it counts the toleration again from its restart', () => {
    const { sim, tec, addPod, taint, deletions } = setup(profile114);
    addPod('web-0');
    taint(UNREACHABLE);
    sim.clock.runFor(100_000);
    tec.stop();
    sim.clock.runFor(50_000);
    tec.start();
    sim.clock.runFor(400_000);
    expect(deletions('web-0')).toEqual([450_000]);
  });

  it('leaves pods on untainted nodes and pods of other nodes alone, and stops its timers on stop()', () => {
    const { sim, kubectl, tec, addPod, taint, deletions } = setup(profile114);
    right(kubectl.create('Node', { metadata: { name: 'w2' } }));
    addPod('elsewhere', undefined, 'w2');
    addPod('web-0');
    taint(UNREACHABLE);
    sim.clock.runFor(1);
    tec.stop();
    expect(sim.clock.pending().filter((t) => t.owner === 'taint-controller')).toEqual([]);
    sim.clock.runFor(400_000);
    expect(deletions('web-0')).toEqual([]);
    expect(deletions('elsewhere')).toEqual([]);
  });
  it('enqueues as upstream PodUpdated/NodeUpdated do: one work-queue timer per change not merged with a pending one, none left after stop()', () => {
    const { sim, kubectl, tec, addPod, taint } = setup(profile114);
    sim.clock.runFor(1);
    const scheduled: number[] = [];
    const fired: number[] = [];
    const stopObserving = sim.clock.observe({
      scheduled: (id, _dueAt, label) => {
        if (label.owner === 'taint-controller' && label.purpose === 'work queue') scheduled.push(id);
      },
      cancelled: () => undefined,
      fired: (id, label) => {
        if (label.owner === 'taint-controller' && label.purpose === 'work queue') fired.push(id);
      },
    });
    addPod('a'); // ADDED: a timer
    addPod('b'); // ADDED: a timer
    // A status update keeps nodeName and tolerations: nothing.
    right(kubectl.patch('Pod', 'a', { status: { phase: 'Running' } }, { namespace: 'default', subresource: 'status' }));
    right(kubectl.delete('Pod', 'b', { namespace: 'default', gracePeriodSeconds: 0 })); // merged with b's pending add
    taint(UNREACHABLE); // the node's NoExecute taints changed: a timer
    expect(scheduled).toHaveLength(3);
    sim.clock.runFor(1);
    expect(fired).toEqual(scheduled);
    addPod('c');
    right(kubectl.patch('Node', 'w1', { metadata: { labels: { x: 'y' } } }, { type: 'merge' })); // taints unchanged: nothing
    expect(scheduled).toHaveLength(4);
    tec.stop();
    sim.clock.runFor(1);
    expect(fired).toHaveLength(3);
    stopObserving();
  });

  it('cancels, with an event, the pending eviction of a pod deleted after its node went away', () => {
    const { sim, kubectl, addPod, taint, events } = setup(profile114);
    addPod('web-0');
    taint(UNREACHABLE);
    sim.clock.runFor(1_000);
    right(kubectl.delete('Node', 'w1'));
    sim.clock.runFor(1_000);
    right(kubectl.delete('Pod', 'web-0', { namespace: 'default', gracePeriodSeconds: 0 }));
    sim.clock.runFor(1);
    expect(events().map((e) => [e.t, e.message])).toEqual([[2_000, 'Cancelling deletion of Pod default/web-0']]);
    sim.clock.runFor(400_000);
    expect(events()).toHaveLength(1);
  });
});
