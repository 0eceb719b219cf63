// faultScenarioArbitrary: every sample is a valid scenario file within issue 7's bounds,
// whose steps name only nodes, pods and claims the file creates.
import { describe, expect, it } from '@jest/globals';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { asScenarioFile, GENERATED_PROFILES } from './generated-scenario.js';
import { loadScenarioText } from './run-generated.js';
import { claimsOf, csiAllowed, faultScenarioArbitrary, namedPods } from './scenario-arbitrary.js';

describe('faultScenarioArbitrary', () => {
  const samples = fc.sample(faultScenarioArbitrary(), { numRuns: 300, seed: 42 });

  it('prints files that parse', () => {
    for (const s of samples) {
      const loaded = loadScenarioText(asScenarioFile(s));
      if (E.isLeft(loaded)) throw new Error(`${loaded.left}\n${asScenarioFile(s)}`);
    }
  });

  it('stays within 1–10 workers, 1–3 hosts, two hours; CSI only on 1.28+; every profile and plugin occurs', () => {
    for (const s of samples) {
      expect(s.workers).toBeGreaterThanOrEqual(1);
      expect(s.workers).toBeLessThanOrEqual(10);
      expect(s.hosts).toBeGreaterThanOrEqual(1);
      expect(s.hosts).toBeLessThanOrEqual(3);
      expect(s.until).toBe(7200);
      for (const st of s.steps) expect(st.at).toBeLessThan(7200);
      if (s.storage === 'csi') expect(csiAllowed(s.profile)).toBe(true);
    }
    expect(new Set(samples.map((s) => s.profile))).toEqual(new Set(GENERATED_PROFILES));
    expect(new Set(samples.map((s) => s.storage))).toEqual(new Set(['vcp', 'csi']));
    expect(new Set(samples.map((s) => s.workers)).size).toBe(10);
  });

  it('writes the data once each StatefulSet runs, then the faults in time order', () => {
    for (const s of samples) {
      const sts = s.workloads.filter((w) => w.kind === 'statefulset');
      const writes = s.steps.slice(0, sts.length);
      expect(writes.map((w) => w.when)).toEqual(sts.map((w) => `pod/apps/${w.name}-0 is Running`));
      const faults = s.steps.slice(sts.length).map((f) => f.at);
      expect(faults).toEqual([...faults].sort((a, b) => a - b));
    }
  });

  it('names only its own workers, pods and claims, and covers every command of issue 7', () => {
    const seen = new Set<string>();
    for (const s of samples) {
      const pods = new Set(s.workloads.flatMap(namedPods));
      const claims = new Set(s.workloads.flatMap(claimsOf));
      for (const st of s.steps) {
        for (const m of st.run.matchAll(/worker-(\d+)/g)) expect(Number(m[1])).toBeLessThan(s.workers);
        for (const m of st.run.matchAll(/pod (?:apps\/)?([a-z0-9-]+)(?= -n| }})/g)) expect(pods.has(m[1]!)).toBe(true);
        for (const m of st.run.matchAll(/pvc apps\/([a-z0-9-]+)/g)) expect(claims.has(m[1]!)).toBe(true);
        seen.add(st.run.replace(/ (worker-\d+|\{\{.*\}\}|[a-z]+\d+(-\d+)?)( |$).*/, ''));
      }
    }
    expect([...seen].sort()).toEqual(expect.arrayContaining([
      'bosh -d service-instance_prop cck --resolution reboot_vm', 'govc device.remove -vm', 'govc vm.power -off', 'govc vm.power -on', 'heal node', 'kubectl cordon',
      'kubectl delete node', 'kubectl delete pod', 'kubectl drain', 'kubectl exec', 'kubectl taint nodes', 'kubectl uncordon', 'partition node', 'restart-kubelet node',
    ]));
  });

  it('honours smaller bounds', () => {
    for (const s of fc.sample(faultScenarioArbitrary({ maxWorkers: 2, maxWorkloads: 1, maxFaults: 3, horizonSeconds: 600 }), { numRuns: 50, seed: 1 })) {
      expect(s.workers).toBeLessThanOrEqual(2);
      expect(s.workloads).toHaveLength(1);
      expect(s.steps.filter((st) => st.when === undefined).length).toBeLessThanOrEqual(3);
      expect(s.until).toBe(600);
    }
  });
});
