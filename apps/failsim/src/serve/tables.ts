// Server-side Tables (meta.k8s.io/v1 Table), as kube-apiserver's table convertor builds
// them from the internal printers (k8s.io/kubernetes pkg/printers/internalversion/printers.go,
// v1.32: printPod, printNode, printPersistentVolume, printPersistentVolumeClaim,
// printEvent, printStatefulSet, printDeployment, printReplicaSet, printDaemonSet,
// printNamespace, printLease, printStorageClass, printVolumeAttachment,
// printPodDisruptionBudget). The server always builds the wide table: every column,
// priority 1 included, and every cell in column order; kubectl hides priority-1 columns
// unless -o wide (reference kubectl-api-surface.md §5).
import { nodeRoles, nodeStatus, podColumns, translateTimestampSince } from '@failsim/controllers';
import type { Kind, KubeObject } from '@failsim/core';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import { toWire, wireJson } from './wire.js';

/** metav1.TableColumnDefinition. */
export interface TableColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'date';
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

/** A cell: strings, or integers for integer columns. */
export type Cell = string | number;

/** What goes into `rows[].object` (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** How a table is built: the virtual "now" ages are measured against, and the server's minor version. */
export interface TableContext {
  readonly now: Date;
  /** The served Kubernetes minor (12 for v1.12.4): a few columns exist only from some version on. */
  readonly serverMinor: number;
}

const col = (name: string, description: string, options: { type?: TableColumn['type']; format?: string; priority?: number } = {}): TableColumn => ({
  name,
  type: options.type ?? 'string',
  format: options.format ?? '',
  description,
  priority: options.priority ?? 0,
});

const NAME = col('Name', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.', { format: 'name' });
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
const wide = (name: string, description: string, type: TableColumn['type'] = 'string', format = ''): TableColumn => col(name, description, { type, priority: 1, format });

const age = (obj: KubeObject, ctx: TableContext): string => translateTimestampSince(obj.metadata?.creationTimestamp, ctx.now);
const orNone = (s: string | undefined): string => (s ? s : '<none>');

/** labels.FormatLabels: `k=v` sorted by key, comma-joined, `<none>` when empty. */
export const formatLabels = (labels: Readonly<Record<string, string>> | undefined): string => {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
};

/** metav1.FormatLabelSelector: requirements sorted by key (`app=web,tier in (a,b)`), `<none>` when empty. */
export const formatLabelSelector = (selector: LabelSelector | undefined): string => {
  if (!selector) return '<none>';
  const reqs: { key: string; text: string }[] = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => ({ key: k, text: `${k}=${v}` }));
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    reqs.push({ key: e.key, text });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.length ? reqs.map((r) => r.text).join(',') : '<none>';
};

