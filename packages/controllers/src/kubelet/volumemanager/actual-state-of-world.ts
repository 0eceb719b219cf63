// The kubelet volume manager's actual state: pkg/kubelet/volumemanager/cache/
// actual_state_of_world.go · v1.12 — the attachable volumes verified attached to this node
// (with their device path) and, per pod, the volumes mounted for it.
import type { VolumeToMount } from './desired-state-of-world.js';

/** A volume mounted for a pod. */
export interface MountedVolume extends VolumeToMount {
  /** Virtual ms when the mount finished. */
  readonly mountedAt: number;
}

/** What is attached to and mounted on the node. */
export class ActualStateOfWorld {
  readonly #attached = new Map<string, string>();
  readonly #mounts = new Map<string, Map<string, MountedVolume>>();
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
    let mounts = this.#mounts.get(volume.podUid);
    if (!mounts) this.#mounts.set(volume.podUid, (mounts = new Map<string, MountedVolume>()));
    // Object.assign: a spread literal that gains a member leaves V8's fast copy path.
    mounts.set(volume.outerName, Object.assign({}, volume, { mountedAt: now }));
  }

  /** MarkVolumeAsUnmounted for pod `uid`'s volume `outerName`. */
  markUnmounted(uid: string, outerName: string): void {
    const mounts = this.#mounts.get(uid);
    mounts?.delete(outerName);
    if (mounts?.size === 0) this.#mounts.delete(uid);
  }

  /** The mount of pod `uid`'s volume `outerName`, if mounted. */
  mounted(uid: string, outerName: string): MountedVolume | undefined {
    return this.#mounts.get(uid)?.get(outerName);
  }

  /** Whether pod `uid` has any volume mounted. */
  podHasMountedVolumes(uid: string): boolean {
    return this.#mounts.has(uid);
  }

  /** Whether any pod has the volume `uniqueName` mounted. */
  isMountedForAnyPod(uniqueName: string): boolean {
    for (const mounts of this.#mounts.values()) for (const m of mounts.values()) if (m.uniqueName === uniqueName) return true;
    return false;
  }

  /** Every mount. */
  *mountedVolumes(): IterableIterator<MountedVolume> {
    for (const mounts of this.#mounts.values()) yield* mounts.values();
  }

  /** The machine went down: nothing is mounted, nothing verified. */
  clear(): void {
    if (this.#attached.size > 0) this.#attachedGeneration++;
    this.#attached.clear();
    this.#mounts.clear();
  }
}
