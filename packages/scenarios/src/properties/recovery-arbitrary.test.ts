// recoveryScenarioArbitrary and the recovery bound: each fault gets the repair its profile
// needs, and the bound is the sum the comment derives.
import { findProfile } from '@failsim/controllers';
import { describe, expect, it } from '@jest/globals';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { asScenarioFile } from './generated-scenario.js';
import { recoveryBoundSeconds, recoveryScenarioArbitrary, REPAIRED_STEP, SETTLED_STEP } from './recovery-arbitrary.js';
import { loadScenarioText } from './run-generated.js';

describe('recoveryBoundSeconds', () => {
  it('is maxWaitForUnmountDuration + podAttachAndMountTimeout + grace + 5 s tick + 2 min', () => {
    // 360 + 123 + 40 + 5 + 120 on 1.12 … 1.28; nodeMonitorGracePeriod is 50 s on 1.32.
    expect(['1.12', '1.14', '1.18', '1.28', '1.32'].map((p) => recoveryBoundSeconds(findProfile(p)!))).toEqual([648, 648, 648, 648, 658]);
  });
});

describe('recoveryScenarioArbitrary', () => {
  const samples = fc.sample(recoveryScenarioArbitrary(), { numRuns: 200, seed: 5 });

  it('prints files that parse, ending with repaired then settled one bound later', () => {
    for (const s of samples) {
      const loaded = loadScenarioText(asScenarioFile(s));
      if (E.isLeft(loaded)) throw new Error(loaded.left);
      const ids = s.steps.map((st) => st.id);
      expect(ids.slice(-2)).toEqual([REPAIRED_STEP, SETTLED_STEP]);
      expect(s.steps.at(-1)!.after).toBe(recoveryBoundSeconds(findProfile(s.profile)!));
      expect(s.until).toBeUndefined();
    }
  });

  it('repairs a power-off with the profile remedy: delete node before 1.28, the out-of-service taint after (removed last)', () => {
    const remedied = samples.filter((s) => s.title.startsWith('poweroff-remedy'));
    expect(remedied.length).toBeGreaterThan(10);
    for (const s of remedied) {
      const runs = s.steps.map((st) => st.run);
      const modern = s.profile === '1.28' || s.profile === '1.32';
      expect(runs.some((r) => r.startsWith(modern ? 'kubectl taint nodes' : 'kubectl delete node'))).toBe(true);
      expect(runs.some((r) => r.startsWith('govc device.remove') && r.includes('-keep'))).toBe(true);
      expect(runs.some((r) => r.startsWith('govc vm.power -on') || r.includes('cck --resolution reboot_vm'))).toBe(true);
      if (modern) expect(s.steps.find((st) => st.id === REPAIRED_STEP)!.run).toMatch(/out-of-service=nodeshutdown:NoExecute-$/);
    }
  });

  it('states the property as expectations: Running within the bound, held, data back', () => {
    const s = samples.find((x) => x.workloads.some((w) => w.kind === 'statefulset' && w.replicas === 2))!;
    expect(s.expectations.map((e) => Object.keys(e)[0])).toEqual(['state', 'state', 'held', 'held', 'data']);
    expect(s.expectations[4]).toEqual({ data: expect.objectContaining({ pod: 'apps/db0-0', contains: 'Cormac', after: REPAIRED_STEP }) });
  });
});
