// Version profiles: what changed between Kubernetes versions, as data. Every controller
// reads its flags, feature gates, behaviours and texts from a resolved profile instead of
// testing version numbers. Facts and sources: shared/reference/kubernetes-node-failure.md
// (section numbers in the comments below).

/**
 * Component flags, named as upstream's (camelCase of the command-line flag). Durations are
 * milliseconds of virtual time; rates are per second.
 */
export interface KubeOptions {
  // kubelet (§1.1)
  /** --node-status-update-frequency: how often the kubelet computes node status. */
  readonly nodeStatusUpdateFrequency: number;
  /** nodeStatusReportFrequency: how often an unchanged status is still posted (NodeLease era). */
  readonly nodeStatusReportFrequency: number;
  /** nodeLeaseDurationSeconds: the Lease's spec.leaseDurationSeconds; renewed every quarter of it. */
  readonly nodeLeaseDurationSeconds: number;
  /** Initial CrashLoopBackOff delay (kubelet backOffPeriod). */
  readonly backOffPeriod: number;
  /** CrashLoopBackOff cap (MaxContainerBackOff). */
  readonly maxContainerBackOff: number;
  // node lifecycle controller (§2.1)
  /** --node-monitor-period. */
  readonly nodeMonitorPeriod: number;
  /** --node-monitor-grace-period (40 s; 50 s from 1.32). */
  readonly nodeMonitorGracePeriod: number;
  /** --node-startup-grace-period. */
  readonly nodeStartupGracePeriod: number;
  /** --pod-eviction-timeout (legacy eviction path only; removed in 1.27). */
  readonly podEvictionTimeout: number;
  /** --node-eviction-rate (nodes per second per zone). */
  readonly nodeEvictionRate: number;
  /** --secondary-node-eviction-rate. */
  readonly secondaryNodeEvictionRate: number;
  /** --unhealthy-zone-threshold. */
  readonly unhealthyZoneThreshold: number;
  /** --large-cluster-size-threshold. */
  readonly largeClusterSizeThreshold: number;
  /** --enable-taint-manager (≤1.26; the legacy path runs when false). */
  readonly enableTaintManager: boolean;
  // pod GC (§4.1)
  /** --terminated-pod-gc-threshold. */
  readonly terminatedPodGCThreshold: number;
  // kube-apiserver (§3.1)
  /** --default-not-ready-toleration-seconds. */
  readonly defaultNotReadyTolerationSeconds: number;
  /** --default-unreachable-toleration-seconds. */
  readonly defaultUnreachableTolerationSeconds: number;
}

/** Feature gates whose default decides failure handling, as the version had them. */
export interface FeatureGates {
  /** Taint-based eviction (alpha 1.6, beta-on 1.13, GA 1.18). Off ⇒ legacy NodeLost path. */
  readonly TaintBasedEvictions: boolean;
  /** Node Lease heartbeats (alpha 1.12, beta-on 1.14, GA 1.17). */
  readonly NodeLease: boolean;
  /** NoSchedule taints from node conditions (beta-on 1.12, GA 1.17). */
  readonly TaintNodesByCondition: boolean;
  /** The out-of-service taint (alpha 1.24, beta-on 1.26, GA 1.28). */
  readonly NodeOutOfServiceVolumeDetach: boolean;
  /** Taint eviction as its own controller (beta-on 1.29). */
  readonly SeparateTaintEvictionController: boolean;
  /** DisruptionTarget pod conditions (beta-on 1.26, GA 1.31). */
  readonly PodDisruptionConditions: boolean;
}

/** Behaviour changes that are not feature gates. */
export interface Behaviours {
  /** PodGC's quarantine of an unknown node name before deleting its pods (0 before 1.17, 40 s from 1.17; §4.2). */
  readonly podGCOrphanQuarantine: number;
  /** The node lifecycle controller records a Warning `NodeNotReady` on each pod (≈1.19+; §2.2). */
  readonly podNotReadyEvent: boolean;
  /** Node conditions the controller sets Unknown besides Ready (§2.2). */
  readonly monitoredConditions: readonly string[];
}

/** Texts users see that changed between versions (§8). */
export interface ProfileTexts {
  /** Scheduled event: `Successfully assigned ns/pod to node`. */
  readonly scheduled: (namespace: string, pod: string, node: string) => string;
  /** Pulling event. */
  readonly pulling: (image: string) => string;
  /** Pulled event; `pullMs` is the pull's duration. */
  readonly pulled: (image: string, pullMs: number) => string;
  /** Created event. */
  readonly created: (container: string) => string;
  /** Started event. */
  readonly started: (container: string) => string;
  /** Killing event; `containerId` is the runtime's id (`docker://…`). */
  readonly killing: (container: string, containerId: string) => string;
  /** BackOff event. */
  readonly backOff: (container: string, pod: string) => string;
  /** How FailedScheduling words untolerated taints (see the scheduler). */
  readonly failedSchedulingStyle: 'taints-not-tolerated' | 'taint-kv-not-tolerated' | 'untolerated-taint';
  /** Event source of the taint eviction controller. */
  readonly taintEvictionComponent: 'taint-controller' | 'taint-eviction-controller';
}

/** Everything a version changes. */
export interface VersionProfile {
  /** The profile's name, the minor version: "1.14". */
  readonly name: string;
  /** What `kubectl get nodes` shows as VERSION: "v1.14.3". */
  readonly kubeletVersion: string;
  readonly options: KubeOptions;
  readonly features: FeatureGates;
  readonly behaviours: Behaviours;
  readonly texts: ProfileTexts;
}

/** Per-run overrides: any option, gate or behaviour. */
export interface ProfileOverrides {
  readonly options?: Partial<KubeOptions>;
  readonly features?: Partial<FeatureGates>;
  readonly behaviours?: Partial<Behaviours>;
}
