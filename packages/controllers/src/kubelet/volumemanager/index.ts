// The kubelet volume manager (pkg/kubelet/volumemanager): public entry points.
export { KubeletVolumeManager, failedMountMessage, POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS, type KubeletVolumeManagerOptions } from './volume-manager.js';
export { RECONCILER_LOOP_SLEEP_PERIOD_MS } from './reconciler.js';
export { DESIRED_STATE_OF_WORLD_POPULATOR_LOOP_SLEEP_PERIOD_MS } from './desired-state-of-world-populator.js';
export { INITIAL_DURATION_BEFORE_RETRY_MS, MAX_DURATION_BEFORE_RETRY_MS } from './nested-pending-operations.js';
