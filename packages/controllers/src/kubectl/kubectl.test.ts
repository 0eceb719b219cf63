import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { articleWorkloads, must, nodeOf, podOf, settledArticleCluster } from '../cluster/test-fixtures.js';

const lines = (r: E.Either<string, readonly string[]>): readonly string[] => {
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
};

const settled = () => settledArticleCluster('1.14', 'kubectl');

describe('kubectl verbs', () => {
  it('apply says created, then unchanged, then configured', () => {
    const cluster = settled();
    const sc = articleWorkloads().slice(0, 1);
    expect(lines(cluster.kubectl.apply(sc))).toEqual(['storageclass.storage.k8s.io/thin created']);
    expect(lines(cluster.kubectl.apply(sc))).toEqual(['storageclass.storage.k8s.io/thin unchanged']);
    expect(lines(cluster.kubectl.apply([{ ...sc[0]!, metadata: { name: 'thin', labels: { tier: 'gold' } } }]))).toEqual(['storageclass.storage.k8s.io/thin configured']);
    expect(cluster.kubectl.apply([{ kind: 'Frobnicator', metadata: { name: 'x' } }])).toEqual(E.left('error: unable to recognize "Frobnicator": no matches for kind "Frobnicator"'));
  });

  it('cordon and uncordon set spec.unschedulable and print what kubectl prints', () => {
    const cluster = settled();
    expect(lines(cluster.kubectl.cordon('cor-k8s-w01'))).toEqual(['node/cor-k8s-w01 cordoned']);
    expect(lines(cluster.kubectl.cordon('cor-k8s-w01'))).toEqual(['node/cor-k8s-w01 already cordoned']);
    cluster.sim.clock.runFor(1_000);
    const node = nodeOf(cluster.sim.api.client('test'), 'cor-k8s-w01');
    expect(node?.spec?.unschedulable).toBe(true);
    expect(node?.spec?.taints?.map((t) => t.key)).toContain('node.kubernetes.io/unschedulable');
    expect(lines(cluster.kubectl.uncordon('cor-k8s-w01'))).toEqual(['node/cor-k8s-w01 uncordoned']);
    expect(cluster.kubectl.cordon('nope')).toEqual(E.left('Error from server (NotFound): nodes "nope" not found'));
  });

  it('taint adds (new first) and removes taints', () => {
    const cluster = settled();
    const client = cluster.sim.api.client('test');
    expect(lines(cluster.kubectl.taint('cor-k8s-w02', 'dedicated=db:NoSchedule'))).toEqual(['node/cor-k8s-w02 tainted']);
    expect(lines(cluster.kubectl.taint('cor-k8s-w02', 'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute'))).toEqual(['node/cor-k8s-w02 tainted']);
    expect(nodeOf(client, 'cor-k8s-w02')?.spec?.taints?.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`)).toEqual([
      'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute',
      'dedicated=db:NoSchedule',
    ]);
    expect(cluster.kubectl.taint('cor-k8s-w02', 'dedicated=db:NoSchedule')).toEqual(
      E.left('error: node cor-k8s-w02 already has dedicated taint(s) with same effect(s) and --overwrite is false'),
    );
    expect(lines(cluster.kubectl.taint('cor-k8s-w02', 'dedicated:NoSchedule-'))).toEqual(['node/cor-k8s-w02 untainted']);
    expect(cluster.kubectl.taint('cor-k8s-w02', 'dedicated:NoSchedule-')).toEqual(E.left('error: taint "dedicated:NoSchedule" not found'));
    expect(cluster.kubectl.taint('cor-k8s-w02', 'x=y:Sometimes')).toEqual(E.left('error: invalid taint effect: Sometimes, unsupported taint effect'));
  });

  it('delete pod --force --grace-period=0 removes a pod at once with the warning', () => {
    const cluster = settled();
    must(E.mapLeft((m: string) => ({ message: m }))(cluster.kubectl.apply(articleWorkloads())));
    cluster.sim.clock.runFor(60_000);
    expect(cluster.kubectl.deletePod('web-0', { gracePeriod: 0 })).toEqual(E.left('error: --grace-period=0 must have either --force specified, or --wait to be set to true'));
    const uid = podOf(cluster.sim.api.client('test'), 'web-0')?.metadata?.uid;
    expect(lines(cluster.kubectl.deletePod('web-0', { force: true, gracePeriod: 0 }))).toEqual([
      'warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.',
      'pod "web-0" force deleted',
    ]);
    expect(podOf(cluster.sim.api.client('test'), 'web-0')?.metadata?.uid).not.toBe(uid);
  });

  it('scale sets replicas', () => {
    const cluster = settled();
    must(E.mapLeft((m: string) => ({ message: m }))(cluster.kubectl.apply(articleWorkloads())));
    cluster.sim.clock.runFor(60_000);
    expect(lines(cluster.kubectl.scale('statefulset', 'web', 2))).toEqual(['statefulset.apps/web scaled']);
    cluster.sim.clock.runFor(60_000);
    expect(podOf(cluster.sim.api.client('test'), 'web-1')?.status?.phase).toBe('Running');
  });
});

describe('kubectl delete node, several at once', () => {
  it('deletes each named Node, reports the missing one and still deletes the others', () => {
    const cluster = settled();
    const r = cluster.kubectl.deleteNodes({ names: ['cor-k8s-w01', 'no-such-node', 'cor-k8s-w02'] });
    expect(r).toEqual(E.left(['node "cor-k8s-w01" deleted', 'Error from server (NotFound): nodes "no-such-node" not found', 'node "cor-k8s-w02" deleted'].join('\n')));
    expect(must(cluster.sim.api.client('test').list('Node')).items.map((n) => n.metadata?.name)).toEqual(['cor-k8s-m01', 'cor-k8s-w03', 'cor-k8s-w04']);
  });

  it('deletes the Nodes a label selector matches, in the order the API lists them', () => {
    const cluster = settled();
    expect(lines(cluster.kubectl.deleteNodes({ selector: 'kubernetes.io/hostname in (cor-k8s-w04, cor-k8s-w02)' }))).toEqual(['node "cor-k8s-w02" deleted', 'node "cor-k8s-w04" deleted']);
    expect(lines(cluster.kubectl.deleteNodes({ selector: 'kubernetes.io/hostname=cor-k8s-w04' }))).toEqual(['No resources found']);
    expect(cluster.kubectl.deleteNodes({ selector: 'a in b' })).toEqual(E.left("Error from server (BadRequest): unable to parse requirement: found 'b' expected: '('"));
  });
});

describe('kubectl drain', () => {
  const drained = (cluster: ReturnType<typeof settled>, node: string, options = {}) => {
    const out: string[] = [];
    let error: string | undefined;
    let done = false;
    cluster.kubectl.drain(node, options).subscribe({ next: (l) => out.push(`${cluster.sim.clock.now()} ${l}`), error: (e: Error) => (error = e.message), complete: () => (done = true) });
    return { out, error: () => error, done: () => done };
  };

  it('refuses DaemonSet pods without --ignore-daemonsets', () => {
    const cluster = settled();
    const run = drained(cluster, 'cor-k8s-w01');
    cluster.sim.clock.runFor(10_000);
    expect(run.error()).toMatch(/^error: unable to drain node "cor-k8s-w01" due to error: cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): kube-system\/kube-/);
  });

  it('cordons, evicts, waits until the pods are gone, and the workloads move', () => {
    const cluster = settled();
    must(E.mapLeft((m: string) => ({ message: m }))(cluster.kubectl.apply(articleWorkloads())));
    cluster.sim.clock.runFor(60_000);
    const node = podOf(cluster.sim.api.client('test'), 'web-0')!.spec!.nodeName!;
    const start = cluster.sim.clock.now();
    const run = drained(cluster, node, { ignoreDaemonsets: true });
    cluster.sim.clock.runFor(120_000);
    expect(run.error()).toBeUndefined();
    expect(run.done()).toBe(true);
    expect(run.out[0]).toBe(`${start} node/${node} cordoned`);
    expect(run.out[1]).toMatch(/^\d+ Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-/);
    expect(run.out).toContain(`${start} evicting pod default/web-0`);
    expect(run.out.some((l) => l.endsWith('pod/web-0 evicted'))).toBe(true);
    expect(run.out.at(-1)).toMatch(new RegExp(`^\\d+ node/${node} drained$`));
    const left = must(cluster.sim.api.client('test').list('Pod', { fieldSelector: `spec.nodeName=${node}` })).items;
    expect(left.every((p) => p.metadata?.namespace === 'kube-system')).toBe(true);
    cluster.sim.clock.runFor(60_000);
    expect(podOf(cluster.sim.api.client('test'), 'web-0')?.spec?.nodeName).not.toBe(node);
  });

  it('retries every 5 s while a PodDisruptionBudget allows no eviction', () => {
    const cluster = settled();
    must(E.mapLeft((m: string) => ({ message: m }))(cluster.kubectl.apply(articleWorkloads())));
    must(
      E.mapLeft((m: string) => ({ message: m }))(
        cluster.kubectl.apply([{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } } as never]),
      ),
    );
    cluster.sim.clock.runFor(60_000);
    const node = podOf(cluster.sim.api.client('test'), 'web-0')!.spec!.nodeName!;
    const run = drained(cluster, node, { ignoreDaemonsets: true, timeout: 30_000 });
    cluster.sim.clock.runFor(60_000);
    const refusals = run.out.filter((l) => l.includes('error when evicting pods/"web-0" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.'));
    expect(refusals.length).toBeGreaterThanOrEqual(5);
    const times = refusals.map((l) => Number(l.split(' ')[0]));
    expect(times[1]! - times[0]!).toBe(5_000);
    expect(run.error()).toBe(`error: unable to drain node "${node}" due to error: global timeout reached: 30s, continuing command...`);
    expect(podOf(cluster.sim.api.client('test'), 'web-0')?.metadata?.deletionTimestamp).toBeUndefined();
  });
});

describe('kubectl exec … cqlsh', () => {
  it('writes and reads rows through a running pod, into its volume data', async () => {
    const { articleCluster } = await import('../cluster/cluster.js');
    const { FakeProvisioner } = await import('../volume/volume-provisioner.js');
    const files = new Map<string, Map<string, string>>();
    const cluster = articleCluster({
      profile: '1.14',
      seed: 'exec',
      provisioners: [new FakeProvisioner({ name: 'kubernetes.io/vsphere-volume' })],
      volumeData: (pv) => {
        const name = pv.metadata?.name ?? '';
        if (!files.has(name)) files.set(name, new Map());
        const file = files.get(name)!;
        return { read: (k) => file.get(k), write: (k, v) => void file.set(k, v) };
      },
    });
    cluster.sim.clock.runFor(120_000);
    must(E.mapLeft((message: string) => ({ message }))(cluster.kubectl.apply(articleWorkloads())));
    cluster.sim.clock.runFor(500);
    expect(cluster.kubectl.exec('web-0', ['cqlsh', '-e', 'SELECT * FROM k.t'])).toEqual(E.left('error: unable to upgrade connection: container not found ("nginx")'));
    cluster.sim.clock.runFor(60_000);
    const cql = "CREATE KEYSPACE k WITH REPLICATION = { 'class' : 'SimpleStrategy', 'replication_factor' : 1 }; CREATE TABLE k.t (id int PRIMARY KEY, v text); INSERT INTO k.t (id, v) VALUES (1, 'x')";
    expect(lines(cluster.kubectl.exec('web-0', ['cqlsh', '-e', cql]))).toEqual([]);
    expect(lines(cluster.kubectl.exec('web-0', ['cqlsh', '-e', 'SELECT * FROM k.t'])).slice(1)).toEqual([' id | v', '----+---', '  1 | x', '', '(1 rows)']);
    expect(E.isLeft(cluster.kubectl.exec('web-0', ['nodetool', 'status']))).toBe(true);
    expect(E.isLeft(cluster.kubectl.exec('front-nope', ['cqlsh', '-e', 'x']))).toBe(true);
    cluster.stop();
  });
});
