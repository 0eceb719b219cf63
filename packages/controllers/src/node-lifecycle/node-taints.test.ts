import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation } from '@failsim/core';
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import { addOrUpdateTaintOnNode, matchTaint, removeTaintOffNode, swapNodeControllerTaint, taintExists, taintSetDiff } from './node-taints.js';

const right = <T>(r: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const setup = (taints: Taint[] = []) => {
  const sim = createSimulation();
  const client = sim.api.client('node-controller');
  right(sim.api.client('kubectl').create('Node', { metadata: { name: 'w1' }, spec: { taints } }));
  const writes = () => sim.trace.entries.filter((e) => e.type === 'write' && e.kind === 'Node' && e.by.startsWith('node-controller')).length;
  const node = (): Node => right(client.get('Node', 'w1'));
  return { sim, client, node, writes };
};

const unreachableNoExecute: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const notReadyNoExecute: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' };

describe('taint sets', () => {
  it('match by key and effect only', () => {
    expect(matchTaint({ key: 'a', effect: 'NoExecute', value: 'x' }, { key: 'a', effect: 'NoExecute' })).toBe(true);
    expect(matchTaint({ key: 'a', effect: 'NoExecute' }, { key: 'a', effect: 'NoSchedule' })).toBe(false);
    expect(taintExists([{ key: 'a', effect: 'NoSchedule' }], { key: 'a', effect: 'NoSchedule' })).toBe(true);
    expect(taintExists(undefined, { key: 'a', effect: 'NoSchedule' })).toBe(false);
    const diff = taintSetDiff(
      [
        { key: 'a', effect: 'NoSchedule' },
        { key: 'b', effect: 'NoSchedule' },
      ],
      [
        { key: 'b', effect: 'NoSchedule' },
        { key: 'c', effect: 'NoSchedule' },
      ],
    );
    expect(diff.toAdd.map((t) => t.key)).toEqual(['a']);
    expect(diff.toRemove.map((t) => t.key)).toEqual(['c']);
  });
});

describe('taint writes', () => {
  it('adds a taint, then writes nothing when it is already there', () => {
    const { client, node, writes } = setup();
    right(addOrUpdateTaintOnNode(client, 'w1', [{ ...unreachableNoExecute, timeAdded: '2019-06-01T00:00:50Z' }]));
    expect(node().spec?.taints).toEqual([{ ...unreachableNoExecute, timeAdded: '2019-06-01T00:00:50Z' }]);
    expect(writes()).toBe(1);
    expect(right(addOrUpdateTaintOnNode(client, 'w1', [{ ...unreachableNoExecute, timeAdded: '2019-06-01T00:00:50Z' }]))).toBeUndefined();
    expect(writes()).toBe(1);
    // A different timeAdded replaces it (Semantic.DeepEqual compares every field).
    right(addOrUpdateTaintOnNode(client, 'w1', [{ ...unreachableNoExecute, timeAdded: '2019-06-01T00:01:00Z' }]));
    expect(node().spec?.taints).toEqual([{ ...unreachableNoExecute, timeAdded: '2019-06-01T00:01:00Z' }]);
  });

  it('removes without any call when the cached node lacks the taint', () => {
    const { client, node, writes } = setup([{ key: 'other', effect: 'NoSchedule' }]);
    expect(right(removeTaintOffNode(client, 'w1', node(), [unreachableNoExecute]))).toBeUndefined();
    expect(writes()).toBe(0);
  });

  it('swaps unreachable for not-ready, stamping timeAdded, and keeps other taints', () => {
    const { sim, client, node } = setup([{ key: 'other', effect: 'NoSchedule' }, unreachableNoExecute]);
    sim.clock.runFor(5_000);
    expect(swapNodeControllerTaint(client, sim.clock.iso(), [notReadyNoExecute], [unreachableNoExecute], node())).toBe(true);
    expect(node().spec?.taints).toEqual([{ key: 'other', effect: 'NoSchedule' }, { ...notReadyNoExecute, timeAdded: '2019-06-01T00:00:05Z' }]);
  });

  it('fails on a missing node', () => {
    const { client } = setup();
    expect(E.isLeft(addOrUpdateTaintOnNode(client, 'nope', [unreachableNoExecute]))).toBe(true);
  });
});
