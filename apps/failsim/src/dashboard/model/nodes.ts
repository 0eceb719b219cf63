// The nodes view's rows: `kubectl get nodes -o wide` columns (printNode of
// pkg/printers/internalversion/printers.go · v1.14, through @failsim/controllers'
// nodeStatus/nodeRoles) plus what kubectl cannot show and a failure makes matter: the
// VM's power state in vCenter, how old the node's last heartbeat is, its taints and how
// many pods it runs.
import { nodeRoles, nodeStatus, translateTimestampSince } from '@failsim/controllers';
import type { ScenarioRun } from '@failsim/scenarios';
import type { ObjectOf } from '@failsim/core';
import { shortAge } from './countdown.js';
import { dashboardClient, listOf } from './snapshot.js';

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
type NodeColumns = Pick<NodeRow, 'name' | 'status' | 'roles' | 'version' | 'internalIp' | 'taints'> & { readonly created: string | undefined };
const columnsOf = new WeakMap<ObjectOf<'Node'>, NodeColumns>();
const nodeColumns = (node: ObjectOf<'Node'>): NodeColumns => {
  let c = columnsOf.get(node);
  if (c === undefined) {
    const taints = (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
    c = {
      name: node.metadata?.name ?? '',
      status: nodeStatus(node),
      roles: nodeRoles(node).join(',') || '<none>',
      version: node.status?.nodeInfo?.kubeletVersion ?? '',
      internalIp: (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? '<none>',
      taints: taints.length > 0 ? taints.join(',') : '<none>',
      created: node.metadata?.creationTimestamp,
    };
    columnsOf.set(node, c);
  }
  return c;
};

const timeOf = (t: string | undefined): number => (t ? Date.parse(t) : Number.NaN);

/** Wall ms of the node's newest heartbeat: Ready's lastHeartbeatTime or its Lease's renewTime. */
const lastHeartbeat = (node: ObjectOf<'Node'>, leaseRenew: number): number => {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const beat = timeOf(ready?.lastHeartbeatTime);
  return Number.isFinite(leaseRenew) && !(beat >= leaseRenew) ? leaseRenew : beat;
};

/**
 * Samples the nodes view: one row per Node in the API server, in list order (by name).
 * Cheap: the frame's lists of Nodes, Pods and Leases (model/snapshot.ts), the columns that
 * only change with the Node object cached per object, and a map lookup per VM.
 */
export const sampleNodes = (run: ScenarioRun): NodeRow[] => {
  const clock = run.env.cluster.sim.clock;
  const now = clock.date();
  const nodes = listOf(run, 'Node');
  const podCount = new Map<string, number>();
  for (const pod of listOf(run, 'Pod')) {
    const node = pod.spec?.nodeName;
    if (!node || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    podCount.set(node, (podCount.get(node) ?? 0) + 1);
  }
  const renewOf = new Map<string, number>();
  for (const l of listOf(run, 'Lease', 'kube-node-lease')) renewOf.set(l.metadata?.name ?? '', timeOf(l.spec?.renewTime));
  const ages = new Map<string | undefined, string>();
  return nodes.map((node) => {
    const c = nodeColumns(node);
    const vmName = run.env.vmForNode.get(c.name);
    const vm = vmName === undefined ? undefined : run.env.vcenter.vm(vmName);
    const beat = lastHeartbeat(node, renewOf.get(c.name) ?? Number.NaN);
    // Nodes created together share an age string: format each creation time once.
    let age = ages.get(c.created);
    if (age === undefined) ages.set(c.created, (age = translateTimestampSince(c.created, now)));
    return {
      name: c.name,
      status: c.status,
      roles: c.roles,
      age,
      version: c.version,
      internalIp: c.internalIp,
      vm: vmName ?? '-',
      power: vm?.powerState ?? '-',
      heartbeat: Number.isFinite(beat) ? shortAge(now.getTime() - beat) : '-',
      taints: c.taints,
      pods: podCount.get(c.name) ?? 0,
    };
  });
};
