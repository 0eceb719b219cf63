import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { map, of, throwError } from 'rxjs';
import { Director, instanceName, type DirectorEvent } from './director.js';
import { FakeCpi } from './fake-cpi.js';

const world = () => {
  const sim = createSimulation({ seed: 'director' });
  const cpi = new FakeCpi({ clock: sim.clock, random: sim.random.fork('cpi') });
  const director = new Director({ clock: sim.clock, random: sim.random, cpi, firstInstanceId: 78, cpiRequestId: () => 'cpi-1' });
  return { sim, cpi, director };
};

describe('Director', () => {
  it('adopts a PKS deployment: service-instance_<uuid>, instances with uuids, indexes, ids, VM and disk cids', () => {
    const { director } = world();
    const created = director.createDeployment({ instanceGroups: [{ name: 'master', instances: 1 }, { name: 'worker', instances: 2, persistentDiskMb: 1024 }] });
    expect(E.isRight(created)).toBe(true);
    if (E.isLeft(created)) return;
    const d = created.right;
    expect(d.name).toMatch(/^service-instance_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(d.instances.map((i) => [i.id, i.group, i.index, i.disk?.sizeMb])).toEqual([
      [78, 'master', 0, undefined],
      [79, 'worker', 0, 1024],
      [80, 'worker', 1, 1024],
    ]);
    expect(d.instances[2]?.vmCid).toMatch(/^vm-[0-9a-f-]{36}$/);
    expect(instanceName(d.instances[2]!)).toBe(`worker/${d.instances[2]!.uuid} (1)`);
    expect(director.createDeployment({ name: d.name, instanceGroups: [] })).toEqual(E.left(`Deployment '${d.name}' already exists`));
  });

  it('runs numbered tasks whose steps log started/finished in whole seconds, and tells listeners when they end', () => {
    const { sim, director } = world();
    const seen: DirectorEvent['type'][] = [];
    director.addListener((e) => seen.push(e.type));
    sim.clock.runFor(500);
    const ok = director.runTask('scan cloud', 'd', (run) => director.track(run, 'Stage', 'step', of('x')).pipe(map(() => 'fine')));
    const bad = director.runTask('apply resolutions', 'd', () => throwError(() => ({ message: 'boom' })));
    expect(ok.task).toMatchObject({ id: 1, state: 'done', result: 'fine' });
    expect(ok.task.events.map((e) => (e.kind === 'step' ? `${e.time} ${e.state}` : e.kind))).toEqual(['0 started', '0 finished']);
    expect(bad.task).toMatchObject({ id: 2, state: 'error', result: 'boom' });
    expect(director.tasks().map((t) => t.id)).toEqual([2, 1]);
    expect(seen).toEqual(['task-finished', 'task-finished']);
  });

  it('pings agents with the 10 s timeout and wraps CPI errors', () => {
    const { sim, cpi, director } = world();
    const created = director.createDeployment({ name: 'd', instanceGroups: [{ name: 'worker', instances: [{ vmCid: 'vm-1' }] }] });
    if (E.isLeft(created)) throw new Error(created.left);
    cpi.addVm('vm-1', { poweredOn: false });
    const answers: string[] = [];
    director.pingAgent(created.right.instances[0]!).subscribe((alive) => answers.push(`${sim.clock.now()} ${alive}`));
    cpi.setFailure('reboot_vm', { error: { type: 'Unknown', message: 'no' } });
    director.cpiCall('reboot_vm', cpi.rebootVm('vm-1')).subscribe({ error: (e: { message: string }) => answers.push(`${sim.clock.now()} ${e.message}`) });
    sim.clock.runUntilIdle();
    expect(answers).toEqual(['10000 false', "10000 Unknown CPI error 'Unknown' with message 'no' in 'reboot_vm' CPI method (CPI request ID: 'cpi-1')"]);
  });

  it('wait_until_ready tells listeners agent-ready, or errors after the deadline', () => {
    const { sim, cpi, director } = world();
    const created = director.createDeployment({ name: 'd', instanceGroups: [{ name: 'worker', instances: [{ vmCid: 'vm-1' }] }] });
    if (E.isLeft(created)) throw new Error(created.left);
    cpi.addVm('vm-1', { poweredOn: false });
    const seen: string[] = [];
    director.addListener((e) => seen.push(`${sim.clock.now()} ${e.type}`));
    director.waitUntilReady(created.right.instances[0]!, 'Agent still unresponsive after reboot').subscribe({ error: (e: { message: string }) => seen.push(`${sim.clock.now()} ${e.message}`) });
    sim.clock.runUntilIdle();
    expect(seen).toEqual(['600000 Agent still unresponsive after reboot']);
    cpi.powerOn('vm-1');
    director.waitUntilReady(created.right.instances[0]!, 'x').subscribe();
    sim.clock.runUntilIdle();
    expect(seen.at(-1)).toBe('660000 agent-ready');
  });
});
