import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import type { Event } from 'kubernetes-types/core/v1.js';
import { WorkloadWatch } from './workload-watch.js';

const pod = (name: string, namespace = 'shop') => ({ metadata: { name, namespace }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
const event = (name: string, about: string, reason: string): Event => ({
  metadata: { name, namespace: 'shop' },
  involvedObject: { kind: 'Pod', namespace: 'shop', name: about, apiVersion: 'v1' },
  reason,
  message: reason,
  source: { component: 'kubelet' },
  count: 1,
  type: 'Normal',
});
const names = (objects: readonly { metadata?: { name?: string } }[]): string[] => objects.map((o) => o.metadata!.name!);

describe('WorkloadWatch', () => {
  it('keeps the workload Pods, the changes since the last take, and the Events about each Pod in list order', () => {
    const sim = createSimulation({ seed: 1 });
    const kubectl = sim.api.client('kubectl');
    kubectl.create('Namespace', { metadata: { name: 'shop' } });
    kubectl.create('Pod', pod('before'));
    const watch = new WorkloadWatch(kubectl, (namespace) => namespace === 'kube-system');
    kubectl.create('Pod', pod('web-a'));
    kubectl.create('Pod', pod('dns', 'kube-system'));
    // The Pods there when the watch began come first, as ADDED; the system namespace's are left out.
    expect([...watch.pods.keys()]).toEqual(['shop/before', 'shop/web-a']);
    expect(names(watch.takeChanges().written)).toEqual(['before', 'web-a']);
    expect(watch.takeChanges()).toEqual({ written: [], deleted: [] });

    kubectl.delete('Pod', 'before', { namespace: 'shop', gracePeriodSeconds: 0 });
    kubectl.create('Pod', pod('web-b'));
    const changes = watch.takeChanges();
    expect(names(changes.written)).toEqual(['web-b']);
    expect(names(changes.deleted)).toEqual(['before']);
    expect(watch.namespaces()).toEqual(['shop']);

    kubectl.create('Event', event('web-a.2', 'web-a', 'Started'));
    kubectl.create('Event', event('web-a.1', 'web-a', 'Pulled'));
    kubectl.create('Event', event('web-b.1', 'web-b', 'Pulled'));
    const listed = kubectl.list('Event', { namespace: 'shop', fieldSelector: 'involvedObject.name=web-a' });
    expect(listed._tag === 'Right' && names(listed.right.items)).toEqual(['web-a.1', 'web-a.2']);
    expect(names(watch.eventsAbout(watch.pods.get('shop/web-a')!))).toEqual(['web-a.1', 'web-a.2']);
    kubectl.delete('Event', 'web-a.1', { namespace: 'shop' });
    expect(names(watch.eventsAbout(watch.pods.get('shop/web-a')!))).toEqual(['web-a.2']);

    watch.stop();
    kubectl.create('Pod', pod('web-c'));
    expect(watch.pods.has('shop/web-c')).toBe(false);
  });
});
