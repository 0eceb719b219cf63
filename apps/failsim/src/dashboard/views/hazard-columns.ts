// The columns of the hazards view (`:hazards`, `:hz`, shown by ListView): when, which
// danger, on what, and the detector's message; rows from model/hazards.ts, newest first.
import type { HazardRow } from '../model/hazards.js';
import type { Column } from './Table.js';

/** The columns of the hazards view; the kind is in the error role and in words. */
export const HAZARD_COLUMNS: readonly Column<HazardRow>[] = [
  { title: 'TIME', get: (r) => r.time },
  { title: 'KIND', get: (r) => `⚠ ${r.kind}`, role: () => 'error' },
  { title: 'OBJECT', get: (r) => r.object, max: 40, drop: 1 },
  { title: 'MESSAGE', get: (r) => r.message },
];
