// Each hazard reproduced in the article's environment (Kubernetes 1.12, VCP, Cassandra on a
// raid-1 vSAN volume) by the operator actions that cause it in real life.
import { describe, expect, it } from '@jest/globals';
import { checkInvariants } from '@failsim/core';
import { checkVsphereInvariants } from '@failsim/vsphere';
import * as E from 'fp-ts/lib/Either.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { articleEnvironment } from '../environment/article-environment.js';
import { articleCassandra } from '../environment/article-workloads.js';
import { detectHazards, type Hazard } from './detect-hazards.js';

/** The article's cluster with cassandra-0 running, and a detector attached from the start. */
const running = (seed: string) => {
  const env = articleEnvironment({ seed });
  const seen: Hazard[] = [];
  const detector = detectHazards(env, { onHazard: (h) => seen.push(h) });
  // The invariant checkers ride along: a hazard is the modelled world in danger, never the model broken.
  const invariants = [checkInvariants(env.cluster.sim), checkVsphereInvariants(env.vcenter)];
  const checkInvariantsHeld = (): void => invariants.forEach((c) => c.stop());
  const { cluster } = env;
  const client = cluster.sim.api.client('test');
  const clock = cluster.sim.clock;
  const pod = (): Pod | undefined => {
    const got = client.get('Pod', 'cassandra-0', 'cassandra');
    return E.isRight(got) ? got.right : undefined;
  };
  const runUntil = (predicate: () => boolean, limitMs: number): number | undefined => {
    const end = clock.now() + limitMs;
    while (clock.now() < end) {
      if (predicate()) return clock.now();
      clock.runFor(500);
    }
    return predicate() ? clock.now() : undefined;
  };
  const failsimEvents = (): Event[] => {
    const listed = client.list('Event');
    return E.isRight(listed) ? listed.right.items.filter((e) => e.source?.component === 'failsim') : [];
  };
  clock.runFor(120_000);
  const applied = cluster.kubectl.apply(articleCassandra());
  if (E.isLeft(applied)) throw new Error(applied.left);
  runUntil(() => pod()?.status?.phase === 'Running', 300_000);
  const first = pod()!;
  return { env, detector, checkInvariantsHeld, seen, client, clock, pod, runUntil, failsimEvents, first, oldNode: first.spec!.nodeName!, oldVm: env.vmForNode.get(first.spec!.nodeName!)! };
};

