// Readiness probes: pkg/kubelet/prober/prober_manager.go (AddPod starts one worker per
// probed container when the pod is first synced) and pkg/kubelet/prober/worker.go
// (doProbe: a probe every periodSeconds from the worker's start, skipped until
// initialDelaySeconds after the container started; results count only after
// failureThreshold / successThreshold equal results; a new container starts over from
// the initial value, Failure) · v1.14, before the random first delay of later versions.
// The probe itself is a hook: the model does not run HTTP or exec probes.
import type { EventRecorder, SimClock, TimerHandle, TimerLabel } from '@failsim/core';
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.js';
import type { ContainerRuntime, RuntimeContainer } from './container-runtime.js';

/** Answers a probe of `container` in `pod`: true when it passes. */
export type ProbeHook = (pod: Pod, container: Container) => boolean;

/** Construction options of a {@link ProberManager}. */
export interface ProberManagerOptions {
  readonly clock: SimClock;
  readonly runtime: ContainerRuntime;
  readonly recorder: EventRecorder;
  readonly probe: ProbeHook;
  /** Owner shown on the workers' timers. */
  readonly owner: string;
  /** Called with a pod's uid when one of its containers' readiness changed. */
  readonly onChange: (podUid: string) => void;
}

interface Worker {
  readonly pod: Pod;
  readonly container: Container;
  readonly probe: Probe;
  readonly label: TimerLabel;
  /** The worker's timer action, made once: it reschedules itself every period. */
  readonly run: () => void;
  timer?: TimerHandle;
  containerID?: string;
  ready: boolean;
  lastResult?: boolean;
  resultRun: number;
}

const workerKey = (uid: string, container: string): string => `${uid}/${container}`;

/** Runs the readiness probe workers of one kubelet and answers whether a container is ready. */
export class ProberManager {
  readonly #o: ProberManagerOptions;
  readonly #workers = new Map<string, Worker>();

  constructor(options: ProberManagerOptions) {
    this.#o = options;
  }

  /** Starts a worker for each container of `pod` with a readiness probe (no-op if running). */
  addPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    // An index loop over the stored (frozen) containers, and a key only for a probed one:
    // every pod is added once, and most containers have no readiness probe.
    const containers = pod.spec?.containers ?? [];
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i] as Container;
      const probe = container.readinessProbe;
      if (!probe) continue;
      const key = workerKey(uid, container.name);
      if (!this.#workers.has(key)) this.#startWorker(key, pod, container, probe);
    }
  }

  /**
   * Starts the worker of `container` under `key`. Its own method: the worker's timer action
   * closes over it, and a loop body holding that closure would make a context per
   * container of every pod added, probed or not.
   */
  #startWorker(key: string, pod: Pod, container: Container, probe: Probe): void {
    const podName = `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
    const worker: Worker = {
      pod,
      container,
      probe,
      label: { owner: this.#o.owner, purpose: `readiness probe of ${podName} container ${container.name}` },
      run: () => this.#run(worker),
      ready: false,
      resultRun: 0,
    };
    this.#workers.set(key, worker);
    worker.timer = this.#o.clock.schedule(0, worker.run, worker.label);
  }

  /** Stops the workers of pod `uid`. */
  removePod(uid: string): void {
    // Most kubelets run no probe at all: nothing to walk, no prefix to build.
    if (this.#workers.size === 0) return;
    const prefix = `${uid}/`;
    for (const [key, worker] of this.#workers) {
      if (!key.startsWith(prefix)) continue;
      worker.timer?.cancel();
      this.#workers.delete(key);
    }
  }

  /** Whether `container` (running) is ready: true without a readiness probe, else its worker's last result. */
  isReady(container: RuntimeContainer): boolean {
    // Without workers every container is ready: no key built per running container per status.
    if (this.#workers.size === 0) return true;
    const worker = this.#workers.get(workerKey(container.podUid, container.name));
    if (!worker) return true;
    return worker.containerID === container.id && worker.ready;
  }

  /** Stops every worker. */
  stop(): void {
    for (const worker of this.#workers.values()) worker.timer?.cancel();
    this.#workers.clear();
  }

  #run(worker: Worker): void {
    this.#doProbe(worker);
    const period = (worker.probe.periodSeconds ?? 10) * 1000;
    worker.timer = this.#o.clock.schedule(period, worker.run, worker.label);
  }

  #doProbe(worker: Worker): void {
    const uid = worker.pod.metadata?.uid ?? '';
    const c = this.#o.runtime.latest(uid, worker.container.name);
    if (!c || c.state !== 'running') {
      this.#set(worker, uid, false);
      return;
    }
    if (c.id !== worker.containerID) {
      worker.containerID = c.id;
      worker.lastResult = undefined;
      worker.resultRun = 0;
      this.#set(worker, uid, false);
    }
    // Upstream compares whole seconds since the container started.
    if (Math.floor((this.#o.clock.now() - (c.startedAt ?? 0)) / 1000) < (worker.probe.initialDelaySeconds ?? 0)) return;
    const ok = this.#o.probe(worker.pod, worker.container);
    if (!ok) this.#o.recorder.event(worker.pod, 'Warning', 'Unhealthy', 'Readiness probe failed: ', `spec.containers{${worker.container.name}}`);
    if (worker.lastResult === ok) worker.resultRun++;
    else {
      worker.lastResult = ok;
      worker.resultRun = 1;
    }
    const threshold = ok ? (worker.probe.successThreshold ?? 1) : (worker.probe.failureThreshold ?? 3);
    if (worker.resultRun < threshold) return;
    this.#set(worker, uid, ok);
  }

  #set(worker: Worker, uid: string, ready: boolean): void {
    if (worker.ready === ready) return;
    worker.ready = ready;
    this.#o.onChange(uid);
  }
}
