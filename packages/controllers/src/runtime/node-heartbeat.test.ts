import { describe, expect, it } from '@jest/globals';
import { createSimulation, deepEqual, freezeCopy, Informer, nodeLocation } from '@failsim/core';
import type { Node } from 'kubernetes-types/core/v1.js';
import { KubeletNodeStatus } from '../kubelet/kubelet-node-status.js';
import { shouldIgnoreNodeUpdate } from '../workloads/daemonset-controller.js';
import { detachInputsChanged } from '../attachdetach/attach-detach-controller.js';
import { sameNoScheduleInputs } from '../node-lifecycle/node-lifecycle-controller.js';
import { isNodeHeartbeatOnly, noteHeartbeatStatus } from './node-heartbeat.js';

/** The recomputation: equal once resourceVersion and every lastHeartbeatTime are dropped. */
const heartbeatOnlyByValue = (old: Node, cur: Node): boolean => {
  const strip = (n: Node): unknown => ({
    ...n,
    metadata: { ...n.metadata, resourceVersion: undefined },
    status: n.status && { ...n.status, conditions: n.status.conditions?.map((c) => ({ ...c, lastHeartbeatTime: undefined })) },
  });
  return deepEqual(strip(old), strip(cur));
};

const node = (): Node =>
  freezeCopy({
    metadata: { name: 'w1', resourceVersion: '7', labels: { zone: 'a' } },
    spec: { taints: [] },
    status: {
      allocatable: { cpu: '4' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: 't1', lastTransitionTime: 't0' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: 't1', lastTransitionTime: 't0' },
      ],
    },
  });

/** `old` with its members shared and `change` applied to copies of metadata and status. */
const next = (old: Node, change: (n: { metadata: Record<string, unknown>; status: Record<string, unknown> }) => void): Node => {
  const n = { ...old, metadata: { ...old.metadata, resourceVersion: '8' }, status: { ...old.status } };
  change(n);
  return freezeCopy(n);
};

describe('isNodeHeartbeatOnly', () => {
  it('is true for a new resourceVersion and heartbeat times, and false for any other change', () => {
    const old = node();
    // freezeCopy copies: share the members the way the API server and kubelet do.
    const share = (n: Node): Node => Object.freeze({ ...n, spec: old.spec, status: Object.freeze({ ...n.status, allocatable: old.status?.allocatable }) });
    const heartbeat = share(next(old, (n) => (n.status.conditions = old.status?.conditions?.map((c) => ({ ...c, lastHeartbeatTime: 't2' })))));
    expect(isNodeHeartbeatOnly(old, heartbeat)).toBe(true);
    expect(isNodeHeartbeatOnly(old, share(next(old, () => undefined)))).toBe(true);
    const changes: Node[] = [
      share(next(old, (n) => (n.status.conditions = old.status?.conditions?.map((c) => ({ ...c, status: c.type === 'Ready' ? 'Unknown' : c.status }))))),
      share(next(old, (n) => (n.status.conditions = old.status?.conditions?.slice(1)))),
      share(next(old, (n) => (n.metadata.labels = { zone: 'b' }))),
      share(next(old, (n) => (n.metadata.annotations = {}))),
      share(next(old, (n) => (n.status.volumesInUse = ['v']))),
      Object.freeze({ ...share(next(old, () => undefined)), spec: freezeCopy({ taints: [], unschedulable: true }) }),
    ];
    for (const cur of changes) {
      expect(heartbeatOnlyByValue(old, cur)).toBe(false);
      expect(isNodeHeartbeatOnly(old, cur)).toBe(false);
    }
    // An equal but different member is not looked into: the handlers then compare as before.
    const copy = freezeCopy(structuredClone(next(old, () => undefined)));
    expect(heartbeatOnlyByValue(old, copy)).toBe(true);
    expect(isNodeHeartbeatOnly(old, copy)).toBe(false);
  });

  it('trusts a status noted as a heartbeat of the old one', () => {
    const old = node();
    const status = freezeCopy({ ...old.status, conditions: old.status?.conditions?.map((c) => ({ ...c, lastHeartbeatTime: 't2' })) });
    const cur = Object.freeze({ ...old, metadata: freezeCopy({ ...old.metadata, resourceVersion: '9' }), status });
    noteHeartbeatStatus(status, old.status!);
    expect(isNodeHeartbeatOnly(old, cur)).toBe(true);
  });

  it('does not remember answers about objects that may still change', () => {
    const old = node();
    const cur: Node = { ...old, metadata: { ...old.metadata, resourceVersion: '8' } };
    expect(isNodeHeartbeatOnly(old, cur)).toBe(true);
    cur.metadata!.labels = { zone: 'b' };
    expect(isNodeHeartbeatOnly(old, cur)).toBe(false);
  });

  it('agrees with the recomputation and the handlers on every Node update of a kubelet, and finds its heartbeats', () => {
    const sim = createSimulation();
    const source = freezeCopy({
      addresses: [{ type: 'InternalIP', address: '10.0.0.10' }],
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
      nodeInfo: {
        machineID: 'm',
        systemUUID: 'S',
        bootID: 'boot-1',
        kernelVersion: 'k',
        osImage: 'o',
        containerRuntimeVersion: 'docker://18.6.1',
        kubeletVersion: 'v1.12.10',
        kubeProxyVersion: 'v1.12.10',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: [],
      volumesInUse: [],
    });
    const kubelet = new KubeletNodeStatus({
      clock: sim.clock,
      client: sim.api.client('kubelet', nodeLocation('w1')),
      nodeName: 'w1',
      owner: 'kubelet/w1',
      labels: { 'kubernetes.io/hostname': 'w1' },
      registerWithTaints: [],
      nodeStatusUpdateFrequency: 10_000,
      nodeStatusReportFrequency: 60_000,
      nodeLease: false,
      source: () => source,
      recordEvent: () => undefined,
    });
    const informer = new Informer(sim.api.client('watcher'), 'Node');
    let heartbeats = 0;
    let updates = 0;
    informer.events$.subscribe((e) => {
      if (e.type !== 'MODIFIED' || !e.old) return;
      updates++;
      const answer = isNodeHeartbeatOnly(e.old, e.object);
      expect(answer && !heartbeatOnlyByValue(e.old, e.object)).toBe(false);
      if (!answer) return;
      heartbeats++;
      // Every handler that returns early on a heartbeat would have found nothing changed.
      expect(shouldIgnoreNodeUpdate(e.old, e.object)).toBe(true);
      expect(detachInputsChanged(e.old, e.object)).toBe(false);
      expect(sameNoScheduleInputs(e.old, e.object)).toBe(true);
    });
    kubelet.start();
    sim.clock.runFor(120_000);
    expect(updates).toBeGreaterThanOrEqual(11);
    // All but the first status write (which adds the conditions) are heartbeats.
    expect(heartbeats).toBeGreaterThanOrEqual(updates - 1);
  });
});
