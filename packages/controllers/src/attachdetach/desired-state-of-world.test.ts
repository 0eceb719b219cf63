import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import { DesiredStateOfWorld } from './desired-state-of-world.js';

const pv: PersistentVolume = { metadata: { name: 'pv-1' } };
const pod = (name: string, uid: string, namespace = 'default'): Pod => ({ metadata: { name, uid, namespace } });

describe('DesiredStateOfWorld', () => {
  it('refuses pods on unmanaged nodes and node deletion while volumes are wanted', () => {
    const dsw = new DesiredStateOfWorld();
    expect(dsw.addPod(pod('a', 'u1'), pv, 'p/pv-1', 'w1')).toEqual(E.left('no node with the name "w1" exists in the list of managed nodes'));
    dsw.addNode('w1', false);
    expect(E.isRight(dsw.addPod(pod('a', 'u1'), pv, 'p/pv-1', 'w1'))).toBe(true);
    expect(dsw.deleteNode('w1')).toEqual(
      E.left('failed to delete node "w1" from list of nodes managed by attach/detach controller--the node still contains 1 volumes in its list of volumes to attach'),
    );
    dsw.deletePod('u1', 'p/pv-1', 'w1');
    expect(dsw.volumeExists('p/pv-1', 'w1')).toBe(false);
    expect(E.isRight(dsw.deleteNode('w1'))).toBe(true);
  });

  it('lists pods per volume in key order and remembers the Multi-Attach report', () => {
    const dsw = new DesiredStateOfWorld();
    dsw.addNode('w1', false);
    dsw.addPod(pod('b', 'u2'), pv, 'p/pv-1', 'w1');
    dsw.addPod(pod('a', 'u1'), pv, 'p/pv-1', 'w1');
    expect(dsw.getVolumePodsOnNodes(['w1'], 'p/pv-1').map((p) => p.metadata?.name)).toEqual(['a', 'b']);
    dsw.setMultiAttachError('p/pv-1', 'w1');
    expect(dsw.getVolumesToAttach()[0]?.multiAttachErrorReported).toBe(true);
  });
});
