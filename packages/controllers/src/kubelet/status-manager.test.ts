import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, nodeLocation, type ApiClient, type ApiError } from '@failsim/core';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { StatusManager } from './status-manager.js';

const right = <T>(r: E.Either<ApiError, T>): T => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const setup = () => {
  const sim = createSimulation();
  const kubectl = sim.api.client('kubectl');
  const manager = new StatusManager(sim.clock, sim.api.client('kubelet', nodeLocation('w1')));
  const pod = right(kubectl.create('Pod', { metadata: { name: 'web-0' }, spec: { nodeName: 'w1', containers: [{ name: 'app', image: 'nginx:1.17' }] } }));
  const current = (): Pod => right(kubectl.get('Pod', 'web-0'));
  return { sim, kubectl, manager, pod, uid: pod.metadata?.uid ?? '', current };
};

const generated = (ready: boolean): PodStatus => ({
  phase: 'Running',
  hostIP: '10.0.0.10',
  conditions: [
    { type: 'Initialized', status: 'True' },
    { type: 'Ready', status: ready ? 'True' : 'False' },
    { type: 'ContainersReady', status: ready ? 'True' : 'False' },
    { type: 'PodScheduled', status: 'True' },
  ],
});

describe('StatusManager', () => {
  it('writes a new status with startTime and transition times, and nothing when it did not change', () => {
    const { sim, manager, uid, current } = setup();
    sim.clock.runFor(2_000);
    expect(manager.setPodStatus(uid, generated(false), current()).result).toBe('written');
    const first = current().status;
    expect(first?.startTime).toBe('2019-06-01T00:00:02Z');
    sim.clock.runFor(5_000);
    expect(manager.setPodStatus(uid, generated(false), current()).result).toBe('unchanged');
    expect(manager.setPodStatus(uid, generated(true), current()).result).toBe('written');
    const second = current().status;
    expect(second?.startTime).toBe('2019-06-01T00:00:02Z');
    expect(second?.conditions?.map((c) => [c.type, c.lastTransitionTime])).toEqual([
      ['Initialized', '2019-06-01T00:00:02Z'],
      ['Ready', '2019-06-01T00:00:07Z'],
      ['ContainersReady', '2019-06-01T00:00:07Z'],
      ['PodScheduled', '2019-06-01T00:00:02Z'],
    ]);
  });

  it('keeps the scheduler PodScheduled condition and conditions it does not own', () => {
    const sim = createSimulation();
    const kubectl = sim.api.client('kubectl');
    right(kubectl.create('Pod', { metadata: { name: 'web-0' }, spec: { containers: [{ name: 'app', image: 'nginx:1.17' }] } }));
    sim.clock.runFor(1_000);
    right(sim.api.client('default-scheduler').bind('web-0', 'default', 'w1'));
    const bound = right(kubectl.get('Pod', 'web-0'));
    right(
      kubectl.updateStatus('Pod', {
        ...bound,
        status: { ...bound.status, conditions: [...(bound.status?.conditions ?? []), { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' }] },
      }),
    );
    sim.clock.runFor(1_000);
    const manager = new StatusManager(sim.clock, sim.api.client('kubelet', nodeLocation('w1')));
    manager.setPodStatus(bound.metadata?.uid ?? '', generated(true), right(kubectl.get('Pod', 'web-0')));
    const conditions = right(kubectl.get('Pod', 'web-0')).status?.conditions;
    expect(conditions?.find((c) => c.type === 'PodScheduled')).toEqual({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2019-06-01T00:00:01Z' });
    expect(conditions?.find((c) => c.type === 'DisruptionTarget')?.reason).toBe('DeletionByTaintManager');
  });

  it('tells when someone else changed the status and puts its own back', () => {
    const { kubectl, manager, uid, current } = setup();
    manager.setPodStatus(uid, generated(true), current());
    expect(manager.needsReconcile(uid, current())).toBe(false);
    const pod = current();
    right(kubectl.updateStatus('Pod', { ...pod, status: { ...pod.status, conditions: pod.status?.conditions?.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c)) } }));
    expect(manager.needsReconcile(uid, current())).toBe(true);
    expect(manager.syncPod(uid, current()).result).toBe('written');
    expect(current().status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('writes a frozen status the API server stores as it is, so the next comparison is by identity', () => {
    const { manager, uid, current } = setup();
    expect(manager.setPodStatus(uid, generated(true), current()).result).toBe('written');
    const stored = current().status;
    expect(Object.isFrozen(stored)).toBe(true);
    expect(manager.status(uid)).toBe(stored);
    // An unchanged sync keeps that object.
    expect(manager.setPodStatus(uid, generated(true), current()).result).toBe('unchanged');
    expect(manager.status(uid)).toBe(stored);
    expect(manager.needsReconcile(uid, current())).toBe(false);
  });

  it('reports a failed write while cut off, and a pod that is gone', () => {
    const { sim, kubectl, manager, uid, current } = setup();
    const pod = current();
    sim.reachability.set(nodeLocation('w1'), false);
    expect(manager.setPodStatus(uid, generated(true), pod).result).toBe('failed');
    sim.reachability.set(nodeLocation('w1'), true);
    right(kubectl.delete('Pod', 'web-0', { gracePeriodSeconds: 0 }));
    expect(manager.syncPod(uid, pod).result).toBe('gone');
  });

  it('deletes with grace 0 and a UID precondition, leaving a recreated pod of the same name alone', () => {
    const { kubectl, manager, pod, current } = setup();
    right(kubectl.delete('Pod', 'web-0'));
    expect(current().metadata?.deletionTimestamp).toBeDefined();
    expect(manager.deletePod(pod)).toBe('deleted');
    expect(E.isLeft(kubectl.get('Pod', 'web-0'))).toBe(true);
    right(kubectl.create('Pod', { metadata: { name: 'web-0' }, spec: { nodeName: 'w1', containers: [{ name: 'app', image: 'nginx:1.17' }] } }));
    expect(manager.deletePod(pod)).toBe('gone');
    expect(E.isRight(kubectl.get('Pod', 'web-0'))).toBe(true);
  });
});

describe('StatusManager status form', () => {
  // What the status manager built before it wrote literals: `{ ...generated, conditions,
  // startTime }` with `{ ...condition, lastTransitionTime }` conditions. The written
  // status must be the same text, member order included, whatever the generated shape.
  const spreadForm = (g: PodStatus, ltt: string, start: string): string =>
    JSON.stringify({ ...g, conditions: (g.conditions ?? []).map((c) => ({ ...c, lastTransitionTime: ltt })), startTime: start });

  const shapes: PodStatus[] = [
    {
      phase: 'Pending',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' },
        { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
      ],
      hostIP: '10.0.0.10',
      podIP: '10.200.0.7',
      containerStatuses: [],
      qosClass: 'BestEffort',
    },
    { phase: 'Pending', conditions: [{ type: 'Ready', status: 'True' }], hostIP: '10.0.0.10', containerStatuses: [], qosClass: 'BestEffort' },
    // Shapes the kubelet does not generate take the generic copy, with the same result.
    { hostIP: '10.0.0.10', phase: 'Running', conditions: [{ status: 'True', type: 'Ready' }, { type: 'Ready', status: 'False', message: 'm', reason: 'r' }] },
  ];

  it('writes the members and conditions in the order the spreads gave them', () => {
    for (const shape of shapes) {
      const { sim, manager, uid, current } = setup();
      sim.clock.runFor(3_000);
      expect(manager.setPodStatus(uid, shape, current()).result).toBe('written');
      expect(JSON.stringify(current().status)).toBe(spreadForm(shape, '2019-06-01T00:00:03Z', '2019-06-01T00:00:03Z'));
      expect(current().status).toBe(manager.status(uid));
    }
  });
  it('keeps the previous conditions that a sync would rebuild equal, with the same text as rebuilt ones', () => {
    // A sync after a container start changes the container statuses, not the conditions:
    // the written status shares the previous conditions, its text that of a fresh build.
    const { sim, manager, uid, current } = setup();
    const shape = (started: boolean): PodStatus => ({
      ...shapes[0]!,
      containerStatuses: [{ name: 'app', image: 'nginx:1.17', imageID: '', ready: false, restartCount: 0, state: started ? { running: { startedAt: 'x' } } : {} }],
    });
    sim.clock.runFor(3_000);
    expect(manager.setPodStatus(uid, shape(false), current()).result).toBe('written');
    const before = current().status;
    sim.clock.runFor(2_000);
    expect(manager.setPodStatus(uid, shape(true), current()).result).toBe('written');
    const after = current().status;
    expect(after?.conditions).toBe(before?.conditions);
    expect(JSON.stringify(after)).toBe(spreadForm(shape(true), '2019-06-01T00:00:03Z', '2019-06-01T00:00:03Z'));
    // One condition changes: the others are the previous objects, the list a new one.
    const readyNow: PodStatus = { ...shape(true), conditions: [shapes[0]!.conditions![0]!, { type: 'Ready', status: 'True' }, shapes[0]!.conditions![2]!] };
    sim.clock.runFor(2_000);
    expect(manager.setPodStatus(uid, readyNow, current()).result).toBe('written');
    const third = current().status;
    expect(third?.conditions).not.toBe(after?.conditions);
    expect(third?.conditions?.[0]).toBe(after?.conditions?.[0]);
    expect(third?.conditions?.[2]).toBe(after?.conditions?.[2]);
    expect(JSON.stringify(third?.conditions)).toBe(
      JSON.stringify([
        { type: 'Initialized', status: 'True', lastTransitionTime: '2019-06-01T00:00:03Z' },
        { type: 'Ready', status: 'True', lastTransitionTime: '2019-06-01T00:00:07Z' },
        { type: 'ContainersReady', status: 'False', reason: 'PodCompleted', lastTransitionTime: '2019-06-01T00:00:03Z' },
      ]),
    );
  });

  it('does not lend a condition whose members differ from what a rebuild gives', () => {
    // The API's condition has another member order and a reason the generated one lacks.
    const { sim, kubectl, manager, uid, current } = setup();
    right(kubectl.updateStatus('Pod', { ...current(), status: { conditions: [{ status: 'True', type: 'Ready', lastTransitionTime: '2019-06-01T00:00:00Z' }, { type: 'Initialized', status: 'True', reason: 'r', lastTransitionTime: '2019-06-01T00:00:00Z' }] } }));
    sim.clock.runFor(3_000);
    const g: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] };
    expect(manager.setPodStatus(uid, g, current()).result).toBe('written');
    expect(JSON.stringify(current().status?.conditions)).toBe(
      JSON.stringify([
        { type: 'Ready', status: 'True', lastTransitionTime: '2019-06-01T00:00:00Z' },
        { type: 'Initialized', status: 'True', lastTransitionTime: '2019-06-01T00:00:00Z' },
      ]),
    );
  });

  it('writes the target with only its status replaced, stored shape or not', () => {
    const sim = createSimulation();
    const sent: Pod[] = [];
    const client = { updateStatus: (_kind: string, object: Pod) => (sent.push(object), E.right(object)) } as unknown as ApiClient;
    const manager = new StatusManager(sim.clock, client);
    const kubectl = sim.api.client('kubectl');
    const containers = [{ name: 'app', image: 'nginx:1.17' }];
    // The API server adds the type after the members a creator gave; controllers give it first.
    const typeAdded = right(kubectl.create('Pod', { metadata: { name: 'web-0' }, spec: { containers } }));
    const typeFirst = right(kubectl.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1' }, spec: { containers } }));
    const unusual: Pod = { metadata: { name: 'web-2', uid: 'u2' }, spec: typeAdded.spec, status: {} };
    (unusual as Record<string, unknown>)['extra'] = 1;
    const targets = [typeAdded, typeFirst, unusual];
    for (const target of targets) manager.setPodStatus(target.metadata?.uid ?? '', generated(true), target);
    expect(sent.map((p) => Object.keys(p))).toEqual([
      ['metadata', 'spec', 'apiVersion', 'kind', 'status'],
      ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
      ['metadata', 'spec', 'status', 'extra'],
    ]);
    targets.forEach((target, i) => {
      expect(sent[i]).toEqual({ ...target, status: manager.status(target.metadata?.uid ?? '') });
      expect(sent[i]?.metadata).toBe(target.metadata);
    });
  });
});
