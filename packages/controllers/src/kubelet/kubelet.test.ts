import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, nodeLocation, type ApiError, type EventTraceEntry, type Simulation, type WriteTraceEntry } from '@failsim/core';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { profile112, profile114 } from '../profiles/profiles.js';
import type { VersionProfile } from '../profiles/profile.js';
import { defaultTimings } from '../runtime/context.js';
import { Kubelet, type KubeletConfig } from './kubelet.js';
import type { VolumeManager } from './volume-manager.js';

const right = <T>(r: E.Either<ApiError, T>): T => {
  if (E.isLeft(r)) throw new Error(`${r.left.reason}: ${r.left.message}`);
  return r.right;
};

const setup = (config: Partial<KubeletConfig> = {}, profile: VersionProfile = profile114) => {
  const sim = createSimulation({ seed: 7 });
  const kubelet = new Kubelet({ sim, profile, timings: defaultTimings }, { nodeName: 'w1', ...config });
  const kubectl = sim.api.client('kubectl');
  return { sim, kubelet, kubectl };
};

const container = (name: string, image: string, extra: Partial<Container> = {}): Container => ({ name, image, ...extra });

const createPod = (sim: Simulation, name: string, containers: Container[], extra: Partial<Pod['spec']> = {}): Pod =>
  right(sim.api.client('kubectl').create('Pod', { metadata: { name }, spec: { nodeName: 'w1', containers, ...extra } }));

const events = (sim: Simulation, object?: string): { t: number; type: string; reason: string; message: string }[] =>
  sim.trace.entries
    .filter((e): e is EventTraceEntry => e.type === 'event' && (object === undefined || e.object === object))
    .map((e) => ({ t: e.t, type: e.eventType, reason: e.reason, message: e.message }));

const writes = (sim: Simulation, kind: string, verb?: string): WriteTraceEntry[] =>
  sim.trace.entries.filter((e): e is WriteTraceEntry => e.type === 'write' && e.kind === kind && (verb === undefined || e.verb === verb) && e.by.startsWith('kubelet@'));

const getPod = (sim: Simulation, name: string): Pod | undefined => {
  const got = sim.api.client('kubectl').get('Pod', name);
  return E.isRight(got) ? got.right : undefined;
};

