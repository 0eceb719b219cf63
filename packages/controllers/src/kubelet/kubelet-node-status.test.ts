import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, freezeCopy, nodeLocation, type WriteTraceEntry } from '@failsim/core';
import type { Node } from 'kubernetes-types/core/v1.js';
import { KubeletNodeStatus, nodeStatusHasChanged, setNodeStatus, type NodeStatusSource } from './kubelet-node-status.js';

const source = (bootID = 'boot-1', volumesInUse: string[] = []): NodeStatusSource => ({
  addresses: [{ type: 'InternalIP', address: '10.0.0.10' }],
  capacity: { cpu: '4', memory: '16Gi', pods: '110' },
  allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
  nodeInfo: {
    machineID: 'm',
    systemUUID: 'S',
    bootID,
    kernelVersion: 'k',
    osImage: 'o',
    containerRuntimeVersion: 'docker://18.6.1',
    kubeletVersion: 'v1.14.3',
    kubeProxyVersion: 'v1.14.3',
    operatingSystem: 'linux',
    architecture: 'amd64',
  },
  daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
  images: [],
  volumesInUse,
});

const recorder = () => {
  const events: string[] = [];
  return { events, record: (type: string, reason: string, message: string) => events.push(`${type} ${reason}: ${message}`) };
};

describe('setNodeStatus', () => {
  it('adds the pressure conditions False and Ready True to a new node, with events for the pressure conditions only', () => {
    const r = recorder();
    const status = setNodeStatus({ metadata: { name: 'w1' } }, 'w1', source(), '2019-06-01T00:00:00Z', r.record);
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
    expect(r.events).toEqual([
      'Normal NodeHasSufficientMemory: Node w1 status is now: NodeHasSufficientMemory',
      'Normal NodeHasNoDiskPressure: Node w1 status is now: NodeHasNoDiskPressure',
      'Normal NodeHasSufficientPID: Node w1 status is now: NodeHasSufficientPID',
    ]);
  });

  it('turns Unknown conditions back, records NodeReady and Rebooted, and drops OutOfDisk', () => {
    const r = recorder();
    const node: Node = {
      metadata: { name: 'w1' },
      status: {
        nodeInfo: source('boot-0').nodeInfo,
        capacity: { 'example.com/gpu': '1' },
        conditions: ['OutOfDisk', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
          type,
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: '2019-06-01T00:00:45Z',
        })),
      },
    };
    const status = setNodeStatus(node, 'w1', source('boot-1', ['kubernetes.io/vsphere-volume/v1']), '2019-06-01T00:05:00Z', r.record);
    expect(status.conditions?.map((c) => [c.type, c.status, c.lastTransitionTime, c.lastHeartbeatTime])).toEqual([
      ['MemoryPressure', 'False', '2019-06-01T00:05:00Z', '2019-06-01T00:05:00Z'],
      ['DiskPressure', 'False', '2019-06-01T00:05:00Z', '2019-06-01T00:05:00Z'],
      ['PIDPressure', 'False', '2019-06-01T00:05:00Z', '2019-06-01T00:05:00Z'],
      ['Ready', 'True', '2019-06-01T00:05:00Z', '2019-06-01T00:05:00Z'],
    ]);
    expect(r.events).toEqual([
      'Warning Rebooted: Node w1 has been rebooted, boot id: boot-1',
      'Normal NodeHasSufficientMemory: Node w1 status is now: NodeHasSufficientMemory',
      'Normal NodeHasNoDiskPressure: Node w1 status is now: NodeHasNoDiskPressure',
      'Normal NodeHasSufficientPID: Node w1 status is now: NodeHasSufficientPID',
      'Normal NodeReady: Node w1 status is now: NodeReady',
    ]);
    expect(status.capacity).toEqual({ 'example.com/gpu': '1', cpu: '4', memory: '16Gi', pods: '110' });
    expect(status.volumesInUse).toEqual(['kubernetes.io/vsphere-volume/v1']);
    expect(setNodeStatus({ ...node, status }, 'w1', source('boot-1'), '2019-06-01T00:05:10Z', r.record).volumesInUse).toBeUndefined();
  });

  it('keeps transition times of unchanged conditions and records nothing', () => {
    const first = setNodeStatus({ metadata: { name: 'w1' } }, 'w1', source(), '2019-06-01T00:00:00Z', () => undefined);
    const r = recorder();
    const second = setNodeStatus({ metadata: { name: 'w1' }, status: first }, 'w1', source(), '2019-06-01T00:00:10Z', r.record);
    expect(second.conditions?.every((c) => c.lastTransitionTime === '2019-06-01T00:00:00Z' && c.lastHeartbeatTime === '2019-06-01T00:00:10Z')).toBe(true);
    expect(r.events).toEqual([]);
    expect(nodeStatusHasChanged(first, second)).toBe(false);
    expect(nodeStatusHasChanged(first, { ...second, volumesInUse: ['v'] })).toBe(true);
  });
});

