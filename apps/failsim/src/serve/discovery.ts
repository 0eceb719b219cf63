// API discovery as kube-apiserver serves it (k8s.io/apiserver pkg/endpoints/discovery:
// legacy.go, root.go, version.go, group.go, and aggregated/handler.go for the
// apidiscovery.k8s.io v2beta1 (1.26+) and v2 (1.30+) documents), built from the simulated
// API server's registry. Shapes and content types as ../../../shared/reference/kubectl-api-surface.md §3.
import { kinds, resources, type Kind, type ResourceInfo } from '@failsim/core';

/** The verbs each served resource offers (upstream's order for a full REST storage). */
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

/** Categories upstream puts resources in (`kubectl get all`). */
const CATEGORIES: Partial<Record<Kind, readonly string[]>> = {
  Pod: ['all'],
  StatefulSet: ['all'],
  Deployment: ['all'],
  ReplicaSet: ['all'],
  DaemonSet: ['all'],
};

/** Singular names as upstream reports them (the lower-case kind). */
const singular = (r: ResourceInfo): string => r.kind.toLowerCase();

/** One group-version the server serves and the kinds in it. */
export interface GroupVersion {
  readonly group: string;
  readonly version: string;
  readonly kinds: readonly Kind[];
}

/**
 * The group-versions, core first then the named groups in the order of the registry.
 * Every one has resources: a group-version advertised empty defeats kubectl's discovery
 * cache (reference §3.4), so none is.
 */
export const groupVersions = (): readonly GroupVersion[] => {
  const byGv = new Map<string, { group: string; version: string; kinds: Kind[] }>();
  for (const kind of kinds) {
    const r = resources[kind];
    const key = `${r.group}/${r.version}`;
    const gv = byGv.get(key) ?? { group: r.group, version: r.version, kinds: [] };
    gv.kinds.push(kind);
    byGv.set(key, gv);
  }
  return [...byGv.values()];
};

/** `GET /api`: APIVersions with the server address kubectl may use. */
export const apiVersions = (serverAddress: string): object => ({
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
});

/** `GET /apis`: the named groups (legacy APIGroupList). */
export const apiGroupList = (): object => ({
  kind: 'APIGroupList',
  apiVersion: 'v1',
  groups: groupVersions()
    .filter((gv) => gv.group !== '')
    .map((gv) => apiGroup(gv)),
});

/** `GET /apis/G`: one APIGroup. */
export const apiGroup = (gv: GroupVersion): object => {
  const version = { groupVersion: `${gv.group}/${gv.version}`, version: gv.version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: gv.group, versions: [version], preferredVersion: version };
};

/**
 * `GET /api/v1` or `/apis/G/V`: the legacy APIResourceList. Pods carry the
 * `pods/eviction` subresource (group policy, version v1, kind Eviction): drain reads this
 * document, bypassing its cache, to decide whether it may evict (reference §8.3).
 */
export const apiResourceList = (gv: GroupVersion): object => ({
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: gv.group ? `${gv.group}/${gv.version}` : gv.version,
  resources: gv.kinds.flatMap((kind) => {
    const r = resources[kind];
    const main = {
      name: r.resource,
      singularName: singular(r),
      namespaced: r.namespaced,
      kind,
      verbs: [...VERBS],
      ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
      ...(CATEGORIES[kind] ? { categories: [...CATEGORIES[kind]] } : {}),
    };
    const subs: object[] = [];
    if (r.hasStatus) subs.push({ name: `${r.resource}/status`, singularName: '', namespaced: r.namespaced, kind, verbs: ['get', 'patch', 'update'] });
    if (kind === 'Pod') {
      subs.push({ name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
      subs.push({ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    }
    return [main, ...subs];
  }),
});

/** The parameters of one media range (`application/json;as=Table;v=v1` → as, v), keys lower-case. */
export const mediaParams = (range: string): Map<string, string> => {
  const params = new Map<string, string>();
  for (const part of range.split(';').slice(1)) {
    const [key = '', value = ''] = part.split('=');
    params.set(key.trim().toLowerCase(), value.trim());
  }
  return params;
};

/** Which aggregated discovery document a request accepts, if any. */
export type AggregatedVersion = 'v2' | 'v2beta1';

/**
 * The aggregated discovery version the Accept header asks for: v2 when offered (kubectl
 * 1.30+), else v2beta1 (1.26–1.29), else none (legacy JSON). kubectl parses the body by
 * the response's Content-Type, so the answer must carry the matching one (reference §3.1).
 */
export const aggregatedVersion = (accept: string | undefined): AggregatedVersion | undefined => {
  const offers = (accept ?? '').split(',').map(mediaParams);
  const wants = (v: AggregatedVersion): boolean => offers.some((o) => o.get('g') === 'apidiscovery.k8s.io' && o.get('v') === v && o.get('as') === 'APIGroupDiscoveryList');
  if (wants('v2')) return 'v2';
  if (wants('v2beta1')) return 'v2beta1';
  return undefined;
};

/** The Content-Type of an aggregated discovery answer. */
export const aggregatedContentType = (version: AggregatedVersion): string => `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

const discoveryResource = (kind: Kind): object => {
  const r = resources[kind];
  const subresources: object[] = [];
  if (r.hasStatus) subresources.push({ subresource: 'status', responseKind: { group: r.group, version: r.version, kind }, verbs: ['get', 'patch', 'update'] });
  if (kind === 'Pod') {
    subresources.push({ subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] });
    subresources.push({ subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] });
  }
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: singular(r),
    verbs: [...VERBS],
    ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
    ...(CATEGORIES[kind] ? { categories: [...CATEGORIES[kind]] } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
};

/**
 * The aggregated APIGroupDiscoveryList: for `/api` the core group (an item without a
 * name), for `/apis` the named groups. Each group-version appears once (listing one twice
 * makes kubectl fail with "matches multiple kinds", reference §3.4).
 */
export const aggregatedDiscovery = (path: '/api' | '/apis', version: AggregatedVersion): object => ({
  kind: 'APIGroupDiscoveryList',
  apiVersion: `apidiscovery.k8s.io/${version}`,
  metadata: {},
  items: groupVersions()
    .filter((gv) => (path === '/api' ? gv.group === '' : gv.group !== ''))
    .map((gv) => ({
      metadata: gv.group ? { name: gv.group, creationTimestamp: null } : { creationTimestamp: null },
      versions: [{ version: gv.version, freshness: 'Current', resources: gv.kinds.map(discoveryResource) }],
    })),
});

/**
 * `GET /version`: version.Info for the profile's Kubernetes version (`v1.12.4` → major
 * "1", minor "12"). The gcloud kubectl dispatcher picks the client binary by this minor
 * (reference §2).
 */
export const versionInfo = (gitVersion: string, buildDate: string): object => {
  const [major = '1', minor = '0'] = gitVersion.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate,
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
};
