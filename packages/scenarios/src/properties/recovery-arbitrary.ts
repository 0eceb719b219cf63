// fast-check arbitrary of "one fault, then the full repair" scenarios for the recovery
// property (issue 7): a StatefulSet whose first pod writes a Cassandra row, one fault, the
// repair a person does — power the VM back on, heal the network, uncordon — and, after a
// power-off, the manual remedy the profile needs (kubernetes-node-failure.md §9; storage
// reference §10): before 1.28 `kubectl delete node` (the only way to release a pod stuck
// Terminating/Unknown on 1.12–1.18), on 1.28+ the out-of-service taint (KEP-2268, §7.2),
// then `govc device.remove -keep` of the claims' disks still in the old VM (§9: a VM
// holding another node's VMDK cannot power on) and the VM back on by govc or `bosh cck`
// Reboot VM. The file's expectations state the property, so a counter-example is a
// scenario whose failed expectations say what did not recover.
import type { VersionProfile } from '@failsim/controllers';
import { findProfile } from '@failsim/controllers';
import * as fc from 'fast-check';
import {
  CQL_READ, CQL_VALUE, GENERATED_DEPLOYMENT, GENERATED_NAMESPACE, GENERATED_PROFILES, goDuration, printable, workerName,
  type GeneratedProfile, type GeneratedScenario, type GeneratedStep, type GeneratedWorkload,
} from './generated-scenario.js';
import { csiAllowed, dataSteps, OUT_OF_SERVICE } from './scenario-arbitrary.js';

/** The faults the recovery property repairs. */
export type RecoveryFault = 'poweroff-poweron' | 'poweroff-remedy' | 'partition-heal' | 'drain-uncordon' | 'cordon-uncordon' | 'restart-kubelet';

/** The StatefulSet every recovery scenario runs. */
export const RECOVERY_STATEFULSET = 'db0';

/** The id of the last repair step: the bound counts from its start. */
export const REPAIRED_STEP = 'repaired';

/** The id of the step that reads the row back once the bound has passed; `held` counts from it. */
export const SETTLED_STEP = 'settled';

/** How long the pods must stay Running after the bound (seconds). */
export const HELD_SECONDS = 600;

/**
 * The recovery bound of a profile, in seconds: once the last repair step has run, every
 * StatefulSet pod is Running with its data within it.
 *
 * Where it comes from (kubernetes-node-failure.md §9.1–§9.3, storage reference §10):
 * - maxWaitForUnmountDuration (6 min): a pod re-created while its old node has not
 *   confirmed the unmount waits for the attach/detach controller's force detach, counted
 *   from the old pod's deletion — at worst from the last repair step;
 * - podAttachAndMountTimeout (2 min 3 s): the kubelet's wait for the volume, whose
 *   FailedMount retries run with the volume manager's exponential backoff (at most
 *   2 min 2 s between two tries, nestedpendingoperations.go), so a volume that becomes
 *   attachable is mounted at most one backoff later;
 * - nodeMonitorGracePeriod (40 s, 50 s on 1.32) plus one 5 s monitor tick: a node that
 *   came back is seen Ready, its taints lifted, before the pod can be scheduled there;
 * - 2 min for the rest: a VM's power-on and boot (26 s + 45 s, README "VsphereCpi"), the
 *   StatefulSet's re-creation and the attach/mount latencies of §10.2 (seconds each).
 */
export const recoveryBoundSeconds = (profile: VersionProfile): number =>
  Math.ceil((profile.options.maxWaitForUnmountDuration + profile.options.podAttachAndMountTimeout + profile.options.nodeMonitorGracePeriod + 5_000) / 1000) + 120;

const profileOf = (name: GeneratedProfile): VersionProfile => {
  const profile = findProfile(name);
  if (profile === undefined) throw new Error(`failsim has no profile ${name}`);
  return profile;
};

