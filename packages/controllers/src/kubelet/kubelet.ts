// The kubelet of one node: pkg/kubelet/kubelet.go (Run: node status loop, node lease
// controller, pod config from the API server and the manifest directory, pod workers,
// housekeeping) · v1.14, with the parts in the files beside this one. The machine under
// it (container runtime, boot id) outlives the kubelet process: `stop()` ends the
// process, `stop({ containers: 'kill' })` is a power-off. Facts: reference §1, §2.2, §8.
import * as E from 'fp-ts/lib/Either.js';
import { filter, take, type Subscription } from 'rxjs';
import { deepEqual, EventRecorder, Informer, nodeLocation, type ApiClient, type InformerEvent, type KubeObject, type SeededRandom, type TimerHandle } from '@failsim/core';
import type { ContainerImage, NodeSystemInfo, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { Component, ControllerContext } from '../runtime/context.js';
import { keyOf } from '../runtime/pod-util.js';
import { ContainerRuntime, newestAttempt, type ContainerState, type RuntimeContainer, type RuntimeImage, type RuntimePod } from './container-runtime.js';
import { KubeletNodeStatus, type NodeStatusSource } from './kubelet-node-status.js';
import { NodeLeaseController } from './node-lease-controller.js';
import { PodWorkers, type ExitHook, type PodSource, type TerminationHook } from './pod-workers.js';
import { ProberManager, type ProbeHook } from './prober-manager.js';
import { CONFIG_MIRROR_ANNOTATION, isMirrorPod, isMirrorPodOf, isStaticPod, mirrorPodOf, staticPod } from './static-pods.js';
import { STATUS_SYNC_PERIOD_MS, StatusManager } from './status-manager.js';
import { ImmediateVolumeManager, type VolumeManager, type VolumeManagerFactory } from './volume-manager.js';

/** Resource quantities a node reports (capacity or allocatable). */
export interface NodeResources {
  readonly cpu?: string;
  readonly memory?: string;
  readonly pods?: string;
  readonly [resource: string]: string | undefined;
}

/** What a kubelet is started with: its flags, its machine, and the model's hooks. */
export interface KubeletConfig {
  /** --hostname-override / the Node's name. */
  readonly nodeName: string;
  /** The node's number in its cluster; picks the default IP (10.0.0.<10+i>) and pod CIDR (10.200.<i>.0/24). */
  readonly nodeIndex?: number;
  /** --node-labels (e.g. node-role labels), merged over hostname, os and arch labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Machine capacity. Default 4 cpu, 16Gi memory, 110 pods (--max-pods). */
  readonly capacity?: NodeResources;
  /** Allocatable; each resource defaults to its capacity. */
  readonly allocatable?: NodeResources;
  /** The node's addresses: InternalIP (default from nodeIndex) and Hostname (default the node name). */
  readonly addresses?: { readonly internalIP?: string; readonly hostname?: string };
  /** The node's pod CIDR (host-local IPAM range). Default from nodeIndex. */
  readonly podCIDR?: string;
  /** Overrides of node.status.nodeInfo (kubeletVersion defaults to the profile's). */
  readonly nodeInfo?: Partial<NodeSystemInfo>;
  /** --register-with-taints. */
  readonly registerWithTaints?: readonly Taint[];
  /** Pod manifests in the kubelet's manifest directory (--pod-manifest-path). */
  readonly staticPods?: readonly Pod[];
  /** Images already on the machine's disk. */
  readonly images?: readonly string[];
  /** The volume manager, or a factory of it; default: every volume mounted at once ({@link ImmediateVolumeManager}). */
  readonly volumeManager?: VolumeManager | VolumeManagerFactory;
  /** Readiness probe results; default: every probe passes. */
  readonly probe?: ProbeHook;
  /** When a started container exits on its own; default: never. */
  readonly exitAfter?: ExitHook;
  /** How long a container takes to exit after SIGTERM (capped at its grace period); default 1 s. */
  readonly terminationDuration?: TerminationHook;
}

/** A container on the node, for the dashboard. */
export interface NodeContainer {
  readonly podUid: string;
  readonly namespace: string;
  readonly podName: string;
  readonly container: string;
  readonly containerID: string;
  readonly image: string;
  readonly state: ContainerState;
  /** Virtual ms. */
  readonly startedAt?: number;
  /** Virtual ms. */
  readonly finishedAt?: number;
  readonly exitCode?: number;
  readonly restartCount: number;
}

/** Options of {@link Kubelet.stop}. */
export interface KubeletStopOptions {
  /** `keep`: only the kubelet process stops (a restart); `kill`: the machine powers off. Default `keep`. */
  readonly containers?: 'kill' | 'keep';
}

/** Default machine, as the article's PKS workers. */
const DEFAULT_CAPACITY = { cpu: '4', memory: '16Gi', pods: '110' };
const DEFAULT_NODE_INFO = {
  kernelVersion: '4.15.0-43-generic',
  osImage: 'Ubuntu 16.04.5 LTS',
  containerRuntimeVersion: 'docker://18.6.1',
  operatingSystem: 'linux',
  architecture: 'amd64',
};
/** The kubelet's --port. */
const KUBELET_PORT = 10250;

const definedOnly = (r: NodeResources | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(r ?? {}).filter((e): e is [string, string] => e[1] !== undefined));

const hex32 = (random: SeededRandom): string => [0, 1, 2, 3].map(() => random.int(0, 2 ** 32).toString(16).padStart(8, '0')).join('');

/**
 * node.status.images entries by runtime image, frozen once: a pull adds one image, the
 * others stay. Runtimes share their image entries (one per image in the process), so
 * every kubelet shares these too rather than keeping a map and an entry per node.
 */
const statusImages = new WeakMap<RuntimeImage, ContainerImage>();
const statusImage = (image: RuntimeImage): ContainerImage => {
  let entry = statusImages.get(image);
  if (entry === undefined) {
    entry = Object.freeze({ names: Object.freeze([...image.names]) as string[], sizeBytes: image.sizeBytes });
    statusImages.set(image, entry);
  }
  return entry;
};

/** A {@link NodeContainer} and the text the list is sorted by (`namespace/pod/container`). */
interface NodeContainerRow {
  readonly entry: NodeContainer;
  readonly key: string;
}

/**
 * Rows by the attempt they show. Attempts are immutable (the runtime replaces them), so a
 * row stays right while its attempt is the newest: the hazard scan asks for every node's
 * list whenever a container changed, and only the changed attempts' rows are built again,
 * not every row of the node with its sort text built twice per comparison.
 */
const nodeContainerRows = new WeakMap<RuntimeContainer, NodeContainerRow>();

/** The row of attempt `c` of pod `rp`: members in the order the list always had. */
const nodeContainerRow = (rp: RuntimePod, c: RuntimeContainer): NodeContainerRow => {
  let row = nodeContainerRows.get(c);
  if (row === undefined) {
    const entry: { -readonly [K in keyof NodeContainer]: NodeContainer[K] } = {
      podUid: rp.uid,
      namespace: rp.namespace,
      podName: rp.name,
      container: c.name,
      containerID: c.id,
      image: c.image,
      state: c.state,
    } as NodeContainer;
    if (c.startedAt !== undefined) entry.startedAt = c.startedAt;
    if (c.finishedAt !== undefined) entry.finishedAt = c.finishedAt;
    if (c.exitCode !== undefined) entry.exitCode = c.exitCode;
    entry.restartCount = c.restartCount;
    row = { entry: Object.freeze(entry), key: `${rp.namespace}/${rp.name}/${c.name}` };
    nodeContainerRows.set(c, row);
  }
  return row;
};

const byRowKey = (a: NodeContainerRow, b: NodeContainerRow): number => a.key.localeCompare(b.key);

/** The index of the first attempt of container `name`. */
const firstAttemptIndex = (attempts: readonly RuntimeContainer[], name: string): number => {
  for (let i = 0; i < attempts.length; i++) if ((attempts[i] as RuntimeContainer).name === name) return i;
  return -1;
};

/** podsDifferSemantically (pkg/kubelet/config/config.go): what makes a pod update worth a sync. */
const podsDifferSemantically = (a: Pod, b: Pod): boolean =>
  !deepEqual(a.spec, b.spec) ||
  !deepEqual(a.metadata?.labels, b.metadata?.labels) ||
  !deepEqual(a.metadata?.annotations, b.metadata?.annotations) ||
  a.metadata?.deletionTimestamp !== b.metadata?.deletionTimestamp ||
  a.metadata?.deletionGracePeriodSeconds !== b.metadata?.deletionGracePeriodSeconds;

/** The kubelet's fixed facts, resolved from its config once. */
interface Machine {
  readonly hostIP: string;
  readonly hostname: string;
  readonly podCIDR: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly capacity: Readonly<Record<string, string>>;
  readonly allocatable: Readonly<Record<string, string>>;
  readonly nodeInfo: Omit<NodeSystemInfo, 'bootID'>;
}

const resolveMachine = (ctx: ControllerContext, config: KubeletConfig, random: SeededRandom): Machine => {
  const index = config.nodeIndex ?? 0;
  const hostIP = config.addresses?.internalIP ?? `10.0.${Math.floor(index / 240)}.${10 + (index % 240)}`;
  const hostname = config.addresses?.hostname ?? config.nodeName;
  const capacity = { ...DEFAULT_CAPACITY, ...definedOnly(config.capacity) };
  return {
    hostIP,
    hostname,
    podCIDR: config.podCIDR ?? `10.${200 + Math.floor(index / 256)}.${index % 256}.0/24`,
    labels: {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': hostname,
      'kubernetes.io/os': 'linux',
      ...config.labels,
    },
    capacity,
    allocatable: { ...capacity, ...definedOnly(config.allocatable) },
    nodeInfo: {
      machineID: hex32(random),
      systemUUID: random.uuid().toUpperCase(),
      ...DEFAULT_NODE_INFO,
      kubeletVersion: ctx.profile.kubeletVersion,
      kubeProxyVersion: ctx.profile.kubeletVersion,
      ...config.nodeInfo,
    },
  };
};

/**
 * The kubelet of one node, as a {@link Component}. `start()` runs a kubelet process:
 * it registers the Node (once per process), posts node status and renews the node Lease,
 * runs the pods bound to the node and its static pods, and confirms pod deletions.
 * `stop()` ends the process and leaves containers running; `stop({ containers: 'kill' })`
 * powers the machine off, so the next `start()` is a boot (new boot id, pods restarted in
 * new sandboxes). Reachability is the caller's: an unreachable node's kubelet keeps its
 * containers while every API call fails.
 *
 * @example
 * const kubelet = new Kubelet(ctx, { nodeName: 'w1', labels: { 'node-role.kubernetes.io/worker': '' } });
 * kubelet.start();
 * sim.clock.runFor(30_000);
 * kubelet.stop({ containers: 'kill' }); // power-off
 */
export class Kubelet implements Component {
  readonly name = 'kubelet';
  readonly nodeName: string;
  readonly #ctx: ControllerContext;
  readonly #config: KubeletConfig;
  readonly #random: SeededRandom;
  readonly #machine: Machine;
  readonly #runtime: ContainerRuntime;
  readonly #volumeManager: VolumeManager;
  #bootID: string;
  #poweredOff = false;
  #process: KubeletProcess | undefined;
  /** containers() as last built, with the runtime generation it was built at. */
  #containers: { readonly generation: number; readonly list: readonly NodeContainer[] } | undefined;

  constructor(ctx: ControllerContext, config: KubeletConfig) {
    this.#ctx = ctx;
    this.#config = config;
    this.nodeName = config.nodeName;
    this.#random = ctx.sim.random.fork(`kubelet/${config.nodeName}`);
    this.#machine = resolveMachine(ctx, config, this.#random);
    this.#bootID = this.#random.uuid();
    this.#runtime = new ContainerRuntime({
      clock: ctx.sim.clock,
      random: ctx.sim.random.fork(`container-runtime/${config.nodeName}`),
      nodeName: config.nodeName,
      runtimeVersion: this.#machine.nodeInfo.containerRuntimeVersion,
      podCIDR: this.#machine.podCIDR,
      hostIP: this.#machine.hostIP,
      ...(config.images ? { images: config.images } : {}),
    });
    this.#volumeManager =
      typeof config.volumeManager === 'function' ? config.volumeManager(ctx, config.nodeName) : (config.volumeManager ?? new ImmediateVolumeManager());
  }

  /** True while the kubelet process runs. */
  get running(): boolean {
    return this.#process !== undefined;
  }

  /** The machine's current boot id (node.status.nodeInfo.bootID). */
  get bootID(): string {
    return this.#bootID;
  }

  /** The node's InternalIP. */
  get hostIP(): string {
    return this.#machine.hostIP;
  }

  /** Starts a kubelet process (a boot if the machine was powered off). No-op while running. */
  start(): void {
    if (this.#process) return;
    if (this.#poweredOff) {
      this.#bootID = this.#random.uuid();
      this.#poweredOff = false;
    }
    this.#process = new KubeletProcess({
      ctx: this.#ctx,
      config: this.#config,
      machine: this.#machine,
      runtime: this.#runtime,
      volumeManager: this.#volumeManager,
      bootID: this.#bootID,
    });
    this.#process.start();
    this.#volumeManager.start?.();
  }

  /** Stops the kubelet process; with `containers: 'kill'` the machine powers off and every container dies. */
  stop(options: KubeletStopOptions = {}): void {
    this.#process?.stop();
    this.#process = undefined;
    this.#volumeManager.stop?.({ poweredOff: options.containers === 'kill' });
    if (options.containers === 'kill') {
      this.#runtime.powerOff();
      this.#poweredOff = true;
    }
  }

  /** Re-checks at once the pods that wait for volumes to be mounted or unmounted. */
  volumesChanged(): void {
    this.#process?.volumesChanged();
  }

  /**
   * Tells `listener` (synchronously, without arguments) each time a pod or container of
   * the runtime changes, i.e. each time {@link containers} will give a new list: a reader
   * of many nodes' containers (the scenarios' hazard detector) visits only those that
   * changed. Returns what stops it.
   */
  onContainersChange(listener: () => void): () => void {
    return this.#runtime.onChange(listener);
  }

  /**
   * The newest attempt of every container the runtime holds, by pod and container name:
   * one frozen list, the same object until a container or pod of the runtime changes
   * (see {@link onContainersChange}).
   */
  containers(): readonly NodeContainer[] {
    const generation = this.#runtime.generation;
    if (this.#containers?.generation === generation) return this.#containers.list;
    const rows: NodeContainerRow[] = [];
    for (const rp of this.#runtime.pods()) {
      // Each container name once, where its first attempt is, with its newest attempt.
      const attempts = rp.containers;
      for (let i = 0; i < attempts.length; i++) {
        const name = (attempts[i] as RuntimeContainer).name;
        if (firstAttemptIndex(attempts, name) === i) rows.push(nodeContainerRow(rp, newestAttempt(attempts, name) as RuntimeContainer));
      }
    }
    // Stable: two pods of one name (a replaced StatefulSet pod) keep the runtime's order.
    rows.sort(byRowKey);
    const list = new Array<NodeContainer>(rows.length);
    for (let i = 0; i < rows.length; i++) list[i] = (rows[i] as NodeContainerRow).entry;
    Object.freeze(list);
    this.#containers = { generation, list };
    return list;
  }
}

