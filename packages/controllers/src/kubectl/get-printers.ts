// `kubectl get pods|nodes|events` tables, as the server-side printers of kubernetes v1.14
// build them (k8s.io/kubernetes pkg/printers/internalversion/printers.go: printPod,
// printNode, printEvent, findNodeRoles, getNodeInternalIP/ExternalIP) and kubectl lays
// them out (pkg/printers/tabwriter.go: minwidth 6, padding 3; headers upper-cased).
// Era differences kept: the wide pod columns NOMINATED NODE (1.11+) and READINESS GATES
// (1.13+), and the event layouts before 1.14 (KIND instead of OBJECT, and the ten-column
// layout of 1.11 and older); these versions come from the changelogs, not a stored file.
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from './duration-printer.js';
import { GET_TAB_WRITER, podColumns, tabwrite } from './printers.js';

/** kubectl minor version, e.g. `'1.14'`; the printers default to {@link DEFAULT_KUBECTL_VERSION}. */
export type KubectlVersion = `1.${number}`;

/** The kubectl of the seed article's cluster era (PKS with Kubernetes 1.12–1.14). */
export const DEFAULT_KUBECTL_VERSION: KubectlVersion = '1.14';

const minor = (version: KubectlVersion | undefined): number => Number((version ?? DEFAULT_KUBECTL_VERSION).split('.')[1]);

/** Options of `kubectl get pods`. */
export interface GetPodsOptions {
  /** Wall-clock "now" (the SimClock's `date()`), against which AGE is measured. */
  readonly now: Date;
  /** `-o wide`. */
  readonly wide?: boolean;
  /** `--all-namespaces`: adds the NAMESPACE column first. */
  readonly allNamespaces?: boolean;
  /** Which kubectl prints the table (wide columns differ by era). */
  readonly kubectlVersion?: KubectlVersion;
}

const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] =>
  tabwrite([header, ...rows].map((cells) => `${cells.join('\t')}\n`).join(''), GET_TAB_WRITER);

const readinessGates = (pod: Pod): string => {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const trueOnes = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueOnes}/${gates.length}`;
};

/**
 * `kubectl get pods [-o wide] [--all-namespaces]`: NAME READY STATUS RESTARTS AGE, plus
 * IP NODE (NOMINATED NODE from 1.11, READINESS GATES from 1.13) when wide. Rows keep the
 * given order (the API server lists by namespace, then name). With no pods kubectl prints
 * `No resources found.` on stderr; this returns no lines.
 */
export const getPods = (pods: readonly Pod[], options: GetPodsOptions): string[] => {
  if (pods.length === 0) return [];
  const v = minor(options.kubectlVersion);
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  if (options.wide) header.push('IP', 'NODE', ...(v >= 11 ? ['NOMINATED NODE'] : []), ...(v >= 13 ? ['READINESS GATES'] : []));
  if (options.allNamespaces) header.unshift('NAMESPACE');
  const rows = pods.map((pod) => {
    const { ready, status, restarts } = podColumns(pod);
    const row: (string | number)[] = [pod.metadata?.name ?? '', ready, status, restarts, translateTimestampSince(pod.metadata?.creationTimestamp, options.now)];
    if (options.wide) {
      row.push(pod.status?.podIP || '<none>', pod.spec?.nodeName || '<none>');
      if (v >= 11) row.push(pod.status?.nominatedNodeName || '<none>');
      if (v >= 13) row.push(readinessGates(pod));
    }
    if (options.allNamespaces) row.unshift(pod.metadata?.namespace ?? '');
    return row;
  });
  return table(header, rows);
};

/** Options of `kubectl get nodes`. */
export interface GetNodesOptions {
  /** Wall-clock "now", against which AGE is measured. */
  readonly now: Date;
  /** `-o wide`. */
  readonly wide?: boolean;
}

/** printNode's STATUS: the Ready condition (`Ready`, or `NotReady` for False *and* Unknown), `Unknown` without one, then `,SchedulingDisabled` when cordoned. */
export const nodeStatus = (node: Node): string => {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
};

const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

/** findNodeRoles: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role=<role>` values, sorted. */
export const nodeRoles = (node: Node): string[] => {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = key.slice(LABEL_NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === NODE_LABEL_ROLE && value) roles.add(value);
  }
  return [...roles].sort();
};

