import { describe, expect, it } from '@jest/globals';
import { manifestProblems } from './manifest-check.js';

describe('manifestProblems', () => {
  it('takes what the simulated API server takes', () => {
    expect(manifestProblems({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as never)).toEqual([]);
    expect(manifestProblems({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'sc' } })).toEqual([]);
  });

  it('refuses a kind failsim does not serve, as kubectl\'s RESTMapper does', () => {
    expect(manifestProblems({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } })).toEqual([
      { path: ['kind'], message: expect.stringMatching(/^no matches for kind "Service" in version "v1" \(failsim serves Namespace, Node, Pod, /) },
    ]);
  });

  it('refuses a kind under a version failsim does not serve it as', () => {
    expect(manifestProblems({ apiVersion: 'apps/v1beta1', kind: 'StatefulSet', metadata: { name: 's' } })).toEqual([
      { path: ['apiVersion'], message: 'no matches for kind "StatefulSet" in version "apps/v1beta1" (failsim serves StatefulSet as apps/v1)' },
    ]);
  });

  it('gives the API server\'s field errors with the path to each field', () => {
    expect(manifestProblems({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } } as never)).toEqual([
      { path: ['spec', 'containers', 0, 'image'], message: 'Pod "p" is invalid: spec.containers[0].image: Required value' },
    ]);
    expect(manifestProblems({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } as never)).toEqual([
      { path: ['spec', 'containers'], message: 'Pod "p" is invalid: spec.containers: Required value' },
    ]);
  });
});
