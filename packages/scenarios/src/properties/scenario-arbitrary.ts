// fast-check arbitraries of whole scenario files (issue 7, "Property-based tests"): random
// clusters, workloads, profiles, storage plugins and fault/operator sequences over two
// simulated hours. Models no upstream file. Every step names objects that exist when the
// scenario starts or goes through a `{{ … }}` reference; a step that cannot run (a node
// already deleted, a reference that no longer resolves) is an outcome the runner records,
// never an invariant break, so the generator does not try to avoid it.
import * as fc from 'fast-check';
import {
  CQL_WRITE, GENERATED_DEPLOYMENT, GENERATED_NAMESPACE, GENERATED_PROFILES, printable, workerName,
  type GeneratedProfile, type GeneratedScenario, type GeneratedStep, type GeneratedWorkload,
} from './generated-scenario.js';

/** Bounds of {@link faultScenarioArbitrary}. */
export interface FaultScenarioBounds {
  /** Most worker nodes (default 10, issue 7's upper bound). */
  readonly maxWorkers?: number;
  /** Most workloads (default 4). */
  readonly maxWorkloads?: number;
  /** Most fault and operator steps (default 12). */
  readonly maxFaults?: number;
  /** The faults land in [0, horizon) seconds; the run lasts until horizon (default 7200: two hours). */
  readonly horizonSeconds?: number;
}

/** The taint of the non-graceful node shutdown (KEP-2268), as `kubectl taint` writes it. */
export const OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute';

/** Whether a profile's CSI driver is modelled: the csi StorageClass is generated on 1.28 and later. */
export const csiAllowed = (profile: GeneratedProfile): boolean => profile === '1.28' || profile === '1.32';

const profileArb = fc.constantFrom(...GENERATED_PROFILES);
const storageArb = (profile: GeneratedProfile): fc.Arbitrary<'vcp' | 'csi'> => (csiAllowed(profile) ? fc.constantFrom('vcp' as const, 'csi' as const) : fc.constant('vcp' as const));

/** Pods a workload creates under a name a step can write (Deployment pods have generated names). */
export const namedPods = (w: GeneratedWorkload): string[] =>
  w.kind === 'statefulset' ? Array.from({ length: w.replicas }, (_, i) => `${w.name}-${i}`) : w.kind === 'pod' ? [w.name] : [];

/** PVCs a workload creates. */
export const claimsOf = (w: GeneratedWorkload): string[] =>
  w.kind === 'statefulset' ? Array.from({ length: w.replicas }, (_, i) => `data-${w.name}-${i}`) : w.kind === 'pod' && w.withClaim ? [`${w.name}-data`] : [];

const workloadArb = (index: number, maxReplicas: number): fc.Arbitrary<GeneratedWorkload> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: maxReplicas }).map((replicas): GeneratedWorkload => ({ kind: 'statefulset', name: `db${index}`, replicas })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: maxReplicas }).map((replicas): GeneratedWorkload => ({ kind: 'deployment', name: `web${index}`, replicas })) },
    { weight: 1, arbitrary: fc.boolean().map((withClaim): GeneratedWorkload => ({ kind: 'pod', name: `solo${index}`, withClaim })) },
  );

/** Workloads 0 … n-1, each named after its index so names never collide. */
const workloadsArb = (count: { min: number; max: number }, maxReplicas: number): fc.Arbitrary<GeneratedWorkload[]> =>
  fc.integer(count).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => workloadArb(i, maxReplicas))));

/**
 * The first steps of a scenario with StatefulSets: once `<sts>-0` is Running, write the
 * article's Cassandra row through cqlsh (the data the invariants and the recovery follow).
 */
export const dataSteps = (workloads: readonly GeneratedWorkload[]): GeneratedStep[] =>
  workloads.filter((w) => w.kind === 'statefulset').map((w) => ({
    id: `write-${w.name}`,
    at: 0,
    when: `pod/${GENERATED_NAMESPACE}/${w.name}-0 is Running`,
    run: `kubectl exec ${w.name}-0 -n ${GENERATED_NAMESPACE} -- cqlsh -e "${CQL_WRITE}"`,
  }));