describe('setNodeStatus on a heartbeat (structural sharing)', () => {
  const frozenSource = (): NodeStatusSource => {
    const s = source('boot-1', ['kubernetes.io/vsphere-volume/v1']);
    return Object.freeze({
      ...s,
      addresses: Object.freeze(s.addresses),
      capacity: Object.freeze(s.capacity),
      allocatable: Object.freeze(s.allocatable),
      nodeInfo: Object.freeze(s.nodeInfo),
      daemonEndpoints: Object.freeze(s.daemonEndpoints),
      images: Object.freeze(s.images),
      volumesInUse: Object.freeze(s.volumesInUse),
    });
  };

  it('keeps every unchanged member of the stored status, and renews only the heartbeats', () => {
    const src = frozenSource();
    const first = setNodeStatus({ metadata: { name: 'w1' } }, 'w1', src, '2019-06-01T00:00:00Z', () => undefined);
    const second = setNodeStatus({ metadata: { name: 'w1' }, status: first }, 'w1', src, '2019-06-01T00:00:10Z', () => undefined);
    for (const member of ['addresses', 'capacity', 'allocatable', 'nodeInfo', 'daemonEndpoints', 'images', 'volumesInUse'] as const) {
      expect(second[member]).toBe(first[member]);
    }
    expect(second.conditions).not.toBe(first.conditions);
    expect(second.conditions?.map((c) => c.lastHeartbeatTime)).toEqual(Array.from({ length: 4 }, () => '2019-06-01T00:00:10Z'));
  });

  it('merges capacity over the stored one only when a value differs', () => {
    const src = frozenSource();
    const stored = { 'example.com/gpu': '1', cpu: '4', memory: '16Gi', pods: '110' };
    const kept = setNodeStatus({ metadata: { name: 'w1' }, status: { capacity: stored } }, 'w1', src, '2019-06-01T00:00:00Z', () => undefined);
    expect(kept.capacity).toBe(stored);
    const changed = setNodeStatus({ metadata: { name: 'w1' }, status: { capacity: { ...stored, cpu: '2' } } }, 'w1', src, '2019-06-01T00:00:00Z', () => undefined);
    expect(changed.capacity).toEqual(stored);
  });

  it('builds conditions with the members in the order they always had', () => {
    const first = setNodeStatus({ metadata: { name: 'w1' } }, 'w1', source(), '2019-06-01T00:00:00Z', () => undefined);
    const second = setNodeStatus({ metadata: { name: 'w1' }, status: first }, 'w1', source(), '2019-06-01T00:00:10Z', () => undefined);
    for (const status of [first, second]) {
      expect(status.conditions?.map((c) => Object.keys(c).join(','))).toEqual([
        ...Array.from({ length: 3 }, () => 'type,status,lastHeartbeatTime,reason,message,lastTransitionTime'),
        'type,status,reason,message,lastHeartbeatTime,lastTransitionTime',
      ]);
    }
  });
});

