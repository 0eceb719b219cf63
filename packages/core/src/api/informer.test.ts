import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { createSimulation } from '../simulation.js';
import { right } from '../testing/either.js';
import { Informer } from './informer.js';

const pod = (name: string, image = 'nginx:1.17'): Pod => ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image }] } });

describe('Informer', () => {
  it('lists its cache in key order through adds, updates and deletes', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    right(client.create('Pod', pod('b')));
    const informer = new Informer(client, 'Pod');
    const subscription = informer.events$.subscribe(() => undefined);
    const names = (): string[] => informer.list().map((p) => p.metadata?.name ?? '');
    expect(names()).toEqual(['b']);
    right(client.create('Pod', pod('c')));
    right(client.create('Pod', pod('a')));
    expect(names()).toEqual(['a', 'b', 'c']);
    right(client.patch('Pod', 'b', { metadata: { labels: { x: 'y' } } }, { namespace: 'default', type: 'merge' }));
    // An update keeps the order and lists the new object.
    expect(informer.list()[1]?.metadata?.labels).toEqual({ x: 'y' });
    right(client.delete('Pod', 'a', { namespace: 'default' }));
    expect(names()).toEqual(['b', 'c']);
    subscription.unsubscribe();
  });

  it('delivers nothing more to a subscriber that left, even in the middle of an event', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const informer = new Informer(client, 'Pod');
    const seen: string[] = [];
    const leaving: { subscription?: { unsubscribe(): void } } = {};
    const first = informer.events$.subscribe((e) => {
      seen.push(`first ${e.type} ${e.object.metadata?.name}`);
      leaving.subscription?.unsubscribe();
    });
    leaving.subscription = informer.events$.subscribe((e) => seen.push(`second ${e.type} ${e.object.metadata?.name}`));
    right(client.create('Pod', pod('a')));
    right(client.create('Pod', pod('b')));
    // The second left while the first handled "a": a closed subscriber takes nothing.
    expect(seen).toEqual(['first ADDED a', 'first ADDED b']);
    first.unsubscribe();
  });
});
