import { describe, expect, it } from '@jest/globals';
import { ActualStateOfWorld } from './actual-state-of-world.js';
import { DesiredStateOfWorld, type VolumeToMount } from './desired-state-of-world.js';

const vol = (podUid: string, outerName: string, uniqueName: string, attachable = true): VolumeToMount => ({ podUid, outerName, uniqueName, attachable });

describe('DesiredStateOfWorld', () => {
  it('holds pods and their volumes until the pod is removed', () => {
    const dsw = new DesiredStateOfWorld();
    dsw.addPod({ metadata: { uid: 'p1', name: 'a' } });
    dsw.addVolume(vol('p1', 'data', 'plugin/disk1'));
    dsw.addVolume(vol('p2', 'data', 'plugin/disk2'));
    expect([...dsw.volumesToMount()].map((v) => v.uniqueName)).toEqual(['plugin/disk1']);
    expect(dsw.wantsVolume('plugin/disk1')).toBe(true);
    dsw.addPod({ metadata: { uid: 'p1', name: 'b' } });
    expect(dsw.pod('p1')?.metadata?.name).toBe('b');
    expect(dsw.hasVolume('p1', 'data')).toBe(true);
    dsw.removePod('p1');
    expect(dsw.wantsVolume('plugin/disk1')).toBe(false);
  });
});

describe('DesiredStateOfWorld pods', () => {
  it('keeps a pod without its status, the same object until its metadata or spec change', () => {
    const dsw = new DesiredStateOfWorld();
    const metadata = { uid: 'p1', name: 'a', namespace: 'ns', resourceVersion: '1' };
    const spec = { containers: [{ name: 'c' }], volumes: [{ name: 'data' }] };
    dsw.addPod({ apiVersion: 'v1', kind: 'Pod', metadata, spec, status: { phase: 'Pending' } });
    const kept = dsw.pod('p1');
    expect(kept).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
    expect(kept?.metadata).toBe(metadata);
    expect(kept?.spec).toBe(spec);
    // A status write alone: the kept object stays.
    dsw.addPod({ apiVersion: 'v1', kind: 'Pod', metadata, spec, status: { phase: 'Running' } });
    expect(dsw.pod('p1')).toBe(kept);
    // New metadata (a later resourceVersion): the kept object follows it.
    const later = { ...metadata, resourceVersion: '2' };
    dsw.addPod({ apiVersion: 'v1', kind: 'Pod', metadata: later, spec, status: { phase: 'Running' } });
    expect(dsw.pod('p1')?.metadata).toBe(later);
    expect(dsw.pod('p1')?.status).toBeUndefined();
  });
});

describe('ActualStateOfWorld', () => {
  it('tracks attached devices and mounts per pod; clear forgets both', () => {
    const asw = new ActualStateOfWorld();
    asw.markAttached('plugin/disk1', '/dev/sdb');
    asw.markMounted(vol('p1', 'data', 'plugin/disk1'), 1_000);
    expect(asw.mounted('p1', 'data')?.mountedAt).toBe(1_000);
    expect(asw.isMountedForAnyPod('plugin/disk1')).toBe(true);
    asw.markUnmounted('p1', 'data');
    expect(asw.podHasMountedVolumes('p1')).toBe(false);
    expect(asw.attachedVolumes()).toEqual(['plugin/disk1']);
    asw.markMounted(vol('p1', 'data', 'plugin/disk1'), 2_000);
    asw.clear();
    expect(asw.attachedVolumes()).toEqual([]);
    expect([...asw.mountedVolumes()]).toEqual([]);
  });
});

