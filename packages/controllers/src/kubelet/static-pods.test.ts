import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isMirrorPod, isMirrorPodOf, isStaticPod, mirrorPodOf, staticPod } from './static-pods.js';

const manifest: Pod = {
  metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { k8s: 'proxy' } },
  spec: { containers: [{ name: 'proxy', image: 'k8s.gcr.io/kube-proxy:v1.14.3' }, { name: 'helper', image: 'busybox' }] },
};

describe('staticPod', () => {
  it('names the pod after its node, hashes its UID and marks it as coming from a file', () => {
    const pod = staticPod(manifest, 'w1', '2019-06-01T00:00:00Z');
    expect(pod.metadata?.name).toBe('kube-proxy-w1');
    expect(pod.metadata?.namespace).toBe('kube-system');
    expect(pod.metadata?.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(pod.metadata?.annotations).toEqual({
      'kubernetes.io/config.hash': pod.metadata?.uid,
      'kubernetes.io/config.seen': '2019-06-01T00:00:00Z',
      'kubernetes.io/config.source': 'file',
    });
    expect(pod.spec).toMatchObject({ nodeName: 'w1', restartPolicy: 'Always', terminationGracePeriodSeconds: 30, tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] });
    expect(pod.spec?.containers.map((c) => c.imagePullPolicy)).toEqual(['IfNotPresent', 'Always']);
    expect(isStaticPod(pod)).toBe(true);
    expect(isMirrorPod(pod)).toBe(false);
  });

  it('gives the same manifest the same UID on the same node, another on another node', () => {
    const a = staticPod(manifest, 'w1', 'x').metadata?.uid;
    expect(staticPod(manifest, 'w1', 'y').metadata?.uid).toBe(a);
    expect(staticPod(manifest, 'w2', 'x').metadata?.uid).not.toBe(a);
  });
});

describe('mirrorPodOf', () => {
  it('copies the static pod without its UID, marked with its hash and owned by the Node', () => {
    const pod = staticPod(manifest, 'w1', 'x');
    const mirror = mirrorPodOf(pod, { name: 'w1', uid: 'node-uid' });
    expect(mirror.metadata?.uid).toBeUndefined();
    expect(mirror.metadata?.annotations?.['kubernetes.io/config.mirror']).toBe(pod.metadata?.uid);
    expect(mirror.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'w1', uid: 'node-uid', controller: true }]);
    expect(isMirrorPod(mirror)).toBe(true);
    expect(isMirrorPodOf(mirror, pod)).toBe(true);
    expect(isMirrorPodOf(mirror, staticPod({ ...manifest, spec: { containers: [] } }, 'w1', 'x'))).toBe(false);
  });
});
