import { describe, expect, it } from '@jest/globals';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { SimClock } from '@failsim/core';
import { FakeAttachablePlugin } from './fake-plugin.js';

const pv: PersistentVolume = { metadata: { name: 'pv-1' } };

describe('FakeAttachablePlugin', () => {
  it('attaches after attachDurationMs, fails on demand, and answers volumesAreAttached from its record', () => {
    const clock = new SimClock();
    const plugin = new FakeAttachablePlugin(clock, { attachDurationMs: 2_000, detachDurationMs: 1_000 });
    const seen: string[] = [];
    plugin.failAttach('no disk');
    plugin.attach(pv, 'w1').subscribe({ error: (e: unknown) => seen.push(`error ${String(e)} at ${clock.now()}`) });
    clock.runUntilIdle();
    plugin.attach(pv, 'w1').subscribe({ next: (p) => seen.push(`${p} at ${clock.now()}`) });
    clock.runUntilIdle();
    expect(seen).toEqual(['error no disk at 2000', '/dev/disk/by-id/fake-pv-1 at 4000']);
    expect(plugin.volumesAreAttached([pv], 'w1').get('pv-1')).toBe(true);
    plugin.detach(pv, 'w1').subscribe();
    clock.runUntilIdle();
    expect(clock.now()).toBe(5_000);
    expect(plugin.isAttached('pv-1', 'w1')).toBe(false);
    expect(plugin.uniqueVolumeName(pv)).toBe('failsim.io/fake-attacher/pv-1');
  });

  it('applies a standing attach rule', () => {
    const clock = new SimClock();
    const plugin = new FakeAttachablePlugin(clock, { attachError: (_pv, node, p) => ([...(p.attachments.get('pv-1') ?? [])].some((n) => n !== node) ? "Failed to add disk 'scsi1:0'." : undefined) });
    plugin.attachments.set('pv-1', new Set(['w1']));
    const errors: unknown[] = [];
    plugin.attach(pv, 'w2').subscribe({ error: (e: unknown) => errors.push(e) });
    clock.runUntilIdle();
    expect(errors).toEqual(["Failed to add disk 'scsi1:0'."]);
  });
});