describe('generations (what volumesInUse is recomputed on)', () => {
  it('the desired generation moves only when an attachable volume enters or leaves', () => {
    const dsw = new DesiredStateOfWorld();
    const g0 = dsw.attachableGeneration;
    dsw.addPod({ metadata: { uid: 'p1', name: 'a' } });
    dsw.addVolume(vol('p1', 'config', 'kubernetes.io/configmap/p1-config', false));
    expect(dsw.attachableGeneration).toBe(g0);
    dsw.addVolume(vol('p1', 'data', 'plugin/disk1'));
    const g1 = dsw.attachableGeneration;
    expect(g1).toBeGreaterThan(g0);
    // A volume of an unknown pod is not added, so nothing moves.
    dsw.addVolume(vol('p9', 'data', 'plugin/disk9'));
    dsw.addPod({ metadata: { uid: 'p1', name: 'b' } });
    expect(dsw.attachableGeneration).toBe(g1);
    dsw.addPod({ metadata: { uid: 'p2', name: 'c' } });
    dsw.addVolume(vol('p2', 'config', 'kubernetes.io/configmap/p2-config', false));
    dsw.removePod('p2');
    expect(dsw.attachableGeneration).toBe(g1);
    dsw.removePod('p1');
    expect(dsw.attachableGeneration).toBeGreaterThan(g1);
  });

  it('the actual generation moves only when the set of attached volumes changes', () => {
    const asw = new ActualStateOfWorld();
    const g0 = asw.attachedGeneration;
    asw.markAttached('plugin/disk1', '/dev/sdb');
    const g1 = asw.attachedGeneration;
    expect(g1).toBeGreaterThan(g0);
    asw.markAttached('plugin/disk1', '/dev/sdc');
    asw.markDetached('plugin/disk2');
    asw.markMounted(vol('p1', 'data', 'plugin/disk1'), 1_000);
    expect(asw.attachedGeneration).toBe(g1);
    asw.markDetached('plugin/disk1');
    const g2 = asw.attachedGeneration;
    expect(g2).toBeGreaterThan(g1);
    asw.clear();
    expect(asw.attachedGeneration).toBe(g2);
    asw.markAttached('plugin/disk1', '/dev/sdb');
    asw.clear();
    expect(asw.attachedGeneration).toBeGreaterThan(g2 + 1);
  });
});

describe('ActualStateOfWorld mounts', () => {
  it('copies each volume shape with mountedAt last, as a spread would', () => {
    const asw = new ActualStateOfWorld();
    const pv = { metadata: { name: 'pv-1' } };
    const plugin = {} as NonNullable<VolumeToMount['plugin']>;
    const shapes: VolumeToMount[] = [
      vol('p1', 'scratch', 'kubernetes.io/empty-dir/p1-scratch', false),
      { podUid: 'p1', outerName: 'local', uniqueName: 'kubernetes.io/pv/pv-1', attachable: false, pv },
      { podUid: 'p1', outerName: 'data', uniqueName: 'plugin/disk1', attachable: true, pv, plugin },
      // Another shape (members in another order) is copied as it is.
      { uniqueName: 'plugin/disk2', podUid: 'p1', outerName: 'other', attachable: true },
    ];
    for (const v of shapes) asw.markMounted(v, 7);
    for (const v of shapes) {
      const mounted = asw.mounted('p1', v.outerName);
      const spread = { ...v, mountedAt: 7 };
      expect(mounted).toEqual(spread);
      expect(Object.keys(mounted ?? {})).toEqual(Object.keys(spread));
      expect(mounted?.pv).toBe(v.pv);
      expect(mounted?.plugin).toBe(v.plugin);
    }
  });
});

describe('per-pod volume lists', () => {
  it('keep the order and answers of a map by outer name through adds, replacements and removals', () => {
    const dsw = new DesiredStateOfWorld();
    const asw = new ActualStateOfWorld();
    dsw.addPod({ metadata: { uid: 'p1', name: 'a' } });
    const model = new Map<string, VolumeToMount>();
    const mounts = new Map<string, number>();
    const steps: [string, 'add' | 'mount' | 'unmount', boolean][] = [
      ['a', 'add', true],
      ['b', 'add', false],
      ['c', 'add', true],
      ['a', 'add', false],
      ['b', 'mount', false],
      ['a', 'mount', false],
      ['c', 'mount', false],
      ['a', 'unmount', false],
      ['b', 'mount', false],
      ['a', 'mount', false],
      ['b', 'unmount', false],
    ];
    steps.forEach(([name, op, attachable], t) => {
      if (op === 'add') {
        const v = vol('p1', name, `plugin/${name}-${t}`, attachable);
        dsw.addVolume(v);
        model.set(name, v);
      } else if (op === 'mount') {
        asw.markMounted(model.get(name)!, t);
        mounts.set(name, t);
      } else {
        asw.markUnmounted('p1', name);
        mounts.delete(name);
      }
      expect([...dsw.volumesToMount()]).toEqual([...model.values()]);
      for (const n of ['a', 'b', 'c', 'x']) {
        expect(dsw.volume('p1', n)).toBe(model.get(n));
        expect(dsw.hasVolume('p1', n)).toBe(model.has(n));
        expect(asw.mounted('p1', n)?.mountedAt).toBe(mounts.get(n));
      }
      expect([...asw.mountedVolumes()].map((m) => [m.outerName, m.mountedAt])).toEqual([...mounts]);
      expect(asw.podHasMountedVolumes('p1')).toBe(mounts.size > 0);
    });
    asw.markUnmounted('p1', 'a');
    asw.markUnmounted('p1', 'c');
    expect(asw.podHasMountedVolumes('p1')).toBe(false);
  });
});
