import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { config } from 'rxjs';
import { watchWith } from './watch-handler.js';

describe('watchWith', () => {
  it('delivers existing objects as ADDED, then changes, until stopped', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const seen: string[] = [];
    const stop = watchWith(client, 'Namespace', ({ type, object }) => void seen.push(`${type} ${object.metadata?.name ?? ''}`));
    expect(seen).toEqual(['ADDED default', 'ADDED kube-node-lease', 'ADDED kube-public', 'ADDED kube-system']);
    client.create('Namespace', { metadata: { name: 'cassandra' } });
    stop();
    client.create('Namespace', { metadata: { name: 'later' } });
    expect(seen.slice(4)).toEqual(['ADDED cassandra']);
  });

  it('reports what the handler throws as an RxJS subscriber would, and goes on delivering', async () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const reported: unknown[] = [];
    const before = config.onUnhandledError;
    config.onUnhandledError = (error) => void reported.push(error);
    try {
      const seen: string[] = [];
      watchWith(client, 'Namespace', ({ object }) => {
        if (object.metadata?.name === 'bad') throw new Error('handler failed');
        seen.push(object.metadata?.name ?? '');
      });
      client.create('Namespace', { metadata: { name: 'bad' } });
      client.create('Namespace', { metadata: { name: 'good' } });
      // RxJS reports on a 0 ms host timer (reportUnhandledError): one set after it fires after.
      await sleep(0);
      expect(seen.slice(4)).toEqual(['good']);
      expect(reported.map((e) => (e as Error).message)).toEqual(['handler failed']);
    } finally {
      config.onUnhandledError = before;
    }
  });
});
