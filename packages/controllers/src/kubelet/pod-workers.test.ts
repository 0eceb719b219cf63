import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, EventRecorder, nodeLocation, type EventTraceEntry } from '@failsim/core';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { profile114 } from '../profiles/profiles.js';
import { defaultTimings } from '../runtime/context.js';
import { ContainerRuntime } from './container-runtime.js';
import { containerGracePeriodSeconds, PodWorkers, type ExitHook } from './pod-workers.js';
import { ProberManager } from './prober-manager.js';
import { StatusManager } from './status-manager.js';
import { ImmediateVolumeManager } from './volume-manager.js';

const setup = (options: { images?: string[]; exitAfter?: ExitHook } = {}) => {
  const sim = createSimulation();
  const ctx = { sim, profile: profile114, timings: defaultTimings };
  const client = sim.api.client('kubelet', nodeLocation('w1'));
  const kubectl = sim.api.client('kubectl');
  const recorder = new EventRecorder(client, { component: 'kubelet', host: 'w1' }, { trace: sim.trace });
  const runtime = new ContainerRuntime({
    clock: sim.clock,
    random: sim.random.fork('rt'),
    nodeName: 'w1',
    runtimeVersion: 'docker://18.6.1',
    podCIDR: '10.200.0.0/24',
    hostIP: '10.0.0.10',
    ...(options.images ? { images: options.images } : {}),
  });
  const pods = new Map<string, Pod>();
  let ready = true;
  let workers: PodWorkers | undefined = undefined;
  const prober = new ProberManager({ clock: sim.clock, runtime, recorder, probe: () => true, owner: 'kubelet/w1', onChange: (uid) => workers?.enqueue(uid) });
  workers = new PodWorkers({
    ctx,
    owner: 'kubelet/w1',
    hostIP: '10.0.0.10',
    runtime,
    statusManager: new StatusManager(sim.clock, client),
    prober,
    volumeManager: new ImmediateVolumeManager(),
    recorder,
    source: {
      pod: (uid) => pods.get(uid),
      statusTarget: (pod) => {
        const got = kubectl.get('Pod', pod.metadata?.name ?? '');
        return E.isRight(got) && got.right.metadata?.uid === pod.metadata?.uid ? got.right : undefined;
      },
      sourcesReady: () => ready,
      syncMirrorPod: () => true,
    },
    exitAfter: options.exitAfter ?? (() => undefined),
    terminationDuration: () => 1_000,
  });
  runtime.onContainerExit((uid) => workers.enqueue(uid));
  const add = (name: string, containers: Container[], spec: Partial<Pod['spec']> = {}): string => {
    const created = kubectl.create('Pod', { metadata: { name }, spec: { nodeName: 'w1', containers, ...spec } });
    if (E.isLeft(created)) throw new Error(created.left.message);
    const uid = created.right.metadata?.uid ?? '';
    pods.set(uid, created.right);
    workers.enqueue(uid);
    return uid;
  };
  const events = (object: string) =>
    sim.trace.entries.filter((e): e is EventTraceEntry => e.type === 'event' && e.object === `Pod/default/${object}`).map((e) => [e.t, e.reason, e.message]);
  const get = (name: string): Pod | undefined => {
    const got = kubectl.get('Pod', name);
    return E.isRight(got) ? got.right : undefined;
  };
  return { sim, runtime, workers, pods, add, events, get, setReady: (r: boolean) => (ready = r) };
};

describe('containerGracePeriodSeconds', () => {
  it('is the deletion grace period, else the termination grace period, never below 2 s', () => {
    expect(containerGracePeriodSeconds({ metadata: { deletionGracePeriodSeconds: 10 }, spec: { containers: [], terminationGracePeriodSeconds: 30 } })).toBe(10);
    expect(containerGracePeriodSeconds({ spec: { containers: [], terminationGracePeriodSeconds: 30 } })).toBe(30);
    expect(containerGracePeriodSeconds({ metadata: { deletionGracePeriodSeconds: 0 }, spec: { containers: [] } })).toBe(2);
    expect(containerGracePeriodSeconds(undefined)).toBe(2);
  });
});

