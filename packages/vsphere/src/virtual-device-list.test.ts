import { describe, expect, it } from '@jest/globals';
import { controllerKeyFor, controllerName, diskKeyFor, diskName, formatKB, groupThousands, scsiSlot } from './virtual-device-list.js';

describe('virtual device names', () => {
  it('names devices as govmomi does', () => {
    expect(controllerName({ key: controllerKeyFor(1), busNumber: 1, type: 'pvscsi' })).toBe('pvscsi-1001');
    expect(diskName({ key: diskKeyFor(1, 0), controllerKey: 1001, unitNumber: 0, fileName: '', capacityInKB: 0, diskMode: 'persistent' })).toBe('disk-1001-0');
    expect(diskKeyFor(1, 0)).toBe(2016);
    expect(scsiSlot(1, 0)).toBe('scsi1:0');
    expect(formatKB(1048576)).toBe('1,048,576 KB');
  });
});

describe('groupThousands (formatKB without Intl)', () => {
  it("agrees with toLocaleString('en-US') on integers of every length, signs and the non-integer fallback", () => {
    const values = [0, -0, 1, 7, 12, 999, 1000, 1001, 65_536, 999_999, 1_000_000, 1_048_576, 10_485_760, 2 ** 31, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER, -1, -1000, -1_048_576, 1.5, 1234.5678, 2 ** 60, NaN, Infinity, -Infinity];
    for (let p = 1; p <= 1e15; p *= 10) values.push(p - 1, p, p + 1, 7 * p + 3);
    for (const v of values) expect(groupThousands(v)).toBe(v.toLocaleString('en-US'));
    expect(formatKB(1_048_576)).toBe('1,048,576 KB');
  });
});
