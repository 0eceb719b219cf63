// The hazards view (`:hazards`, `:hz`) and the hazard marks of the other views: what the
// run's hazard detector (@failsim/scenarios hazards/detect-hazards.ts, README "Hazards")
// found that would endanger a real cluster and that neither Kubernetes nor vSphere
// reports — SplitBrain, VolumeDataDeleted, PodOnDeletedNode, DetachedWhileMounted — newest
// first, and which pods and storage chains they touch (issue 7: "highlighted in the
// dashboard").
import type { HazardKind, HazardRecord } from '@failsim/scenarios';
import { shortObject } from '../../output/transcript.js';
import { virtualTime } from '../../output/virtual-time.js';
import type { PodRow } from './pods.js';
import type { StorageChain } from './storage.js';

/** One row of the hazards view. */
export interface HazardRow {
  /** `T+13:26` from the scenario start. */
  readonly time: string;
  readonly kind: HazardKind;
  /** `pod/cassandra/cassandra-0`, `pv/pvc-…` (as the transcript names objects). */
  readonly object: string;
  /** The runner's key, `Pod/cassandra/cassandra-0` or `PersistentVolume/pvc-…`. */
  readonly objectKey: string;
  readonly message: string;
}

/** The hazards as rows, newest first (of two found at once, the later found first). */
export const sampleHazards = (hazards: readonly HazardRecord[]): HazardRow[] =>
  hazards
    .map((h, i) => ({ h, i }))
    .sort((a, b) => b.h.at - a.h.at || b.i - a.i)
    .map(({ h }) => ({ time: virtualTime(h.at), kind: h.kind, object: shortObject(h.object), objectKey: h.object, message: h.message }));

/** The badge of the header: `⚠ 2 hazards` (words, not only colour); empty when there are none. */
export const hazardBadge = (count: number): string => (count === 0 ? '' : `⚠ ${count} hazard${count === 1 ? '' : 's'}`);

/** The hazard kinds per object key (`Pod/ns/name`, `PersistentVolume/name`), in the order found. */
export type HazardMarks = ReadonlyMap<string, readonly HazardKind[]>;

/** Indexes `hazards` by the object each names. */
export const hazardMarks = (hazards: readonly HazardRecord[]): HazardMarks => {
  const marks = new Map<string, HazardKind[]>();
  for (const h of hazards) {
    const kinds = marks.get(h.object) ?? [];
    if (!kinds.includes(h.kind)) marks.set(h.object, [...kinds, h.kind]);
  }
  return marks;
};

/** Per pod row, whether a hazard names that pod (a StatefulSet identity: the replacement Pod carries the name). */
export const podHazards = (rows: readonly PodRow[], marks: HazardMarks): boolean[] => rows.map((r) => marks.has(`Pod/${r.namespace}/${r.name}`));

/** The hazard kinds touching a storage chain: those of its pod and those of its PV. */
export const chainHazardKinds = (chain: StorageChain, marks: HazardMarks): HazardKind[] => {
  const kinds = [...(chain.pod !== '-' ? (marks.get(`Pod/${chain.pod}`) ?? []) : []), ...(chain.pv !== '-' ? (marks.get(`PersistentVolume/${chain.pv}`) ?? []) : [])];
  return [...new Set(kinds)];
};
