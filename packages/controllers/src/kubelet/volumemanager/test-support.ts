// Test support for the volume manager's specs: a tiny attachable volume plugin on the
// simulation clock (vSphere-shaped names) and the fixtures of a pod with a claim. Not part
// of the package's API.
import * as E from 'fp-ts/lib/Either.js';
import { concat, throwError, timer, map, type Observable } from 'rxjs';
import { createSimScheduler, type ApiError, type Simulation } from '@failsim/core';
import type { Node, PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import type { AttachableVolumePlugin } from '../../storage/volume-plugin.js';

/** A call the fake plugin received, with its virtual time. */
export interface PluginCall {
  readonly t: number;
  readonly op: 'mount' | 'unmount';
  readonly pv: string;
  readonly podUid: string;
}

/** An attachable plugin whose mount and unmount take fixed virtual time; a mount can be made to fail. */
export class FakeVsphereVolumePlugin implements AttachableVolumePlugin {
  readonly name = 'kubernetes.io/vsphere-volume';
  readonly usesVolumeAttachments = false;
  readonly calls: PluginCall[] = [];
  /** When set, mounts error with this message. */
  mountError: string | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly mountMs = 1_000,
    private readonly unmountMs = 500,
  ) {}

  canSupport(pv: PersistentVolume): boolean {
    return pv.spec?.vsphereVolume !== undefined;
  }

  uniqueVolumeName(pv: PersistentVolume): string {
    return `${this.name}/${pv.spec?.vsphereVolume?.volumePath ?? ''}`;
  }

  attach(): Observable<string> {
    return throwError(() => new Error('the kubelet never attaches'));
  }

  detach(): Observable<void> {
    return throwError(() => new Error('the kubelet never detaches'));
  }

  volumesAreAttached(pvs: readonly PersistentVolume[]): ReadonlyMap<string, boolean> {
    return new Map(pvs.map((pv) => [pv.metadata?.name ?? '', true]));
  }

  mount(pv: PersistentVolume, _nodeName: string, podUid: string): Observable<void> {
    this.calls.push({ t: this.sim.clock.now(), op: 'mount', pv: pv.metadata?.name ?? '', podUid });
    const done = timer(this.mountMs, createSimScheduler(this.sim.clock, { owner: 'fake-plugin', purpose: 'mount' })).pipe(map(() => undefined));
    const error = this.mountError;
    return error === undefined ? done : concat(done, throwError(() => new Error(error)));
  }

  unmount(pv: PersistentVolume, _nodeName: string, podUid: string): Observable<void> {
    this.calls.push({ t: this.sim.clock.now(), op: 'unmount', pv: pv.metadata?.name ?? '', podUid });
    return timer(this.unmountMs, createSimScheduler(this.sim.clock, { owner: 'fake-plugin', purpose: 'unmount' })).pipe(map(() => undefined));
  }
}

/** Unwraps an API result or throws its message. */
export const right = <T>(r: E.Either<ApiError, T>): T => {
  if (E.isLeft(r)) throw new Error(`${r.left.reason}: ${r.left.message}`);
  return r.right;
};

/** The seed's PV name and its VMDK's unique volume name. */
export const PV_NAME = 'pvc-91600a74-8d16-11e9-b070-005056a2a261';
export const UNIQUE_NAME = `kubernetes.io/vsphere-volume/[vsanDatastore] kubevols/kubernetes-dynamic-${PV_NAME}.vmdk`;

const ensureNamespace = (sim: Simulation): void => {
  const kubectl = sim.api.client('kubectl');
  if (E.isLeft(kubectl.get('Namespace', 'cassandra'))) right(kubectl.create('Namespace', { metadata: { name: 'cassandra' } }));
};

/** Creates a bound PV + PVC `cassandra-data-cassandra-0` in namespace cassandra. */
export const createBoundClaim = (sim: Simulation): void => {
  const kubectl = sim.api.client('kubectl');
  ensureNamespace(sim);
  const pv = right(
    kubectl.create('PersistentVolume', {
      metadata: { name: PV_NAME },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        vsphereVolume: { volumePath: `[vsanDatastore] kubevols/kubernetes-dynamic-${PV_NAME}.vmdk`, fsType: 'ext4' },
        claimRef: { namespace: 'cassandra', name: 'cassandra-data-cassandra-0' },
      },
    }),
  );
  right(kubectl.updateStatus('PersistentVolume', { ...pv, status: { phase: 'Bound' } }));
  const pvc = right(
    kubectl.create('PersistentVolumeClaim', {
      metadata: { name: 'cassandra-data-cassandra-0', namespace: 'cassandra' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeName: PV_NAME },
    }),
  );
  right(kubectl.updateStatus('PersistentVolumeClaim', { ...pvc, status: { phase: 'Bound' } }));
};

/** The seed's cassandra-0 on node `nodeName`: its claim's volume, then the service-account token volume. */
export const createCassandraPod = (sim: Simulation, nodeName: string): Pod => {
  ensureNamespace(sim);
  return right(
    sim.api.client('kubectl').create('Pod', {
      metadata: { name: 'cassandra-0', namespace: 'cassandra' },
      spec: {
        nodeName,
        containers: [{ name: 'cassandra', image: 'harbor.rainpole.com/library/cassandra:v11' }],
        volumes: [
          { name: 'cassandra-data', persistentVolumeClaim: { claimName: 'cassandra-data-cassandra-0' } },
          { name: 'default-token-6fj8b', secret: { secretName: 'default-token-6fj8b' } },
        ],
      },
    }),
  );
};

/** What the attach/detach controller writes once the disk is attached: node.status.volumesAttached. */
export const markAttached = (sim: Simulation, nodeName: string, devicePath = '/dev/disk/by-id/wwn-0x6000c29'): void => {
  const client = sim.api.client('attachdetach-controller');
  const node: Node = right(client.get('Node', nodeName));
  right(client.updateStatus('Node', { ...node, status: { ...node.status, volumesAttached: [{ name: UNIQUE_NAME, devicePath }] } }));
};

/** The attach/detach controller detached the disk. */
export const markDetached = (sim: Simulation, nodeName: string): void => {
  const client = sim.api.client('attachdetach-controller');
  const node: Node = right(client.get('Node', nodeName));
  const { volumesAttached: _, ...status } = node.status ?? {};
  right(client.updateStatus('Node', { ...node, status }));
};
