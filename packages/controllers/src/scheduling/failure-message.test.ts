import { describe, expect, it } from '@jest/globals';
import { aggregateErrors, fitErrorMessage, reasonHistogram, type NodeRejection } from './failure-message.js';

const taint: NodeRejection = { reasons: ["node(s) had taints that the pod didn't tolerate"], unresolvable: true };
const cpu: NodeRejection = { reasons: ['Insufficient cpu'], unresolvable: false };

describe('reasonHistogram', () => {
  it('counts reasons and sorts the "count reason" strings', () => {
    expect(reasonHistogram(['b', 'a', 'b', 'c', 'c', 'c'])).toEqual(['1 a', '2 b', '3 c']);
    // Sorted as strings, so a count of 10 sorts before 2, as upstream prints it.
    expect(reasonHistogram([...Array<string>(10).fill('x'), 'y', 'y'])).toEqual(['10 x', '2 y']);
  });
});

describe('fitErrorMessage', () => {
  it('prints the ≤1.23 form without a preemption part', () => {
    expect(fitErrorMessage(3, [taint, cpu, cpu], { preemptionEnd: '' })).toBe(
      "0/3 nodes are available: 1 node(s) had taints that the pod didn't tolerate, 2 Insufficient cpu.",
    );
  });

  it('counts every reason of a node, so counts may add up to more than the nodes', () => {
    const both: NodeRejection = { reasons: ['Insufficient cpu', 'Insufficient memory'], unresolvable: false };
    expect(fitErrorMessage(1, [both], { preemptionEnd: '' })).toBe('0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.');
  });

  it('adds the preemption summary, with the double period of 1.25–1.28 or the single one after', () => {
    const untolerated: NodeRejection = { reasons: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'], unresolvable: true };
    expect(fitErrorMessage(3, [untolerated, cpu, cpu], { preemptionEnd: '.' })).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect(fitErrorMessage(1, [untolerated], { preemptionEnd: '..' })).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. ' +
        'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
  });

  it('prints a PreFilter rejection instead of the histogram (k/k issue #121760)', () => {
    const prefilter: NodeRejection = { reasons: ['pod has unbound immediate PersistentVolumeClaims'], unresolvable: true };
    expect(fitErrorMessage(1, [prefilter], { preemptionEnd: '..' }, 'pod has unbound immediate PersistentVolumeClaims')).toBe(
      '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
    );
  });

  it('says when the pod may not preempt', () => {
    expect(fitErrorMessage(1, [cpu], { preemptionEnd: '.', preemptionNever: true })).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
});

describe('aggregateErrors', () => {
  it('prints one error with its repeat count, several in brackets', () => {
    expect(aggregateErrors(new Map([['pod has unbound immediate PersistentVolumeClaims', 3]]))).toBe(
      'pod has unbound immediate PersistentVolumeClaims (repeated 3 times)',
    );
    expect(aggregateErrors(new Map([['x', 1]]))).toBe('x');
    expect(aggregateErrors(new Map([['b', 1], ['a', 2]]))).toBe('[a (repeated 2 times), b]');
  });
});
