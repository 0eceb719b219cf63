import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { KubeObject } from '@failsim/core';
import { articleWorkloads, must, settledArticleCluster } from '../cluster/test-fixtures.js';

const pdb = (spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'front' }, spec: { selector: { matchLabels: { app: 'front' } }, ...spec } }) as KubeObject;

describe('DisruptionController', () => {
  it('computes healthy and allowed disruptions, counts an eviction, and recovers once the replacement is ready', () => {
    const cluster = settledArticleCluster('1.14', 'disruption');
    const client = cluster.sim.api.client('test');
    const apply = (objects: KubeObject[]) => must(E.mapLeft((message: string) => ({ message }))(cluster.kubectl.apply(objects)));
    apply(articleWorkloads());
    apply([pdb({ maxUnavailable: 1 })]);
    cluster.sim.clock.runFor(60_000);
    const status = () => must(client.get('PodDisruptionBudget', 'front')).status;
    expect(status()).toMatchObject({ expectedPods: 4, currentHealthy: 4, desiredHealthy: 3, disruptionsAllowed: 1 });

    const [victim] = must(client.list('Pod', { labelSelector: 'app=front' })).items;
    must(client.evict(victim!.metadata!.name!, 'default'));
    cluster.sim.clock.runFor(1);
    expect(status()?.disruptionsAllowed).toBe(0);
    expect(E.isLeft(client.evict(must(client.list('Pod', { labelSelector: 'app=front' })).items.find((p) => !p.metadata?.deletionTimestamp)!.metadata!.name!, 'default'))).toBe(true);

    cluster.sim.clock.runFor(60_000);
    expect(status()).toMatchObject({ currentHealthy: 4, disruptionsAllowed: 1, disruptedPods: {} });
  });

  it('takes minAvailable as a percentage of the expected pods, rounded up', () => {
    const cluster = settledArticleCluster('1.14', 'disruption-percent');
    const apply = (objects: KubeObject[]) => must(E.mapLeft((message: string) => ({ message }))(cluster.kubectl.apply(objects)));
    apply(articleWorkloads());
    apply([pdb({ minAvailable: '60%' })]);
    cluster.sim.clock.runFor(60_000);
    expect(must(cluster.sim.api.client('test').get('PodDisruptionBudget', 'front')).status).toMatchObject({ desiredHealthy: 3, disruptionsAllowed: 1 });
  });
});
