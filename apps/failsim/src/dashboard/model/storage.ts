// The storage view: for each claim, the chain a stuck StatefulSet pod depends on —
// Pod → PVC → PV → VMDK → VM(s) — with both sides of "attached": what Kubernetes
// believes (node.status.volumesAttached, VolumeAttachment.status.attached) and what
// vCenter has (the VMs whose configuration lists the VMDK, the file's lock holder). The
// first broken link is named in words: the Multi-Attach error of the attach/detach
// controller (pkg/controller/volume/attachdetach/reconciler/reconciler.go · v1.12
// reportMultiAttachError), a volume still attached to a lost node waiting for the force
// detach after maxWaitForUnmountDuration (same file, the 6 min timeout), or the VMDK's
// lock held by another VM (storage reference §10).
import { formatMs, vmdkOfPv, type ScenarioRun } from '@failsim/scenarios';
import type { ObjectOf } from '@failsim/core';
import { nodeStatus } from '@failsim/controllers';
import { eventsOf } from './events.js';
import { listOf, memo } from './snapshot.js';

/** Which link of the chain is broken. */
export type StorageProblemKind = 'multi-attach' | 'waiting-for-force-detach' | 'lock-held-elsewhere' | 'unbound';

/** One VM that has the VMDK in its configuration. */
export interface AttachedVm {
  readonly vm: string;
  /** The node the VM backs, `-` for none. */
  readonly node: string;
  readonly power: string;
}

/** The chain of one claim. */
export interface StorageChain {
  /** `namespace/name` of the pod using the claim, `-` for none. */
  readonly pod: string;
  /** The node the pod is bound to, `-` for none. */
  readonly podNode: string;
  /** `namespace/name` of the claim. */
  readonly pvc: string;
  /** The claim's phase: Pending, Bound, Lost. */
  readonly pvcPhase: string;
  /** The bound PV, `-` before binding. */
  readonly pv: string;
  /** The VMDK's datastore path, `-` when unknown. */
  readonly vmdk: string;
  /** vCenter's view: VMs whose configuration lists the VMDK. */
  readonly vms: readonly AttachedVm[];
  /** Kubernetes' view: nodes whose status.volumesAttached (or a VolumeAttachment) says attached. */
  readonly attachedPerKubernetes: readonly string[];
  /** The VM holding the file lock and its host (`vm-w2 on esxi-03`), `-` for none. */
  readonly lock: string;
  /** The first broken link, if any. */
  readonly problem?: { readonly kind: StorageProblemKind; readonly text: string };
}

type Pod = ObjectOf<'Pod'>;

/** Per Pod key, whether its newest FailedAttachVolume event is a Multi-Attach error. */
const multiAttachPods = (events: Iterable<ObjectOf<'Event'>>): Set<string> => {
  const latest = new Map<string, { at: string; multi: boolean }>();
  for (const e of events) {
    if (e.involvedObject.kind !== 'Pod' || e.reason !== 'FailedAttachVolume') continue;
    const key = `${e.involvedObject.namespace ?? ''}/${e.involvedObject.name ?? ''}`;
    const at = e.lastTimestamp ?? '';
    const seen = latest.get(key);
    if (!seen || seen.at <= at) latest.set(key, { at, multi: (e.message ?? '').startsWith('Multi-Attach error') });
  }
  return new Set([...latest].filter(([, v]) => v.multi).map(([k]) => k));
};

/**
 * Samples the storage view: one chain per PersistentVolumeClaim, by namespace then name.
 * Cost: the frame's lists of claims, PVs, pods, nodes and VolumeAttachments, and one scan
 * of the Events per state (model/snapshot.ts); nothing beyond the claims without any.
 */
