// Fixtures of the integration specs: the article's workloads and small readers of state.
import * as E from 'fp-ts/lib/Either.js';
import type { ApiClient, KubeObject } from '@failsim/core';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { FakeProvisioner } from '../volume/volume-provisioner.js';
import { articleCluster, type Cluster } from './cluster.js';

/** The cluster of the article (cor-k8s-m01 + four workers) with a fake provisioner, settled. */
export const settledArticleCluster = (profile: string, seed = 'integration'): Cluster => {
  const cluster = articleCluster({ profile, seed, provisioners: [new FakeProvisioner({ name: 'kubernetes.io/vsphere-volume' })] });
  cluster.sim.clock.runFor(120_000);
  return cluster;
};

/** A StatefulSet `web` (1 replica, one RWO PVC from the `thin` class) and a 4-replica Deployment `front`. */
export const articleWorkloads = (): KubeObject[] => [
  { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'thin' }, provisioner: 'kubernetes.io/vsphere-volume' } as KubeObject,
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'web',
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.17' }] } },
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'thin', resources: { requests: { storage: '1Gi' } } } },
      ],
    },
  } as KubeObject,
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'front' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'front' } },
      template: { metadata: { labels: { app: 'front' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.17', resources: { requests: { cpu: '100m' } } }] } },
    },
  } as KubeObject,
];

/** A standalone pod bound to `node` (as `kubectl run --overrides` with nodeName would). */
export const standalonePod = (node: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'standalone' }, spec: { nodeName: node, containers: [{ name: 'busybox', image: 'busybox:1.31', command: ['sleep', '3600'] }] } }) as KubeObject;

/** Unwraps or throws. */
export const must = <T>(result: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

/** The pod, or undefined when it does not exist. */
export const podOf = (client: ApiClient, name: string, namespace = 'default'): Pod | undefined => {
  const got = client.get('Pod', name, namespace);
  return E.isRight(got) ? got.right : undefined;
};

/** The node, or undefined. */
export const nodeOf = (client: ApiClient, name: string): Node | undefined => {
  const got = client.get('Node', name);
  return E.isRight(got) ? got.right : undefined;
};

/** Ready condition status of a node. */
export const readyOf = (node: Node | undefined): string | undefined => node?.status?.conditions?.find((c) => c.type === 'Ready')?.status;

/** Events about an object (by involvedObject.name), oldest first. */
export const eventsAbout = (client: ApiClient, name: string): Event[] =>
  must(client.list('Event', { fieldSelector: `involvedObject.name=${name}` })).items.slice().sort((a, b) => (a.firstTimestamp ?? '').localeCompare(b.firstTimestamp ?? ''));

/**
 * Runs the clock in `stepMs` steps until `predicate` holds or `limitMs` passes; returns
 * the virtual time it first held (ms), or undefined.
 */
export const timeUntil = (cluster: Cluster, predicate: () => boolean, limitMs: number, stepMs = 100): number | undefined => {
  const end = cluster.sim.clock.now() + limitMs;
  while (cluster.sim.clock.now() < end) {
    if (predicate()) return cluster.sim.clock.now();
    cluster.sim.clock.runFor(stepMs);
  }
  return predicate() ? cluster.sim.clock.now() : undefined;
};
