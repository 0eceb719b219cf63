// The clocks view (`:clocks`): the pending timers grouped by owner, with their countdowns;
// the housekeeping loops too with `a` or `:clocks all`; see model/clocks.ts.
import { Text } from 'ink';
import type { ClockGroup } from '../model/clocks.js';
import { useTheme } from '../theme-context.js';
import { Panel } from './Panel.js';

/** Props of {@link ClocksView}. */
export interface ClocksViewProps {
  readonly groups: readonly ClockGroup[];
  readonly width: number;
  readonly height: number;
  /** Every timer, housekeeping loops included (`a` or `:clocks all`). */
  readonly all?: boolean;
}

/** The clocks view: `owner` lines, then `  in 4m30s  purpose` under each. */
export const ClocksView = ({ groups, width, height, all = false }: ClocksViewProps) => {
  const theme = useTheme();
  const lines: { text: string; owner: boolean }[] = [];
  for (const g of groups) {
    lines.push({ text: g.owner, owner: true });
    for (const t of g.timers) lines.push({ text: `  ${t.countdown.padEnd(10)} ${t.purpose}`, owner: false });
  }
  const room = Math.max(1, height - 1);
  const shown = lines.slice(0, room);
  const more = lines.length - shown.length;
  if (more > 0 && shown.length > 0) shown[shown.length - 1] = { text: `  … ${more + 1} more`, owner: false };
  return (
    <Panel title={all ? 'Clocks(all)' : 'Clocks'} count={groups.reduce((s, g) => s + g.timers.length, 0)} width={width}>
      {shown.length === 0 ? <Text color={theme.muted}>No timers pending.</Text> : null}
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.owner} {...(l.owner ? {} : { color: theme.pending })}>{l.text}</Text>
      ))}
    </Panel>
  );
};
