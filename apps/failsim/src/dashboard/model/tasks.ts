// The vSphere and BOSH task views: vCenter's Recent Tasks (TaskManager.recent() of
// @failsim/vsphere, as the vSphere client lists them) and the BOSH director's tasks
// (`bosh tasks --recent`: id, state, description, as cloudfoundry/bosh-cli
// cmd/tasks.go · v6 prints them), newest first.
import type { ScenarioRun } from '@failsim/scenarios';
import { virtualTime } from '../../output/virtual-time.js';

/** One vCenter task. */
export interface VsphereTaskRow {
  readonly id: string;
  readonly name: string;
  readonly target: string;
  /** Running, Completed or Failed. */
  readonly status: string;
  /** The fault's message of a Failed task, else empty. */
  readonly error: string;
  readonly initiator: string;
  /** T+… of its start and end (`-` while running). */
  readonly started: string;
  readonly completed: string;
}

/** One BOSH director task. */
export interface BoshTaskRow {
  readonly id: number;
  /** queued, processing, done, error. */
  readonly state: string;
  readonly description: string;
  readonly deployment: string;
  readonly started: string;
  readonly finished: string;
  readonly result: string;
}

/** Samples vCenter's Recent Tasks, newest first, at most `limit`. */
export const sampleVsphereTasks = (run: ScenarioRun, limit = 200): VsphereTaskRow[] => {
  const t0 = run.startMs;
  const tasks = run.env.vcenter.tasks.recent(limit);
  const out: VsphereTaskRow[] = [];
  for (let i = tasks.length - 1; i >= 0 && out.length < limit; i--) {
    const t = tasks[i]!;
    out.push({
      id: t.id, name: t.name, target: t.target, status: t.status, error: t.status === 'Failed' ? (t.error ?? '') : '', initiator: t.initiator,
      started: virtualTime((t.startedAt - t0) / 1000), completed: t.completedAt === undefined ? '-' : virtualTime((t.completedAt - t0) / 1000),
    });
  }
  return out;
};

/** Samples the director's tasks, newest first, at most `limit`. */
export const sampleBoshTasks = (run: ScenarioRun, limit = 200): BoshTaskRow[] => {
  // The director stamps tasks in virtual ms too (its clock is the simulation's).
  const t0 = run.startMs;
  return run.env.director
    .tasks()
    .slice()
    .sort((a, b) => b.id - a.id)
    .slice(0, limit)
    .map((t) => ({
      id: t.id, state: t.state, description: t.description, deployment: t.deployment,
      started: virtualTime((t.startedAt - t0) / 1000), finished: t.finishedAt === undefined ? '-' : virtualTime((t.finishedAt - t0) / 1000), result: t.result ?? '',
    }));
};
