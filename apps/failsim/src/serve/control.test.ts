import { describe, expect, it } from '@jest/globals';
import { Pacer, SimClock, type WallClock } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { applyClockRequest, clockState, handleControl, type ControlTarget } from './control.js';

const frozen: WallClock = { now: () => 0, setInterval: () => undefined, clearInterval: () => {} };

const target = (): ControlTarget & { ran: string[] } => {
  const clock = new SimClock();
  clock.runFor(1_000);
  const ran: string[] = [];
  const pacer = new Pacer(clock, { speed: 60, wall: frozen });
  pacer.start();
  return { pacer, clock, startMs: 1_000, ran, command: (line): E.Either<string, void> => {
      if (!line.startsWith('govc')) return E.left(`unknown command: ${line}`);
      ran.push(line);
      return E.right(undefined);
    },
  };
};

const post = (t: ControlTarget, path: string, body: string, remoteAddress = '127.0.0.1') => handleControl(t, { method: 'POST', path, body: Buffer.from(body), remoteAddress });

describe('the failsim control endpoint', () => {
  it('advance and until pause the pacer and run the clock to the moment, firing the timers due', () => {
    const t = target();
    const fired: number[] = [];
    t.clock.schedule(30_000, () => fired.push(t.clock.now()), { owner: 'spec', purpose: 'a timer at T+30s' });
    expect(post(t, '/failsim/v1/clock', '{"advance":"50s"}')).toEqual({ code: 200, body: expect.objectContaining({ elapsed: '50s', elapsedMs: 50_000, paused: true, speed: 60 }) });
    expect(fired).toEqual([31_000]);
    expect(E.getOrElseW(() => undefined)(applyClockRequest(t, { until: 'T+6m30s' }))).toMatchObject({ elapsed: '6m30s', now: '2019-06-01T00:06:31Z' });
    expect(applyClockRequest(t, { until: '1m' })).toEqual(E.left('until: T+1m has passed (the clock is at T+6m30s)'));
  });

  it('pause and resume drive the pacer; GET reads the clock', () => {
    const t = target();
    expect(post(t, '/failsim/v1/clock', '{"pause":true}').body).toMatchObject({ paused: true });
    expect(post(t, '/failsim/v1/clock', '{"resume":true}').body).toMatchObject({ paused: false });
    expect(handleControl(t, { method: 'GET', path: '/failsim/v1/clock', body: Buffer.alloc(0), remoteAddress: '::1' }).body).toEqual(clockState(t));
  });

  it('runs a command line as a step would, and says why one did not run', () => {
    const t = target();
    expect(post(t, '/failsim/v1/commands', '{"run":"govc vm.power -off worker-2"}').code).toBe(200);
    expect(t.ran).toEqual(['govc vm.power -off worker-2']);
    expect(post(t, '/failsim/v1/commands', '{"run":"rm -rf /"}').body).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest', message: 'unknown command: rm -rf /' });
  });

  it('answers bad requests with a Status and changes nothing', () => {
    const t = target();
    const before = clockState(t);
    expect(post(t, '/failsim/v1/clock', '{"advance":"5 minutes"}').body).toMatchObject({ code: 400, message: 'advance: invalid duration "5 minutes" (use 30s, 5m, 1h)' });
    expect(post(t, '/failsim/v1/clock', '{"advance":"5m","pause":true}').body).toMatchObject({ code: 400, message: 'a clock request has exactly one of pause, resume, advance, until; got advance, pause' });
    expect(post(t, '/failsim/v1/clock', '{nope').body).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(post(t, '/failsim/v1/clock', '{"jump":"5m"}').body).toMatchObject({ code: 400, message: 'unknown clock request field "jump" (pause, resume, advance, until)' });
    expect(post(t, '/failsim/v1/nope', '{}').code).toBe(404);
    expect(handleControl(t, { method: 'DELETE', path: '/failsim/v1/clock', body: Buffer.alloc(0), remoteAddress: '127.0.0.1' }).code).toBe(405);
    expect(post(t, '/failsim/v1/clock', '{"advance":"5m"}', '10.0.0.7')).toMatchObject({ code: 403, body: { reason: 'Forbidden' } });
    expect(clockState(t)).toEqual(before);
  });
});
