import { describe, expect, it } from '@jest/globals';
import { SimClock } from '@failsim/core';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { RuntimeContainer, RuntimePod } from './container-runtime.js';
import { containerStatus, generatePodStatus, getPhase, podQOSClass, type PodStatusInput } from './pod-status.js';

const clock = new SimClock();
const pod = (restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', names = ['app']): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { restartPolicy, containers: names.map((name) => ({ name, image: 'nginx:1.17' })) },
});

const attempt = (name: string, restartCount: number, state: RuntimeContainer['state'], extra: Partial<RuntimeContainer> = {}): RuntimeContainer => ({
  id: `docker://${name}${restartCount}`,
  podUid: 'u',
  sandboxId: 's',
  name,
  image: 'nginx:1.17',
  imageID: 'docker-pullable://nginx@sha256:x',
  restartCount,
  state,
  createdAt: 0,
  ...(state !== 'created' ? { startedAt: 1_000 } : {}),
  ...(state === 'exited' ? { finishedAt: 2_000, exitCode: 1, reason: 'Error' } : {}),
  ...extra,
});

const runtimePod = (containers: RuntimeContainer[]): RuntimePod => ({
  uid: 'u',
  namespace: 'default',
  name: 'p',
  pod: pod(),
  sandbox: { id: 's', ip: '10.200.0.7', ready: true, createdAt: 0 },
  containers,
});

const input = (p: Pod, containers: RuntimeContainer[] | undefined, extra: Partial<PodStatusInput> = {}): PodStatusInput => ({
  pod: p,
  runtimePod: containers ? runtimePod(containers) : undefined,
  hostIP: '10.0.0.10',
  isReady: () => true,
  clock,
  ...extra,
});

const spec = { name: 'app', image: 'nginx:1.17' };

