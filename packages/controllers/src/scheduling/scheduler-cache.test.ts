import { describe, expect, it } from '@jest/globals';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { countsOnNode, SchedulerCache } from './scheduler-cache.js';

const node = (name: string): Node => ({ metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const pod = (name: string, nodeName: string | undefined, extra: Partial<Pod> = {}): Pod => ({
  metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }] },
  spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] },
  ...extra,
});

describe('SchedulerCache', () => {
  it('counts the requests of assigned pods on their node, once per pod', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('w1'));
    cache.setPod(pod('a', 'w1'));
    cache.setPod(pod('a', 'w1'));
    cache.setPod(pod('b', 'w1'));
    const info = cache.nodeInfo('w1')!;
    expect(info.requested.milliCPU).toBe(1000);
    expect(info.requested.memory).toBe(2 * 2 ** 30);
    expect(info.podCount).toBe(2);
    expect(info.controllerPods.get('rs-uid')).toBe(2);
    expect(info.allocatable.milliCPU).toBe(4000);
  });

  it('keeps terminating pods counted but not spread, drops terminal and deleted ones', () => {
    const cache = new SchedulerCache();
    cache.setNode(node('w1'));
    cache.setPod(pod('a', 'w1'));
    const running = pod('a', 'w1');
    cache.setPod({ ...running, metadata: { ...running.metadata, deletionTimestamp: '2019-06-01T00:00:30Z' } });
    expect(cache.nodeInfo('w1')!.podCount).toBe(1);
    expect(cache.nodeInfo('w1')!.controllerPods.size).toBe(0);
    cache.setPod({ ...pod('a', 'w1'), status: { phase: 'Failed' } });
    expect(cache.nodeInfo('w1')!.podCount).toBe(0);
    cache.setPod(pod('b', 'w1'));
    expect(cache.removePod('default/b')).toBe(true);
    expect(cache.nodeInfo('w1')!.requested.milliCPU).toBe(0);
  });

  it('lists known nodes sorted and keeps pods of a node that is not (yet) known', () => {
    const cache = new SchedulerCache();
    cache.setPod(pod('a', 'w2'));
    cache.setNode(node('w3'));
    cache.setNode(node('w1'));
    expect(cache.nodeNames()).toEqual(['w1', 'w3']);
    expect(cache.nodeInfo('w2')).toBeUndefined();
    cache.setNode(node('w2'));
    expect(cache.nodeInfo('w2')!.podCount).toBe(1);
    cache.removeNode('w3');
    expect(cache.nodeNames()).toEqual(['w1', 'w2']);
    expect(cache.nodeCount).toBe(2);
    expect(cache.nodeOf('default/a')).toBe('w2');
  });

  it('says which pods hold resources', () => {
    expect(countsOnNode(pod('a', 'w1'))).toBe(true);
    expect(countsOnNode(pod('a', undefined))).toBe(false);
    expect(countsOnNode({ ...pod('a', 'w1'), status: { phase: 'Succeeded' } })).toBe(false);
  });
});
