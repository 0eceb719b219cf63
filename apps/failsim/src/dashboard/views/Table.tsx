// A k9s-style table: upper-case headers, one line per row, the selected row in inverse,
// columns dropped from the right by priority when the terminal is narrow, and a window
// that scrolls to keep the selection visible. Cells are coloured by role, never only
// told by colour: the cell's text is the state.
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import type { Role } from '../theme.js';

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
}

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

/** A table of `rows`; see {@link TableProps}. */
export const Table = <R,>({ columns, rows, width, height, selected = -1, empty = 'No resources found.' }: TableProps<R>) => {
  const theme = useTheme();
  const laid = layoutColumns(columns, rows, width);
  const visible = Math.max(1, height);
  const top = selected >= visible ? selected - visible + 1 : 0;
  const shown = rows.slice(top, top + visible);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{laid.map((c) => fit(c.column.title, c.width)).join(' ')}</Text>
      {shown.length === 0 ? <Text color={theme.muted}>{empty}</Text> : null}
      {shown.map((row, i) => {
        const isSelected = top + i === selected;
        return (
          <Text key={top + i} inverse={isSelected} wrap="truncate">
            {laid.map((c, j) => (
              <Text key={j} color={theme[c.column.role?.(row) ?? 'plain']}>
                {fit(c.column.get(row), c.width)}
                {j < laid.length - 1 ? ' ' : ''}
              </Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
};