export const sampleStorage = (run: ScenarioRun): StorageChain[] => {
  const items = <K extends 'PersistentVolumeClaim' | 'PersistentVolume' | 'Node' | 'VolumeAttachment' | 'Pod'>(kind: K): readonly ObjectOf<K>[] => listOf(run, kind);
  const claims = items('PersistentVolumeClaim');
  if (claims.length === 0) return [];
  const pvs = new Map(items('PersistentVolume').map((pv) => [pv.metadata?.name ?? '', pv]));
  const nodes = new Map(items('Node').map((n) => [n.metadata?.name ?? '', n]));
  const attachments = items('VolumeAttachment');
  // Events are the longest list: scanned once per state, not once per frame.
  const multiAttach = memo(run, 'multi-attach-pods', () => multiAttachPods(eventsOf(run, 'FailedAttachVolume')));
  const podOfClaim = new Map<string, Pod>();
  for (const pod of items('Pod')) {
    for (const v of pod.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      // A terminating pod and its replacement share the claim: the newest one is the one that matters.
      if (claim) podOfClaim.set(`${pod.metadata?.namespace ?? ''}/${claim}`, pod);
    }
  }
  const nodeOfVm = new Map([...run.env.vmForNode].map(([node, vm]) => [vm, node]));
  const options = run.env.cluster.profile.options;
  const vcenter = run.env.vcenter;

  return claims.map((claim): StorageChain => {
    const ns = claim.metadata?.namespace ?? '';
    const key = `${ns}/${claim.metadata?.name ?? ''}`;
    const pod = podOfClaim.get(key);
    const podKey = pod ? `${ns}/${pod.metadata?.name ?? ''}` : '-';
    const podNode = pod?.spec?.nodeName || '-';
    const pvName = claim.spec?.volumeName || '';
    const pv = pvs.get(pvName);
    const vmdk = pv ? vmdkOfPv(run.env, pv) : undefined;
    const rawPath = pv?.spec?.vsphereVolume?.volumePath;
    const handle = pv?.spec?.csi?.volumeHandle;
    const vms: AttachedVm[] = vmdk
      ? vcenter.vmsWithDisk(vmdk).map((vm) => ({ vm: vm.name, node: nodeOfVm.get(vm.name) ?? '-', power: vm.powerState }))
      : [];
    const attached = new Set<string>();
    for (const [name, node] of nodes) {
      for (const va of node.status?.volumesAttached ?? []) {
        if ((rawPath && va.name.endsWith(rawPath)) || (handle && va.name.endsWith(handle))) attached.add(name);
      }
    }
    for (const va of attachments) if (pvName && va.spec?.source.persistentVolumeName === pvName && va.status?.attached) attached.add(va.spec.nodeName);
    const holder = vmdk ? vcenter.lockHolder(vmdk) : undefined;
    const base = {
      pod: podKey, podNode, pvc: key, pvcPhase: claim.status?.phase ?? 'Pending', pv: pvName || '-', vmdk: vmdk ?? '-', vms,
      attachedPerKubernetes: [...attached].sort(), lock: holder ? `${holder.vm} on ${holder.host}` : '-',
    };
    const problem = ((): StorageChain['problem'] => {
      if (!pv) return { kind: 'unbound', text: `claim ${claim.status?.phase ?? 'Pending'}: no volume bound yet` };
      // Elsewhere: per Kubernetes (a deleted node takes its volumesAttached with it) or per vCenter.
      const stale = [...new Set([...attached, ...vms.map((v) => v.node)])].filter((n) => n !== podNode && n !== '-').sort();
      if (pod && multiAttach.has(podKey) && !podRunning(pod)) {
        return { kind: 'multi-attach', text: `Multi-Attach: ${pvName} is still attached to ${stale.join(',') || 'another node'}` };
      }
      // Attached to a node other than the pod's, and that node lost or gone: the old attachment must go first.
      if (pod && stale.length > 0) {
        const lost = stale.filter((n) => !nodes.has(n) || nodeStatus(nodes.get(n)!).startsWith('NotReady'));
        if (lost.length > 0) {
          const force = options.disableForceDetachOnTimeout ? 'no force detach in this profile' : `force detach after ${formatMs(options.maxWaitForUnmountDuration)} of waiting for unmount`;
          return { kind: 'waiting-for-force-detach', text: `waiting for detach from ${lost.join(',')}: ${force}` };
        }
      }
      const podVm = podNode !== '-' ? run.env.vmForNode.get(podNode) : undefined;
      if (holder && podVm !== undefined && holder.vm !== podVm) return { kind: 'lock-held-elsewhere', text: `lock held elsewhere: ${holder.vm} on ${holder.host}` };
      return undefined;
    })();
    return problem ? { ...base, problem } : base;
  });
};

/** True when the pod runs (then an old Multi-Attach event is history, not the current state). */
const podRunning = (pod: Pod): boolean => pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp;
