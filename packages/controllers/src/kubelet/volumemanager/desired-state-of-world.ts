// The kubelet volume manager's desired state: pkg/kubelet/volumemanager/cache/
// desired_state_of_world.go · v1.12 — the pods that should run on this node and, for each,
// the volumes that should be attached and mounted, by the pod's own volume name (the
// "outer volume spec name", e.g. cassandra-data) and the volume's unique name.
import type { PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import type { AttachableVolumePlugin } from '../../storage/volume-plugin.js';
import { keptPod } from '../container-runtime.js';

/** One volume of one pod that should be mounted. */
export interface VolumeToMount {
  readonly podUid: string;
  /** The pod's name for the volume (spec.volumes[].name). */
  readonly outerName: string;
  /** The volume's unique name: `<plugin>/<volume id>` for attachable volumes (what volumesInUse lists). */
  readonly uniqueName: string;
  /** Attachable volumes go through attach verification and the plugin; the others mount at once. */
  readonly attachable: boolean;
  /** The PV behind a claim, for the plugin. */
  readonly pv?: PersistentVolume;
  readonly plugin?: AttachableVolumePlugin;
}

interface PodToMount {
  /**
   * The pod without its status ({@link keptPod}): readers here use its identity, metadata
   * and spec only, and a pod's status is replaced on every status write, so the whole pod
   * would keep a stale status tree (conditions, container statuses) per pod with volumes.
   */
  pod: Pod;
  /**
   * Its volumes by outer name, in the order first added (a Map's order): a list, since a
   * pod has one or a few, and a Map per pod (~180 bytes with its table) cost more than
   * the volumes it held.
   */
  volumes: VolumeToMount[];
}

/** The index of the volume named `outerName` in `volumes`, or -1. */
const indexOf = (volumes: readonly VolumeToMount[], outerName: string): number => {
  for (let i = 0; i < volumes.length; i++) if (volumes[i]!.outerName === outerName) return i;
  return -1;
};

const uidOf = (pod: Pod): string => pod.metadata?.uid ?? '';

/** The pods and volumes the node should have mounted. */
export class DesiredStateOfWorld {
  readonly #pods = new Map<string, PodToMount>();
  #attachableGeneration = 0;

  /**
   * Bumped whenever an attachable volume may have entered or left the desired state, so
   * the volume manager recomputes volumesInUse only then, not on every node status tick.
   */
  get attachableGeneration(): number {
    return this.#attachableGeneration;
  }

  /** Adds `pod` (or refreshes its object), without volumes yet. */
  addPod(pod: Pod): void {
    const known = this.#pods.get(uidOf(pod));
    // Refreshed only when what is kept changed: every sync of a pod with volumes gets here.
    if (known) {
      if (known.pod.metadata !== pod.metadata || known.pod.spec !== pod.spec) known.pod = keptPod(pod);
    } else this.#pods.set(uidOf(pod), { pod: keptPod(pod), volumes: [] });
  }

  /** AddPodToVolume: `volume` should be mounted for its pod (the pod must have been added). */
  addVolume(volume: VolumeToMount): void {
    const known = this.#pods.get(volume.podUid);
    if (!known) return;
    const at = indexOf(known.volumes, volume.outerName);
    const replaced = at < 0 ? undefined : known.volumes[at];
    // A replaced volume keeps its place, as Map.set keeps a key's.
    // Appended by copying: a push onto a list gives it room for 16 more.
    if (at < 0) known.volumes = [...known.volumes, volume];
    else known.volumes[at] = volume;
    if (volume.attachable || replaced?.attachable) this.#attachableGeneration++;
  }

  /** DeletePodFromVolume for every volume of the pod: the pod is gone or terminated. */
  removePod(uid: string): void {
    const known = this.#pods.get(uid);
    if (!known) return;
    this.#pods.delete(uid);
    for (const v of known.volumes) {
      if (!v.attachable) continue;
      this.#attachableGeneration++;
      break;
    }
  }

  /** The latest object of pod `uid` (metadata and spec, without its status), if desired. */
  pod(uid: string): Pod | undefined {
    return this.#pods.get(uid)?.pod;
  }

  /** Whether pod `uid` still wants its volume `outerName`. */
  hasVolume(uid: string, outerName: string): boolean {
    const known = this.#pods.get(uid);
    return known !== undefined && indexOf(known.volumes, outerName) >= 0;
  }

  /** Whether pod `uid`'s volume `outerName` is in the desired state. */
  volume(uid: string, outerName: string): VolumeToMount | undefined {
    const known = this.#pods.get(uid);
    return known === undefined ? undefined : known.volumes[indexOf(known.volumes, outerName)];
  }

  /**
   * GetVolumesToMount: every volume of every pod, in a new list (callers change the state
   * while they walk it). A list rather than a generator: the reconciler asks on every tick,
   * and a generator and an iterator result per volume cost more than the list.
   */
  volumesToMount(): VolumeToMount[] {
    const out: VolumeToMount[] = [];
    this.#pods.forEach((known) => {
      const { volumes } = known;
      for (let i = 0; i < volumes.length; i++) out.push(volumes[i] as VolumeToMount);
    });
    return out;
  }

  /** Whether any pod wants the attachable volume `uniqueName` (without listing the volumes). */
  wantsVolume(uniqueName: string): boolean {
    for (const known of this.#pods.values()) {
      const { volumes } = known;
      for (let i = 0; i < volumes.length; i++) if ((volumes[i] as VolumeToMount).uniqueName === uniqueName) return true;
    }
    return false;
  }
}
