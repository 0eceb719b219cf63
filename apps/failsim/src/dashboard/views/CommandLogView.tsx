// The command log view (`:log`): every command issued this run, as the real command line
// it stands for, with its outcome in words (ok, refused, failed, running).
import { Text } from 'ink';
import { virtualTime } from '../../output/virtual-time.js';
import type { CommandLogEntry } from '../session.js';
import { useTheme } from '../theme-context.js';
import { Panel } from './Panel.js';

/** Props of {@link CommandLogView}. */
export interface CommandLogViewProps {
  readonly entries: readonly CommandLogEntry[];
  readonly width: number;
  readonly height: number;
}

/** The outcome word of an entry. */
export const outcome = (e: CommandLogEntry): string => (e.ok === undefined ? 'running' : e.ok ? 'ok' : 'error');

/** The command log, newest last, each entry its line then the first line of its output. */
export const CommandLogView = ({ entries, width, height }: CommandLogViewProps) => {
  const theme = useTheme();
  const lines = entries.flatMap((e) => {
    const first = e.output.split('\n').find((l) => l.trim() !== '');
    return [
      { text: `${virtualTime(e.at)}  $ ${e.line}  [${outcome(e)}]`, role: e.ok === false ? theme.error : e.ok === undefined ? theme.pending : theme.ok },
      ...(first ? [{ text: `           ${first}`, role: theme.muted }] : []),
    ];
  });
  const shown = lines.slice(-Math.max(1, height - 1));
  return (
    <Panel title="Command log" count={entries.length} width={width}>
      {shown.length === 0 ? <Text color={theme.muted}>No commands yet: `:` then a kubectl, govc, bosh or partition line, or a fault key on a node.</Text> : null}
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" color={l.role}>{l.text}</Text>
      ))}
    </Panel>
  );
};
