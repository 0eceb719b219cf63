// The kubelet's public API: the Kubelet component, its config, and the interfaces other
// packages plug into it (the volume manager of the storage model).
export * from './kubelet.js';
export { ImmediateVolumeManager, type MountState, type VolumeManager } from './volume-manager.js';
export type { ExitHook, TerminationHook } from './pod-workers.js';
export type { ProbeHook } from './prober-manager.js';
export type { ContainerExit, ContainerState } from './container-runtime.js';
export { NODE_LEASE_NAMESPACE } from './node-lease-controller.js';
export { CONTROLLER_MANAGED_ATTACH_ANNOTATION } from './kubelet-node-status.js';
export { CONFIG_MIRROR_ANNOTATION, isMirrorPod } from './static-pods.js';
export {
  KubeletVolumeManager,
  failedMountMessage,
  POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS,
  RECONCILER_LOOP_SLEEP_PERIOD_MS,
  DESIRED_STATE_OF_WORLD_POPULATOR_LOOP_SLEEP_PERIOD_MS,
  INITIAL_DURATION_BEFORE_RETRY_MS,
  MAX_DURATION_BEFORE_RETRY_MS,
  type KubeletVolumeManagerOptions,
} from './volumemanager/index.js';
export type { VolumeManagerFactory } from './volume-manager.js';
