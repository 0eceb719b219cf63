/**
 * @failsim/vsphere — a simulated vCenter (inventory, VMDK locks, tasks with vSphere's
 * error texts), a govc command surface, the in-tree VCP and CSI volume plugins and
 * provisioners, and an environment builder that puts a failsim cluster inside it.
 * @packageDocumentation
 */
export * from './datastore-path.js';
export * from './inventory.js';
export * from './virtual-device-list.js';
export * from './task.js';
export * from './vcenter.js';
export { VmChanges } from './vm-changes.js';
export * from './node-machines.js';
export { Govc, GOVC_COMMANDS, splitWords, type GovcError, type GovcResult } from './govc.js';
export { pollUntil, type AttachableVolumePlugin } from './volume-plugin.js';
export { NodeManager, NO_VM_FOUND } from './node-manager.js';
export {
  devicePathFor,
  VsphereVolumePlugin,
  VSPHERE_VOLUME_PLUGIN_NAME,
  WAIT_FOR_ATTACH_POLL_MS,
  WAIT_FOR_ATTACH_TIMEOUT_MS,
  type VsphereVolumePluginOptions,
} from './vcp/vsphere-volume-plugin.js';
export {
  parseVsphereVolumeParameters,
  VOL_DIR,
  VsphereVolumeProvisioner,
  type VsphereVolumeOptions,
  type VsphereVolumeProvisionerOptions,
} from './vcp/vsphere-volume-provisioner.js';
export { VsphereCsiPlugin, VsphereCsiProvisioner, VSPHERE_CSI_DRIVER_NAME, type VsphereCsiDriverOptions } from './csi/vsphere-csi-driver.js';
export { SEED_WORKER_NAMES, VOLUME_DATA_DELETED, volumeDataDeletedMessage, vsphereCluster, type VsphereCluster, type VsphereClusterOptions, type VspherePlugins } from './environment.js';
export { checkVsphereInvariants, type VsphereInvariantChecker, type VsphereInvariantOptions, type VsphereInvariantRule } from './invariants/vsphere-invariants.js';
