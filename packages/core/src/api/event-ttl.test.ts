import { describe, expect, it } from '@jest/globals';
import { SimClock } from '../kernel/clock.js';
import { EventTTL, type EventExpiry } from './event-ttl.js';

const HOUR = 3_600_000;

const setup = () => {
  const clock = new SimClock();
  const log: string[] = [];
  const ttl = new EventTTL(clock, HOUR, (e: EventExpiry) => log.push(`${clock.now()} ${e.namespace ?? ''}/${e.name}@${e.resourceVersion}`));
  return { clock, log, ttl };
};

describe('EventTTL', () => {
  it('expires each Event exactly the TTL after its write, in write order', () => {
    const { clock, log, ttl } = setup();
    ttl.start('default', 'a.1', 1);
    clock.runFor(1_500);
    ttl.start('default', 'b.1', 2);
    ttl.start(undefined, 'c.1', 3);
    clock.runFor(HOUR);
    expect(log).toEqual([`${HOUR} default/a.1@1`, `${HOUR + 1_500} default/b.1@2`, `${HOUR + 1_500} /c.1@3`]);
  });

  it('a later write restarts the countdown; a stopped one never fires', () => {
    const { clock, log, ttl } = setup();
    ttl.start('default', 'a.1', 1);
    ttl.start('default', 'b.1', 2);
    clock.runFor(10_000);
    ttl.stop(1);
    ttl.start('default', 'a.1', 3);
    ttl.stop(2);
    ttl.stop(99); // not running: nothing
    clock.runFor(HOUR);
    expect(log).toEqual([`${HOUR + 10_000} default/a.1@3`]);
    expect(clock.pendingCount).toBe(0);
  });

  it('keeps the clock order of timers due at the same millisecond: scheduled before the write, before; after, after', () => {
    const { clock, log, ttl } = setup();
    clock.scheduleAt(HOUR, () => log.push('before'), { owner: 'test', purpose: 'scheduled before the write' });
    ttl.start('default', 'a.1', 1);
    clock.runFor(1_000);
    clock.scheduleAt(HOUR, () => log.push('after'), { owner: 'test', purpose: 'scheduled after the write' });
    clock.runFor(HOUR);
    expect(log).toEqual(['before', `${HOUR} default/a.1@1`, 'after']);
  });

  it('labels each timer with the Event it expires', () => {
    const { clock, ttl } = setup();
    ttl.start('kube-system', 'node-1.15a', 4);
    ttl.start(undefined, 'n.15b', 5);
    expect(clock.pending().map((t) => [t.owner, t.purpose])).toEqual([
      ['kube-apiserver', 'event TTL of kube-system/node-1.15a'],
      ['kube-apiserver', 'event TTL of n.15b'],
    ]);
    expect(ttl.pending).toBe(2);
  });

  it('stays correct past FIFO compaction', () => {
    const { clock, log, ttl } = setup();
    for (let i = 1; i <= 5_000; i++) {
      ttl.start('default', `e${i}`, i);
      if (i % 2 === 0) ttl.stop(i - 1);
      clock.runFor(1);
    }
    clock.runFor(HOUR);
    expect(log).toHaveLength(2_500);
    expect(log[0]).toBe(`${HOUR + 1} default/e2@2`);
    expect(log[2_499]).toBe(`${HOUR + 4_999} default/e5000@5000`);
  });

  it('lets go of cancelled countdowns long before they reach the head, and still expires the rest in order', () => {
    const { clock, log, ttl } = setup();
    // 3,000 Events; each of the first 2,000 is written again (a count bump) at rv 3,001 on.
    for (let i = 1; i <= 3_000; i++) ttl.start('default', `e${i}`, i);
    clock.runFor(1_000);
    for (let i = 1; i <= 2_000; i++) {
      ttl.stop(i);
      ttl.start('default', `e${i}`, 3_000 + i);
    }
    expect(ttl.pending).toBe(3_000);
    // Without compaction the 2,000 cancelled entries would stay an hour, until the head passes them.
    expect(ttl.retained).toBeLessThan(4_000);
    ttl.stop(3_000 + 7); // found after the compaction
    clock.runFor(HOUR);
    expect(log).toHaveLength(2_999);
    expect(log[0]).toBe(`${HOUR} default/e2001@2001`);
    expect(log[1_000]).toBe(`${HOUR + 1_000} default/e1@3001`);
    expect(log).not.toContain(`${HOUR + 1_000} default/e7@3007`);
    expect(ttl.retained).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });
});

