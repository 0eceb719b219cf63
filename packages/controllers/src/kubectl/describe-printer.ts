// `kubectl describe pod`, as kubectl v1.14 writes it (k8s.io/kubernetes
// pkg/kubectl/describe/versioned/describe.go: describePod, describeContainers,
// describeVolumes, printLabelsMultiline, printAnnotationsMultiline,
// printPodTolerationsMultiline, DescribeEvents; PrefixWriter indents two spaces per level
// and everything goes through tabbedString's tabwriter, flushed before the Events table).
import type { Container, ContainerState, ContainerStatus, Event, Pod, Probe, Toleration, Volume } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from './duration-printer.js';
import { sortEvents } from './get-printers.js';
import { DESCRIBE_TAB_WRITER, tabwrite } from './printers.js';

/** Options of the describe printers. */
export interface DescribeOptions {
  /** Wall-clock "now" (the SimClock's `date()`), against which ages are measured. */
  readonly now: Date;
  /** The kubectl machine's UTC offset in minutes for absolute times (the seed's +0100 is 60); default 0. */
  readonly utcOffsetMinutes?: number;
}

/** describe's PrefixWriter over a tabwriter: text accumulates until a flush aligns it. */
class PrefixWriter {
  readonly #done: string[] = [];
  #pending = '';

  write(level: number, text: string): void {
    this.#pending += '  '.repeat(level) + text;
  }

  flush(): void {
    this.#done.push(...tabwrite(this.#pending, DESCRIBE_TAB_WRITER));
    this.#pending = '';
  }

  lines(): string[] {
    this.flush();
    return this.#done;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** Go's time.RFC1123Z layout, `Mon, 02 Jan 2006 15:04:05 -0700`, in the given UTC offset. */
export const formatRFC1123Z = (timestamp: string | undefined, utcOffsetMinutes = 0): string => {
  // Go formats a zero metav1.Time as year 1; kubectl objects always carry the times it prints.
  const ms = Date.parse(timestamp ?? '0001-01-01T00:00:00Z');
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(utcOffsetMinutes);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${sign}${two(Math.trunc(off / 60))}${two(off % 60)}`;
};

const sortedKeys = (map: Readonly<Record<string, string>>): string[] => Object.keys(map).sort();

const printLabels = (w: PrefixWriter, title: string, labels: Readonly<Record<string, string>> | undefined): void => {
  w.write(0, `${title}:\t`);
  const keys = sortedKeys(labels ?? {});
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((key, i) => w.write(0, `${i === 0 ? '' : '\t'}${key}=${labels![key]}\n`));
};

const MAX_ANNOTATION_LEN = 140;

const printAnnotations = (w: PrefixWriter, annotations: Readonly<Record<string, string>> | undefined): void => {
  w.write(0, 'Annotations:\t');
  const keys = sortedKeys(annotations ?? {});
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![key]!.replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s}\n`);
    } else w.write(0, `${key}: ${value}\n`);
  });
};

const printTolerations = (w: PrefixWriter, tolerations: readonly Toleration[] | undefined): void => {
  w.write(0, 'Tolerations:\t');
  const sorted = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (sorted.length === 0) return w.write(0, '<none>\n');
  sorted.forEach((t, i) => {
    const value = t.value ? `=${t.value}` : '';
    const effect = t.effect ? `:${t.effect}` : '';
    const seconds = t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : '';
    w.write(0, `${i === 0 ? '' : '\t'}${t.key ?? ''}${value}${effect}${seconds}\n`);
  });
};

