import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { PodsByNode } from './pods-by-node.js';

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
