import { describe, expect, it } from '@jest/globals';
import { parsePath } from './request.js';

describe('parsePath', () => {
  it('resolves core and named-group resource paths with namespaces and subresources', () => {
    expect(parsePath('/api/v1/namespaces/cassandra/pods/cassandra-0/eviction')).toEqual({
      type: 'resource',
      resource: { kind: 'Pod', namespace: 'cassandra', name: 'cassandra-0', subresource: 'eviction' },
    });
    expect(parsePath('/api/v1/pods')).toEqual({ type: 'resource', resource: { kind: 'Pod' } });
    expect(parsePath('/api/v1/nodes/worker-0/status')).toEqual({ type: 'resource', resource: { kind: 'Node', name: 'worker-0', subresource: 'status' } });
    expect(parsePath('/apis/apps/v1/namespaces/kube-system/daemonsets/kube-proxy')).toEqual({ type: 'resource', resource: { kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy' } });
    expect(parsePath('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-0')).toMatchObject({ resource: { kind: 'Lease', name: 'worker-0' } });
  });

  it('tells the Namespace object from a namespaced collection', () => {
    expect(parsePath('/api/v1/namespaces/cassandra')).toEqual({ type: 'resource', resource: { kind: 'Namespace', name: 'cassandra' } });
    expect(parsePath('/api/v1/namespaces/cassandra/status')).toEqual({ type: 'resource', resource: { kind: 'Namespace', name: 'cassandra', subresource: 'status' } });
  });

  it('resolves discovery documents and refuses what it does not serve', () => {
    expect(parsePath('/api/v1')).toEqual({ type: 'groupVersion', group: '', version: 'v1' });
    expect(parsePath('/apis/apps/v1')).toEqual({ type: 'groupVersion', group: 'apps', version: 'v1' });
    expect(parsePath('/apis/apps')).toEqual({ type: 'group', group: 'apps' });
    for (const path of ['/api/v1/widgets', '/apis/batch/v1/jobs', '/api/v2/pods', '/api/v1/pods/web-0', '/openapi/v2', '/apis/apps/v1/statefulsets/x/y/z']) {
      expect(parsePath(path)).toEqual({ type: 'unknown' });
    }
  });
});
