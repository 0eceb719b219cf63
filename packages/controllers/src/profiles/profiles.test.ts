import { describe, expect, it } from '@jest/globals';
import { findProfile, profiles, withOverrides } from './profiles.js';

describe('version profiles', () => {
  it('ship 1.12, 1.14, 1.18, 1.28 and 1.32, found with or without a v', () => {
    expect(profiles.map((p) => p.name)).toEqual(['1.12', '1.14', '1.18', '1.28', '1.32']);
    expect(findProfile('v1.28')?.name).toBe('1.28');
    expect(findProfile('1.99')).toBeUndefined();
  });

  it('carry the upstream changes the reference lists', () => {
    const [p112, p114, p118, p128, p132] = profiles;
    expect([p112, p114].map((p) => p!.features.TaintBasedEvictions)).toEqual([false, true]);
    expect([p112, p114].map((p) => p!.features.NodeLease)).toEqual([false, true]);
    expect([p114, p118].map((p) => p!.behaviours.podGCOrphanQuarantine)).toEqual([0, 40_000]);
    expect([p114, p118].map((p) => p!.options.nodeStatusReportFrequency)).toEqual([60_000, 300_000]);
    expect([p118, p128].map((p) => p!.features.NodeOutOfServiceVolumeDetach)).toEqual([false, true]);
    expect([p128, p132].map((p) => p!.options.nodeMonitorGracePeriod)).toEqual([40_000, 50_000]);
    expect([p128, p132].map((p) => p!.texts.taintEvictionComponent)).toEqual(['taint-controller', 'taint-eviction-controller']);
  });

  it('word events as each version did', () => {
    const [p112, p114, , p128] = profiles;
    expect(p112!.texts.pulling('cassandra:v11')).toBe('pulling image "cassandra:v11"');
    expect(p114!.texts.pulling('cassandra:v11')).toBe('Pulling image "cassandra:v11"');
    expect(p112!.texts.created('cassandra')).toBe('Created container');
    expect(p114!.texts.created('cassandra')).toBe('Created container cassandra');
    expect(p112!.texts.killing('cassandra', 'docker://abc')).toBe('Killing container with id docker://cassandra:Need to kill Pod');
    expect(p128!.texts.pulled('nginx', 2_500)).toBe('Successfully pulled image "nginx" in 2.5s (2.5s including waiting)');
  });

  it('apply per-run overrides without touching the shipped profile', () => {
    const p = withOverrides(findProfile('1.14')!, { options: { nodeMonitorGracePeriod: 20_000 }, features: { TaintBasedEvictions: false } });
    expect(p.options.nodeMonitorGracePeriod).toBe(20_000);
    expect(p.options.nodeMonitorPeriod).toBe(5_000);
    expect(p.features.TaintBasedEvictions).toBe(false);
    expect(findProfile('1.14')!.options.nodeMonitorGracePeriod).toBe(40_000);
  });
});