/** The repair a person does after `fault` on `node` (a literal worker) for pod `pod`, as steps after the fault. */
const faultSteps = (fault: RecoveryFault, profile: GeneratedProfile, node: string, claims: readonly string[], delays: readonly number[], cck: boolean): GeneratedStep[] => {
  const ns = GENERATED_NAMESPACE;
  const pod = `${RECOVERY_STATEFULSET}-0`;
  const [d1 = 60, d2 = 60] = delays;
  const step = (id: string, after: number, run: string): GeneratedStep => ({ id, at: 0, after, run });
  switch (fault) {
    case 'poweroff-poweron':
      // The pod stays bound to its node until the node is back, so the reference resolves both times.
      return [step('fault', 60, `govc vm.power -off {{ vm of pod ${ns}/${pod} }}`), step(REPAIRED_STEP, d1, `govc vm.power -on {{ vm of pod ${ns}/${pod} }}`)];
    case 'partition-heal':
      return [step('fault', 60, `partition node {{ node of pod ${ns}/${pod} }}`), step(REPAIRED_STEP, d1, `heal node {{ node of pod ${ns}/${pod} }}`)];
    case 'restart-kubelet':
      return [step(REPAIRED_STEP, 60, `restart-kubelet node {{ node of pod ${ns}/${pod} }}`)];
    case 'cordon-uncordon':
      return [step('fault', 60, `kubectl cordon ${node}`), step(REPAIRED_STEP, d1, `kubectl uncordon ${node}`)];
    case 'drain-uncordon':
      return [step('fault', 60, `kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data --force --timeout=5m`), step(REPAIRED_STEP, d1, `kubectl uncordon ${node}`)];
    case 'poweroff-remedy': {
      const modern = profile === '1.28' || profile === '1.32';
      const steps: GeneratedStep[] = [
        step('fault', 60, `govc vm.power -off ${node}`),
        // The remedy once the VM is known to be off (§9.1 exit A before 1.28, §9.3 on 1.28+).
        step('remedy', d1, modern ? `kubectl taint nodes ${node} ${OUT_OF_SERVICE}` : `kubectl delete node ${node}`),
        // The disks the old VM still lists (before 1.28 the detach never reaches a deleted node's VM):
        // a step whose reference does not resolve (the VM does not hold that disk) changes nothing.
        ...claims.map((c, i) => step(`keep-${i}`, i === 0 ? d2 : 5, `govc device.remove -vm ${node} -keep {{ disk of pvc ${ns}/${c} on vm ${node} }}`)),
      ];
      const powerOn = cck ? `bosh -d ${GENERATED_DEPLOYMENT} cck --resolution reboot_vm` : `govc vm.power -on ${node}`;
      if (!modern) return [...steps, step(REPAIRED_STEP, 60, powerOn)];
      return [...steps, step('power-on', 60, powerOn), step(REPAIRED_STEP, 120, `kubectl taint nodes ${node} ${OUT_OF_SERVICE}-`)];
    }
  }
};

/**
 * "One fault, then the full repair": 1–3 workers on 1–3 hosts, StatefulSet `db0` (1–2
 * replicas, a PV each; `db0-0` writes a row once Running), sometimes a Deployment beside it,
 * any profile and plugin, one {@link RecoveryFault} and its repair with random delays (the
 * remedy 2–15 min after a power-off, the disk removal 8–20 min after the remedy so the pod
 * has moved). Expectations: every `db0-<i>` Running within {@link recoveryBoundSeconds} of
 * the `repaired` step and still Running, without a break, for {@link HELD_SECONDS} from
 * the `settled` step (which runs one bound after `repaired`); the row readable within the bound.
 */
export const recoveryScenarioArbitrary = (): fc.Arbitrary<GeneratedScenario> =>
  fc
    .record({
      profile: fc.constantFrom(...GENERATED_PROFILES),
      workers: fc.integer({ min: 1, max: 3 }),
      hosts: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
      fault: fc.constantFrom<RecoveryFault>('poweroff-poweron', 'poweroff-remedy', 'partition-heal', 'drain-uncordon', 'cordon-uncordon', 'restart-kubelet'),
      cck: fc.boolean(),
      withDeployment: fc.boolean(),
      csi: fc.boolean(),
    })
    .chain((base) =>
      fc.record({
        replicas: fc.integer({ min: 1, max: Math.min(2, base.workers) }),
        node: fc.integer({ min: 0, max: base.workers - 1 }).map(workerName),
        delays: fc.tuple(
          base.fault === 'poweroff-remedy' ? fc.integer({ min: 120, max: 900 }) : fc.integer({ min: 30, max: 1800 }),
          fc.integer({ min: 480, max: 1200 }),
        ),
      }).map(({ replicas, node, delays }) => {
        const storage = base.csi && csiAllowed(base.profile) ? ('csi' as const) : ('vcp' as const);
        const workloads: GeneratedWorkload[] = [
          { kind: 'statefulset', name: RECOVERY_STATEFULSET, replicas },
          ...(base.withDeployment ? [{ kind: 'deployment' as const, name: 'web1', replicas: 1 }] : []),
        ];
        const claims = Array.from({ length: replicas }, (_, i) => `data-${RECOVERY_STATEFULSET}-${i}`);
        const boundSeconds = recoveryBoundSeconds(profileOf(base.profile));
        const bound = goDuration(boundSeconds);
        const pods = Array.from({ length: replicas }, (_, i) => `pod/${GENERATED_NAMESPACE}/${RECOVERY_STATEFULSET}-${i}`);
        return printable({
          name: `recover-${base.fault}-${base.profile.replace('.', '-')}`,
          title: `${base.fault} on ${base.workers} worker(s), then the full repair (${base.profile} ${storage})`,
          profile: base.profile, storage, workers: base.workers, hosts: base.hosts, workloads, seed: base.seed,
          steps: [
            ...dataSteps(workloads),
            ...faultSteps(base.fault, base.profile, node, claims, delays, base.cck),
            { id: SETTLED_STEP, at: 0, after: boundSeconds, run: `kubectl exec ${RECOVERY_STATEFULSET}-0 -n ${GENERATED_NAMESPACE} -- cqlsh -e "${CQL_READ}"` },
          ],
          expectations: [
            ...pods.map((object) => ({ state: { object, status: 'Running', within: bound, after: REPAIRED_STEP } })),
            ...pods.map((object) => ({ held: { object, status: 'Running', for: goDuration(HELD_SECONDS), after: SETTLED_STEP } })),
            { data: { pod: `${GENERATED_NAMESPACE}/${RECOVERY_STATEFULSET}-0`, query: CQL_READ, contains: CQL_VALUE, after: REPAIRED_STEP, within: bound } },
          ],
        });
      }),
    );
