import { describe, expect, it } from '@jest/globals';
import type { Node, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { controllerOf, isNodeReady, nodeCondition, nodeReadyStatus, tolerates, toleratesTaint } from './pod-util.js';

describe('pod-util', () => {
  it('finds the controller reference, the first with controller=true', () => {
    const ref = (name: string, controller?: boolean) => ({ kind: 'ReplicaSet', name, uid: `u-${name}`, ...(controller === undefined ? {} : { controller }) });
    expect(controllerOf({ metadata: { ownerReferences: [ref('a'), ref('b', false), ref('c', true), ref('d', true)] } })?.name).toBe('c');
    expect(controllerOf({ metadata: { ownerReferences: [ref('a', false)] } })).toBeUndefined();
    expect(controllerOf({ metadata: {} })).toBeUndefined();
    expect(controllerOf({})).toBeUndefined();
  });

  it('reads the first node condition of a type', () => {
    const node: Node = {
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'Unknown' },
          { type: 'Ready', status: 'True' },
        ],
      },
    };
    expect(nodeCondition(node, 'Ready')?.status).toBe('Unknown');
    expect(nodeReadyStatus(node)).toBe('Unknown');
    expect(isNodeReady(node)).toBe(false);
    expect(nodeCondition(node, 'DiskPressure')).toBeUndefined();
    expect(nodeCondition({}, 'Ready')).toBeUndefined();
  });

  it('tolerates a taint when some toleration does, as ToleratesTaint', () => {
    const taint: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
    const tolerations: Toleration[] = [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ];
    expect(toleratesTaint(tolerations, taint)).toBe(true);
    expect(toleratesTaint(tolerations.slice(0, 1), taint)).toBe(false);
    expect(toleratesTaint(undefined, taint)).toBe(false);
    expect(toleratesTaint([{ operator: 'Exists' }], taint)).toBe(true);
    expect(tolerates({ key: 'node.kubernetes.io/unreachable' }, taint)).toBe(true);
  });
});