describe('Kubelet registration', () => {
  it('registers its Node 100 ms after start with labels, addresses, capacity, node info and kubelet conditions', () => {
    const { sim, kubelet, kubectl } = setup({ labels: { 'node-role.kubernetes.io/worker': '' }, registerWithTaints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    kubelet.start();
    sim.clock.runFor(1_000);
    expect(writes(sim, 'Node', 'create').map((w) => w.t)).toEqual([100]);
    const node = right(kubectl.get('Node', 'w1'));
    expect(node.metadata?.labels).toEqual({
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'w1',
      'kubernetes.io/os': 'linux',
      'node-role.kubernetes.io/worker': '',
    });
    expect(node.metadata?.annotations).toEqual({ 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' });
    expect(node.spec?.taints).toEqual([{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    expect(node.status?.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.0.10' },
      { type: 'Hostname', address: 'w1' },
    ]);
    expect(node.status?.capacity).toEqual({ cpu: '4', memory: '16Gi', pods: '110' });
    expect(node.status?.allocatable).toEqual({ cpu: '4', memory: '16Gi', pods: '110' });
    expect(node.status?.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(node.status?.nodeInfo).toMatchObject({
      kubeletVersion: 'v1.14.3',
      kubeProxyVersion: 'v1.14.3',
      osImage: 'Ubuntu 16.04.5 LTS',
      kernelVersion: '4.15.0-43-generic',
      containerRuntimeVersion: 'docker://18.6.1',
      operatingSystem: 'linux',
      architecture: 'amd64',
      bootID: kubelet.bootID,
    });
    expect(node.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', '2019-06-01T00:00:00Z'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', '2019-06-01T00:00:00Z'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', '2019-06-01T00:00:00Z'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', '2019-06-01T00:00:00Z'],
    ]);
    expect(events(sim, 'Node/w1').map((e) => [e.t, e.reason, e.message])).toEqual([
      [0, 'Starting', 'Starting kubelet.'],
      [0, 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods'],
      [100, 'NodeHasSufficientMemory', 'Node w1 status is now: NodeHasSufficientMemory'],
      [100, 'NodeHasNoDiskPressure', 'Node w1 status is now: NodeHasNoDiskPressure'],
      [100, 'NodeHasSufficientPID', 'Node w1 status is now: NodeHasSufficientPID'],
    ]);
    expect(kubelet.running).toBe(true);
  });

  it('keeps a previously registered Node as it is, reconciling only default labels, and records NodeReady when Ready turns true', () => {
    const { sim, kubelet, kubectl } = setup();
    right(
      kubectl.create('Node', {
        metadata: { name: 'w1', labels: { 'kubernetes.io/hostname': 'old-name', team: 'a' } },
        spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
        status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] },
      }),
    );
    const uid = right(kubectl.get('Node', 'w1')).metadata?.uid;
    kubelet.start();
    sim.clock.runFor(1_000);
    const node = right(kubectl.get('Node', 'w1'));
    expect(node.metadata?.uid).toBe(uid);
    expect(node.metadata?.labels).toMatchObject({ 'kubernetes.io/hostname': 'w1', team: 'a', 'kubernetes.io/os': 'linux' });
    expect(node.spec?.unschedulable).toBe(true);
    expect(node.spec?.taints).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]);
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: '2019-06-01T00:00:00Z' });
    expect(events(sim, 'Node/w1').map((e) => e.reason)).toEqual(expect.arrayContaining(['NodeReady', 'NodeNotSchedulable']));
    expect(events(sim, 'Node/w1').find((e) => e.reason === 'NodeReady')?.message).toBe('Node w1 status is now: NodeReady');
  });

  it('does not re-create a Node deleted while it runs, until it is restarted; the Lease is re-created without owner', () => {
    const { sim, kubelet, kubectl } = setup();
    kubelet.start();
    sim.clock.runFor(20_000);
    const first = right(kubectl.get('Node', 'w1'));
    right(kubectl.patch('Node', 'w1', { spec: { unschedulable: true, taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } }, { type: 'merge' }));
    right(kubectl.delete('Node', 'w1'));
    sim.clock.runFor(120_000);
    expect(E.isLeft(kubectl.get('Node', 'w1'))).toBe(true);
    const lease = right(kubectl.get('Lease', 'w1', 'kube-node-lease'));
    expect(lease.metadata?.ownerReferences).toBeUndefined();
    expect(lease.spec?.renewTime).toBe('2019-06-01T00:02:20.000000Z');
    kubelet.stop();
    kubelet.start();
    sim.clock.runFor(1_000);
    const again = right(kubectl.get('Node', 'w1'));
    expect(again.metadata?.uid).not.toBe(first.metadata?.uid);
    expect(again.spec?.unschedulable).toBeUndefined();
    expect(again.spec?.taints).toBeUndefined();
    expect(writes(sim, 'Node', 'create').map((w) => w.t)).toEqual([100, 140_100]);
  });
});

