// A view's frame: a one-line title in k9s' style (` Pods(all)[12] /cass `), then the body.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../theme-context.js';

/** Props of {@link Panel}. */
export interface PanelProps {
  readonly title: string;
  /** Row count shown in brackets. */
  readonly count?: number;
  readonly filter?: string;
  readonly width: number;
  readonly children?: ReactNode;
}

/** A titled panel. */
export const Panel = ({ title, count, filter, width, children }: PanelProps) => {
  const theme = useTheme();
  const label = ` ${title}${count !== undefined ? `[${count}]` : ''}${filter ? ` /${filter}` : ''} `;
  const rule = Math.max(0, width - label.length - 2);
  return (
    <Box flexDirection="column" width={width}>
      <Text color={theme.accent} wrap="truncate">{`──${label}${'─'.repeat(rule)}`}</Text>
      {children}
    </Box>
  );
};
