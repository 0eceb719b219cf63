// The kinds failsim's API server serves, with the REST facts upstream's registry holds
// for each (group, version, plural, scope, status subresource). Kubernetes 1.30 shapes
// from the kubernetes-types package.
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type {
  Event,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
} from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import type { ResourceRef } from './errors.js';

/** Every kind the API server stores, by kind name. */
export interface KindMap {
  Namespace: Namespace;
  Node: Node;
  Pod: Pod;
  PersistentVolume: PersistentVolume;
  PersistentVolumeClaim: PersistentVolumeClaim;
  StorageClass: StorageClass;
  StatefulSet: StatefulSet;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  DaemonSet: DaemonSet;
  Event: Event;
  Lease: Lease;
  VolumeAttachment: VolumeAttachment;
  PodDisruptionBudget: PodDisruptionBudget;
}

/** A kind name the API server serves. */
export type Kind = keyof KindMap;

/** The object type of a kind. */
export type ObjectOf<K extends Kind> = KindMap[K];

/** Any stored object: it has metadata, and a kind and apiVersion once stored. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** REST facts of one kind, as upstream's registry has them. */
export interface ResourceInfo extends ResourceRef {
  readonly kind: Kind;
  readonly version: string;
  /** "v1" or "apps/v1": what goes in an object's apiVersion. */
  readonly apiVersion: string;
  readonly namespaced: boolean;
  /** Kinds with a status subresource: a main update keeps status, a status update keeps spec. */
  readonly hasStatus: boolean;
  /** Kinds whose metadata.generation moves when spec changes. */
  readonly tracksGeneration: boolean;
  /** Short names kubectl accepts (po, no, pv…). */
  readonly shortNames: readonly string[];
}

const info = (
  kind: Kind,
  group: string,
  version: string,
  resource: string,
  namespaced: boolean,
  hasStatus: boolean,
  shortNames: readonly string[] = [],
  tracksGeneration = hasStatus,
): ResourceInfo => ({
  kind,
  group,
  version,
  apiVersion: group ? `${group}/${version}` : version,
  resource,
  namespaced,
  hasStatus,
  tracksGeneration,
  shortNames,
});

/** The registry: one entry per served kind. */
export const resources: { readonly [K in Kind]: ResourceInfo } = {
  Namespace: info('Namespace', '', 'v1', 'namespaces', false, true, ['ns'], false),
  Node: info('Node', '', 'v1', 'nodes', false, true, ['no'], false),
  Pod: info('Pod', '', 'v1', 'pods', true, true, ['po'], false),
  PersistentVolume: info('PersistentVolume', '', 'v1', 'persistentvolumes', false, true, ['pv'], false),
  PersistentVolumeClaim: info('PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims', true, true, ['pvc'], false),
  StorageClass: info('StorageClass', 'storage.k8s.io', 'v1', 'storageclasses', false, false, ['sc']),
  StatefulSet: info('StatefulSet', 'apps', 'v1', 'statefulsets', true, true, ['sts']),
  Deployment: info('Deployment', 'apps', 'v1', 'deployments', true, true, ['deploy']),
  ReplicaSet: info('ReplicaSet', 'apps', 'v1', 'replicasets', true, true, ['rs']),
  DaemonSet: info('DaemonSet', 'apps', 'v1', 'daemonsets', true, true, ['ds']),
  Event: info('Event', '', 'v1', 'events', true, false, ['ev']),
  Lease: info('Lease', 'coordination.k8s.io', 'v1', 'leases', true, false),
  VolumeAttachment: info('VolumeAttachment', 'storage.k8s.io', 'v1', 'volumeattachments', false, true, [], false),
  PodDisruptionBudget: info('PodDisruptionBudget', 'policy', 'v1', 'poddisruptionbudgets', true, true, ['pdb']),
};

/** Every served kind, in a fixed order. */
export const kinds: readonly Kind[] = Object.keys(resources) as Kind[];

/** True when `name` is a kind the API server serves. */
export const isKind = (name: string): name is Kind => Object.hasOwn(resources, name);

/**
 * Resolves what a user types (kind, plural, singular or short name, any case, with an
 * optional group: "pods", "po", "Pod", "statefulsets.apps") to a kind.
 */
export const resolveKind = (text: string): Kind | undefined => {
  const [name = '', ...groupParts] = text.toLowerCase().split('.');
  const group = groupParts.join('.');
  return kinds.find((k) => {
    const r = resources[k];
    if (group && group !== r.group) return false;
    return r.kind.toLowerCase() === name || r.resource === name || r.shortNames.includes(name);
  });
};