describe('Kubelet heartbeats', () => {
  it('1.14: computes status every 10 s, posts it only every 60 s when unchanged, renews its Lease every 10 s', () => {
    const { sim, kubelet, kubectl } = setup();
    kubelet.start();
    sim.clock.runFor(125_000);
    // The status written at 100 ms right after registration equals the created one: the
    // server skips no-op writes, so the first status write is the 60 s report.
    expect(writes(sim, 'Node', 'status').map((w) => w.t)).toEqual([60_100, 120_100]);
    const leaseWrites = writes(sim, 'Lease');
    expect(leaseWrites.map((w) => [w.verb, w.t])).toEqual([
      ['create', 0],
      ...Array.from({ length: 12 }, (_, i) => ['update', (i + 1) * 10_000]),
    ]);
    const lease = right(kubectl.get('Lease', 'w1', 'kube-node-lease'));
    const node = right(kubectl.get('Node', 'w1'));
    expect(lease.spec).toEqual({ holderIdentity: 'w1', leaseDurationSeconds: 40, renewTime: '2019-06-01T00:02:00.000000Z' });
    expect(lease.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'w1', uid: node.metadata?.uid }]);
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime).toBe('2019-06-01T00:02:00Z');
  });

  it('heartbeats share the stored status members: only conditions are new objects, images change with a pull', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['pause:3.1'] }, profile112);
    kubelet.start();
    sim.clock.runFor(10_200);
    const before = right(kubectl.get('Node', 'w1')).status ?? {};
    expect(Object.isFrozen(before.images)).toBe(true);
    sim.clock.runFor(10_000);
    const after = right(kubectl.get('Node', 'w1')).status ?? {};
    expect(after.conditions?.[0]?.lastHeartbeatTime).toBe('2019-06-01T00:00:20Z');
    for (const member of ['addresses', 'capacity', 'allocatable', 'nodeInfo', 'daemonEndpoints', 'images'] as const) expect(after[member]).toBe(before[member]);
    createPod(sim, 'web', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(60_000);
    const pulled = right(kubectl.get('Node', 'w1')).status ?? {};
    expect(pulled.images?.flatMap((i) => i.names?.slice(1) ?? []).sort()).toEqual(['nginx:1.17', 'pause:3.1']);
    // The entry of the image that was already there is the same object.
    expect(pulled.images?.find((i) => i.names?.[1] === 'pause:3.1')).toBe(before.images?.[0]);
    expect(pulled.nodeInfo).toBe(before.nodeInfo);
  });

  it('1.12: posts node status every 10 s and has no Lease', () => {
    const { sim, kubelet, kubectl } = setup({}, profile112);
    kubelet.start();
    sim.clock.runFor(45_000);
    expect(writes(sim, 'Node', 'status').map((w) => w.t)).toEqual([10_100, 20_100, 30_100, 40_100]);
    expect(writes(sim, 'Lease')).toEqual([]);
    expect(E.isLeft(kubectl.get('Lease', 'w1', 'kube-node-lease'))).toBe(true);
    expect(right(kubectl.get('Node', 'w1')).status?.nodeInfo?.kubeletVersion).toBe('v1.12.4');
  });

  it('posts a changed status at once: a cordon is reported at the next 10 s tick with NodeNotSchedulable', () => {
    const { sim, kubelet, kubectl } = setup();
    kubelet.start();
    sim.clock.runFor(15_000);
    right(kubectl.patch('Node', 'w1', { spec: { unschedulable: true } }, { type: 'merge' }));
    sim.clock.runFor(10_000);
    expect(events(sim, 'Node/w1').filter((e) => e.reason === 'NodeNotSchedulable').map((e) => e.t)).toEqual([20_100]);
  });
});

const probed = container('web', 'nginx:1.17', { readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5, periodSeconds: 10 } });

