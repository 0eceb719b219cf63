// The pods view (`:pods`, `:po`): NAMESPACE NAME READY STATUS RESTARTS AGE NODE; see model/pods.ts.
import type { PodRow } from '../model/pods.js';
import { roleOf } from '../theme.js';
import { Panel } from './Panel.js';
import { Table, type Column } from './Table.js';

/** The columns of the pods view. */
export const POD_COLUMNS: readonly Column<PodRow>[] = [
  { title: 'NAMESPACE', get: (r) => r.namespace, drop: 2, max: 16 },
  { title: 'NAME', get: (r) => r.name, max: 40 },
  { title: 'READY', get: (r) => r.ready },
  { title: 'STATUS', get: (r) => r.status, role: (r) => roleOf(r.status) },
  { title: 'RESTARTS', get: (r) => String(r.restarts), drop: 3 },
  { title: 'AGE', get: (r) => r.age, drop: 1 },
  { title: 'NODE', get: (r) => r.node },
];

/** Props of {@link PodsView}. */
export interface PodsViewProps {
  readonly rows: readonly PodRow[];
  readonly width: number;
  readonly height: number;
  readonly selected?: number;
  readonly filter?: string;
  /** Per row, whether it just changed (drawn in the `changed` role with a `*`). */
  readonly changed?: readonly boolean[];
  /** Per row, whether a hazard names the pod (drawn in the `error` role with a `⚠`). */
  readonly hazard?: readonly boolean[];
}

/** The pods view. */
export const PodsView = ({ rows, width, height, changed, hazard, selected, filter }: PodsViewProps) => (
  <Panel title="Pods(all)" count={rows.length} width={width} {...(filter ? { filter } : {})}>
    <Table columns={POD_COLUMNS} rows={rows} width={width} height={height - 2} {...(selected !== undefined ? { selected } : {})} {...(changed ? { changed } : {})} {...(hazard ? { hazard } : {})} />
  </Panel>
);
