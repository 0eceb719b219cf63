import { describe, expect, it } from '@jest/globals';
import { formatMicroTime, listJson, toWire, watchLine, wireJson } from './wire.js';

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

describe('shared encodings', () => {
  const pod = Object.freeze({ kind: 'Pod', apiVersion: 'v1', metadata: Object.freeze({ name: 'p', namespace: 'ns', resourceVersion: '7', labels: { app: 'é' } }) });
  const lease = Object.freeze({ kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: Object.freeze({ name: 'w' }), spec: Object.freeze({ renewTime: '2019-06-13T13:00:10Z' }) });

  it('encodes an object once: the same bytes as JSON.stringify(toWire(obj)), shared', () => {
    expect(wireJson(pod).toString('utf8')).toBe(JSON.stringify(pod));
    expect(wireJson(pod)).toBe(wireJson(pod));
    expect(wireJson(lease).toString('utf8')).toBe(JSON.stringify(toWire(lease)));
  });

  it('builds watch lines byte for byte as the stringified event, once per type and object', () => {
    for (const type of ['ADDED', 'MODIFIED', 'DELETED'] as const) {
      expect(watchLine(type, lease).toString('utf8')).toBe(`${JSON.stringify({ type, object: toWire(lease) })}\n`);
      expect(watchLine(type, pod)).toBe(watchLine(type, pod));
    }
  });

  it('builds list bodies from the shared items, as JSON.stringify of the list would', () => {
    expect(JSON.parse(listJson('Pod', 'v1', '9', []).toString('utf8'))).toEqual({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '9' }, items: [] });
    expect(listJson('Lease', 'coordination.k8s.io/v1', '12', [lease, pod]).toString('utf8')).toBe(
      JSON.stringify({ kind: 'LeaseList', apiVersion: 'coordination.k8s.io/v1', metadata: { resourceVersion: '12' }, items: [toWire(lease), pod] }),
    );
  });
});
