// The shape of a generated scenario and how it prints as a scenario file (README "Scenario
// format"). Models no upstream file: fast-check generates these values, and because every
// one prints as the YAML a user would write, a shrunk counter-example IS a scenario file
// that `failsim run` reproduces (issue 7, "A shrunk counter-example prints as a scenario
// file that reproduces it").
import * as fc from 'fast-check';
import { Document, isScalar, visit } from 'yaml';

/** The profiles failsim has (findProfile); CSI storage needs 1.28 or later. */
export const GENERATED_PROFILES = ['1.12', '1.14', '1.18', '1.28', '1.32'] as const;

/** A profile name of {@link GENERATED_PROFILES}. */
export type GeneratedProfile = (typeof GENERATED_PROFILES)[number];

/** The namespace every generated workload lives in. */
export const GENERATED_NAMESPACE = 'apps';

/** The BOSH deployment of every generated cluster (`bosh -d … cck`). */
export const GENERATED_DEPLOYMENT = 'service-instance_prop';

/** The StorageClass every generated claim names. */
export const GENERATED_STORAGE_CLASS = 'sc';

/** A workload of a generated scenario. */
export type GeneratedWorkload =
  /** A StatefulSet `name` with one claim template `data` per replica (PVC `data-<name>-<i>`). */
  | { readonly kind: 'statefulset'; readonly name: string; readonly replicas: number }
  /** A Deployment without volumes. */
  | { readonly kind: 'deployment'; readonly name: string; readonly replicas: number }
  /** A Pod without a controller, with a PVC `<name>-data` when `withClaim`. */
  | { readonly kind: 'pod'; readonly name: string; readonly withClaim: boolean };

/** One step: its id, when (`at` seconds from the start, or a `when` condition) and its command line. */
export interface GeneratedStep {
  readonly id: string;
  /** Seconds from the scenario start (`at:`); ignored when `when` or `after` is set. */
  readonly at: number;
  /** Seconds after the previous step ended (`after:`), instead of `at`. */
  readonly after?: number;
  /** `"<object> is <Status>"` with a timeout of 10 minutes, instead of `at`. */
  readonly when?: string;
  readonly run: string;
}

/** A generated scenario: everything its file says, as plain data. */
export interface GeneratedScenario {
  /** metadata.name. */
  readonly name: string;
  /** metadata.title: says what the generator meant to exercise. */
  readonly title: string;
  readonly profile: GeneratedProfile;
  readonly storage: 'vcp' | 'csi';
  /** Worker nodes `worker-0` … (VM = node name), beside a control-plane `master-0`. */
  readonly workers: number;
  /** ESXi hosts `esxi-01` …; workers are placed round-robin. */
  readonly hosts: number;
  readonly workloads: readonly GeneratedWorkload[];
  readonly steps: readonly GeneratedStep[];
  /** Expectations, as the file writes them (one-key objects). */
  readonly expectations: readonly Record<string, Record<string, unknown>>[];
  readonly seed: number;
  /** End of the run, seconds from the start; without it the run ends when every expectation is decided. */
  readonly until?: number;
}

/** The keyspace, table and row a StatefulSet's `-0` pod writes once Running, as the article's Cassandra does. */
export const CQL_WRITE =
  "CREATE KEYSPACE demo WITH REPLICATION = { 'class' : 'SimpleStrategy', 'replication_factor' : 1 }; CREATE TABLE demo.emp (emp_id int PRIMARY KEY, emp_name text); INSERT INTO demo.emp (emp_id, emp_name) VALUES (1, 'Cormac')";
/** The read that finds {@link CQL_WRITE}'s row. */
export const CQL_READ = 'SELECT * FROM demo.emp';
/** The value {@link CQL_READ} must print. */
export const CQL_VALUE = 'Cormac';

/** `worker-<i>`. */
export const workerName = (i: number): string => `worker-${i}`;
/** `esxi-0<i+1>`. */
export const hostName = (i: number): string => `esxi-${String(i + 1).padStart(2, '0')}`;

const CASSANDRA_IMAGE = 'harbor.rainpole.com/library/cassandra:v11';

const claimSpec = { accessModes: ['ReadWriteOnce'], storageClassName: GENERATED_STORAGE_CLASS, resources: { requests: { storage: '1Gi' } } };

