import { describe, expect, it } from '@jest/globals';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { getEvents, getNodes, getPods, nodeRoles, nodeStatus, sortEvents } from './get-printers.js';

const now = new Date('2019-06-12T16:30:00Z');
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
const M = 60_000;
const H = 60 * M;

const node = (name: string, ip: string, age: number, ready: 'True' | 'False' | 'Unknown', extra: Partial<Node['spec']> = {}): Node => ({
  metadata: { name, creationTimestamp: ago(age) },
  spec: { ...extra },
  status: {
    conditions: [{ type: 'Ready', status: ready }],
    addresses: [{ type: 'ExternalIP', address: ip }, { type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
    nodeInfo: {
      kubeletVersion: 'v1.12.4', osImage: 'Ubuntu 16.04.5 LTS', kernelVersion: '4.15.0-43-generic', containerRuntimeVersion: 'docker://18.6.1',
      architecture: 'amd64', bootID: '', kubeProxyVersion: 'v1.12.4', machineID: '', operatingSystem: 'linux', systemUUID: '',
    },
  },
});

describe('getNodes', () => {
  it("reproduces the seed's `kubectl get nodes -o wide` after the power-off", () => {
    const nodes = [
      node('52bf9358-7a6e-4552-87b1-6591dc88634c', '10.27.51.185', 6 * H + 20 * M, 'True'),
      node('62fc3f4f-a992-4716-b972-3958bda8b231', '10.27.51.186', 31 * M, 'Unknown'),
      node('a2cfcf41-922d-487b-bdf6-b453d7fb3105', '10.27.51.187', 7 * M + 12_000, 'True'),
      node('c1b53999-ac8b-4187-aae6-940bf61b4e2b', '10.27.51.189', 6 * H + 13 * M, 'True'),
    ];
    expect(getNodes(nodes, { now, wide: true })).toEqual([
      'NAME                                   STATUS     ROLES    AGE     VERSION   INTERNAL-IP    EXTERNAL-IP    OS-IMAGE             KERNEL-VERSION      CONTAINER-RUNTIME',
      '52bf9358-7a6e-4552-87b1-6591dc88634c   Ready      <none>   6h20m   v1.12.4   10.27.51.185   10.27.51.185   Ubuntu 16.04.5 LTS   4.15.0-43-generic   docker://18.6.1',
      '62fc3f4f-a992-4716-b972-3958bda8b231   NotReady   <none>   31m     v1.12.4   10.27.51.186   10.27.51.186   Ubuntu 16.04.5 LTS   4.15.0-43-generic   docker://18.6.1',
      'a2cfcf41-922d-487b-bdf6-b453d7fb3105   Ready      <none>   7m12s   v1.12.4   10.27.51.187   10.27.51.187   Ubuntu 16.04.5 LTS   4.15.0-43-generic   docker://18.6.1',
      'c1b53999-ac8b-4187-aae6-940bf61b4e2b   Ready      <none>   6h13m   v1.12.4   10.27.51.189   10.27.51.189   Ubuntu 16.04.5 LTS   4.15.0-43-generic   docker://18.6.1',
    ]);
  });

  it("reproduces the seed's narrow `kubectl get nodes` after recovery", () => {
    const nodes = [
      node('52bf9358-7a6e-4552-87b1-6591dc88634c', '10.27.51.185', 29 * H + 5 * M, 'True'),
      node('62fc3f4f-a992-4716-b972-3958bda8b231', '10.27.51.186', 68 * M, 'True'),
    ];
    expect(getNodes(nodes, { now })).toEqual([
      'NAME                                   STATUS   ROLES    AGE   VERSION',
      '52bf9358-7a6e-4552-87b1-6591dc88634c   Ready    <none>   29h   v1.12.4',
      '62fc3f4f-a992-4716-b972-3958bda8b231   Ready    <none>   68m   v1.12.4',
    ]);
  });

  it('shows NotReady,SchedulingDisabled for a cordoned lost node, Unknown without a Ready condition, and roles from labels', () => {
    expect(nodeStatus(node('w1', '10.0.0.1', M, 'False', { unschedulable: true }))).toBe('NotReady,SchedulingDisabled');
    expect(nodeStatus({ metadata: { name: 'w2' }, status: {} })).toBe('Unknown');
    expect(nodeRoles({ metadata: { labels: { 'node-role.kubernetes.io/master': '', 'kubernetes.io/role': 'ingress', 'node-role.kubernetes.io/': 'x' } } })).toEqual(['ingress', 'master']);
    expect(getNodes([], { now })).toEqual([]);
  });
});

const running = (name: string, restarts = 0): Pod => ({
  metadata: { name, namespace: 'kube-system', creationTimestamp: ago(49 * H + 10 * M) },
  spec: { containers: [{ name: 'c' }], nodeName: 'cor-k8s-m01' },
  status: { phase: 'Running', podIP: '10.27.51.180', containerStatuses: [{ name: 'c', ready: true, restartCount: restarts, image: 'x', imageID: '', state: { running: { startedAt: ago(H) } } }] },
});

describe('getPods', () => {
  const names = ['coredns-fb8b8dccf-7s4vg', 'coredns-fb8b8dccf-cwbxs', 'etcd-cor-k8s-m01', 'kube-apiserver-cor-k8s-m01', 'kube-controller-manager-cor-k8s-m01',
    'kube-flannel-ds-amd64-hgrww', 'kube-flannel-ds-amd64-j9nck', 'kube-flannel-ds-amd64-n5d28', 'kube-proxy-2gqlj', 'kube-proxy-hc494', 'kube-proxy-hsvdz'];

  it("reproduces the seed's `kubectl get pods -n kube-system`", () => {
    const pods = [...names.map((n) => running(n)), running('kube-scheduler-cor-k8s-m01', 1)];
    expect(getPods(pods, { now })).toEqual([
      'NAME                                  READY   STATUS    RESTARTS   AGE',
      'coredns-fb8b8dccf-7s4vg               1/1     Running   0          2d1h',
      'coredns-fb8b8dccf-cwbxs               1/1     Running   0          2d1h',
      'etcd-cor-k8s-m01                      1/1     Running   0          2d1h',
      'kube-apiserver-cor-k8s-m01            1/1     Running   0          2d1h',
      'kube-controller-manager-cor-k8s-m01   1/1     Running   0          2d1h',
      'kube-flannel-ds-amd64-hgrww           1/1     Running   0          2d1h',
      'kube-flannel-ds-amd64-j9nck           1/1     Running   0          2d1h',
      'kube-flannel-ds-amd64-n5d28           1/1     Running   0          2d1h',
      'kube-proxy-2gqlj                      1/1     Running   0          2d1h',
      'kube-proxy-hc494                      1/1     Running   0          2d1h',
      'kube-proxy-hsvdz                      1/1     Running   0          2d1h',
      'kube-scheduler-cor-k8s-m01            1/1     Running   1          2d1h',
    ]);
  });

  it("reproduces the seed's `kubectl get pods` of the StatefulSet", () => {
    const pod: Pod = { ...running('cassandra-0'), metadata: { name: 'cassandra-0', namespace: 'cassandra', creationTimestamp: ago(5 * M + 19_000) } };
    expect(getPods([pod], { now })).toEqual([
      'NAME          READY   STATUS    RESTARTS   AGE',
      'cassandra-0   1/1     Running   0          5m19s',
    ]);
  });

  it('prints the wide columns of the era, <none> for missing values, Unknown for a NodeLost pod, and NAMESPACE first', () => {
    const lost: Pod = {
      metadata: { name: 'cassandra-0', namespace: 'cassandra', creationTimestamp: ago(31 * M), deletionTimestamp: ago(-2 * M) },
      spec: { containers: [{ name: 'cassandra' }], nodeName: 'w2', readinessGates: [{ conditionType: 'example.com/lb' }] },
      status: { phase: 'Running', reason: 'NodeLost', podIP: '10.200.82.12', conditions: [{ type: 'example.com/lb', status: 'True' }] },
    };
    const pending: Pod = { metadata: { name: 'web-0', namespace: 'default', creationTimestamp: ago(40_000) }, spec: { containers: [{ name: 'nginx' }] }, status: { phase: 'Pending' } };
    expect(getPods([lost, pending], { now, wide: true, allNamespaces: true })).toEqual([
      'NAMESPACE   NAME          READY   STATUS    RESTARTS   AGE   IP             NODE     NOMINATED NODE   READINESS GATES',
      'cassandra   cassandra-0   0/1     Unknown   0          31m   10.200.82.12   w2       <none>           1/1',
      'default     web-0         0/1     Pending   0          40s   <none>         <none>   <none>           <none>',
    ]);
    expect(getPods([pending], { now, wide: true, kubectlVersion: '1.12' })[0]).toBe('NAME    READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE');
    expect(getPods([pending], { now, wide: true, kubectlVersion: '1.10' })[0]).toBe('NAME    READY   STATUS    RESTARTS   AGE   IP       NODE');
    expect(getPods([], { now })).toEqual([]);
  });
});

const PV = 'pvc-91600a74-8d16-11e9-b070-005056a2a261';
const event = (type: string, reason: string, message: string, lastAgo: number, extra: Partial<Event> = {}): Event => ({
  metadata: { name: `cassandra-0.${reason}`, namespace: 'cassandra' },
  involvedObject: { kind: 'Pod', name: 'cassandra-0', namespace: 'cassandra' },
  type, reason, message, count: 1, firstTimestamp: ago(lastAgo), lastTimestamp: ago(lastAgo), source: { component: 'kubelet', host: 'a2cfcf41' },
  ...extra,
});

describe('getEvents', () => {
  const events = [
    event('Normal', 'Started', 'Started container', 10_000),
    event('Normal', 'Scheduled', 'Successfully assigned cassandra/cassandra-0 to a2cfcf41-922d-487b-bdf6-b453d7fb3105', 8 * M, { source: { component: 'default-scheduler' } }),
    event('Warning', 'FailedAttachVolume', `Multi-Attach error for volume "${PV}" Volume is already exclusively attached to one node and can't be attached to another`, 7 * M + 50_000, { source: { component: 'attachdetach-controller' } }),
    event('Normal', 'SuccessfulAttachVolume', `AttachVolume.Attach succeeded for volume "${PV}"`, 90_000, { source: { component: 'attachdetach-controller' } }),
    event('Normal', 'Pulling', 'pulling image "harbor.rainpole.com/library/cassandra:v11"', 60_000),
    event('Normal', 'Pulled', 'Successfully pulled image "harbor.rainpole.com/library/cassandra:v11"  ', 30_000),
    event('Normal', 'Created', 'Created container', 20_000),
  ];

  it("sorts by last occurrence and reproduces the seed's rows in the 1.12 layout (TYPE REASON KIND MESSAGE after LAST SEEN)", () => {
    const lines = getEvents(events, { now, kubectlVersion: '1.12' });
    expect(lines[0]).toBe('LAST SEEN   TYPE      REASON                   KIND   MESSAGE');
    // The article's author cut the LAST SEEN column (12 wide here) from the pasted rows.
    expect(lines.slice(1).map((l) => l.slice(12))).toEqual([
      'Normal    Scheduled                Pod    Successfully assigned cassandra/cassandra-0 to a2cfcf41-922d-487b-bdf6-b453d7fb3105',
      `Warning   FailedAttachVolume       Pod    Multi-Attach error for volume "${PV}" Volume is already exclusively attached to one node and can't be attached to another`,
      `Normal    SuccessfulAttachVolume   Pod    AttachVolume.Attach succeeded for volume "${PV}"`,
      'Normal    Pulling                  Pod    pulling image "harbor.rainpole.com/library/cassandra:v11"',
      'Normal    Pulled                   Pod    Successfully pulled image "harbor.rainpole.com/library/cassandra:v11"',
      'Normal    Created                  Pod    Created container',
      'Normal    Started                  Pod    Started container',
    ]);
    expect(lines.slice(1).map((l) => l.slice(0, 12).trimEnd())).toEqual(['8m', '7m50s', '90s', '60s', '30s', '20s', '10s']);
  });

  it('prints OBJECT in 1.14+, the wide columns, and the ten-column layout of 1.11', () => {
    const repeated = event('Warning', 'FailedMount', 'Unable to mount volumes for pod "cassandra-0_cassandra(e3b)": timeout expired', 2 * M, { count: 3, firstTimestamp: ago(6 * M), metadata: { name: 'cassandra-0.15a', namespace: 'cassandra' }, involvedObject: { kind: 'Pod', name: 'cassandra-0', fieldPath: 'spec.containers{cassandra}' } });
    expect(getEvents([repeated], { now })).toEqual([
      'LAST SEEN   TYPE      REASON        OBJECT            MESSAGE',
      '2m          Warning   FailedMount   pod/cassandra-0   Unable to mount volumes for pod "cassandra-0_cassandra(e3b)": timeout expired',
    ]);
    expect(getEvents([repeated], { now, wide: true })).toEqual([
      'LAST SEEN   TYPE      REASON        OBJECT            SUBOBJECT                    SOURCE              MESSAGE                                                                         FIRST SEEN   COUNT   NAME',
      '2m          Warning   FailedMount   pod/cassandra-0   spec.containers{cassandra}   kubelet, a2cfcf41   Unable to mount volumes for pod "cassandra-0_cassandra(e3b)": timeout expired   6m           3       cassandra-0.15a',
    ]);
    expect(getEvents([repeated], { now, kubectlVersion: '1.11' })[0]).toBe('LAST SEEN   FIRST SEEN   COUNT   NAME              KIND   SUBOBJECT                    TYPE      REASON        SOURCE              MESSAGE');
    expect(getEvents([], { now })).toEqual([]);
  });

  it('orders events without lastTimestamp by eventTime, and leaves the input alone', () => {
    const modern: Event = { ...event('Normal', 'Modern', 'm', 0), lastTimestamp: undefined, eventTime: ago(5 * M) };
    const input = [event('Normal', 'Newer', 'n', M), modern];
    expect(sortEvents(input).map((e) => e.reason)).toEqual(['Modern', 'Newer']);
    expect(input.map((e) => e.reason)).toEqual(['Newer', 'Modern']);
  });
});
