// The columns of the two task lists (shown by ListView): vCenter's Recent Tasks as the
// vSphere client lists them (`:tasks`), and the BOSH director's tasks as `bosh tasks
// --recent` prints them (ID State Deployment Description Result; cloudfoundry/bosh-cli
// cmd/tasks.go · v6) (`:bosh`); rows from model/tasks.ts, newest first.
import type { BoshTaskRow, VsphereTaskRow } from '../model/tasks.js';
import { roleOf } from '../theme.js';
import type { Column } from './Table.js';

/** The columns of the vSphere tasks view (the vSphere client's Recent Tasks). */
export const VSPHERE_TASK_COLUMNS: readonly Column<VsphereTaskRow>[] = [
  { title: 'TASK', get: (r) => r.name },
  { title: 'TARGET', get: (r) => r.target, max: 40 },
  { title: 'STATUS', get: (r) => r.status, role: (r) => (r.status === 'Completed' ? 'ok' : roleOf(r.status)) },
  { title: 'INITIATOR', get: (r) => r.initiator, drop: 2 },
  { title: 'START', get: (r) => r.started, drop: 1 },
  { title: 'END', get: (r) => r.completed, drop: 1 },
  { title: 'DETAILS', get: (r) => r.error },
];

/** The columns of the BOSH tasks view. */
export const BOSH_TASK_COLUMNS: readonly Column<BoshTaskRow>[] = [
  { title: 'ID', get: (r) => String(r.id) },
  { title: 'STATE', get: (r) => r.state, role: (r) => roleOf(r.state) },
  { title: 'STARTED', get: (r) => r.started, drop: 2 },
  { title: 'FINISHED', get: (r) => r.finished, drop: 2 },
  { title: 'DEPLOYMENT', get: (r) => r.deployment, drop: 1, max: 36 },
  { title: 'DESCRIPTION', get: (r) => r.description, max: 30 },
  { title: 'RESULT', get: (r) => r.result },
];
