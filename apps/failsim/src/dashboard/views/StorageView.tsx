// The storage view (`:pvc`, `:storage`): one chain per claim, Pod → PVC → PV → VMDK → VM(s),
// with the first broken link in words (and marked ✗, so it reads without colour), a chain
// that just changed led by `*`; see model/storage.ts.
import { Box, Text } from 'ink';
import type { StorageChain } from '../model/storage.js';
import { useTheme } from '../theme-context.js';
import { Panel } from './Panel.js';
import { CHANGED_MARK } from './Table.js';

/** Props of {@link StorageView}. */
export interface StorageViewProps {
  readonly chains: readonly StorageChain[];
  readonly width: number;
  readonly height: number;
  readonly selected?: number;
  readonly filter?: string;
  /** Per chain, whether it just changed (drawn in the `changed` role with a `*`). */
  readonly changed?: readonly boolean[];
}

/** The one-line chain: `cassandra/cassandra-0@worker-2 → PVC … → PV … → [ds] path → vm-w2(poweredOff)`. */
export const chainLine = (c: StorageChain): string => {
  const vms = c.vms.length === 0 ? 'no VM' : c.vms.map((v) => `${v.vm}(${v.node},${v.power})`).join('+');
  const k8s = c.attachedPerKubernetes.length === 0 ? 'not attached' : `attached to ${c.attachedPerKubernetes.join(',')}`;
  return `${c.pod}@${c.podNode} → PVC ${c.pvc} (${c.pvcPhase}) → PV ${c.pv} → ${c.vmdk} → ${vms}; k8s: ${k8s}; lock: ${c.lock}`;
};

/** The storage view: two lines per claim (the chain, then its state). */
export const StorageView = ({ chains, width, height, selected = -1, filter, changed }: StorageViewProps) => {
  const theme = useTheme();
  const fits = Math.max(1, Math.floor((height - 1) / 2));
  const top = selected >= fits ? selected - fits + 1 : 0;
  return (
    <Panel title="Storage" count={chains.length} width={width} {...(filter ? { filter } : {})}>
      {chains.length === 0 ? <Text color={theme.muted}>No claims.</Text> : null}
      {chains.slice(top, top + fits).map((c, i) => (
        <Box key={c.pvc} flexDirection="column">
          <Text wrap="truncate" inverse={top + i === selected} {...(changed?.[top + i] ? { color: theme.changed } : {})}>
            {changed?.[top + i] ? `${CHANGED_MARK} ${chainLine(c)}` : chainLine(c)}
          </Text>
          {c.problem ? (
            <Text wrap="truncate" color={theme.error}>{`  ✗ ${c.problem.text}`}</Text>
          ) : (
            <Text wrap="truncate" color={theme.ok}>{'  ✓ chain intact'}</Text>
          )}
        </Box>
      ))}
    </Panel>
  );
};
