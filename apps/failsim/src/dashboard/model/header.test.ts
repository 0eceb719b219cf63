import { describe, expect, it } from '@jest/globals';
import { afterPowerOff, testSession } from '../test-session.js';
import { sampleHeader, storagePlugin } from './header.js';

describe('sampleHeader', () => {
  it('names scenario, profile, plugin, the virtual clock and date, the pace and the next step', () => {
    const session = afterPowerOff(50);
    const h = sampleHeader(session.options.loaded, session.run, { running: true, paused: true, speed: 600, virtualNow: 0 }, false);
    expect(h).toMatchObject({ scenario: 'statefulset-node-poweroff', profile: '1.12', storage: 'kubernetes.io/vsphere-volume (VCP)', speed: '600×', state: 'paused' });
    expect(h.time).toMatch(/^T\+\d\d:\d\d$/);
    expect(h.date).toMatch(/^2019-06-13 \d\d:\d\d:\d\d UTC$/);
    expect(h.next).toMatch(/^delete-node: kubectl delete node \{\{ node of pod cassandra\/cassandra-0 \}\} at T\+1:\d\d:\d\d$/);
  });

  it('reads a `when` step as its condition, a free run as such, and max speed as max', () => {
    const session = testSession();
    expect(sampleHeader(session.options.loaded, session.run, session.pacer.state, false).next).toBe(`ready: ${session.options.loaded.steps[0]!.line} when pod/cassandra/cassandra-0 is Running`);
    expect(sampleHeader(session.options.loaded, session.run, { ...session.pacer.state, speed: 'max', running: false }, true)).toMatchObject({ next: 'free run: no scripted steps', speed: 'max', state: 'stopped' });
  });

  it('names the CSI driver for a CSI scenario', () => {
    const session = testSession('csi-node-poweroff');
    expect(storagePlugin(session.options.loaded, session.run)).toBe('csi.vsphere.vmware.com');
  });
});
