// Integration specs on the article's cluster (cor-k8s-m01 and four workers): the windows
// come from shared/reference/kubernetes-node-failure.md §9. Outcomes emerge from the
// controllers and kubelets; the specs only inject the fault and read the API.
import { describe, expect, it } from '@jest/globals';
import { podColumns } from '../kubectl/printers.js';
import type { Cluster } from './cluster.js';
import { articleWorkloads, eventsAbout, must, nodeOf, podOf, readyOf, settledArticleCluster, standalonePod, timeUntil } from './test-fixtures.js';

const s = (ms: number | undefined): number => (ms ?? Number.NaN) / 1000;

/** A settled cluster running web-0, the front Deployment and a standalone pod on web-0's node. */
const withWorkloads = (profile: string) => {
  const cluster = settledArticleCluster(profile);
  const kubectl = cluster.sim.api.client('test');
  must(E2(cluster.kubectl.apply(articleWorkloads())));
  cluster.sim.clock.runFor(60_000);
  const web0 = podOf(kubectl, 'web-0');
  const node = web0?.spec?.nodeName ?? '';
  expect(node).toMatch(/^cor-k8s-w0[1-4]$/);
  expect(web0?.status?.phase).toBe('Running');
  must(E2(cluster.kubectl.apply([standalonePod(node)])));
  cluster.sim.clock.runFor(30_000);
  expect(podOf(kubectl, 'standalone')?.status?.phase).toBe('Running');
  const frontOnNode = must(kubectl.list('Pod', { labelSelector: 'app=front', fieldSelector: `spec.nodeName=${node}` })).items;
  expect(frontOnNode.length).toBeGreaterThanOrEqual(1);
  return { cluster, kubectl, node, web0Uid: web0?.metadata?.uid, frontOnNode: frontOnNode.map((p) => p.metadata?.name ?? '') };
};

/** kubectl results are Either<string, lines>; make them Either<{message}, lines> for must(). */
const E2 = <T>(r: import('fp-ts/lib/Either.js').Either<string, T>) =>
  r._tag === 'Left' ? ({ _tag: 'Left', left: { message: r.left } } as const) : r;

const leaseRenewedAt = (cluster: Cluster, node: string): number => {
  const lease = must(cluster.sim.api.client('test').get('Lease', node, 'kube-node-lease'));
  return Date.parse(lease.spec?.renewTime ?? '') - cluster.sim.clock.epochMs;
};

const heartbeatAt = (cluster: Cluster, node: string): number => {
  const ready = nodeOf(cluster.sim.api.client('test'), node)?.status?.conditions?.find((c) => c.type === 'Ready');
  return Date.parse(ready?.lastHeartbeatTime ?? '') - cluster.sim.clock.epochMs;
};

const hasTaint = (cluster: Cluster, node: string, key: string, effect: string): boolean =>
  (nodeOf(cluster.sim.api.client('test'), node)?.spec?.taints ?? []).some((t) => t.key === key && t.effect === effect);

