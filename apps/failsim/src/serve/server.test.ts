import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import { DEFAULT_ADDRESS, startServer } from './server.js';

describe('startServer', () => {
  it('listens on 127.0.0.1 and a free port for port 0, and close ends open watches', async () => {
    const sim = createSimulation({ seed: 1 });
    const server = await startServer({ api: sim.api, clock: sim.clock, gitVersion: 'v1.32.9' }, { port: 0 });
    expect(DEFAULT_ADDRESS).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const api = (await (await fetch(`${server.url}/api`)).json()) as { serverAddressByClientCIDRs: { serverAddress: string }[] };
    expect(api.serverAddressByClientCIDRs[0]!.serverAddress).toBe(`127.0.0.1:${server.port}`);
    const watch = await fetch(`${server.url}/api/v1/namespaces?watch=true`);
    const reader = watch.body!.getReader();
    await reader.read();
    await server.close();
    // The stream ends (or breaks) instead of hanging: the server destroyed its socket.
    const drained = (async (): Promise<void> => {
      for (;;) if ((await reader.read()).done) return;
    })();
    await expect(drained.catch(() => undefined)).resolves.toBeUndefined();
  });

  it('rejects when the port is taken', async () => {
    const sim = createSimulation({ seed: 1 });
    const first = await startServer({ api: sim.api, clock: sim.clock, gitVersion: 'v1.32.9' }, { port: 0 });
    await expect(startServer({ api: sim.api, clock: sim.clock, gitVersion: 'v1.32.9' }, { port: first.port })).rejects.toThrow(/EADDRINUSE/);
    await first.close();
  });
});
