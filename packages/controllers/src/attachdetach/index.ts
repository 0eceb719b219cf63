// Public API of the attach/detach controller (pkg/controller/volume/attachdetach).
export { AttachDetachController, ATTACH_DETACH_CONTROLLER_NAME, KEEP_TERMINATED_POD_VOLUMES_ANNOTATION, type AttachDetachControllerOptions } from './attach-detach-controller.js';
export { ActualStateOfWorld, type AttachedVolume, type AttachState, type ReportedVolume } from './actual-state-of-world.js';
export { DesiredStateOfWorld, type PodToAdd, type VolumeToAttach } from './desired-state-of-world.js';
export { determineVolumeAction } from './desired-state-of-world-populator.js';
export { FakeAttachablePlugin, type FakeAttachablePluginOptions, type FakePluginCall } from './fake-plugin.js';
export { INITIAL_DURATION_BEFORE_RETRY, MAX_DURATION_BEFORE_RETRY } from './nested-pending-operations.js';
export { attachFailedMessage, attachmentName, attachSucceededMessage, isMultiAttachAllowed } from './operation-executor.js';
export { multiAttachMessage, type ForcedDetach, type ForcedDetachReason } from './reconciler.js';
