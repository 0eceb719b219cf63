// The BOSH tasks view (`:bosh`): the director's tasks as `bosh tasks --recent` lists them
// (ID State Deployment Description Result), newest first; see model/tasks.ts.
import type { BoshTaskRow } from '../model/tasks.js';
import { roleOf } from '../theme.js';
import { Panel } from './Panel.js';
import { Table, type Column } from './Table.js';

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

/** Props of {@link BoshView}. */
export interface BoshViewProps {
  readonly rows: readonly BoshTaskRow[];
  readonly width: number;
  readonly height: number;
}

/** The BOSH tasks view. */
export const BoshView = ({ rows, width, height }: BoshViewProps) => (
  <Panel title="BOSH tasks" count={rows.length} width={width}>
    <Table columns={BOSH_TASK_COLUMNS} rows={rows} width={width} height={height - 2} empty="No tasks." />
  </Panel>
);