describe('detectHazards', () => {
  it('reports nothing while cassandra-0 runs undisturbed', () => {
    const { detector, checkInvariantsHeld, seen, clock, failsimEvents } = running('hazards-quiet');
    clock.runFor(600_000);
    expect(seen).toEqual([]);
    expect(detector.hazards).toEqual([]);
    expect(failsimEvents()).toEqual([]);
    checkInvariantsHeld();
  });

  it('force delete during a partition: the disk is detached while mounted, then two cassandra-0 run (split brain)', () => {
    const { env, checkInvariantsHeld, seen, clock, pod, runUntil, failsimEvents, first, oldNode, oldVm } = running('hazards-split');
    env.cluster.machines.partition(oldNode);
    clock.runFor(60_000);
    const forcedAt = clock.now();
    const forced = env.cluster.sim.api.client('kubectl').delete('Pod', 'cassandra-0', { namespace: 'cassandra', gracePeriodSeconds: 0 });
    expect(E.isRight(forced)).toBe(true);
    const replaced = runUntil(() => pod() !== undefined && pod()!.metadata!.uid !== first.metadata!.uid && pod()!.status?.phase === 'Running', 1_800_000);
    expect(replaced).toBeDefined();
    const second = pod()!;
    // The old kubelet, cut off, still runs the force-deleted Pod's container.
    expect(env.cluster.kubelets.get(oldNode)!.containers().filter((c) => c.podName === 'cassandra-0' && c.state === 'running').map((c) => c.podUid)).toEqual([first.metadata!.uid]);
    expect(seen.map((h) => h.kind)).toEqual(['DetachedWhileMounted', 'SplitBrain']);
    const [detached, split] = seen as [Hazard, Hazard];
    expect(detached.object).toBe('Pod/cassandra/cassandra-0');
    expect(detached.message).toMatch(
      new RegExp(`^disk \\[vsanDatastore\\] kubevols/kubernetes-dynamic-pvc-[0-9a-f-]+\\.vmdk of PersistentVolume pvc-[0-9a-f-]+ was removed from VM ${oldVm} while Pod cassandra/cassandra-0 on node ${oldNode} still has it mounted$`),
    );
    // The attach/detach controller's 6 min maxWaitForUnmountDuration, after the deletion.
    expect(detached.at - forcedAt).toBeGreaterThanOrEqual(360_000);
    expect(split.object).toBe('Pod/cassandra/cassandra-0');
    expect(split.message).toBe(
      `2 copies of StatefulSet cassandra/cassandra identity cassandra-0 are running at once: ` +
        `pod uid ${first.metadata!.uid!} (Pod object deleted) on node ${oldNode} (partitioned) and pod uid ${second.metadata!.uid!} on node ${second.spec!.nodeName!}` +
        '; both may write the same data',
    );
    expect(split.at).toBeGreaterThan(detached.at);
    expect(split.at).toBeLessThanOrEqual(replaced!);
    // Recorded as Warning Events from failsim on the Pods.
    expect(failsimEvents().map((e) => [e.type, e.reason, e.involvedObject.kind, e.involvedObject.name, e.message])).toEqual(
      expect.arrayContaining([
        ['Warning', 'DetachedWhileMounted', 'Pod', 'cassandra-0', detached.message],
        ['Warning', 'SplitBrain', 'Pod', 'cassandra-0', split.message],
      ]),
    );
    checkInvariantsHeld();
  });

  it('a VMDK removed without -keep: the data-loss hazard, from the environment\'s own VolumeDataDeleted Event (not duplicated)', () => {
    const { env, checkInvariantsHeld, seen, clock, failsimEvents, oldVm } = running('hazards-data');
    expect(E.isRight(env.govc.run(`vm.power -off ${oldVm}`))).toBe(true);
    clock.runFor(10_000);
    const disk = env.vcenter.vm(oldVm)!.disks.find((d) => d.fileName.includes('kubevols/'))!;
    const at = clock.now();
    const removed = env.govc.run(`device.remove -vm ${oldVm} disk-${disk.controllerKey}-${disk.unitNumber}`);
    expect(E.isRight(removed)).toBe(true);
    clock.runFor(10_000);
    const lost = seen.filter((h) => h.kind === 'VolumeDataDeleted');
    expect(lost).toHaveLength(1);
    expect(lost[0]!.at).toBe(Math.floor(at / 1000) * 1000);
    expect(lost[0]!.object).toMatch(/^PersistentVolume\/pvc-[0-9a-f-]+$/);
    expect(lost[0]!.message).toBe(`VMDK ${disk.fileName} backing PersistentVolume ${lost[0]!.object.slice('PersistentVolume/'.length)} was deleted from the datastore: the volume's data is gone`);
    expect(failsimEvents().filter((e) => e.reason === 'VolumeDataDeleted')).toHaveLength(1);
    checkInvariantsHeld();
  });

  it('kubectl delete node of a live node: the Pod runs on a node the API server believes gone', () => {
    const { env, checkInvariantsHeld, seen, clock, oldNode, failsimEvents } = running('hazards-node');
    const deletedAt = clock.now();
    const deleted = env.cluster.sim.api.client('kubectl').delete('Node', oldNode);
    expect(E.isRight(deleted)).toBe(true);
    clock.runFor(1_000);
    // Every Pod the node's kubelet runs is at risk: cassandra-0 and the node's kube-system Pods.
    expect(seen.map((h) => h.kind)).toEqual(Array(seen.length).fill('PodOnDeletedNode'));
    expect(seen.every((h) => h.message.endsWith(`is running on node ${oldNode}, which the API server no longer has: the machine is powered on and its kubelet still runs the Pod`))).toBe(true);
    expect(seen.find((h) => h.object === 'Pod/cassandra/cassandra-0')).toEqual({
      at: deletedAt,
      kind: 'PodOnDeletedNode',
      object: 'Pod/cassandra/cassandra-0',
      message: `Pod cassandra/cassandra-0 is running on node ${oldNode}, which the API server no longer has: the machine is powered on and its kubelet still runs the Pod`,
    });
    expect(failsimEvents().filter((e) => e.involvedObject.name === 'cassandra-0').map((e) => [e.type, e.reason, e.source?.component])).toEqual([['Warning', 'PodOnDeletedNode', 'failsim']]);
    expect(failsimEvents()).toHaveLength(seen.length);
    checkInvariantsHeld();
  });
});
