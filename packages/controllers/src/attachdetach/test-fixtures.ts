// Fixtures for the attach/detach controller's specs only (not exported from the package):
// a simulation with the controller and a fake plugin, managed Nodes, bound claims and pods
// that use them, and readers of the controller's events.
import * as E from 'fp-ts/lib/Either.js';
import type { Event, Node, NodeCondition, NodeStatus, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { createSimulation, type ApiClient, type Simulation } from '@failsim/core';
import { CONTROLLER_MANAGED_ATTACH_ANNOTATION } from '../kubelet/kubelet-node-status.js';
import type { VersionProfile } from '../profiles/profile.js';
import { defaultTimings } from '../runtime/context.js';
import { AttachDetachController } from './attach-detach-controller.js';
import { FakeAttachablePlugin, type FakeAttachablePluginOptions } from './fake-plugin.js';

/** What {@link setup} returns. */
export interface Harness {
  readonly sim: Simulation;
  readonly client: ApiClient;
  readonly plugin: FakeAttachablePlugin;
  readonly adc: AttachDetachController;
}

const unwrap = <T>(what: string, result: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(result)) throw new Error(`${what}: ${result.left.message}`);
  return result.right;
};

/** A simulation with a fake plugin and the controller (started unless `start` is false). */
export const setup = (profile: VersionProfile, pluginOptions: FakeAttachablePluginOptions = {}, start = true): Harness => {
  const sim = createSimulation({ seed: 'attachdetach' });
  const plugin = new FakeAttachablePlugin(sim.clock, pluginOptions);
  const adc = new AttachDetachController({ sim, profile, timings: defaultTimings }, { plugins: [plugin] });
  if (start) adc.start();
  return { sim, client: sim.api.client('test'), plugin, adc };
};

/** Creates a Node managed by the controller, Ready=True by default. */
export const createManagedNode = (client: ApiClient, name: string, ready: 'True' | 'False' | 'Unknown' = 'True', taints?: Taint[]): Node => {
  unwrap(
    `create node ${name}`,
    client.create('Node', { metadata: { name, annotations: { [CONTROLLER_MANAGED_ATTACH_ANNOTATION]: 'true' } }, spec: taints ? { taints } : {} }),
  );
  return setNodeReady(client, name, ready);
};

/** Sets the Node's Ready condition. */
export const setNodeReady = (client: ApiClient, name: string, status: 'True' | 'False' | 'Unknown'): Node => {
  const node = unwrap(`get node ${name}`, client.get('Node', name));
  const now = client.server.clock.iso();
  const ready: NodeCondition = { type: 'Ready', status, lastHeartbeatTime: now, lastTransitionTime: now };
  const conditions = [...(node.status?.conditions ?? []).filter((c) => c.type !== 'Ready'), ready];
  return unwrap(`update node ${name}`, client.updateStatus('Node', { ...node, status: { ...node.status, conditions } }));
};

/** Adds a taint to the Node. */
export const taintNode = (client: ApiClient, name: string, taint: Taint): void => {
  const node = unwrap(`get node ${name}`, client.get('Node', name));
  unwrap(`taint node ${name}`, client.update('Node', { ...node, spec: { ...node.spec, taints: [...(node.spec?.taints ?? []), taint] } }));
};

/** Sets node.status.volumesInUse, as the kubelet reports it. */
export const setVolumesInUse = (client: ApiClient, name: string, volumes: readonly string[]): void => {
  const node = unwrap(`get node ${name}`, client.get('Node', name));
  const { volumesInUse: _old, ...rest } = node.status ?? {};
  const status: NodeStatus = volumes.length > 0 ? { ...rest, volumesInUse: [...volumes] } : rest;
  unwrap(`update node ${name}`, client.updateStatus('Node', { ...node, status }));
};

/** Creates a PV and a claim bound to each other (as the PV controller leaves them). */
export const createBoundClaim = (client: ApiClient, claim: string, pvName: string, accessModes: string[] = ['ReadWriteOnce'], namespace = 'default'): void => {
  const pvc = unwrap(
    `create pvc ${claim}`,
    client.create('PersistentVolumeClaim', {
      metadata: { name: claim, namespace, annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } },
      spec: { accessModes, resources: { requests: { storage: '1Gi' } }, volumeName: pvName },
    }),
  );
  unwrap(
    `create pv ${pvName}`,
    client.create('PersistentVolume', {
      metadata: { name: pvName },
      spec: {
        accessModes,
        capacity: { storage: '1Gi' },
        csi: { driver: 'failsim.io/fake-attacher', volumeHandle: pvName },
        claimRef: { kind: 'PersistentVolumeClaim', namespace, name: claim, uid: pvc.metadata?.uid ?? '' },
      },
    }),
  );
  unwrap(`bind pvc ${claim}`, client.updateStatus('PersistentVolumeClaim', { ...pvc, status: { phase: 'Bound', accessModes } }));
};

/** Creates a running pod on `node` that uses `claim`. */
export const createPodWithClaim = (client: ApiClient, name: string, node: string, claim: string, namespace = 'default'): Pod => {
  const pod = unwrap(
    `create pod ${name}`,
    client.create('Pod', {
      metadata: { name, namespace },
      spec: {
        nodeName: node,
        containers: [{ name: 'app', image: 'nginx' }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }],
      },
    }),
  );
  return unwrap(
    `run pod ${name}`,
    client.updateStatus('Pod', {
      ...pod,
      status: { phase: 'Running', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] },
    }),
  );
};

/** Force-deletes a pod (grace 0), as PodGC or `kubectl delete --force` do. */
export const forceDeletePod = (client: ApiClient, name: string, namespace = 'default'): void => {
  unwrap(`delete pod ${name}`, client.delete('Pod', name, { namespace, gracePeriodSeconds: 0 }));
};

/** The controller's events about one object, oldest first. */
export const eventsFor = (client: ApiClient, name: string): Event[] =>
  unwrap('list events', client.list('Event', { namespace: 'default' })).items.filter(
    (e) => e.involvedObject.name === name && e.source?.component === 'attachdetach-controller',
  );

/** The unique name the fake plugin gives a PV. */
export const uniqueName = (pvName: string): string => `failsim.io/fake-attacher/${pvName}`;
