// The attach/detach controller's desired-state populator, as upstream's
// pkg/controller/volume/attachdetach/populator/desired_state_of_world_populator.go (k/k
// v1.28): a loop every minute removes pods the informer no longer has (or whose volumes
// are no longer wanted), and every 3 minutes re-adds every active pod. The pod event
// handlers do the same work at once; the loop repairs what they missed (e.g. a pod
// scheduled to a node before the node was managed). Storage reference §2, §3.2.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Informer, SimClock } from '@failsim/core';
import { every, type Periodic } from '../runtime/periodic.js';
import { isPodTerminated } from '../volume/volume-util.js';
import type { DesiredStateOfWorld } from './desired-state-of-world.js';

/** DesiredStateOfWorldPopulatorLoopSleepPeriod. */
export const POPULATOR_LOOP_SLEEP_PERIOD = 60_000;
/** DesiredStateOfWorldPopulatorListPodsRetryDuration. */
export const POPULATOR_LIST_PODS_RETRY_DURATION = 180_000;

/**
 * DetermineVolumeAction: whether the pod's volumes are wanted on its node. A terminated pod
 * (Failed/Succeeded, or deleted with no container running) keeps them only when its node
 * asks to keep terminated pods' volumes.
 */
export const determineVolumeAction = (pod: Pod, dsw: DesiredStateOfWorld): boolean => {
  if ((pod.spec?.volumes ?? []).length === 0) return false;
  if (isPodTerminated(pod)) return dsw.keepTerminatedPodVolumes(pod.spec?.nodeName ?? '');
  return true;
};

/** The populator. */
export class DesiredStateOfWorldPopulator {
  readonly #clock: SimClock;
  readonly #dsw: DesiredStateOfWorld;
  readonly #pods: Informer<'Pod'>;
  readonly #processPod: (pod: Pod) => void;
  readonly #owner: string;
  readonly #candidates: () => Iterable<Pod>;
  readonly #sweepNeeded: () => boolean;
  #loop: Periodic | undefined;
  #timeOfLastListPods: number | undefined;

  /**
   * `hints` let a caller that knows more than the informer spare the loop work whose outcome
   * is known: `candidates` are the pods the 3-minute re-list offers to `processPod` (by
   * default every pod of the informer; the attach/detach controller passes its pods with
   * PersistentVolumeClaims, current objects from the same informer, the only ones its
   * `processPod` can act on); `sweepNeeded` says whether anything the minute's removal sweep
   * reads (the informer's pods, the desired state's pods and nodes) changed since the
   * sweep last ran, and forgets it: when nothing did, every entry the last sweep kept would
   * be kept again.
   */
  constructor(
    clock: SimClock,
    dsw: DesiredStateOfWorld,
    pods: Informer<'Pod'>,
    processPod: (pod: Pod) => void,
    owner: string,
    hints: { readonly candidates?: () => Iterable<Pod>; readonly sweepNeeded?: () => boolean } = {},
  ) {
    this.#clock = clock;
    this.#dsw = dsw;
    this.#pods = pods;
    this.#processPod = processPod;
    this.#owner = owner;
    this.#candidates = hints.candidates ?? (() => pods.list());
    this.#sweepNeeded = hints.sweepNeeded ?? (() => true);
  }

  /** Starts the loop (first run at once). */
  start(): void {
    this.#loop = every(this.#clock, POPULATOR_LOOP_SLEEP_PERIOD, { owner: this.#owner, purpose: 'desired state of world populator' }, () => this.populate());
  }

  /** Stops the loop. */
  stop(): void {
    this.#loop?.stop();
  }

  /** One run of the loop (populatorLoopFunc). */
  populate(): void {
    if (this.#sweepNeeded()) this.findAndRemoveDeletedPods();
    const now = this.#clock.now();
    if (this.#timeOfLastListPods !== undefined && now - this.#timeOfLastListPods < POPULATOR_LIST_PODS_RETRY_DURATION) return;
    this.findAndAddActivePods();
    this.#timeOfLastListPods = now;
  }

  /** Removes pods the informer lacks, whose uid changed, or whose volumes are no longer wanted. */
  findAndRemoveDeletedPods(): void {
    // Every minute over every pod volume of the cluster: walked in place, without a
    // PodToAdd per entry (deleting the entry being visited is safe for the walk).
    this.#dsw.forEachPodToAdd((podUid, pod, volumeName, nodeName) => {
      const meta = pod.metadata;
      const current = this.#pods.get(meta?.name ?? '', meta?.namespace ?? 'default');
      if (current && current.metadata?.uid === podUid && determineVolumeAction(current, this.#dsw)) return;
      this.#dsw.deletePod(podUid, volumeName, nodeName);
    });
  }

  /** Re-adds every scheduled pod whose volumes are wanted. */
  findAndAddActivePods(): void {
    for (const pod of this.#candidates()) {
      if (pod.spec?.nodeName && determineVolumeAction(pod, this.#dsw)) this.#processPod(pod);
    }
  }
}
