import { describe, expect, it } from '@jest/globals';
import { COLOR_THEME, NO_COLOR_THEME } from '../theme.js';
import { plainFrame } from './fixtures.js';
import { cellRuns, CHANGED_MARK, HAZARD_MARK, layoutColumns, Table, type Column } from './Table.js';

interface Row { readonly name: string; readonly status: string; readonly note: string }
const COLUMNS: readonly Column<Row>[] = [
  { title: 'NAME', get: (r) => r.name },
  { title: 'STATUS', get: (r) => r.status, role: (r) => (r.status === 'Ready' ? 'ok' : 'error') },
  { title: 'NOTE', get: (r) => r.note, drop: 1 },
];
const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({ name: `worker-${i}`, status: i === 2 ? 'NotReady' : 'Ready', note: `note ${i}` }));
const frame = plainFrame;

describe('Table', () => {
  it('prints upper-case headers and one line per row, only as many rows as fit', () => {
    const lines = frame(<Table columns={COLUMNS} rows={rows} width={60} height={5} />).split('\n');
    expect(lines[0]).toMatch(/^NAME +STATUS +NOTE$/);
    expect(lines).toHaveLength(6);
    expect(lines[3]).toMatch(/^worker-2 +NotReady +note 2$/);
  });

  it('scrolls to keep the selection visible', () => {
    const text = frame(<Table columns={COLUMNS} rows={rows} width={60} height={5} selected={20} />);
    expect(text).toContain('worker-20');
    expect(text).not.toMatch(/^worker-0 /m);
  });

  it('drops the droppable columns first when narrow, and says when there are no rows', () => {
    expect(layoutColumns(COLUMNS, rows, 20).map((c) => c.column.title)).toEqual(['NAME', 'STATUS']);
    expect(frame(<Table columns={COLUMNS} rows={[]} width={40} height={3} empty="No nodes." />)).toContain('No nodes.');
  });

  it('marks a row that just changed with a text marker, not only a colour', () => {
    const text = frame(<Table columns={COLUMNS} rows={rows.slice(0, 3)} width={60} height={5} changed={[false, false, true]} />);
    expect(text).toMatch(new RegExp(`^worker-2 +NotReady +note 2 \\${CHANGED_MARK}$`, 'm'));
    expect(text).not.toMatch(new RegExp(`^worker-1 .*\\${CHANGED_MARK}$`, 'm'));
  });

  it('joins neighbouring cells of one colour into one text run', () => {
    const laid = layoutColumns(COLUMNS, rows, 60);
    expect(cellRuns(laid, rows[0]!, false, NO_COLOR_THEME)).toHaveLength(1);
    expect(cellRuns(laid, rows[0]!, false, COLOR_THEME).map((r) => r.color)).toEqual([undefined, 'green', undefined]);
    expect(cellRuns(laid, rows[0]!, true, COLOR_THEME).map((r) => r.color)).toEqual(['cyan', 'green', 'cyan']);
  });

  it('marks a row a hazard touches with ⚠ after it and the error role on every cell, before the changed mark', () => {
    const lines = frame(<Table columns={COLUMNS} rows={rows.slice(0, 3)} width={60} height={5} hazard={[false, true, true]} changed={[false, false, true]} />).split('\n');
    expect(lines[1]).toMatch(/^worker-0 +Ready +note 0$/);
    expect(lines[2]).toMatch(new RegExp(`^worker-1 +Ready +note 1 ${HAZARD_MARK}$`));
    expect(lines[3]).toMatch(new RegExp(`^worker-2 +NotReady +note 2 ${HAZARD_MARK} \\${CHANGED_MARK}$`));
    const laid = layoutColumns(COLUMNS, rows, 60);
    expect(cellRuns(laid, rows[0]!, false, COLOR_THEME, true)).toEqual([{ color: 'red', text: expect.stringMatching(/^worker-0 +Ready +note 0$/) as unknown as string }]);
  });
});
