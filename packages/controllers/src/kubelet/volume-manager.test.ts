import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ImmediateVolumeManager } from './volume-manager.js';

const pod = (uid: string, claim?: string): Pod => ({
  metadata: { name: uid, uid },
  spec: { containers: [{ name: 'c', image: 'i' }], ...(claim ? { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] } : {}) },
});

describe('ImmediateVolumeManager', () => {
  it('mounts every volume, PVC-backed or not, the moment a pod asks', () => {
    const vm = new ImmediateVolumeManager();
    expect(vm.waitForAttachAndMount(pod('a'))).toBe('ready');
    expect(vm.waitForAttachAndMount(pod('b', 'data-b'))).toBe('ready');
    expect(vm.podVolumesExist(pod('a'))).toBe(false);
    expect(vm.podVolumesExist(pod('b'))).toBe(true);
  });

  it('unmounts when the pod is removed and reports no attachable volume in use', () => {
    const vm = new ImmediateVolumeManager();
    vm.waitForAttachAndMount(pod('b', 'data-b'));
    expect(vm.volumesInUse()).toEqual([]);
    vm.podRemoved(pod('b'));
    expect(vm.podVolumesExist(pod('b'))).toBe(false);
    expect('onChange' in vm).toBe(false);
  });
});
