// Spec of the scale benchmark's generator: the pod mix the issue sets (30 a node, 10% in
// StatefulSets with a vSphere claim each, the rest DaemonSets and Deployments), the zones,
// and a small generated cluster that comes up with every pod running. No timing here:
// benchmarks print figures, tests assert outcomes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PODS_PER_NODE, scaleCluster, scaleNodes, scaleWorkloads, ZONES } from './scale-cluster.js';

test('spreads N workers round-robin over three zones, plus a control-plane node', () => {
  const nodes = scaleNodes(9);
  assert.equal(nodes.length, 10);
  assert.equal(nodes[0].role, 'control-plane');
  for (const zone of ZONES) assert.equal(nodes.filter((n) => n.role === 'worker' && n.zone === zone).length, 3);
});

test('asks for 30 pods a node: 10% stateful with a vSphere claim, 4 daemons, the rest in Deployments', () => {
  const n = 1000;
  const manifests = scaleWorkloads(n);
  const replicas = (kind) => manifests.filter((m) => m.kind === kind).reduce((sum, m) => sum + m.spec.replicas, 0);
  const stateful = replicas('StatefulSet');
  assert.equal(stateful, n * PODS_PER_NODE * 0.1);
  for (const set of manifests.filter((m) => m.kind === 'StatefulSet')) {
    assert.equal(set.spec.volumeClaimTemplates[0].spec.storageClassName, 'bench-sc');
  }
  assert.equal(manifests.find((m) => m.kind === 'StorageClass').provisioner, 'kubernetes.io/vsphere-volume');
  // kube-system brings kube-proxy and flannel: 2 + 2 daemons a node.
  const daemonsPerNode = 2 + manifests.filter((m) => m.kind === 'DaemonSet').length;
  assert.equal(stateful + replicas('Deployment') + daemonsPerNode * n, n * PODS_PER_NODE);
});

test('a generated 6-node cluster runs all its pods, stateful ones on attached vSphere disks', () => {
  const env = scaleCluster(6);
  const { cluster } = env;
  const applied = cluster.kubectl.apply(scaleWorkloads(6));
  assert.equal(applied._tag, 'Right');
  cluster.sim.clock.runFor(600_000);
  const client = cluster.sim.api.client('test');
  const pods = client.list('Pod', { namespace: 'bench' }).right.items;
  // kube-system's kube-proxy and flannel are the other 2 of each node's 30.
  assert.equal(pods.length, 6 * (PODS_PER_NODE - 2));
  assert.ok(pods.every((p) => p.status?.phase === 'Running'), 'every pod runs');
  const claims = client.list('PersistentVolumeClaim', { namespace: 'bench' }).right.items;
  assert.equal(claims.length, 6 * 3);
  assert.ok(claims.every((c) => c.status?.phase === 'Bound'), 'every claim is bound');
  env.stop();
});
