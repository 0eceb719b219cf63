// The volumes the PV controller's claim sync may match (pkg/controller/volume/persistentvolume
// pv_controller.go syncUnboundClaim → findBestMatchForClaim, v1.14): those pre-bound to the
// claim and the Available ones. upstream keeps a persistentVolumeOrderedIndex over its
// informer's store; here the index follows the informer's events, so a claim sync costs
// what the claim can get, not a walk of every volume of the cluster (which made the first
// minute of a large cluster quadratic: each of 15,000 provisioned volumes re-built it).
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { InformerEvent } from '@failsim/core';

const claimKeyOf = (pv: PersistentVolume): string | undefined => {
  const ref = pv.spec?.claimRef;
  return ref ? `${ref.namespace ?? 'default'}/${ref.name ?? ''}` : undefined;
};

const nameOf = (pv: PersistentVolume): string => pv.metadata?.name ?? '';

/** Where `name` is, or would go, in `list` ordered by name (the informer's list order). */
const position = (list: readonly PersistentVolume[], name: string): number => {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (nameOf(list[mid]!) < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const insert = (list: PersistentVolume[], pv: PersistentVolume): void => {
  const at = position(list, nameOf(pv));
  if (at < list.length && nameOf(list[at]!) === nameOf(pv)) list[at] = pv;
  else list.splice(at, 0, pv);
};

const remove = (list: PersistentVolume[], name: string): void => {
  const at = position(list, name);
  if (at < list.length && nameOf(list[at]!) === name) list.splice(at, 1);
};

/** How a volume counts: pre-bound to a claim, Available, or neither (being deleted, Bound without claimRef…). */
const slotOf = (pv: PersistentVolume): { readonly claim: string } | 'available' | undefined => {
  if (pv.metadata?.deletionTimestamp) return undefined;
  const claim = claimKeyOf(pv);
  if (claim !== undefined) return { claim };
  return pv.status?.phase === 'Available' ? 'available' : undefined;
};

/**
 * The matchable volumes, in name order, kept current by {@link MatchableVolumes.apply}
 * from every event of a PersistentVolume informer.
 */
export class MatchableVolumes {
  readonly #available: PersistentVolume[] = [];
  readonly #byClaim = new Map<string, PersistentVolume[]>();

  /** Takes one informer event into account (the previous version is `event.old`). */
  apply(event: InformerEvent<PersistentVolume>): void {
    if (event.old) this.#drop(event.old);
    if (event.type !== 'DELETED') this.#add(event.object);
  }

  /** The volumes pre-bound to the claim `namespace/name` (name order), then the Available ones (name order). */
  for(claimKey: string): readonly PersistentVolume[] {
    const preBound = this.#byClaim.get(claimKey);
    return preBound ? [...preBound, ...this.#available] : this.#available;
  }

  #add(pv: PersistentVolume): void {
    const slot = slotOf(pv);
    if (slot === 'available') insert(this.#available, pv);
    else if (slot !== undefined) {
      const list = this.#byClaim.get(slot.claim);
      if (list) insert(list, pv);
      else this.#byClaim.set(slot.claim, [pv]);
    }
  }

  #drop(pv: PersistentVolume): void {
    const slot = slotOf(pv);
    if (slot === 'available') remove(this.#available, nameOf(pv));
    else if (slot !== undefined) {
      const list = this.#byClaim.get(slot.claim);
      if (!list) return;
      remove(list, nameOf(pv));
      if (list.length === 0) this.#byClaim.delete(slot.claim);
    }
  }
}
