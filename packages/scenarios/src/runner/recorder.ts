// What a scenario run records while it runs: every core/v1 Event write and the changes of
// the fields operators watch (kubectl STATUS of Nodes and Pods, a Node's taints, a Pod's
// node, the VMs a PV's VMDK is attached to, each VM's power). API objects are followed through watches,
// the vSphere fields through vCenter's task completions, so nothing is polled.
import type { Kind, ObjectOf, WatchEvent } from '@failsim/core';
import { formatEventSource, isNodeHeartbeatOnly, nodeStatus, podColumns } from '@failsim/controllers';
import { VmChanges } from '@failsim/vsphere';
import type { Event, Node, NodeSpec, PersistentVolume, Taint } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';
import type { ArticleEnvironment } from '../environment/article-environment.js';
import { vmdkOfPv } from './references.js';
import { watchWith } from './watch-handler.js';

/** One Event write (creation or count update), as `kubectl get events` would show it. */
export interface RecordedEvent {
  /** Virtual seconds from the scenario start. */
  readonly at: number;
  readonly type: string;
  readonly reason: string;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  readonly object: string;
  readonly message: string;
  readonly count: number;
  /** `component, host` as kubectl prints SOURCE. */
  readonly source: string;
}

/** The fields a run follows. */
export type TransitionField = 'status' | 'taints' | 'node' | 'attachedTo' | 'power';

/** A taint as `kubectl describe node` prints it: `key=value:Effect`, or `key:Effect` without a value. */
export const formatTaint = (taint: Taint): string => `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;

/**
 * A Node's `taints` value: its taints in spec order, {@link formatTaint}ed and
 * comma-separated; "" for none.
 */
export const nodeTaints = (spec: NodeSpec | undefined): string => (spec?.taints ?? []).map(formatTaint).join(',');

/** A change of one field of one object; `from` null on creation, `to` null on removal. */
export interface Transition {
  readonly at: number;
  /** `Node/name`, `Pod/ns/name`, `PersistentVolume/name`, `VirtualMachine/name`. */
  readonly object: string;
  readonly field: TransitionField;
  readonly from: string | null;
  readonly to: string | null;
}

/** `Kind/ns/name` or `Kind/name`. */
export const objectKey = (kind: string, name: string, namespace?: string): string => (namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`);

/** Adds `name` to the set `sets` holds under `key`, made on first use. */
const addTo = (sets: Map<string, Set<string>>, key: string, name: string): void => {
  const named = sets.get(key);
  if (named === undefined) sets.set(key, new Set([name]));
  else named.add(name);
};

/** Told of each record as it is made (a live view, a transcript taking snapshots). */
export interface RecorderListener {
  event?(event: RecordedEvent): void;
  transition?(transition: Transition): void;
}

/**
 * What the recorder last saw of one object: its key, built once when the object is first
 * seen, and each followed field's value (undefined: the field has no value, as before the
 * object existed). Watch events that change nothing then cost a map lookup and no string.
 */
interface Followed {
  readonly key: string;
  status?: string;
  taints?: string;
  node?: string;
  attachedTo?: string;
  power?: string;
  /** A Node slot's last Node object, whose STATUS `status` is (see the Node watch). */
  lastNode?: Node;
}

/** Records events and transitions of one environment from now on. */
export class Recorder {
  readonly events: RecordedEvent[] = [];
  readonly transitions: Transition[] = [];
  readonly #env: ArticleEnvironment;
  readonly #startMs: number;
  readonly #listener: RecorderListener;
  // Followed objects by name (Pods by namespace, then name), so that a heartbeat's Node
  // update or a Pod status write finds its slot without building `Kind/ns/name` keys.
  readonly #nodes = new Map<string, Followed>();
  readonly #pods = new Map<string, Map<string, Followed>>();
  readonly #volumes = new Map<string, Followed>();
  readonly #vms = new Map<string, Followed>();
  readonly #pvs = new Map<string, PersistentVolume>();
  /** Each PV's place in #pvs (insertion order: a name keeps its place until removed). */
  readonly #pvOrder = new Map<string, number>();
  #nextPvOrder = 0;
  /*
   * A look at vSphere (each task end, each power event) re-reads the power of the VMs that
   * changed and the attachments of the PVs whose disk may have changed holders, not of
   * every VM and PV: each PV cost two datastore path parses, and a zone failure at 300
   * nodes has ~900 PVs and ~2,500 task ends (16% of its runner time). The VMs as the last
   * look saw them; each PV's VMDK as #attached resolved it, the PVs by VMDK, and the PVs
   * whose VMDK vCenter resolves (CSI: the first-class disk's path, by volume handle),
   * re-resolved at a look after a file they resolve to, or one of their first-class disk,
   * was created or deleted (vCenter's file count at the last such look in #filesRead).
   */
  readonly #vmChanges: VmChanges;
  #filesRead = -1;
  readonly #vmdkOf = new Map<string, string | undefined>();
  readonly #pvsByVmdk = new Map<string, Set<string>>();
  /** The PVs whose VMDK vCenter resolves, with their volume handle, and the PVs by handle. */
  readonly #resolvedByVcenter = new Map<string, string>();
  readonly #pvsByHandle = new Map<string, Set<string>>();
  readonly #subscriptions: Subscription[] = [];
  /** What stops each API watch. */
  readonly #stops: (() => void)[] = [];
  #offTask: (() => void) | undefined;