interface ProcessOptions {
  readonly ctx: ControllerContext;
  readonly config: KubeletConfig;
  readonly machine: Machine;
  readonly runtime: ContainerRuntime;
  readonly volumeManager: VolumeManager;
  /** The machine's boot id: a boot happens only between two processes (Kubelet.start). */
  readonly bootID: string;
}

/** One run of the kubelet binary: everything here is lost when it stops. */
class KubeletProcess implements PodSource {
  readonly #o: ProcessOptions;
  readonly #nodeName: string;
  readonly #owner: string;
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;
  readonly #nodeRef: KubeObject;
  readonly #nodeStatus: KubeletNodeStatus;
  readonly #lease: NodeLeaseController | undefined;
  readonly #prober: ProberManager;
  readonly #workers: PodWorkers;
  readonly #informer: Informer<'Pod'>;
  readonly #apiPods = new Map<string, Pod>();
  readonly #mirrorPods = new Map<string, Pod>();
  readonly #staticPods = new Map<string, Pod>();
  readonly #statusManager: StatusManager;
  readonly #statusSyncPending = new Set<string>();
  #statusSyncTimer: TimerHandle | undefined;
  #startedAt = 0;
  readonly #teardown: (() => void)[] = [];
  #housekept = false;

  constructor(options: ProcessOptions) {
    this.#o = options;
    this.#runtime = options.runtime;
    this.#volumeManager = options.volumeManager;
    const { ctx, config, machine, runtime } = options;
    const { clock } = ctx.sim;
    this.#nodeName = config.nodeName;
    this.#owner = `kubelet/${config.nodeName}`;
    this.#client = ctx.sim.api.client('kubelet', nodeLocation(config.nodeName));
    this.#recorder = new EventRecorder(this.#client, { component: 'kubelet', host: config.nodeName }, { trace: ctx.sim.trace });
    // kl.nodeRef: upstream gives it the node's name as UID, so Events can precede the Node.
    this.#nodeRef = { kind: 'Node', metadata: { name: config.nodeName, uid: config.nodeName } };
    const { options: flags, features } = ctx.profile;
    this.#nodeStatus = new KubeletNodeStatus({
      clock,
      client: this.#client,
      nodeName: config.nodeName,
      owner: this.#owner,
      labels: machine.labels,
      registerWithTaints: config.registerWithTaints ?? [],
      nodeStatusUpdateFrequency: flags.nodeStatusUpdateFrequency,
      nodeStatusReportFrequency: flags.nodeStatusReportFrequency,
      nodeLease: features.NodeLease,
      source: () => this.#nodeStatusSource(),
      onRegistered: () => this.#staticPods.forEach((_, uid) => this.#workers.enqueue(uid)),
      recordEvent: (type, reason, message) => this.#recorder.event(this.#nodeRef, type, reason, message),
    });
    this.#lease = features.NodeLease
      ? new NodeLeaseController({ clock, client: this.#client, nodeName: config.nodeName, leaseDurationSeconds: flags.nodeLeaseDurationSeconds, owner: this.#owner })
      : undefined;
    this.#statusManager = new StatusManager(clock, this.#client);
    this.#prober = new ProberManager({
      clock,
      runtime,
      recorder: this.#recorder,
      probe: config.probe ?? (() => true),
      owner: this.#owner,
      onChange: (uid) => this.#workers.enqueue(uid),
    });
    this.#workers = new PodWorkers({
      ctx,
      owner: this.#owner,
      hostIP: machine.hostIP,
      runtime,
      statusManager: this.#statusManager,
      prober: this.#prober,
      volumeManager: options.volumeManager,
      recorder: this.#recorder,
      source: this,
      exitAfter: config.exitAfter ?? (() => undefined),
      terminationDuration: config.terminationDuration ?? (() => 1_000),
    });
    this.#informer = new Informer(this.#client, 'Pod', { fieldSelector: `spec.nodeName=${config.nodeName}` });
  }

  start(): void {
    const { ctx, config, runtime, volumeManager } = this.#o;
    this.#startedAt = ctx.sim.clock.now();
    this.#recorder.event(this.#nodeRef, 'Normal', 'Starting', 'Starting kubelet.');
    this.#recorder.event(this.#nodeRef, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    this.#nodeStatus.start();
    this.#lease?.start();
    this.#teardown.push(runtime.onContainerExit((uid) => this.#workers.enqueue(uid)));
    if (volumeManager.onChange) this.#teardown.push(volumeManager.onChange(() => this.#workers.recheckVolumes()));
    const seen = ctx.sim.clock.iso();
    for (const manifest of config.staticPods ?? []) {
      const pod = staticPod(manifest, this.#nodeName, seen);
      this.#staticPods.set(pod.metadata?.uid ?? '', pod);
      this.#workers.enqueue(pod.metadata?.uid ?? '');
    }
    const subscription: Subscription = this.#informer.events$.subscribe((event) => this.#onPodEvent(event));
    this.#teardown.push(() => subscription.unsubscribe());
    this.#housekeepingWhenSynced();
  }

  stop(): void {
    this.#nodeStatus.stop();
    this.#lease?.stop();
    this.#prober.stop();
    this.#workers.stop();
    this.#statusSyncTimer?.cancel();
    for (const teardown of this.#teardown.splice(0)) teardown();
  }

  volumesChanged(): void {
    this.#workers.recheckVolumes();
  }

  // ---- PodSource ------------------------------------------------------------------

  pod(uid: string): Pod | undefined {
    // Most kubelets have no static pod: their pods are found with one lookup.
    return (this.#staticPods.size === 0 ? undefined : this.#staticPods.get(uid)) ?? this.#apiPods.get(uid);
  }

  sourcesReady(): boolean {
    return this.#housekept;
  }

  statusTarget(pod: Pod): Pod | undefined {
    return isStaticPod(pod) ? this.#mirrorPods.get(keyOf(pod)) : this.#apiPods.get(pod.metadata?.uid ?? '');
  }

  syncMirrorPod(pod: Pod): boolean {
    if (!isStaticPod(pod)) return true;
    let mirror = this.#mirrorPods.get(keyOf(pod));
    if (mirror && (mirror.metadata?.deletionTimestamp || !isMirrorPodOf(mirror, pod))) {
      // A mirror pod being deleted or out of date is replaced (DeleteMirrorPod deletes at once).
      this.#client.delete('Pod', mirror.metadata?.name ?? '', {
        namespace: mirror.metadata?.namespace ?? 'default',
        gracePeriodSeconds: 0,
        preconditions: { uid: mirror.metadata?.uid ?? '' },
      });
      mirror = undefined;
    }
    if (mirror) return true;
    const node = this.#client.get('Node', this.#nodeName);
    if (E.isLeft(node) || node.right.metadata?.deletionTimestamp) return false;
    const created = this.#client.create('Pod', mirrorPodOf(pod, { name: this.#nodeName, uid: node.right.metadata?.uid ?? '' }));
    return E.isRight(created) || created.left.reason === 'AlreadyExists';
  }

  // ---- internals --------------------------------------------------------------------

  /**
   * The pod config's merge (pkg/kubelet/config/config.go · checkAndUpdatePod): a pod
   * added, deleted or changed in spec, labels, annotations or deletion is synced at once;
   * a change of status only is left to the status manager's next sync batch.
   */
  #onPodEvent(event: InformerEvent<Pod>): void {
    const pod = event.object;
    const uid = pod.metadata?.uid ?? '';
    const semantic = event.type !== 'MODIFIED' || !event.old || podsDifferSemantically(event.old, pod);
    if (isMirrorPod(pod)) {
      if (event.type === 'DELETED') {
        if (this.#mirrorPods.get(keyOf(pod))?.metadata?.uid === uid) this.#mirrorPods.delete(keyOf(pod));
      } else this.#mirrorPods.set(keyOf(pod), pod);
      const staticUid = pod.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] ?? '';
      if (!this.#staticPods.has(staticUid)) return;
      if (semantic) this.#workers.enqueue(staticUid);
      else this.#statusReconcile(staticUid);
      return;
    }
    if (event.type === 'DELETED') this.#apiPods.delete(uid);
    else this.#apiPods.set(uid, pod);
    if (semantic) this.#workers.enqueue(uid);
    else this.#statusReconcile(uid);
  }

  /** A status someone else wrote is put back at the next tick of syncBatch (every 10 s since start). */
  #statusReconcile(uid: string): void {
    const pod = this.pod(uid);
    if (!pod || !this.#statusManager.needsReconcile(uid, this.statusTarget(pod))) return;
    this.#statusSyncPending.add(uid);
    if (this.#statusSyncTimer?.active) return;
    const { clock } = this.#o.ctx.sim;
    const elapsed = clock.now() - this.#startedAt;
    const nextTick = this.#startedAt + (Math.floor(elapsed / STATUS_SYNC_PERIOD_MS) + 1) * STATUS_SYNC_PERIOD_MS;
    this.#statusSyncTimer = clock.scheduleAt(nextTick, () => this.#syncBatch(), { owner: this.#owner, purpose: 'pod status sync batch' });
  }

  #syncBatch(): void {
    for (const uid of [...this.#statusSyncPending]) {
      this.#statusSyncPending.delete(uid);
      const pod = this.pod(uid);
      if (pod && this.#statusManager.syncPod(uid, this.statusTarget(pod)).result === 'failed') this.#statusReconcile(uid);
    }
  }

  /**
   * HandlePodCleanups needs every pod source ready: only once the first list is in can the
   * kubelet tell which pods in its runtime were deleted while it was away.
   */
  #housekeepingWhenSynced(): void {
    if (this.#informer.hasSynced) {
      this.#housekeeping();
      return;
    }
    const wait = this.#client.reachable$.pipe(filter(Boolean), take(1)).subscribe(() => {
      // Let the informer relist first: it reacts to the same change.
      const timer = this.#o.ctx.sim.clock.schedule(0, () => this.#housekeepingWhenSynced(), { owner: this.#owner, purpose: 'housekeeping once pods are listed' });
      this.#teardown.push(() => timer.cancel());
    });
    this.#teardown.push(() => wait.unsubscribe());
  }

  #housekeeping(): void {
    this.#housekept = true;
    for (const rp of this.#o.runtime.pods()) this.#workers.enqueue(rp.uid);
    for (const mirror of [...this.#mirrorPods.values()]) this.#deleteOrphanedMirrorPod(mirror);
  }

  /** deleteOrphanedMirrorPods: a mirror pod whose static pod is not (or no longer) in the manifest dir goes. */
  #deleteOrphanedMirrorPod(mirror: Pod): void {
    if (this.#staticPods.has(mirror.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] ?? '')) return;
    this.#client.delete('Pod', mirror.metadata?.name ?? '', { namespace: mirror.metadata?.namespace ?? 'default', gracePeriodSeconds: 0 });
  }

  /**
   * The last node status source and the runtime's images and the volumes in use it was
   * built from: a heartbeat every 10 s asks again, and only the images and the volumes in
   * use change within a process (the boot id is the process's), so an unchanged machine
   * answers with the same frozen object. Its members are frozen so the API server stores
   * them as they are: the next heartbeat's comparisons stop at identity. Kept as fields of
   * the process, with the runtime and the volume manager, rather than in a record: the
   * heartbeat of each node comes round every 10 s, when its objects are no longer in the
   * CPU's caches, and what it costs is mostly the objects it loads.
   */
  #statusSource: NodeStatusSource | undefined;
  #statusSourceImages: readonly RuntimeImage[] | undefined;
  #statusSourceVolumes: readonly string[] | undefined;
  readonly #runtime: ContainerRuntime;
  readonly #volumeManager: VolumeManager;

  #nodeStatusSource(): NodeStatusSource {
    const runtimeImages = this.#runtime.images();
    const volumesInUse = this.#volumeManager.volumesInUse();
    const last = this.#statusSource;
    if (last !== undefined && runtimeImages === this.#statusSourceImages && volumesInUse === this.#statusSourceVolumes) return last;
    let source: NodeStatusSource;
    if (last === undefined) {
      // The first: the members that never change in a process are frozen here once.
      const { machine, bootID } = this.#o;
      source = Object.freeze({
        addresses: Object.freeze([
          Object.freeze({ type: 'InternalIP', address: machine.hostIP }),
          Object.freeze({ type: 'Hostname', address: machine.hostname }),
        ]),
        capacity: Object.freeze({ ...machine.capacity }),
        allocatable: Object.freeze({ ...machine.allocatable }),
        daemonEndpoints: Object.freeze({ kubeletEndpoint: Object.freeze({ Port: KUBELET_PORT }) }),
        nodeInfo: Object.freeze({ ...machine.nodeInfo, bootID }),
        images: Object.freeze(runtimeImages.map(statusImage)),
        volumesInUse,
      });
    } else
      source = Object.freeze({
        addresses: last.addresses,
        capacity: last.capacity,
        allocatable: last.allocatable,
        daemonEndpoints: last.daemonEndpoints,
        nodeInfo: last.nodeInfo,
        images: runtimeImages === this.#statusSourceImages ? last.images : Object.freeze(runtimeImages.map(statusImage)),
        volumesInUse,
      });
    this.#statusSource = source;
    this.#statusSourceImages = runtimeImages;
    this.#statusSourceVolumes = volumesInUse;
    return source;
  }
}

