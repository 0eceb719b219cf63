// A whole simulated cluster in one call: the API server, kube-controller-manager's
// controllers, the scheduler, one kubelet per node, the kube-system workloads, kubectl,
// and the hooks that power nodes off and on, cut them off the network and heal them.
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, nodeLocation, type Simulation, type SimulationOptions } from '@failsim/core';
import type { Taint } from 'kubernetes-types/core/v1.js';
import { AttachDetachController } from '../attachdetach/attach-detach-controller.js';
import { DisruptionController } from '../disruption/disruption-controller.js';
import { Kubectl, type VolumeDataResolver } from '../kubectl/kubectl.js';
import { Kubelet, type KubeletConfig } from '../kubelet/kubelet.js';
import { KubeletVolumeManager } from '../kubelet/volumemanager/index.js';
import type { AttachableVolumePlugin } from '../storage/volume-plugin.js';
import { NodeLifecycleController } from '../node-lifecycle/node-lifecycle-controller.js';
import { TaintEvictionController } from '../node-lifecycle/taint-eviction-controller.js';
import type { ProfileOverrides, VersionProfile } from '../profiles/profile.js';
import { findProfile, withOverrides } from '../profiles/profiles.js';
import { defaultTimings, type Component, type ControllerContext, type Timings } from '../runtime/context.js';
import { Scheduler } from '../scheduling/scheduler.js';
import { PersistentVolumeController } from '../volume/pv-controller.js';
import { PvProtectionController } from '../volume/pv-protection-controller.js';
import { PvcProtectionController } from '../volume/pvc-protection-controller.js';
import type { VolumeProvisioner } from '../volume/volume-provisioner.js';
import { DaemonSetController } from '../workloads/daemonset-controller.js';
import { DeploymentController } from '../workloads/deployment-controller.js';
import { PodGCController } from '../workloads/pod-gc-controller.js';
import { ReplicaSetController } from '../workloads/replicaset-controller.js';
import { StatefulSetController } from '../workloads/statefulset-controller.js';
import { controlPlaneStaticPods, kubeSystemWorkloads } from './kube-system.js';

/** One machine of the cluster. */
export interface NodeSpec {
  readonly name: string;
  /** control-plane nodes get the master role label and NoSchedule taint, and the static control-plane pods. */
  readonly role?: 'control-plane' | 'worker';
  /** topology.kubernetes.io/zone (and failure-domain.beta.kubernetes.io/zone). */
  readonly zone?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Anything else the kubelet takes (capacity, addresses, images, hooks…). */
  readonly kubelet?: Partial<Omit<KubeletConfig, 'nodeName' | 'nodeIndex'>>;
}

/** Options of {@link createCluster}. */
export interface ClusterOptions extends Pick<SimulationOptions, 'seed' | 'epoch' | 'watchCacheSize'> {
  /** A shipped profile's name ("1.14") or a profile. Default 1.14. */
  readonly profile?: string | VersionProfile;
  /** Per-run overrides of the profile's options, gates and behaviours. */
  readonly overrides?: ProfileOverrides;
  readonly timings?: Partial<Timings>;
  readonly nodes: readonly NodeSpec[];
  /** Create the kube-system workloads (static pods, kube-proxy, flannel, coredns). Default true. */
  readonly kubeSystem?: boolean;
  /** Volume provisioners for the PV controller (the vSphere package plugs in here). */
  readonly provisioners?: readonly VolumeProvisioner[];
  /**
   * Attachable volume plugins (the vSphere package's VCP and CSI). With them the cluster
   * runs the attach/detach controller and gives every kubelet the real volume manager;
   * without them volumes count as mounted at once.
   */
  readonly volumePlugins?: readonly AttachableVolumePlugin[];
  /** The data behind a PersistentVolume (a VMDK's content), for `kubectl exec … cqlsh`. */
  readonly volumeData?: VolumeDataResolver;
  /** Per-node kubelet config the embedder decides (e.g. the storage model's volume manager). */
  readonly kubeletFor?: (node: NodeSpec) => Partial<KubeletConfig>;
}

/** What a node's machine is doing, as the power and network hooks left it. */
export interface NodeMachineState {
  readonly powered: boolean;
  readonly partitioned: boolean;
  readonly kubeletRunning: boolean;
}