describe('Kubelet pod sync', () => {
  it('pulls, creates and starts a container at upstream times, then turns Ready on the first passing probe', () => {
    const { sim, kubelet } = setup();
    kubelet.start();
    sim.clock.runFor(1_000);
    const created = createPod(sim, 'web-0', [probed]);
    sim.clock.runFor(4_600);
    const running = getPod(sim, 'web-0')!;
    expect(running.status?.phase).toBe('Running');
    expect(running.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    sim.clock.runFor(10_000);
    expect(events(sim, 'Pod/default/web-0').map((e) => [e.t, e.reason, e.message])).toEqual([
      [1_000, 'Pulling', 'Pulling image "nginx:1.17"'],
      [5_000, 'Pulled', 'Successfully pulled image "nginx:1.17"'],
      [5_300, 'Created', 'Created container web'],
      [5_500, 'Started', 'Started container web'],
    ]);
    const pod = getPod(sim, 'web-0')!;
    expect(pod.status).toMatchObject({ phase: 'Running', hostIP: '10.0.0.10', podIP: '10.200.0.2', startTime: '2019-06-01T00:00:01Z', qosClass: 'BestEffort' });
    expect(pod.status?.conditions?.map((c) => [c.type, c.status, c.lastTransitionTime])).toEqual([
      ['Initialized', 'True', '2019-06-01T00:00:01Z'],
      ['Ready', 'True', '2019-06-01T00:00:11Z'],
      ['ContainersReady', 'True', '2019-06-01T00:00:11Z'],
      ['PodScheduled', 'True', '2019-06-01T00:00:01Z'],
    ]);
    const status = pod.status?.containerStatuses?.[0];
    expect(status).toMatchObject({ name: 'web', ready: true, restartCount: 0, image: 'nginx:1.17', state: { running: { startedAt: '2019-06-01T00:00:05Z' } } });
    expect(status?.containerID).toMatch(/^docker:\/\/[0-9a-f]{64}$/);
    expect(status?.imageID).toMatch(/^docker-pullable:\/\/nginx@sha256:[0-9a-f]{64}$/);
    expect(kubelet.containers()).toEqual([
      expect.objectContaining({ podUid: created.metadata?.uid, podName: 'web-0', container: 'web', state: 'running', startedAt: 5_500, restartCount: 0 }),
    ]);
  });

  it('answers containers() with the same frozen list until a container changes', () => {
    const { sim, kubelet } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    sim.clock.runFor(1_000);
    const empty = kubelet.containers();
    expect(empty).toEqual([]);
    expect(kubelet.containers()).toBe(empty);
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(400);
    // Created at 1.3 s, not started yet.
    const created = kubelet.containers();
    expect(created.map((c) => [c.podName, c.state])).toEqual([['web-0', 'created']]);
    expect(Object.isFrozen(created) && Object.isFrozen(created[0])).toBe(true);
    sim.clock.runFor(10_000);
    const running = kubelet.containers();
    expect(running).not.toBe(created);
    expect(running.map((c) => [c.podName, c.state, c.startedAt])).toEqual([['web-0', 'running', 1_500]]);
    // Node status heartbeats and pod status syncs change no container.
    sim.clock.runFor(30_000);
    expect(kubelet.containers()).toBe(running);
    sim.api.client('kubectl').delete('Pod', 'web-0');
    sim.clock.runFor(2_000);
    expect(kubelet.containers()).toEqual([]);
  });

  it('tells onContainersChange listeners each time containers() will give a new list, until stopped', () => {
    const { sim, kubelet } = setup({ images: ['nginx:1.17'] });
    let told = 0;
    const stop = kubelet.onContainersChange(() => void told++);
    kubelet.start();
    sim.clock.runFor(1_000);
    let last = kubelet.containers();
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')]);
    // Sandbox, create, start; then heartbeats and status syncs: a new list exactly when told.
    for (let t = 0; t < 40; t++) {
      const before = told;
      sim.clock.runFor(500);
      const now = kubelet.containers();
      expect([t, now !== last]).toEqual([t, told !== before]);
      last = now;
    }
    expect(last.map((c) => c.state)).toEqual(['running']);
    stop();
    const after = told;
    sim.api.client('kubectl').delete('Pod', 'web-0');
    sim.clock.runFor(2_000);
    expect(kubelet.containers()).toEqual([]);
    expect(told).toBe(after);
  });

  it('lists containers by namespace, pod and container name, keeping the rows of containers that did not change', () => {
    const { sim, kubelet } = setup({ images: ['nginx:1.17', 'busybox:1.30'] });
    kubelet.start();
    sim.clock.runFor(1_000);
    createPod(sim, 'web-1', [container('web', 'nginx:1.17'), container('log', 'busybox:1.30')]);
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(30_000);
    const running = kubelet.containers();
    expect(running.map((c) => [c.podName, c.container, c.state])).toEqual([
      ['web-0', 'web', 'running'],
      ['web-1', 'log', 'running'],
      ['web-1', 'web', 'running'],
    ]);
    expect(Object.keys(running[0] ?? {})).toEqual(['podUid', 'namespace', 'podName', 'container', 'containerID', 'image', 'state', 'startedAt', 'restartCount']);
    sim.api.client('kubectl').delete('Pod', 'web-0');
    sim.clock.runFor(500);
    // web-0's container is stopping, which rebuilds the list: web-1's rows are the same objects.
    const stopping = kubelet.containers();
    expect(stopping).not.toBe(running);
    expect(stopping.slice(1)).toEqual(running.slice(1));
    expect(stopping[1]).toBe(running[1]);
    expect(stopping[2]).toBe(running[2]);
  });

  it('reports an image already on the node as present and starts without pulling', () => {
    const { sim, kubelet } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    sim.clock.runFor(1_000);
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(1_000);
    expect(events(sim, 'Pod/default/web-0').map((e) => [e.t, e.reason, e.message])).toEqual([
      [1_000, 'Pulled', 'Container image "nginx:1.17" already present on machine'],
      [1_300, 'Created', 'Created container web'],
      [1_500, 'Started', 'Started container web'],
    ]);
    expect(getPod(sim, 'web-0')?.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: '2019-06-01T00:00:01Z' });
  });

  it('uses the profile texts: 1.12 events without the container name', () => {
    const { sim, kubelet } = setup({}, profile112);
    kubelet.start();
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(10_000);
    expect(events(sim, 'Pod/default/web-0').map((e) => e.message)).toEqual(['pulling image "nginx:1.17"', 'Successfully pulled image "nginx:1.17"', 'Created container', 'Started container']);
  });

  it('ends a graceful deletion with Killing, the containers stopped and the pod removed with grace 0', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(10_000);
    right(kubectl.delete('Pod', 'web-0'));
    expect(getPod(sim, 'web-0')?.metadata?.deletionTimestamp).toBe('2019-06-01T00:00:40Z');
    sim.clock.runFor(5_000);
    expect(getPod(sim, 'web-0')).toBeUndefined();
    expect(events(sim, 'Pod/default/web-0').filter((e) => e.reason === 'Killing').map((e) => [e.t, e.message])).toEqual([[10_000, 'Stopping container web']]);
    expect(writes(sim, 'Pod', 'remove').map((w) => [w.t, w.by])).toEqual([[11_000, 'kubelet@node/w1']]);
    expect(kubelet.containers()).toEqual([]);
  });

  it('kills a container that ignores SIGTERM at the end of its grace period', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['nginx:1.17'], terminationDuration: () => 60_000 });
    kubelet.start();
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')], { terminationGracePeriodSeconds: 10 });
    sim.clock.runFor(10_000);
    right(kubectl.delete('Pod', 'web-0'));
    sim.clock.runFor(9_999);
    expect(getPod(sim, 'web-0')).toBeDefined();
    expect(kubelet.containers()[0]?.state).toBe('running');
    sim.clock.runFor(1);
    expect(getPod(sim, 'web-0')).toBeUndefined();
  });

  it('restarts a crashing container with CrashLoopBackOff delays of 10, 20, 40 s', () => {
    const { sim, kubelet } = setup({ images: ['busybox:1.30'], exitAfter: () => 1_000 });
    kubelet.start();
    const pod = createPod(sim, 'crash', [container('app', 'busybox:1.30')]);
    sim.clock.runFor(80_000);
    const started = events(sim, 'Pod/default/crash').filter((e) => e.reason === 'Started').map((e) => e.t);
    // Each run lasts 1 s; the first restart is immediate, then back-off 10 s, 20 s, 40 s
    // from the exit, plus 500 ms to create and start.
    expect(started).toEqual([500, 2_000, 13_500, 35_000, 76_500]);
    const backOffs = events(sim, 'Pod/default/crash').filter((e) => e.reason === 'BackOff');
    expect(backOffs.map((e) => e.t)).toEqual([3_000, 14_500, 24_500, 36_000, 46_000, 56_000, 66_000, 77_500]);
    expect(backOffs[0]).toMatchObject({ type: 'Warning', message: 'Back-off restarting failed container' });
    sim.clock.runFor(1_000);
    const status = getPod(sim, 'crash')?.status?.containerStatuses?.[0];
    expect(status?.restartCount).toBe(4);
    expect(status?.state?.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: `back-off 1m20s restarting failed container=app pod=crash_default(${pod.metadata?.uid})`,
    });
    expect(status?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(getPod(sim, 'crash')?.status?.phase).toBe('Running');
  });

  it('marks a probed container unready while its probe fails, with Unhealthy events each period', () => {
    let healthy = true;
    const { sim, kubelet } = setup({ images: ['nginx:1.17'], probe: () => healthy });
    kubelet.start();
    sim.clock.runFor(1_000);
    createPod(sim, 'web-0', [container('web', 'nginx:1.17', { readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5, failureThreshold: 2 } })]);
    sim.clock.runFor(10_000);
    expect(getPod(sim, 'web-0')?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    healthy = false;
    sim.clock.runFor(10_000);
    const unhealthy = events(sim, 'Pod/default/web-0').filter((e) => e.reason === 'Unhealthy');
    expect(unhealthy.map((e) => [e.t, e.type, e.message])).toEqual([
      [16_000, 'Warning', 'Readiness probe failed: '],
      [21_000, 'Warning', 'Readiness probe failed: '],
    ]);
    expect(getPod(sim, 'web-0')?.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', lastTransitionTime: '2019-06-01T00:00:21Z' });
  });
});

