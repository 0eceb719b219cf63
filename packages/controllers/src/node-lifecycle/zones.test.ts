import { describe, expect, it } from '@jest/globals';
import type { Node } from 'kubernetes-types/core/v1.js';
import { computeZoneState, getZoneKey, isMasterNodeName, isNodeExcludedFromDisruptionChecks, zoneDisplayName } from './zones.js';

const node = (name: string, labels?: Record<string, string>): Node => ({ metadata: { name, ...(labels ? { labels } : {}) } });

describe('getZoneKey', () => {
  it('is "" without zone labels', () => {
    expect(getZoneKey(node('w1'), true)).toBe('');
    expect(getZoneKey(node('w1', { app: 'x' }), true)).toBe('');
  });

  it('reads the beta labels, and the topology ones only as a 1.17+ fallback', () => {
    const beta = node('w1', { 'failure-domain.beta.kubernetes.io/region': 'eu', 'failure-domain.beta.kubernetes.io/zone': 'a' });
    expect(getZoneKey(beta, false)).toBe('eu:\u0000:a');
    const stable = node('w2', { 'topology.kubernetes.io/region': 'eu', 'topology.kubernetes.io/zone': 'b' });
    expect(getZoneKey(stable, true)).toBe('eu:\u0000:b');
    expect(getZoneKey(stable, false)).toBe('');
    const both = node('w3', { 'failure-domain.beta.kubernetes.io/zone': 'old', 'topology.kubernetes.io/zone': 'new' });
    expect(getZoneKey(both, true)).toBe(':\u0000:old');
    expect(zoneDisplayName(getZoneKey(stable, true))).toBe('eu/b');
    expect(zoneDisplayName('')).toBe('');
  });
});

describe('disruption exclusion', () => {
  it('recognises master names as system.IsMasterNode does', () => {
    expect(isMasterNodeName('master')).toBe(true);
    expect(isMasterNodeName('kubernetes-master')).toBe(true);
    expect(isMasterNodeName('kubernetes-master-abc')).toBe(true);
    expect(isMasterNodeName('master-abc')).toBe(true);
    expect(isMasterNodeName('master-a')).toBe(false);
    expect(isMasterNodeName('worker-1')).toBe(false);
    expect(isMasterNodeName('mastermind')).toBe(false);
  });

  it('follows the two gates', () => {
    const master = node('master');
    const labelled = node('w1', { 'node.kubernetes.io/exclude-disruption': '' });
    const old = { LegacyNodeRoleBehavior: true, NodeDisruptionExclusion: false };
    const current = { LegacyNodeRoleBehavior: false, NodeDisruptionExclusion: true };
    expect(isNodeExcludedFromDisruptionChecks(master, old)).toBe(true);
    expect(isNodeExcludedFromDisruptionChecks(labelled, old)).toBe(false);
    expect(isNodeExcludedFromDisruptionChecks(master, current)).toBe(false);
    expect(isNodeExcludedFromDisruptionChecks(labelled, current)).toBe(true);
  });
});

describe('computeZoneState', () => {
  it('Full when no node is Ready, Partial above 2 and the threshold, else Normal', () => {
    expect(computeZoneState(0, 1, 0.55)).toBe('FullDisruption');
    expect(computeZoneState(0, 0, 0.55)).toBe('Normal');
    expect(computeZoneState(1, 2, 0.55)).toBe('Normal');
    expect(computeZoneState(1, 3, 0.55)).toBe('PartialDisruption');
    expect(computeZoneState(9, 11, 0.55)).toBe('PartialDisruption');
    expect(computeZoneState(10, 10, 0.55)).toBe('Normal');
  });
});
