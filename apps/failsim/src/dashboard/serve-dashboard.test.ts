import { describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleNodes } from './model/nodes.js';
import { serveDashboard } from './serve-dashboard.js';
import { testSession } from './test-session.js';

type Answer = { status: number; body: { items?: { metadata: { name: string } }[] } & Record<string, unknown> };

/** GET on a connection of its own (no keep-alive pool: a rebind closes the old connections, as kubectl would see). */
const getJson = (url: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
    }).on('error', reject);
  });

describe('serveDashboard (failsim dash --serve)', () => {
  jest.setTimeout(30_000);

  it('serves the session\'s own run: GET /api/v1/nodes lists the nodes the dashboard shows, and a kubectl write shows in it', async () => {
    const session = testSession();
    session.advance(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'failsim-dash-'));
    const serving = await serveDashboard(session, { port: 0, kubeconfig: join(dir, 'kubeconfig') });
    try {
      expect(serving.url).toBe(`http://127.0.0.1:${serving.port}`);
      expect(session.serving).toEqual({ url: serving.url, kubeconfig: join(dir, 'kubeconfig') });
      expect(readFileSync(join(dir, 'kubeconfig'), 'utf8')).toContain(`server: "${serving.url}"`);
      const nodes = await getJson(`${serving.url}/api/v1/nodes`);
      expect(nodes.status).toBe(200);
      expect(nodes.body.items?.map((n) => n.metadata.name)).toEqual(sampleNodes(session.run).map((n) => n.name));
      expect(nodes.body.items?.map((n) => n.metadata.name)).toEqual(['master-0', 'worker-0', 'worker-1', 'worker-2', 'worker-3']);

      // kubectl delete node, through HTTP, while the dashboard is paused: the dashboard is told to redraw.
      const version = session.version;
      const res = await fetch(`${serving.url}/api/v1/nodes/worker-1`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(session.version).toBeGreaterThan(version);
      expect(sampleNodes(session.run).map((n) => n.name)).not.toContain('worker-1');

      // failsim's control endpoint drives the session itself: its command log records the line.
      const cmd = await fetch(`${serving.url}/failsim/v1/commands`, { method: 'POST', body: JSON.stringify({ run: 'kubectl cordon worker-0' }) });
      expect(cmd.status).toBe(200);
      expect(session.log.map((e) => e.line)).toEqual(['kubectl cordon worker-0']);
    } finally {
      await serving.stop();
    }
    expect(session.serving).toBeUndefined();
    // A path the user named is theirs to keep; the server is gone.
    expect(existsSync(join(dir, 'kubeconfig'))).toBe(true);
    await expect(getJson(`${serving.url}/api/v1/nodes`)).rejects.toThrow(/ECONNREFUSED/);
    session.stop();
  });

  it('a restart rebinds the same port to the new cluster; stop removes the default kubeconfig', async () => {
    const session = testSession();
    session.advance(60_000);
    const serving = await serveDashboard(session, { port: 0 });
    expect(serving.kubeconfig).toBe(join(tmpdir(), `failsim-${serving.port}.kubeconfig`));
    expect(existsSync(serving.kubeconfig)).toBe(true);
    try {
      expect((await fetch(`${serving.url}/api/v1/nodes/worker-1`, { method: 'DELETE' })).status).toBe(200);
      expect((await getJson(`${serving.url}/api/v1/nodes/worker-1`)).status).toBe(404);
      session.restart();
      session.advance(1_000);
      await serving.ready();
      expect((await getJson(`${serving.url}/api/v1/nodes/worker-1`)).status).toBe(200);
      expect(session.serving?.url).toBe(serving.url);
    } finally {
      await serving.stop();
    }
    expect(existsSync(serving.kubeconfig)).toBe(false);
    session.stop();
  });

  it('rejects a port it cannot listen on, writing nothing', async () => {
    const session = testSession();
    const first = await serveDashboard(session, { port: 0 });
    const other = testSession();
    try {
      await expect(serveDashboard(other, { port: first.port })).rejects.toThrow(/EADDRINUSE/);
      expect(other.serving).toBeUndefined();
    } finally {
      await first.stop();
      session.stop();
      other.stop();
    }
  });
});
