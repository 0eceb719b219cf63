// The header: scenario, profile, storage plugin, the virtual clock and wall date, speed
// and run state, the hazard badge (`⚠ 2 hazards`, in words and the error colour), the next
// scripted step, where `--serve` serves the run, and the key hints from the registry.
import { Box, Text } from 'ink';
import { keyHints } from '../keys.js';
import { hazardBadge } from '../model/hazards.js';
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
        {data.serving ? `  serving ${data.serving}` : ''}
      </Text>
      <Text wrap="truncate">
        <Text bold>{data.time}</Text>
        {`  ${data.date}  speed ${data.speed}  `}
        <Text color={data.state === 'running' ? theme.ok : theme.pending}>{data.state.toUpperCase()}</Text>
        {data.hazards ? (
          <Text bold color={theme.error}>{`  ${hazardBadge(data.hazards)}`}</Text>
        ) : null}
        {`  next: ${data.next}`}
      </Text>
      <Text wrap="truncate" color={theme.muted}>{keyHints()}</Text>
    </Box>
  );
};