describe('nodeStatusHasChanged', () => {
  const cond = (type: string, status: string, heartbeat: string) => ({ type, status, lastHeartbeatTime: heartbeat, lastTransitionTime: 't0' });

  it('ignores heartbeat times and the order of conditions, and sees any other difference', () => {
    const a = { conditions: [cond('Ready', 'True', 'h1'), cond('DiskPressure', 'False', 'h1')], capacity: { cpu: '4' } };
    expect(nodeStatusHasChanged(a, { ...a, conditions: [cond('Ready', 'True', 'h2'), cond('DiskPressure', 'False', 'h2')] })).toBe(false);
    expect(nodeStatusHasChanged(a, { ...a, conditions: [cond('DiskPressure', 'False', 'h2'), cond('Ready', 'True', 'h2')] })).toBe(false);
    expect(nodeStatusHasChanged(a, { ...a, conditions: [cond('Ready', 'False', 'h2'), cond('DiskPressure', 'False', 'h2')] })).toBe(true);
    expect(nodeStatusHasChanged(a, { ...a, conditions: [cond('DiskPressure', 'False', 'h2'), cond('Ready', 'False', 'h2')] })).toBe(true);
    expect(nodeStatusHasChanged(a, { ...a, conditions: [cond('Ready', 'True', 'h2')] })).toBe(true);
    expect(nodeStatusHasChanged(a, { ...a, capacity: { cpu: '2' } })).toBe(true);
    expect(nodeStatusHasChanged(a, { ...a, images: undefined })).toBe(false);
    expect(nodeStatusHasChanged(a, { conditions: a.conditions })).toBe(true);
    expect(nodeStatusHasChanged(undefined, {})).toBe(false);
    expect(nodeStatusHasChanged(undefined, a)).toBe(true);
  });
});

const loop = (nodeLease: boolean, statusSource: () => NodeStatusSource = () => source()) => {
  const sim = createSimulation();
  const client = sim.api.client('kubelet', nodeLocation('w1'));
  const status = new KubeletNodeStatus({
    clock: sim.clock,
    client,
    nodeName: 'w1',
    owner: 'kubelet/w1',
    labels: { 'kubernetes.io/hostname': 'w1' },
    registerWithTaints: [],
    nodeStatusUpdateFrequency: 10_000,
    nodeStatusReportFrequency: 60_000,
    nodeLease,
    source: statusSource,
    recordEvent: () => undefined,
  });
  const nodeWrites = () => sim.trace.entries.filter((e): e is WriteTraceEntry => e.type === 'write' && e.kind === 'Node').map((e) => [e.verb, e.t]);
  return { sim, status, nodeWrites };
};

