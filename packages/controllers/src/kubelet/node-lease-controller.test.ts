import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, nodeLocation, type WriteTraceEntry } from '@failsim/core';
import { NODE_LEASE_NAMESPACE, NodeLeaseController } from './node-lease-controller.js';

const setup = (leaseDurationSeconds = 40) => {
  const sim = createSimulation();
  const controller = new NodeLeaseController({
    clock: sim.clock,
    client: sim.api.client('kubelet', nodeLocation('w1')),
    nodeName: 'w1',
    leaseDurationSeconds,
    owner: 'kubelet/w1',
  });
  const leaseWrites = () => sim.trace.entries.filter((e): e is WriteTraceEntry => e.type === 'write' && e.kind === 'Lease').map((e) => [e.verb, e.t]);
  return { sim, controller, leaseWrites };
};

describe('NodeLeaseController', () => {
  it('creates the Lease at start and renews it every quarter of its duration (10 s)', () => {
    const { sim, controller, leaseWrites } = setup();
    expect(controller.renewIntervalMs).toBe(10_000);
    controller.start();
    sim.clock.runFor(30_000);
    expect(leaseWrites()).toEqual([
      ['create', 0],
      ['update', 10_000],
      ['update', 20_000],
      ['update', 30_000],
    ]);
    const lease = sim.api.client('kubectl').get('Lease', 'w1', NODE_LEASE_NAMESPACE);
    expect(E.isRight(lease) && lease.right.spec).toEqual({ holderIdentity: 'w1', leaseDurationSeconds: 40, renewTime: '2019-06-01T00:00:30.000000Z' });
  });

  it('stamps every Lease renewed at the same virtual millisecond with that instant, and the next ones with theirs', () => {
    const sim = createSimulation();
    const controllers = ['w1', 'w2'].map(
      (nodeName) => new NodeLeaseController({ clock: sim.clock, client: sim.api.client('kubelet', nodeLocation(nodeName)), nodeName, leaseDurationSeconds: 40, owner: `kubelet/${nodeName}` }),
    );
    controllers.forEach((c) => c.start());
    const renewTimes = () =>
      ['w1', 'w2'].map((name) => {
        const lease = sim.api.client('kubectl').get('Lease', name, NODE_LEASE_NAMESPACE);
        return E.isRight(lease) ? lease.right.spec?.renewTime : undefined;
      });
    sim.clock.runFor(10_000);
    expect(renewTimes()).toEqual(['2019-06-01T00:00:10.000000Z', '2019-06-01T00:00:10.000000Z']);
    controllers[1]?.stop();
    sim.clock.runFor(2_345);
    controllers[1]?.start();
    sim.clock.runFor(10_000);
    expect(renewTimes()).toEqual(['2019-06-01T00:00:20.000000Z', '2019-06-01T00:00:22.345000Z']);
  });

  it('renews with the members and order of a spread of the stored Lease, also when someone else rewrote it', () => {
    const { sim, controller } = setup();
    const kubectl = sim.api.client('kubectl');
    sim.api.client('admin').create('Node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1' } });
    const stored = () => {
      const got = kubectl.get('Lease', 'w1', NODE_LEASE_NAMESPACE);
      if (E.isLeft(got)) throw new Error('no Lease');
      return got.right;
    };
    /** What the renewal's spreads make of `lease`, renewed at `renewTime`. */
    const spread = (lease: ReturnType<typeof stored>, renewTime: string) => ({ ...lease, spec: { ...lease.spec, renewTime } });
    const shape = (o: object): unknown => JSON.stringify(o);
    controller.start();
    sim.clock.runFor(10_000);
    // From here on each renewal is of the object the previous one stored (the literal path).
    for (let i = 0; i < 3; i++) {
      const before = stored();
      sim.clock.runFor(10_000);
      const after = stored();
      const { resourceVersion: _a, ...metaAfter } = after.metadata ?? {};
      const { resourceVersion: _b, ...metaBefore } = before.metadata ?? {};
      expect(metaAfter).toEqual(metaBefore);
      expect(shape({ ...after, metadata: undefined })).toBe(shape({ ...spread(before, after.spec?.renewTime ?? ''), metadata: undefined }));
    }
    // Someone else writes the Lease with members in another order and one more: the renewal keeps them.
    const current = stored();
    const foreign = { metadata: current.metadata ?? {}, kind: 'Lease' as const, apiVersion: 'coordination.k8s.io/v1' as const, spec: { leaseDurationSeconds: 40, holderIdentity: 'w1', leaseTransitions: 2, renewTime: current.spec?.renewTime ?? '' } };
    expect(E.isRight(kubectl.update('Lease', foreign))).toBe(true);
    const rewritten = stored();
    sim.clock.runFor(10_000);
    const renewed = stored();
    expect(shape({ ...renewed, metadata: undefined })).toBe(shape({ ...spread(rewritten, renewed.spec?.renewTime ?? ''), metadata: undefined }));
    expect(Object.keys(renewed.spec ?? {})).toEqual(['leaseDurationSeconds', 'holderIdentity', 'leaseTransitions', 'renewTime']);
    sim.clock.runFor(10_000);
    expect(Object.keys(stored().spec ?? {})).toEqual(['leaseDurationSeconds', 'holderIdentity', 'leaseTransitions', 'renewTime']);
  });

  it('sets the ownerReference on the first renewal that can read the Node', () => {
    const { sim, controller } = setup();
    controller.start();
    sim.clock.runFor(5_000);
    const kubectl = sim.api.client('kubectl');
    const before = kubectl.get('Lease', 'w1', NODE_LEASE_NAMESPACE);
    expect(E.isRight(before) && before.right.metadata?.ownerReferences).toBeUndefined();
    const node = kubectl.create('Node', { metadata: { name: 'w1' } });
    sim.clock.runFor(5_000);
    const after = kubectl.get('Lease', 'w1', NODE_LEASE_NAMESPACE);
    expect(E.isRight(after) && after.right.metadata?.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Node', name: 'w1', uid: E.isRight(node) ? node.right.metadata?.uid : '' },
    ]);
  });

  it('while cut off retries ensuring the Lease after 200 ms doubling to 7 s, and renews from the retry that succeeds', () => {
    const { sim, controller, leaseWrites } = setup();
    controller.start();
    sim.clock.runFor(5_000);
    sim.reachability.set(nodeLocation('w1'), false);
    const tries: number[] = [];
    const retries = () =>
      sim.clock
        .pending()
        .filter((t) => t.owner === 'kubelet/w1')
        .map((t) => [t.dueAt, t.purpose] as const);
    sim.clock.runUntil(10_000);
    expect(retries()).toEqual([[10_200, 'retry ensuring Lease of node w1']]);
    for (const due of [10_200, 10_600, 11_400, 13_000, 16_200, 22_600, 29_600, 36_600]) {
      sim.clock.runUntil(due);
      tries.push(retries()[0]?.[0] ?? -1);
    }
    expect(tries).toEqual([10_600, 11_400, 13_000, 16_200, 22_600, 29_600, 36_600, 43_600]);
    sim.reachability.set(nodeLocation('w1'), true);
    sim.clock.runUntil(60_000);
    expect(leaseWrites().filter(([, t]) => (t as number) > 5_000)).toEqual([
      ['update', 43_600],
      ['update', 53_600],
    ]);
  });

  it('stops renewing when stopped', () => {
    const { sim, controller, leaseWrites } = setup(60);
    expect(controller.renewIntervalMs).toBe(15_000);
    controller.start();
    sim.clock.runFor(20_000);
    controller.stop();
    sim.clock.runFor(60_000);
    expect(leaseWrites()).toEqual([
      ['create', 0],
      ['update', 15_000],
    ]);
  });
});
