import { describe, expect, it } from '@jest/globals';
import { recordingIo } from '../test-io.js';
import { dash, NOT_A_TTY_HINT, parseSpeedFlag, type DashboardStarter } from './dash.js';

const never: DashboardStarter = () => Promise.reject(new Error('must not start without a TTY'));

describe('failsim dash', () => {
  it('without a TTY prints the command list and a one-line hint, exit 0', async () => {
    const io = recordingIo();
    expect(await dash(io, 'statefulset-node-poweroff', {}, { isTTY: false, version: '0.1.0', start: never })).toBe(0);
    expect(io.text.out).toContain('Commands:\n  failsim ');
    expect(io.text.out.endsWith(NOT_A_TTY_HINT)).toBe(true);
  });

  it('on a TTY loads the scenario and starts the dashboard with the flags', async () => {
    const io = recordingIo();
    const seen: { name?: string; speed?: unknown; free?: boolean }[] = [];
    const start: DashboardStarter = (o) => {
      seen.push({ name: o.loaded.metadata.name, speed: o.speed, ...(o.free ? { free: o.free } : {}) });
      return Promise.resolve();
    };
    expect(await dash(io, 'statefulset-node-poweroff', { speed: 600, free: true }, { isTTY: true, version: '0.1.0', start })).toBe(0);
    expect(seen).toEqual([{ name: 'statefulset-node-poweroff', speed: 600, free: true }]);
  });

  it('refuses an unknown scenario with exit 2', async () => {
    const io = recordingIo();
    expect(await dash(io, 'no-such-scenario', {}, { isTTY: true, version: '0.1.0', start: never })).toBe(2);
    expect(io.text.err).toContain('error: unknown scenario "no-such-scenario"');
  });

  it('--speed takes 1, 10, 60, 600, max (10x too)', () => {
    expect(parseSpeedFlag('10x')).toBe(10);
    expect(parseSpeedFlag('max')).toBe('max');
    expect(() => parseSpeedFlag('7')).toThrow('the speed is one of 1, 10, 60, 600, max.');
  });
});
