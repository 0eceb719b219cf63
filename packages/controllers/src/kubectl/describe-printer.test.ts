import { describe, expect, it } from '@jest/globals';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { describePod, formatRFC1123Z, podQOSClass } from './describe-printer.js';

// The seed's cluster: 16:16:25 +0100 start; the node controller marks the pod NodeLost
// and deletes it with its 180 s grace period, so the deletion timestamp is still ahead.
const now = new Date('2019-06-12T15:53:00Z');
const NODE = '62fc3f4f-a992-4716-b972-3958bda8b231';

const cassandra = (extra: Partial<Pod['metadata']>, status: Partial<NonNullable<Pod['status']>>): Pod => ({
  metadata: {
    name: 'cassandra-0', namespace: 'cassandra', uid: 'u1', creationTimestamp: '2019-06-12T15:16:20Z',
    labels: { 'statefulset.kubernetes.io/pod-name': 'cassandra-0', app: 'cassandra', 'controller-revision-hash': 'cassandra-589c765486' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'cassandra', uid: 's1', controller: true }],
    ...extra,
  },
  spec: {
    priority: 0, nodeName: NODE, terminationGracePeriodSeconds: 180,
    containers: [{
      name: 'cassandra', image: 'harbor.rainpole.com/library/cassandra:v11',
      ports: [{ containerPort: 7000, name: 'intra-node' }, { containerPort: 9042, name: 'cql' }],
      resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } },
      readinessProbe: { exec: { command: ['/bin/bash', '-c', '/ready-probe.sh'] }, initialDelaySeconds: 15, timeoutSeconds: 5 },
      env: [{ name: 'MAX_HEAP_SIZE', value: '512M' }, { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
      volumeMounts: [{ name: 'default-token-6fj8b', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }, { name: 'cassandra-data', mountPath: '/cassandra_data' }],
    }],
    volumes: [
      { name: 'cassandra-data', persistentVolumeClaim: { claimName: 'cassandra-data-cassandra-0' } },
      { name: 'default-token-6fj8b', secret: { secretName: 'default-token-6fj8b', defaultMode: 420 } },
    ],
    tolerations: [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: {
    phase: 'Running', hostIP: '10.27.51.186', podIP: '10.200.82.12', startTime: '2019-06-12T15:16:25Z', qosClass: 'Guaranteed',
    conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False' }, { type: 'ContainersReady', status: 'True' }, { type: 'PodScheduled', status: 'True' }],
    containerStatuses: [{ name: 'cassandra', ready: true, restartCount: 0, image: 'harbor.rainpole.com/library/cassandra:v11', imageID: 'docker-pullable://cassandra@sha256:ab', containerID: 'docker://5e1', state: { running: { startedAt: '2019-06-12T15:16:40Z' } } }],
    ...status,
  },
});

const event = (type: string, reason: string, from: string, message: string, first: string, last = first, count = 1, name = 'cassandra-0'): Event => ({
  metadata: { name: `${name}.${reason}`, namespace: 'cassandra' },
  involvedObject: { kind: 'Pod', name, namespace: 'cassandra', uid: 'u1' },
  type, reason, message, count, firstTimestamp: first, lastTimestamp: last, source: { component: from },
});

describe('describePod', () => {
  it("prints the seed's NodeLost pod: Terminating (lasts <invalid>), grace period, Reason and Message, then the body", () => {
    const lost = cassandra(
      { deletionTimestamp: '2019-06-12T15:55:00Z', deletionGracePeriodSeconds: 180 },
      { reason: 'NodeLost', message: `Node ${NODE} which was running pod cassandra-0 is unresponsive` },
    );
    const events = [
      event('Normal', 'Started', 'kubelet, ' + NODE, 'Started container', '2019-06-12T15:16:40Z'),
      event('Warning', 'Unhealthy', 'kubelet, ' + NODE, 'Readiness probe failed: ', '2019-06-12T15:16:45Z', '2019-06-12T15:17:05Z', 3),
      event('Normal', 'Scheduled', 'default-scheduler', `Successfully assigned cassandra/cassandra-0 to ${NODE}`, '2019-06-12T15:16:20Z'),
      event('Normal', 'Scheduled', 'default-scheduler', 'someone else', '2019-06-12T15:16:20Z', undefined, 1, 'cassandra-1'),
    ];
    expect(describePod(lost, events, { now, utcOffsetMinutes: 60 })).toEqual([
      'Name:                      cassandra-0',
      'Namespace:                 cassandra',
      'Priority:                  0',
      'PriorityClassName:         <none>',
      `Node:                      ${NODE}/10.27.51.186`,
      'Start Time:                Wed, 12 Jun 2019 16:16:25 +0100',
      'Labels:                    app=cassandra',
      '                           controller-revision-hash=cassandra-589c765486',
      '                           statefulset.kubernetes.io/pod-name=cassandra-0',
      'Annotations:               <none>',
      'Status:                    Terminating (lasts <invalid>)',
      'Termination Grace Period:  180s',
      'Reason:                    NodeLost',
      `Message:                   Node ${NODE} which was running pod cassandra-0 is unresponsive`,
      'IP:                        10.200.82.12',
      'Controlled By:             StatefulSet/cassandra',
      'Containers:',
      '  cassandra:',
      '    Container ID:   docker://5e1',
      '    Image:          harbor.rainpole.com/library/cassandra:v11',
      '    Image ID:       docker-pullable://cassandra@sha256:ab',
      '    Ports:          7000/TCP, 9042/TCP',
      '    Host Ports:     0/TCP, 0/TCP',
      '    State:          Running',
      '      Started:      Wed, 12 Jun 2019 16:16:40 +0100',
      '    Ready:          True',
      '    Restart Count:  0',
      '    Limits:',
      '      cpu:     500m',
      '      memory:  1Gi',
      '    Requests:',
      '      cpu:      500m',
      '      memory:   1Gi',
      '    Readiness:  exec [/bin/bash -c /ready-probe.sh] delay=15s timeout=5s period=10s #success=1 #failure=3',
      '    Environment:',
      '      MAX_HEAP_SIZE:  512M',
      '      POD_IP:         10.200.82.12 (v1:status.podIP)',
      '    Mounts:',
      '      /cassandra_data from cassandra-data (rw)',
      '      /var/run/secrets/kubernetes.io/serviceaccount from default-token-6fj8b (ro)',
      'Conditions:',
      '  Type              Status',
      '  Initialized       True ',
      '  Ready             False ',
      '  ContainersReady   True ',
      '  PodScheduled      True ',
      'Volumes:',
      '  cassandra-data:',
      '    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)',
      '    ClaimName:  cassandra-data-cassandra-0',
      '    ReadOnly:   false',
      '  default-token-6fj8b:',
      '    Type:        Secret (a volume populated by a Secret)',
      '    SecretName:  default-token-6fj8b',
      '    Optional:    false',
      'QoS Class:       Guaranteed',
      'Node-Selectors:  <none>',
      'Tolerations:     node.kubernetes.io/not-ready:NoExecute for 300s',
      '                 node.kubernetes.io/unreachable:NoExecute for 300s',
      'Events:',
      '  Type     Reason     Age                From                                           Message',
      '  ----     ------     ----               ----                                           -------',
      `  Normal   Scheduled  36m                default-scheduler                              Successfully assigned cassandra/cassandra-0 to ${NODE}`,
      `  Normal   Started    36m                kubelet, ${NODE}  Started container`,
      `  Warning  Unhealthy  35m (x3 over 36m)  kubelet, ${NODE}  Readiness probe failed:`,
    ]);
  });

  it("prints the seed's rescheduled pod header (Pending, empty IP, <none>s) and Events: <none>", () => {
    const pending: Pod = {
      ...cassandra({}, {}),
      spec: { priority: 0, nodeName: 'a2cfcf41-922d-487b-bdf6-b453d7fb3105', containers: [{ name: 'cassandra', image: 'cassandra:v11' }] },
      status: { phase: 'Pending', hostIP: '10.27.51.187', startTime: '2019-06-12T15:51:06Z' },
    };
    const lines = describePod(pending, [], { now, utcOffsetMinutes: 60 });
    expect(lines.slice(0, 12)).toEqual([
      'Name:               cassandra-0',
      'Namespace:          cassandra',
      'Priority:           0',
      'PriorityClassName:  <none>',
      'Node:               a2cfcf41-922d-487b-bdf6-b453d7fb3105/10.27.51.187',
      'Start Time:         Wed, 12 Jun 2019 16:51:06 +0100',
      'Labels:             app=cassandra',
      '                    controller-revision-hash=cassandra-589c765486',
      '                    statefulset.kubernetes.io/pod-name=cassandra-0',
      'Annotations:        <none>',
      'Status:             Pending',
      'IP:                 ',
    ]);
    expect(lines.slice(12)).toEqual([
      'Controlled By:      StatefulSet/cassandra',
      'Containers:',
      '  cassandra:',
      '    Image:        cassandra:v11',
      '    Port:         <none>',
      '    Host Port:    <none>',
      '    Environment:  <none>',
      '    Mounts:       <none>',
      // `    Mounts:\t<none>` has a tab, so the lines after it share its column (as in Go).
      'Volumes:          <none>',
      'QoS Class:        BestEffort',
      'Node-Selectors:   <none>',
      'Tolerations:      <none>',
      'Events:           <none>',
    ]);
  });
});

describe('helpers', () => {
  it('formats Go RFC1123Z in a given offset', () => {
    expect(formatRFC1123Z('2019-06-12T15:16:25Z', 60)).toBe('Wed, 12 Jun 2019 16:16:25 +0100');
    expect(formatRFC1123Z('2019-06-12T00:30:00Z', -330)).toBe('Tue, 11 Jun 2019 19:00:00 -0530');
  });

  it('derives the QoS class', () => {
    const pod = (resources: NonNullable<Pod['spec']>['containers'][number]['resources']): Pod => ({ spec: { containers: [{ name: 'c', resources }] } });
    expect(podQOSClass(pod({}))).toBe('BestEffort');
    expect(podQOSClass(pod({ limits: { cpu: '1', memory: '1Gi' } }))).toBe('Guaranteed');
    expect(podQOSClass(pod({ requests: { cpu: '1' } }))).toBe('Burstable');
  });
});
