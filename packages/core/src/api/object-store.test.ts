import { describe, expect, it } from '@jest/globals';
import { ObjectStore } from './object-store.js';

const obj = (name: string, namespace?: string, rv = '1') => ({ metadata: { name, ...(namespace ? { namespace } : {}), resourceVersion: rv } });

describe('ObjectStore', () => {
  it('finds objects by namespace and name, cluster-scoped ones without a namespace', () => {
    const store = new ObjectStore();
    store.set(obj('a', 'default'));
    store.set(obj('a', 'kube-system'));
    store.set(obj('w1'));
    expect(store.get('kube-system', 'a')?.metadata?.namespace).toBe('kube-system');
    expect(store.get(undefined, 'w1')?.metadata?.name).toBe('w1');
    expect(store.get('default', 'w1')).toBeUndefined();
    expect(store.has('kube-system', 'a') && store.has(undefined, 'w1')).toBe(true);
    expect(store.has('default', 'w1')).toBe(false);
    expect(store.size).toBe(3);
  });

  it('lists sorted by namespace then name, and keeps the lists current', () => {
    const store = new ObjectStore();
    for (const [name, ns] of [['b', 'x'], ['a', 'y'], ['c', 'x'], ['a', 'x']] as const) store.set(obj(name, ns));
    const names = () => store.list().map((o) => `${o.metadata?.namespace}/${o.metadata?.name}@${o.metadata?.resourceVersion}`);
    expect(names()).toEqual(['x/a@1', 'x/b@1', 'x/c@1', 'y/a@1']);
    store.set(obj('b', 'x', '2'));
    expect(names()).toEqual(['x/a@1', 'x/b@2', 'x/c@1', 'y/a@1']);
    expect(store.delete('x', 'a')).toBe(true);
    expect(store.delete('x', 'a')).toBe(false);
    expect(store.list('x').map((o) => o.metadata?.name)).toEqual(['b', 'c']);
    expect(store.list('nowhere')).toEqual([]);
    expect(store.size).toBe(3);
  });
});
