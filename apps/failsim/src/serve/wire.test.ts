import { describe, expect, it } from '@jest/globals';
import { formatMicroTime, toWire } from './wire.js';

describe('toWire', () => {
  it('gives MicroTime fields exactly six fractional digits', () => {
    expect(formatMicroTime('2026-11-26T00:23:14.123Z')).toBe('2026-11-26T00:23:14.123000Z');
    expect(formatMicroTime('2026-11-26T00:23:14Z')).toBe('2026-11-26T00:23:14.000000Z');
    const lease = { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { name: 'w' }, spec: { holderIdentity: 'w', renewTime: '2019-06-13T13:00:10.5Z' } };
    expect(toWire(lease)).toEqual({ ...lease, spec: { holderIdentity: 'w', renewTime: '2019-06-13T13:00:10.500000Z' } });
    const event = { kind: 'Event', metadata: { name: 'e' }, eventTime: '2019-06-13T13:00:10Z' };
    expect(toWire(event)).toEqual({ ...event, eventTime: '2019-06-13T13:00:10.000000Z' });
  });

  it('returns other objects as they are (stored objects are shared)', () => {
    const pod = Object.freeze({ kind: 'Pod', metadata: { name: 'p', creationTimestamp: '2019-06-13T13:00:00Z' } });
    expect(toWire(pod)).toBe(pod);
    const event = Object.freeze({ kind: 'Event', metadata: { name: 'e' }, lastTimestamp: '2019-06-13T13:00:00Z' });
    expect(toWire(event)).toBe(event);
  });
});