/** The manifests of a workload, as a user would write them inline. */
const manifestsOf = (w: GeneratedWorkload): Record<string, unknown>[] => {
  const metadata = { name: w.name, namespace: GENERATED_NAMESPACE };
  const labels = { app: w.name };
  switch (w.kind) {
    case 'statefulset':
      return [{
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata,
        spec: {
          serviceName: w.name, replicas: w.replicas, selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'cassandra', image: CASSANDRA_IMAGE, volumeMounts: [{ name: 'data', mountPath: '/cassandra_data' }] }] },
          },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: claimSpec }],
        },
      }];
    case 'deployment':
      return [{
        apiVersion: 'apps/v1', kind: 'Deployment', metadata,
        spec: { replicas: w.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.15' }] } } },
      }];
    case 'pod':
      return [
        ...(w.withClaim ? [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `${w.name}-data`, namespace: GENERATED_NAMESPACE }, spec: claimSpec }] : []),
        {
          apiVersion: 'v1', kind: 'Pod', metadata,
          spec: {
            terminationGracePeriodSeconds: 30,
            containers: [{ name: 'cassandra', image: CASSANDRA_IMAGE, ...(w.withClaim ? { volumeMounts: [{ name: 'data', mountPath: '/cassandra_data' }] } : {}) }],
            ...(w.withClaim ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `${w.name}-data` } }] } : {}),
          },
        },
      ];
  }
};

/** The StorageClass of the scenario's plugin: the in-tree provider (VCP) or the vSphere CSI driver. */
const storageClass = (storage: GeneratedScenario['storage']): Record<string, unknown> =>
  storage === 'vcp'
    ? { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: GENERATED_STORAGE_CLASS }, provisioner: 'kubernetes.io/vsphere-volume', parameters: { datastore: 'vsanDatastore' } }
    : { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: GENERATED_STORAGE_CLASS }, provisioner: 'csi.vsphere.vmware.com' };

/** Go-style duration of whole seconds (`1h2m3s`, `0s`). */
export const goDuration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const text = `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${r > 0 ? `${r}s` : ''}`;
  return text === '' ? '0s' : text;
};

/** The scenario document as plain data, in the field order of the library's files. */
const documentOf = (s: GeneratedScenario): Record<string, unknown> => ({
  metadata: { name: s.name, title: s.title },
  profile: s.profile,
  storage: s.storage,
  cluster: {
    nodes: [
      { name: 'master-0', role: 'control-plane', zone: 'az1' },
      ...Array.from({ length: s.workers }, (_, i) => ({ name: workerName(i), role: 'worker', zone: 'az1', host: hostName(i % s.hosts) })),
    ],
    vsphere: { hosts: Array.from({ length: s.hosts }, (_, i) => hostName(i)), datastores: [{ name: 'vsanDatastore' }] },
    bosh: { deployment: GENERATED_DEPLOYMENT },
  },
  resources: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: GENERATED_NAMESPACE } },
    storageClass(s.storage),
    ...s.workloads.flatMap(manifestsOf),
  ],
  steps: s.steps.map((step) =>
    step.when !== undefined
      ? { id: step.id, when: step.when, timeout: '10m', run: step.run }
      : step.after !== undefined
        ? { id: step.id, after: goDuration(step.after), run: step.run }
        : { id: step.id, at: goDuration(step.at), run: step.run },
  ),
  ...(s.expectations.length > 0 ? { expectations: s.expectations } : {}),
  seed: s.seed,
  ...(s.until === undefined ? {} : { until: goDuration(s.until) }),
});

/** Short mappings and lists of scalars print on one line (`{ name: worker-0, role: worker }`), as the library writes them. */
const flowLeaves = (doc: Document): void => {
  visit(doc, {
    Map: (_, node) => {
      if (node.items.length <= 4 && node.items.every((p) => isScalar(p.value) && String(p.value.value).length < 40)) node.flow = true;
    },
    Seq: (_, node) => {
      if (node.items.every((i) => isScalar(i) && String(i.value).length < 30)) node.flow = true;
    },
  });
};

/**
 * Prints a generated scenario as the YAML file that reproduces it: save the text as
 * `x.yaml` and run `failsim run x.yaml` (or parseScenario + runScenario).
 * @example asScenarioFile(scenario).startsWith('# Generated by failsim') // true
 */
export const asScenarioFile = (s: GeneratedScenario): string => {
    const doc = new Document(documentOf(s), { aliasDuplicateObjects: false });
    flowLeaves(doc);
    return `# Generated by failsim's property tests (packages/scenarios/src/properties).\n${doc.toString({ lineWidth: 0, flowCollectionPadding: true })}`;
  };

/**
 * Gives a generated scenario fast-check's printed form: its scenario file, so a failing
 * property's report shows the YAML to save and run rather than a JSON dump.
 */
export const printable = (s: GeneratedScenario): GeneratedScenario =>
  Object.defineProperty({ ...s }, fc.toStringMethod, { value: () => `\n${asScenarioFile(s)}`, enumerable: false });
