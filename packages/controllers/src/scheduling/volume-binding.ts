// How a pod's PersistentVolumeClaims constrain its node. Models the volume binder of
// pkg/controller/volume/scheduling/scheduler_binder.go (v1.12–v1.18: GetPodVolumes,
// FindPodVolumes, checkBoundClaims, findMatchingVolumes, checkVolumeProvisions) behind the
// CheckVolumeBinding predicate and the VolumeBinding plugin (PreFilter/Filter, v1.19+), plus
// the claim checks of podPassesBasicChecks (generic_scheduler.go, ≤v1.18).
import * as E from 'fp-ts/lib/Either.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { findMatchingVolume } from '../volume/volume-matching.js';
import { ANN_SELECTED_NODE, claimClass, isClaimBound, NO_PROVISIONER, podClaimNames } from '../volume/volume-util.js';
import { volumeNodeAffinityMatches } from './node-affinity.js';

/** The reason VolumeBinding gives while a claim of Immediate binding has no volume yet. */
export const UNBOUND_IMMEDIATE_CLAIMS = 'pod has unbound immediate PersistentVolumeClaims';
/** A bound volume whose node affinity excludes the node (ErrReasonNodeConflict / ErrVolumeNodeConflict). */
export const VOLUME_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
/** No volume to bind nor provision on the node for a WaitForFirstConsumer claim (ErrReasonBindConflict). */
export const VOLUME_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";

/** Read access to the objects volume binding looks at (the scheduler's informer caches). */
export interface VolumeListers {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  storageClass(name: string): StorageClass | undefined;
  volumes(): readonly PersistentVolume[];
}

/** A claim that binds when its first pod is scheduled, with its class. */
export interface DelayedClaim {
  readonly claim: PersistentVolumeClaim;
  readonly storageClass: StorageClass;
}

/** The pod's claims sorted the way the binder needs them (GetPodVolumes). */
export interface PodVolumes {
  /** Volumes of the claims already bound. */
  readonly boundVolumes: readonly PersistentVolume[];
  /** Bound claims whose volume no longer exists (an error on every node). */
  readonly missingVolumes: readonly string[];
  /** Unbound claims of WaitForFirstConsumer classes. */
  readonly delayedClaims: readonly DelayedClaim[];
  /** Some unbound claim binds Immediately: the PV controller must bind it first. */
  readonly unboundImmediate: boolean;
}

/**
 * The pod's claims, or the error that rejects the pod on every node: a claim that does not
 * exist or is being deleted (podPassesBasicChecks; the VolumeBinding PreFilter since v1.19).
 */
export const getPodVolumes = (pod: Pod, listers: VolumeListers): E.Either<string, PodVolumes> => {
  if (!hasClaims(pod)) return NO_CLAIMS;
  const namespace = pod.metadata?.namespace ?? 'default';
  const boundVolumes: PersistentVolume[] = [];
  const missingVolumes: string[] = [];
  const delayedClaims: DelayedClaim[] = [];
  let unboundImmediate = false;
  for (const name of podClaimNames(pod)) {
    const claim = listers.claim(namespace, name);
    if (!claim) return E.left(`persistentvolumeclaim "${name}" not found`);
    if (claim.metadata?.deletionTimestamp) return E.left(`persistentvolumeclaim "${name}" is being deleted`);
    if (isClaimBound(claim)) {
      const volumeName = claim.spec?.volumeName ?? '';
      const pv = listers.volume(volumeName);
      if (pv) boundVolumes.push(pv);
      else missingVolumes.push(volumeName);
      continue;
    }
    const className = claimClass(claim);
    const storageClass = className ? listers.storageClass(className) : undefined;
    if (storageClass?.volumeBindingMode === 'WaitForFirstConsumer') delayedClaims.push({ claim, storageClass });
    else unboundImmediate = true;
  }
  return E.right({ boundVolumes, missingVolumes, delayedClaims, unboundImmediate });
};

/** Whether some volume of the pod is a claim; a loop, as most pods have none and each attempt asks. */
const hasClaims = (pod: Pod): boolean => {
  const volumes = pod.spec?.volumes;
  if (volumes === undefined) return false;
  for (let i = 0; i < volumes.length; i++) if (volumes[i]!.persistentVolumeClaim) return true;
  return false;
};

/** getPodVolumes of a pod without claims: one shared, frozen answer. */
const NO_CLAIMS: E.Either<string, PodVolumes> = E.right(
  Object.freeze({ boundVolumes: Object.freeze([]), missingVolumes: Object.freeze([]), delayedClaims: Object.freeze([]), unboundImmediate: false }),
);

/** Whether the class may provision for `node` (its allowedTopologies, as checkVolumeProvisions does). */
const provisionableOn = (storageClass: StorageClass, node: Node): boolean => {
  if (!storageClass.provisioner || storageClass.provisioner === NO_PROVISIONER) return false;
  const topologies = storageClass.allowedTopologies ?? [];
  if (topologies.length === 0) return true;
  const labels = node.metadata?.labels ?? {};
  return topologies.some((term) => (term.matchLabelExpressions ?? []).every((req) => req.values.includes(labels[req.key] ?? '\u0000')));
};

/** Bit of {@link volumeConflicts}: a bound volume's node affinity excludes the node. */
export const VOLUME_CONFLICT_NODE = 1;
/** Bit of {@link volumeConflicts}: a WaitForFirstConsumer claim can neither bind nor be provisioned there. */
export const VOLUME_CONFLICT_BIND = 2;

/**
 * The node-level check (FindPodVolumes) as bits: {@link VOLUME_CONFLICT_NODE} and
 * {@link VOLUME_CONFLICT_BIND}, 0 when the node can serve the pod's claims. Loops and no
 * result objects: the scheduler asks this for every node that passes the other checks, a few
 * hundred per pod with claims, and most pass.
 */
export const volumeConflicts = (volumes: PodVolumes, node: Node, listers: VolumeListers): number => {
  let conflicts = 0;
  const bound = volumes.boundVolumes;
  for (let i = 0; i < bound.length; i++) {
    if (!volumeNodeAffinityMatches(bound[i]!, node)) {
      conflicts |= VOLUME_CONFLICT_NODE;
      break;
    }
  }
  const delayed = volumes.delayedClaims;
  if (delayed.length === 0) return conflicts;
  const nodeName = node.metadata?.name ?? '';
  for (let i = 0; i < delayed.length; i++) {
    const { claim, storageClass } = delayed[i]!;
    const selected = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
    // Provisioning for another node is under way: only that node can use the claim.
    const unsatisfied =
      selected !== undefined ? selected !== nodeName : findMatchingVolume(claim, listers.volumes(), { node }) === undefined && !provisionableOn(storageClass, node);
    if (unsatisfied) return conflicts | VOLUME_CONFLICT_BIND;
  }
  return conflicts;
};

/**
 * The node-level check (FindPodVolumes): reasons the node cannot serve the pod's claims,
 * empty when it can. Unbound Immediate claims are the caller's business (they are an error
 * or a PreFilter rejection depending on the version).
 */
export const volumeReasons = (volumes: PodVolumes, node: Node, listers: VolumeListers): string[] => {
  const conflicts = volumeConflicts(volumes, node, listers);
  const reasons: string[] = [];
  if ((conflicts & VOLUME_CONFLICT_NODE) !== 0) reasons.push(VOLUME_NODE_CONFLICT);
  if ((conflicts & VOLUME_CONFLICT_BIND) !== 0) reasons.push(VOLUME_BIND_CONFLICT);
  return reasons;
};
