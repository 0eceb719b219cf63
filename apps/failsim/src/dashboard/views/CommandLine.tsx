// The bottom line: the `:` or `/` prompt being typed with its completions, or the last
// message (a refused command's one-line error, what a key did).
import { Text } from 'ink';
import { useTheme } from '../theme-context.js';

/** Props of {@link CommandLine}. */
export interface CommandLineProps {
  /** `:` or `/` while typing, else undefined. */
  readonly mode?: ':' | '/';
  readonly text: string;
  readonly completions?: readonly string[];
  readonly message?: { readonly text: string; readonly error: boolean };
  readonly width: number;
}

/** The prompt or the message line. */
export const CommandLine = ({ mode, text, completions = [], message, width }: CommandLineProps) => {
  const theme = useTheme();
  if (mode) {
    const hint = completions.length > 0 ? `   (${completions.slice(0, 6).join(' ')}; Tab completes)` : '';
    return <Text wrap="truncate">{`${mode}${text}▏${hint}`.slice(0, width)}</Text>;
  }
  if (message) return <Text wrap="truncate" color={message.error ? theme.error : theme.changed}>{message.error ? `✗ ${message.text}` : message.text}</Text>;
  return <Text> </Text>;
};
