// The kubelet's desired-state populator: pkg/kubelet/volumemanager/populator/
// desired_state_of_world_populator.go · v1.12 (findAndAddNewPods every 100 ms: each pod's
// volumes are resolved — a claim through its PVC to the bound PV, by direct GETs to the API
// server (getPVCExtractPV, getPVSpec) — and added to the desired state; a pod is done once
// every volume resolved, a failure is retried at the next tick) and createVolumeSpec's
// error texts. Pods come from the pod workers (WaitForAttachAndMount) instead of the pod
// manager; removal is the pod workers' podRemoved. Storage reference §4.
import * as E from 'fp-ts/lib/Either.js';
import type { ApiClient, SimClock } from '@failsim/core';
import type { Pod, Volume } from 'kubernetes-types/core/v1.js';
import { findPlugin, type AttachableVolumePlugin } from '../../storage/volume-plugin.js';
import type { DesiredStateOfWorld, VolumeToMount } from './desired-state-of-world.js';
import { IdleLoop } from './idle-loop.js';

/** desiredStateOfWorldPopulatorLoopSleepPeriod. */
export const DESIRED_STATE_OF_WORLD_POPULATOR_LOOP_SLEEP_PERIOD_MS = 100;

/** Construction options of {@link DesiredStateOfWorldPopulator}. */
export interface DesiredStateOfWorldPopulatorOptions {
  readonly clock: SimClock;
  /** The kubelet's client: PVC and PV reads fail while the node cannot reach the API server. */
  readonly client: ApiClient;
  readonly plugins: readonly AttachableVolumePlugin[];
  readonly desired: DesiredStateOfWorld;
  /** Timer owner (kubelet/<node>). */
  readonly owner: string;
  /** Volumes were added to the desired state. */
  readonly onAdded: () => void;
}

const uidOf = (pod: Pod): string => pod.metadata?.uid ?? '';
const nsOf = (pod: Pod): string => pod.metadata?.namespace ?? 'default';

/** The unique name the kubelet gives a volume no plugin attaches (per pod, as GetUniqueVolumeNameFromSpecWithPod). */
const nonAttachableName = (pod: Pod, volume: Volume): string => {
  const type = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
  return `kubernetes.io/${type}/${uidOf(pod)}-${volume.name}`;
};

/**
 * Resolves one pod volume to what should be mounted: a claim through its bound PV (an
 * attachable volume when a plugin serves the PV), anything else a volume the kubelet
 * mounts itself. Left: upstream's error text, retried at the next tick.
 */
export const resolveVolume = (client: ApiClient, plugins: readonly AttachableVolumePlugin[], pod: Pod, volume: Volume): E.Either<string, VolumeToMount> => {
  // One literal per shape, members in the order a spread of { podUid, outerName } then the
  // rest gave: built by spreading, each volume (kept for its pod's life in the desired and
  // actual states) got a hidden class and a property array of its own, ~300 bytes.
  const podUid = uidOf(pod);
  const outerName = volume.name;
  const claimName = volume.persistentVolumeClaim?.claimName;
  if (claimName === undefined) return E.right({ podUid, outerName, uniqueName: nonAttachableName(pod, volume), attachable: false });
  const pvc = client.get('PersistentVolumeClaim', claimName, nsOf(pod));
  if (E.isLeft(pvc)) return E.left(`error processing PVC "${nsOf(pod)}"/"${claimName}": failed to fetch PVC from API server: ${pvc.left.message}`);
  const pvName = pvc.right.spec?.volumeName ?? '';
  const phase = pvc.right.status?.phase ?? '';
  if (phase !== 'Bound' || pvName === '') {
    return E.left(`error processing PVC "${nsOf(pod)}"/"${claimName}": PVC ${nsOf(pod)}/${claimName} has non-bound phase ("${phase}") or empty pvc.Spec.VolumeName ("${pvName}")`);
  }
  const pv = client.get('PersistentVolume', pvName);
  if (E.isLeft(pv)) return E.left(`error processing PVC "${nsOf(pod)}"/"${claimName}": failed to fetch PV "${pvName}" from API server: ${pv.left.message}`);
  const plugin = findPlugin(plugins, pv.right);
  if (!plugin) return E.right({ podUid, outerName, uniqueName: `kubernetes.io/pv/${pvName}`, attachable: false, pv: pv.right });
  return E.right({ podUid, outerName, uniqueName: plugin.uniqueVolumeName(pv.right), attachable: true, pv: pv.right, plugin });
};