describe('KubeletNodeStatus', () => {
  it('retries registration while cut off, sleeping 100 ms doubling to 7 s', () => {
    const { sim, status, nodeWrites } = loop(true);
    sim.reachability.set(nodeLocation('w1'), false);
    status.start();
    sim.clock.runFor(10_000);
    sim.reachability.set(nodeLocation('w1'), true);
    sim.clock.runFor(10_000);
    // Attempts at 0.1, 0.3, 0.7, 1.5, 3.1, 6.3, 12.7 s.
    expect(nodeWrites()).toEqual([['create', 12_700]]);
    expect(status.registrationCompleted).toBe(true);
  });

  it('with the NodeLease gate posts an unchanged status only every report frequency; without it every tick', () => {
    const lease = loop(true);
    lease.status.start();
    lease.sim.clock.runFor(130_000);
    expect(lease.nodeWrites()).toEqual([
      ['create', 100],
      ['status', 60_100],
      ['status', 120_100],
    ]);
    expect(lease.status.lastStatusReportTime).toBe(120_100);
    const noLease = loop(false);
    noLease.status.start();
    noLease.sim.clock.runFor(30_000);
    expect(noLease.nodeWrites()).toEqual([
      ['create', 100],
      ['status', 10_100],
      ['status', 20_100],
    ]);
  });

  it('never registers again in the same process once its Node is deleted', () => {
    const { sim, status, nodeWrites } = loop(false);
    status.start();
    sim.clock.runFor(1_000);
    sim.api.client('kubectl').delete('Node', 'w1');
    sim.clock.runFor(60_000);
    expect(nodeWrites().filter(([verb]) => verb === 'create')).toEqual([['create', 100]]);
    status.stop();
    sim.clock.runFor(60_000);
    expect(sim.clock.pending().filter((t) => t.owner === 'kubelet/w1')).toEqual([]);
  });

  it.each([[[]], [['kubernetes.io/vsphere-volume/[ds] kubevols/a.vmdk']]])('writes a frozen status the API server stores as it is, and heartbeats of an unchanged machine match setNodeStatus (volumes in use: %j)', (volumesInUse: string[]) => {
    // One frozen source object, as the kubelet's: the heartbeat's fast path applies.
    const fixed = freezeCopy(source('boot-1', volumesInUse));
    const { sim, status } = loop(false, () => fixed);
    const kubectl = sim.api.client('kubectl');
    status.start();
    sim.clock.runFor(1_000);
    const statuses: Node[] = [];
    for (let i = 0; i < 4; i++) {
      const before = kubectl.get('Node', 'w1');
      if (E.isLeft(before)) throw new Error(before.left.message);
      sim.clock.runFor(10_000);
      const after = kubectl.get('Node', 'w1');
      if (E.isLeft(after)) throw new Error(after.left.message);
      statuses.push(after.right);
      // What the full setters make of the previous Node at that instant, frozen as stored.
      const expected = setNodeStatus(before.right, 'w1', fixed, sim.clock.iso(sim.clock.now() - 900), () => undefined);
      expect(after.right.status).toEqual(expected);
      expect(JSON.stringify(after.right.status)).toBe(JSON.stringify(expected));
      expect(Object.isFrozen(after.right.status)).toBe(true);
      expect(after.right.status?.conditions?.every((c) => Object.isFrozen(c))).toBe(true);
      // Members that did not change are the stored ones.
      expect(after.right.status?.nodeInfo).toBe(before.right.status?.nodeInfo);
    }
    expect(statuses.map((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime)).toEqual([
      sim.clock.iso(10_100),
      sim.clock.iso(20_100),
      sim.clock.iso(30_100),
      sim.clock.iso(40_100),
    ]);
  });

  it('takes the full setters again when someone else changed the status (a condition set to Unknown, volumesAttached)', () => {
    const fixed = freezeCopy(source());
    const events: string[] = [];
    const sim = createSimulation();
    const status = new KubeletNodeStatus({
      clock: sim.clock,
      client: sim.api.client('kubelet', nodeLocation('w1')),
      nodeName: 'w1',
      owner: 'kubelet/w1',
      labels: {},
      registerWithTaints: [],
      nodeStatusUpdateFrequency: 10_000,
      nodeStatusReportFrequency: 60_000,
      nodeLease: false,
      source: () => fixed,
      recordEvent: (type, reason) => events.push(`${type} ${reason}`),
    });
    status.start();
    sim.clock.runFor(20_200);
    const controller = sim.api.client('node-controller');
    const got = controller.get('Node', 'w1');
    if (E.isLeft(got)) throw new Error(got.left.message);
    const node = got.right;
    const conditions = (node.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c));
    const attached = [{ name: 'kubernetes.io/vsphere-volume/[ds] kubevols/d.vmdk', devicePath: '' }];
    expect(E.isRight(controller.updateStatus('Node', { ...node, status: { ...node.status, conditions, volumesAttached: attached } }))).toBe(true);
    events.length = 0;
    sim.clock.runFor(10_000);
    const after = controller.get('Node', 'w1');
    if (E.isLeft(after)) throw new Error(after.left.message);
    // Ready again with a new transition time and its event; the controller's member kept.
    expect(after.right.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: sim.clock.iso(30_100) });
    expect(after.right.status?.volumesAttached).toEqual(attached);
    expect(events).toEqual(['Normal NodeReady']);
  });

  it('keeps the member order of conditions and a status someone else built, heartbeat after heartbeat', () => {
    const fixed = freezeCopy(source('boot-1', ['kubernetes.io/vsphere-volume/[ds] kubevols/a.vmdk']));
    const { sim, status } = loop(false, () => fixed);
    status.start();
    sim.clock.runFor(1_000);
    // The node controller's Unknown conditions (reason and message before the times) and a
    // member after volumesInUse: the setters copy both as they come.
    const controller = sim.api.client('node-controller');
    const got = controller.get('Node', 'w1');
    if (E.isLeft(got)) throw new Error(got.left.message);
    const conditions = (got.right.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: c.lastHeartbeatTime,
      lastTransitionTime: '2019-06-01T00:00:01Z',
    }));
    const attached = [{ name: 'kubernetes.io/vsphere-volume/[ds] kubevols/a.vmdk', devicePath: '' }];
    expect(E.isRight(controller.updateStatus('Node', { ...got.right, status: { ...got.right.status, conditions, volumesAttached: attached } }))).toBe(true);
    for (let i = 0; i < 4; i++) {
      const before = controller.get('Node', 'w1');
      if (E.isLeft(before)) throw new Error(before.left.message);
      sim.clock.runFor(10_000);
      const after = controller.get('Node', 'w1');
      if (E.isLeft(after)) throw new Error(after.left.message);
      const expected = setNodeStatus(before.right, 'w1', fixed, sim.clock.iso(sim.clock.now() - 900), () => undefined);
      expect(JSON.stringify(after.right.status)).toBe(JSON.stringify(expected));
      expect(Object.keys(after.right.status ?? {}).slice(-3)).toEqual(['conditions', 'volumesInUse', 'volumesAttached']);
      expect(Object.keys(after.right.status?.conditions?.[0] ?? {})).toEqual(['type', 'status', 'reason', 'message', 'lastHeartbeatTime', 'lastTransitionTime']);
    }
  });
});


