// The kubelet volume manager's actual state: pkg/kubelet/volumemanager/cache/
// actual_state_of_world.go · v1.12 — the attachable volumes verified attached to this node
// (with their device path) and, per pod, the volumes mounted for it.
import type { VolumeToMount } from './desired-state-of-world.js';

/** A volume mounted for a pod. */
export interface MountedVolume extends VolumeToMount {
  /** Virtual ms when the mount finished. */
  readonly mountedAt: number;
}

/**
 * `{ ...volume, mountedAt }` as one literal for the shapes the populator resolves (same
 * members, same order): a copy that gains a member got a hidden class and a property array
 * of its own, kept for the mount's life. Other shapes are copied and extended.
 */
const mountedVolume = (v: VolumeToMount, mountedAt: number): MountedVolume => {
  switch (Object.keys(v).join(',')) {
    case 'podUid,outerName,uniqueName,attachable':
      return { podUid: v.podUid, outerName: v.outerName, uniqueName: v.uniqueName, attachable: v.attachable, mountedAt };
    case 'podUid,outerName,uniqueName,attachable,pv':
      return { podUid: v.podUid, outerName: v.outerName, uniqueName: v.uniqueName, attachable: v.attachable, pv: v.pv!, mountedAt };
    case 'podUid,outerName,uniqueName,attachable,pv,plugin':
      return { podUid: v.podUid, outerName: v.outerName, uniqueName: v.uniqueName, attachable: v.attachable, pv: v.pv!, plugin: v.plugin!, mountedAt };
    default:
      // Object.assign: a spread literal that gains a member leaves V8's fast copy path.
      return Object.assign({}, v, { mountedAt });
  }
};

/** The index of the mount of `outerName` in `mounts`, or -1. */
const indexOf = (mounts: readonly MountedVolume[], outerName: string): number => {
  for (let i = 0; i < mounts.length; i++) if (mounts[i]!.outerName === outerName) return i;
  return -1;
};

/** What is attached to and mounted on the node. */
export class ActualStateOfWorld {
  readonly #attached = new Map<string, string>();
  /**
   * Each pod's mounts, in the order first mounted (a Map's order): a list, since a pod has
   * one or a few, and a Map per pod cost more than the mounts it held.
   */
  readonly #mounts = new Map<string, MountedVolume[]>();
  #attachedGeneration = 0;

  /** Bumped whenever the set of attached volumes changes (volumesInUse is recomputed only then). */
  get attachedGeneration(): number {
    return this.#attachedGeneration;
  }

  /** MarkVolumeAsAttached: verified in node.status.volumesAttached, at `devicePath`. */
  markAttached(uniqueName: string, devicePath: string): void {
    if (!this.#attached.has(uniqueName)) this.#attachedGeneration++;
    this.#attached.set(uniqueName, devicePath);
  }

  /** VolumeExists: the volume is attached (verified) here. */
  isAttached(uniqueName: string): boolean {
    return this.#attached.has(uniqueName);
  }

  /** MarkVolumeAsDetached: the kubelet stops tracking it (the attach/detach controller detaches). */
  markDetached(uniqueName: string): void {
    if (this.#attached.delete(uniqueName)) this.#attachedGeneration++;
  }

  /** Unique names of the attached volumes, sorted. */
  attachedVolumes(): string[] {
    return [...this.#attached.keys()].sort();
  }

  /** MarkVolumeAsMounted for `volume`'s pod at `now`. */
  markMounted(volume: VolumeToMount, now: number): void {
    const mounts = this.#mounts.get(volume.podUid) ?? [];
    const at = indexOf(mounts, volume.outerName);
    // A mount made again keeps its place, as Map.set keeps a key's; a new one is appended
    // by copying (a push onto a list gives it room for 16 more).
    if (at >= 0) mounts[at] = mountedVolume(volume, now);
    else this.#mounts.set(volume.podUid, [...mounts, mountedVolume(volume, now)]);
  }

  /** MarkVolumeAsUnmounted for pod `uid`'s volume `outerName`. */
  markUnmounted(uid: string, outerName: string): void {
    const mounts = this.#mounts.get(uid);
    if (mounts === undefined) return;
    const at = indexOf(mounts, outerName);
    if (at >= 0) mounts.splice(at, 1);
    if (mounts.length === 0) this.#mounts.delete(uid);
  }

  /** The mount of pod `uid`'s volume `outerName`, if mounted. */
  mounted(uid: string, outerName: string): MountedVolume | undefined {
    const mounts = this.#mounts.get(uid);
    return mounts === undefined ? undefined : mounts[indexOf(mounts, outerName)];
  }

  /** Whether pod `uid` has any volume mounted. */
  podHasMountedVolumes(uid: string): boolean {
    return this.#mounts.has(uid);
  }

  /** Whether any pod has the volume `uniqueName` mounted. */
  isMountedForAnyPod(uniqueName: string): boolean {
    for (const mounts of this.#mounts.values()) for (const m of mounts) if (m.uniqueName === uniqueName) return true;
    return false;
  }

  /** Every mount, in a new list (callers change the state while they walk it; see DesiredStateOfWorld.volumesToMount). */
  mountedVolumes(): MountedVolume[] {
    const out: MountedVolume[] = [];
    this.#mounts.forEach((mounts) => {
      for (let i = 0; i < mounts.length; i++) out.push(mounts[i] as MountedVolume);
    });
    return out;
  }

  /** The machine went down: nothing is mounted, nothing verified. */
  clear(): void {
    if (this.#attached.size > 0) this.#attachedGeneration++;
    this.#attached.clear();
    this.#mounts.clear();
  }
}
