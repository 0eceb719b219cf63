import { describe, expect, it } from '@jest/globals';
import { copyWith, deepEqual, deepEqualExcept, freezeBuilt, freezeBuiltTree, freezeCopy, freezeOwned, thaw, withChanges } from './immutable.js';

describe('freezeCopy', () => {
  it('copies and deeply freezes, dropping undefined members', () => {
    const input = { a: { b: [1, { c: 2 }] }, gone: undefined };
    const frozen = freezeCopy(input);
    expect(frozen).toEqual({ a: { b: [1, { c: 2 }] } });
    expect(Object.keys(frozen)).toEqual(['a']);
    expect(Object.isFrozen(frozen.a.b[1])).toBe(true);
    expect(Object.isFrozen(input.a)).toBe(false);
  });

  it('shares subtrees that are already frozen', () => {
    const shared = freezeCopy({ x: 1 });
    const copy = freezeCopy({ shared, other: { y: 2 } });
    expect(copy.shared).toBe(shared);
  });
});

describe('freezeOwned', () => {
  it('freezes the object itself and copies its unfrozen members', () => {
    const member = { x: 1 };
    const owned = freezeOwned({ member });
    expect(Object.isFrozen(owned)).toBe(true);
    expect(owned.member).not.toBe(member);
    expect(Object.isFrozen(owned.member)).toBe(true);
  });
});

describe('deepEqual', () => {
  it('compares structure, treating undefined members as absent', () => {
    expect(deepEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });

  it('skips up to two members in deepEqualExcept, and only those', () => {
    const a = { metadata: { resourceVersion: '1' }, spec: { x: [1] }, status: { c: 1 } };
    const b = { metadata: { resourceVersion: '2' }, spec: { x: [1] }, status: { c: 2 }, extra: undefined };
    expect(deepEqualExcept(a, b, 'metadata', 'status')).toBe(true);
    expect(deepEqualExcept(a, b, 'metadata')).toBe(false);
    expect(deepEqualExcept(a, { ...b, spec: { x: [2] } }, 'metadata', 'status')).toBe(false);
    // A member only one side has still counts, unless it is skipped.
    expect(deepEqualExcept(a, { ...b, more: 1 }, 'metadata', 'status')).toBe(false);
    expect(deepEqualExcept(a, { spec: a.spec }, 'metadata', 'status')).toBe(true);
  });
});

describe('withChanges and thaw', () => {
  it('build new objects and leave the inputs alone', () => {
    const base = Object.freeze({ a: 1, b: 2 });
    expect(withChanges(base, { b: 3, c: 4 })).toEqual({ a: 1, b: 3, c: 4 });
    const thawed = thaw(freezeCopy({ a: { b: 1 } }));
    thawed.a.b = 2;
    expect(thawed.a.b).toBe(2);
  });
});

describe('freezeBuilt', () => {
  it('freezes a built object in place, its members as frozen copies', () => {
    const member = { y: 2 };
    const shared = freezeCopy({ z: 3 });
    const built = { x: 1, member, shared };
    const frozen = freezeBuilt(built);
    expect(frozen).toBe(built);
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(frozen.member).not.toBe(member);
    expect(Object.isFrozen(frozen.member)).toBe(true);
    expect(frozen.shared).toBe(shared);
  });

  it('copies, as freezeCopy, when a member is undefined, so the result has no such key', () => {
    const built = { a: 1, gone: undefined as number | undefined };
    const frozen = freezeBuilt(built);
    expect(frozen).not.toBe(built);
    expect(Object.keys(frozen)).toEqual(['a']);
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(Object.isFrozen(built)).toBe(false);
  });
});

describe('freezeBuiltTree', () => {
  const build = () => ({
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: '2019-06-01T00:00:00Z' },
      Object.freeze({ type: 'PodScheduled', status: 'True', lastTransitionTime: '2019-06-01T00:00:00Z' }),
    ],
    hostIP: '10.0.0.10',
    containerStatuses: [
      { name: 'app', image: 'nginx', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2019-06-01T00:00:01Z' } } },
      { name: 'side', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating', message: undefined } } },
    ],
    qosClass: 'BestEffort',
  });

  it('answers what freezeCopy answers (members, order, undefined members dropped), frozen all through', () => {
    const built = build();
    const frozen = freezeBuiltTree(built);
    expect(JSON.stringify(frozen)).toBe(JSON.stringify(freezeCopy(build())));
    expect(Object.keys(frozen.containerStatuses?.[1]?.state?.waiting ?? {})).toEqual(['reason']);
    const deeplyFrozen = (v: unknown): boolean =>
      v === null || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(deeplyFrozen));
    expect(deeplyFrozen(frozen)).toBe(true);
  });

  it('freezes the built objects in place and keeps frozen parts shared', () => {
    const built = build();
    const scheduled = built.conditions?.[1];
    const frozen = freezeBuiltTree(built);
    expect(frozen).toBe(built);
    expect(frozen.conditions?.[1]).toBe(scheduled);
    expect(frozen.containerStatuses).toBe(built.containerStatuses);
  });
});

describe('copyWith', () => {
  it('is the spread of base and changes: same keys in the same order, changes win', () => {
    const base = Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { x: 1 } });
    const copy = copyWith(base, { kind: 'Pod', metadata: { name: 'b' }, status: { phase: 'Pending' } });
    expect(Object.keys(copy)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(copy).toEqual({ ...base, kind: 'Pod', metadata: { name: 'b' }, status: { phase: 'Pending' } });
    expect(copy.spec).toBe(base.spec);
    expect(Object.isFrozen(copy)).toBe(false);
  });

  it('keeps a "__proto__" own key as data, as a spread does', () => {
    const base = JSON.parse('{"a":1,"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = copyWith(base, { b: 2 }) as Record<string, unknown>;
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(copy['polluted']).toBeUndefined();
  });
});
