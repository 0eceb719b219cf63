// The per-profile defaults as one Markdown table, generated from the profile data so the
// package README (checked by a test) and the CLI can never drift from what runs.
import type { VersionProfile } from './profile.js';
import { profiles } from './profiles.js';

const duration = (ms: number): string => (ms % 60_000 === 0 && ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`);
const flag = (on: boolean): string => (on ? 'on' : 'off');

const rows: readonly [string, (p: VersionProfile) => string][] = [
  ['kubelet version', (p) => p.kubeletVersion],
  ['nodeStatusUpdateFrequency', (p) => duration(p.options.nodeStatusUpdateFrequency)],
  ['nodeStatusReportFrequency', (p) => (p.features.NodeLease ? duration(p.options.nodeStatusReportFrequency) : '— (every update)')],
  ['nodeLeaseDurationSeconds', (p) => (p.features.NodeLease ? `${p.options.nodeLeaseDurationSeconds}` : '— (no Lease)')],
  ['nodeMonitorPeriod', (p) => duration(p.options.nodeMonitorPeriod)],
  ['nodeMonitorGracePeriod', (p) => duration(p.options.nodeMonitorGracePeriod)],
  ['nodeStartupGracePeriod', (p) => duration(p.options.nodeStartupGracePeriod)],
  ['podEvictionTimeout', (p) => (p.features.TaintBasedEvictions ? '— (taint-based)' : duration(p.options.podEvictionTimeout))],
  ['default(Unreachable/NotReady)TolerationSeconds', (p) => `${p.options.defaultUnreachableTolerationSeconds} / ${p.options.defaultNotReadyTolerationSeconds}`],
  ['nodeEvictionRate / secondary', (p) => `${p.options.nodeEvictionRate} / ${p.options.secondaryNodeEvictionRate}`],
  ['unhealthyZoneThreshold / largeClusterSizeThreshold', (p) => `${p.options.unhealthyZoneThreshold} / ${p.options.largeClusterSizeThreshold}`],
  ['terminatedPodGCThreshold', (p) => `${p.options.terminatedPodGCThreshold}`],
  ['pod GC orphan quarantine', (p) => (p.behaviours.podGCOrphanQuarantine ? duration(p.behaviours.podGCOrphanQuarantine) : 'none')],
  ['TaintBasedEvictions', (p) => flag(p.features.TaintBasedEvictions)],
  ['NodeLease', (p) => flag(p.features.NodeLease)],
  ['TaintNodesByCondition', (p) => flag(p.features.TaintNodesByCondition)],
  ['NodeOutOfServiceVolumeDetach', (p) => flag(p.features.NodeOutOfServiceVolumeDetach)],
  ['SeparateTaintEvictionController', (p) => flag(p.features.SeparateTaintEvictionController)],
  ['PodDisruptionConditions', (p) => flag(p.features.PodDisruptionConditions)],
  ['pod NodeNotReady event', (p) => flag(p.behaviours.podNotReadyEvent)],
  ['taint eviction event source', (p) => p.texts.taintEvictionComponent],
  ['Pulling event', (p) => p.texts.pulling('nginx')],
  ['Created event', (p) => p.texts.created('nginx')],
  ['Killing event', (p) => p.texts.killing('nginx', 'docker://…')],
];

/** The defaults of `list` (default: every shipped profile) as a Markdown table, one column per profile. */
export const profileTable = (list: readonly VersionProfile[] = profiles): string => {
  const header = `| | ${list.map((p) => p.name).join(' | ')} |`;
  const rule = `| --- | ${list.map(() => '---').join(' | ')} |`;
  const body = rows.map(([name, cell]) => `| ${name} | ${list.map((p) => cell(p).replace(/\|/g, '\\|')).join(' | ')} |`);
  return [header, rule, ...body].join('\n');
};
