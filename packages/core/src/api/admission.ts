// Admission and the registry strategies of the served kinds: defaulting as upstream's
// SetDefaults_* (k8s.io/kubernetes pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go),
// the DefaultTolerationSeconds plugin (plugin/pkg/admission/defaulttolerationseconds/admission.go),
// the status reset on create (pkg/registry/core/pod/strategy.go PrepareForCreate) and the
// validation failsim needs to reject bad manifests with upstream's field errors.
import type { Container, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { FieldError } from './errors.js';
import { withChanges } from './immutable.js';
import type { Kind, KubeObject } from './resources.js';

/** API-server flags that admission reads, with upstream defaults. */
export interface AdmissionOptions {
  /** --default-not-ready-toleration-seconds (300). */
  readonly defaultNotReadyTolerationSeconds: number;
  /** --default-unreachable-toleration-seconds (300). */
  readonly defaultUnreachableTolerationSeconds: number;
  /** Whether the DefaultTolerationSeconds plugin is enabled (it is, by default, since 1.6). */
  readonly defaultTolerationSeconds: boolean;
}

/** Upstream defaults of {@link AdmissionOptions}. */
export const defaultAdmissionOptions: AdmissionOptions = {
  defaultNotReadyTolerationSeconds: 300,
  defaultUnreachableTolerationSeconds: 300,
  defaultTolerationSeconds: true,
};

/** The taint the node lifecycle controller puts on a node whose Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** The taint the node lifecycle controller puts on a node whose Ready condition is Unknown. */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

type Mutable<T> = { -readonly [P in keyof T]: T[P] };
type Obj = Mutable<KubeObject> & Record<string, unknown>;

/** `image` with no tag, or tag "latest", is pulled Always; otherwise IfNotPresent. */
const defaultPullPolicy = (image: string | undefined): string => {
  if (!image) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1).split('@')[0] ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
};

/**
 * `obj` with `values` filled in where it has no value. Returns `obj` itself when nothing
 * was missing, so re-defaulting a stored object (on every update) allocates nothing and
 * keeps its frozen subtrees shared.
 */
const withDefaults = <T extends object>(obj: T, values: Partial<T>): T => {
  let out: T | undefined;
  for (const key in values) {
    if (obj[key] !== undefined) continue;
    // Clone-then-add keeps V8 on its fast object-copy path ({...values, ...obj} is not).
    out ??= withChanges(obj, {});
    out[key] = values[key] as T[typeof key];
  }
  return out ?? obj;
};

/** Maps `items` with `f`, returning `items` itself when `f` changed none of them. */
const mapShared = <T>(items: readonly T[], f: (item: T) => T): readonly T[] => {
  const mapped = items.map(f);
  return mapped.every((m, i) => m === items[i]) ? items : mapped;
};

const defaultContainer = (c: Container): Container =>
  withDefaults(c, {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: defaultPullPolicy(c.image),
    resources: {},
  });

/** SetDefaults_PodSpec and SetDefaults_Container for the fields failsim's model reads. */
export const defaultPodSpec = (spec: PodSpec): PodSpec => {
  const withSpecDefaults = withDefaults(spec, {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
    enableServiceLinks: true,
    priority: 0,
  });
  const containers = mapShared(spec.containers ?? [], defaultContainer) as Container[];
  const initContainers = spec.initContainers ? (mapShared(spec.initContainers, defaultContainer) as Container[]) : undefined;
  if (withSpecDefaults === spec && containers === spec.containers && initContainers === spec.initContainers) return spec;
  return withChanges(withSpecDefaults, initContainers ? { containers, initContainers } : { containers });
};

/** The two tolerations DefaultTolerationSeconds adds, frozen, for one pair of durations. */
interface DefaultTolerations {
  readonly notReadySeconds: number;
  readonly unreachableSeconds: number;
  readonly notReady: Toleration;
  readonly unreachable: Toleration;
  /** Both, for a pod with no tolerations of its own: the whole list is shared. */
  readonly both: readonly Toleration[];
}

/**
 * The last durations' tolerations (one entry: a cluster has one set of flags). Why
 * (issue 8): built per pod they were ~18,000 objects of {key, operator, effect,
 * tolerationSeconds} at 300 nodes (1.25 MB with their arrays), all equal. Shared frozen
 * constants store the same JSON: same members in the same order, and freezeCopy keeps
 * frozen subtrees as they are.
 */
let defaultTolerationsCache: DefaultTolerations | undefined;

const defaultTolerationsFor = (options: AdmissionOptions): DefaultTolerations => {
  const cached = defaultTolerationsCache;
  if (cached !== undefined && cached.notReadySeconds === options.defaultNotReadyTolerationSeconds && cached.unreachableSeconds === options.defaultUnreachableTolerationSeconds) {
    return cached;
  }
  const notReady: Toleration = Object.freeze({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.defaultNotReadyTolerationSeconds });
  const unreachable: Toleration = Object.freeze({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.defaultUnreachableTolerationSeconds });
  defaultTolerationsCache = {
    notReadySeconds: options.defaultNotReadyTolerationSeconds,
    unreachableSeconds: options.defaultUnreachableTolerationSeconds,
    notReady,
    unreachable,
    both: Object.freeze([notReady, unreachable]),
  };
  return defaultTolerationsCache;
};

