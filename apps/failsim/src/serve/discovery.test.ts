import { describe, expect, it } from '@jest/globals';
import { aggregatedContentType, aggregatedDiscovery, aggregatedVersion, apiGroupList, apiResourceList, groupVersions, mediaParams, versionInfo } from './discovery.js';

const V2_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const V2BETA1_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('aggregatedVersion', () => {
  it('prefers v2 (kubectl 1.30+), takes v2beta1 from 1.27–1.29, and none for plain JSON', () => {
    expect(aggregatedVersion(V2_ACCEPT)).toBe('v2');
    expect(aggregatedVersion(V2BETA1_ACCEPT)).toBe('v2beta1');
    expect(aggregatedVersion('application/json, */*')).toBeUndefined();
    expect(aggregatedVersion(undefined)).toBeUndefined();
    expect(aggregatedContentType('v2beta1')).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
  });

  it('reads media parameters', () => {
    expect(Object.fromEntries(mediaParams('application/json;as=Table;v=v1;g=meta.k8s.io'))).toEqual({ as: 'Table', v: 'v1', g: 'meta.k8s.io' });
  });
});

describe('documents', () => {
  it('advertises every group-version once, each with resources', () => {
    const gvs = groupVersions().map((gv) => `${gv.group}/${gv.version}:${gv.kinds.length > 0}`);
    expect(gvs).toEqual(['/v1:true', 'storage.k8s.io/v1:true', 'apps/v1:true', 'coordination.k8s.io/v1:true', 'policy/v1:true']);
    const list = aggregatedDiscovery('/apis', 'v2') as { items: { metadata: { name: string } }[] };
    expect(list.items.map((i) => i.metadata.name)).toEqual(['storage.k8s.io', 'apps', 'coordination.k8s.io', 'policy']);
    expect((apiGroupList() as { groups: unknown[] }).groups).toHaveLength(4);
  });

  it('gives each aggregated resource responseKind, verbs and short names', () => {
    const core = aggregatedDiscovery('/api', 'v2') as { items: { versions: { resources: { resource: string; shortNames?: string[]; responseKind: object; verbs: string[] }[] }[] }[] };
    const byName = new Map(core.items[0]!.versions[0]!.resources.map((r) => [r.resource, r]));
    expect(byName.get('persistentvolumeclaims')?.shortNames).toEqual(['pvc']);
    expect(byName.get('events')?.shortNames).toEqual(['ev']);
    expect(byName.get('nodes')?.responseKind).toEqual({ group: '', version: 'v1', kind: 'Node' });
    expect(byName.get('pods')?.verbs).toContain('watch');
  });

  it('lists pods/eviction in the legacy core resource list with group policy and version v1', () => {
    const core = groupVersions()[0]!;
    const list = apiResourceList(core) as { groupVersion: string; resources: { name: string }[] };
    expect(list.groupVersion).toBe('v1');
    expect(list.resources).toContainEqual({ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  });

  it('reports the profile version as major and minor', () => {
    expect(versionInfo('v1.12.4', '2019-06-13T13:00:00Z')).toMatchObject({ major: '1', minor: '12', gitVersion: 'v1.12.4', platform: 'linux/amd64' });
  });
});
