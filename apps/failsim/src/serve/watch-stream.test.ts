// streamWatch behind a bare node:http server (the full handler's watch cases are in
// api-handler.test.ts): a stream stays open while nothing changes, and a client that
// goes away unsubscribes from the simulated API server and cancels its timers.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamWatch } from './watch-stream.js';

const sim = createSimulation({ seed: 1 });
let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const serveWatch = (request: Parameters<typeof streamWatch>[0]): Promise<string> =>
  new Promise((resolve) => {
    const client = sim.api.client('test');
    server = createServer((_req, res) =>
      streamWatch(request, { client, clock: sim.clock, resourceVersion: () => sim.api.resourceVersion, tableContext: () => ({ now: sim.clock.date(), serverMinor: 32 }), fail: () => res.end() }, res),
    );
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}/`));
  });

describe('streamWatch', () => {
  it('streams one JSON document per line and cleans up when the client goes', async () => {
    const url = await serveWatch({ kind: 'Namespace', allowWatchBookmarks: true, sendInitialEvents: false, timeoutSeconds: 600, label: 'spec' });
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('application/json');
    const reader = res.body!.getReader();
    let text = '';
    while (text.split('\n').length <= 4) text += Buffer.from((await reader.read()).value ?? []).toString('utf8');
    expect(text.split('\n').slice(0, 4).map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } }).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED default',
      'ADDED kube-node-lease',
      'ADDED kube-public',
      'ADDED kube-system',
    ]);
    // Bookmark and timeout timers are pending on the simulation clock, with readable purposes…
    expect(sim.clock.pending().filter((t) => t.owner === 'failsim-serve').map((t) => t.purpose)).toEqual(['watch bookmark (spec)', 'watch timeoutSeconds=600 (spec)']);
    controller.abort();
    // …and gone once the client disconnects.
    const deadline = Date.now() + 5_000;
    while (sim.clock.pending().some((t) => t.owner === 'failsim-serve') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sim.clock.pending().filter((t) => t.owner === 'failsim-serve')).toEqual([]);
  });
});
