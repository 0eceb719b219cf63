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

  it('visits every use as getPodsToAdd lists them, and lets the visitor delete the one it is given', () => {
    const dsw = new DesiredStateOfWorld();
    dsw.addNode('w1', false);
    dsw.addNode('w2', false);
    dsw.addPod(pod('a', 'u1'), pv, 'p/pv-1', 'w1');
    dsw.addPod(pod('b', 'u2'), pv, 'p/pv-1', 'w1');
    dsw.addPod(pod('c', 'u3'), pv, 'p/pv-2', 'w2');
    const listed = dsw.getPodsToAdd().map((e) => `${e.podUid} ${e.volumeName} ${e.nodeName}`);
    const visited: string[] = [];
    dsw.forEachPodToAdd((uid, p, volumeName, nodeName) => {
      visited.push(`${uid} ${volumeName} ${nodeName}`);
      expect(p.metadata?.uid).toBe(uid);
      if (uid !== 'u2') dsw.deletePod(uid, volumeName, nodeName);
    });
    expect(visited).toEqual(listed);
    expect(dsw.getPodsToAdd().map((e) => e.podUid)).toEqual(['u2']);
  });

  it('lists wanted volumes in node then volume name order across adds and removals', () => {
    const dsw = new DesiredStateOfWorld();
    const order = (): string[] => dsw.getVolumesToAttach().map((v) => `${v.nodeName} ${v.volumeName}`);
    dsw.addNode('w2', false);
    dsw.addNode('w1', false);
    dsw.addPod(pod('a', 'u1'), pv, 'p/v2', 'w2');
    dsw.addPod(pod('b', 'u2'), pv, 'p/v1', 'w2');
    expect(order()).toEqual(['w2 p/v1', 'w2 p/v2']);
    dsw.addPod(pod('c', 'u3'), pv, 'p/v3', 'w1');
    dsw.addPod(pod('d', 'u4'), pv, 'p/v0', 'w2');
    expect(order()).toEqual(['w1 p/v3', 'w2 p/v0', 'w2 p/v1', 'w2 p/v2']);
    dsw.deletePod('u2', 'p/v1', 'w2');
    dsw.deletePod('u3', 'p/v3', 'w1');
    expect(dsw.deleteNode('w1')).toEqual(E.right(undefined));
    dsw.addNode('w0', false);
    dsw.addPod(pod('e', 'u5'), pv, 'p/v9', 'w0');
    expect(order()).toEqual(['w0 p/v9', 'w2 p/v0', 'w2 p/v2']);
  });

  it('leaves out the entries skip takes, asking in list order, the rest as without it', () => {
    const dsw = new DesiredStateOfWorld();
    dsw.addNode('w2', false);
    dsw.addNode('w1', false);
    dsw.addPod(pod('a', 'u1'), pv, 'p/v2', 'w2');
    dsw.addPod(pod('b', 'u2'), pv, 'p/v1', 'w2');
    dsw.addPod(pod('c', 'u3'), pv, 'p/v3', 'w1');
    const asked: string[] = [];
    const kept = dsw.getVolumesToAttach((volumeName, nodeName) => {
      asked.push(`${nodeName} ${volumeName}`);
      return volumeName === 'p/v1';
    });
    expect(asked).toEqual(['w1 p/v3', 'w2 p/v1', 'w2 p/v2']);
    expect(kept).toEqual(dsw.getVolumesToAttach().filter((v) => v.volumeName !== 'p/v1'));
  });
});
