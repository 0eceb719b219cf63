import { findProfile } from '@failsim/controllers';
import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { mergeOverrides, overrideValue, parseSetting } from './overrides.js';

const profile = findProfile('1.28')!;

describe('parseSetting', () => {
  it('reads options and behaviours by flag or camelCase name, gates by their own, values by the default\'s type', () => {
    expect(parseSetting(profile, 'node-monitor-grace-period=50s')).toEqual(E.right({ options: { nodeMonitorGracePeriod: 50_000 } }));
    expect(parseSetting(profile, '--node-monitor-grace-period=2m')).toEqual(E.right({ options: { nodeMonitorGracePeriod: 120_000 } }));
    expect(parseSetting(profile, 'nodeEvictionRate=0.5')).toEqual(E.right({ options: { nodeEvictionRate: 0.5 } }));
    expect(parseSetting(profile, 'NodeOutOfServiceVolumeDetach=false')).toEqual(E.right({ features: { NodeOutOfServiceVolumeDetach: false } }));
    expect(parseSetting(profile, 'disable-force-detach-on-timeout=true')).toMatchObject({ _tag: 'Right' });
  });

  it('says what is wrong in one message', () => {
    expect(parseSetting(profile, 'NodeOutOfServiceVolumeDetach')).toEqual(E.left('expected NAME=VALUE, e.g. node-monitor-grace-period=50s or NodeOutOfServiceVolumeDetach=false'));
    expect(parseSetting(profile, 'node-monitor-grace-perod=50s')).toEqual(E.left('unknown option, feature gate or behaviour "node-monitor-grace-perod" (did you mean "nodeMonitorGracePeriod"?)'));
    expect(parseSetting(profile, 'nodeMonitorGracePeriod=50')).toEqual(E.left('nodeMonitorGracePeriod: invalid duration "50" (use 30s, 5m, 1h)'));
    expect(parseSetting(profile, 'nodeEvictionRate=fast')).toEqual(E.left('nodeEvictionRate: expected a non-negative number, got "fast"'));
  });
});

describe('overrideValue (YAML values)', () => {
  it('wants durations as strings and other values as the default\'s type', () => {
    expect(overrideValue('nodeMonitorGracePeriod', 40_000, '50s')).toEqual(E.right(50_000));
    expect(overrideValue('nodeMonitorGracePeriod', 40_000, 50)).toEqual(E.left('expected a duration such as "40s", got integer'));
    expect(overrideValue('schedulerFramework', 'predicates', 'magic')).toEqual(E.left('must be one of "predicates", "filter-plugins", "prefilter-plugins"; got "magic"'));
  });
});

describe('mergeOverrides', () => {
  it('merges group by group, the later value winning', () => {
    expect(mergeOverrides({ options: { a: 1, b: 2 } } as never, { options: { b: 3 }, features: { F: true } } as never)).toEqual({ options: { a: 1, b: 3 }, features: { F: true } });
  });
});