  constructor(env: ArticleEnvironment, startMs: number, listener: RecorderListener = {}) {
    this.#env = env;
    this.#startMs = startMs;
    this.#listener = listener;
    this.#vmChanges = new VmChanges(env.vcenter);
  }

  /** Starts watching; VMs that exist now are recorded as created. */
  start(): void {
    const client = this.#env.cluster.sim.api.client('scenario-recorder');
    const watch = <K extends Kind>(kind: K, f: (event: WatchEvent<ObjectOf<K>>) => void): void => void this.#stops.push(watchWith(client, kind, f));
    watch('Event', ({ type, object }) => {
      if (type !== 'DELETED') this.#event(object);
    });
    watch('Node', ({ type, object }) => {
      const name = object.metadata?.name ?? '';
      const slot = Recorder.#slot(this.#nodes, name, 'Node', undefined);
      if (type !== 'DELETED') {
        // A kubelet heartbeat (every 10 s a node in the 1.12 profile) moves the conditions'
        // lastHeartbeatTime only: the Ready condition's status and spec.unschedulable, all
        // STATUS reads, are those of the Node last seen, so STATUS is what the slot holds.
        const last = slot.lastNode;
        slot.lastNode = object;
        if (last !== undefined && isNodeHeartbeatOnly(last, object)) return;
        this.#set(slot, 'status', nodeStatus(object));
        // Like a Pod's node: nothing to say of a Node that never had a taint.
        if (last?.spec === object.spec) return;
        const taints = nodeTaints(object.spec);
        if (taints !== '' || slot.taints !== undefined) this.#set(slot, 'taints', taints);
        return;
      }
      this.#set(slot, 'status', null);
      this.#set(slot, 'taints', null);
      this.#nodes.delete(name);
    });
    watch('Pod', ({ type, object }) => {
      const name = object.metadata?.name ?? '';
      const namespace = object.metadata?.namespace ?? '';
      let inNamespace = this.#pods.get(namespace);
      if (inNamespace === undefined) this.#pods.set(namespace, (inNamespace = new Map<string, Followed>()));
      const slot = Recorder.#slot(inNamespace, name, 'Pod', namespace);
      if (type === 'DELETED') {
        this.#set(slot, 'status', null);
        this.#set(slot, 'node', null);
        inNamespace.delete(name);
        return;
      }
      this.#set(slot, 'status', podColumns(object).status);
      // A pod not yet scheduled has no node: nothing to say until it is bound.
      const nodeName = object.spec?.nodeName;
      if (nodeName !== undefined || slot.node !== undefined) this.#set(slot, 'node', nodeName ?? null);
    });
    watch('PersistentVolume', ({ type, object }) => {
      const name = object.metadata?.name ?? '';
      if (type === 'DELETED') {
        this.#pvs.delete(name);
        this.#pvOrder.delete(name);
        this.#index(name, undefined, undefined);
        this.#set(Recorder.#slot(this.#volumes, name, 'PersistentVolume', undefined), 'attachedTo', null);
        this.#volumes.delete(name);
      } else {
        if (!this.#pvOrder.has(name)) this.#pvOrder.set(name, this.#nextPvOrder++);
        this.#pvs.set(name, object);
        this.#attached(name, object);
      }
    });
    this.#power();
    // Power changes and disk reconfigurations are vCenter tasks: re-read when one ends.
    this.#offTask = this.#env.vcenter.tasks.onTask((task) => {
      if (task.status === 'Running') return;
      this.#vsphere();
    });
    this.#subscriptions.push(this.#env.vcenter.powerEvents$.subscribe(() => this.#vsphere()));
  }

  /** Stops watching. */
  stop(): void {
    for (const stop of this.#stops) stop();
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#offTask?.();
  }

  /** The value a field had at virtual second `at` (null: absent), from the transitions. */
  valueAt(object: string, field: TransitionField, at: number): string | null {
    let value: string | null = null;
    for (const t of this.transitions) {
      if (t.at > at) break;
      if (t.object === object && t.field === field) value = t.to;
    }
    return value;
  }

  /** Virtual seconds since the scenario start. */
  seconds(): number {
    return (this.#env.cluster.sim.clock.now() - this.#startMs) / 1000;
  }

  /** The slot of `name` in `slots`, made (with its `Kind/ns/name` key) on first sight. */
  static #slot(slots: Map<string, Followed>, name: string, kind: string, namespace: string | undefined): Followed {
    let slot = slots.get(name);
    if (slot === undefined) slots.set(name, (slot = { key: objectKey(kind, name, namespace) }));
    return slot;
  }

  #power(): void {
    for (const vm of this.#env.vcenter.vms()) this.#set(Recorder.#slot(this.#vms, vm.name, 'VirtualMachine', undefined), 'power', vm.powerState);
  }

  #vsphere(): void {
    // The VMs that changed: their power, and the disks whose holders may have changed
    // (those of each VM whose disk list changed, came or went).
    const touched = new Set<string>();
    this.#vmChanges.look(
      (vm, before) => {
        this.#set(Recorder.#slot(this.#vms, vm.name, 'VirtualMachine', undefined), 'power', vm.powerState);
        if (before?.disks === vm.disks) return;
        for (const d of before?.disks ?? []) touched.add(d.fileName);
        for (const d of vm.disks) touched.add(d.fileName);
      },
      (before) => {
        for (const d of before.disks) touched.add(d.fileName);
      },
    );
    const again = new Set<string>();
    for (const path of touched) for (const name of this.#pvsByVmdk.get(path) ?? []) again.add(name);
    const files = this.#env.vcenter.fileChanges;
    if (files !== this.#filesRead && this.#resolvedByVcenter.size > 0) {
      const paths = this.#filesRead < 0 ? undefined : this.#env.vcenter.filesChangedSince(this.#filesRead);
      this.#filesRead = files;
      for (const name of paths === undefined ? this.#resolvedByVcenter.keys() : this.#resolvedFrom(paths)) {
        const pv = this.#pvs.get(name);
        if (pv !== undefined && vmdkOfPv(this.#env, pv) !== this.#vmdkOf.get(name)) again.add(name);
      }
    }
    // In #pvs' order, in which every PV was re-read before (walking all 15,000 of a
    // 5,000-node cluster at each task end, 8% of its runner time), so the transitions come
    // in that order.
    const names = [...again].filter((name) => this.#pvs.has(name));
    if (names.length > 1) names.sort((a, b) => this.#pvOrder.get(a)! - this.#pvOrder.get(b)!);
    for (const name of names) this.#attached(name, this.#pvs.get(name)!);
  }

  /**
   * The PVs vCenter resolves whose VMDK a change of these files may move: those resolved
   * to one of them (deleted), and those of a first-class disk one of them is (created).
   */
  #resolvedFrom(paths: readonly string[]): Set<string> {
    const names = new Set<string>();
    for (const path of new Set(paths)) {
      for (const name of this.#pvsByVmdk.get(path) ?? []) if (this.#resolvedByVcenter.has(name)) names.add(name);
      const fcd = this.#env.vcenter.file(path)?.fcdId;
      for (const name of fcd === undefined ? [] : (this.#pvsByHandle.get(fcd) ?? [])) names.add(name);
    }
    return names;
  }

  #resolveByVcenter(name: string, handle: string | undefined): void {
    const was = this.#resolvedByVcenter.get(name);
    if (was === handle) return;
    if (was !== undefined) {
      this.#pvsByHandle.get(was)?.delete(name);
      this.#resolvedByVcenter.delete(name);
    }
    if (handle === undefined) return;
    this.#resolvedByVcenter.set(name, handle);
    addTo(this.#pvsByHandle, handle, name);
  }

  /** Keeps PV `name`'s VMDK (`pv` undefined: the PV is gone) in the maps #vsphere reads. */
  #index(name: string, pv: PersistentVolume | undefined, vmdk: string | undefined): void {
    const was = this.#vmdkOf.get(name);
    if (was !== undefined && was !== vmdk) this.#pvsByVmdk.get(was)?.delete(name);
    if (pv === undefined) {
      this.#vmdkOf.delete(name);
      this.#resolveByVcenter(name, undefined);
      return;
    }
    this.#vmdkOf.set(name, vmdk);
    if (vmdk !== undefined) addTo(this.#pvsByVmdk, vmdk, name);
    this.#resolveByVcenter(name, pv.spec?.vsphereVolume?.volumePath === undefined ? pv.spec?.csi?.volumeHandle : undefined);
  }

  #attached(name: string, pv: PersistentVolume): void {
    const vmdk = vmdkOfPv(this.#env, pv);
    this.#index(name, pv, vmdk);
    const vms = vmdk === undefined ? [] : this.#env.vcenter.vmsWithDisk(vmdk).map((vm) => vm.name).sort();
    this.#set(Recorder.#slot(this.#volumes, name, 'PersistentVolume', undefined), 'attachedTo', vms.join(','));
  }

  /** Records `field` of `slot` becoming `to` (null: no value), unless it already is. */
  #set(slot: Followed, field: TransitionField, to: string | null): void {
    const from = slot[field];
    // No change: the same value, or still none.
    if (from === undefined ? to === null : from === to) return;
    slot[field] = to ?? undefined;
    const transition: Transition = { at: this.seconds(), object: slot.key, field, from: from ?? null, to };
    this.transitions.push(transition);
    this.#listener.transition?.(transition);
  }

  #event(ev: Event): void {
    const involved = ev.involvedObject;
    const event: RecordedEvent = {
      at: this.seconds(),
      type: ev.type ?? '',
      reason: ev.reason ?? '',
      object: objectKey(involved.kind ?? '', involved.name ?? '', involved.namespace),
      message: ev.message ?? '',
      count: ev.count ?? 1,
      source: formatEventSource(ev),
    };
    this.events.push(event);
    this.#listener.event?.(event);
  }
}