/**
 * DefaultTolerationSeconds: adds `not-ready` and `unreachable` NoExecute tolerations for
 * `seconds` unless the pod already tolerates that taint (a toleration with an empty key
 * or an empty effect counts, as upstream). The added tolerations are shared frozen
 * objects (and a pod without tolerations shares the whole frozen list): see
 * {@link defaultTolerationsCache}.
 */
export const withDefaultTolerations = (spec: PodSpec, options: AdmissionOptions): PodSpec => {
  const tolerations = spec.tolerations ?? [];
  const defaults = defaultTolerationsFor(options);
  if (tolerations.length === 0) return withChanges(spec, { tolerations: defaults.both as Toleration[] });
  const tolerates = (key: string): boolean =>
    tolerations.some(
      (t) => (t.key === undefined || t.key === '' || t.key === key) && (!t.effect || t.effect === 'NoExecute') && (t.operator === 'Exists' || t.key === key || !t.key),
    );
  const added: Toleration[] = [];
  if (!tolerates(TAINT_NODE_NOT_READY)) added.push(defaults.notReady);
  if (!tolerates(TAINT_NODE_UNREACHABLE)) added.push(defaults.unreachable);
  return added.length === 0 ? spec : withChanges(spec, { tolerations: [...tolerations, ...added] });
};

const withPodTemplateDefaults = (spec: Record<string, unknown>): Record<string, unknown> => {
  const template = spec.template as { spec?: PodSpec } | undefined;
  if (!template?.spec) return spec;
  const podSpec = defaultPodSpec(template.spec);
  return podSpec === template.spec ? spec : withChanges(spec, { template: withChanges(template, { spec: podSpec }) });
};

/** `obj` with its spec defaulted by `f`; `obj` itself when the spec did not change. */
const withSpec = (obj: Obj, f: (spec: Record<string, unknown>) => Record<string, unknown>): Obj => {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const next = f(spec);
  return next === spec && obj.spec !== undefined ? obj : withChanges(obj, { spec: next });
};

