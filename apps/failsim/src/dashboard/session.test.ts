import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { sampleClocks } from './model/clocks.js';
import { sampleNodes } from './model/nodes.js';
import { testSession } from './test-session.js';

describe('DashboardSession', () => {
  it('starts running at the chosen speed and tells subscribers of every change', () => {
    const session = testSession('statefulset-node-poweroff', { speed: 60 });
    let told = 0;
    const off = session.subscribe(() => told++);
    expect(session.pacer.state).toMatchObject({ running: true, paused: false, speed: 60 });
    session.togglePause();
    expect(session.pacer.state.paused).toBe(true);
    session.changeSpeed(1);
    session.changeSpeed(1);
    session.changeSpeed(1);
    expect(session.pacer.state.speed).toBe('max');
    session.changeSpeed(-1);
    expect(session.pacer.state.speed).toBe(600);
    off();
    const seen = told;
    session.togglePause();
    expect(told).toBe(seen);
    expect(seen).toBeGreaterThan(0);
  });

  it('step() pauses and runs exactly one event', () => {
    const session = testSession();
    const clock = session.run.env.cluster.sim.clock;
    const before = clock.eventsRun;
    expect(session.step()).toBe(true);
    expect(session.pacer.state.paused).toBe(true);
    expect(clock.eventsRun).toBe(before + 1);
  });

  it('advance(ms) pauses and runs that much virtual time', () => {
    const session = testSession();
    const clock = session.run.env.cluster.sim.clock;
    const t0 = clock.now();
    session.advance(50_000);
    expect(clock.now()).toBe(t0 + 50_000);
    expect(session.pacer.state.paused).toBe(true);
  });

  it('runToStep(id) runs until that scripted step has started; Left, nothing run, for an unknown or started step', () => {
    const session = testSession();
    const clock = session.run.env.cluster.sim.clock;
    const t0 = clock.now();
    expect(session.runToStep('nope')).toEqual(E.left('no scripted step "nope" (steps: ready, poweroff, delete-node, read-back)'));
    expect(clock.now()).toBe(t0);
    expect(session.runToStep('poweroff')).toEqual(E.right(undefined));
    expect(session.run.nextStep()?.id).toBe('delete-node');
    expect(session.log).toEqual([]);
    const t1 = clock.now();
    expect(session.runToStep('ready')).toEqual(E.left('step ready has already started'));
    expect(clock.now()).toBe(t1);
    session.advance(50_000);
    expect(sampleNodes(session.run).filter((n) => n.status === 'NotReady').map((n) => n.power)).toEqual(['poweredOff']);
  });

  it('a free run has no steps to run to', () => {
    const session = testSession('statefulset-node-poweroff', { free: true });
    expect(E.isLeft(session.runToStep('poweroff'))).toBe(true);
  });

  it('logs commands as issued, refused ones as errors that changed nothing', () => {
    const session = testSession();
    session.advance(60_000);
    const rv = session.run.env.cluster.sim.api.resourceVersion;
    expect(E.isLeft(session.command('kubectl delet node worker-1'))).toBe(true);
    expect(session.run.env.cluster.sim.api.resourceVersion).toBe(rv);
    expect(E.isRight(session.command('kubectl cordon worker-1'))).toBe(true);
    expect(session.log.map((e) => [e.at, e.line, e.ok])).toEqual([
      [60, 'kubectl delet node worker-1', false],
      [60, 'kubectl cordon worker-1', true],
    ]);
  });

  it('restart() starts the scenario afresh, keeping speed and pause, with an empty log and its own timer index', () => {
    const session = testSession();
    session.advance(120_000);
    session.command('kubectl cordon worker-1');
    const oldRun = session.run;
    session.restart();
    expect(session.run).not.toBe(oldRun);
    expect(session.log).toEqual([]);
    expect(session.pacer.state).toMatchObject({ paused: true, speed: 10 });
    expect(session.run.env.cluster.sim.clock.now() - session.run.startMs).toBe(0);
    session.advance(60_000);
    const groups = sampleClocks(session.run.env.cluster.sim.clock, { index: session.timers, limit: Infinity });
    expect(groups).toEqual(sampleClocks(session.run.env.cluster.sim.clock, { limit: Infinity }));
  });
});