describe('PodWorkers', () => {
  it('starts a pod containers one after the other', () => {
    const { sim, add, events } = setup({ images: ['nginx:1.17'] });
    add('web', [
      { name: 'app', image: 'nginx:1.17' },
      { name: 'log', image: 'fluentd:1.4' },
    ]);
    sim.clock.runFor(10_000);
    expect(events('web')).toEqual([
      [0, 'Pulled', 'Container image "nginx:1.17" already present on machine'],
      [300, 'Created', 'Created container app'],
      [500, 'Started', 'Started container app'],
      [500, 'Pulling', 'Pulling image "fluentd:1.4"'],
      [4_500, 'Pulled', 'Successfully pulled image "fluentd:1.4"'],
      [4_800, 'Created', 'Created container log'],
      [5_000, 'Started', 'Started container log'],
    ]);
  });

  it('pulls images of different pods one at a time', () => {
    const { sim, add, events } = setup();
    add('a', [{ name: 'app', image: 'nginx:1.17' }]);
    add('b', [{ name: 'app', image: 'redis:5.0' }]);
    sim.clock.runFor(10_000);
    expect(events('a').map(([t, reason]) => [t, reason])).toEqual([
      [0, 'Pulling'],
      [4_000, 'Pulled'],
      [4_300, 'Created'],
      [4_500, 'Started'],
    ]);
    expect(events('b').map(([t, reason]) => [t, reason])).toEqual([
      [0, 'Pulling'],
      [8_000, 'Pulled'],
      [8_300, 'Created'],
      [8_500, 'Started'],
    ]);
  });

  it('pulls again with policy Always, and refuses to start a missing image with policy Never', () => {
    const { sim, add, events, get } = setup({ images: ['nginx:1.17'] });
    add('always', [{ name: 'app', image: 'nginx:1.17', imagePullPolicy: 'Always' }]);
    add('never', [{ name: 'app', image: 'redis:5.0', imagePullPolicy: 'Never' }]);
    sim.clock.runFor(1_000);
    expect(events('always').slice(0, 2)).toEqual([
      [0, 'Pulling', 'Pulling image "nginx:1.17"'],
      [0, 'Pulled', 'Successfully pulled image "nginx:1.17"'],
    ]);
    expect(events('never')).toEqual([[0, 'ErrImageNeverPull', 'Container image "redis:5.0" is not present with pull policy of Never']]);
    expect(get('never')?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ErrImageNeverPull');
  });

  it('lets a pod with restartPolicy Never finish: Succeeded, no restart, its IP given back', () => {
    const { sim, runtime, add, get } = setup({ images: ['busybox:1.30'], exitAfter: () => ({ afterMs: 2_000, exitCode: 0 }) });
    const uid = add('job', [{ name: 'app', image: 'busybox:1.30' }], { restartPolicy: 'Never' });
    sim.clock.runFor(30_000);
    expect(get('job')?.status?.phase).toBe('Succeeded');
    expect(get('job')?.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(runtime.pod(uid)?.containers).toHaveLength(1);
    expect(runtime.pod(uid)?.sandbox?.ready).toBe(false);
  });

  it('kills nothing it cannot find before its pod sources are ready', () => {
    const { sim, runtime, workers, pods, add, setReady } = setup({ images: ['nginx:1.17'] });
    const uid = add('web', [{ name: 'app', image: 'nginx:1.17' }]);
    sim.clock.runFor(1_000);
    pods.delete(uid);
    setReady(false);
    workers.enqueue(uid);
    sim.clock.runFor(10_000);
    expect(runtime.latest(uid, 'app')?.state).toBe('running');
    setReady(true);
    workers.enqueue(uid);
    sim.clock.runFor(10_000);
    expect(runtime.pod(uid)).toBeUndefined();
  });

  it('abandons a container start in progress when stopped', () => {
    const { sim, runtime, workers, add } = setup();
    const uid = add('web', [{ name: 'app', image: 'nginx:1.17' }]);
    sim.clock.runFor(1_000);
    workers.stop();
    sim.clock.runFor(10_000);
    expect(runtime.pod(uid)?.containers).toEqual([]);
    // The runtime's pull went on without the kubelet.
    expect(runtime.hasImage('nginx:1.17')).toBe(true);
  });

  it('kills a pod gone from its source as it last synced it, remembering it without its status', () => {
    const { sim, runtime, workers, pods, add } = setup({ images: ['nginx:1.17'] });
    const uid = add('web', [{ name: 'app', image: 'nginx:1.17' }]);
    sim.clock.runFor(1_000);
    // The sandbox's record keeps metadata and spec of the synced pod, not its status.
    const kept = runtime.pod(uid)?.pod;
    expect(kept?.status).toBeUndefined();
    expect(kept?.metadata).toBe(pods.get(uid)?.metadata);
    pods.delete(uid);
    workers.enqueue(uid);
    sim.clock.runFor(10_000);
    const killing = sim.trace.entries.filter((e): e is EventTraceEntry => e.type === 'event' && e.reason === 'Killing');
    expect(killing.map((e) => [e.t, e.object, e.message])).toEqual([[1_000, 'Pod/default/web', 'Stopping container app']]);
    // Stopped 1 s later, then forgotten.
    expect(runtime.pod(uid)).toBeUndefined();
  });
});


describe('PodWorkers container start timers', () => {
  it('labels each step of a start with its purpose, as a clock observer and the pending list read it', () => {
    const { sim, add } = setup();
    const scheduled: string[] = [];
    const unobserve = sim.clock.observe({ scheduled: (_id, _dueAt, label) => scheduled.push(`${label.owner}: ${label.purpose}`), fired: () => undefined, cancelled: () => undefined });
    add('web', [{ name: 'app', image: 'nginx:1.17' }]);
    sim.clock.runFor(0);
    const pendingPurposes = () => sim.clock.pending().filter((t) => t.owner === 'kubelet/w1').map((t) => t.purpose);
    expect(pendingPurposes()).toContain('pull image for container app of default/web');
    sim.clock.runFor(60_000);
    unobserve();
    expect(scheduled.filter((s) => s.includes('container app of default/web'))).toEqual([
      'kubelet/w1: pull image for container app of default/web',
      'kubelet/w1: create container app of default/web',
      'kubelet/w1: start container app of default/web',
    ]);
  });

  it('cancels the pending step of each start when stopped, whichever step it is', () => {
    const { sim, workers, add } = setup({ images: ['busybox:1.31'] });
    const mine = () => sim.clock.pending().filter((t) => t.owner === 'kubelet/w1' && t.purpose.includes(' container ')).map((t) => t.purpose);
    add('pulling', [{ name: 'app', image: 'nginx:1.17' }]);
    add('present', [{ name: 'app', image: 'busybox:1.31' }]);
    sim.clock.runFor(0);
    expect(mine()).toEqual(['create container app of default/present', 'pull image for container app of default/pulling']);
    // The created container waits to start; the pulled one's create is pending.
    sim.clock.runUntil(sim.clock.now() + defaultTimings.containerCreate);
    expect(mine()).toContain('start container app of default/present');
    workers.stop();
    expect(mine()).toEqual([]);
  });
});

