// The `?` help overlay, drawn from the key registry (keys.ts) so it lists exactly the keys
// the dashboard answers, grouped by scope.
import { Box, Text } from 'ink';
import { KEY_BINDINGS, type KeyBinding, type KeyScope } from '../keys.js';
import { VIEWS } from '../views.js';
import { useTheme } from '../theme-context.js';

const SCOPES: readonly { scope: KeyScope; title: string }[] = [
  { scope: 'global', title: 'General' },
  { scope: 'table', title: 'Tables' },
  { scope: 'time', title: 'Time' },
  { scope: 'node', title: 'Faults on the selected node' },
];

/** Props of {@link HelpOverlay}. */
export interface HelpOverlayProps {
  readonly width: number;
  readonly bindings?: readonly KeyBinding[];
}

/** The help overlay. */
export const HelpOverlay = ({ width, bindings = KEY_BINDINGS }: HelpOverlayProps) => {
  const theme = useTheme();
  const labelWidth = Math.max(...bindings.map((b) => b.label.length));
  return (
    <Box flexDirection="column" width={width}>
      <Text color={theme.accent}>{'── Help (Esc or ? closes) '.padEnd(width, '─')}</Text>
      {SCOPES.map(({ scope, title }) => (
        <Box key={scope} flexDirection="column">
          <Text bold>{title}</Text>
          {bindings
            .filter((b) => b.scope === scope)
            .map((b) => (
              <Text key={b.label} wrap="truncate">{`  ${b.label.padEnd(labelWidth)}  ${b.description}`}</Text>
            ))}
        </Box>
      ))}
      <Text bold>Views</Text>
      <Text wrap="truncate">{`  ${VIEWS.map((v) => `:${v.aliases.join('/:')}`).join('  ')}`}</Text>
    </Box>
  );
};
