// The contract between Kubernetes' volume machinery and a storage system, as upstream's
// AttachableVolumePlugin (k8s.io/kubernetes pkg/volume/plugins.go: Attacher, Detacher,
// DeviceMounter): the attach/detach controller attaches and detaches through it, the
// kubelet's volume manager mounts through it, and @failsim/vsphere implements it for the
// in-tree vSphere Cloud Provider and the vSphere CSI driver. Operations take virtual time,
// so they are Observables on the simulation scheduler; an error is the plugin's message,
// which ends up verbatim in events ("AttachVolume.Attach failed for volume … : <message>").
import type { Observable } from 'rxjs';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';

/** An attachable volume plugin. */
export interface AttachableVolumePlugin {
  /** The plugin name: `kubernetes.io/vsphere-volume`, `csi.vsphere.vmware.com`. */
  readonly name: string;
  /** Whether attach/detach goes through VolumeAttachment objects (CSI) rather than direct calls. */
  readonly usesVolumeAttachments: boolean;
  /** Whether this plugin serves the volume. */
  canSupport(pv: PersistentVolume): boolean;
  /** The volume's unique name (GetUniqueVolumeName): `<plugin name>/<volume id>`. */
  uniqueVolumeName(pv: PersistentVolume): string;
  /** Attaches the volume to the node's machine: emits the device path once, then completes; errors with the plugin's message. */
  attach(pv: PersistentVolume, nodeName: string): Observable<string>;
  /** Detaches the volume from the node's machine; completes, or errors with the plugin's message. */
  detach(pv: PersistentVolume, nodeName: string): Observable<void>;
  /** For the periodic verify (60 s): which of these volumes the storage system says are attached to the node, keyed by PersistentVolume name. */
  volumesAreAttached(pvs: readonly PersistentVolume[], nodeName: string): ReadonlyMap<string, boolean>;
  /** Kubelet side: mounts the attached device for a pod (WaitForAttach + MountDevice + SetUp); errors with the plugin's message. */
  mount(pv: PersistentVolume, nodeName: string, podUid: string): Observable<void>;
  /** Kubelet side: unmounts the volume for a pod. */
  unmount(pv: PersistentVolume, nodeName: string, podUid: string): Observable<void>;
}

/** Finds the plugin for a volume, as the volume plugin manager does. */
export const findPlugin = (plugins: readonly AttachableVolumePlugin[], pv: PersistentVolume): AttachableVolumePlugin | undefined =>
  plugins.find((p) => p.canSupport(pv));
