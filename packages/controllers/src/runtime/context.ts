// What every controller and kubelet is built with: the simulation (clock, randomness, API
// server, reachability, trace), the version profile, and the simulated durations of
// things Kubernetes does not govern (image pulls, container starts, VM boots).
import type { Simulation } from '@failsim/core';
import type { VersionProfile } from '../profiles/profile.js';
import type { SharedInformerFactory } from './shared-informers.js';

/**
 * Durations of the outside world, in virtual ms. Not upstream flags: they stand for the
 * registry, the container runtime and the hardware.
 */
export interface Timings {
  /** Pulling an image not yet on the node. */
  readonly imagePull: number;
  /** Creating a container (after its image is present). */
  readonly containerCreate: number;
  /** From "created" to "started". */
  readonly containerStart: number;
  /** From a VM's power-on to its kubelet running. */
  readonly boot: number;
}

/** Defaults of {@link Timings}. */
export const defaultTimings: Timings = {
  imagePull: 4_000,
  containerCreate: 300,
  containerStart: 200,
  boot: 45_000,
};

/** The context of every component. */
export interface ControllerContext {
  readonly sim: Simulation;
  readonly profile: VersionProfile;
  readonly timings: Timings;
  /**
   * The kube-controller-manager's informers, shared by its controllers. Optional: when
   * omitted, {@link sharedInformerFactory} keeps one per simulation (and location).
   */
  readonly informers?: SharedInformerFactory;
}

/** A component that runs in a simulation: a controller or a kubelet. */
export interface Component {
  /** Its name, as its events' source component (node-controller, kubelet…). */
  readonly name: string;
  /** Starts watching and reconciling. */
  start(): void;
  /** Stops every watch and timer it holds. */
  stop(): void;
}