describe('worker power-off on 1.14 (reference §9.1)', () => {
  const { cluster, kubectl, node, web0Uid, frontOnNode } = withWorkloads('1.14');
  const lastRenew = leaseRenewedAt(cluster, node);
  const off = cluster.sim.clock.now();
  cluster.machines.powerOff(node);
  const notReady = timeUntil(cluster, () => readyOf(nodeOf(kubectl, node)) === 'Unknown', 120_000);
  const noExecute = timeUntil(cluster, () => hasTaint(cluster, node, 'node.kubernetes.io/unreachable', 'NoExecute'), 60_000);
  const evicted = timeUntil(cluster, () => podOf(kubectl, 'web-0')?.metadata?.deletionTimestamp !== undefined, 600_000);
  cluster.sim.clock.runFor(10_000);
  const frontAfterEviction = must(kubectl.list('Pod', { labelSelector: 'app=front' })).items;
  // Read the events now: they expire after --event-ttl (1 h), as upstream's do.
  const nodeEvents = eventsAbout(kubectl, node);
  const web0Events = eventsAbout(kubectl, 'web-0');
  cluster.sim.clock.runFor(3_600_000);

  it('turns the node Ready → Unknown 40–50 s after the last observed heartbeat, with upstream reason and message', () => {
    expect(s(notReady! - lastRenew)).toBeGreaterThan(40);
    expect(s(notReady! - lastRenew)).toBeLessThanOrEqual(50);
    expect(s(notReady! - off)).toBeGreaterThan(30);
    expect(s(notReady! - off)).toBeLessThanOrEqual(50);
    const ready = nodeOf(kubectl, node)?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(nodeEvents.some((e) => e.reason === 'NodeNotReady' && e.message === `Node ${node} status is now: NodeNotReady`)).toBe(true);
  });

  it('adds the unreachable NoExecute taint on the next monitor pass', () => {
    expect(s(noExecute! - notReady!)).toBeGreaterThanOrEqual(0);
    expect(s(noExecute! - notReady!)).toBeLessThanOrEqual(5.1);
    expect(hasTaint(cluster, node, 'node.kubernetes.io/unreachable', 'NoSchedule')).toBe(true);
  });

  it('evicts the pods 300 s after the taint (tolerationSeconds), in (345, 355.1] after power-off', () => {
    expect(s(evicted! - noExecute!)).toBeGreaterThanOrEqual(300);
    expect(s(evicted! - noExecute!)).toBeLessThanOrEqual(300.2);
    expect(s(evicted! - off)).toBeGreaterThan(335);
    expect(s(evicted! - off)).toBeLessThanOrEqual(355.1);
    expect(web0Events.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/web-0')).toBe(true);
  });

  it('replaces the Deployment pod elsewhere at once', () => {
    const active = frontAfterEviction.filter((p) => !p.metadata?.deletionTimestamp);
    expect(active).toHaveLength(4);
    expect(active.every((p) => p.spec?.nodeName !== node)).toBe(true);
    expect(frontAfterEviction.filter((p) => frontOnNode.includes(p.metadata?.name ?? '')).every((p) => p.metadata?.deletionTimestamp)).toBe(true);
  });

  it('leaves the standalone pod and web-0 Terminating an hour later, with no second web-0', () => {
    const web0 = podOf(kubectl, 'web-0');
    expect(web0?.metadata?.uid).toBe(web0Uid);
    expect(web0?.metadata?.deletionTimestamp).toBeDefined();
    expect(web0?.status?.reason).toBeUndefined();
    expect(podColumns(web0!).status).toBe('Terminating');
    expect(podOf(kubectl, 'standalone')?.metadata?.deletionTimestamp).toBeDefined();
    expect(must(kubectl.list('Pod', { labelSelector: 'app=web' })).items).toHaveLength(1);
  });

  it('on power-on, the kubelet deletes what was deleted while it was away; web-0 comes back, the standalone pod does not', () => {
    cluster.machines.powerOn(node);
    const web0Back = timeUntil(cluster, () => {
      const pod = podOf(kubectl, 'web-0');
      return pod !== undefined && pod.metadata?.uid !== web0Uid && pod.status?.phase === 'Running';
    }, 300_000, 1_000);
    expect(web0Back).toBeDefined();
    expect(podOf(kubectl, 'standalone')).toBeUndefined();
    expect(readyOf(nodeOf(kubectl, node))).toBe('True');
    cluster.stop();
  });
});

describe('worker power-off on 1.12: the legacy eviction path (reference §2.5)', () => {
  const { cluster, kubectl, node } = withWorkloads('1.12');
  const lastHeartbeat = heartbeatAt(cluster, node);
  cluster.machines.powerOff(node);
  const evicted = timeUntil(cluster, () => podOf(kubectl, 'web-0')?.metadata?.deletionTimestamp !== undefined, 600_000);
  const nodeEvents = eventsAbout(kubectl, node);
  const web0Events = eventsAbout(kubectl, 'web-0');
  cluster.sim.clock.runFor(3_600_000);

  it('marks the pods NodeLost and deletes them gracefully 300–305 s after the last observed heartbeat', () => {
    expect(s(evicted! - lastHeartbeat)).toBeGreaterThan(300);
    expect(s(evicted! - lastHeartbeat)).toBeLessThanOrEqual(310);
    const web0 = podOf(kubectl, 'web-0');
    expect(web0?.status?.reason).toBe('NodeLost');
    expect(web0?.status?.message).toBe(`Node ${node} which was running pod web-0 is unresponsive`);
    expect(podColumns(web0!).status).toBe('Unknown');
    expect(nodeEvents.some((e) => e.reason === 'DeletingAllPods' && e.message === `Node ${node} event: Deleting all Pods from Node ${node}.`)).toBe(true);
    expect(web0Events.some((e) => e.reason === 'NodeControllerEviction' && e.message === `Marking for deletion Pod web-0 from Node ${node}`)).toBe(true);
    // An hour later the pod is still there, Terminating: nothing can confirm its deletion.
    expect(web0?.metadata?.deletionTimestamp).toBeDefined();
    expect(hasTaint(cluster, node, 'node.kubernetes.io/unreachable', 'NoExecute')).toBe(false);
    cluster.stop();
  });
});

describe.each([
  ['1.14', 0, 20],
  ['1.28', 40, 60],
])('kubectl delete node on a live worker, %s (reference §9.2, §9.4)', (profile, from, to) => {
  it(`force-deletes its pods in (${from}, ${to}] s by pod GC and re-creates web-0 on another node`, () => {
    const { cluster, kubectl, node, web0Uid } = withWorkloads(profile);
    const deletedAt = cluster.sim.clock.now();
    must(E2(cluster.kubectl.deleteNode(node)));
    const gone = timeUntil(cluster, () => podOf(kubectl, 'web-0')?.metadata?.uid !== web0Uid, 120_000);
    expect(s(gone! - deletedAt)).toBeGreaterThan(from);
    expect(s(gone! - deletedAt)).toBeLessThanOrEqual(to);
    expect(podOf(kubectl, 'standalone')).toBeUndefined();
    cluster.sim.clock.runFor(30_000);
    const web0 = podOf(kubectl, 'web-0');
    expect(web0?.spec?.nodeName).toBeDefined();
    expect(web0?.spec?.nodeName).not.toBe(node);
    expect(web0?.spec?.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName).toBe('data-web-0');
    cluster.stop();
  });
});

describe('1.28: out-of-service taint at +120 s after power-off (reference §9.3)', () => {
  it('force-deletes web-0 in (120, 140] s and re-creates it on another node', () => {
    const { cluster, kubectl, node, web0Uid } = withWorkloads('1.28');
    const off = cluster.sim.clock.now();
    cluster.machines.powerOff(node);
    cluster.sim.clock.runFor(120_000);
    must(E2(cluster.kubectl.taint(node, 'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute')));
    const gone = timeUntil(cluster, () => podOf(kubectl, 'web-0')?.metadata?.uid !== web0Uid, 120_000);
    expect(s(gone! - off)).toBeGreaterThan(120);
    expect(s(gone! - off)).toBeLessThanOrEqual(140);
    cluster.sim.clock.runFor(30_000);
    expect(podOf(kubectl, 'web-0')?.spec?.nodeName).not.toBe(node);
    expect(eventsAbout(kubectl, 'web').filter((e) => e.reason === 'SuccessfulCreate' && e.message === 'create Pod web-0 in StatefulSet web successful').length).toBeGreaterThanOrEqual(1);
    cluster.stop();
  });
});

describe('network partition on 1.14', () => {
  it('turns the node NotReady while its containers keep running, and Ready again once healed', () => {
    const { cluster, kubectl, node } = withWorkloads('1.14');
    const cut = cluster.sim.clock.now();
    cluster.machines.partition(node);
    const notReady = timeUntil(cluster, () => readyOf(nodeOf(kubectl, node)) === 'Unknown', 120_000);
    expect(s(notReady! - cut)).toBeGreaterThan(30);
    expect(s(notReady! - cut)).toBeLessThanOrEqual(50);
    const running = cluster.kubelets.get(node)!.containers().filter((c) => c.state === 'running').map((c) => c.podName);
    expect(running).toEqual(expect.arrayContaining(['web-0', 'standalone']));
    cluster.machines.heal(node);
    expect(timeUntil(cluster, () => readyOf(nodeOf(kubectl, node)) === 'True', 60_000)).toBeDefined();
    cluster.stop();
  });
});
