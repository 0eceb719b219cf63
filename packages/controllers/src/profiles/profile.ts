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
  // kube-scheduler (§8; pkg/scheduler)
  /**
   * percentageOfNodesToScore: share of nodes searched for feasible ones once a cluster has
   * 100 or more (50 in 1.12; 0 = adaptive, 50 − nodes/125 and at least 5, from 1.14).
   */
  readonly percentageOfNodesToScore: number;
  /** podInitialBackoffSeconds: back-off after a pod's first failed attempt, in seconds; 0 = none (1.12–1.14, no backoff queue). */
  readonly podInitialBackoffSeconds: number;
  /** podMaxBackoffSeconds: longest back-off of a pod that keeps failing, in seconds. */
  readonly podMaxBackoffSeconds: number;
  /**
   * --pod-max-in-unschedulable-pods-duration: an unschedulable pod not moved by any event is
   * retried after this long (checked every 30 s); 0 = never (v1.12.4: k/k PR #72558, merged for
   * 1.14, reached 1.12 only in a later patch via PR #73463); 60 s in 1.14–1.21; 5 min from 1.22.
   */
  readonly podMaxInUnschedulablePodsDuration: number;
  // persistent volume controller (pkg/controller/volume/persistentvolume)
  /** --pvclaimbinder-sync-period: the PV controller's resync of claims and volumes. */
  readonly pvClaimBinderSyncPeriod: number;
  // attach/detach controller (storage reference §2)
  /** ReconcilerLoopPeriod of the attach/detach controller (100 ms, hard-coded upstream). */
  readonly attachDetachReconcilerLoopPeriod: number;
  /** ReconcilerMaxWaitForUnmountDuration (6 min, hard-coded upstream). */
  readonly maxWaitForUnmountDuration: number;
  /** --attach-detach-reconcile-sync-period (60 s). */
  readonly attachDetachReconcileSyncPeriod: number;
  /** --disable-force-detach-on-timeout (1.30+; default false). */
  readonly disableForceDetachOnTimeout: boolean;
  // kubelet volume manager (storage reference §2, §4)
  /** podAttachAndMountTimeout (2 min 3 s). */
  readonly podAttachAndMountTimeout: number;
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
  /**
   * The node lifecycle controller leaves nodes named like masters (`…master`, `…master-xyz`)
   * out of zone disruption checks (unconditional ≤1.15, beta-on gate 1.16–1.20, GA-off 1.21; §2.4).
   */
  readonly LegacyNodeRoleBehavior: boolean;
  /** Nodes labelled `node.kubernetes.io/exclude-disruption` are left out of zone disruption checks (alpha 1.16, beta-on 1.19, GA 1.21; §2.4). */
  readonly NodeDisruptionExclusion: boolean;
}

/** Behaviour changes that are not feature gates. */
export interface Behaviours {
  /** PodGC's quarantine of an unknown node name before deleting its pods (0 before 1.17, 40 s from 1.17; §4.2). */
  readonly podGCOrphanQuarantine: number;
  /** The node lifecycle controller records a Warning `NodeNotReady` on each pod (≈1.19+; §2.2). */
  readonly podNotReadyEvent: boolean;
  /** Node conditions the controller sets Unknown besides Ready (§2.2). */
  readonly monitoredConditions: readonly string[];
  /**
   * A node's eviction zone (GetZoneKey) falls back to the `topology.kubernetes.io/zone` and
   * `region` labels when the `failure-domain.beta.kubernetes.io/*` ones are absent (1.17+;
   * before, only the beta labels count; §2.4).
   */
  readonly zoneKeyTopologyLabels: boolean;
  /**
   * kube-scheduler's algorithm: 'predicates' (predicates and priorities, ≤1.17: a node's
   * first failing predicate, scores 0–10, ties round-robin), 'filter-plugins' (1.18: the
   * scheduling framework, VolumeBinding as a filter, scores 0–100, random ties),
   * 'prefilter-plugins' (1.19+: unbound claims rejected in PreFilter, 1.22+ plugin order,
   * preemption summary in FailedScheduling).
   */
  readonly schedulerFramework: 'predicates' | 'filter-plugins' | 'prefilter-plugins';
  /** Force detach after maxWaitForUnmountDuration only from an unhealthy node (PR #110721, 1.25); before, the timeout alone sufficed. */
  readonly forceDetachRequiresUnhealthyNode: boolean;
  /** In-tree kubernetes.io/vsphere-volume served by the CSI driver (CSIMigrationvSphere: beta-on 1.25, GA 1.26). */
  readonly csiMigrationvSphere: boolean;
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
  /**
   * ScalingReplicaSet event of the Deployment controller: `Scaled up replica set web-5d4f8b7c69 to 3`;
   * the previous size was added by k/k PR #101142 (2021) and moved first by PR #125118 (1.31).
   */
  readonly scalingReplicaSet: (direction: 'up' | 'down', replicaSet: string, newScale: number, oldScale: number) => string;
  /** FailedScheduling reason of a node the pod's nodeSelector or required node affinity excludes. */
  readonly nodeAffinityMismatch: string;
  /** FailedScheduling reason of a node already running as many pods as it allows. */
  readonly tooManyPods: string;
  /**
   * End of FailedScheduling's `preemption: …` part: '' = the version prints none (≤1.23),
   * '..' = 1.25–1.28 (k/k issue #121760), '.' after the fix.
   */
  readonly failedSchedulingPreemptionEnd: '' | '.' | '..';
  /** How the kubelet words a timed-out volume wait (storage reference §4): pre-1.16 text, 1.16–1.27 text, or no event (1.28+). */
  readonly failedMountStyle: 'unable-to-mount-volumes-for-pod' | 'unable-to-attach-or-mount' | 'no-event-on-timeout';
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