describe('KubeletNodeStatus heartbeats of several nodes', () => {
  it('share one frozen conditions array between nodes whose conditions differ only in heartbeats, and build their own otherwise, as the setters would', () => {
    const sim = createSimulation();
    const fixed = freezeCopy(source());
    const names = ['w1', 'w2', 'w3'];
    // Started together: they register, and heartbeat, at the same instants, w1 first.
    for (const name of names) {
      new KubeletNodeStatus({
        clock: sim.clock,
        client: sim.api.client('kubelet', nodeLocation(name)),
        nodeName: name,
        owner: `kubelet/${name}`,
        labels: { 'kubernetes.io/hostname': name },
        registerWithTaints: [],
        nodeStatusUpdateFrequency: 10_000,
        nodeStatusReportFrequency: 60_000,
        nodeLease: false,
        source: () => fixed,
        recordEvent: () => undefined,
      }).start();
    }
    // Registered, and the first status written by the full setters (the heartbeats follow).
    sim.clock.runFor(11_000);
    const controller = sim.api.client('node-controller');
    const nodes = () =>
      names.map((name) => {
        const got = controller.get('Node', name);
        if (E.isLeft(got)) throw new Error(got.left.message);
        return got.right;
      });
    for (let i = 0; i < 4; i++) {
      if (i === 1) {
        // w3's Ready set Unknown: its next write takes the full setters (Ready with a new
        // transition time), and its heartbeats after that differ from w1's.
        const w3 = nodes()[2]!;
        const conditions = (w3.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c));
        expect(E.isRight(controller.updateStatus('Node', { ...w3, status: { ...w3.status, conditions } }))).toBe(true);
      }
      const before = nodes();
      sim.clock.runFor(10_000);
      const after = nodes();
      after.forEach((node, n) => {
        const expected = setNodeStatus(before[n]!, names[n]!, fixed, sim.clock.iso(sim.clock.now() - 900), () => undefined);
        expect(JSON.stringify(node.status)).toBe(JSON.stringify(expected));
        expect(Object.isFrozen(node.status?.conditions)).toBe(true);
        expect(node.status?.conditions?.every((c) => Object.isFrozen(c))).toBe(true);
      });
      const [w1, w2, w3] = after.map((node) => node.status?.conditions);
      expect(w2).toBe(w1);
      if (i === 0) expect(w3).toBe(w1);
      else expect(w3).not.toBe(w1);
    }
  });
});

