import { describe, expect, it } from '@jest/globals';
import { createSimulation, type InformerEvent, type KubeObject } from '@failsim/core';
import { findProfile } from '../profiles/profiles.js';
import { defaultTimings, type ControllerContext } from './context.js';
import { KUBE_CONTROLLER_MANAGER, SharedInformerFactory, sharedInformer, sharedInformerFactory } from './shared-informers.js';

const context = (): ControllerContext => ({ sim: createSimulation({ seed: 'shared-informers' }), profile: findProfile('1.14')!, timings: defaultTimings });

const names = (events: InformerEvent<KubeObject>[]): string[] => events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`);

describe('shared informers', () => {
  it('gives every controller of a simulation the same informer per kind and options', () => {
    const ctx = context();
    expect(sharedInformer(ctx, 'Pod')).toBe(sharedInformer(ctx, 'Pod'));
    expect(sharedInformer(ctx, 'Pod')).not.toBe(sharedInformer(ctx, 'Node'));
    expect(sharedInformer(ctx, 'Lease', { namespace: 'kube-node-lease' })).toBe(sharedInformer(ctx, 'Lease', { namespace: 'kube-node-lease' }));
    expect(sharedInformer(ctx, 'Lease', { namespace: 'kube-node-lease' })).not.toBe(sharedInformer(ctx, 'Lease'));
    expect(sharedInformerFactory(ctx).size).toBe(4);
    expect(sharedInformer(ctx, 'Pod').client.component).toBe(KUBE_CONTROLLER_MANAGER);
    // Another simulation has its own informers.
    expect(sharedInformer(context(), 'Pod')).not.toBe(sharedInformer(ctx, 'Pod'));
  });

  it('uses the factory of the context when it has one', () => {
    const base = context();
    const informers = new SharedInformerFactory(base.sim.api.client('second-manager'));
    const ctx: ControllerContext = { ...base, informers };
    expect(sharedInformerFactory(ctx)).toBe(informers);
    expect(sharedInformer(ctx, 'Pod')).not.toBe(sharedInformer(base, 'Pod'));
  });

  it('watches once and delivers each change to the handlers in subscription order', () => {
    const ctx = context();
    const kubectl = ctx.sim.api.client('kubectl');
    const seen: string[] = [];
    const first = sharedInformer(ctx, 'Pod').events$.subscribe((e) => seen.push(`first ${e.type} ${e.object.metadata?.name ?? ''}`));
    const second = sharedInformer(ctx, 'Pod').events$.subscribe((e) => seen.push(`second ${e.type} ${e.object.metadata?.name ?? ''}`));
    kubectl.create('Pod', { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    expect(seen).toEqual(['first ADDED web', 'second ADDED web']);
    first.unsubscribe();
    second.unsubscribe();
  });

  it('replays the cache to a handler that joins a running informer', () => {
    const ctx = context();
    const kubectl = ctx.sim.api.client('kubectl');
    kubectl.create('Pod', { metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const first: InformerEvent<KubeObject>[] = [];
    const late: InformerEvent<KubeObject>[] = [];
    const s1 = sharedInformer(ctx, 'Pod').events$.subscribe((e) => first.push(e));
    kubectl.create('Pod', { metadata: { name: 'b' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const s2 = sharedInformer(ctx, 'Pod').events$.subscribe((e) => late.push(e));
    kubectl.delete('Pod', 'a', { gracePeriodSeconds: 0 });
    expect(names(first)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    expect(names(late)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    s1.unsubscribe();
    s2.unsubscribe();
  });
});
