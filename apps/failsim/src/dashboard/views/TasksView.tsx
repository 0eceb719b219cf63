// The vSphere tasks view (`:tasks`): vCenter's Recent Tasks, newest first; see model/tasks.ts.
import type { VsphereTaskRow } from '../model/tasks.js';
import { roleOf } from '../theme.js';
import { Panel } from './Panel.js';
import { Table, type Column } from './Table.js';

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

/** Props of {@link TasksView}. */
export interface TasksViewProps {
  readonly rows: readonly VsphereTaskRow[];
  readonly width: number;
  readonly height: number;
}

/** The vSphere tasks view. */
export const TasksView = ({ rows, width, height }: TasksViewProps) => (
  <Panel title="vSphere tasks" count={rows.length} width={width}>
    <Table columns={VSPHERE_TASK_COLUMNS} rows={rows} width={width} height={height - 2} empty="No tasks." />
  </Panel>
);