describe('KubeletNodeStatus with the NodeLease gate, between reports', () => {
  const gated = () => {
    const fixed = freezeCopy(source());
    const events: string[] = [];
    const sim = createSimulation();
    const status = new KubeletNodeStatus({
      clock: sim.clock,
      client: sim.api.client('kubelet', nodeLocation('w1')),
      nodeName: 'w1',
      owner: 'kubelet/w1',
      labels: {},
      registerWithTaints: [],
      nodeStatusUpdateFrequency: 10_000,
      nodeStatusReportFrequency: 60_000,
      nodeLease: true,
      source: () => fixed,
      recordEvent: (type, reason) => events.push(`${type} ${reason}@${sim.clock.now()}`),
    });
    const nodeWrites = () => sim.trace.entries.filter((e): e is WriteTraceEntry => e.type === 'write' && e.kind === 'Node').map((e) => [e.verb, e.t]);
    return { sim, status, events, nodeWrites, fixed };
  };

  it('still reports a cordon at the next tick, and writes at the report frequency what the full setters give', () => {
    const { sim, status, events, nodeWrites, fixed } = gated();
    status.start();
    sim.clock.runFor(25_000);
    const kubectl = sim.api.client('kubectl');
    const got = kubectl.get('Node', 'w1');
    if (E.isLeft(got)) throw new Error(got.left.message);
    expect(E.isRight(kubectl.update('Node', { ...got.right, spec: { ...got.right.spec, unschedulable: true } }))).toBe(true);
    const before = kubectl.get('Node', 'w1');
    if (E.isLeft(before)) throw new Error(before.left.message);
    sim.clock.runFor(40_000);
    expect(events.filter((e) => e.startsWith('Normal NodeNotSchedulable'))).toEqual(['Normal NodeNotSchedulable@30100']);
    expect(nodeWrites()).toEqual([
      ['create', 100],
      ['update', 25_000],
      ['status', 60_100],
    ]);
    const after = kubectl.get('Node', 'w1');
    if (E.isLeft(after)) throw new Error(after.left.message);
    expect(JSON.stringify(after.right.status)).toBe(JSON.stringify(setNodeStatus(before.right, 'w1', fixed, sim.clock.iso(60_100), () => undefined)));
  });

  it('writes between reports when the status it wrote has a Ready condition the setters would change', () => {
    const { sim, status, nodeWrites } = gated();
    status.start();
    sim.clock.runFor(1_000);
    // A second Ready condition, Unknown, that setNodeStatus (which sets the first) leaves
    // and heartbeatStatus (which renews every Ready) turns True.
    const kubectl = sim.api.client('kubectl');
    const got = kubectl.get('Node', 'w1');
    if (E.isLeft(got)) throw new Error(got.left.message);
    const conditions = [...(got.right.status?.conditions ?? []), { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }];
    expect(E.isRight(kubectl.updateStatus('Node', { ...got.right, status: { ...got.right.status, conditions } }))).toBe(true);
    sim.clock.runFor(75_000);
    // kubectl's write; the report at 60 s (the full setters leave the second Ready as it
    // is); at 70 s the heartbeat's setters turn it True, which is written at once.
    expect(nodeWrites().filter(([verb]) => verb === 'status')).toEqual([
      ['status', 1_000],
      ['status', 60_100],
      ['status', 70_100],
    ]);
  });
});
