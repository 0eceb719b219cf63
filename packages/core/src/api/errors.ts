// API errors as values, shaped like a Kubernetes metav1.Status (k8s.io/apimachinery
// pkg/api/errors/errors.go): same reasons, codes and message texts as upstream.

/** Why an API call failed. All but `Unreachable` are upstream StatusReasons. */
export type ApiErrorReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Forbidden'
  | 'Gone'
  | 'Expired'
  | 'MethodNotAllowed'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Unreachable';

/** A cause inside `details.causes`, as for a field validation error. */
export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** A failed call: a core/v1 Status with `status: "Failure"`. */
export interface ApiError {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: ApiErrorReason;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly StatusCause[];
  };
  /** HTTP status code upstream would answer; 0 when no server answered (Unreachable). */
  readonly code: number;
}

/** What names the failing resource in a message: its plural (e.g. "pods") and group. */
export interface ResourceRef {
  readonly resource: string;
  readonly group: string;
}

const qualified = (ref: ResourceRef): string => (ref.group ? `${ref.resource}.${ref.group}` : ref.resource);

const status = (reason: ApiErrorReason, code: number, message: string, details?: ApiError['details']): ApiError => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message,
  reason,
  code,
  ...(details ? { details } : {}),
});

/** `pods "web-0" not found` (404). */
export const notFound = (ref: ResourceRef, name: string): ApiError =>
  status('NotFound', 404, `${qualified(ref)} "${name}" not found`, { name, group: ref.group, kind: ref.resource });

/** `pods "web-0" already exists` (409). */
export const alreadyExists = (ref: ResourceRef, name: string): ApiError =>
  status('AlreadyExists', 409, `${qualified(ref)} "${name}" already exists`, {
    name,
    group: ref.group,
    kind: ref.resource,
  });

/** Optimistic-concurrency failure (409), upstream's text for a stale resourceVersion. */
export const conflict = (ref: ResourceRef, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError =>
  status('Conflict', 409, `Operation cannot be fulfilled on ${qualified(ref)} "${name}": ${why}`, {
    name,
    group: ref.group,
    kind: ref.resource,
  });

/** A field validation failure (422): `Pod "x" is invalid: spec.containers: Required value`. */
export const invalid = (kind: string, group: string, name: string, causes: readonly FieldError[]): ApiError =>
  status(
    'Invalid',
    422,
    `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${causes.map(formatFieldError).join(', ')}`,
    {
      name,
      group,
      kind,
      causes: causes.map((c) => ({ reason: `Field${c.type.replace(/ /g, '')}`, message: formatFieldError(c), field: c.field })),
    },
  );

/** A request the server cannot make sense of (400). */
export const badRequest = (message: string): ApiError => status('BadRequest', 400, message);

/** A request admission refuses (403). */
export const forbidden = (ref: ResourceRef, name: string, why: string): ApiError =>
  status('Forbidden', 403, `${qualified(ref)} "${name}" is forbidden: ${why}`, { name, group: ref.group, kind: ref.resource });

/** A watch or list from a resourceVersion older than the server still remembers (410). */
export const gone = (message: string): ApiError => status('Expired', 410, message);

/**
 * A client that cannot reach the API server (its node is powered off or partitioned).
 * No server answers, so there is no HTTP code; the text is what a Go client prints.
 */
export const unreachable = (location: string, verb: string, what: string): ApiError =>
  status('Unreachable', 0, `${verb} ${what}: dial tcp: connect: no route to host (client at ${location} cannot reach the API server)`);

/** One field validation error, as in k8s.io/apimachinery/pkg/util/validation/field. */
export interface FieldError {
  readonly field: string;
  readonly type: 'Required value' | 'Invalid value' | 'Forbidden' | 'Unsupported value' | 'Duplicate value' | 'Too long';
  readonly value?: unknown;
  readonly detail?: string;
}

/** `spec.containers[0].name: Required value` / `metadata.name: Invalid value: "X": detail`. */
export const formatFieldError = (e: FieldError): string => {
  const value = e.type === 'Invalid value' || e.type === 'Unsupported value' || e.type === 'Duplicate value' ? `: ${JSON.stringify(e.value)}` : '';
  return `${e.field}: ${e.type}${value}${e.detail ? `: ${e.detail}` : ''}`;
};

/** A request the server refuses for now (429), as an eviction a disruption budget forbids. */
export const tooManyRequests = (message: string, causes: readonly StatusCause[] = []): ApiError =>
  status('TooManyRequests', 429, message, causes.length ? { causes } : undefined);

/** A failure of the server itself (500). */
export const internalError = (message: string): ApiError => status('InternalError', 500, message);

/** True when `e` is an ApiError with the given reason; handy in tests and retry loops. */
export const isReason = (e: ApiError, reason: ApiErrorReason): boolean => e.reason === reason;
