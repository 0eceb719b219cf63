import { describe, expect, it } from '@jest/globals';
import { controllerKeyFor, controllerName, diskKeyFor, diskName, formatKB, scsiSlot } from './virtual-device-list.js';

describe('virtual device names', () => {
  it('names devices as govmomi does', () => {
    expect(controllerName({ key: controllerKeyFor(1), busNumber: 1, type: 'pvscsi' })).toBe('pvscsi-1001');
    expect(diskName({ key: diskKeyFor(1, 0), controllerKey: 1001, unitNumber: 0, fileName: '', capacityInKB: 0, diskMode: 'persistent' })).toBe('disk-1001-0');
    expect(diskKeyFor(1, 0)).toBe(2016);
    expect(scsiSlot(1, 0)).toBe('scsi1:0');
    expect(formatKB(1048576)).toBe('1,048,576 KB');
  });
});
