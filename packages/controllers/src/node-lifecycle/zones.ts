// Eviction zones and their disruption state, as the node lifecycle controller computes them:
// GetZoneKey (k/k pkg/util/node/node.go v1.15.5; staging component-helpers/node/topology
// helpers.go main), ComputeZoneState and isNodeExcludedFromDisruptionChecks
// (pkg/controller/nodelifecycle/node_lifecycle_controller.go main; the master-name rule of
// pkg/util/system IsMasterNode, used in monitorNodeHealth v1.15.5). Reference §2.4.
import type { Node } from 'kubernetes-types/core/v1.js';

/** A zone's state (node_lifecycle_controller.go ZoneState). */
export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Zone and region labels, beta (≤1.16 only) and stable (1.17+ fallback). */
export const ZONE_LABELS = {
  betaZone: 'failure-domain.beta.kubernetes.io/zone',
  betaRegion: 'failure-domain.beta.kubernetes.io/region',
  zone: 'topology.kubernetes.io/zone',
  region: 'topology.kubernetes.io/region',
} as const;

/** The label that takes a node out of disruption checks (labelNodeDisruptionExclusion). */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

/**
 * GetZoneKey: `region:\0:zone` from the node's labels, or "" when it has neither. The beta
 * `failure-domain` labels win; with `topologyFallback` (1.17+) the `topology.kubernetes.io`
 * ones count when a beta label is absent.
 */
export const getZoneKey = (node: Node, topologyFallback: boolean): string => {
  const labels = node.metadata?.labels;
  if (!labels) return '';
  const pick = (beta: string, stable: string): string => {
    const value = labels[beta];
    if (value !== undefined) return value;
    return topologyFallback ? (labels[stable] ?? '') : '';
  };
  const zone = pick(ZONE_LABELS.betaZone, ZONE_LABELS.zone);
  const region = pick(ZONE_LABELS.betaRegion, ZONE_LABELS.region);
  if (region === '' && zone === '') return '';
  return `${region}:\u0000:${zone}`;
};

/** A zone key as people read it: "" for the unlabelled zone, else `region/zone`. */
export const zoneDisplayName = (key: string): string => (key === '' ? '' : key.split(':\u0000:').filter(Boolean).join('/'));

/** system.IsMasterNode: the name ends in `master` or `master-` plus three characters. */
export const isMasterNodeName = (name: string): boolean => {
  if (name.endsWith('master')) return true;
  if (name.length >= 10) return name.slice(0, -3).endsWith('master-');
  return false;
};

/** Which rules take a node out of disruption checks (the two feature gates of §2.4). */
export interface DisruptionExclusion {
  /** LegacyNodeRoleBehavior: master-named nodes are excluded. */
  readonly LegacyNodeRoleBehavior: boolean;
  /** NodeDisruptionExclusion: nodes with the exclude-disruption label are excluded. */
  readonly NodeDisruptionExclusion: boolean;
}

/** isNodeExcludedFromDisruptionChecks: such a node does not count towards its zone's state. */
export const isNodeExcludedFromDisruptionChecks = (node: Node, gates: DisruptionExclusion): boolean =>
  (gates.LegacyNodeRoleBehavior && isMasterNodeName(node.metadata?.name ?? '')) ||
  (gates.NodeDisruptionExclusion && node.metadata?.labels?.[LABEL_EXCLUDE_DISRUPTION] !== undefined);

/**
 * ComputeZoneState from the counts of Ready and not-Ready nodes (a node without a Ready
 * condition counts as not Ready): FullDisruption when none is Ready, PartialDisruption
 * when more than 2 are not Ready and they are at least `unhealthyZoneThreshold` of the
 * zone, else Normal. The ratio is compared in float32, as upstream does.
 */
export const computeZoneState = (ready: number, notReady: number, unhealthyZoneThreshold: number): ZoneState => {
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && Math.fround(notReady / (notReady + ready)) >= Math.fround(unhealthyZoneThreshold)) return 'PartialDisruption';
  return 'Normal';
};
