// The rows a view's table shows after the `/` filter and the Ctrl-Z faults-only switch,
// and the object a row stands for (for describe and the fault keys).
import type { HazardRecord, ScenarioRun } from '@failsim/scenarios';
import type { UiState } from '../ui-state.js';
import type { DescribeTarget } from './describe.js';
import { sampleEvents, type EventRow } from './events.js';
import { sampleHazards } from './hazards.js';
import { sampleNodes, type NodeRow } from './nodes.js';
import { samplePods, type PodRow } from './pods.js';
import { sampleStorage, type StorageChain } from './storage.js';

const matches = (filter: string, ...cells: readonly string[]): boolean => {
  if (filter === '') return true;
  const f = filter.toLowerCase();
  return cells.some((c) => c.toLowerCase().includes(f));
};

// Without a filter, the sampled rows themselves (no copy of a thousand rows): the change
// keys the sampler built for them go with them (model/changes.ts).
const unfiltered = (ui: Pick<UiState, 'filter' | 'faultsOnly'>): boolean => ui.filter === '' && !ui.faultsOnly;

/** Nodes after the filter; faulty = not plain `Ready`, or its VM not powered on. */
export const visibleNodes = (run: ScenarioRun, ui: Pick<UiState, 'filter' | 'faultsOnly'>): readonly NodeRow[] =>
  unfiltered(ui) ? sampleNodes(run) : sampleNodes(run).filter((r) => matches(ui.filter, r.name, r.status, r.vm, r.taints) && (!ui.faultsOnly || r.status !== 'Ready' || (r.power !== 'poweredOn' && r.power !== '-')));

/** Pods after the filter; faulty = not Running with every container ready. */
export const visiblePods = (run: ScenarioRun, ui: Pick<UiState, 'filter' | 'faultsOnly'>): readonly PodRow[] =>
  unfiltered(ui) ? samplePods(run) : samplePods(run).filter((r) => matches(ui.filter, r.namespace, r.name, r.status, r.node) && (!ui.faultsOnly || r.status !== 'Running' || r.ready.split('/')[0] !== r.ready.split('/')[1]));

/** Storage chains after the filter; faulty = a broken link. */
export const visibleStorage = (run: ScenarioRun, ui: Pick<UiState, 'filter' | 'faultsOnly'>): StorageChain[] =>
  sampleStorage(run).filter((c) => matches(ui.filter, c.pod, c.pvc, c.pv, c.vmdk, c.problem?.text ?? '') && (!ui.faultsOnly || c.problem !== undefined));

/** Events after the filter; Ctrl-Z and `w` both keep Warnings only. */
export const visibleEvents = (run: ScenarioRun, ui: Pick<UiState, 'filter' | 'faultsOnly' | 'warningsOnly'>, limit?: number): EventRow[] =>
  sampleEvents(run, { warningsOnly: ui.warningsOnly || ui.faultsOnly, ...(limit !== undefined ? { limit } : {}) }).filter((r) => matches(ui.filter, r.reason, r.object, r.message));

/** The object the selected row stands for in `ui.view` (the overview selects nodes; a hazard its Pod, if it names one). */
export const selectedTarget = (run: ScenarioRun, ui: UiState, hazards: readonly HazardRecord[] = []): DescribeTarget | undefined => {
  const split = (key: string): { namespace: string; name: string } => {
    const [namespace = '', name = ''] = key.split('/');
    return { namespace, name };
  };
  switch (ui.view) {
    case 'overview':
    case 'nodes': {
      const row = visibleNodes(run, ui)[ui.selected];
      return row ? { kind: 'Node', name: row.name } : undefined;
    }
    case 'pods': {
      const row = visiblePods(run, ui)[ui.selected];
      return row ? { kind: 'Pod', name: row.name, namespace: row.namespace } : undefined;
    }
    case 'storage': {
      const chain = visibleStorage(run, ui)[ui.selected];
      return chain ? { kind: 'PersistentVolumeClaim', ...split(chain.pvc) } : undefined;
    }
    case 'events': {
      const row = visibleEvents(run, ui)[ui.selected];
      if (!row) return undefined;
      const [kind] = row.object.split('/');
      if (kind === 'pod') return { kind: 'Pod', ...split(row.objectKey) };
      if (kind === 'node') return { kind: 'Node', name: row.objectKey };
      return undefined;
    }
    case 'hazards': {
      const row = sampleHazards(hazards)[ui.selected];
      const [kind = '', namespace = '', name = ''] = row?.objectKey.split('/') ?? [];
      return kind === 'Pod' ? { kind: 'Pod', namespace, name } : undefined;
    }
    default:
      return undefined;
  }
};

/** How many rows the view's table has (to bound j/k). */
export const rowCount = (run: ScenarioRun, ui: UiState, hazards: readonly HazardRecord[] = []): number => {
  switch (ui.view) {
    case 'overview':
    case 'nodes':
      return visibleNodes(run, ui).length;
    case 'pods':
      return visiblePods(run, ui).length;
    case 'storage':
      return visibleStorage(run, ui).length;
    case 'events':
      return visibleEvents(run, ui).length;
    case 'hazards':
      return hazards.length;
    default:
      return 0;
  }
};