describe('Kubelet and reachability', () => {
  it('keeps containers running through a partition; a pod deleted meanwhile goes once the node is back', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')]);
    createPod(sim, 'web-1', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(20_000);
    sim.reachability.set(nodeLocation('w1'), false);
    sim.clock.runFor(10_000);
    right(kubectl.delete('Pod', 'web-0'));
    right(kubectl.delete('Pod', 'web-1', { gracePeriodSeconds: 0 }));
    sim.clock.runFor(90_000);
    expect(getPod(sim, 'web-0')?.metadata?.deletionTimestamp).toBeDefined();
    expect(kubelet.containers().map((c) => [c.podName, c.state])).toEqual([
      ['web-0', 'running'],
      ['web-1', 'running'],
    ]);
    expect(writes(sim, 'Node', 'status').filter((w) => w.t > 20_000 && w.t <= 120_000)).toEqual([]);
    expect(writes(sim, 'Lease').filter((w) => w.t > 20_000 && w.t <= 120_000)).toEqual([]);
    sim.reachability.set(nodeLocation('w1'), true);
    sim.clock.runFor(2_000);
    expect(getPod(sim, 'web-0')).toBeUndefined();
    expect(kubelet.containers()).toEqual([]);
    expect(writes(sim, 'Pod', 'remove').map((w) => w.t)).toEqual([121_000]);
    // The lease is renewed on the ensure back-off's next try, status at the next 10 s tick.
    sim.clock.runFor(10_000);
    expect(writes(sim, 'Lease').filter((w) => w.t > 120_000).length).toBeGreaterThan(0);
    expect(writes(sim, 'Lease').find((w) => w.t > 120_000)!.t).toBeLessThanOrEqual(127_000);
  });
});

