// The kubelet's volume manager as the kubelet's pod workers and node status see it
// (pkg/kubelet/volumemanager/volume_manager.go · WaitForAttachAndMount,
// GetVolumesInUse; pkg/kubelet/kubelet_volumes.go · podVolumesExist · v1.14). The
// storage model (attach/detach, mounts, vSphere) plugs in its own implementation; the
// default one here mounts everything at once.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ControllerContext } from '../runtime/context.js';

/** What {@link VolumeManager.waitForAttachAndMount} answers. */
export type MountState = 'ready' | { readonly waitingFor: readonly string[] };

/**
 * The kubelet's view of a node's volumes. The kubelet starts no container of a pod
 * before `waitForAttachAndMount` says ready, tells the manager when a pod's containers
 * are gone, deletes a terminated pod's object only once `podVolumesExist` is false, and
 * reports `volumesInUse()` in node.status.volumesInUse.
 */
export interface VolumeManager {
  /** Whether every volume `pod` needs is attached and mounted; if not, the volumes still missing. */
  waitForAttachAndMount(pod: Pod): MountState;
  /** `pod`'s containers are gone (deleted or terminated pod): its volumes may be unmounted. */
  podRemoved(pod: Pod): void;
  /** Whether `pod` still has volumes mounted on this node. */
  podVolumesExist(pod: Pod): boolean;
  /** Unique names of the attachable volumes in use on this node (node.status.volumesInUse). */
  volumesInUse(): readonly string[];
  /**
   * Optional: calls `listener` when a mount or unmount finished, so the kubelet re-checks
   * waiting pods at once. Without it the kubelet re-checks every 300 ms while a pod waits
   * (upstream's podAttachAndMountRetryInterval) and every 10 s for unmounts.
   */
  onChange?(listener: () => void): () => void;
  /** Optional: a kubelet process started on the node; the manager's loops may run. */
  start?(): void;
  /**
   * Optional: the kubelet process stopped, so the manager's loops and operations stop with
   * it; `poweredOff`: the machine went down too and every mount with it.
   */
  stop?(options: { readonly poweredOff: boolean }): void;
}

/**
 * Builds a node's volume manager from the kubelet's context and node name, for embedders
 * that only know the node (e.g. `createCluster`'s `kubeletFor`).
 */
export type VolumeManagerFactory = (ctx: ControllerContext, nodeName: string) => VolumeManager;

/** The (frozen, shared) answer of a manager with no attachable volume in use. */
const NO_VOLUMES: readonly string[] = Object.freeze([]);

/**
 * The default volume manager: every volume, PVC-backed or not, is mounted the instant a
 * pod asks and unmounted the instant it is removed; no attachable volume is reported in use.
 */
export class ImmediateVolumeManager implements VolumeManager {
  readonly #mounted = new Set<string>();

  waitForAttachAndMount(pod: Pod): MountState {
    if ((pod.spec?.volumes ?? []).length > 0) this.#mounted.add(pod.metadata?.uid ?? '');
    return 'ready';
  }

  podRemoved(pod: Pod): void {
    this.#mounted.delete(pod.metadata?.uid ?? '');
  }

  podVolumesExist(pod: Pod): boolean {
    return this.#mounted.has(pod.metadata?.uid ?? '');
  }

  volumesInUse(): readonly string[] {
    return NO_VOLUMES;
  }
}
