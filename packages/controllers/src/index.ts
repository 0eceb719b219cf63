/**
 * @failsim/controllers — the Kubernetes control plane and the kubelet as reconcilers on
 * @failsim/core's API server, with version profiles.
 * @packageDocumentation
 */
export * from './profiles/profile.js';
export * from './profiles/profiles.js';
export * from './profiles/profile-table.js';
export * from './runtime/index.js';
export * from './kubelet/index.js';
export * from './workloads/index.js';
export * from './node-lifecycle/node-lifecycle-controller.js';
export * from './node-lifecycle/taint-eviction-controller.js';
export * from './node-lifecycle/zones.js';
export { Scheduler, type SchedulerOptions } from './scheduling/scheduler.js';
export { PersistentVolumeController, type PersistentVolumeControllerOptions } from './volume/pv-controller.js';
export { PvProtectionController } from './volume/pv-protection-controller.js';
export { PvcProtectionController } from './volume/pvc-protection-controller.js';
export { FakeProvisioner, type FakeProvisionerOptions, type ProvisionOptions, type ProvisionedVolume, type VolumeProvisioner } from './volume/volume-provisioner.js';
export { DisruptionController } from './disruption/disruption-controller.js';
export { Kubectl, type DrainOptions, type KubectlResult, type VolumeDataResolver } from './kubectl/kubectl.js';
export { NODE_UNREACHABLE_POD_REASON, podColumns, type PodColumns } from './kubectl/printers.js';
export { articleCluster, createCluster, NodeMachines, type Cluster, type ClusterOptions, type NodeMachineState, type NodeSpec } from './cluster/cluster.js';
export { controlPlaneStaticPods, kubeSystemWorkloads } from './cluster/kube-system.js';
export { DEFAULT_SCHEDULER_NAME, NO_NODES_AVAILABLE, numFeasibleNodesToFind } from './scheduling/scheduler.js';
export { parseQuantity, quantityMilliValue, quantityValue } from './scheduling/quantity.js';
export { PV_CONTROLLER_NAME } from './volume/pv-controller.js';
export { CsiProvisioner, type CsiProvisionerOptions } from './volume/csi-provisioner.js';
export { type FakeProvisionerCall } from './volume/volume-provisioner.js';
export {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_FINALIZER,
  claimClass,
  isClaimBound,
} from './volume/volume-util.js';
export { formatRows, runCql, type CqlshSession, type VolumeData } from './apps/cqlsh.js';
export { findPlugin, type AttachableVolumePlugin } from './storage/volume-plugin.js';
export * from './attachdetach/index.js';
export { humanDuration, shortHumanDuration, translateTimestampSince } from './kubectl/duration-printer.js';
export {
  getPods,
  getNodes,
  getEvents,
  nodeStatus,
  nodeRoles,
  formatEventSource,
  sortEvents,
  DEFAULT_KUBECTL_VERSION,
  type KubectlVersion,
  type GetPodsOptions,
  type GetNodesOptions,
  type GetEventsOptions,
} from './kubectl/get-printers.js';
export { describePod, formatRFC1123Z, podQOSClass, type DescribeOptions } from './kubectl/describe-printer.js';
export { tabwrite, GET_TAB_WRITER, DESCRIBE_TAB_WRITER, type TabWriterSettings } from './kubectl/printers.js';
