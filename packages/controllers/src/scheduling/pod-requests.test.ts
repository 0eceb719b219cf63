import { describe, expect, it } from '@jest/globals';
import { freezeCopy } from '@failsim/core';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { addResources, nodeAllocatable, podNonZeroRequests, podRequests, subtractResources } from './pod-requests.js';

const pod = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], ...spec } });

describe('podRequests', () => {
  it('sums containers and takes the largest init container where that is more', () => {
    const p = pod({
      containers: [
        { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { name: 'b', resources: { requests: { cpu: '250m', 'nvidia.com/gpu': '1' } } },
      ],
      initContainers: [{ name: 'init', resources: { requests: { cpu: '2', memory: '1Mi' } } }],
    });
    expect(podRequests(p)).toEqual({ milliCPU: 2000, memory: 64 * 2 ** 20, ephemeralStorage: 0, scalar: { 'nvidia.com/gpu': 1 } });
  });

  it('adds the pod overhead', () => {
    expect(podRequests(pod({ containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }], overhead: { cpu: '50m' } })).milliCPU).toBe(150);
  });
});

describe('podNonZeroRequests', () => {
  it('counts 100m and 200 MB for containers that request nothing', () => {
    expect(podNonZeroRequests(pod({ containers: [{ name: 'a' }, { name: 'b', resources: { requests: { cpu: '1' } } }] }))).toEqual({
      milliCPU: 1100,
      memory: 2 * 200 * 2 ** 20,
    });
  });
});

describe('resource arithmetic and allocatable', () => {
  it('adds and subtracts every resource', () => {
    const a = { milliCPU: 1, memory: 2, ephemeralStorage: 3, scalar: { x: 1 } };
    const b = { milliCPU: 10, memory: 20, ephemeralStorage: 30, scalar: { x: 2, y: 5 } };
    expect(subtractResources(addResources(a, b), b)).toEqual({ ...a, scalar: { x: 1, y: 0 } });
  });

  it('reads status.allocatable, 0 for what is missing', () => {
    expect(nodeAllocatable({ status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110', 'example.com/dongle': '2' } } })).toEqual({
      milliCPU: 2000,
      memory: 4 * 2 ** 30,
      ephemeralStorage: 0,
      pods: 110,
      scalar: { 'example.com/dongle': 2 },
    });
    expect(nodeAllocatable({}).pods).toBe(0);
  });
});

describe('requests of frozen pods (memoised per containers array)', () => {
  const containers: Container[] = [
    { name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } },
    { name: 'b', resources: { requests: { 'example.com/dongle': '1' } } },
  ];
  const fresh = () => pod({ containers: structuredClone(containers) });

  it('gives what an unfrozen copy computes, shared between pods of one containers array', () => {
    const template = freezeCopy(containers);
    const first = freezeCopy(pod({}));
    const a: Pod = { ...first, spec: { ...first.spec, containers: template } };
    const b: Pod = { metadata: { name: 'q' }, spec: { containers: template } };
    expect(podRequests(a)).toEqual(podRequests(fresh()));
    expect(podNonZeroRequests(a)).toEqual(podNonZeroRequests(fresh()));
    expect(podRequests(b)).toBe(podRequests(a));
    expect(podNonZeroRequests(b)).toBe(podNonZeroRequests(a));
    expect(Object.isFrozen(podRequests(a))).toBe(true);
  });

  it('is not memoised for unfrozen containers, nor with init containers or overhead', () => {
    const p = fresh();
    expect(podRequests(p).milliCPU).toBe(250);
    p.spec!.containers[0]!.resources!.requests!['cpu'] = '1';
    expect(podRequests(p).milliCPU).toBe(1000);
    expect(podNonZeroRequests(p).milliCPU).toBe(1100);
    const template = freezeCopy(containers);
    expect(podRequests(pod({ containers: template })).milliCPU).toBe(250);
    expect(podRequests(pod({ containers: template, overhead: { cpu: '50m' } })).milliCPU).toBe(300);
    expect(podRequests(pod({ containers: template, initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] })).milliCPU).toBe(2000);
    expect(podRequests(pod({ containers: template })).milliCPU).toBe(250);
  });

  it('adds without extended resources keeping the left map, which is never written', () => {
    const a = { milliCPU: 1, memory: 2, ephemeralStorage: 3, scalar: { x: 1 } };
    const none = { milliCPU: 10, memory: 20, ephemeralStorage: 30, scalar: {} };
    expect(addResources(a, none)).toEqual({ milliCPU: 11, memory: 22, ephemeralStorage: 33, scalar: { x: 1 } });
    expect(subtractResources(addResources(a, none), none)).toEqual(a);
    expect(a.scalar).toEqual({ x: 1 });
  });
});
