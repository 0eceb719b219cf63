// The article's Cassandra workload (Namespace, StorageClass cass-sc on vsanDatastore with
// the raid-1 policy, a 1-replica StatefulSet with a 1 Gi claim), as the specs apply it.
// The scenario library will ship the same objects as YAML files.
import * as E from 'fp-ts/lib/Either.js';
import type { Kubectl } from '@failsim/controllers';
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

/** The article's cqlsh session: a keyspace, the emp table and Cormac's row. */
export const ARTICLE_CQL: readonly string[] = [
  "CREATE KEYSPACE mydemo WITH REPLICATION = { 'class' : 'SimpleStrategy', 'replication_factor' : 1 }",
  'CREATE TABLE mydemo.emp(emp_id int PRIMARY KEY, emp_name text, emp_city text, emp_sal varint,emp_phone varint)',
  "INSERT INTO mydemo.emp (emp_id, emp_name, emp_city, emp_phone, emp_sal) VALUES (100, 'Cormac', 'Cork', 999, 1000000)",
];

/**
 * Writes the article's row as the article does (`kubectl exec cassandra-0 -n cassandra --
 * cqlsh -e …`, through the running pod); Left is cqlsh's or kubectl's error.
 */
export const writeArticleRow = (kubectl: Kubectl): E.Either<string, void> => {
  for (const cql of ARTICLE_CQL) {
    const out = kubectl.exec('cassandra-0', ['cqlsh', '-e', cql], 'cassandra');
    if (E.isLeft(out)) return E.left(out.left);
  }
  return E.right(undefined);
};