/** A running simulated cluster. */
export interface Cluster {
  readonly sim: Simulation;
  readonly ctx: ControllerContext;
  readonly profile: VersionProfile;
  readonly kubectl: Kubectl;
  /** kube-controller-manager's controllers and the scheduler, by component name. */
  readonly controllers: ReadonlyMap<string, Component>;
  readonly kubelets: ReadonlyMap<string, Kubelet>;
  /** Power and network of the node machines. */
  readonly machines: NodeMachines;
  /** Stops every component. */
  stop(): void;
}

/** Power and network hooks of the node machines: what a VM power-off or a cut cable does. */
export class NodeMachines {
  readonly #sim: Simulation;
  readonly #timings: Timings;
  readonly #kubelets: ReadonlyMap<string, Kubelet>;
  readonly #powered = new Map<string, boolean>();
  readonly #partitioned = new Set<string>();
  readonly #boots = new Map<string, { cancel(): void }>();
  readonly #powerListeners = new Set<(node: string) => void>();

  constructor(sim: Simulation, timings: Timings, kubelets: ReadonlyMap<string, Kubelet>) {
    this.#sim = sim;
    this.#timings = timings;
    this.#kubelets = kubelets;
    for (const name of kubelets.keys()) this.#powered.set(name, true);
  }

  /** Whether the machine is powered: `state(node).powered` without building the state (readers that look at every node per change). */
  isPowered(node: string): boolean {
    return this.#powered.get(node) ?? false;
  }

  /** Tells `listener` the node each time a machine is powered off or on (as {@link isPowered} changes). Returns what stops it. */
  onPowerChange(listener: (node: string) => void): () => void {
    this.#powerListeners.add(listener);
    return () => this.#powerListeners.delete(listener);
  }

  #powerChanged(node: string): void {
    for (const listener of this.#powerListeners) listener(node);
  }

  /** The machine's state. */
  state(node: string): NodeMachineState {
    return {
      powered: this.#powered.get(node) ?? false,
      partitioned: this.#partitioned.has(node),
      kubeletRunning: this.#kubelet(node).running,
    };
  }

