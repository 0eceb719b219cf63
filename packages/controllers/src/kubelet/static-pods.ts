// Static pods: the kubelet's file source and mirror pods. pkg/kubelet/config/common.go ·
// applyDefaults (UID = hash of the manifest and node, name `<pod>-<node>`, the config
// annotations, the NoExecute toleration of file pods), pkg/kubelet/pod/mirror_client.go
// (CreateMirrorPod, DeleteMirrorPod), pkg/kubelet/types/pod_update.go (IsMirrorPod,
// IsStaticPod) · v1.14. The Node ownerReference on mirror pods and the rule "no mirror
// pod while the Node does not exist" are ≈1.17's (pkg/kubelet/kubelet.go · syncPod); the
// model applies them to every version so a deleted Node does not churn mirror pods.
import { SeededRandom } from '@failsim/core';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';

/** kubetypes.ConfigMirrorAnnotationKey: marks a mirror pod; its value is the static pod's hash. */
export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
/** kubetypes.ConfigHashAnnotationKey. */
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
/** kubetypes.ConfigSourceAnnotationKey: `file` for a manifest. */
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
/** kubetypes.ConfigSeenAnnotationKey: when the kubelet first saw the pod. */
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';

/** Whether `pod` is a mirror pod (kubetypes.IsMirrorPod). */
export const isMirrorPod = (pod: Pod): boolean => pod.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;

/** Whether `pod` came from a manifest (kubetypes.IsStaticPod). */
export const isStaticPod = (pod: Pod): boolean => pod.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION] === 'file';

/** Whether `mirror` mirrors `pod` as it is now (same hash). */
export const isMirrorPodOf = (mirror: Pod, pod: Pod): boolean =>
  mirror.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] === pod.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** A stable 32-hex digest, standing for upstream's md5 of the manifest and node name. */
const digest = (text: string): string => {
  const random = new SeededRandom(text);
  return [0, 1, 2, 3].map(() => hex8(random.int(0, 2 ** 32))).join('');
};

/** SetDefaults_PodSpec/Container for the fields the kubelet reads (the API server does it for other pods). */
const defaultContainer = (c: Container): Container => {
  const image = c.image ?? '';
  const tagged = image.includes('@') || image.lastIndexOf(':') > image.lastIndexOf('/');
  const latest = !tagged || image.endsWith(':latest');
  return { ...c, imagePullPolicy: c.imagePullPolicy ?? (latest ? 'Always' : 'IfNotPresent') };
};

/**
 * The pod the kubelet runs for a manifest from its manifest directory: named
 * `<name>-<node>`, bound to the node, UID = hash of manifest and node, the config
 * annotations, and a toleration of every NoExecute taint so node problems never evict it.
 */
export const staticPod = (manifest: Pod, nodeName: string, seen: string): Pod => {
  const uid = digest(`${nodeName}\u0000${JSON.stringify(manifest)}`);
  const namespace = manifest.metadata?.namespace ?? 'default';
  const tolerations = [...(manifest.spec?.tolerations ?? [])];
  if (!tolerations.some((t) => t.operator === 'Exists' && t.effect === 'NoExecute' && !t.key)) tolerations.push({ operator: 'Exists', effect: 'NoExecute' });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...manifest.metadata,
      name: `${manifest.metadata?.name ?? ''}-${nodeName}`,
      namespace,
      uid,
      annotations: {
        ...manifest.metadata?.annotations,
        [CONFIG_HASH_ANNOTATION]: uid,
        [CONFIG_SEEN_ANNOTATION]: seen,
        [CONFIG_SOURCE_ANNOTATION]: 'file',
      },
    },
    spec: {
      ...manifest.spec,
      nodeName,
      restartPolicy: manifest.spec?.restartPolicy ?? 'Always',
      terminationGracePeriodSeconds: manifest.spec?.terminationGracePeriodSeconds ?? 30,
      containers: (manifest.spec?.containers ?? []).map(defaultContainer),
      tolerations,
    },
    status: { phase: 'Pending' },
  };
};

/** The mirror pod of static `pod` (CreateMirrorPod): a copy marked with its hash, owned by the Node. */
export const mirrorPodOf = (pod: Pod, node: { readonly name: string; readonly uid: string }): Pod => {
  const { uid: _uid, resourceVersion: _rv, ...metadata } = pod.metadata ?? {};
  return {
    ...pod,
    metadata: {
      ...metadata,
      annotations: { ...metadata.annotations, [CONFIG_MIRROR_ANNOTATION]: pod.metadata?.annotations?.[CONFIG_HASH_ANNOTATION] ?? '' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid, controller: true }],
    },
  };
};
