// The header: scenario, profile, storage plugin, the virtual clock and wall date, speed
// and run state, the next scripted step, and the key hints from the registry.
import { Box, Text } from 'ink';
import { keyHints } from '../keys.js';
import type { HeaderData } from '../model/header.js';
import { useTheme } from '../theme-context.js';

/** Props of {@link Header}. */
export interface HeaderProps {
  readonly data: HeaderData;
  readonly width: number;
}

/** The three header lines. */
export const Header = ({ data, width }: HeaderProps) => {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text bold>failsim</Text>
        {` ${data.scenario}  profile ${data.profile}  storage ${data.storage}`}
      </Text>
      <Text wrap="truncate">
        <Text bold>{data.time}</Text>
        {`  ${data.date}  speed ${data.speed}  `}
        <Text color={data.state === 'running' ? theme.ok : theme.pending}>{data.state.toUpperCase()}</Text>
        {`  next: ${data.next}`}
      </Text>
      <Text wrap="truncate" color={theme.muted}>{keyHints()}</Text>
    </Box>
  );
};