/** Containers and Images cells of a pod template: names and images, comma-joined. */
const containersAndImages = (template: PodTemplateSpec | undefined): [string, string] => {
  const containers = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, for the modes present. */
export const accessModes = (modes: readonly string[] | undefined): string => {
  const present = new Set(modes ?? []);
  return [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ]
    .filter(([mode]) => present.has(mode!))
    .map(([, short]) => short)
    .join(',');
};

const readinessGates = (pod: Pod): string => {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const ready = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${ready}/${gates.length}`;
};

/** printPod's Restarts: the sum, with ` (5m ago)` after the latest last-termination (string from 1.24, integer before). */
const podRestarts = (pod: Pod, ctx: TableContext): Cell => {
  const { restarts } = podColumns(pod);
  if (ctx.serverMinor < 24) return restarts;
  let last = 0;
  for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const finished = Date.parse(c.lastState?.terminated?.finishedAt ?? '');
    if (Number.isFinite(finished) && finished > last) last = finished;
  }
  return restarts !== 0 && last > 0 ? `${restarts} (${translateTimestampSince(new Date(last).toISOString(), ctx.now)} ago)` : String(restarts);
};

const nodeAddress = (node: Node, type: string): string => (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';

/** formatEventSource (1.32): `component, host`, falling back to reportingController / reportingInstance. */
const eventSource = (e: Event): string => {
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || e.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
};

/** One resource's printer: its columns and the cells of one object. */
interface Printer {
  columns(ctx: TableContext): readonly TableColumn[];
  cells(obj: KubeObject, ctx: TableContext): readonly Cell[];
}

const vacFrom = 29;

const printers: Record<Kind, Printer> = {
  Pod: {
    columns: (ctx) => [
      NAME,
      col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'The aggregate status of the containers in this pod.'),
      ctx.serverMinor < 24
        ? col('Restarts', 'The number of times the containers in this pod have been restarted.', { type: 'integer' })
        : col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE,
      wide('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
      wide('Node', 'NodeName is a request to schedule this pod onto a specific node.'),
      wide('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.'),
      wide('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.'),
    ],
    cells: (obj, ctx) => {
      const pod = obj as Pod;
      const { ready, status } = podColumns(pod);
      const ip = pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP;
      return [pod.metadata?.name ?? '', ready, status, podRestarts(pod, ctx), age(pod, ctx), orNone(ip), orNone(pod.spec?.nodeName), orNone(pod.status?.nominatedNodeName), readinessGates(pod)];
    },
  },
  Node: {
    columns: () => [
      NAME,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      AGE,
      col('Version', 'Kubelet Version reported by the node.'),
      wide('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.'),
      wide('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.'),
      wide('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
      wide('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
      wide('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
    ],
    cells: (obj, ctx) => {
      const node = obj as Node;
      const info = node.status?.nodeInfo;
      return [
        node.metadata?.name ?? '',
        nodeStatus(node),
        nodeRoles(node).join(',') || '<none>',
        age(node, ctx),
        info?.kubeletVersion ?? '',
        nodeAddress(node, 'InternalIP'),
        nodeAddress(node, 'ExternalIP'),
        info?.osImage || '<unknown>',
        info?.kernelVersion || '<unknown>',
        info?.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
  PersistentVolume: {
    columns: (ctx) => [
      NAME,
      col('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'),
      col('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
      col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
      col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
      col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
      col('StorageClass', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
      ...(ctx.serverMinor >= vacFrom ? [col('VolumeAttributesClass', 'Name of VolumeAttributesClass to which this persistent volume belongs.')] : []),
      col('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
      AGE,
      wide('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.'),
    ],
    cells: (obj, ctx) => {
      const pv = obj as PersistentVolume;
      const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '';
      const status = pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '');
      const sc = pv.spec?.storageClassName ?? pv.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
      return [
        pv.metadata?.name ?? '',
        pv.spec?.capacity?.['storage'] ?? '',
        accessModes(pv.spec?.accessModes),
        pv.spec?.persistentVolumeReclaimPolicy ?? '',
        status,
        claim,
        sc,
        ...(ctx.serverMinor >= vacFrom ? [pv.spec?.volumeAttributesClassName || '<unset>'] : []),
        pv.status?.reason ?? '',
        age(pv, ctx),
        pv.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
  PersistentVolumeClaim: {
    columns: (ctx) => [
      NAME,
      col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
      col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
      col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
      col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
      col('StorageClass', 'storageClassName is the name of the StorageClass required by the claim.'),
      ...(ctx.serverMinor >= vacFrom ? [col('VolumeAttributesClass', 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.')] : []),
      AGE,
      wide('VolumeMode', 'volumeMode defines what type of volume is required by the claim.'),
    ],
    cells: (obj, ctx) => {
      const pvc = obj as PersistentVolumeClaim;
      const bound = Boolean(pvc.spec?.volumeName);
      const status = pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
      const sc = pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
      return [
        pvc.metadata?.name ?? '',
        status,
        pvc.spec?.volumeName ?? '',
        bound ? (pvc.status?.capacity?.['storage'] ?? '') : '',
        bound ? accessModes(pvc.status?.accessModes) : '',
        sc,
        ...(ctx.serverMinor >= vacFrom ? [pvc.spec?.volumeAttributesClassName || '<unset>'] : []),
        age(pvc, ctx),
        pvc.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
  Event: {
    columns: () => [
      col('Last Seen', 'The last time this event was observed.'),
      col('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
      col('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
      col('Object', 'The object this Event is about.'),
      wide('Subobject', 'The subobject (fieldPath) of the object this Event is about.'),
      wide('Source', 'The component reporting this event. Should be a short machine understandable string.'),
      col('Message', 'A human-readable description of the status of this operation.'),
      wide('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
      wide('Count', 'The number of times this event has occurred.', 'integer'),
      wide('Name', 'Name must be unique within a namespace.', 'string', 'name'),
    ],
    cells: (obj, ctx) => {
      const e = obj as Event;
      const first = e.firstTimestamp ? translateTimestampSince(e.firstTimestamp, ctx.now) : translateTimestampSince(e.eventTime ?? undefined, ctx.now);
      let last = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, ctx.now) : first;
      let count = e.count ?? 0;
      if (e.series) {
        last = translateTimestampSince(e.series.lastObservedTime, ctx.now);
        count = e.series.count ?? 0;
      } else if (count === 0) count = 1;
      const involved = e.involvedObject;
      const target = involved.name ? `${(involved.kind ?? '').toLowerCase()}/${involved.name}` : (involved.kind ?? '').toLowerCase();
      return [last, e.type ?? '', e.reason ?? '', target, involved.fieldPath ?? '', eventSource(e), (e.message ?? '').trim(), first, count, e.metadata?.name ?? ''];
    },
  },
  StatefulSet: {
    columns: () => [NAME, col('Ready', 'Number of the pod with ready state'), AGE, wide('Containers', 'Names of each container in the template.'), wide('Images', 'Images referenced by each container in the template.')],
    cells: (obj, ctx) => {
      const sts = obj as StatefulSet;
      return [sts.metadata?.name ?? '', `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 1}`, age(sts, ctx), ...containersAndImages(sts.spec?.template)];
    },
  },
  Deployment: {
    columns: () => [
      NAME,
      col('Ready', 'Number of the pod with ready state'),
      col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', { type: 'integer' }),
      col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', { type: 'integer' }),
      AGE,
      wide('Containers', 'Names of each container in the template.'),
      wide('Images', 'Images referenced by each container in the template.'),
      wide('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
    ],
    cells: (obj, ctx) => {
      const d = obj as Deployment;
      return [
        d.metadata?.name ?? '',
        `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
        d.status?.updatedReplicas ?? 0,
        d.status?.availableReplicas ?? 0,
        age(d, ctx),
        ...containersAndImages(d.spec?.template),
        formatLabelSelector(d.spec?.selector),
      ];
    },
  },
  ReplicaSet: {
    columns: () => [
      NAME,
      col('Desired', 'Replicas is the number of desired replicas.', { type: 'integer' }),
      col('Current', 'Replicas is the most recently observed number of replicas.', { type: 'integer' }),
      col('Ready', 'The number of ready replicas for this replica set.', { type: 'integer' }),
      AGE,
      wide('Containers', 'Names of each container in the template.'),
      wide('Images', 'Images referenced by each container in the template.'),
      wide('Selector', 'Selector is a label query over pods that should match the replica count.'),
    ],
    cells: (obj, ctx) => {
      const rs = obj as ReplicaSet;
      return [rs.metadata?.name ?? '', rs.spec?.replicas ?? 1, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, age(rs, ctx), ...containersAndImages(rs.spec?.template), formatLabelSelector(rs.spec?.selector)];
    },
  },
  DaemonSet: {
    columns: () => [
      NAME,
      col('Desired', 'The total number of nodes that should be running the daemon pod.', { type: 'integer' }),
      col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', { type: 'integer' }),
      col('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', { type: 'integer' }),
      col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
      col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', { type: 'integer' }),
      col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
      AGE,
      wide('Containers', 'Names of each container in the template.'),
      wide('Images', 'Images referenced by each container in the template.'),
      wide('Selector', 'A label query over pods that are managed by the daemon set.'),
    ],
    cells: (obj, ctx) => {
      const ds = obj as DaemonSet;
      const s = ds.status;
      return [
        ds.metadata?.name ?? '',
        s?.desiredNumberScheduled ?? 0,
        s?.currentNumberScheduled ?? 0,
        s?.numberReady ?? 0,
        s?.updatedNumberScheduled ?? 0,
        s?.numberAvailable ?? 0,
        formatLabels(ds.spec?.template.spec?.nodeSelector),
        age(ds, ctx),
        ...containersAndImages(ds.spec?.template),
        formatLabelSelector(ds.spec?.selector),
      ];
    },
  },
  Namespace: {
    columns: () => [NAME, col('Status', 'The status of the namespace'), AGE],
    cells: (obj, ctx) => [obj.metadata?.name ?? '', (obj as Namespace).status?.phase ?? '', age(obj, ctx)],
  },
  Lease: {
    columns: () => [NAME, col('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), AGE],
    cells: (obj, ctx) => [obj.metadata?.name ?? '', (obj as Lease).spec?.holderIdentity ?? '', age(obj, ctx)],
  },
  StorageClass: {
    columns: () => [
      NAME,
      col('Provisioner', 'provisioner indicates the type of the provisioner.'),
      col('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
      col('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
      col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
      AGE,
    ],
    cells: (obj, ctx) => {
      const sc = obj as StorageClass;
      const annotations = sc.metadata?.annotations ?? {};
      const isDefault = annotations['storageclass.kubernetes.io/is-default-class'] === 'true' || annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      return [
        `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
        sc.provisioner,
        sc.reclaimPolicy ?? 'Delete',
        sc.volumeBindingMode ?? 'Immediate',
        String(sc.allowVolumeExpansion ?? false),
        age(sc, ctx),
      ];
    },
  },
  VolumeAttachment: {
    columns: () => [
      NAME,
      col('Attacher', 'Attacher indicates the name of the volume driver that MUST handle this request.'),
      col('PV', 'Name of the persistent volume to attach.'),
      col('Node', 'The node that the volume should be attached to.'),
      col('Attached', 'Indicates the volume is successfully attached.'),
      AGE,
    ],
    cells: (obj, ctx) => {
      const va = obj as VolumeAttachment;
      return [va.metadata?.name ?? '', va.spec.attacher, va.spec.source.persistentVolumeName ?? '', va.spec.nodeName, String(va.status?.attached ?? false), age(va, ctx)];
    },
  },
  PodDisruptionBudget: {
    columns: () => [
      NAME,
      col('Min Available', 'The minimum number of pods that must be available simultaneously.'),
      col('Max Unavailable', 'The maximum number of pods that may be unavailable simultaneously.'),
      col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
      AGE,
    ],
    cells: (obj, ctx) => {
      const pdb = obj as PodDisruptionBudget;
      return [pdb.metadata?.name ?? '', String(pdb.spec?.minAvailable ?? 'N/A'), String(pdb.spec?.maxUnavailable ?? 'N/A'), pdb.status?.disruptionsAllowed ?? 0, age(pdb, ctx)];
    },
  },
};

/** The column definitions of a kind's table. */
export const tableColumns = (kind: Kind, ctx: TableContext): readonly TableColumn[] => printers[kind].columns(ctx);

/** The cells of one object's row, in column order. */
export const tableCells = (kind: Kind, obj: KubeObject, ctx: TableContext): readonly Cell[] => printers[kind].cells(obj, ctx);

/** A row's object: PartialObjectMetadata (the default), the full object, or none. */
const rowObject = (obj: KubeObject, include: IncludeObject): object | undefined =>
  include === 'None' ? undefined : include === 'Object' ? obj : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };

/** Options of {@link toTable}. */
export interface TableOptions extends TableContext {
  readonly include: IncludeObject;
  /** The list's resourceVersion (kubectl watches from it). */
  readonly resourceVersion?: string;
  /** Leave the column definitions out (watch events after the first, as the real apiserver does). */
  readonly omitColumns?: boolean;
}

/**
 * A meta.k8s.io/v1 Table of `objects` of `kind`: every column, every cell, and each row's
 * object as `include` asks (kubectl needs it for -A's NAMESPACE column, --show-labels and
 * --sort-by).
 */
export const toTable = (kind: Kind, objects: readonly KubeObject[], options: TableOptions): object => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {},
  columnDefinitions: options.omitColumns ? null : tableColumns(kind, options),
  rows: objects.map((obj) => {
    const object = rowObject(obj, options.include);
    return { cells: tableCells(kind, obj, options), ...(object ? { object } : {}) };
  }),
});

/** The Content-Type of a Table answer. */
export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** True when the Accept header asks for a meta.k8s.io Table (v1 or v1beta1). */
export const wantsTable = (accept: string | undefined): boolean =>
  (accept ?? '').split(',').some((range) => /(^|;)\s*as=Table(\s*;|\s*$)/.test(range) && /(^|;)\s*g=meta\.k8s\.io(\s*;|\s*$)/.test(range));

// Row objects are the same bytes for every request that asks for them: encoded once per
// stored object (its metadata is frozen with it), as wire.ts does for whole objects.
const partialMetadata = new WeakMap<object, Buffer>();
const ROW_END = Buffer.from('}');
const partialMetadataJson = (obj: KubeObject): Buffer => {
  const metadata = obj.metadata ?? {};
  let bytes = partialMetadata.get(metadata);
  if (!bytes) partialMetadata.set(metadata, (bytes = Buffer.from(JSON.stringify(rowObject(obj, 'Metadata')), 'utf8')));
  return bytes;
};

/**
 * The bytes of `JSON.stringify(toTable(kind, objects.map(toWire), options))` as pieces to
 * write in order, with each row's object encoded once per stored object and shared; only
 * the cells (ages move with the clock) are encoded per request. `objects` are stored
 * objects, not yet toWire'd.
 */
export const tableParts = (kind: Kind, objects: readonly KubeObject[], options: TableOptions): Buffer[] => {
  const head = JSON.stringify({
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {},
    columnDefinitions: options.omitColumns ? null : tableColumns(kind, options),
  });
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"rows":[`, 'utf8')];
  objects.forEach((obj, i) => {
    const cells = `${i > 0 ? ',' : ''}{"cells":${JSON.stringify(tableCells(kind, toWire(obj), options))}`;
    if (options.include === 'None') {
      parts.push(Buffer.from(`${cells}}`, 'utf8'));
      return;
    }
    parts.push(Buffer.from(`${cells},"object":`, 'utf8'), options.include === 'Object' ? wireJson(obj) : partialMetadataJson(obj), ROW_END);
  });
  parts.push(Buffer.from(']}'));
  return parts;
};

/** {@link tableParts} as one Buffer. */
export const tableJson = (kind: Kind, objects: readonly KubeObject[], options: TableOptions): Buffer => Buffer.concat(tableParts(kind, objects, options));