describe('EventTTL store rows', () => {
  it('hands each expiry the store row its write was given, also past compactions', () => {
    const clock = new SimClock();
    const expired: string[] = [];
    const ttl = new EventTTL(clock, 1_000, (e) => expired.push(`${e.name}@${e.resourceVersion}#${e.row}`));
    for (let i = 1; i <= 3_000; i++) ttl.start('default', `e${i}`, i, i % 7);
    clock.runFor(10);
    for (let i = 1; i <= 2_000; i++) {
      ttl.stop(i);
      ttl.start('default', `e${i}`, 3_000 + i, 100 + i);
    }
    ttl.start('default', 'unrowed', 5_001);
    clock.runFor(1_000);
    expect(expired).toHaveLength(3_001);
    expect(expired[0]).toBe(`e2001@2001#${2001 % 7}`);
    expect(expired[1_000]).toBe('e1@3001#101');
    expect(expired[2_999]).toBe('e2000@5000#2100');
    expect(expired[3_000]).toBe('unrowed@5001#-1');
  });
});

describe('EventTTL timers without handles (issue 8)', () => {
  it('tells a clock observer of each countdown a write or delete ends, by the id it was scheduled with', () => {
    const clock = new SimClock();
    const expired: string[] = [];
    const ttl = new EventTTL(clock, 1_000, (e) => expired.push(e.name));
    ttl.start('default', 'a', 1);
    const scheduled = new Map<number, string>();
    const cancelled: string[] = [];
    clock.observe({
      scheduled: (id, _dueAt, label) => scheduled.set(id, label.purpose),
      cancelled: (id) => cancelled.push(scheduled.get(id) ?? `unseen ${id}`),
      fired: () => undefined,
    });
    ttl.start('default', 'b', 2);
    ttl.start('default', 'c', 3);
    for (const t of clock.pending()) scheduled.set(t.id, t.purpose);
    ttl.stop(1);
    ttl.stop(3);
    ttl.stop(3);
    expect(cancelled).toEqual(['event TTL of default/a', 'event TTL of default/c']);
    expect(ttl.pending).toBe(1);
    clock.runFor(1_000);
    expect(expired).toEqual(['b']);
    ttl.stop(2);
    expect(cancelled).toHaveLength(2);
  });

  it('labels every timer with its Event through one shared label, in listings and to observers, also past compactions', () => {
    const clock = new SimClock();
    const expired: string[] = [];
    const ttl = new EventTTL(clock, 1_000, (e) => expired.push(`${e.namespace ?? ''}/${e.name}@${e.resourceVersion}`));
    const scheduled: string[] = [];
    const fired: string[] = [];
    clock.observe({ scheduled: (_id, _dueAt, label) => scheduled.push(label.purpose), cancelled: () => undefined, fired: (_id, label) => fired.push(label.purpose) });
    // 3,000 Events, two thirds written again: both compactions run.
    for (let i = 1; i <= 3_000; i++) ttl.start(i % 3 === 0 ? undefined : `ns${i % 5}`, `e${i}`, i);
    clock.runFor(10);
    for (let i = 1; i <= 2_000; i++) {
      ttl.stop(i);
      ttl.start(`ns${i % 5}`, `e${i}`, 3_000 + i);
    }
    expect(ttl.retained).toBeLessThan(4_000);
    expect(scheduled[0]).toBe('event TTL of ns1/e1');
    expect(scheduled[2]).toBe('event TTL of e3');
    expect(scheduled[3_000]).toBe('event TTL of ns1/e1');
    const purposes = clock.pending().map((t) => t.purpose);
    expect(purposes).toHaveLength(3_000);
    expect(purposes.slice(0, 2)).toEqual(['event TTL of e2001', 'event TTL of ns2/e2002']);
    expect(purposes[1_000]).toBe('event TTL of ns1/e1');
    clock.runFor(2_000);
    expect(fired).toHaveLength(3_000);
    expect(fired.slice(0, 2)).toEqual(purposes.slice(0, 2));
    expect(fired).toEqual(purposes);
    expect(expired[1_000]).toBe('ns1/e1@3001');
    expect(ttl.retained).toBe(0);
  });

  it('keeps every namespace past the 255 a byte column holds, whether the column widens before or after growing', () => {
    const { clock, log, ttl } = setup();
    // 300 namespaces over 3,000 Events: the namespace column widens at the 256th, the FIFO grows past 1,024 and 1,536.
    for (let i = 1; i <= 3_000; i++) ttl.start(i % 7 === 0 ? undefined : `ns${i % 300}`, `e${i}`, i);
    clock.runFor(HOUR);
    expect(log).toHaveLength(3_000);
    log.forEach((line, i) => expect(line).toBe(`${HOUR} ${(i + 1) % 7 === 0 ? '' : `ns${(i + 1) % 300}`}/e${i + 1}@${i + 1}`));
  });
});