describe('Kubelet and the status others write', () => {
  it('puts Ready back at the next status sync batch after the node controller marked the pod not ready', () => {
    const { sim, kubelet } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    createPod(sim, 'web-0', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(20_000);
    sim.reachability.set(nodeLocation('w1'), false);
    sim.clock.runFor(25_000);
    // What MarkAllPodsNotReady writes while the kubelet is cut off.
    const nodeController = sim.api.client('node-controller');
    const pod = getPod(sim, 'web-0')!;
    const conditions = pod.status?.conditions?.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: '2019-06-01T00:00:45Z' } : c));
    right(nodeController.updateStatus('Pod', { ...pod, status: { ...pod.status, conditions } }));
    sim.clock.runFor(30_000);
    sim.reachability.set(nodeLocation('w1'), true);
    sim.clock.runFor(4_999);
    expect(getPod(sim, 'web-0')?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    sim.clock.runFor(1);
    // syncBatch ticks every 10 s from the kubelet's start: 80 s.
    expect(getPod(sim, 'web-0')?.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: '2019-06-01T00:00:00Z' });
    expect(kubelet.containers().map((c) => c.restartCount)).toEqual([0]);
  });
});

describe('Kubelet power cycle', () => {
  it('after a power-off, deletes at restart a pod deleted meanwhile and restarts the others with restartCount 1', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    createPod(sim, 'a', [container('web', 'nginx:1.17')]);
    createPod(sim, 'b', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(30_000);
    const oldBoot = kubelet.bootID;
    const oldContainer = getPod(sim, 'b')?.status?.containerStatuses?.[0]?.containerID;
    sim.reachability.set(nodeLocation('w1'), false);
    kubelet.stop({ containers: 'kill' });
    expect(kubelet.running).toBe(false);
    expect(kubelet.containers().map((c) => [c.podName, c.state, c.exitCode])).toEqual([
      ['a', 'exited', 255],
      ['b', 'exited', 255],
    ]);
    sim.clock.runFor(10_000);
    right(kubectl.delete('Pod', 'a'));
    sim.clock.runFor(60_000);
    expect(getPod(sim, 'a')?.metadata?.deletionTimestamp).toBeDefined();
    sim.reachability.set(nodeLocation('w1'), true);
    kubelet.start();
    sim.clock.runFor(5_000);
    expect(kubelet.bootID).not.toBe(oldBoot);
    expect(getPod(sim, 'a')).toBeUndefined();
    expect(writes(sim, 'Pod', 'remove').map((w) => w.t)).toEqual([100_000]);
    expect(events(sim, 'Pod/default/a').filter((e) => e.reason === 'Killing')).toEqual([]);
    const b = getPod(sim, 'b')!;
    const status = b.status?.containerStatuses?.[0];
    expect(status).toMatchObject({ restartCount: 1, ready: true, lastState: { terminated: { exitCode: 255, reason: 'Error' } } });
    expect(status?.containerID).not.toBe(oldContainer);
    expect(events(sim, 'Pod/default/b').filter((e) => e.t >= 100_000).map((e) => [e.t, e.reason])).toEqual([
      [100_000, 'SandboxChanged'],
      [100_000, 'Pulled'],
      [100_300, 'Created'],
      [100_500, 'Started'],
    ]);
    expect(events(sim, 'Node/w1').filter((e) => e.reason === 'Rebooted')).toEqual([
      { t: 100_100, type: 'Warning', reason: 'Rebooted', message: `Node w1 has been rebooted, boot id: ${kubelet.bootID}` },
    ]);
    expect(right(kubectl.get('Node', 'w1')).status?.nodeInfo?.bootID).toBe(kubelet.bootID);
  });

  it('after a kubelet restart without power-off, adopts running containers: no restart, no Rebooted', () => {
    const { sim, kubelet } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    createPod(sim, 'a', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(30_000);
    const before = kubelet.containers();
    kubelet.stop();
    sim.clock.runFor(30_000);
    expect(kubelet.containers()).toEqual(before);
    kubelet.start();
    sim.clock.runFor(5_000);
    expect(kubelet.containers()).toEqual(before);
    expect(getPod(sim, 'a')?.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(events(sim, 'Node/w1').filter((e) => e.reason === 'Rebooted')).toEqual([]);
  });

  it('kills at restart the containers of a pod force-deleted while the kubelet was down', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    createPod(sim, 'a', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(10_000);
    kubelet.stop();
    right(kubectl.delete('Pod', 'a', { gracePeriodSeconds: 0 }));
    sim.clock.runFor(10_000);
    expect(kubelet.containers().map((c) => c.state)).toEqual(['running']);
    kubelet.start();
    sim.clock.runFor(1_000);
    expect(kubelet.containers()).toEqual([]);
    expect(events(sim, 'Pod/default/a').filter((e) => e.reason === 'Killing').map((e) => e.t)).toEqual([20_000]);
  });
});

describe('Kubelet started while cut off', () => {
  it('kills nothing until it has listed its pods, then kills only what was deleted', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['nginx:1.17'] });
    kubelet.start();
    createPod(sim, 'a', [container('web', 'nginx:1.17')]);
    createPod(sim, 'b', [container('web', 'nginx:1.17')]);
    sim.clock.runFor(10_000);
    kubelet.stop();
    sim.reachability.set(nodeLocation('w1'), false);
    right(kubectl.delete('Pod', 'b', { gracePeriodSeconds: 0 }));
    sim.clock.runFor(10_000);
    kubelet.start();
    sim.clock.runFor(30_000);
    expect(kubelet.containers().map((c) => [c.podName, c.state])).toEqual([
      ['a', 'running'],
      ['b', 'running'],
    ]);
    sim.reachability.set(nodeLocation('w1'), true);
    sim.clock.runFor(1_000);
    expect(kubelet.containers().map((c) => [c.podName, c.state, c.restartCount])).toEqual([['a', 'running', 0]]);
    expect(events(sim, 'Pod/default/b').filter((e) => e.reason === 'Killing').map((e) => e.t)).toEqual([50_000]);
  });
});