describe('containerStatus', () => {
  it('shows a container the runtime does not have yet as ContainerCreating', () => {
    expect(containerStatus(input(pod(), undefined), spec)).toEqual({
      name: 'app',
      image: 'nginx:1.17',
      imageID: '',
      ready: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
    });
  });

  it('shows a running attempt with its readiness, id and the previous attempt as lastState', () => {
    const status = containerStatus(input(pod(), [attempt('app', 0, 'exited'), attempt('app', 1, 'running')], { isReady: () => false }), spec);
    expect(status).toEqual({
      name: 'app',
      image: 'nginx:1.17',
      imageID: 'docker-pullable://nginx@sha256:x',
      ready: false,
      restartCount: 1,
      containerID: 'docker://app1',
      state: { running: { startedAt: '2019-06-01T00:00:01Z' } },
      lastState: {
        terminated: { exitCode: 1, reason: 'Error', startedAt: '2019-06-01T00:00:01Z', finishedAt: '2019-06-01T00:00:02Z', containerID: 'docker://app0' },
      },
    });
  });

  it('builds the statuses of created, running and exited attempts frozen all through', () => {
    const deepFrozen = (v: unknown): boolean => v === null || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(deepFrozen));
    for (const attempts of [[attempt('app', 0, 'created')], [attempt('app', 0, 'exited'), attempt('app', 1, 'running')], [attempt('app', 0, 'exited')]]) {
      expect(deepFrozen(containerStatus(input(pod(), attempts), spec))).toBe(true);
    }
  });

  it('shows an exited attempt in back-off as waiting, with the exit as lastState', () => {
    const waiting = new Map([['app', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_default(u)' }]]);
    const status = containerStatus(input(pod(), [attempt('app', 3, 'exited')], { waiting }), spec);
    expect(status.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_default(u)' } });
    expect(status.lastState?.terminated?.exitCode).toBe(1);
    expect(status.restartCount).toBe(3);
  });
});

describe('getPhase', () => {
  const s = (name: string, state: ContainerStatus['state'], lastState?: ContainerStatus['lastState']): ContainerStatus => ({
    name,
    image: '',
    imageID: '',
    ready: false,
    restartCount: 0,
    ...(state ? { state } : {}),
    ...(lastState ? { lastState } : {}),
  });
  const running = { running: {} };
  const ok = { terminated: { exitCode: 0 } };
  const failed = { terminated: { exitCode: 1 } };
  const waiting = { waiting: { reason: 'ContainerCreating' } };

  it('follows upstream for each mix of container states and restart policy', () => {
    expect(getPhase(pod('Always', ['a', 'b']), [s('a', running), s('b', waiting)])).toBe('Pending');
    expect(getPhase(pod('Always', ['a', 'b']), [s('a', running), s('b', { waiting: { reason: 'CrashLoopBackOff' } }, failed)])).toBe('Running');
    expect(getPhase(pod('Always', ['a']), [s('a', failed)])).toBe('Running');
    expect(getPhase(pod('Never', ['a', 'b']), [s('a', ok), s('b', ok)])).toBe('Succeeded');
    expect(getPhase(pod('Never', ['a', 'b']), [s('a', ok), s('b', failed)])).toBe('Failed');
    expect(getPhase(pod('OnFailure', ['a']), [s('a', failed)])).toBe('Running');
    expect(getPhase(pod('OnFailure', ['a']), [s('a', ok)])).toBe('Succeeded');
    expect(getPhase(pod('Always', ['a', 'b']), [s('a', running)])).toBe('Pending');
  });
});

describe('generatePodStatus', () => {
  it('lists unready containers in Ready and ContainersReady, with host and pod IPs and the QoS class', () => {
    const p = pod('Always', ['app', 'sidecar']);
    const status = generatePodStatus(input(p, [attempt('app', 0, 'running')], { isReady: () => true }));
    expect(status).toMatchObject({ phase: 'Pending', hostIP: '10.0.0.10', podIP: '10.200.0.7', qosClass: 'BestEffort' });
    expect(status.conditions).toEqual([
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [sidecar]' },
      { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [sidecar]' },
      { type: 'PodScheduled', status: 'True' },
    ]);
  });

  it('is Ready when every container runs and is ready; PodCompleted once it succeeded', () => {
    expect(generatePodStatus(input(pod(), [attempt('app', 0, 'running')])).conditions?.[1]).toEqual({ type: 'Ready', status: 'True' });
    const done = generatePodStatus(input(pod('Never'), [attempt('app', 0, 'exited', { exitCode: 0, reason: 'Completed' })]));
    expect(done.phase).toBe('Succeeded');
    expect(done.conditions?.[1]).toEqual({ type: 'Ready', status: 'False', reason: 'PodCompleted' });
  });
});

describe('podQOSClass', () => {
  it('is BestEffort without requests or limits, Guaranteed with equal limits, else Burstable', () => {
    const withResources = (resources: object): Pod => ({ spec: { containers: [{ name: 'a', resources }] } });
    expect(podQOSClass(withResources({}))).toBe('BestEffort');
    expect(podQOSClass(withResources({ limits: { cpu: '1', memory: '1Gi' } }))).toBe('Guaranteed');
    expect(podQOSClass(withResources({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }))).toBe('Guaranteed');
    expect(podQOSClass(withResources({ requests: { cpu: '500m' } }))).toBe('Burstable');
  });
});

describe('generatePodStatus output form', () => {
  it('keeps the members and conditions in the order the API sees them, with or without a sandbox', () => {
    const p = pod('Always', ['app', 'sidecar']);
    const withSandbox = generatePodStatus(input(p, [attempt('app', 0, 'running'), attempt('sidecar', 0, 'created')], { isReady: () => false }));
    expect(JSON.stringify(withSandbox)).toBe(
      JSON.stringify({
        phase: 'Pending',
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app sidecar]' },
          { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app sidecar]' },
          { type: 'PodScheduled', status: 'True' },
        ],
        hostIP: '10.0.0.10',
        podIP: '10.200.0.7',
        containerStatuses: [
          { name: 'app', image: 'nginx:1.17', imageID: 'docker-pullable://nginx@sha256:x', ready: false, restartCount: 0, state: { running: { startedAt: '2019-06-01T00:00:01Z' } }, containerID: 'docker://app0' },
          { name: 'sidecar', image: 'nginx:1.17', imageID: 'docker-pullable://nginx@sha256:x', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
        qosClass: 'BestEffort',
      }),
    );
    const withoutSandbox = generatePodStatus(input(p, undefined));
    expect(Object.keys(withoutSandbox)).toEqual(['phase', 'conditions', 'hostIP', 'containerStatuses', 'qosClass']);
    expect(withoutSandbox.phase).toBe('Pending');
  });

  it('names containers with unknown and unready statuses in one message, as upstream joins them', () => {
    // Statuses missing for a spec container ("unknown") come from getPhase's inputs, not from
    // generatePodStatus, which reports every container: the message is checked through the
    // conditions of a status whose containers are all unready.
    const p = pod('Always', ['a', 'b', 'c']);
    const status = generatePodStatus(input(p, [attempt('a', 0, 'running'), attempt('b', 0, 'running')], { isReady: (c) => c.name === 'a' }));
    expect(status.conditions?.[1]).toEqual({ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [b c]' });
    // The same message again is the same string (made once per set of names).
    const again = generatePodStatus(input(p, [attempt('a', 0, 'running'), attempt('b', 0, 'running')], { isReady: (c) => c.name === 'a' }));
    expect(again.conditions?.[2]?.message).toBe(status.conditions?.[1]?.message);
  });
});

describe('generatePodStatus shared conditions', () => {
  it('gives pods in one readiness state the same frozen conditions, equal to freshly built ones', () => {
    const p = pod('Always', ['a', 'b']);
    const ready = (): ReturnType<typeof generatePodStatus> => generatePodStatus(input(p, [attempt('a', 0, 'running'), attempt('b', 0, 'running')]));
    const first = ready();
    const second = ready();
    expect(second.conditions).toBe(first.conditions);
    expect(Object.isFrozen(first.conditions)).toBe(true);
    expect(first.conditions?.every((c) => Object.isFrozen(c))).toBe(true);
    expect(JSON.stringify(first.conditions)).toBe(
      JSON.stringify([
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ]),
    );
    const notReady = generatePodStatus(input(p, [attempt('a', 0, 'running'), attempt('b', 0, 'created')]));
    expect(notReady.conditions).toBe(generatePodStatus(input(p, [attempt('a', 0, 'running'), attempt('b', 0, 'created')])).conditions);
    expect(notReady.conditions).not.toBe(first.conditions);
    const done = generatePodStatus(input(pod('Never', ['a']), [attempt('a', 0, 'exited', { exitCode: 0, reason: 'Completed' })]));
    expect(JSON.stringify(done.conditions?.slice(1, 3))).toBe(
      JSON.stringify([
        { type: 'Ready', status: 'False', reason: 'PodCompleted' },
        { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' },
      ]),
    );
  });
});

describe('podQOSClass against upstream rules', () => {
  // GetPodQOS over cpu and memory, written as the rules read, for every combination.
  const reference = (containers: { requests: Record<string, string>; limits: Record<string, string> }[]): string => {
    let any = false;
    let guaranteed = containers.length > 0;
    for (const c of containers) {
      for (const r of ['cpu', 'memory']) {
        if (c.requests[r] !== undefined || c.limits[r] !== undefined) any = true;
        if (c.limits[r] === undefined || (c.requests[r] !== undefined && c.requests[r] !== c.limits[r])) guaranteed = false;
      }
    }
    return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
  };

  it('agrees with the rules for every mix of cpu and memory requests and limits', () => {
    const values = [undefined, '1', '2'];
    const records: Record<string, string>[] = [];
    for (const cpu of values) for (const memory of values) records.push({ ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) });
    for (const requests of records) {
      for (const limits of records) {
        const containers = [{ requests, limits }, { requests: { cpu: '1' }, limits: { cpu: '1', memory: '1' } }];
        for (const n of [1, 2]) {
          const spec: Pod = { spec: { containers: containers.slice(0, n).map((c, i) => ({ name: `c${i}`, resources: c })) } };
          expect(podQOSClass(spec)).toBe(reference(containers.slice(0, n)));
        }
      }
    }
  });
});
