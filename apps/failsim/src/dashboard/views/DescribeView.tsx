// The describe view (Enter or `d` on a row): kubectl describe's text for the selected
// object, with its Events; see model/describe.ts.
import { Text } from 'ink';
import { Panel } from './Panel.js';

/** Props of {@link DescribeView}. */
export interface DescribeViewProps {
  /** `pod/cassandra/cassandra-0`. */
  readonly title: string;
  readonly lines: readonly string[];
  readonly width: number;
  readonly height: number;
}

/** The describe view: the first lines that fit (Esc goes back). */
export const DescribeView = ({ title, lines, width, height }: DescribeViewProps) => (
  <Panel title={`Describe ${title}`} width={width}>
    {lines.slice(0, Math.max(1, height - 1)).map((l, i) => (
      <Text key={i} wrap="truncate">{l === '' ? ' ' : l}</Text>
    ))}
  </Panel>
);
