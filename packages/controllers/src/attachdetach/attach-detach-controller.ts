// The attach/detach controller of kube-controller-manager, as upstream's
// pkg/controller/volume/attachdetach/attach_detach_controller.go (k/k v1.28): informers on
// Pods, Nodes, PVCs and PVs fill the desired state (pod volumes on the pod's node) and the
// mounted flags of the actual state (node.status.volumesInUse); at start the actual state is
// rebuilt from every node's status.volumesAttached and from VolumeAttachments; the
// reconciler attaches and detaches through the volume plugins. Storage reference §3, §7.
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { Node, PersistentVolume, Pod } from 'kubernetes-types/core/v1.js';
import { EventRecorder, type Informer, type ApiClient, type InformerEvent } from '@failsim/core';
import { CONTROLLER_MANAGED_ATTACH_ANNOTATION } from '../kubelet/kubelet-node-status.js';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { TAINTS, isNodeReady } from '../runtime/pod-util.js';
import { isNodeHeartbeatOnly } from '../runtime/node-heartbeat.js';
import { findPlugin, type AttachableVolumePlugin } from '../storage/volume-plugin.js';
import { ActualStateOfWorld } from './actual-state-of-world.js';
import { DesiredStateOfWorld } from './desired-state-of-world.js';
import { DesiredStateOfWorldPopulator, determineVolumeAction } from './desired-state-of-world-populator.js';
import { NestedPendingOperations } from './nested-pending-operations.js';
import { NodeStatusUpdater } from './node-status-updater.js';
import { OperationExecutor } from './operation-executor.js';
import { Reconciler } from './reconciler.js';

/** The controller's name, also its event source component. */
export const ATTACH_DETACH_CONTROLLER_NAME = 'attachdetach-controller';

/** volumes.kubernetes.io/keep-terminated-pod-volumes (KeepTerminatedPodVolumesAnnotation). */
export const KEEP_TERMINATED_POD_VOLUMES_ANNOTATION = 'volumes.kubernetes.io/keep-terminated-pod-volumes';

/** Construction options of an {@link AttachDetachController}. */
export interface AttachDetachControllerOptions {
  /** The attachable volume plugins (the vSphere package provides VCP and CSI ones). */
  readonly plugins: readonly AttachableVolumePlugin[];
}

