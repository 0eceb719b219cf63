// A titled list: a Panel around a Table, nothing else. The vSphere tasks view (`:tasks`),
// the BOSH tasks view (`:bosh`) and the hazards view (`:hz`) were the same component with
// other columns; what differs between them is data (task-columns.ts, hazard-columns.ts).
import { Panel } from './Panel.js';
import { Table, type Column } from './Table.js';

/** Props of {@link ListView}. */
export interface ListViewProps<R> {
  /** The panel's title (`vSphere tasks`); the row count follows it. */
  readonly title: string;
  readonly columns: readonly Column<R>[];
  readonly rows: readonly R[];
  readonly width: number;
  /** Lines, the title and the table header included. */
  readonly height: number;
  /** What an empty list says (`No tasks.`). */
  readonly empty: string;
  /** Index of the selected row; default none. */
  readonly selected?: number;
}

/**
 * A read-only list view.
 * @example <ListView title="BOSH tasks" columns={BOSH_TASK_COLUMNS} rows={rows} width={80} height={20} empty="No tasks." />
 */
export const ListView = <R,>({ title, columns, rows, width, height, empty, selected }: ListViewProps<R>) => (
  <Panel title={title} count={rows.length} width={width}>
    <Table columns={columns} rows={rows} width={width} height={height - 2} empty={empty} {...(selected !== undefined ? { selected } : {})} />
  </Panel>
);
