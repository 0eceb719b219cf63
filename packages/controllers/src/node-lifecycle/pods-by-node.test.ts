import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { findProfile } from '../profiles/profiles.js';
import { defaultTimings, type ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { acquirePodsByNode, PodsByNode, releasePodsByNode } from './pods-by-node.js';

const pod = (name: string, nodeName?: string): Pod => ({ metadata: { name, namespace: 'default' }, spec: { containers: [], ...(nodeName ? { nodeName } : {}) } });

describe('PodsByNode', () => {
  it('follows binds, moves and deletions', () => {
    const index = new PodsByNode();
    index.apply({ type: 'ADDED', object: pod('b', 'w1') });
    index.apply({ type: 'ADDED', object: pod('a', 'w1') });
    index.apply({ type: 'ADDED', object: pod('pending') });
    expect(index.keys('w1')).toEqual(['default/a', 'default/b']);
    index.apply({ type: 'MODIFIED', object: pod('pending', 'w2'), old: pod('pending') });
    expect(index.keys('w2')).toEqual(['default/pending']);
    // A status update of a pod that stays on its node changes nothing.
    index.apply({ type: 'MODIFIED', object: { ...pod('b', 'w1'), status: { phase: 'Running' } }, old: pod('b', 'w1') });
    expect(index.keys('w1')).toEqual(['default/a', 'default/b']);
    index.apply({ type: 'DELETED', object: pod('a', 'w1'), old: pod('a', 'w1') });
    expect(index.keys('w1')).toEqual(['default/b']);
    expect(index.count('w1')).toBe(1);
    expect(index.keys('nope')).toEqual([]);
    index.clear();
    expect(index.count('w2')).toBe(0);
  });
});

describe('PodsByNode keys', () => {
  it('spans namespaces in key order, names alone for pods without one, and follows the cached version each event carries', () => {
    const index = new PodsByNode();
    const inNs = (namespace: string | undefined, name: string, nodeName?: string): Pod => ({
      metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
      spec: { containers: [], ...(nodeName ? { nodeName } : {}) },
    });
    index.apply({ type: 'ADDED', object: inNs('kube-system', 'proxy', 'w1') });
    index.apply({ type: 'ADDED', object: inNs('default', 'web', 'w1') });
    index.apply({ type: 'ADDED', object: inNs(undefined, 'bare', 'w1') });
    index.apply({ type: 'ADDED', object: inNs('apps', 'web', 'w1') });
    expect(index.keys('w1')).toEqual(['apps/web', 'bare', 'default/web', 'kube-system/proxy']);
    expect(index.count('w1')).toBe(4);
    // A relist's MODIFIED of a pod recreated under the same name on the same node: one key still.
    index.apply({ type: 'MODIFIED', object: inNs('default', 'web', 'w1'), old: inNs('default', 'web', 'w1') });
    expect(index.count('w1')).toBe(4);
    // A DELETED the informer had not cached (no `old`) removes nothing.
    index.apply({ type: 'DELETED', object: inNs('apps', 'web', 'w1') });
    expect(index.count('w1')).toBe(4);
    index.apply({ type: 'DELETED', object: inNs('apps', 'web', 'w1'), old: inNs('apps', 'web', 'w1') });
    index.apply({ type: 'DELETED', object: inNs('kube-system', 'proxy', 'w1'), old: inNs('kube-system', 'proxy', 'w1') });
    expect(index.keys('w1')).toEqual(['bare', 'default/web']);
    index.apply({ type: 'DELETED', object: inNs(undefined, 'bare', 'w1'), old: inNs(undefined, 'bare', 'w1') });
    index.apply({ type: 'DELETED', object: inNs('default', 'web', 'w1'), old: inNs('default', 'web', 'w1') });
    expect(index.keys('w1')).toEqual([]);
    expect(index.count('w1')).toBe(0);
  });
});

describe('acquirePodsByNode', () => {
  it('gives every holder one index fed once, equal to one rebuilt from the cache, and drops it with the last holder', () => {
    const ctx: ControllerContext = { sim: createSimulation({ seed: 'pods-by-node' }), profile: findProfile('1.14')!, timings: defaultTimings };
    const kubectl = ctx.sim.api.client('kubectl');
    const pods = sharedInformer(ctx, 'Pod');
    const settle = () => ctx.sim.clock.runFor(1_000);
    const create = (name: string, nodeName?: string) => {
      const created = kubectl.create('Pod', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) } });
      expect(created._tag).toBe('Right');
      settle();
    };
    create('before', 'w1');
    const first = acquirePodsByNode(pods);
    const second = acquirePodsByNode(pods);
    settle();
    expect(second).toBe(first);
    expect(first.keys('w1')).toEqual(['default/before']);
    create('b', 'w2');
    create('pending');
    expect(kubectl.bind('pending', 'default', 'w2')._tag).toBe('Right');
    // Graceful: the pod stays (and indexed) until its kubelet confirms.
    kubectl.delete('Pod', 'before');
    settle();
    // The same as an index rebuilt from the informer's cache.
    const rebuilt = new PodsByNode();
    for (const p of pods.list()) rebuilt.apply({ type: 'ADDED', object: p });
    for (const node of ['w1', 'w2']) expect(first.keys(node)).toEqual(rebuilt.keys(node));
    expect(first.keys('w2')).toEqual(['default/b', 'default/pending']);
    releasePodsByNode(pods);
    create('c', 'w1');
    expect(first.keys('w1')).toEqual(['default/before', 'default/c']);
    releasePodsByNode(pods);
    // The last holder gone, the index is cleared and no longer fed; a new holder gets a fresh one from the cache.
    expect(first.count('w2')).toBe(0);
    create('d', 'w1');
    expect(first.count('w1')).toBe(0);
    const again = acquirePodsByNode(pods);
    settle();
    expect(again).not.toBe(first);
    expect(again.keys('w1')).toEqual(['default/before', 'default/c', 'default/d']);
    releasePodsByNode(pods);
  });
});
