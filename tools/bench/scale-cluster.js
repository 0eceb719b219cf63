// Generator of the large clusters of the scale benchmark (issue 8): N worker nodes in three
// zones inside a simulated vSphere (vsphereCluster, so StatefulSets get real VCP volumes),
// and the workloads that put 30 Pods on each node — 10% in StatefulSets with a vSphere
// PersistentVolume each, the rest in Deployments and DaemonSets. Pure data plus one call
// to vsphereCluster; scale-run.js drives it. Prints nothing, asserts nothing.
import { vsphereCluster } from '@failsim/vsphere';

/** The three zones, as topology.kubernetes.io/zone values. */
export const ZONES = ['zone-a', 'zone-b', 'zone-c'];
/** Pods per node, as the issue sets it. */
export const PODS_PER_NODE = 30;
/** Per node: 3 StatefulSet Pods (10%), 4 DaemonSet Pods (kube-proxy, flannel and two below), 23 Deployment Pods. */
const STATEFUL_PER_NODE = 3;
const DEPLOYMENT_PER_NODE = 23;
/** Replicas of each generated Deployment and StatefulSet. */
const DEPLOYMENT_REPLICAS = 115;
const STATEFULSET_REPLICAS = 3;
const NAMESPACE = 'bench';
/** The datastore of the benchmark's volumes: vsphereCluster's default one holds 4 TiB, too small for 3 disks a node at 5,000 nodes. */
export const BENCH_DATASTORE = 'benchDatastore';

const pad = (i, n) => String(i).padStart(String(n).length, '0');

/** The node specs: `w-00001`… spread round-robin over the zones, plus one control-plane node in zone-a. */
export const scaleNodes = (n) => [
  { name: 'master-0', role: 'control-plane', zone: ZONES[0] },
  ...Array.from({ length: n }, (_, i) => ({ name: `w-${pad(i + 1, n)}`, role: 'worker', zone: ZONES[i % ZONES.length] })),
];

const template = (app, extra = {}) => ({
  metadata: { labels: { app } },
  spec: { terminationGracePeriodSeconds: 30, containers: [{ name: app, image: `registry.local/${app}:1.0`, ...extra }] },
});

/** The workload manifests for N workers (kubectl apply order): namespace, StorageClass, DaemonSets, Deployments, StatefulSets. */
export const scaleWorkloads = (n) => {
  const manifests = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'bench-sc' },
      provisioner: 'kubernetes.io/vsphere-volume',
      parameters: { datastore: BENCH_DATASTORE, storagePolicyName: 'raid-1' },
    },
  ];
  // Two DaemonSets of our own; kube-system brings kube-proxy and flannel.
  for (const app of ['node-exporter', 'log-agent']) {
    manifests.push({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: app, namespace: NAMESPACE },
      spec: { selector: { matchLabels: { app } }, template: template(app) },
    });
  }
  let deploymentPods = DEPLOYMENT_PER_NODE * n;
  for (let d = 0; deploymentPods > 0; d++) {
    const replicas = Math.min(DEPLOYMENT_REPLICAS, deploymentPods);
    deploymentPods -= replicas;
    const app = `web-${d}`;
    manifests.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: NAMESPACE },
      spec: { replicas, selector: { matchLabels: { app } }, template: template(app) },
    });
  }
  let statefulPods = STATEFUL_PER_NODE * n;
  for (let s = 0; statefulPods > 0; s++) {
    const replicas = Math.min(STATEFULSET_REPLICAS, statefulPods);
    statefulPods -= replicas;
    const app = `db-${s}`;
    manifests.push({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: app, namespace: NAMESPACE },
      spec: {
        serviceName: app,
        replicas,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { app } },
        template: template(app, { volumeMounts: [{ name: 'data', mountPath: '/data' }] }),
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'bench-sc', resources: { requests: { storage: '1Gi' } } } },
        ],
      },
    });
  }
  return manifests;
};

/** A vSphere-backed cluster of N workers on profile 1.14 (upstream periods and rate limits), workloads not yet applied. */
export const scaleCluster = (n, options = {}) => {
  const env = vsphereCluster({
    seed: `scale-${n}`,
    profile: '1.14',
    nodes: scaleNodes(n),
    // Enough hosts that VM placement is not the story; the datastore is sized for 3 disks a node.
    hosts: Array.from({ length: Math.max(3, Math.ceil(n / 50)) }, (_, i) => `10.27.${50 + Math.floor(i / 250)}.${(i % 250) + 1}`),
    ...options,
  });
  env.vcenter.addDatastore({ name: BENCH_DATASTORE, type: 'vsan', capacityBytes: 2 ** 40 * Math.max(4, Math.ceil((n * STATEFUL_PER_NODE) / 512)) });
  return env;
};
