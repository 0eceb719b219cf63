// The nodes view's rows: `kubectl get nodes -o wide` columns (printNode of
// pkg/printers/internalversion/printers.go · v1.14, through @failsim/controllers'
// nodeStatus/nodeRoles) plus what kubectl cannot show and a failure makes matter: the
// VM's power state in vCenter, how old the node's last heartbeat is, its taints and how
// many pods it runs.
import { nodeRoles, nodeStatus } from '@failsim/controllers';
import type { ScenarioRun } from '@failsim/scenarios';
import type { ObjectOf } from '@failsim/core';
import { rememberChangeKeys, type ChangeKey } from './changes.js';
import { agesAt, shortAge, timeOf } from './countdown.js';
import { dashboardClient, deriveFromList, listOf } from './snapshot.js';

/** One row of the nodes view. */
export interface NodeRow {
  readonly name: string;
  /** kubectl's STATUS: `Ready`, `NotReady`, `Ready,SchedulingDisabled`… */
  readonly status: string;
  readonly roles: string;
  readonly age: string;
  readonly version: string;
  readonly internalIp: string;
  /** The VM behind the node and its power state (`vm-w1 poweredOff`), `-` without one. */
  readonly vm: string;
  readonly power: string;
  /** Age of the newest heartbeat (Ready condition or node Lease), `-` without any. */
  readonly heartbeat: string;
  /** `key:Effect` of each taint, comma-separated, `<none>` without. */
  readonly taints: string;
  /** Pods bound to the node that have not finished. */
  readonly pods: number;
}

export { dashboardClient };

/** The columns of a node that only change when the Node object does (stored objects are frozen: a change is a new object). */
interface NodeColumns extends Pick<NodeRow, 'name' | 'status' | 'roles' | 'version' | 'internalIp' | 'taints'> {
  /** Wall ms of metadata.creationTimestamp (NaN without one). */
  readonly created: number;
  /** Wall ms of the Ready condition's lastHeartbeatTime (NaN without one). */
  readonly readyBeat: number;
  /** The last change key built for this object, with the VM, power and pod count it was built for. */
  key?: { readonly vm: string; readonly power: string; readonly pods: number; readonly changeKey: ChangeKey };
}
const columnsOf = new WeakMap<ObjectOf<'Node'>, NodeColumns>();
const nodeColumns = (node: ObjectOf<'Node'>): NodeColumns => {
  let c = columnsOf.get(node);
  if (c === undefined) {
    const taints = (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
    const ready = (node.status?.conditions ?? []).find((cond) => cond.type === 'Ready');
    c = {
      name: node.metadata?.name ?? '',
      status: nodeStatus(node),
      roles: nodeRoles(node).join(',') || '<none>',
      version: node.status?.nodeInfo?.kubeletVersion ?? '',
      internalIp: (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? '<none>',
      taints: taints.length > 0 ? taints.join(',') : '<none>',
      created: timeOf(node.metadata?.creationTimestamp),
      readyBeat: timeOf(ready?.lastHeartbeatTime),
    };
    columnsOf.set(node, c);
  }
  return c;
};

/** The change key of a node's row (model/changes.ts), rebuilt only when what it names changed: the same strings frame after frame. */
const changeKeyOf = (c: NodeColumns, vm: string, power: string, pods: number): ChangeKey => {
  const k = c.key;
  if (k !== undefined && k.vm === vm && k.power === power && k.pods === pods) return k.changeKey;
  const changeKey = [c.name, `${c.status}|${c.roles}|${c.version}|${c.internalIp}|${vm}|${power}|${c.taints}|${pods}`] as const;
  c.key = { vm, power, pods, changeKey };
  return changeKey;
};

/** Wall ms of a Lease's renewTime, parsed once per Lease object. */
const renewOfLease = new WeakMap<ObjectOf<'Lease'>, number>();
const renewTime = (lease: ObjectOf<'Lease'>): number => {
  let t = renewOfLease.get(lease);
  if (t === undefined) renewOfLease.set(lease, (t = timeOf(lease.spec?.renewTime)));
  return t;
};

/** Wall ms of the node's newest heartbeat: Ready's lastHeartbeatTime or its Lease's renewTime. */
const lastHeartbeat = (beat: number, leaseRenew: number): number => (Number.isFinite(leaseRenew) && !(beat >= leaseRenew) ? leaseRenew : beat);

/** Pods bound to each node that have not finished. */
const podsPerNode = (pods: readonly ObjectOf<'Pod'>[]): Map<string, number> => {
  const count = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    count.set(node, (count.get(node) ?? 0) + 1);
  }
  return count;
};

/**
 * Samples the nodes view: one row per Node in the API server, in list order (by name).
 * Cheap: the frame's lists of Nodes, Pods and Leases (model/snapshot.ts), the columns that
 * only change with the Node object cached per object (timestamps parsed once), the pods
 * per node counted again only when a Pod changed, and a map lookup per VM.
 */
export const sampleNodes = (run: ScenarioRun): readonly NodeRow[] => {
  const now = run.env.cluster.sim.clock.date().getTime();
  const nodes = listOf(run, 'Node');
  const podCount = deriveFromList(run, 'pods-per-node', listOf(run, 'Pod'), podsPerNode);
  const renewOf = new Map<string, number>();
  for (const l of listOf(run, 'Lease', 'kube-node-lease')) renewOf.set(l.metadata?.name ?? '', renewTime(l));
  const ageOf = agesAt(now);
  const beatAgeOf = agesAt(now);
  const keys: ChangeKey[] = [];
  const rows = nodes.map((node): NodeRow => {
    const c = nodeColumns(node);
    const vmName = run.env.vmForNode.get(c.name);
    const vm = vmName === undefined ? undefined : run.env.vcenter.vm(vmName);
    const beat = lastHeartbeat(c.readyBeat, renewOf.get(c.name) ?? Number.NaN);
    const power = vm?.powerState ?? '-';
    const pods = podCount.get(c.name) ?? 0;
    keys.push(changeKeyOf(c, vmName ?? '-', power, pods));
    return {
      name: c.name,
      status: c.status,
      roles: c.roles,
      age: ageOf(c.created),
      version: c.version,
      internalIp: c.internalIp,
      vm: vmName ?? '-',
      power,
      // A heartbeat stamped after `now` (rounding) reads 0s, as shortAge has it.
      heartbeat: !Number.isFinite(beat) ? '-' : beat > now ? shortAge(now - beat) : beatAgeOf(beat),
      taints: c.taints,
      pods,
    };
  });
  return rememberChangeKeys(rows, keys);
};
