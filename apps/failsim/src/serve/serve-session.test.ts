import { describe, expect, it } from '@jest/globals';
import type { WallClock } from '@failsim/core';
import type { Io } from '../io.js';
import { loadScenarioArgument } from '../scenario-source.js';
import { MAX_LIVE_SPEED, ServeSession, wholeMsWallClock } from './serve-session.js';

/** A wall clock that never ticks: virtual time moves only when the spec moves it. */
const frozen: WallClock = { now: () => 0, setInterval: () => undefined, clearInterval: () => {} };
const silent: Io = { out: () => {}, err: () => {} };
const loaded = loadScenarioArgument(silent, 'statefulset-node-poweroff')!;

describe('ServeSession', () => {
  it('runs the scenario behind the API: what the simulation does shows through HTTP', async () => {
    const session = await ServeSession.start({ loaded, speed: 60, free: true, listen: { port: 0 }, wall: frozen });
    try {
      expect(session.gitVersion).toBe('v1.12.4');
      expect(session.pacer.state.speed).toBe(60);
      session.run.env.cluster.sim.clock.runFor(120_000);
      const pods = (await (await fetch(`${session.server.url}/api/v1/namespaces/cassandra/pods`)).json()) as { items: { metadata: { name: string }; status: { phase: string } }[] };
      expect(pods.items.map((p) => `${p.metadata.name} ${p.status.phase}`)).toEqual(['cassandra-0 Running']);
    } finally {
      await session.stop();
    }
  });

  it('refuses speeds that are not whole numbers from 1 to the live cap', async () => {
    for (const speed of [0, 1.5, MAX_LIVE_SPEED + 1]) {
      await expect(ServeSession.start({ loaded, speed, listen: { port: 0 }, wall: frozen })).rejects.toThrow(RangeError);
    }
  });

  it('paces with whole wall milliseconds, so virtual time stays integral', () => {
    expect(Number.isInteger(wholeMsWallClock.now())).toBe(true);
  });
});
