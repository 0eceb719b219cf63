// The attach/detach controller's desired state of world, as upstream's
// pkg/controller/volume/attachdetach/cache/desired_state_of_world.go (k/k v1.28): the
// nodes the controller manages and, per node, the volumes scheduled pods need there, with
// those pods and the "Multi-Attach error already reported" flag. Storage reference §3.1,
// §3.7, §3.8.
import * as E from 'fp-ts/lib/Either.js';
import type { PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';

/** A volume wanted on a node (VolumeToAttach). */
export interface VolumeToAttach {
  readonly volumeName: string;
  readonly pv: PersistentVolume;
  readonly nodeName: string;
  /** The pods on the node that use it, in key order (ScheduledPods). */
  readonly scheduledPods: readonly Pod[];
  /** A Multi-Attach error was already reported for this (volume, node). */
  readonly multiAttachErrorReported: boolean;
}

/** A pod's use of a volume on a node (PodToAdd). */
export interface PodToAdd {
  readonly podUid: string;
  readonly pod: Pod;
  readonly volumeName: string;
  readonly nodeName: string;
}

interface VolumeEntry {
  pv: PersistentVolume;
  readonly pods: Map<string, Pod>;
  multiAttachErrorReported: boolean;
}

interface NodeEntry {
  keepTerminatedPodVolumes: boolean;
  readonly volumes: Map<string, VolumeEntry>;
  /** The volume names in order, until one is added or removed. */
  sortedVolumes: string[] | undefined;
}

const podKey = (pod: Pod): string => `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;

/**
 * The desired state of world. Pods are keyed by uid (GetUniquePodName). Changes that a
 * reconciler pass must see call the change listener.
 */
export class DesiredStateOfWorld {
  readonly #nodes = new Map<string, NodeEntry>();
  /**
   * The node names in order, until a node is added or removed: every reconciler pass lists
   * every wanted volume in this order, and nodes come and go far less often.
   */
  #sortedNodes: string[] | undefined;
  #onChange: () => void = () => undefined;

  /** Registers the one listener told of every change (the controller's wake-up). */
  onChange(listener: () => void): void {
    this.#onChange = listener;
  }

  /** AddNode: the node is managed (idempotent; refreshes keepTerminatedPodVolumes). */
  addNode(nodeName: string, keepTerminatedPodVolumes: boolean): void {
    const node = this.#nodes.get(nodeName);
    if (node) node.keepTerminatedPodVolumes = keepTerminatedPodVolumes;
    else {
      this.#nodes.set(nodeName, { keepTerminatedPodVolumes, volumes: new Map(), sortedVolumes: undefined });
      this.#sortedNodes = undefined;
    }
  }

  /**
   * DeleteNode: refused (with upstream's message) while volumes are still wanted there;
   * the node then stays managed until its pods are gone.
   */
  deleteNode(nodeName: string): E.Either<string, void> {
    const node = this.#nodes.get(nodeName);
    if (!node) return E.right(undefined);
    if (node.volumes.size > 0) {
      return E.left(
        `failed to delete node "${nodeName}" from list of nodes managed by attach/detach controller--the node still contains ${node.volumes.size} volumes in its list of volumes to attach`,
      );
    }
    this.#nodes.delete(nodeName);
    this.#sortedNodes = undefined;
    return E.right(undefined);
  }

  /** NodeExists: the node is managed. */
  nodeExists(nodeName: string): boolean {
    return this.#nodes.has(nodeName);
  }

  /** GetKeepTerminatedPodVolumesForNode. */
  keepTerminatedPodVolumes(nodeName: string): boolean {
    return this.#nodes.get(nodeName)?.keepTerminatedPodVolumes ?? false;
  }

  /**
   * AddPod: `pod` needs `volumeName` (backed by `pv`) on `nodeName`. Fails when the node is
   * not managed, with upstream's message.
   */
  addPod(pod: Pod, pv: PersistentVolume, volumeName: string, nodeName: string): E.Either<string, void> {
    const node = this.#nodes.get(nodeName);
    if (!node) return E.left(`no node with the name "${nodeName}" exists in the list of managed nodes`);
    const uid = pod.metadata?.uid ?? podKey(pod);
    let volume = node.volumes.get(volumeName);
    let changed = false;
    if (!volume) {
      node.volumes.set(volumeName, (volume = { pv, pods: new Map(), multiAttachErrorReported: false }));
      node.sortedVolumes = undefined;
      changed = true;
    } else volume.pv = pv;
    if (!volume.pods.has(uid)) changed = true;
    volume.pods.set(uid, pod);
    if (changed) this.#onChange();
    return E.right(undefined);
  }

  /** DeletePod: the pod no longer needs the volume there; the volume goes when no pod needs it. */
  deletePod(podUid: string, volumeName: string, nodeName: string): void {
    const node = this.#nodes.get(nodeName);
    const volume = node?.volumes.get(volumeName);
    if (!node || !volume?.pods.delete(podUid)) return;
    if (volume.pods.size === 0) {
      node.volumes.delete(volumeName);
      node.sortedVolumes = undefined;
    }
    this.#onChange();
  }

  /** VolumeExists: the volume is wanted on the node. */
  volumeExists(volumeName: string, nodeName: string): boolean {
    return this.#nodes.get(nodeName)?.volumes.has(volumeName) ?? false;
  }

  /** SetMultiAttachError: remember that the error was reported for (volume, node). */
  setMultiAttachError(volumeName: string, nodeName: string): void {
    const volume = this.#nodes.get(nodeName)?.volumes.get(volumeName);
    if (volume) volume.multiAttachErrorReported = true;
  }

  /**
   * GetVolumesToAttach: every wanted (volume, node), nodes and volumes in name order. The
   * entries for which `skip` (called in that order) returns true are left out: the
   * reconciler's pass has nothing to do for an attachment already made, and building its
   * entry (with a sorted copy of its pods) for every attachment on every pass was most of
   * the pass's garbage.
   */
  getVolumesToAttach(skip?: (volumeName: string, nodeName: string) => boolean): VolumeToAttach[] {
    const out: VolumeToAttach[] = [];
    for (const nodeName of (this.#sortedNodes ??= [...this.#nodes.keys()].sort())) {
      const node = this.#nodes.get(nodeName)!;
      if (node.volumes.size === 0) continue;
      for (const volumeName of (node.sortedVolumes ??= [...node.volumes.keys()].sort())) {
        if (skip?.(volumeName, nodeName)) continue;
        const v = node.volumes.get(volumeName)!;
        out.push({ volumeName, pv: v.pv, nodeName, scheduledPods: sortPods([...v.pods.values()]), multiAttachErrorReported: v.multiAttachErrorReported });
      }
    }
    return out;
  }

  /** The wanted (volume, node), if any. */
  getVolumeToAttach(volumeName: string, nodeName: string): VolumeToAttach | undefined {
    const v = this.#nodes.get(nodeName)?.volumes.get(volumeName);
    if (!v) return undefined;
    return { volumeName, pv: v.pv, nodeName, scheduledPods: sortPods([...v.pods.values()]), multiAttachErrorReported: v.multiAttachErrorReported };
  }

  /** GetPodToAdd: every (pod, volume, node) use. */
  getPodsToAdd(): PodToAdd[] {
    const out: PodToAdd[] = [];
    for (const [nodeName, node] of this.#nodes) {
      for (const [volumeName, v] of node.volumes) for (const [podUid, pod] of v.pods) out.push({ podUid, pod, volumeName, nodeName });
    }
    return out;
  }

  /**
   * GetPodToAdd without the array: calls `visit` for every (pod, volume, node) use, in
   * {@link getPodsToAdd}'s order. `visit` may delete the use it is given (deletePod); a use
   * deleted before it is reached is not visited (getPodsToAdd would have listed it, and
   * deleting it again would have done nothing).
   */
  forEachPodToAdd(visit: (podUid: string, pod: Pod, volumeName: string, nodeName: string) => void): void {
    for (const [nodeName, node] of this.#nodes) {
      for (const [volumeName, v] of node.volumes) for (const [podUid, pod] of v.pods) visit(podUid, pod, volumeName, nodeName);
    }
  }

  /** GetVolumePodsOnNodes: the pods on `nodeNames` that use the volume, in key order. */
  getVolumePodsOnNodes(nodeNames: readonly string[], volumeName: string): Pod[] {
    return sortPods(nodeNames.flatMap((n) => [...(this.#nodes.get(n)?.volumes.get(volumeName)?.pods.values() ?? [])]));
  }
}

/** Pods in namespace/name order: upstream iterates a map; failsim must be deterministic. */
const sortPods = (pods: Pod[]): Pod[] => pods.sort((a, b) => (podKey(a) < podKey(b) ? -1 : podKey(a) > podKey(b) ? 1 : 0));