/** One fault or operator command against the cluster (issue 7's list), as a command line. */
const commandArb = (workers: number, workloads: readonly GeneratedWorkload[]): fc.Arbitrary<string> => {
  const node = fc.integer({ min: 0, max: workers - 1 }).map(workerName);
  const pods = workloads.flatMap(namedPods);
  const claims = workloads.flatMap(claimsOf);
  const ns = GENERATED_NAMESPACE;
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 3, arbitrary: node.map((n) => `govc vm.power -off ${n}`) },
    { weight: 3, arbitrary: node.map((n) => `govc vm.power -on ${n}`) },
    { weight: 2, arbitrary: node.map((n) => `partition node ${n}`) },
    { weight: 2, arbitrary: node.map((n) => `heal node ${n}`) },
    { weight: 1, arbitrary: node.map((n) => `kubectl delete node ${n}`) },
    { weight: 1, arbitrary: fc.tuple(node, fc.boolean()).map(([n, noEviction]) => `kubectl drain ${n} --ignore-daemonsets --delete-emptydir-data --force${noEviction ? ' --disable-eviction' : ''} --timeout=5m`) },
    { weight: 1, arbitrary: node.map((n) => `kubectl cordon ${n}`) },
    { weight: 1, arbitrary: node.map((n) => `kubectl uncordon ${n}`) },
    { weight: 1, arbitrary: node.map((n) => `kubectl taint nodes ${n} ${OUT_OF_SERVICE}`) },
    { weight: 1, arbitrary: node.map((n) => `kubectl taint nodes ${n} ${OUT_OF_SERVICE}-`) },
    { weight: 1, arbitrary: node.map((n) => `restart-kubelet node ${n}`) },
    { weight: 1, arbitrary: fc.constant(`bosh -d ${GENERATED_DEPLOYMENT} cck --resolution reboot_vm`) },
  ];
  if (pods.length > 0) {
    const pod = fc.constantFrom(...pods);
    options.push({ weight: 2, arbitrary: pod.map((p) => `kubectl delete pod ${p} -n ${ns} --force --grace-period=0`) });
    // The VM of a pod's node: what an operator targets after `kubectl get pod -o wide`.
    options.push({ weight: 1, arbitrary: pod.map((p) => `govc vm.power -off {{ vm of pod ${ns}/${p} }}`) });
    options.push({ weight: 1, arbitrary: pod.map((p) => `partition node {{ node of pod ${ns}/${p} }}`) });
  }
  if (claims.length > 0)
    options.push({ weight: 2, arbitrary: fc.tuple(node, fc.constantFrom(...claims)).map(([n, c]) => `govc device.remove -vm ${n} -keep {{ disk of pvc ${ns}/${c} on vm ${n} }}`) });
  return fc.oneof(...options);
};

const seedArb = fc.integer({ min: 1, max: 1_000_000 });

/**
 * Random scenarios for the invariant and determinism properties: 1–`maxWorkers` workers on
 * 1–3 ESXi hosts, one to `maxWorkloads` workloads (StatefulSets with PVs that write a
 * Cassandra row once Running, Deployments, standalone Pods with or without a claim), any
 * profile (CSI on 1.28+), and up to `maxFaults` faults and operator commands at random
 * seconds of the horizon, in time order. Each value prints as its scenario file.
 */
export const faultScenarioArbitrary = (bounds: FaultScenarioBounds = {}): fc.Arbitrary<GeneratedScenario> => {
  const horizon = bounds.horizonSeconds ?? 7200;
  return fc
    .record({
      profile: profileArb,
      workers: fc.integer({ min: 1, max: bounds.maxWorkers ?? 10 }),
      hosts: fc.integer({ min: 1, max: 3 }),
      seed: seedArb,
    })
    .chain(({ profile, workers, hosts, seed }) =>
      fc.record({
        storage: storageArb(profile),
        workloads: workloadsArb({ min: 1, max: bounds.maxWorkloads ?? 4 }, Math.min(3, workers)),
      }).chain(({ storage, workloads }) =>
        fc.array(fc.tuple(fc.integer({ min: 0, max: horizon - 1 }), commandArb(workers, workloads)), { minLength: 1, maxLength: bounds.maxFaults ?? 12 }).map((faults) => {
          const sorted = [...faults].sort((a, b) => a[0] - b[0]);
          const steps: GeneratedStep[] = [...dataSteps(workloads), ...sorted.map(([at, run], i) => ({ id: `f${i + 1}`, at, run }))];
          return printable({
            name: `prop-${profile.replace('.', '-')}-${storage}-w${workers}`,
            title: `Random faults on ${workers} worker(s), ${hosts} host(s), ${profile} ${storage}`,
            profile, storage, workers, hosts, workloads, steps, expectations: [], seed, until: horizon,
          });
        }),
      ),
    );
};
