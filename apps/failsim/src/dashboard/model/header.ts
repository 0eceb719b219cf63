// The header line's data: which scenario under which profile and storage plugin, the
// virtual clock (T+mm:ss from the scenario start and the simulated wall date), the pace,
// the next scripted step with when it is due, how many hazards the run has found, and
// where `--serve` serves it.
import type { PacerState } from '@failsim/core';
import type { LoadedScenario, ScenarioRun } from '@failsim/scenarios';
import { virtualTime } from '../../output/virtual-time.js';

/** What the header shows. */
export interface HeaderData {
  readonly scenario: string;
  readonly profile: string;
  /** The in-tree or CSI plugin serving the volumes, by its upstream name. */
  readonly storage: string;
  /** `T+02:10`. */
  readonly time: string;
  /** The simulated wall time, `2019-06-01 00:02:10 UTC`. */
  readonly date: string;
  /** `10×`, `max`. */
  readonly speed: string;
  /** `running`, `paused`, `stopped`. */
  readonly state: string;
  /** `poweroff: govc vm.power -off … at T+03:10`, `when pod/… is Running`, `no more steps`, or `free run` . */
  readonly next: string;
  /** Hazards found so far (model/hazards.ts); 0 when none. */
  readonly hazards?: number;
  /** `--serve`: `http://127.0.0.1:PORT  KUBECONFIG=/tmp/failsim-PORT.kubeconfig`. */
  readonly serving?: string;
}

/** What the header shows besides the run: the session's hazard count and serve address. */
export interface HeaderExtras {
  readonly hazards?: number;
  readonly serving?: { readonly url: string; readonly kubeconfig: string };
}

/** The plugin serving a scenario's volumes: VCP or the vSphere CSI driver. */
export const storagePlugin = (loaded: LoadedScenario, run: ScenarioRun): string => {
  if (loaded.storage === 'csi') return 'csi.vsphere.vmware.com';
  return run.env.cluster.profile.behaviours.csiMigrationvSphere ? 'kubernetes.io/vsphere-volume → CSI (migrated)' : 'kubernetes.io/vsphere-volume (VCP)';
};

/** Samples the header. */
export const sampleHeader = (loaded: LoadedScenario, run: ScenarioRun, pacer: PacerState, free: boolean, extras: HeaderExtras = {}): HeaderData => {
  const clock = run.env.cluster.sim.clock;
  const seconds = (clock.now() - run.startMs) / 1000;
  const step = run.nextStep();
  const next = free
    ? 'free run: no scripted steps'
    : step === undefined
      ? run.stepsDone() ? 'no more steps' : 'not started'
      : `${step.id}: ${step.line}${step.dueAt !== undefined ? ` at ${virtualTime(step.dueAt)}` : step.condition ? ` when ${step.condition}` : ''}`;
  return {
    scenario: loaded.metadata.name,
    profile: run.env.cluster.profile.name,
    storage: storagePlugin(loaded, run),
    time: virtualTime(seconds),
    date: `${clock.date().toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    speed: pacer.speed === 'max' ? 'max' : `${pacer.speed}×`,
    state: !pacer.running ? 'stopped' : pacer.paused ? 'paused' : 'running',
    next,
    ...(extras.hazards ? { hazards: extras.hazards } : {}),
    ...(extras.serving ? { serving: `${extras.serving.url}  KUBECONFIG=${extras.serving.kubeconfig}` } : {}),
  };
};