const address = (node: Node, type: string): string => (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';

/**
 * `kubectl get nodes [-o wide]`: NAME STATUS ROLES AGE VERSION, plus INTERNAL-IP
 * EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME when wide.
 */
export const getNodes = (nodes: readonly Node[], options: GetNodesOptions): string[] => {
  if (nodes.length === 0) return [];
  const header = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
  if (options.wide) header.push('INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME');
  const rows = nodes.map((node) => {
    const info = node.status?.nodeInfo;
    const row = [node.metadata?.name ?? '', nodeStatus(node), nodeRoles(node).join(',') || '<none>', translateTimestampSince(node.metadata?.creationTimestamp, options.now), info?.kubeletVersion ?? ''];
    if (options.wide) {
      row.push(address(node, 'InternalIP'), address(node, 'ExternalIP'), info?.osImage || '<unknown>', info?.kernelVersion || '<unknown>', info?.containerRuntimeVersion || '<unknown>');
    }
    return row;
  });
  return table(header, rows);
};

/** Options of `kubectl get events`. */
export interface GetEventsOptions {
  /** Wall-clock "now", against which LAST SEEN (and FIRST SEEN) are measured. */
  readonly now: Date;
  /** `-o wide`. */
  readonly wide?: boolean;
  /** `--all-namespaces`: adds the NAMESPACE column first. */
  readonly allNamespaces?: boolean;
  /** 1.14+ prints OBJECT (`pod/web-0`), 1.12–1.13 KIND (`Pod`), 1.11 and older the ten-column layout. */
  readonly kubectlVersion?: KubectlVersion;
}

/** formatEventSource: `component, host`, without the host when empty. */
export const formatEventSource = (event: Event): string => [event.source?.component ?? '', ...(event.source?.host ? [event.source.host] : [])].join(', ');

/** An event's last occurrence: lastTimestamp, else (events.k8s.io-style events) series.lastObservedTime or eventTime. */
const lastSeen = (event: Event): string | undefined => event.lastTimestamp || event.series?.lastObservedTime || event.eventTime || undefined;

/**
 * Events oldest first by last occurrence, as kubectl's SortableEvents orders them (what
 * `--sort-by=.lastTimestamp` and describe show); ties keep the given order. Pure: the
 * input is not modified.
 */
export const sortEvents = (events: readonly Event[]): Event[] =>
  events
    .map((event, i) => ({ event, i, at: Date.parse(lastSeen(event) ?? '') }))
    .sort((a, b) => (Number.isFinite(a.at) ? a.at : -Infinity) - (Number.isFinite(b.at) ? b.at : -Infinity) || a.i - b.i)
    .map(({ event }) => event);

/**
 * `kubectl get events [-o wide]`. 1.14+: LAST SEEN TYPE REASON OBJECT MESSAGE (wide adds
 * SUBOBJECT SOURCE after OBJECT, and FIRST SEEN COUNT NAME after MESSAGE); 1.12–1.13 print
 * KIND instead of OBJECT, as in the seed article; 1.11 and older print LAST SEEN FIRST
 * SEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE MESSAGE. Rows are sorted by
 * {@link sortEvents}; messages are trimmed as kubectl does.
 */
export const getEvents = (events: readonly Event[], options: GetEventsOptions): string[] => {
  if (events.length === 0) return [];
  const v = minor(options.kubectlVersion);
  const since = (t: string | undefined): string => translateTimestampSince(t, options.now);
  let header: string[];
  const rows = sortEvents(events).map((e) => {
    const involved = e.involvedObject;
    const last = since(lastSeen(e));
    const first = since(e.firstTimestamp || e.eventTime || undefined);
    const message = (e.message ?? '').trim();
    const name = e.metadata?.name ?? '';
    let row: (string | number)[];
    if (v <= 11) {
      row = [last, first, e.count ?? 1, name, involved.kind ?? '', involved.fieldPath ?? '', e.type ?? '', e.reason ?? '', formatEventSource(e), message];
    } else {
      const target = v >= 14 ? (involved.name ? `${(involved.kind ?? '').toLowerCase()}/${involved.name}` : (involved.kind ?? '').toLowerCase()) : (involved.kind ?? '');
      row = options.wide
        ? [last, e.type ?? '', e.reason ?? '', target, involved.fieldPath ?? '', formatEventSource(e), message, first, e.count ?? 1, name]
        : [last, e.type ?? '', e.reason ?? '', target, message];
    }
    if (options.allNamespaces) row.unshift(e.metadata?.namespace ?? '');
    return row;
  });
  if (v <= 11) header = ['LAST SEEN', 'FIRST SEEN', 'COUNT', 'NAME', 'KIND', 'SUBOBJECT', 'TYPE', 'REASON', 'SOURCE', 'MESSAGE'];
  else {
    const target = v >= 14 ? 'OBJECT' : 'KIND';
    header = options.wide
      ? ['LAST SEEN', 'TYPE', 'REASON', target, 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']
      : ['LAST SEEN', 'TYPE', 'REASON', target, 'MESSAGE'];
  }
  if (options.allNamespaces) header.unshift('NAMESPACE');
  return table(header, rows);
};
