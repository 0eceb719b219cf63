import { describe, expect, it } from '@jest/globals';
import { EventsView } from './EventsView.js';
import { eventRow, plainFrame } from './fixtures.js';

const rows = [
  eventRow('FailedAttachVolume', { type: 'Warning', lastSeen: '2s', message: 'Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node and can\'t be attached to another' }),
  eventRow('NodeNotReady', { object: 'node/worker-2', objectKey: 'worker-2', lastSeen: '5m', message: 'Node worker-2 status is now: NodeNotReady' }),
];

describe('EventsView', () => {
  it('prints LAST SEEN TYPE REASON OBJECT COUNT MESSAGE in the given (newest first) order', () => {
    const lines = plainFrame(<EventsView rows={rows} width={220} height={6} />).split('\n');
    expect(lines[0]).toMatch(/^── Events\[2\] ─/);
    expect(lines[1]).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +COUNT +MESSAGE$/);
    expect(lines[2]).toMatch(/^2s +Warning +FailedAttachVolume +pod\/cassandra-0 +1 +Multi-Attach error for volume "pvc-1" Volume is already exclusively attached/);
    expect(lines[3]).toMatch(/^5m +Normal +NodeNotReady +node\/worker-2 +1 +Node worker-2 status is now: NodeNotReady$/);
  });

  it('names the Warning filter in the title', () => {
    expect(plainFrame(<EventsView rows={rows.slice(0, 1)} width={120} height={4} warningsOnly />)).toMatch(/^── Events\(Warning\)\[1\] ─/);
  });
});
