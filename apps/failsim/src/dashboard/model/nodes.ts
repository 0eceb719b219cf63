// The nodes view's rows: `kubectl get nodes -o wide` columns (printNode of
// pkg/printers/internalversion/printers.go · v1.14, through @failsim/controllers'
// nodeStatus/nodeRoles) plus what kubectl cannot show and a failure makes matter: the
// VM's power state in vCenter, how old the node's last heartbeat is, its taints and how
// many pods it runs.
import { nodeRoles, nodeStatus, translateTimestampSince } from '@failsim/controllers';
import type { ScenarioRun } from '@failsim/scenarios';
import type { ObjectOf } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { shortAge } from './countdown.js';

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

/** The client the dashboard reads through (a control-plane client: it always reaches the API). */
export const dashboardClient = (run: ScenarioRun) => run.env.cluster.sim.api.client('failsim-dashboard');

const timeOf = (t: string | undefined): number => (t ? Date.parse(t) : Number.NaN);

/** Wall ms of the node's newest heartbeat: Ready's lastHeartbeatTime or its Lease's renewTime. */
const lastHeartbeat = (node: ObjectOf<'Node'>, leaseRenew: number): number => {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const beat = timeOf(ready?.lastHeartbeatTime);
  return Number.isFinite(leaseRenew) && !(beat >= leaseRenew) ? leaseRenew : beat;
};

/**
 * Samples the nodes view: one row per Node in the API server, in list order (by name).
 * Cheap: one list each of Nodes, Pods and Leases, and a map lookup per VM.
 */
export const sampleNodes = (run: ScenarioRun): NodeRow[] => {
  const client = dashboardClient(run);
  const clock = run.env.cluster.sim.clock;
  const now = clock.date();
  const nodes = client.list('Node');
  if (E.isLeft(nodes)) return [];
  const pods = client.list('Pod');
  const podCount = new Map<string, number>();
  for (const pod of E.isRight(pods) ? pods.right.items : ([] as ObjectOf<'Pod'>[])) {
    const node = pod.spec?.nodeName;
    if (!node || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    podCount.set(node, (podCount.get(node) ?? 0) + 1);
  }
  const leases = client.list('Lease', { namespace: 'kube-node-lease' });
  const renewOf = new Map<string, number>();
  if (E.isRight(leases)) for (const l of leases.right.items) renewOf.set(l.metadata?.name ?? '', timeOf(l.spec?.renewTime));
  return nodes.right.items.map((node) => {
    const name = node.metadata?.name ?? '';
    const vmName = run.env.vmForNode.get(name);
    const vm = vmName === undefined ? undefined : run.env.vcenter.vm(vmName);
    const beat = lastHeartbeat(node, renewOf.get(name) ?? Number.NaN);
    const taints = (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
    return {
      name,
      status: nodeStatus(node),
      roles: nodeRoles(node).join(',') || '<none>',
      age: translateTimestampSince(node.metadata?.creationTimestamp, now),
      version: node.status?.nodeInfo?.kubeletVersion ?? '',
      internalIp: (node.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? '<none>',
      vm: vmName ?? '-',
      power: vm?.powerState ?? '-',
      heartbeat: Number.isFinite(beat) ? shortAge(now.getTime() - beat) : '-',
      taints: taints.length > 0 ? taints.join(',') : '<none>',
      pods: podCount.get(name) ?? 0,
    };
  });
};
