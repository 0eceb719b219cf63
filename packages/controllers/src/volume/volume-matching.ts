// Which PersistentVolume a claim gets. Models pkg/controller/volume/persistentvolume/index.go
// (v1.12–v1.32: findByClaim, findMatchingVolume, allPossibleMatchingAccessModes): volumes are
// grouped by their set of access modes; groups that contain every mode the claim asks for are
// tried from the fewest modes up; within a group the smallest volume that is large enough
// wins, and a volume pre-bound to the claim wins at once.
import * as E from 'fp-ts/lib/Either.js';
import { labelSelectorFromObject } from '@failsim/core';
import type { Node, PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import { volumeNodeAffinityMatches } from '../scheduling/node-affinity.js';
import { parseQuantity } from '../scheduling/quantity.js';
import { claimClass, isVolumeBoundToClaim, volumeClass } from './volume-util.js';

/** How a match is looked for. */
export interface MatchOptions {
  /**
   * The node the scheduler considers (its path): volumes whose node affinity excludes it do
   * not match. Undefined on the PV controller's path.
   */
  readonly node?: Node;
  /**
   * The claim's class binds on first consumer (WaitForFirstConsumer): the PV controller
   * binds only volumes pre-bound to the claim, leaving the rest to the scheduler.
   */
  readonly delayBinding?: boolean;
}

const modesKey = (modes: readonly string[] | undefined): string => [...new Set(modes ?? [])].sort().join(',');

const storageOf = (text: string | undefined): number => parseQuantity(text) ?? 0;

/** The best volume for `claim` among `volumes`, or undefined (findByClaim). */
export const findMatchingVolume = (
  claim: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  options: MatchOptions = {},
): PersistentVolume | undefined => {
  const wanted = new Set(claim.spec?.accessModes ?? []);
  const groups = new Map<string, PersistentVolume[]>();
  const claimName = claim.metadata?.name;
  const claimNamespace = claim.metadata?.namespace ?? 'default';
  for (const pv of volumes) {
    // Only volumes matchInGroup could return are grouped: in a big cluster nearly every
    // volume is bound to another claim, and grouping them (a key per volume) made each
    // pending claim's sync cost far more than the volumes it could get.
    if (pv.metadata?.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    if (ref ? ref.name !== claimName || (ref.namespace ?? 'default') !== claimNamespace : pv.status?.phase !== 'Available') continue;
    const key = modesKey(pv.spec?.accessModes);
    const group = groups.get(key);
    if (group) group.push(pv);
    else groups.set(key, [pv]);
  }
  const candidates = [...groups.keys()]
    .filter((key) => {
      const modes = new Set(key ? key.split(',') : []);
      return [...wanted].every((m) => modes.has(m));
    })
    .sort((a, b) => a.split(',').length - b.split(',').length || (a < b ? -1 : a > b ? 1 : 0));
  for (const key of candidates) {
    const found = matchInGroup(claim, groups.get(key) ?? [], options);
    if (found !== 'none') return found;
  }
  return undefined;
};

/** findMatchingVolume over one access-mode group: a volume, undefined (stop: pre-bound but unusable), or 'none'. */
const matchInGroup = (claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], options: MatchOptions): PersistentVolume | undefined | 'none' => {
  const requested = storageOf(claim.spec?.resources?.requests?.['storage']);
  const requestedClass = claimClass(claim);
  const selector = claim.spec?.selector ? labelSelectorFromObject(claim.spec.selector) : undefined;
  const claimMode = claim.spec?.volumeMode ?? 'Filesystem';
  let smallest: PersistentVolume | undefined;
  let smallestSize = Infinity;
  for (const pv of volumes) {
    if (pv.metadata?.deletionTimestamp) continue;
    const size = storageOf(pv.spec?.capacity?.['storage']);
    // A claim and a volume of different volume modes never bind (checkVolumeModeMismatches).
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== claimMode) continue;
    const affinityOk = options.node === undefined || volumeNodeAffinityMatches(pv, options.node);
    if (isVolumeBoundToClaim(pv, claim)) {
      if (size < requested) continue;
      // A pre-bound volume the node cannot use makes the claim unusable on that node.
      return affinityOk ? pv : undefined;
    }
    if (options.node === undefined && options.delayBinding) continue;
    if (pv.status?.phase !== 'Available' || pv.spec?.claimRef) continue;
    if (selector !== undefined && (E.isLeft(selector) || !selector.right.matches(pv.metadata?.labels))) continue;
    if (volumeClass(pv) !== requestedClass || !affinityOk) continue;
    if (size >= requested && size < smallestSize) {
      smallest = pv;
      smallestSize = size;
    }
  }
  return smallest ?? 'none';
};
