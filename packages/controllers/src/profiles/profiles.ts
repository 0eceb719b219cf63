// The version profiles failsim ships. Each is complete data; later profiles are built from
// earlier ones so that every difference is one visible line.
import type { ProfileOverrides, ProfileTexts, VersionProfile } from './profile.js';

const seconds = (s: number): number => s * 1000;
const pullSeconds = (ms: number): string => `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;

const texts112: ProfileTexts = {
  scheduled: (ns, pod, node) => `Successfully assigned ${ns}/${pod} to ${node}`,
  pulling: (image) => `pulling image "${image}"`,
  pulled: (image) => `Successfully pulled image "${image}"`,
  created: () => 'Created container',
  started: () => 'Started container',
  // The article (1.12.4) prints the container name where the id would be (§8, unsettled).
  killing: (container) => `Killing container with id docker://${container}:Need to kill Pod`,
  backOff: () => 'Back-off restarting failed container',
  failedSchedulingStyle: 'taints-not-tolerated',
  taintEvictionComponent: 'taint-controller',
  scalingReplicaSet: (direction, rs, to) => `Scaled ${direction} replica set ${rs} to ${to}`,
  nodeAffinityMismatch: "node(s) didn't match node selector",
  tooManyPods: 'Insufficient pods',
  failedSchedulingPreemptionEnd: '',
  failedMountStyle: 'unable-to-mount-volumes-for-pod',
};

/** Kubernetes 1.12 (the article's PKS cluster, v1.12.4): legacy NodeLost eviction, no Lease. */
export const profile112: VersionProfile = {
  name: '1.12',
  kubeletVersion: 'v1.12.4',
  options: {
    nodeStatusUpdateFrequency: seconds(10),
    nodeStatusReportFrequency: seconds(10),
    nodeLeaseDurationSeconds: 40,
    backOffPeriod: seconds(10),
    maxContainerBackOff: seconds(300),
    nodeMonitorPeriod: seconds(5),
    nodeMonitorGracePeriod: seconds(40),
    nodeStartupGracePeriod: seconds(60),
    podEvictionTimeout: seconds(300),
    nodeEvictionRate: 0.1,
    secondaryNodeEvictionRate: 0.01,
    unhealthyZoneThreshold: 0.55,
    largeClusterSizeThreshold: 50,
    enableTaintManager: true,
    terminatedPodGCThreshold: 12500,
    defaultNotReadyTolerationSeconds: 300,
    defaultUnreachableTolerationSeconds: 300,
    percentageOfNodesToScore: 50,
    podInitialBackoffSeconds: 0,
    podMaxBackoffSeconds: 0,
    podMaxInUnschedulablePodsDuration: 0,
    pvClaimBinderSyncPeriod: seconds(15),
    attachDetachReconcilerLoopPeriod: 100,
    maxWaitForUnmountDuration: seconds(360),
    attachDetachReconcileSyncPeriod: seconds(60),
    disableForceDetachOnTimeout: false,
    podAttachAndMountTimeout: seconds(123),
  },
  features: {
    TaintBasedEvictions: false,
    NodeLease: false,
    TaintNodesByCondition: true,
    NodeOutOfServiceVolumeDetach: false,
    SeparateTaintEvictionController: false,
    PodDisruptionConditions: false,
    LegacyNodeRoleBehavior: true,
    NodeDisruptionExclusion: false,
  },
  behaviours: {
    podGCOrphanQuarantine: 0,
    podNotReadyEvent: false,
    monitoredConditions: ['OutOfDisk', 'MemoryPressure', 'DiskPressure'],
    zoneKeyTopologyLabels: false,
    schedulerFramework: 'predicates',
    forceDetachRequiresUnhealthyNode: false,
    csiMigrationvSphere: false,
  },
  texts: texts112,
};

/** Kubernetes 1.14 (the article's vanilla cluster, v1.14.3): taint-based eviction and Lease on. */
export const profile114: VersionProfile = {
  ...profile112,
  name: '1.14',
  kubeletVersion: 'v1.14.3',
  options: { ...profile112.options, nodeStatusReportFrequency: seconds(60), percentageOfNodesToScore: 0, podMaxInUnschedulablePodsDuration: seconds(60) },
  features: { ...profile112.features, TaintBasedEvictions: true, NodeLease: true },
  behaviours: { ...profile112.behaviours, monitoredConditions: ['OutOfDisk', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] },
  texts: {
    ...texts112,
    pulling: (image) => `Pulling image "${image}"`,
    created: (container) => `Created container ${container}`,
    started: (container) => `Started container ${container}`,
    killing: (container) => `Stopping container ${container}`,
  },
};

