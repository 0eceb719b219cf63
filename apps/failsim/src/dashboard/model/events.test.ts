import { describe, expect, it } from '@jest/globals';
import { afterPowerOff } from '../test-session.js';
import { EventIndex, sampleEvents } from './events.js';
import { listOf } from './snapshot.js';

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

  it('selects the newest `limit` events in one pass: the same rows as the long, sorted page', () => {
    const session = afterPowerOff(320);
    const page = sampleEvents(session.run, { limit: 500 });
    expect(sampleEvents(session.run, { limit: 12 })).toEqual(page.slice(0, 12));
    expect(sampleEvents(session.run, { limit: 0 })).toEqual([]);
  });
});

describe('EventIndex', () => {
  it('holds the Events the API server lists, kept current by its watch, until detached', () => {
    const session = afterPowerOff(60);
    const index = new EventIndex(session.run);
    const keys = (events: Iterable<{ metadata?: { namespace?: string; name?: string } }>): string[] => [...events].map((e) => `${e.metadata?.namespace}/${e.metadata?.name}`).sort();
    expect(keys(index.all())).toEqual(keys(listOf(session.run, 'Event')));
    session.run.env.cluster.sim.clock.runFor(300_000);
    expect(keys(index.all())).toEqual(keys(listOf(session.run, 'Event')));
    expect([...index.failedAttach()].every((e) => e.reason === 'FailedAttachVolume')).toBe(true);
    index.detach();
    expect(index.live).toBe(false);
  });

  it('bumps its version on every Event written, so a page of Events is selected again only then', () => {
    const session = afterPowerOff(60);
    const index = new EventIndex(session.run);
    const clock = session.run.env.cluster.sim.clock;
    const before = index.version;
    const page = sampleEvents(session.run, { limit: 12 });
    // The eviction after 5 min writes Events; the page follows, its LAST SEEN aged.
    clock.runFor(300_000);
    expect(index.version).toBeGreaterThan(before);
    const later = sampleEvents(session.run, { limit: 12 });
    expect(later).toEqual(sampleEvents(session.run, { limit: 500 }).slice(0, 12));
    expect(later.map((r) => r.reason)).toContain('NodeControllerEviction');
    expect(later).not.toEqual(page);
    index.detach();
  });
});
