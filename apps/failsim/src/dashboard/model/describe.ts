// Describe for the selected object: a Pod through @failsim/controllers' describePod (kubectl
// describe pod, pkg/kubectl/describe/versioned/describe.go · v1.14, with its Events), a Node
// in describe's layout for the parts a failure changes (Roles, Taints, Unschedulable,
// Conditions, Addresses, then its Events; DescribeNode of the same file), and a claim as
// its storage chain. Only run when the describe view is open: it is the one deep read.
import { describePod, nodeRoles, sortEvents, translateTimestampSince } from '@failsim/controllers';
import type { ObjectOf } from '@failsim/core';
import { formatTaint, type ScenarioRun } from '@failsim/scenarios';
import * as E from 'fp-ts/lib/Either.js';
import { dashboardClient } from './nodes.js';
import { sampleStorage } from './storage.js';

/** What the describe view shows: a kind and a name (namespaced kinds with `namespace/`). */
export interface DescribeTarget {
  readonly kind: 'Node' | 'Pod' | 'PersistentVolumeClaim';
  readonly name: string;
  readonly namespace?: string;
}

const eventsOf = (events: readonly ObjectOf<'Event'>[], kind: string, name: string, namespace?: string): ObjectOf<'Event'>[] =>
  events.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name && (namespace === undefined || e.involvedObject.namespace === namespace));

/** The `Events:` table of describe, oldest first, as kubectl prints it. */
const eventTable = (events: readonly ObjectOf<'Event'>[], now: Date): string[] => {
  if (events.length === 0) return ['Events:  <none>'];
  const rows = sortEvents(events).map((e) => [e.type ?? '', e.reason ?? '', translateTimestampSince(e.lastTimestamp ?? undefined, now), [e.source?.component, e.source?.host].filter(Boolean).join(', '), (e.message ?? '').trim()]);
  const header = ['Type', 'Reason', 'Age', 'From', 'Message'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return ['Events:', line(header), line(header.map((h) => '-'.repeat(h.length))), ...rows.map(line)];
};

const describeNode = (run: ScenarioRun, node: ObjectOf<'Node'>, events: readonly ObjectOf<'Event'>[], now: Date): string[] => {
  const name = node.metadata?.name ?? '';
  const taints = node.spec?.taints ?? [];
  const vm = run.env.vmForNode.get(name);
  const lines = [
    `Name:               ${name}`,
    `Roles:              ${nodeRoles(node).join(',') || '<none>'}`,
    `CreationTimestamp:  ${node.metadata?.creationTimestamp ?? ''}`,
    `Taints:             ${taints.length === 0 ? '<none>' : taints.map(formatTaint).join('\n                    ')}`,
    `Unschedulable:      ${node.spec?.unschedulable ? 'true' : 'false'}`,
    `VM:                 ${vm ?? '<none>'} (${vm ? (run.env.vcenter.vm(vm)?.powerState ?? 'not in vCenter') : '-'})`,
    'Conditions:',
    '  Type    Status  LastHeartbeatTime     LastTransitionTime    Reason  Message',
    ...(node.status?.conditions ?? []).map((c) => `  ${c.type.padEnd(7)} ${c.status.padEnd(7)} ${String(c.lastHeartbeatTime ?? '').padEnd(21)} ${String(c.lastTransitionTime ?? '').padEnd(21)} ${c.reason ?? ''}  ${c.message ?? ''}`),
    'Addresses:',
    ...(node.status?.addresses ?? []).map((a) => `  ${a.type}:  ${a.address}`),
    `Attached volumes:   ${(node.status?.volumesAttached ?? []).map((v) => v.name).join(', ') || '<none>'}`,
  ];
  return [...lines, ...eventTable(eventsOf(events, 'Node', name), now)];
};

/**
 * The describe text of `target` now, one string per line; a single line saying so when
 * the object does not exist (any more).
 */
export const describeTarget = (run: ScenarioRun, target: DescribeTarget): string[] => {
  const client = dashboardClient(run);
  const now = run.env.cluster.sim.clock.date();
  const all = client.list('Event');
  const events = E.isRight(all) ? all.right.items : [];
  const gone = [`Error from server (NotFound): ${target.kind === 'PersistentVolumeClaim' ? 'persistentvolumeclaims' : `${target.kind.toLowerCase()}s`} "${target.name}" not found`];
  switch (target.kind) {
    case 'Pod': {
      const pod = client.get('Pod', target.name, target.namespace);
      return E.isLeft(pod) ? gone : describePod(pod.right, eventsOf(events, 'Pod', target.name, target.namespace), { now });
    }
    case 'Node': {
      const node = client.get('Node', target.name);
      return E.isLeft(node) ? gone : describeNode(run, node.right, events, now);
    }
    case 'PersistentVolumeClaim': {
      const chain = sampleStorage(run).find((c) => c.pvc === `${target.namespace ?? 'default'}/${target.name}`);
      if (!chain) return gone;
      return [
        `Name:          ${target.name}`,
        `Namespace:     ${target.namespace ?? 'default'}`,
        `Status:        ${chain.pvcPhase}`,
        `Volume:        ${chain.pv}`,
        `Used By:       ${chain.pod}`,
        `VMDK:          ${chain.vmdk}`,
        `In VMs:        ${chain.vms.map((v) => `${v.vm} (${v.node}, ${v.power})`).join(', ') || '<none>'}`,
        `Attached per Kubernetes: ${chain.attachedPerKubernetes.join(', ') || '<none>'}`,
        `Lock:          ${chain.lock}`,
        `Problem:       ${chain.problem?.text ?? '<none>'}`,
        ...eventTable(eventsOf(events, 'PersistentVolumeClaim', target.name, target.namespace), now),
      ];
    }
  }
};
