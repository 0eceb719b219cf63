import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { sampleNodes } from '../dashboard/model/nodes.js';
import { serveDashboard } from '../dashboard/serve-dashboard.js';
import { DashboardSession, frozenWall } from '../dashboard/session.js';
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

  it('--serve --port 0 starts the serve API on the dashboard\'s own run: GET /api/v1/nodes answers its nodes; nothing on stdout', async () => {
    const io = recordingIo();
    const seen: { names: string[]; served?: string[]; header?: string }[] = [];
    // The real session and server, without Ink (startDashboard does the same, then draws).
    const start: DashboardStarter = async (o) => {
      const session = new DashboardSession({ loaded: o.loaded, wall: frozenWall });
      const serving = await serveDashboard(session, o.serve!);
      session.start();
      // The kubelets register their Nodes in the first virtual seconds.
      session.advance(10_000);
      try {
        const res = await fetch(`${serving.url}/api/v1/nodes`);
        const body = (await res.json()) as { items: { metadata: { name: string } }[] };
        const names = sampleNodes(session.run).map((n) => n.name);
        seen.push({ names, served: body.items.map((n) => n.metadata.name), header: session.serving?.url });
      } finally {
        await serving.stop();
        session.stop();
      }
    };
    expect(await dash(io, 'statefulset-node-poweroff', { serve: true, port: 0 }, { isTTY: true, version: '0.1.0', start })).toBe(0);
    expect(seen[0]?.served).toEqual(['master-0', 'worker-0', 'worker-1', 'worker-2', 'worker-3']);
    expect(seen[0]?.served).toEqual(seen[0]?.names);
    expect(seen[0]?.header).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(io.text.out).toBe('');
  });

  it('--serve on a port in use: one error line, exit 2; --port without --serve is refused', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const start: DashboardStarter = async (o) => {
      const session = new DashboardSession({ loaded: o.loaded, wall: frozenWall });
      await serveDashboard(session, o.serve!);
    };
    try {
      const io = recordingIo();
      expect(await dash(io, 'statefulset-node-poweroff', { serve: true, port }, { isTTY: true, version: '0.1.0', start })).toBe(2);
      expect(io.text.err).toMatch(new RegExp(`^error: cannot serve on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      expect(io.text.out).toBe('');
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    const io = recordingIo();
    expect(await dash(io, 'statefulset-node-poweroff', { port: 8001 }, { isTTY: true, version: '0.1.0', start: never })).toBe(2);
    expect(io.text.err).toBe('error: --port and --kubeconfig need --serve\n');
  });
});
