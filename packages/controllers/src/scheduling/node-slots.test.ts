import { describe, expect, it } from '@jest/globals';
import { NodeSlots, SLOT_READY, SLOT_UNSCHEDULABLE, TaintClasses, type SlotSource } from './node-slots.js';
import { EMPTY_RESOURCES } from './pod-requests.js';

const source = (over: Partial<SlotSource> = {}): SlotSource => ({
  allocatable: { milliCPU: 4000, memory: 8e9, ephemeralStorage: 1e11, pods: 110, scalar: {} },
  requested: { ...EMPTY_RESOURCES, milliCPU: 500, memory: 1e9 },
  nonZeroRequested: { milliCPU: 700, memory: 2e9 },
  podCount: 3,
  unschedulable: false,
  readyStatus: 'True',
  taintsClass: 0,
  taintsWithReadinessClass: 0,
  preferNoScheduleClass: 0,
  ...over,
});

describe('TaintClasses', () => {
  it('gives equal taint lists one id, the empty list 0, and keeps the first list of each', () => {
    const classes = new TaintClasses();
    expect(classes.id([])).toBe(0);
    const a = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }];
    const id = classes.id(a);
    expect(id).toBe(1);
    // Same key, value and effect, another array (another node): the same class.
    expect(classes.id([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:00Z' }])).toBe(id);
    // A value or an effect of its own is another class.
    expect(classes.id([{ key: 'node.kubernetes.io/unreachable', value: 'x', effect: 'NoSchedule' }])).toBe(2);
    expect(classes.id([{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }])).toBe(3);
    expect(classes.taints(id)).toBe(a);
    expect(classes.taints(0)).toEqual([]);
    expect(classes.size).toBe(4);
  });
});

describe('NodeSlots', () => {
  it('copies what the filters and scores read into slot i, with readiness and cordon as flags', () => {
    const slots = new NodeSlots();
    slots.resize(2);
    slots.write(0, source());
    slots.write(1, source({ unschedulable: true, readyStatus: 'Unknown', podCount: 110, taintsWithReadinessClass: 2, preferNoScheduleClass: 1 }));
    expect([slots.allocatablePods[0], slots.allocatableMilliCPU[0], slots.allocatableMemory[0], slots.allocatableEphemeralStorage[0]]).toEqual([110, 4000, 8e9, 1e11]);
    expect([slots.requestedMilliCPU[0], slots.requestedMemory[0], slots.requestedEphemeralStorage[0]]).toEqual([500, 1e9, 0]);
    expect([slots.nonZeroMilliCPU[0], slots.nonZeroMemory[0], slots.podCount[0]]).toEqual([700, 2e9, 3]);
    expect([slots.flags[0], slots.flags[1]]).toEqual([SLOT_READY, SLOT_UNSCHEDULABLE]);
    expect([slots.podCount[1], slots.taintsClass[1], slots.taintsWithReadinessClass[1], slots.preferNoScheduleClass[1]]).toEqual([110, 0, 2, 1]);
  });

  it('changes its version with every write and resize, so a walk may reuse what it worked out while it stands', () => {
    const slots = new NodeSlots();
    const versions = [slots.version];
    slots.resize(2);
    versions.push(slots.version);
    slots.write(0, source());
    versions.push(slots.version);
    slots.write(0, source());
    versions.push(slots.version);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('grows by doubling and keeps its arrays when it shrinks, so rebuilds while nodes register reuse them', () => {
    const slots = new NodeSlots();
    slots.resize(20);
    const arrays = slots.podCount;
    expect(arrays.length).toBe(20);
    slots.resize(21);
    expect(slots.podCount.length).toBe(40);
    const grown = slots.podCount;
    slots.resize(5);
    expect([slots.count, slots.podCount]).toEqual([5, grown]);
    expect(arrays).not.toBe(grown);
  });
});