  /** Power off: the kubelet and every container die and the node can no longer reach the API server. */
  powerOff(node: string): void {
    const kubelet = this.#kubelet(node);
    this.#boots.get(node)?.cancel();
    this.#boots.delete(node);
    if (!this.#powered.get(node)) return;
    this.#powered.set(node, false);
    this.#powerChanged(node);
    kubelet.stop({ containers: 'kill' });
    this.#sim.reachability.set(nodeLocation(node), false);
  }

  /** Power on: the network is back at once (unless partitioned); the kubelet starts after the boot time. */
  powerOn(node: string): void {
    const kubelet = this.#kubelet(node);
    if (this.#powered.get(node)) return;
    this.#powered.set(node, true);
    this.#powerChanged(node);
    if (!this.#partitioned.has(node)) this.#sim.reachability.set(nodeLocation(node), true);
    this.#boots.set(
      node,
      this.#sim.clock.schedule(
        this.#timings.boot,
        () => {
          this.#boots.delete(node);
          kubelet.start();
        },
        { owner: 'machine', purpose: `boot of ${node}` },
      ),
    );
  }

  /** Reset: power off and on. */
  reset(node: string): void {
    this.powerOff(node);
    this.powerOn(node);
  }

  /** A network partition: the kubelet and its containers keep running but cannot reach the API server. */
  partition(node: string): void {
    this.#kubelet(node);
    this.#partitioned.add(node);
    this.#sim.reachability.set(nodeLocation(node), false);
  }

  /** Heals a partition. */
  heal(node: string): void {
    this.#kubelet(node);
    this.#partitioned.delete(node);
    if (this.#powered.get(node)) this.#sim.reachability.set(nodeLocation(node), true);
  }

  /** Restarts the kubelet process (`systemctl restart kubelet`): containers keep running. */
  restartKubelet(node: string): void {
    const kubelet = this.#kubelet(node);
    if (!this.#powered.get(node)) return;
    kubelet.stop({ containers: 'keep' });
    kubelet.start();
  }

  #kubelet(node: string): Kubelet {
    const kubelet = this.#kubelets.get(node);
    if (!kubelet) throw new RangeError(`no node named "${node}"`);
    return kubelet;
  }
}

const resolveProfile = (profile: string | VersionProfile | undefined): VersionProfile => {
  if (profile === undefined) return findProfile('1.14')!;
  if (typeof profile !== 'string') return profile;
  const found = findProfile(profile);
  if (!found) throw new RangeError(`no version profile "${profile}"`);
  return found;
};

const MASTER_TAINT: Taint = { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' };

/**
 * Creates and starts a cluster at virtual time 0: controllers first, then the kubelets
 * (which register their Nodes), then the kube-system workloads. Run the clock (e.g.
 * `cluster.sim.clock.runFor(120_000)`) to let it settle.
 */
export const createCluster = (options: ClusterOptions): Cluster => {
  const base = resolveProfile(options.profile);
  const profile = options.overrides ? withOverrides(base, options.overrides) : base;
  // `admission` first: a property after a leading spread takes V8's slow path.
  const sim = createSimulation({
    admission: {
      defaultNotReadyTolerationSeconds: profile.options.defaultNotReadyTolerationSeconds,
      defaultUnreachableTolerationSeconds: profile.options.defaultUnreachableTolerationSeconds,
    },
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.epoch !== undefined ? { epoch: options.epoch } : {}),
    ...(options.watchCacheSize !== undefined ? { watchCacheSize: options.watchCacheSize } : {}),
  });
  const ctx: ControllerContext = { sim, profile, timings: { ...defaultTimings, ...options.timings } };

  const controllers: Component[] = [
    new NodeLifecycleController(ctx),
    ...(profile.features.SeparateTaintEvictionController && profile.options.enableTaintManager ? [new TaintEvictionController(ctx)] : []),
    new PodGCController(ctx),
    new StatefulSetController(ctx),
    new ReplicaSetController(ctx),
    new DeploymentController(ctx),
    new DaemonSetController(ctx),
    new PersistentVolumeController(ctx, { provisioners: options.provisioners ?? [] }),
    new PvProtectionController(ctx),
    new PvcProtectionController(ctx),
    new DisruptionController(ctx),
    new Scheduler(ctx),
    ...(options.volumePlugins?.length ? [new AttachDetachController(ctx, { plugins: options.volumePlugins })] : []),
  ];
  for (const controller of controllers) controller.start();

  const kubelets = new Map<string, Kubelet>();
  options.nodes.forEach((node, index) => {
    const controlPlane = node.role === 'control-plane';
    // Set one by one (same keys, same order as spreads of conditional literals, which start
    // the object with a spread and so take V8's slow path for each label after it).
    const labels: Record<string, string> = {};
    if (controlPlane) labels['node-role.kubernetes.io/master'] = '';
    if (node.zone) {
      labels['topology.kubernetes.io/zone'] = node.zone;
      labels['failure-domain.beta.kubernetes.io/zone'] = node.zone;
    }
    Object.assign(labels, node.labels);
    const config: KubeletConfig = {
      nodeName: node.name,
      nodeIndex: index,
      labels,
      ...(controlPlane ? { registerWithTaints: [MASTER_TAINT] } : {}),
      ...(controlPlane && options.kubeSystem !== false ? { staticPods: controlPlaneStaticPods(profile.kubeletVersion) } : {}),
      ...(options.volumePlugins?.length ? { volumeManager: KubeletVolumeManager.factory(options.volumePlugins) } : {}),
      ...node.kubelet,
      ...options.kubeletFor?.(node),
    };
    const kubelet = new Kubelet(ctx, config);
    kubelets.set(node.name, kubelet);
    kubelet.start();
  });

  const kubectl = new Kubectl(ctx, options.volumeData);
  if (options.kubeSystem !== false) {
    const applied = kubectl.apply(kubeSystemWorkloads(profile.kubeletVersion));
    if (E.isLeft(applied)) throw new Error(`kube-system: ${applied.left}`);
  }

  return {
    sim,
    ctx,
    profile,
    kubectl,
    controllers: new Map(controllers.map((c) => [c.name, c])),
    kubelets,
    machines: new NodeMachines(sim, ctx.timings, kubelets),
    stop: () => {
      for (const kubelet of kubelets.values()) kubelet.stop();
      for (const controller of controllers) controller.stop();
      sim.stop();
    },
  };
};

/**
 * The article's cluster: cor-k8s-m01 (control plane) and workers, on a profile. Its
 * kube-system namespace matches the article's listing with two workers (three nodes run
 * the kube-proxy and flannel DaemonSets); the failure scenarios use four workers.
 */
export const articleCluster = (options: Omit<ClusterOptions, 'nodes'> & { workers?: number } = {}): Cluster =>
  createCluster({
    ...options,
    nodes: [
      { name: 'cor-k8s-m01', role: 'control-plane' },
      ...Array.from({ length: options.workers ?? 4 }, (_, i) => ({ name: `cor-k8s-w0${i + 1}`, role: 'worker' as const })),
    ],
  });
