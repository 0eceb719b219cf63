import { describe, expect, it } from '@jest/globals';
import { ActualStateOfWorld } from './actual-state-of-world.js';

describe('ActualStateOfWorld', () => {
  it('assumes a new attachment mounted, and takes volumesInUse as the truth afterwards', () => {
    const asw = new ActualStateOfWorld();
    asw.markVolumeAsAttached('p/v1', undefined, 'w1', '/dev/sdb');
    expect(asw.getAttachedVolumes()[0]?.mountedByNode).toBe(true);
    expect(asw.setVolumesMountedByNode([], 'w1')).toBe(true);
    expect(asw.getAttachedVolumes()[0]?.mountedByNode).toBe(false);
    asw.setVolumesMountedByNode(['p/v1'], 'w1');
    expect(asw.getAttachedVolumes()[0]?.mountedByNode).toBe(true);
  });

  it('answers per node from its own volumes, also after detaches, in volume-name order', () => {
    const asw = new ActualStateOfWorld();
    asw.markVolumeAsAttached('p/v2', undefined, 'w1', '/dev/sdc');
    asw.markVolumeAsAttached('p/v1', undefined, 'w1', '/dev/sdb');
    asw.markVolumeAsAttached('p/v3', undefined, 'w2', '/dev/sdb');
    expect(asw.getAttachedVolumesForNode('w1').map((v) => v.volumeName)).toEqual(['p/v1', 'p/v2']);
    // Another node's volumes are not touched by this node's volumesInUse.
    expect(asw.setVolumesMountedByNode([], 'w1')).toBe(true);
    expect(asw.getAttachedVolumesForNode('w2')[0]?.mountedByNode).toBe(true);
    asw.markVolumeAsDetached('p/v1', 'w1');
    asw.markVolumeAsDetached('p/v2', 'w1');
    expect(asw.getAttachedVolumesForNode('w1')).toEqual([]);
    expect(asw.setVolumesMountedByNode(['p/v1'], 'w1')).toBe(false);
  });

  it('takes the same frozen volumesInUse again as no change, until an attachment is added', () => {
    const asw = new ActualStateOfWorld();
    let changes = 0;
    asw.onChange(() => changes++);
    asw.markVolumeAsAttached('p/v1', undefined, 'w1', '/dev/sdb');
    const empty: readonly string[] = Object.freeze([]);
    expect(asw.setVolumesMountedByNode(empty, 'w1')).toBe(true);
    changes = 0;
    expect(asw.setVolumesMountedByNode(empty, 'w1')).toBe(false);
    expect(changes).toBe(0);
    // A new entry starts mounted: the same list must unmount it again.
    asw.markVolumeAsAttached('p/v2', undefined, 'w1', '/dev/sdc');
    expect(asw.getAttachedVolumesForNode('w1').map((v) => v.mountedByNode)).toEqual([false, true]);
    expect(asw.setVolumesMountedByNode(empty, 'w1')).toBe(true);
    expect(asw.getAttachedVolumesForNode('w1').map((v) => v.mountedByNode)).toEqual([false, false]);
    // A list that can change in place is read every time.
    const inUse = ['p/v1'];
    expect(asw.setVolumesMountedByNode(inUse, 'w1')).toBe(true);
    inUse.push('p/v2');
    expect(asw.setVolumesMountedByNode(inUse, 'w1')).toBe(true);
    expect(asw.getAttachedVolumesForNode('w1').map((v) => v.mountedByNode)).toEqual([true, true]);
  });

  it('keeps the first detach request time until reset', () => {
    const asw = new ActualStateOfWorld();
    asw.markVolumeAsAttached('p/v1', undefined, 'w1', '');
    expect(asw.setDetachRequestTime('p/v1', 'w1', 1_000)).toBe(0);
    expect(asw.setDetachRequestTime('p/v1', 'w1', 5_000)).toBe(4_000);
    asw.resetDetachRequestTime('p/v1', 'w1');
    expect(asw.setDetachRequestTime('p/v1', 'w1', 9_000)).toBe(0);
  });

  it('reports confirmed attachments only, and Uncertain ones do not count for Multi-Attach', () => {
    const asw = new ActualStateOfWorld();
    asw.markVolumeAsAttached('p/v1', undefined, 'w1', '/dev/sdb');
    asw.markVolumeAsUncertain('p/v1', undefined, 'w2');
    expect(asw.getAttachState('p/v1', 'w2')).toBe('Uncertain');
    expect(asw.getNodesForAttachedVolume('p/v1')).toEqual(['w1']);
    expect([...asw.getVolumesToReportAttached()]).toEqual([['w1', [{ name: 'p/v1', devicePath: '/dev/sdb' }]]]);
    expect(asw.statusUpdateNeeded).toBe(false);
    expect(asw.removeVolumeFromReportAsAttached('p/v1', 'w1')).toBe(true);
    expect([...asw.getVolumesToReportAttached()]).toEqual([['w1', []]]);
    asw.markVolumeAsDetached('p/v1', 'w1');
    expect(asw.getAttachState('p/v1', 'w1')).toBe('Detached');
  });

  it('reports only the flagged nodes, in name order, and lists attachments in volume order across changes', () => {
    const asw = new ActualStateOfWorld();
    asw.markVolumeAsAttached('p/v2', undefined, 'w2', '/dev/sdb');
    asw.markVolumeAsAttached('p/v1', undefined, 'w1', '/dev/sdb');
    expect(asw.statusUpdateNeeded).toBe(true);
    expect([...asw.getVolumesToReportAttached().keys()]).toEqual(['w1', 'w2']);
    expect(asw.statusUpdateNeeded).toBe(false);
    expect(asw.getVolumesToReportAttached().size).toBe(0);
    asw.setNodeStatusUpdateNeeded('w2');
    asw.setNodeStatusUpdateNeeded('w9'); // not a node with attachments: nothing to write
    expect([...asw.getVolumesToReportAttached()]).toEqual([['w2', [{ name: 'p/v2', devicePath: '/dev/sdb' }]]]);
    asw.removeVolumeFromReportAsAttached('p/v1', 'w1');
    asw.clearNodeStatusUpdateNeeded('w1');
    expect(asw.statusUpdateNeeded).toBe(false);
    asw.markVolumeAsAttached('p/v0', undefined, 'w2', '/dev/sdc');
    asw.markVolumeAsAttached('p/v1', undefined, 'w3', '/dev/sdb');
    expect(asw.getAttachedVolumes().map((v) => `${v.volumeName} ${v.nodeName}`)).toEqual(['p/v0 w2', 'p/v1 w1', 'p/v1 w3', 'p/v2 w2']);
    asw.markVolumeAsDetached('p/v1', 'w1');
    asw.markVolumeAsDetached('p/v1', 'w3');
    expect(asw.getAttachedVolumes().map((v) => `${v.volumeName} ${v.nodeName}`)).toEqual(['p/v0 w2', 'p/v2 w2']);
    expect([...asw.getVolumesToReportAttached()]).toEqual([['w2', [{ name: 'p/v0', devicePath: '/dev/sdc' }, { name: 'p/v2', devicePath: '/dev/sdb' }]], ['w3', []]]);
  });
  it('walks the same entries as getAttachedVolumes, in its order, and finds any by a test', () => {
    const asw = new ActualStateOfWorld();
    const pv = { metadata: { name: 'pv-b' } };
    asw.markVolumeAsAttached('p/v2', undefined, 'w1', '/dev/sdc');
    asw.markVolumeAsAttached('p/v1', pv, 'w2', '/dev/sdb');
    // A multi-attach volume: its nodes come out in name order.
    asw.markVolumeAsAttached('p/v3', undefined, 'w3', '/dev/sdb');
    asw.markVolumeAsUncertain('p/v3', undefined, 'w1');
    asw.markVolumeAsAttached('p/v0', undefined, 'w2', '/dev/sdd');
    asw.markVolumeAsDetached('p/v0', 'w2');
    const walked: string[] = [];
    asw.forEachAttachedVolume((volumeName, nodeName, knownPv, confirmed) => walked.push(`${volumeName} ${nodeName} ${knownPv?.metadata?.name ?? '-'} ${confirmed}`));
    const listed = asw.getAttachedVolumes().map((v) => `${v.volumeName} ${v.nodeName} ${v.pv?.metadata?.name ?? '-'} ${v.attachedConfirmed}`);
    expect(walked).toEqual(listed);
    expect(walked).toEqual(['p/v1 w2 pv-b true', 'p/v2 w1 - true', 'p/v3 w1 - false', 'p/v3 w3 - true']);
    expect(asw.someAttachedVolume((v, n) => v === 'p/v3' && n === 'w1')).toBe(true);
    expect(asw.someAttachedVolume((v) => v === 'p/v0')).toBe(false);
  });
});
