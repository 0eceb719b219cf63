import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { recordingIo } from '../test-io.js';
import { collectSetting, parseProfileFlag, parseSeedFlag, parseUntilFlag, run, type RunFlags } from './run.js';

const file = join(import.meta.dirname, '..', '..', '..', '..', 'packages', 'scenarios', 'src', 'runner', 'testdata', 'statefulset-node-poweroff.yaml');

describe('failsim run flags', () => {
  it('parses profiles, seeds and durations, and refuses bad values with one message', () => {
    expect(parseProfileFlag('v1.28').name).toBe('1.28');
    expect(() => parseProfileFlag('1.99')).toThrow('unknown profile (failsim has 1.12, 1.14, 1.18, 1.28, 1.32).');
    expect(parseSeedFlag('42')).toBe(42);
    expect(() => parseSeedFlag('-1')).toThrow('the seed is a non-negative integer.');
    expect(() => parseSeedFlag('1.5')).toThrow('the seed is a non-negative integer.');
    expect(parseUntilFlag('1h30m')).toBe(5_400_000);
    expect(() => parseUntilFlag('5 minutes')).toThrow('invalid duration "5 minutes" (use 30s, 5m, 1h).');
    expect(() => parseUntilFlag('0s')).toThrow('the end of the run must be after its start.');
  });
});

describe('failsim run', () => {
  it('fails (exit 1) when the run ends before an expectation can hold', () => {
    const io = recordingIo();
    // Ten minutes: the pod is not Unknown for an hour and the node is never deleted.
    expect(run(io, file, { output: 'json', until: 600_000 })).toBe(1);
    const result = JSON.parse(io.text.out) as { passed: boolean; expectations: { passed: boolean }[] };
    expect(result.passed).toBe(false);
    expect(result.expectations.map((e) => e.passed)).toEqual([true, false, false, false]);
  });

  it('exits 2 with the scenario errors on stderr for a missing file', () => {
    const io = recordingIo();
    expect(run(io, 'missing/x.yaml', { output: 'transcript' })).toBe(2);
    expect(io.text).toEqual({ out: '', err: 'missing/x.yaml:1:1: no such file\n' });
  });
});

