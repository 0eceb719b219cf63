import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { attachFailedMessage, attachmentName, attachSucceededMessage, isMultiAttachAllowed, volumeHandle } from './operation-executor.js';

describe('operation executor texts and names', () => {
  it('builds the attach event texts as GenerateMsg / GenerateError do', () => {
    expect(attachSucceededMessage('pvc-1')).toBe('AttachVolume.Attach succeeded for volume "pvc-1" ');
    expect(attachFailedMessage('pvc-1', "Failed to add disk 'scsi1:0'.")).toBe('AttachVolume.Attach failed for volume "pvc-1" : Failed to add disk \'scsi1:0\'.');
  });

  it('names VolumeAttachments csi-<sha256(handle+driver+node)>', () => {
    const expected = `csi-${createHash('sha256').update('vol-1csi.vsphere.vmware.comw1').digest('hex')}`;
    expect(attachmentName('vol-1', 'csi.vsphere.vmware.com', 'w1')).toBe(expected);
    expect(volumeHandle({ spec: { vsphereVolume: { volumePath: '[ds] kubevols/x.vmdk' } } })).toBe('[ds] kubevols/x.vmdk');
  });

  it('allows multi-attach without access modes or with RWX/ROX only (IsMultiAttachAllowed)', () => {
    expect(isMultiAttachAllowed({ spec: {} })).toBe(true);
    expect(isMultiAttachAllowed({ spec: { accessModes: ['ReadOnlyMany'] } })).toBe(true);
    expect(isMultiAttachAllowed({ spec: { accessModes: ['ReadWriteOnce'] } })).toBe(false);
  });
});
