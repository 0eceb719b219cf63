// What `kubectl apply` would refuse, found when a scenario is read rather than at T+00:00
// of its run: a kind the simulated API server does not serve, an apiVersion it does not
// serve the kind under (kubectl's `no matches for kind "X" in version "Y"`,
// k8s.io/apimachinery/pkg/api/meta RESTMapper NoKindMatchError), and the field errors of
// the server's validation (core's `validateObject`, after pkg/apis/*/validation). A
// manifest refused here is bad input: exit 2 and no run, instead of a run whose setup failed.
import { formatFieldError, kinds, resources, validateObject, type Kind } from '@failsim/core';

/** One problem of a manifest: the path inside it (for file:line) and kubectl's words. */
export interface ManifestProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** `spec.containers[0].image` → `['spec', 'containers', 0, 'image']`. */
const fieldPath = (field: string): (string | number)[] =>
  field.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/**
 * The problems of one manifest (empty when the API server would take it).
 * @example manifestProblems({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} })
 * // → [{ path: ['spec', 'containers'], message: 'Pod "p" is invalid: spec.containers: Required value' }]
 */
export const manifestProblems = (manifest: { readonly apiVersion?: unknown; readonly kind?: unknown; readonly metadata?: { readonly name?: unknown } }): ManifestProblem[] => {
  const kind = String(manifest.kind);
  const version = String(manifest.apiVersion);
  if (!(kinds as readonly string[]).includes(kind)) {
    return [{ path: ['kind'], message: `no matches for kind "${kind}" in version "${version}" (failsim serves ${kinds.join(', ')})` }];
  }
  const served = resources[kind as Kind].apiVersion;
  if (version !== served) return [{ path: ['apiVersion'], message: `no matches for kind "${kind}" in version "${version}" (failsim serves ${kind} as ${served})` }];
  const name = String(manifest.metadata?.name);
  return validateObject(kind as Kind, manifest as Parameters<typeof validateObject>[1]).map((e) => ({
    path: fieldPath(e.field),
    message: `${kind} "${name}" is invalid: ${formatFieldError(e)}`,
  }));
};
