// The events view (`:events`, `:ev`): LAST SEEN TYPE REASON OBJECT MESSAGE, newest first,
// `w` for Warnings only; see model/events.ts.
import type { EventRow } from '../model/events.js';
import { roleOf } from '../theme.js';
import { Panel } from './Panel.js';
import { Table, type Column } from './Table.js';

/** The columns of the events view. */
export const EVENT_COLUMNS: readonly Column<EventRow>[] = [
  { title: 'LAST SEEN', get: (r) => r.lastSeen },
  { title: 'TYPE', get: (r) => r.type, role: (r) => roleOf(r.type) },
  { title: 'REASON', get: (r) => r.reason, max: 26 },
  { title: 'OBJECT', get: (r) => r.object, max: 30 },
  { title: 'COUNT', get: (r) => String(r.count), drop: 1 },
  { title: 'MESSAGE', get: (r) => r.message },
];

/** Props of {@link EventsView}. */
export interface EventsViewProps {
  readonly rows: readonly EventRow[];
  readonly width: number;
  readonly height: number;
  readonly warningsOnly?: boolean;
  readonly selected?: number;
  readonly filter?: string;
  /** Per row, whether it just changed (drawn in the `changed` role with a `*`). */
  readonly changed?: readonly boolean[];
}

/** The events view. */
export const EventsView = ({ rows, width, height, changed, warningsOnly, selected, filter }: EventsViewProps) => (
  <Panel title={warningsOnly ? 'Events(Warning)' : 'Events'} count={rows.length} width={width} {...(filter ? { filter } : {})}>
    <Table columns={EVENT_COLUMNS} rows={rows} width={width} height={height - 2} empty="No events." {...(selected !== undefined ? { selected } : {})} {...(changed ? { changed } : {})} />
  </Panel>
);
