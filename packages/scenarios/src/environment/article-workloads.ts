// The article's Cassandra workload (Namespace, StorageClass cass-sc on vsanDatastore with
// the raid-1 policy, a 1-replica StatefulSet with a 1 Gi claim), as the specs apply it.
// The scenario library will ship the same objects as YAML files.
import type { KubeObject } from '@failsim/core';

/** The article's Cassandra manifests, in the order `kubectl apply -f` takes them. */
export const articleCassandra = (): KubeObject[] => [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cassandra' } },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'cass-sc' },
    provisioner: 'kubernetes.io/vsphere-volume',
    parameters: { datastore: 'vsanDatastore', storagePolicyName: 'raid-1' },
  } as KubeObject,
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'cassandra', namespace: 'cassandra', labels: { app: 'cassandra' } },
    spec: {
      serviceName: 'cassandra',
      replicas: 1,
      selector: { matchLabels: { app: 'cassandra' } },
      template: {
        metadata: { labels: { app: 'cassandra' } },
        spec: {
          terminationGracePeriodSeconds: 180,
          containers: [{ name: 'cassandra', image: 'harbor.rainpole.com/library/cassandra:v11', volumeMounts: [{ name: 'cassandra-data', mountPath: '/cassandra_data' }] }],
        },
      },
      volumeClaimTemplates: [
        { metadata: { name: 'cassandra-data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'cass-sc', resources: { requests: { storage: '1Gi' } } } },
      ],
    },
  } as KubeObject,
];
