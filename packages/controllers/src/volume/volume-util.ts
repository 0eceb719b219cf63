// Names and small predicates the persistent-volume controllers and the scheduler share:
// the annotations of pkg/controller/volume/persistentvolume/util (pv_controller.go in
// v1.12), the protection finalizers of pkg/volume/util, and the claim/volume class helpers
// of pkg/apis/core/v1/helper (GetPersistentVolumeClaimClass, GetPersistentVolumeClass).
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';

/** Set on a claim once its binding is complete (annBindCompleted). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** Set on a claim or volume the controller bound (annBoundByController). */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** The plugin that provisioned a volume (annDynamicallyProvisioned). */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
/** The provisioner expected to provision a claim (annStorageProvisioner, beta name). */
export const ANN_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** The node the scheduler picked for a WaitForFirstConsumer claim (annSelectedNode). */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The pre-1.6 way to name a claim's class (still honoured). */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** Finalizer that keeps a claim while a pod uses it. */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
/** Finalizer that keeps a volume while it is bound. */
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
/** The provisioner of local volumes classes: nothing provisions them. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** The claim's class: spec.storageClassName, else the beta annotation, else "". */
export const claimClass = (claim: PersistentVolumeClaim): string =>
  claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? '';

/** The volume's class: spec.storageClassName, else the beta annotation, else "". */
export const volumeClass = (pv: PersistentVolume): string =>
  pv.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? '';

/** `namespace/name` of a claim (claimToClaimKey). */
export const claimKey = (claim: { metadata?: { namespace?: string; name?: string } }): string =>
  `${claim.metadata?.namespace ?? 'default'}/${claim.metadata?.name ?? ''}`;

/** `namespace/name` a volume's claimRef points to (claimrefToClaimKey). */
export const claimRefKey = (pv: PersistentVolume): string | undefined => {
  const ref = pv.spec?.claimRef;
  return ref ? `${ref.namespace ?? 'default'}/${ref.name ?? ''}` : undefined;
};

/** Whether the volume's claimRef names the claim, with its uid or none yet (IsVolumeBoundToClaim). */
export const isVolumeBoundToClaim = (pv: PersistentVolume, claim: PersistentVolumeClaim): boolean => {
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== claim.metadata?.name || (ref.namespace ?? 'default') !== (claim.metadata?.namespace ?? 'default')) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
};

/** Whether the claim is fully bound: it names a volume and its binding completed (isPVCFullyBound). */
export const isClaimBound = (claim: PersistentVolumeClaim): boolean =>
  !!claim.spec?.volumeName && claim.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined;

/** Names of the claims the pod's volumes use, in spec order. */
export const podClaimNames = (pod: Pod): string[] =>
  (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));

/**
 * Whether the pod's containers are all stopped for good (volumeutil.IsPodTerminated): its
 * phase is Succeeded or Failed, or it is being deleted and no container is running.
 */
export const isPodTerminated = (pod: Pod): boolean => {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  if (!pod.metadata?.deletionTimestamp) return false;
  return (pod.status?.containerStatuses ?? []).every((s) => s.state?.running === undefined);
};
