// The nodes view (`:nodes`, `:no`): kubectl get nodes -o wide columns plus VM power,
// heartbeat age, taints and pod count; see model/nodes.ts.
import type { NodeRow } from '../model/nodes.js';
import { roleOf } from '../theme.js';
import { Panel } from './Panel.js';
import { Table, type Column } from './Table.js';

/** The columns of the nodes view; the wide ones go first on a narrow terminal. */
export const NODE_COLUMNS: readonly Column<NodeRow>[] = [
  { title: 'NAME', get: (r) => r.name, max: 24 },
  { title: 'STATUS', get: (r) => r.status, role: (r) => roleOf(r.status) },
  { title: 'ROLES', get: (r) => r.roles, drop: 3 },
  { title: 'AGE', get: (r) => r.age, drop: 4 },
  { title: 'VERSION', get: (r) => r.version, drop: 6 },
  { title: 'INTERNAL-IP', get: (r) => r.internalIp, drop: 5 },
  { title: 'VM', get: (r) => r.vm, drop: 2, max: 40 },
  { title: 'POWER', get: (r) => r.power, role: (r) => roleOf(r.power) },
  { title: 'HEARTBEAT', get: (r) => r.heartbeat },
  { title: 'PODS', get: (r) => String(r.pods), drop: 1 },
  { title: 'TAINTS', get: (r) => r.taints, drop: 1, role: (r) => (r.taints === '<none>' ? 'muted' : 'pending') },
];

/** Props of {@link NodesView}. */
export interface NodesViewProps {
  readonly rows: readonly NodeRow[];
  readonly width: number;
  readonly height: number;
  readonly selected?: number;
  readonly filter?: string;
  /** Per row, whether it just changed (drawn in the `changed` role with a `*`). */
  readonly changed?: readonly boolean[];
}

/** The nodes view. */
export const NodesView = ({ rows, width, height, changed, selected, filter }: NodesViewProps) => (
  <Panel title="Nodes" count={rows.length} width={width} {...(filter ? { filter } : {})}>
    <Table columns={NODE_COLUMNS} rows={rows} width={width} height={height - 2} {...(selected !== undefined ? { selected } : {})} {...(changed ? { changed } : {})} />
  </Panel>
);
