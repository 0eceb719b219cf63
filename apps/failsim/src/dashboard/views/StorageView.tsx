// The storage view (`:pvc`, `:storage`): one chain per claim, Pod → PVC → PV → VMDK → VM(s),
// with the first broken link in words (and marked ✗, so it reads without colour), a chain
// that just changed led by `*`, a chain a hazard touches led by `⚠` and its hazards named
// on the state line; see model/storage.ts and model/hazards.ts.
import { Box, Text } from 'ink';
import type { StorageChain } from '../model/storage.js';
import { useTheme } from '../theme-context.js';
import { Panel } from './Panel.js';
import { CHANGED_MARK, HAZARD_MARK } from './Table.js';

/** Props of {@link StorageView}. */
export interface StorageViewProps {
  readonly chains: readonly StorageChain[];
  readonly width: number;
  readonly height: number;
  readonly selected?: number;
  readonly filter?: string;
  /** Per chain, whether it just changed (drawn in the `changed` role with a `*`). */
  readonly changed?: readonly boolean[];
  /** Per chain, the hazards touching its pod or its PV (the chain in the `error` role, led by `⚠`). */
  readonly hazards?: readonly (readonly string[])[];
}

/** The one-line chain: `cassandra/cassandra-0@worker-2 → PVC … → PV … → [ds] path → vm-w2(poweredOff)`. */
export const chainLine = (c: StorageChain): string => {
  const vms = c.vms.length === 0 ? 'no VM' : c.vms.map((v) => `${v.vm}(${v.node},${v.power})`).join('+');
  const k8s = c.attachedPerKubernetes.length === 0 ? 'not attached' : `attached to ${c.attachedPerKubernetes.join(',')}`;
  return `${c.pod}@${c.podNode} → PVC ${c.pvc} (${c.pvcPhase}) → PV ${c.pv} → ${c.vmdk} → ${vms}; k8s: ${k8s}; lock: ${c.lock}`;
};

/** The storage view: two lines per claim (the chain, then its state). */
export const StorageView = ({ chains, width, height, selected = -1, filter, changed, hazards }: StorageViewProps) => {
  const theme = useTheme();
  const fits = Math.max(1, Math.floor((height - 1) / 2));
  const top = selected >= fits ? selected - fits + 1 : 0;
  return (
    <Panel title="Storage" count={chains.length} width={width} {...(filter ? { filter } : {})}>
      {chains.length === 0 ? <Text color={theme.muted}>No claims.</Text> : null}
      {chains.slice(top, top + fits).map((c, i) => {
        const isChanged = changed?.[top + i] === true;
        const kinds = hazards?.[top + i] ?? [];
        const lead = `${kinds.length > 0 ? `${HAZARD_MARK} ` : ''}${isChanged ? `${CHANGED_MARK} ` : ''}`;
        const color = kinds.length > 0 ? theme.error : isChanged ? theme.changed : undefined;
        return (
          <Box key={c.pvc} flexDirection="column">
            <Text wrap="truncate" inverse={top + i === selected} {...(color ? { color } : {})}>
              {`${lead}${chainLine(c)}`}
            </Text>
            {c.problem ? (
              <Text wrap="truncate" color={theme.error}>{`  ✗ ${c.problem.text}${kinds.length > 0 ? `; ${HAZARD_MARK} ${kinds.join(', ')} (:hz)` : ''}`}</Text>
            ) : kinds.length > 0 ? (
              // Kubernetes calls the chain healthy; failsim knows better (the disk left a running container, two writers).
              <Text wrap="truncate" color={theme.error}>{`  ${HAZARD_MARK} ${kinds.join(', ')} (:hz)`}</Text>
            ) : (
              <Text wrap="truncate" color={theme.ok}>{'  ✓ chain intact'}</Text>
            )}
          </Box>
        );
      })}
    </Panel>
  );
};
