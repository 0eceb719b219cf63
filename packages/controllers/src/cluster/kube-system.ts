// The kube-system workloads of a kubeadm cluster like the article's (k8s 1.14.3 on
// vSphere): four static control-plane pods on the master (mirror pods named
// <pod>-<node>), the kube-proxy and kube-flannel DaemonSets on every node, and a
// 2-replica coredns Deployment. Images are the ones kubeadm 1.14 deploys.
import type { DaemonSet, Deployment } from 'kubernetes-types/apps/v1.js';
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';

const systemTolerations: Toleration[] = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
  { operator: 'Exists', effect: 'NoSchedule' },
  { operator: 'Exists', effect: 'NoExecute' },
];

const staticPod = (component: string, image: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: component, namespace: 'kube-system', labels: { component, tier: 'control-plane' } },
  spec: {
    hostNetwork: true,
    priorityClassName: 'system-cluster-critical',
    containers: [{ name: component, image, resources: { requests: { cpu: '250m' } } }],
    ...extra,
  },
});

/** Static pod manifests of a control-plane node, for its kubelet. */
export const controlPlaneStaticPods = (kubernetesVersion: string): Pod[] => [
  staticPod('etcd', 'k8s.gcr.io/etcd:3.3.10'),
  staticPod('kube-apiserver', `k8s.gcr.io/kube-apiserver:${kubernetesVersion}`),
  staticPod('kube-controller-manager', `k8s.gcr.io/kube-controller-manager:${kubernetesVersion}`),
  staticPod('kube-scheduler', `k8s.gcr.io/kube-scheduler:${kubernetesVersion}`),
];

const daemonSet = (name: string, app: string, image: string): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace: 'kube-system', labels: { 'k8s-app': app } },
  spec: {
    selector: { matchLabels: { 'k8s-app': app } },
    template: {
      metadata: { labels: { 'k8s-app': app } },
      spec: {
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
        tolerations: systemTolerations,
        containers: [{ name: app, image, resources: { requests: { cpu: '100m', memory: '50Mi' } } }],
      },
    },
  },
});

/** The DaemonSets and the coredns Deployment of kube-system. */
export const kubeSystemWorkloads = (kubernetesVersion: string): (DaemonSet | Deployment)[] => [
  daemonSet('kube-proxy', 'kube-proxy', `k8s.gcr.io/kube-proxy:${kubernetesVersion}`),
  daemonSet('kube-flannel-ds-amd64', 'flannel', 'quay.io/coreos/flannel:v0.11.0-amd64'),
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }],
          containers: [{ name: 'coredns', image: 'k8s.gcr.io/coredns:1.3.1', resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } } }],
        },
      },
    },
  },
];
