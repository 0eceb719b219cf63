import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation } from '../simulation.js';
import { left, right } from '../testing/either.js';
import type { ApiError } from './errors.js';
import { Informer, type InformerEvent } from './informer.js';
import { nodeLocation } from './reachability.js';
import type { WatchEvent } from './watch.js';

const pod = (name: string): Pod => ({ metadata: { name }, spec: { nodeName: 'w2', containers: [{ name: 'c', image: 'nginx' }] } });

describe('reachability', () => {
  it('fails every call of an unreachable client with Unreachable, and changes nothing', () => {
    const sim = createSimulation();
    const kubelet = sim.api.client('kubelet', nodeLocation('w2'));
    const rv = sim.api.resourceVersion;
    sim.reachability.set(nodeLocation('w2'), false);
    const error = left(kubelet.create('Node', { metadata: { name: 'w2' } }));
    expect(error).toMatchObject({ kind: 'Status', reason: 'Unreachable', code: 0 });
    expect(error.message).toContain('node/w2 cannot reach the API server');
    expect(left(kubelet.get('Node', 'w2')).reason).toBe('Unreachable');
    expect(left(kubelet.list('Pod')).reason).toBe('Unreachable');
    expect(sim.api.resourceVersion).toBe(rv);
    let watchError: ApiError | undefined;
    kubelet.watch('Pod').subscribe({ error: (e: ApiError) => (watchError = e) });
    expect(watchError?.reason).toBe('Unreachable');
  });

  it('stalls a watch while its node is cut off, then catches up in order', () => {
    const sim = createSimulation();
    const kubectl = sim.api.client('kubectl');
    const kubelet = sim.api.client('kubelet', nodeLocation('w2'));
    right(kubectl.create('Pod', pod('web-0')));
    const seen: WatchEvent[] = [];
    kubelet.watch('Pod', { fieldSelector: 'spec.nodeName=w2' }).subscribe((e) => seen.push(e));
    expect(seen.map((e) => e.type)).toEqual(['ADDED']);

    sim.reachability.set(nodeLocation('w2'), false);
    right(kubectl.delete('Pod', 'web-0'));
    right(kubectl.create('Pod', pod('web-1')));
    expect(seen).toHaveLength(1);
    expect(right(kubectl.get('Pod', 'web-0')).metadata?.deletionTimestamp).toBeDefined();

    sim.reachability.set(nodeLocation('w2'), true);
    expect(seen.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED web-0', 'MODIFIED web-0', 'ADDED web-1']);
    right(kubelet.delete('Pod', 'web-0', { gracePeriodSeconds: 0 }));
    expect(seen.at(-1)?.type).toBe('DELETED');
  });

  it('lets an informer relist when the changes it missed were compacted away', () => {
    const sim = createSimulation({ watchCacheSize: 2 });
    const kubectl = sim.api.client('kubectl');
    const kubelet = sim.api.client('kubelet', nodeLocation('w2'));
    right(kubectl.create('Pod', pod('a')));
    right(kubectl.create('Pod', pod('b')));
    const informer = new Informer(kubelet, 'Pod', { fieldSelector: 'spec.nodeName=w2' });
    const seen: InformerEvent<Pod>[] = [];
    informer.events$.subscribe((e) => seen.push(e));
    expect(informer.hasSynced).toBe(true);
    expect(informer.list().map((p) => p.metadata?.name)).toEqual(['a', 'b']);

    sim.reachability.set(nodeLocation('w2'), false);
    right(kubectl.delete('Pod', 'a', { gracePeriodSeconds: 0 }));
    right(kubectl.create('Pod', pod('c')));
    for (let i = 0; i < 5; i++) right(kubectl.create('Node', { metadata: { name: `n${i}` } }));
    sim.reachability.set(nodeLocation('w2'), true);

    expect(seen.slice(2).map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED c', 'DELETED a']);
    expect(informer.list().map((p) => p.metadata?.name)).toEqual(['b', 'c']);
    right(kubectl.create('Pod', pod('d')));
    expect(informer.get('d', 'default')?.metadata?.name).toBe('d');
  });

  it('starts an informer only once its client can reach the server', () => {
    const sim = createSimulation();
    const kubelet = sim.api.client('kubelet', nodeLocation('w2'));
    sim.reachability.set(nodeLocation('w2'), false);
    right(sim.api.client('kubectl').create('Pod', pod('a')));
    const informer = new Informer(kubelet, 'Pod');
    const seen: string[] = [];
    informer.events$.subscribe((e) => seen.push(e.object.metadata?.name ?? ''));
    expect(informer.hasSynced).toBe(false);
    sim.reachability.set(nodeLocation('w2'), true);
    expect(seen).toEqual(['a']);
  });

  it('refuses to cut off the control plane', () => {
    expect(() => createSimulation().reachability.set('control-plane', false)).toThrow(RangeError);
  });
});

describe('Informer sharing', () => {
  it('replays its cache as ADDED to a subscriber that joins late, and keeps one watch', () => {
    const sim = createSimulation();
    const kubectl = sim.api.client('kubectl');
    right(kubectl.create('Pod', pod('a')));
    const informer = new Informer(sim.api.client('controller'), 'Pod');
    const first: string[] = [];
    const second: string[] = [];
    informer.events$.subscribe((e) => first.push(`${e.type} ${e.object.metadata?.name}`));
    right(kubectl.create('Pod', pod('b')));
    informer.events$.subscribe((e) => second.push(`${e.type} ${e.object.metadata?.name}`));
    right(kubectl.delete('Pod', 'a', { gracePeriodSeconds: 0 }));
    expect(first).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    expect(second).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
  });
});
