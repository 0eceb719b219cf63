// Which resource a request path names, as kube-apiserver's request info resolver splits it
// (k8s.io/apiserver pkg/endpoints/request/requestinfo.go): /api/v1/… for the core group,
// /apis/GROUP/VERSION/… for the others, with `namespaces/NS/` before namespaced resources
// and an optional subresource after the name.
import { kinds, resources, type Kind } from '@failsim/core';

/** A path that names a resource (collection or object). */
export interface ResourcePath {
  readonly kind: Kind;
  /** From `namespaces/NS/`; undefined for a cluster-wide collection or a cluster-scoped kind. */
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

/** What a path is: discovery of some level, a resource, or nothing the server knows. */
export type PathInfo =
  | { readonly type: 'resource'; readonly resource: ResourcePath }
  | { readonly type: 'groupVersion'; readonly group: string; readonly version: string }
  | { readonly type: 'group'; readonly group: string }
  | { readonly type: 'unknown' };

const kindOf = (group: string, version: string, plural: string): Kind | undefined =>
  kinds.find((k) => resources[k].group === group && resources[k].version === version && resources[k].resource === plural);

const servesGroup = (group: string): boolean => kinds.some((k) => resources[k].group === group);
const servesGroupVersion = (group: string, version: string): boolean => kinds.some((k) => resources[k].group === group && resources[k].version === version);

/**
 * Splits a URL path (without the query). Discovery roots (`/api`, `/apis`, `/version`)
 * are the caller's; this resolves group and group-version documents and resource paths.
 * @example parsePath('/api/v1/namespaces/cassandra/pods/cassandra-0/eviction')
 * // { type: 'resource', resource: { kind: 'Pod', namespace: 'cassandra', name: 'cassandra-0', subresource: 'eviction' } }
 */
export const parsePath = (path: string): PathInfo => {
  const segments = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    [group, version, rest] = ['', segments[1]!, segments.slice(2)];
  } else if (segments[0] === 'apis' && segments.length >= 2) {
    if (segments.length === 2) return servesGroup(segments[1]!) ? { type: 'group', group: segments[1]! } : { type: 'unknown' };
    [group, version, rest] = [segments[1]!, segments[2]!, segments.slice(3)];
  } else return { type: 'unknown' };
  if (!servesGroupVersion(group, version)) return { type: 'unknown' };
  if (rest.length === 0) return { type: 'groupVersion', group, version };
  let namespace: string | undefined;
  // namespaces/NS/<namespaced resource>/…; anything else under namespaces/ is the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const kind = kindOf(group, version, rest[2]!);
    if (kind && resources[kind].namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  if (rest.length > 3) return { type: 'unknown' };
  const kind = kindOf(group, version, rest[0]!);
  if (!kind) return { type: 'unknown' };
  // A namespaced kind's object lives under its namespace; cluster-scoped ones never do.
  if (rest.length >= 2 && resources[kind].namespaced && namespace === undefined) return { type: 'unknown' };
  return {
    type: 'resource',
    resource: { kind, ...(namespace !== undefined ? { namespace } : {}), ...(rest[1] !== undefined ? { name: rest[1] } : {}), ...(rest[2] !== undefined ? { subresource: rest[2] } : {}) },
  };
};
