import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { articleCluster } from './cluster.js';

describe('the article cluster', () => {
  it('lists the twelve kube-system pods of the article, all Running', () => {
    const cluster = articleCluster({ profile: '1.14', workers: 2, seed: 'article' });
    cluster.sim.clock.runFor(300_000);
    const listed = cluster.sim.api.client('kubectl').list('Pod', { namespace: 'kube-system' });
    if (E.isLeft(listed)) throw new Error(listed.left.message);
    const pods = listed.right.items;
    const names = pods.map((p) => p.metadata?.name ?? '');
    expect(names).toHaveLength(12);
    expect(names.filter((n) => n.endsWith('-cor-k8s-m01'))).toEqual([
      'etcd-cor-k8s-m01',
      'kube-apiserver-cor-k8s-m01',
      'kube-controller-manager-cor-k8s-m01',
      'kube-scheduler-cor-k8s-m01',
    ]);
    expect(names.filter((n) => /^coredns-[a-z0-9]+-[a-z0-9]{5}$/.test(n))).toHaveLength(2);
    expect(names.filter((n) => /^kube-flannel-ds-amd64-[a-z0-9]{5}$/.test(n))).toHaveLength(3);
    expect(names.filter((n) => /^kube-proxy-[a-z0-9]{5}$/.test(n))).toHaveLength(3);
    expect(pods.map((p) => p.status?.phase)).toEqual(Array(12).fill('Running'));
    cluster.stop();
  });
});

describe('NodeMachines', () => {
  it('tells onPowerChange listeners each power-off and power-on, once, until stopped', () => {
    const cluster = articleCluster({ profile: '1.14', workers: 2, seed: 'power' });
    const told: [string, boolean][] = [];
    const stop = cluster.machines.onPowerChange((node) => void told.push([node, cluster.machines.isPowered(node)]));
    const [worker] = [...cluster.kubelets.keys()].filter((n) => n !== 'cor-k8s-m01');
    cluster.machines.powerOff(worker!);
    cluster.machines.powerOff(worker!);
    cluster.machines.partition(worker!);
    cluster.machines.powerOn(worker!);
    cluster.machines.reset(worker!);
    stop();
    cluster.machines.powerOff(worker!);
    expect(told).toEqual([
      [worker, false],
      [worker, true],
      [worker, false],
      [worker, true],
    ]);
    cluster.stop();
  });
});