/** Fills the desired state with the volumes of the pods the kubelet runs. */
export class DesiredStateOfWorldPopulator {
  readonly #o: DesiredStateOfWorldPopulatorOptions;
  readonly #loop: IdleLoop;
  /*
   * Pods with a volume not yet in the desired state, and the errors of the last attempt per
   * pod. Both are empty almost always (a pod is resolved at the first tick after it came):
   * created on first use and dropped once empty, since an empty Set or Map (~150–190 bytes
   * with its table) per node was most of what an idle populator kept.
   */
  #unprocessed: Set<string> | undefined;
  #errors: Map<string, readonly string[]> | undefined;

  constructor(options: DesiredStateOfWorldPopulatorOptions) {
    this.#o = options;
    this.#loop = new IdleLoop(options.clock, DESIRED_STATE_OF_WORLD_POPULATOR_LOOP_SLEEP_PERIOD_MS, { owner: options.owner, purpose: 'volume manager: desired state populator' }, () =>
      this.#findAndAddNewPods(),
    );
  }

  /** The pod runs here: its volumes are resolved at the next tick (a known pod only gets its object refreshed). */
  addPod(pod: Pod): void {
    const known = this.#o.desired.pod(uidOf(pod)) !== undefined;
    this.#o.desired.addPod(pod);
    if (known) return;
    (this.#unprocessed ??= new Set<string>()).add(uidOf(pod));
    this.#loop.wake();
  }

  /** The pod's containers are gone: its volumes leave the desired state. */
  removePod(uid: string): void {
    this.#forget(uid);
    this.#o.desired.removePod(uid);
  }

  /** The errors of the last attempt to resolve pod `uid`'s volumes (upstream logs them). */
  podErrors(uid: string): readonly string[] {
    return this.#errors?.get(uid) ?? [];
  }

  /** Stops the loop (the kubelet process ended); pods not yet resolved stay queued. */
  stop(): void {
    this.#loop.stop();
  }

  /** Starts the loop again. */
  start(): void {
    this.#loop.start();
    if (this.#unprocessed !== undefined) this.#loop.wake();
  }

  #findAndAddNewPods(): void {
    const { desired, client, plugins } = this.#o;
    let added = false;
    for (const uid of [...(this.#unprocessed ?? [])]) {
      const pod = desired.pod(uid);
      if (!pod) {
        this.#forgetUnprocessed(uid);
        continue;
      }
      const errors: string[] = [];
      for (const volume of pod.spec?.volumes ?? []) {
        if (desired.hasVolume(uid, volume.name)) continue;
        const resolved = resolveVolume(client, plugins, pod, volume);
        if (E.isLeft(resolved)) errors.push(resolved.left);
        else {
          desired.addVolume(resolved.right);
          added = true;
        }
      }
      if (errors.length === 0) this.#forget(uid);
      else (this.#errors ??= new Map<string, readonly string[]>()).set(uid, errors);
    }
    if (this.#unprocessed !== undefined) this.#loop.wake();
    if (added) this.#o.onAdded();
  }

  /** Pod `uid` is resolved or gone: out of the queue and the errors (each dropped once empty). */
  #forget(uid: string): void {
    this.#forgetUnprocessed(uid);
    if (this.#errors?.delete(uid) === true && this.#errors.size === 0) this.#errors = undefined;
  }

  #forgetUnprocessed(uid: string): void {
    if (this.#unprocessed?.delete(uid) === true && this.#unprocessed.size === 0) this.#unprocessed = undefined;
  }
}
