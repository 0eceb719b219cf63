import { describe, expect, it } from '@jest/globals';
import { afterPowerOff } from '../test-session.js';
import { sampleEvents } from './events.js';

describe('sampleEvents', () => {
  it('lists events newest first by LAST SEEN, with kubectl 1.14 OBJECT names', () => {
    const session = afterPowerOff(320);
    const rows = sampleEvents(session.run);
    expect(rows.length).toBeGreaterThan(3);
    expect(rows[0]?.lastSeen).toMatch(/^\d+s$/);
    const eviction = rows.find((r) => r.reason === 'NodeControllerEviction');
    expect(eviction).toMatchObject({ type: 'Normal', object: 'pod/cassandra-0', objectKey: 'cassandra/cassandra-0', message: 'Marking for deletion Pod cassandra-0 from Node ' + eviction?.message.split(' ').pop() });
  });

  it('keeps Warnings only on request', () => {
    const session = afterPowerOff(320);
    const warnings = sampleEvents(session.run, { warningsOnly: true });
    expect(warnings.every((r) => r.type === 'Warning')).toBe(true);
    expect(sampleEvents(session.run, { limit: 2 })).toHaveLength(2);
  });
});