describe('Kubelet static pods', () => {
  const manifest: Pod = { metadata: { name: 'etcd', namespace: 'kube-system' }, spec: { containers: [container('etcd', 'etcd:3.3.10')] } };

  it('runs a static pod without the API server and mirrors it once it can', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['etcd:3.3.10'], staticPods: [manifest] });
    sim.reachability.set(nodeLocation('w1'), false);
    kubelet.start();
    sim.clock.runFor(5_000);
    expect(kubelet.containers().map((c) => [c.podName, c.state])).toEqual([['etcd-w1', 'running']]);
    sim.reachability.set(nodeLocation('w1'), true);
    sim.clock.runFor(20_000);
    const mirror = right(kubectl.get('Pod', 'etcd-w1', 'kube-system'));
    expect(mirror.metadata?.annotations?.['kubernetes.io/config.mirror']).toBe(kubelet.containers()[0]?.podUid);
    expect(mirror.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 'w1' });
    expect(mirror.status?.phase).toBe('Running');
  });

  it('re-creates a deleted mirror pod and never stops the static pod', () => {
    const { sim, kubelet, kubectl } = setup({ images: ['etcd:3.3.10'], staticPods: [manifest] });
    kubelet.start();
    sim.clock.runFor(5_000);
    const first = right(kubectl.get('Pod', 'etcd-w1', 'kube-system'));
    right(kubectl.delete('Pod', 'etcd-w1', { namespace: 'kube-system' }));
    sim.clock.runFor(1_000);
    const second = right(kubectl.get('Pod', 'etcd-w1', 'kube-system'));
    expect(second.metadata?.uid).not.toBe(first.metadata?.uid);
    expect(second.metadata?.deletionTimestamp).toBeUndefined();
    expect(kubelet.containers().map((c) => [c.state, c.restartCount])).toEqual([['running', 0]]);
  });
});