/** Defaulting for every served kind (SetDefaults_*), before validation. */
export const applyDefaults = (kind: Kind, obj: Obj): Obj => {
  switch (kind) {
    case 'Pod':
      return withSpec(obj, (spec) => defaultPodSpec(spec as unknown as PodSpec) as unknown as Record<string, unknown>);
    case 'StatefulSet':
      return withSpec(obj, (spec) =>
        withPodTemplateDefaults(
          withDefaults(spec, {
            replicas: 1,
            podManagementPolicy: 'OrderedReady',
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
            revisionHistoryLimit: 10,
            persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          }),
        ),
      );
    case 'Deployment':
      return withSpec(obj, (spec) =>
        withPodTemplateDefaults(
          withDefaults(spec, {
            replicas: 1,
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
            revisionHistoryLimit: 10,
            progressDeadlineSeconds: 600,
          }),
        ),
      );
    case 'ReplicaSet':
      return withSpec(obj, (spec) => withPodTemplateDefaults(withDefaults(spec, { replicas: 1 })));
    case 'DaemonSet':
      return withSpec(obj, (spec) =>
        withPodTemplateDefaults(
          withDefaults(spec, {
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
            revisionHistoryLimit: 10,
          }),
        ),
      );
    case 'PersistentVolume':
      return withSpec(obj, (spec) => withDefaults(spec, { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' }));
    case 'PersistentVolumeClaim':
      return withSpec(obj, (spec) => withDefaults(spec, { volumeMode: 'Filesystem' }));
    case 'StorageClass':
      return withDefaults(obj, { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    case 'Namespace':
      return withSpec(obj, (spec) => withDefaults(spec, { finalizers: ['kubernetes'] }));
    default:
      return obj;
  }
};

/** Mutating admission plugins, on create and update (DefaultTolerationSeconds on Pods). */
export const mutate = (kind: Kind, obj: Obj, options: AdmissionOptions): Obj => {
  if (kind === 'Pod' && options.defaultTolerationSeconds) {
    const spec = obj.spec as PodSpec;
    const tolerated = withDefaultTolerations(spec, options);
    return tolerated === spec ? obj : withChanges(obj, { spec: tolerated });
  }
  return obj;
};

/** PrepareForCreate: what the server resets on create, whatever the client sent. */
export const prepareForCreate = (kind: Kind, obj: Obj): Obj => {
  switch (kind) {
    case 'Pod': {
      const pod = obj as Pod;
      return withChanges(obj, { status: { phase: 'Pending', qosClass: qosClass(pod.spec) } });
    }
    case 'Namespace':
      return withChanges(obj, { status: { phase: 'Active' } });
    case 'PersistentVolume':
      return withChanges(obj, { status: { phase: 'Pending' } });
    case 'PersistentVolumeClaim':
      return withChanges(obj, { status: { phase: 'Pending' } });
    case 'StatefulSet':
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'PodDisruptionBudget':
    case 'VolumeAttachment':
      return withChanges(obj, { status: kind === 'VolumeAttachment' ? { attached: false } : {} });
    default:
      return obj;
  }
};

/** The pod's QoS class, from its containers' requests and limits (pkg/apis/core/helper/qos). */
export const qosClass = (spec: PodSpec | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' => {
  const containers = spec?.containers ?? [];
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    return ['cpu', 'memory'].every((r) => limits[r] !== undefined && (requests[r] === undefined || String(requests[r]) === String(limits[r])));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const subdomainError = (field: string, value: string): FieldError => ({
  field,
  type: 'Invalid value',
  value,
  detail:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
});

const labelError = (field: string, value: string): FieldError => ({
  field,
  type: 'Invalid value',
  value,
  detail:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
});

/** Checks a name as upstream's ValidateObjectMeta does for the kind. */
export const validateName = (kind: Kind, name: string | undefined): FieldError[] => {
  if (!name) return [{ field: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' }];
  if (kind === 'Namespace') return DNS1123_LABEL.test(name) && name.length <= 63 ? [] : [labelError('metadata.name', name)];
  if (name.length > 253) return [{ field: 'metadata.name', type: 'Too long', detail: 'must have at most 253 bytes' }];
  return DNS1123_SUBDOMAIN.test(name) ? [] : [subdomainError('metadata.name', name)];
};

const validateContainers = (containers: readonly Container[] | undefined, field: string): FieldError[] => {
  if (!containers || containers.length === 0) return [{ field, type: 'Required value' }];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    if (!c.name) errors.push({ field: `${field}[${i}].name`, type: 'Required value' });
    else if (seen.has(c.name)) errors.push({ field: `${field}[${i}].name`, type: 'Duplicate value', value: c.name });
    else if (!DNS1123_LABEL.test(c.name)) errors.push(labelError(`${field}[${i}].name`, c.name));
    if (c.name) seen.add(c.name);
    if (!c.image) errors.push({ field: `${field}[${i}].image`, type: 'Required value' });
  });
  return errors;
};

/** Validation on create and update: the field errors, empty when valid. */
export const validate = (kind: Kind, obj: Obj): FieldError[] => {
  const errors = validateName(kind, obj.metadata?.name);
  const spec = obj.spec as Record<string, unknown> | undefined;
  switch (kind) {
    case 'Pod': {
      errors.push(...validateContainers((spec as PodSpec | undefined)?.containers, 'spec.containers'));
      const restart = (spec as PodSpec | undefined)?.restartPolicy;
      if (restart && !['Always', 'OnFailure', 'Never'].includes(restart)) {
        errors.push({ field: 'spec.restartPolicy', type: 'Unsupported value', value: restart, detail: 'supported values: "Always", "OnFailure", "Never"' });
      }
      break;
    }
    case 'StatefulSet':
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet': {
      const template = spec?.template as { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } | undefined;
      errors.push(...validateContainers(template?.spec?.containers, 'spec.template.spec.containers'));
      if (!spec?.selector) errors.push({ field: 'spec.selector', type: 'Required value' });
      const replicas = spec?.replicas;
      if (typeof replicas === 'number' && replicas < 0) {
        errors.push({ field: 'spec.replicas', type: 'Invalid value', value: replicas, detail: 'must be greater than or equal to 0' });
      }
      break;
    }
    case 'PersistentVolumeClaim':
      if (!(spec?.accessModes as unknown[] | undefined)?.length) errors.push({ field: 'spec.accessModes', type: 'Required value', detail: 'at least 1 access mode is required' });
      break;
    case 'PersistentVolume':
      if (!(spec?.accessModes as unknown[] | undefined)?.length) errors.push({ field: 'spec.accessModes', type: 'Required value' });
      if (!(spec?.capacity as Record<string, unknown> | undefined)?.storage) errors.push({ field: 'spec.capacity', type: 'Required value' });
      break;
    default:
      break;
  }
  return errors;
};

/**
 * Pod spec fields a client may change after create (pkg/apis/core/validation
 * ValidatePodUpdate): container images, activeDeadlineSeconds, added tolerations,
 * terminationGracePeriodSeconds; everything else is immutable.
 */
export const podSpecUpdateErrors = (oldSpec: PodSpec, newSpec: PodSpec, equal: (a: unknown, b: unknown) => boolean): FieldError[] => {
  if (oldSpec === newSpec) return [];
  const strip = (s: PodSpec): unknown => ({
    ...s,
    containers: s.containers.map((c) => ({ ...c, image: undefined })),
    initContainers: s.initContainers?.map((c) => ({ ...c, image: undefined })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    terminationGracePeriodSeconds: undefined,
  });
  const oldTolerations = oldSpec.tolerations ?? [];
  const newTolerations = newSpec.tolerations ?? [];
  const tolerationsOnlyAdded = oldTolerations.every((t) => newTolerations.some((n) => equal(n, t)));
  if (equal(strip(oldSpec), strip(newSpec)) && tolerationsOnlyAdded) return [];
  return [
    {
      field: 'spec',
      type: 'Forbidden',
      detail:
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    },
  ];
};
