// A k9s-style table: upper-case headers, one line per row, the selected row in inverse,
// columns dropped from the right by priority when the terminal is narrow, and a window
// that scrolls to keep the selection visible. Cells are coloured by role, never only
// told by colour: the cell's text is the state. A row that just changed is drawn in the
// `changed` role with a ` *` after its last cell, so the cue survives NO_COLOR; a row a
// hazard touches is drawn in the `error` role with a ` ⚠` after it. Only the rows in the
// window are formatted, and column widths are measured on a bounded sample, so a table of
// 1,000 nodes costs what its 20 visible rows cost.
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import type { Role, Theme } from '../theme.js';

/** One column of a table. */
export interface Column<R> {
  readonly title: string;
  readonly get: (row: R) => string;
  /** The cell's role (colour), default plain. */
  readonly role?: (row: R) => Role;
  /** Lower stays longer when space runs out; default 0 (always kept). */
  readonly drop?: number;
  /** Widest the column grows; the last column takes what is left. */
  readonly max?: number;
}

/** Props of {@link Table}. */
export interface TableProps<R> {
  readonly columns: readonly Column<R>[];
  readonly rows: readonly R[];
  readonly width: number;
  /** Lines for rows (the header not included). */
  readonly height: number;
  /** Index of the selected row, or -1 for none. */
  readonly selected?: number;
  readonly empty?: string;
  /** Per row (same indices as `rows`), whether it just changed; see model/changes.ts. */
  readonly changed?: readonly boolean[];
  /** Per row (same indices as `rows`), whether a hazard touches it; see model/hazards.ts. */
  readonly hazard?: readonly boolean[];
}

/** The marker after a row that just changed (the colour is only a second cue). */
export const CHANGED_MARK = '*';

/** The marker of a row a hazard touches (the error colour is only a second cue). */
export const HAZARD_MARK = '⚠';

const fit = (text: string, width: number): string => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width));

/** The columns that fit `width`, with their widths (each column gets at least its title). */
export const layoutColumns = <R,>(columns: readonly Column<R>[], rows: readonly R[], width: number): { column: Column<R>; width: number }[] => {
  const sample = rows.slice(0, 200);
  let kept = columns.map((column) => ({ column, width: Math.min(column.max ?? 60, Math.max(column.title.length, ...sample.map((r) => column.get(r).length))) }));
  const total = (): number => kept.reduce((s, c) => s + c.width + 1, 0);
  while (total() > width) {
    const droppable = kept.filter((c) => (c.column.drop ?? 0) > 0);
    if (droppable.length === 0) break;
    const worst = droppable.reduce((a, b) => ((b.column.drop ?? 0) >= (a.column.drop ?? 0) ? b : a));
    kept = kept.filter((c) => c !== worst);
  }
  // The last column takes what is left (or gives up what is missing).
  const last = kept[kept.length - 1];
  if (last) last.width = Math.max(last.column.title.length, last.width + (width - total()));
  return kept;
};

/**
 * A row's cells as runs of one colour each: neighbouring cells of the same colour share
 * one Ink text node (with NO_COLOR a row is one node), since Ink's cost grows with nodes.
 */
export const cellRuns = <R,>(laid: readonly { column: Column<R>; width: number }[], row: R, changed: boolean, theme: Theme, hazard = false): { color: string | undefined; text: string }[] => {
  const runs: { color: string | undefined; text: string }[] = [];
  laid.forEach((c, j) => {
    const own = c.column.role?.(row) ?? 'plain';
    // A hazard outranks every other cue: the whole row is an error.
    const role: Role = hazard ? 'error' : own === 'plain' && changed ? 'changed' : own;
    // The last cell is not padded: trailing blanks cost Ink as much as text.
    const text = j < laid.length - 1 ? `${fit(c.column.get(row), c.width)} ` : fit(c.column.get(row), c.width).trimEnd();
    const color = theme[role];
    const last = runs[runs.length - 1];
    if (last && last.color === color) last.text += text;
    else runs.push({ color, text });
  });
  return runs;
};

/** A table of `rows`; see {@link TableProps}. */
export const Table = <R,>({ columns, rows, width, height, selected = -1, empty = 'No resources found.', changed, hazard }: TableProps<R>) => {
  const theme = useTheme();
  const visible = Math.max(1, height);
  const top = selected >= visible ? selected - visible + 1 : 0;
  const shown = rows.slice(top, top + visible);
  // Widths from the visible rows (plus the rest of a bounded sample), two columns kept
  // free for the changed marker after the last cell (four when a hazard mark may precede it).
  const marks = hazard?.some((h) => h) ? 4 : 2;
  const laid = layoutColumns(columns, top === 0 ? rows : [...shown, ...rows.slice(0, 200)], width - marks);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{laid.map((c) => fit(c.column.title, c.width)).join(' ').trimEnd()}</Text>
      {shown.length === 0 ? <Text color={theme.muted}>{empty}</Text> : null}
      {shown.map((row, i) => {
        const isSelected = top + i === selected;
        const isChanged = changed?.[top + i] === true;
        const isHazard = hazard?.[top + i] === true;
        const runs = cellRuns(laid, row, isChanged, theme, isHazard);
        // One run and no marks (every row without colour): the row is one text node.
        if (runs.length === 1 && !isHazard && !isChanged) {
          return (
            <Text key={top + i} inverse={isSelected} wrap="truncate" {...(runs[0]!.color ? { color: runs[0]!.color } : {})}>
              {runs[0]!.text}
            </Text>
          );
        }
        return (
          <Text key={top + i} inverse={isSelected} wrap="truncate">
            {runs.map((run, j) => (
              <Text key={j} color={run.color}>
                {run.text}
              </Text>
            ))}
            {isHazard ? <Text color={theme.error}>{` ${HAZARD_MARK}`}</Text> : null}
            {isChanged ? <Text color={theme.changed}>{` ${CHANGED_MARK}`}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
};