describe('failsim run --set', () => {
  it('reads options, feature gates and behaviours by their upstream names, typed after the profile', () => {
    expect(collectSetting('node-monitor-grace-period=50s')).toEqual({ options: { nodeMonitorGracePeriod: 50_000 } });
    expect(collectSetting('--node-monitor-grace-period=1m30s')).toEqual({ options: { nodeMonitorGracePeriod: 90_000 } });
    expect(collectSetting('nodeMonitorGracePeriod=50s')).toEqual({ options: { nodeMonitorGracePeriod: 50_000 } });
    expect(collectSetting('disable-force-detach-on-timeout=true')).toEqual({ options: { disableForceDetachOnTimeout: true } });
    expect(collectSetting('NodeOutOfServiceVolumeDetach=false')).toEqual({ features: { NodeOutOfServiceVolumeDetach: false } });
    expect(collectSetting('forceDetachRequiresUnhealthyNode=true')).toEqual({ behaviours: { forceDetachRequiresUnhealthyNode: true } });
    expect(collectSetting('node-eviction-rate=0.5')).toEqual({ options: { nodeEvictionRate: 0.5 } });
    expect(collectSetting('default-unreachable-toleration-seconds=60')).toEqual({ options: { defaultUnreachableTolerationSeconds: 60 } });
    expect(collectSetting('monitoredConditions=Ready,MemoryPressure')).toEqual({ behaviours: { monitoredConditions: ['Ready', 'MemoryPressure'] } });
    expect(collectSetting('schedulerFramework=filter-plugins')).toEqual({ behaviours: { schedulerFramework: 'filter-plugins' } });
  });

  it('collects repeated --set into one override set; a later one of the same name wins', () => {
    const set = ['node-monitor-grace-period=50s', 'TaintBasedEvictions=true', 'pod-eviction-timeout=2m', 'node-monitor-grace-period=1m'].reduce<ReturnType<typeof collectSetting>>((previous, text) => collectSetting(text, previous), {});
    expect(set).toEqual({ options: { nodeMonitorGracePeriod: 60_000, podEvictionTimeout: 120_000 }, features: { TaintBasedEvictions: true } });
  });

  it('refuses an unknown name with a did-you-mean, and a bad value with what it expected', () => {
    expect(() => collectSetting('node-monitor-grace-perod=50s')).toThrow('unknown option, feature gate or behaviour "node-monitor-grace-perod" (did you mean "nodeMonitorGracePeriod"?).');
    expect(() => collectSetting('node-out-of-service-volume-detach=false')).toThrow('unknown option, feature gate or behaviour "node-out-of-service-volume-detach" (did you mean "NodeOutOfServiceVolumeDetach"?).');
    expect(() => collectSetting('frobnicate=1')).toThrow('unknown option, feature gate or behaviour "frobnicate".');
    expect(() => collectSetting('node-monitor-grace-period')).toThrow('expected NAME=VALUE, e.g. node-monitor-grace-period=50s or NodeOutOfServiceVolumeDetach=false.');
    expect(() => collectSetting('=50s')).toThrow('expected NAME=VALUE');
    expect(() => collectSetting('node-monitor-grace-period=5 minutes')).toThrow('nodeMonitorGracePeriod: invalid duration "5 minutes" (use 30s, 5m, 1h).');
    expect(() => collectSetting('node-monitor-grace-period=50')).toThrow('nodeMonitorGracePeriod: invalid duration "50" (use 30s, 5m, 1h).');
    expect(() => collectSetting('disable-force-detach-on-timeout=yes')).toThrow('disableForceDetachOnTimeout: expected true or false, got "yes".');
    expect(() => collectSetting('node-eviction-rate=fast')).toThrow('nodeEvictionRate: expected a non-negative number, got "fast".');
    expect(() => collectSetting('monitoredConditions=Ready,,X')).toThrow('monitoredConditions: expected a comma-separated list such as "Ready,MemoryPressure", got "Ready,,X".');
    expect(() => collectSetting('schedulerFramework=magic')).toThrow('schedulerFramework: must be one of "predicates", "filter-plugins", "prefilter-plugins"; got "magic".');
  });

  // NotReady lands on the first 5 s monitor tick after the grace period since the last
  // heartbeat (kubernetes-node-failure.md §2.1): 30–50 s after the power-off at 40 s.
  const notReadyAfterPowerOff = (scenarioFile: string, flags: Partial<RunFlags>): number => {
    const io = recordingIo();
    run(io, scenarioFile, { output: 'json', until: 600_000, ...flags });
    const result = JSON.parse(io.text.out) as { steps: { at: number; command: string }[]; transitions: { at: number; object: string; field: string; to: string | null }[] };
    const powerOff = result.steps.find((s) => s.command.startsWith('govc vm.power -off'))!;
    return result.transitions.find((t) => t.object.startsWith('Node/') && t.field === 'status' && t.to === 'NotReady')!.at - powerOff.at;
  };

  it('changes the run: --set node-monitor-grace-period=2m moves NotReady from ≈40 s to ≈2 min after the power-off', () => {
    const plain = notReadyAfterPowerOff(file, {});
    expect(plain).toBeGreaterThanOrEqual(30);
    expect(plain).toBeLessThanOrEqual(50);
    const slower = notReadyAfterPowerOff(file, { set: collectSetting('node-monitor-grace-period=2m') });
    expect(slower).toBeGreaterThanOrEqual(110);
    expect(slower).toBeLessThanOrEqual(130);
    // With --profile too: 1.28 keeps the 40 s default, --set still goes over it.
    const on128 = notReadyAfterPowerOff(file, { profile: parseProfileFlag('1.28'), set: collectSetting('node-monitor-grace-period=2m') });
    expect(on128).toBeGreaterThanOrEqual(110);
    expect(on128).toBeLessThanOrEqual(130);
  });

  it('goes over the scenario\'s own overrides', () => {
    // The seed scenario with a 2 min grace period in its overrides, beside its cassandra.yaml.
    const dir = mkdtempSync(join(tmpdir(), 'failsim-set-'));
    const overridden = join(dir, 'overridden.yaml');
    writeFileSync(overridden, readFileSync(file, 'utf8').replace('storage: vcp\n', 'storage: vcp\noverrides:\n  options: { nodeMonitorGracePeriod: 2m }\n'));
    copyFileSync(join(dirname(file), 'cassandra.yaml'), join(dir, 'cassandra.yaml'));
    expect(notReadyAfterPowerOff(overridden, {})).toBeGreaterThanOrEqual(110);
    const back = notReadyAfterPowerOff(overridden, { set: collectSetting('node-monitor-grace-period=40s') });
    expect(back).toBeGreaterThanOrEqual(30);
    expect(back).toBeLessThanOrEqual(50);
  });
});