describe('Kubelet volumes', () => {
  it('starts containers only once volumes are mounted, reports volumesInUse and deletes a pod only after unmount', () => {
    let mounted = false;
    let unmounted = false;
    const listeners = new Set<() => void>();
    const volumes: VolumeManager = {
      waitForAttachAndMount: () => (mounted ? 'ready' : { waitingFor: ['data'] }),
      podRemoved: () => undefined,
      podVolumesExist: () => !unmounted,
      volumesInUse: () => (unmounted ? [] : ['kubernetes.io/vsphere-volume/[ds1] kubevols/pv-1.vmdk']),
      onChange: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const { sim, kubelet, kubectl } = setup({ images: ['nginx:1.17'], volumeManager: volumes });
    kubelet.start();
    createPod(sim, 'db', [container('db', 'nginx:1.17')], { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db' } }] });
    sim.clock.runFor(30_000);
    expect(kubelet.containers()).toEqual([]);
    expect(getPod(sim, 'db')?.status).toMatchObject({ phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }] });
    expect(right(kubectl.get('Node', 'w1')).status?.volumesInUse).toEqual(['kubernetes.io/vsphere-volume/[ds1] kubevols/pv-1.vmdk']);
    mounted = true;
    listeners.forEach((l) => l());
    sim.clock.runFor(1_000);
    expect(events(sim, 'Pod/default/db').map((e) => [e.t, e.reason])).toEqual([
      [30_000, 'Pulled'],
      [30_300, 'Created'],
      [30_500, 'Started'],
    ]);
    right(kubectl.delete('Pod', 'db'));
    sim.clock.runFor(5_000);
    expect(getPod(sim, 'db')?.metadata?.deletionTimestamp).toBeDefined();
    unmounted = true;
    listeners.forEach((l) => l());
    sim.clock.runFor(1);
    expect(getPod(sim, 'db')).toBeUndefined();
  });
});
