// Sessions for the dashboard's specs: a library scenario on a wall clock that never
// ticks, so a spec moves virtual time itself and nothing depends on wall time.
import { loadScenario } from '@failsim/scenarios';
import * as E from 'fp-ts/lib/Either.js';
import { findLibraryScenario } from '../library.js';
import { sampleStorage } from './model/storage.js';
import { DashboardSession, frozenWall, type SessionOptions } from './session.js';

/** A started session on library scenario `name` (default the seed power-off), paced by nothing. */
export const testSession = (name = 'statefulset-node-poweroff', options: Omit<SessionOptions, 'loaded' | 'wall'> = {}): DashboardSession => {
  const file = findLibraryScenario(name);
  if (file === undefined) throw new Error(`no library scenario ${name}`);
  const loaded = loadScenario(file);
  if (E.isLeft(loaded)) throw new Error(`scenario ${name} does not load`);
  const session = new DashboardSession({ ...options, loaded: loaded.right, wall: frozenWall });
  session.start();
  return session;
};

/** Runs the session's clock until `done()` holds (checked after each event) or `limitMs` of virtual time pass; true if it held. */
export const runUntil = (session: DashboardSession, done: () => boolean, limitMs = 3 * 3_600_000): boolean => {
  const clock = session.run.env.cluster.sim.clock;
  const end = clock.now() + limitMs;
  while (!done()) {
    const next = clock.nextDueAt();
    if (next === undefined || next > end) return false;
    clock.step();
  }
  return true;
};

/** The seed power-off stepped to `seconds` after its power-off step ran (the poweroff step started, then the clock on). */
export const afterPowerOff = (seconds: number, name = 'statefulset-node-poweroff'): DashboardSession => {
  const session = testSession(name);
  if (!runUntil(session, () => session.run.nextStep()?.id === 'delete-node')) throw new Error('the power-off step never ran');
  session.run.env.cluster.sim.clock.runFor(seconds * 1000);
  return session;
};

/**
 * The moment the README's screenshot shows: the seed power-off, the lost node deleted by
 * hand 6 virtual minutes after the power-off (the pod is Unknown by then), and the clock
 * run on until the storage view names the Multi-Attach error.
 */
export const multiAttachMoment = (): DashboardSession => {
  const session = afterPowerOff(360);
  const node = session.run.env.cluster.sim.api.client('e2e').get('Pod', 'cassandra-0', 'cassandra');
  if (E.isLeft(node) || !node.right.spec?.nodeName) throw new Error('cassandra-0 has no node');
  if (E.isLeft(session.command(`kubectl delete node ${node.right.spec.nodeName}`))) throw new Error('kubectl delete node was refused');
  if (!runUntil(session, () => sampleStorage(session.run).some((c) => c.problem?.kind === 'multi-attach'), 120_000)) throw new Error('no Multi-Attach error within 2 minutes');
  return session;
};

/**
 * The force-delete-pod library scenario run by the session's own step facility to its
 * force-delete step (`:step force-delete`), then `seconds` more (`:step 390s`): 6 min
 * after the force delete the attach/detach controller force-detaches the disk from the
 * partitioned, still running VM (DetachedWhileMounted) and the replacement starts on
 * another node (SplitBrain), both within 6m..7m of the force delete.
 */
export const afterForceDelete = (seconds: number): DashboardSession => {
  const session = testSession('force-delete-pod');
  const ran = session.runToStep('force-delete');
  if (E.isLeft(ran)) throw new Error(`force-delete-pod: ${ran.left}`);
  session.advance(seconds * 1000);
  return session;
};
