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