const podKey = (pod: Pod): string => `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
const claimKey = (namespace: string, name: string): string => `${namespace}/${name}`;

const NO_CLAIMS: readonly string[] = Object.freeze([]);

/**
 * The pod's PersistentVolumeClaim names in volume order (volume-util's podClaimNames),
 * without its flatMap: asked on every pod event, and most pods have no claim, for which
 * the shared empty list is the answer.
 */
const claimNamesOf = (pod: Pod): readonly string[] => {
  const volumes = pod.spec?.volumes;
  if (!volumes) return NO_CLAIMS;
  let names: string[] | undefined;
  for (let i = 0; i < volumes.length; i++) {
    const claim = volumes[i]!.persistentVolumeClaim;
    if (claim) (names ??= []).push(claim.claimName);
  }
  return names ?? NO_CLAIMS;
};
/** Whether claimNamesOf(pod) is not empty, without making the list. */
const hasClaim = (pod: Pod): boolean => {
  const volumes = pod.spec?.volumes;
  if (volumes) for (let i = 0; i < volumes.length; i++) if (volumes[i]!.persistentVolumeClaim) return true;
  return false;
};
const hasOutOfServiceTaint = (node: Node | undefined): boolean => {
  // A loop, not `.some` with a closure: asked twice on every Node update (each heartbeat).
  const taints = node?.spec?.taints;
  if (taints) for (let i = 0; i < taints.length; i++) if (taints[i]!.key === TAINTS.outOfService) return true;
  return false;
};

/**
 * Whether a Node update can change the detach pass's verdicts: readiness and the
 * out-of-service taint. A heartbeat shares the old spec (taints) by reference, so the
 * taints are read only when the spec itself changed.
 */
export const detachInputsChanged = (old: Node, node: Node): boolean =>
  isNodeReady(old) !== isNodeReady(node) || (old.spec !== node.spec && hasOutOfServiceTaint(old) !== hasOutOfServiceTaint(node));

/**
 * AttachDetachController: attaches the volumes scheduled pods need to their nodes and
 * detaches those no longer needed, with upstream's timers: a pass every 100 ms
 * (`attachDetachReconcilerLoopPeriod`), the 6 min force detach
 * (`maxWaitForUnmountDuration`, from healthy nodes only when the profile's
 * `forceDetachRequiresUnhealthyNode` is false), the out-of-service taint, the 60 s verify
 * and the 500 ms → 2 min 2 s back-off.
 *
 * @example
 * ```ts
 * const plugin = new FakeAttachablePlugin(sim.clock);
 * const adc = new AttachDetachController({ sim, profile: profile114, timings: defaultTimings }, { plugins: [plugin] });
 * adc.start();
 * // a pod using a bound PVC lands on w1: "AttachVolume.Attach succeeded for volume "pv-1" " within 100 ms
 * ```
 */
export class AttachDetachController implements Component {
  readonly name = ATTACH_DETACH_CONTROLLER_NAME;
  /** The desired state of world (read-only use outside the controller). */
  readonly dsw = new DesiredStateOfWorld();
  /** The actual state of world (read-only use outside the controller). */
  readonly asw = new ActualStateOfWorld();
  readonly reconciler: Reconciler;
  readonly #client: ApiClient;
  readonly #plugins: readonly AttachableVolumePlugin[];
  readonly #pods: Informer<'Pod'>;
  readonly #nodes: Informer<'Node'>;
  readonly #pvcs: Informer<'PersistentVolumeClaim'>;
  readonly #pvs: Informer<'PersistentVolume'>;
  readonly #pending = new NestedPendingOperations();
  readonly #executor: OperationExecutor;
  readonly #populator: DesiredStateOfWorldPopulator;
  readonly #subscriptions: Subscription[] = [];
  /** Pod uid → the (volume, node) entries it holds in the desired state. */
  readonly #podEntries = new Map<string, Set<string>>();
  /** Claim key → keys of the pods that use it. */
  readonly #podsByClaim = new Map<string, Set<string>>();
  /**
   * Keys of the pods with PersistentVolumeClaims, as the pod events left them: the only
   * pods #processPodVolumes can add a volume for, so the only ones the populator's
   * 3-minute re-list needs to read (a pod's volumes never change).
   */
  readonly #claimPods = new Map<string, { readonly name: string; readonly namespace: string }>();
  /**
   * Whether the populator's removal sweep may find something: set by every pod event, every
   * change of the desired state and of its nodes (or their keep-terminated flag), cleared
   * when the sweep runs. A settled cluster writes no pods, so the sweep is mostly skipped.
   */
  #sweepNeeded = true;
  /**
   * Bumped by whatever #processPodVolumes reads besides the pod: claim and volume events,
   * changes of the desired state, nodes added to or removed from it.
   */
  #inputsVersion = 0;
  /**
   * Per pod object, the #inputsVersion after #processPodVolumes added its volumes, and the
   * volume specs it gave the actual state: the populator's re-list of the same pod object
   * with nothing changed since would find every entry in place.
   */
  readonly #processed = new WeakMap<Pod, { readonly version: number; readonly specs: readonly (readonly [string, PersistentVolume])[] }>();

  constructor(ctx: ControllerContext, options: AttachDetachControllerOptions) {
    this.#plugins = options.plugins;
    this.#client = ctx.sim.api.client(this.name);
    const recorder = new EventRecorder(this.#client, { component: this.name }, { trace: ctx.sim.trace });
    this.#pods = sharedInformer(ctx, 'Pod');
    this.#nodes = sharedInformer(ctx, 'Node');
    this.#pvcs = sharedInformer(ctx, 'PersistentVolumeClaim');
    this.#pvs = sharedInformer(ctx, 'PersistentVolume');
    const statusUpdater = new NodeStatusUpdater(this.#client, this.#nodes, this.asw);
    this.#executor = new OperationExecutor({
      clock: ctx.sim.clock,
      client: this.#client,
      recorder,
      asw: this.asw,
      pending: this.#pending,
      owner: this.name,
      onComplete: () => this.reconciler.wake(),
    });
    this.reconciler = new Reconciler({
      clock: ctx.sim.clock,
      profile: ctx.profile,
      dsw: this.dsw,
      asw: this.asw,
      executor: this.#executor,
      pending: this.#pending,
      statusUpdater,
      nodes: this.#nodes,
      recorder,
      plugins: this.#plugins,
      pvFor: (volumeName) => this.#pvFor(volumeName),
      owner: this.name,
    });
    this.#populator = new DesiredStateOfWorldPopulator(ctx.sim.clock, this.dsw, this.#pods, (pod) => this.#repopulatePod(pod), this.name, {
      candidates: () => this.#podsWithClaims(),
      sweepNeeded: () => {
        const needed = this.#sweepNeeded;
        this.#sweepNeeded = false;
        return needed;
      },
    });
    this.dsw.onChange(() => {
      this.#sweepNeeded = true;
      this.#inputsVersion++;
      this.reconciler.wake();
    });
    this.asw.onChange(() => this.reconciler.wake());
  }

  start(): void {
    this.#sweepNeeded = true;
    this.#inputsVersion++;
    this.#subscriptions.push(this.#pvs.events$.subscribe((e) => this.#pvEvent(e)));
    this.#subscriptions.push(
      this.#pvcs.events$.subscribe((e) => {
        this.#inputsVersion++;
        this.#reprocessClaim(e.object.metadata?.namespace ?? 'default', e.object.metadata?.name ?? '');
      }),
    );
    this.#subscriptions.push(this.#nodes.events$.subscribe((e) => this.#nodeEvent(e)));
    this.#populateActualStateOfWorld();
    this.#subscriptions.push(this.#pods.events$.subscribe((e) => this.#podEvent(e)));
    this.reconciler.start();
    this.#populator.start();
  }

  stop(): void {
    this.reconciler.stop();
    this.#populator.stop();
    this.#executor.stop();
    for (const s of this.#subscriptions.splice(0)) s.unsubscribe();
    // A later start gets an ADDED per cached pod again.
    this.#claimPods.clear();
  }

  /** populateActualStateOfWorld + processVolumeAttachments: the rebuild at start. */
  #populateActualStateOfWorld(): void {
    for (const node of this.#nodes.list()) {
      const nodeName = node.metadata?.name ?? '';
      for (const attached of node.status?.volumesAttached ?? []) {
        this.asw.markVolumeAsAttached(attached.name, this.#pvFor(attached.name), nodeName, attached.devicePath);
      }
      this.asw.setVolumesMountedByNode(node.status?.volumesInUse ?? [], nodeName);
      this.#addNodeToDsw(node);
    }
    // VolumeAttachments that node status does not reflect are Uncertain: attached or not, the next pass sorts it out.
    const attachments = this.#client.list('VolumeAttachment');
    if (E.isLeft(attachments)) return;
    for (const va of attachments.right.items) {
      const pvName = va.spec?.source?.persistentVolumeName;
      const pv = pvName ? this.#pvs.get(pvName) : undefined;
      const plugin = pv && findPlugin(this.#plugins, pv);
      if (!pv || !plugin?.usesVolumeAttachments) continue;
      const volumeName = plugin.uniqueVolumeName(pv);
      const nodeName = va.spec?.nodeName ?? '';
      if (this.asw.getAttachState(volumeName, nodeName) !== 'Attached') this.asw.markVolumeAsUncertain(volumeName, pv, nodeName);
    }
  }

  #nodeEvent(event: InformerEvent<Node>): void {
    const node = event.object;
    const nodeName = node.metadata?.name ?? '';
    if (event.type === 'DELETED') {
      // DeleteNode fails while volumes are wanted there (upstream logs it); the node stays managed until its pods go.
      if (this.dsw.nodeExists(nodeName)) this.#nodesChanged();
      this.dsw.deleteNode(nodeName);
      // nodeDelete still processes the last volumesInUse: attachments stay "mounted", so the 6 min timer applies.
      this.asw.setVolumesMountedByNode(node.status?.volumesInUse ?? [], nodeName);
      this.reconciler.wake();
      return;
    }
    this.#addNodeToDsw(node);
    this.asw.setVolumesMountedByNode(node.status?.volumesInUse ?? [], nodeName);
    // kubernetes/kubernetes#37586: a (re)added Node gets its volumesAttached written again.
    if (event.type === 'ADDED') this.asw.setNodeStatusUpdateNeeded(nodeName);
    // Health and the out-of-service taint only matter to the detach pass; other node updates (heartbeats) need no pass.
    const old = event.old;
    if (!old || (!isNodeHeartbeatOnly(old, node) && detachInputsChanged(old, node))) {
      if (this.asw.getAttachedVolumesForNode(nodeName).length > 0) this.reconciler.wake();
    }
  }

  #addNodeToDsw(node: Node): void {
    const annotations = node.metadata?.annotations ?? {};
    if (annotations[CONTROLLER_MANAGED_ATTACH_ANNOTATION] === undefined) return;
    const name = node.metadata?.name ?? '';
    const keep = annotations[KEEP_TERMINATED_POD_VOLUMES_ANNOTATION] === 'true';
    // Called on every heartbeat: only a new node or a changed flag is news.
    if (!this.dsw.nodeExists(name) || this.dsw.keepTerminatedPodVolumes(name) !== keep) this.#nodesChanged();
    this.dsw.addNode(name, keep);
  }

  /** The desired state's nodes change: what the populator and #processPodVolumes read. */
  #nodesChanged(): void {
    this.#sweepNeeded = true;
    this.#inputsVersion++;
  }

  #podEvent(event: InformerEvent<Pod>): void {
    this.#sweepNeeded = true;
    const pod = event.object;
    const deleted = event.type === 'DELETED';
    // A pod without claims (most of them) is in none of the maps below and gives the
    // desired state nothing: #processPodVolumes would only note it as processed, which
    // only the populator's re-list of pods with claims reads. A pod's volumes never change.
    if (!deleted && !hasClaim(pod)) return;
    const old = event.old;
    if (!deleted && old !== undefined && old.spec === pod.spec) {
      // A write that kept the spec (a kubelet status write, a graceful deletion: stored
      // versions share unchanged subtrees): the same claims on the same node, and the maps
      // below hold the pod already (the event that brought `old` put it there).
      const addVolumes = determineVolumeAction(pod, this.dsw);
      const done = addVolumes ? this.#processed.get(old) : undefined;
      if (done !== undefined && done.version === this.#inputsVersion && old.metadata?.uid === pod.metadata?.uid) this.#reprocessPod(pod, done);
      else this.#processPodVolumes(pod, addVolumes);
      return;
    }
    const claims = claimNamesOf(pod);
    const namespace = pod.metadata?.namespace ?? 'default';
    const key = podKey(pod);
    if (deleted) this.#claimPods.delete(key);
    else if (claims.length > 0 && !this.#claimPods.has(key)) this.#claimPods.set(key, { name: pod.metadata?.name ?? '', namespace });
    for (const claim of claims) {
      const ck = claimKey(namespace, claim);
      let pods = this.#podsByClaim.get(ck);
      if (event.type === 'DELETED') {
        pods?.delete(key);
        if (pods?.size === 0) this.#podsByClaim.delete(ck);
        continue;
      }
      if (!pods) this.#podsByClaim.set(ck, (pods = new Set()));
      pods.add(key);
    }
    if (event.type === 'DELETED') this.#processPodVolumes(pod, false, claims);
    else this.#processPodVolumes(pod, determineVolumeAction(pod, this.dsw), claims);
  }

  #pvEvent(event: InformerEvent<PersistentVolume>): void {
    this.#inputsVersion++;
    const ref = event.object.spec?.claimRef;
    if (event.type !== 'DELETED' && ref?.name) this.#reprocessClaim(ref.namespace ?? 'default', ref.name);
  }

  /**
   * The current objects of the pods with claims, for the populator. Not in the informer's
   * key order: the order in which #processPodVolumes sees pods only decides insertion
   * order in maps that every reader sorts, and a wake-up of the reconciler, which the
   * first change schedules whoever makes it.
   */
  *#podsWithClaims(): Generator<Pod> {
    for (const { name, namespace } of this.#claimPods.values()) {
      const pod = this.#pods.get(name, namespace);
      if (pod) yield pod;
    }
  }

  /** A claim or its volume changed: the pods that use it are processed again (syncPVCByKey). */
  #reprocessClaim(namespace: string, name: string): void {
    for (const key of [...(this.#podsByClaim.get(claimKey(namespace, name)) ?? [])]) {
      // A pod listed by claim is in #claimPods (both are kept by the same events), whose
      // entry holds the name and namespace: no slicing of the key. Not after a stop, which
      // forgets #claimPods only, until the pods' ADDED replay: the key is sliced then.
      const ref = this.#claimPods.get(key);
      const slash = ref ? -1 : key.indexOf('/');
      const pod = ref ? this.#pods.get(ref.name, ref.namespace) : this.#pods.get(key.slice(slash + 1), key.slice(0, slash));
      if (pod?.spec?.nodeName) this.#processPodVolumes(pod, determineVolumeAction(pod, this.dsw));
    }
  }

  /** ProcessPodVolumes: adds or removes the pod's attachable PVC-backed volumes on its node. */
  #processPodVolumes(pod: Pod, addVolumes: boolean, claims: readonly string[] = claimNamesOf(pod)): void {
    const uid = pod.metadata?.uid ?? podKey(pod);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    if (!addVolumes) {
      for (const entry of this.#podEntries.get(uid) ?? []) {
        const [volumeName = '', entryNode = ''] = entry.split('\u0000');
        this.dsw.deletePod(uid, volumeName, entryNode);
      }
      this.#podEntries.delete(uid);
      return;
    }
    const specs: (readonly [string, PersistentVolume])[] = [];
    // A pod on a node the controller does not manage is ignored; the populator's re-list picks it up later.
    if (this.dsw.nodeExists(nodeName)) {
      const namespace = pod.metadata?.namespace ?? 'default';
      for (const claimName of claims) {
        const pv = this.#boundVolume(namespace, claimName);
        const plugin = pv && findPlugin(this.#plugins, pv);
        if (!pv || !plugin) continue;
        const volumeName = plugin.uniqueVolumeName(pv);
        if (E.isLeft(this.dsw.addPod(pod, pv, volumeName, nodeName))) continue;
        let entries = this.#podEntries.get(uid);
        if (!entries) this.#podEntries.set(uid, (entries = new Set()));
        entries.add(`${volumeName}\u0000${nodeName}`);
        // After a start-up rebuild the actual state may know this volume by name only.
        this.asw.setVolumeSpec(volumeName, pv);
        specs.push([volumeName, pv]);
      }
    }
    // Read after this call's own changes: the same call again would change nothing.
    this.#processed.set(pod, { version: this.#inputsVersion, specs });
  }

  /**
   * #processPodVolumes(pod, true) for `pod` when its previous version, with the same spec
   * and uid, was processed as `done` with nothing it reads changed since (#inputsVersion):
   * every claim resolves to the same volume and every entry is in place, so what is left is
   * what the call would still do: the desired state's pod object replaced, the actual
   * state's volume specs given again, in the same order, and the pod noted as processed.
   */
  #reprocessPod(pod: Pod, done: { readonly version: number; readonly specs: readonly (readonly [string, PersistentVolume])[] }): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const specs = done.specs;
    for (let i = 0; i < specs.length; i++) {
      const [volumeName, pv] = specs[i]!;
      this.dsw.addPod(pod, pv, volumeName, nodeName);
      this.asw.setVolumeSpec(volumeName, pv);
    }
    this.#processed.set(pod, done);
  }

  /**
   * The populator's re-add of a pod: #processPodVolumes, unless this very pod object was
   * processed with nothing it reads changed since, when only the actual state's volume
   * specs are given again (the one effect that does not depend on those inputs).
   */
  #repopulatePod(pod: Pod): void {
    const done = this.#processed.get(pod);
    if (done?.version !== this.#inputsVersion) {
      this.#processPodVolumes(pod, true);
      return;
    }
    for (const [volumeName, pv] of done.specs) this.asw.setVolumeSpec(volumeName, pv);
  }

  /** The PV bound to the claim (CreateVolumeSpec): the claim must be Bound and the PV's claimRef must carry its uid. */
  #boundVolume(namespace: string, claimName: string): PersistentVolume | undefined {
    const pvc = this.#pvcs.get(claimName, namespace);
    if (!pvc || pvc.status?.phase !== 'Bound' || !pvc.spec?.volumeName) return undefined;
    const pv = this.#pvs.get(pvc.spec.volumeName);
    if (!pv || pv.spec?.claimRef?.uid !== pvc.metadata?.uid) return undefined;
    return pv;
  }

  #pvFor(volumeName: string): PersistentVolume | undefined {
    for (const pv of this.#pvs.list()) {
      const plugin = findPlugin(this.#plugins, pv);
      if (plugin && plugin.uniqueVolumeName(pv) === volumeName) return pv;
    }
    return undefined;
  }
}
