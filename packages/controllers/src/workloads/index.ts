// The workload controllers and pod GC: what happens to pods when nodes go away, and who
// replaces them. Shared helpers stay internal; test-support.ts is for specs only.
export { CONTROLLER_REVISION_HASH_LABEL, POD_TEMPLATE_HASH_LABEL, STATEFULSET_POD_NAME_LABEL, computeHash } from './controller-utils.js';
export { DaemonSetController, addDaemonPodTolerations, nodeInSameCondition, nodeShouldRunDaemonPod, shouldIgnoreNodeUpdate, targetNodeName } from './daemonset-controller.js';
export { DeploymentController } from './deployment-controller.js';
export { GC_CHECK_PERIOD, PodGCController, type PodGCOptions } from './pod-gc-controller.js';
export { ReplicaSetController, type ReplicaSetControllerOptions } from './replicaset-controller.js';
export { StatefulSetController, claimName, parentAndOrdinal, updateRevisionOf } from './statefulset-controller.js';