const describeState = (w: PrefixWriter, name: string, state: ContainerState | undefined, offset: number): void => {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${formatRFC1123Z(state.running.startedAt, offset)}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${formatRFC1123Z(t.startedAt, offset)}\n`);
    w.write(3, `Finished:\t${formatRFC1123Z(t.finishedAt, offset)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
    if (state?.waiting?.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  }
};

/** DescribeProbe, with the API server's defaults for fields the object leaves unset. */
const describeProbe = (p: Probe): string => {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const port = String(p.httpGet.port);
    const host = p.httpGet.host ?? '';
    return `http-get ${(p.httpGet.scheme ?? 'HTTP').toLowerCase()}://${host.includes(':') ? `[${host}]` : host}:${port}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${String(p.tcpSocket.port)} ${attrs}`;
  return `unknown ${attrs}`;
};

const describeContainer = (w: PrefixWriter, pod: Pod, c: Container, status: ContainerStatus | undefined, offset: number): void => {
  w.write(1, `${c.name}:\n`);
  if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(2, `Image ID:\t${status.imageID}\n`);
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
  w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
  const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
  w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
  for (const [title, list] of [['Command', c.command], ['Args', c.args]] as const) {
    if (list && list.length > 0) {
      w.write(2, `${title}:\n`);
      for (const item of list) for (const s of item.split('\n')) w.write(3, `${s}\n`);
    }
  }
  if (status) {
    describeState(w, 'State', status.state, offset);
    if (status.lastState?.terminated) describeState(w, 'Last State', status.lastState, offset);
    w.write(2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
    w.write(2, `Restart Count:\t${status.restartCount}\n`);
  }
  for (const [title, list] of [['Limits', c.resources?.limits], ['Requests', c.resources?.requests]] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length > 0) w.write(2, `${title}:\n`);
    for (const name of names) w.write(3, `${name}:\t${String(list![name])}\n`);
  }
  if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  const env = c.env ?? [];
  w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? '').split('\n').forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    } else if (from.fieldRef) {
      // EnvValueRetriever resolves the common downward-API paths of the pod.
      const path = from.fieldRef.fieldPath;
      const value = path === 'metadata.name' ? pod.metadata?.name : path === 'metadata.namespace' ? pod.metadata?.namespace : path === 'status.podIP' ? pod.status?.podIP : path === 'spec.nodeName' ? pod.spec?.nodeName : '';
      w.write(3, `${e.name}:\t${value ?? ''} (${from.fieldRef.apiVersion ?? 'v1'}:${path})\n`);
    } else if (from.resourceFieldRef) {
      w.write(3, `${e.name}:\t (${from.resourceFieldRef.resource})\n`);
    } else if (from.secretKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name ?? ''}'>\tOptional: ${from.secretKeyRef.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name ?? ''}'>\tOptional: ${from.configMapKeyRef.optional === true}\n`);
    }
  }
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
};

const describeVolume = (w: PrefixWriter, v: Volume): void => {
  w.write(1, `${v.name}:\n`);
  const lines = (type: string, fields: readonly (readonly [string, unknown])[]): void =>
    w.write(2, `Type:\t${type}\n${fields.map(([k, value]) => `    ${k}:\t${String(value)}\n`).join('')}`);
  if (v.hostPath) lines('HostPath (bare host directory volume)', [['Path', v.hostPath.path], ['HostPathType', v.hostPath.type ?? '<none>']]);
  else if (v.emptyDir) lines("EmptyDir (a temporary directory that shares a pod's lifetime)", [['Medium', v.emptyDir.medium ?? ''], ['SizeLimit', v.emptyDir.sizeLimit ?? '<unset>']]);
  else if (v.secret) lines('Secret (a volume populated by a Secret)', [['SecretName', v.secret.secretName ?? ''], ['Optional', v.secret.optional === true]]);
  else if (v.configMap) lines('ConfigMap (a volume populated by a ConfigMap)', [['Name', v.configMap.name ?? ''], ['Optional', v.configMap.optional === true]]);
  else if (v.persistentVolumeClaim) lines('PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)', [['ClaimName', v.persistentVolumeClaim.claimName], ['ReadOnly', v.persistentVolumeClaim.readOnly === true]]);
  else if (v.vsphereVolume) lines('vSphereVolume (a Persistent Disk resource in vSphere)', [['VolumePath', v.vsphereVolume.volumePath], ['FSType', v.vsphereVolume.fsType ?? ''], ['StoragePolicyName', v.vsphereVolume.storagePolicyName ?? '']]);
  else if (v.projected) w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
  else w.write(1, '<unknown>\n');
};

/** qos.GetPodQOS in short: no requests or limits → BestEffort; every container's cpu and memory limited and requests equal to limits → Guaranteed; else Burstable. */
export const podQOSClass = (pod: Pod): string => {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => ['cpu', 'memory'].every((r) => {
    const limit = c.resources?.limits?.[r];
    const request = c.resources?.requests?.[r] ?? limit;
    return limit !== undefined && String(request) === String(limit);
  }));
  return guaranteed ? 'Guaranteed' : 'Burstable';
};

/** The Events section shared by every describer (DescribeEvents): oldest first, `<age> (x<count> over <age>)` for repeats. */
const describeEvents = (w: PrefixWriter, events: readonly Event[], now: Date): void => {
  if (events.length === 0) return w.write(0, 'Events:\t<none>\n');
  w.flush();
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sortEvents(events)) {
    const first = translateTimestampSince(e.firstTimestamp || e.eventTime || undefined, now);
    const interval = (e.count ?? 1) > 1 ? `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})` : first;
    const source = [e.source?.component || e.reportingComponent || '', ...(e.source?.host ? [e.source.host] : [])].join(', ');
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
};

/**
 * `kubectl describe pod`: the pod's header (with `Terminating (lasts <age>)`, which reads
 * `<invalid>` while the deletion timestamp is still ahead, and the NodeLost Reason and
 * Message the node controller sets), containers, conditions, volumes, QoS class,
 * node selectors, tolerations and the events about it. `events` may hold any events:
 * like kubectl's field selector, only those whose involvedObject is this pod are shown.
 * Returns the lines without newlines; trailing spaces are kept where kubectl prints them.
 */
export const describePod = (pod: Pod, events: readonly Event[], options: DescribeOptions): string[] => {
  const w = new PrefixWriter();
  const offset = options.utcOffsetMinutes ?? 0;
  const meta = pod.metadata ?? {};
  const spec = pod.spec;
  const status = pod.status ?? {};
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  if (spec?.priority !== undefined) {
    w.write(0, `Priority:\t${spec.priority}\n`);
    w.write(0, `PriorityClassName:\t${spec.priorityClassName || '<none>'}\n`);
  }
  w.write(0, spec?.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${formatRFC1123Z(status.startTime, offset)}\n`);
  printLabels(w, 'Labels', meta.labels);
  printAnnotations(w, meta.annotations);
  if (meta.deletionTimestamp) {
    w.write(0, `Status:\tTerminating (lasts ${translateTimestampSince(meta.deletionTimestamp, options.now)})\n`);
    w.write(0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  const controller = (meta.ownerReferences ?? []).find((o) => o.controller);
  if (controller) w.write(0, `Controlled By:\t${controller.kind}/${controller.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  const section = (label: string, containers: readonly Container[], statuses: readonly ContainerStatus[]): void => {
    w.write(0, `${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
    for (const c of containers) describeContainer(w, pod, c, statuses.find((s) => s.name === c.name), offset);
  };
  if ((spec?.initContainers ?? []).length > 0) section('Init Containers', spec!.initContainers!, status.initContainerStatuses ?? []);
  section('Containers', spec?.containers ?? [], status.containerStatuses ?? []);
  const conditions = status.conditions ?? [];
  if ((spec?.readinessGates ?? []).length > 0) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec!.readinessGates!) w.write(1, `${g.conditionType} \t${conditions.find((c) => c.type === g.conditionType)?.status ?? '<none>'} \n`);
  }
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  const volumes = spec?.volumes ?? [];
  if (volumes.length === 0) w.write(0, 'Volumes:\t<none>\n');
  else {
    w.write(0, 'Volumes:\n');
    for (const v of volumes) describeVolume(w, v);
  }
  w.write(0, `QoS Class:\t${status.qosClass || podQOSClass(pod)}\n`);
  printLabels(w, 'Node-Selectors', spec?.nodeSelector);
  printTolerations(w, spec?.tolerations);
  const own = events.filter((e) => {
    const o = e.involvedObject;
    return (o.kind ?? 'Pod') === 'Pod' && o.name === meta.name && (o.namespace ?? meta.namespace) === meta.namespace && (!o.uid || !meta.uid || o.uid === meta.uid);
  });
  describeEvents(w, own, options.now);
  return w.lines();
};
