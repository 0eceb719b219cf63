import { describe, expect, it } from '@jest/globals';
import type { Node, PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import { matchesAnyNode, matchNodeSelectorTerms, nodeSelectorMatcher, podMatchesNodeSelector, preferredNodeAffinityWeight, volumeNodeAffinityMatches } from './node-affinity.js';

const node = (name: string, labels: Record<string, string>): Node => ({ metadata: { name, labels } });
const pod = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }], ...spec } });

describe('matchNodeSelectorTerms', () => {
  const w1 = node('w1', { zone: 'a', disk: 'ssd', cores: '8' });

  it('ANDs requirements in a term and ORs terms', () => {
    expect(
      matchNodeSelectorTerms(
        [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'In', values: ['hdd'] }] }],
        w1,
      ),
    ).toBe(false);
    expect(
      matchNodeSelectorTerms(
        [
          { matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] },
          { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] },
        ],
        w1,
      ),
    ).toBe(true);
  });

  it('supports every operator and matchFields on metadata.name', () => {
    const one = (key: string, operator: string, values?: string[]) => matchNodeSelectorTerms([{ matchExpressions: [{ key, operator, values }] }], w1);
    expect(one('zone', 'Exists')).toBe(true);
    expect(one('gpu', 'DoesNotExist')).toBe(true);
    expect(one('gpu', 'NotIn', ['x'])).toBe(true);
    expect(one('cores', 'Gt', ['4'])).toBe(true);
    expect(one('cores', 'Lt', ['4'])).toBe(false);
    expect(one('cores', 'Gt', ['4', '5'])).toBe(false);
    expect(matchNodeSelectorTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w1'] }] }], w1)).toBe(true);
    expect(matchNodeSelectorTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w2'] }] }], w1)).toBe(false);
  });

  it('lets an empty term or an empty list match nothing', () => {
    expect(matchNodeSelectorTerms([{}], w1)).toBe(false);
    expect(matchNodeSelectorTerms([], w1)).toBe(false);
  });
});

describe('podMatchesNodeSelector', () => {
  const w1 = node('w1', { zone: 'a' });

  it('requires every nodeSelector label and the required affinity', () => {
    expect(podMatchesNodeSelector(pod({}), w1)).toBe(true);
    expect(podMatchesNodeSelector(pod({ nodeSelector: { zone: 'a' } }), w1)).toBe(true);
    expect(podMatchesNodeSelector(pod({ nodeSelector: { zone: 'b' } }), w1)).toBe(false);
    const affinity = (zone: string) => ({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [zone] }] }] } },
    });
    expect(podMatchesNodeSelector(pod({ affinity: affinity('a') }), w1)).toBe(true);
    expect(podMatchesNodeSelector(pod({ nodeSelector: { zone: 'a' }, affinity: affinity('b') }), w1)).toBe(false);
  });

  it('sums the weights of satisfied preferred terms', () => {
    const p = pod({
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
            { weight: 7, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } },
            { weight: 2, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
          ],
        },
      },
    });
    expect(preferredNodeAffinityWeight(p, w1)).toBe(7);
  });
});

describe('nodeSelectorMatcher', () => {
  const daemonPod = (nodeName: string) =>
    pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } } } });

  it('gives a pod that selects nothing the shared match-all matcher, so callers can skip it', () => {
    expect(nodeSelectorMatcher(pod({}))).toBe(matchesAnyNode);
    expect(nodeSelectorMatcher(pod({ nodeSelector: { zone: 'a' } }))).not.toBe(matchesAnyNode);
  });

  it('answers as podMatchesNodeSelector for selectors, expressions and matchFields', () => {
    const nodes = [node('w1', { zone: 'a', disk: 'ssd' }), node('w2', { zone: 'b' }), node('w3', {})];
    const pods = [
      pod({ nodeSelector: { zone: 'a' } }),
      pod({ nodeSelector: { zone: 'a', disk: 'hdd' } }),
      daemonPod('w2'),
      pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.uid', operator: 'Exists' }] }] } } } }),
      pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }] } } } }),
    ];
    const verdicts = pods.map((p) => nodes.map((n) => nodeSelectorMatcher(p)(n)));
    expect(verdicts).toEqual(pods.map((p) => nodes.map((n) => podMatchesNodeSelector(p, n))));
    expect(verdicts).toEqual([
      [true, false, false],
      [false, false, false],
      [false, true, false],
      [false, false, false],
      [false, false, true],
    ]);
  });
});

describe('volumeNodeAffinityMatches', () => {
  it('accepts any node without required affinity, else the matching ones', () => {
    const pv = (zone?: string): PersistentVolume => ({
      metadata: { name: 'pv' },
      spec: zone ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [zone] }] }] } } } : {},
    });
    expect(volumeNodeAffinityMatches(pv(), node('w1', {}))).toBe(true);
    expect(volumeNodeAffinityMatches(pv('a'), node('w1', { zone: 'a' }))).toBe(true);
    expect(volumeNodeAffinityMatches(pv('a'), node('w2', { zone: 'b' }))).toBe(false);
  });
});