/** Kubernetes 1.18: PodGC quarantine (1.17), report frequency 5 min (1.17), new FailedScheduling text. */
export const profile118: VersionProfile = {
  ...profile114,
  name: '1.18',
  kubeletVersion: 'v1.18.20',
  options: { ...profile114.options, nodeStatusReportFrequency: seconds(300), podInitialBackoffSeconds: 1, podMaxBackoffSeconds: 10 },
  behaviours: {
    ...profile114.behaviours,
    podGCOrphanQuarantine: seconds(40),
    monitoredConditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure'],
    zoneKeyTopologyLabels: true,
    schedulerFramework: 'filter-plugins',
  },
  texts: { ...profile114.texts, failedSchedulingStyle: 'taint-kv-not-tolerated', tooManyPods: 'Too many pods', failedMountStyle: 'unable-to-attach-or-mount' },
};

/** Kubernetes 1.28: out-of-service taint GA, DisruptionTarget conditions, pod NotReady events. */
export const profile128: VersionProfile = {
  ...profile118,
  name: '1.28',
  kubeletVersion: 'v1.28.15',
  options: { ...profile118.options, podMaxInUnschedulablePodsDuration: seconds(300) },
  features: {
    ...profile118.features,
    NodeOutOfServiceVolumeDetach: true,
    PodDisruptionConditions: true,
    LegacyNodeRoleBehavior: false,
    NodeDisruptionExclusion: true,
  },
  behaviours: {
    ...profile118.behaviours,
    podNotReadyEvent: true,
    schedulerFramework: 'prefilter-plugins',
    forceDetachRequiresUnhealthyNode: true,
    csiMigrationvSphere: true,
  },
  texts: {
    ...profile118.texts,
    failedMountStyle: 'no-event-on-timeout',
    pulled: (image, pullMs) => `Successfully pulled image "${image}" in ${pullSeconds(pullMs)} (${pullSeconds(pullMs)} including waiting)`,
    backOff: (container, pod) => `Back-off restarting failed container ${container} in pod ${pod}`,
    failedSchedulingStyle: 'untolerated-taint',
    scalingReplicaSet: (direction, rs, to, from) => `Scaled ${direction} replica set ${rs} to ${to} from ${from}`,
    nodeAffinityMismatch: "node(s) didn't match Pod's node affinity/selector",
    failedSchedulingPreemptionEnd: '..',
  },
};

/** Kubernetes 1.32: node-monitor-grace-period 50 s, separate taint eviction controller (1.29). */
export const profile132: VersionProfile = {
  ...profile128,
  name: '1.32',
  kubeletVersion: 'v1.32.9',
  options: { ...profile128.options, nodeMonitorGracePeriod: seconds(50) },
  features: { ...profile128.features, SeparateTaintEvictionController: true },
  texts: {
    ...profile128.texts,
    taintEvictionComponent: 'taint-eviction-controller',
    scalingReplicaSet: (direction, rs, to, from) => `Scaled ${direction} replica set ${rs} from ${from} to ${to}`,
    failedSchedulingPreemptionEnd: '.',
  },
};

/** Every shipped profile, oldest first. */
export const profiles: readonly VersionProfile[] = [profile112, profile114, profile118, profile128, profile132];

/** The profile named `name` ("1.14", or "v1.14"); undefined when failsim has none. */
export const findProfile = (name: string): VersionProfile | undefined => profiles.find((p) => p.name === name.replace(/^v/, ''));

/** `profile` with per-run overrides applied. */
export const withOverrides = (profile: VersionProfile, overrides: ProfileOverrides = {}): VersionProfile => ({
  ...profile,
  options: { ...profile.options, ...overrides.options },
  features: { ...profile.features, ...overrides.features },
  behaviours: { ...profile.behaviours, ...overrides.behaviours },
});
