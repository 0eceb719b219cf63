// The pod garbage collector of kube-controller-manager, as upstream's
// pkg/controller/podgc/gc_controller.go: Kubernetes 1.28 (k/k main, klog v2 era), with the
// pre-1.17 orphan path of the same file before k/k PR #82365 (reference §4.1–4.4). A loop
// every 20 s (wait.UntilWithContext, sliding) deletes, in this order: terminated pods over
// --terminated-pod-gc-threshold, terminating pods on out-of-service NotReady nodes (gate
// NodeOutOfServiceVolumeDetach), pods bound to nodes that no longer exist, and terminating
// pods never scheduled. Every delete is a force delete (grace 0); from 1.26 a pod not yet
// terminal is first patched to phase Failed (gate PodDisruptionConditions).
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { type Informer, cacheKey, type ApiClient, type InformerEvent, type TimerHandle } from '@failsim/core';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { every, type Periodic } from '../runtime/periodic.js';
import { isNodeReady, isTerminating, TAINTS } from '../runtime/pod-util.js';
import { timeOf } from './controller-utils.js';

/** gcCheckPeriod: a constant upstream (not a flag). */
export const GC_CHECK_PERIOD = 20_000;

/** Options of the {@link PodGCController}; timers and gates come from the profile. */
export interface PodGCOptions {
  /** Period of the loop (ms); upstream's gcCheckPeriod constant, 20 s. */
  readonly gcCheckPeriod?: number;
}

const isTerminated = (pod: Pod): boolean => {
  const phase = pod.status?.phase;
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
};

/**
 * A pod's key in the controller's maps: its uid (the API server gives every pod one), or
 * for a pod without one its cache key, which no uid equals (uids hold no `/`).
 */
const podGCKey = (pod: Pod): string => pod.metadata?.uid || cacheKey(pod);

/** A bound pod in the node index, with the number of its last change. */
interface NodePod {
  pod: Pod;
  change: number;
}

/**
 * A node's pods in the order of their last change: the order a map that removed and added
 * each pod on every change would iterate them in (what the passes deleted in before the
 * index updated pods in place).
 */
const podsInChangeOrder = (pods: ReadonlyMap<string, NodePod> | undefined): Pod[] => {
  if (!pods) return [];
  return [...pods.values()].sort((a, b) => a.change - b.change).map((entry) => entry.pod);
};

/** Oldest first, names breaking ties (byCreationTimestamp). */
const byCreation = (a: Pod, b: Pod): number => {
  const ta = timeOf(a.metadata?.creationTimestamp) ?? 0;
  const tb = timeOf(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
};

/**
 * PodGCController: force-deletes pods nobody else will ever delete.
 *
 * Orphans — pods whose `spec.nodeName` names no Node, e.g. after `kubectl delete node` —
 * go on the first run after the Node went before 1.17 (0–20 s; the Node list comes from
 * the API each run). From 1.17 a missing name is quarantined for
 * `behaviours.podGCOrphanQuarantine` (40 s) and a fresh GET must still say NotFound, so
 * they go 40–60 s after the Node.
 *
 * @example
 * ```ts
 * const gc = new PodGCController({ sim, profile: profile118, timings: defaultTimings });
 * gc.start();
 * kubectl.delete('Node', 'w2');
 * sim.clock.runFor(60_000); // w2's pods are gone
 * ```
 */
export class PodGCController implements Component {
  readonly name = 'pod-garbage-collector';
  readonly #ctx: ControllerContext;
  readonly #client: ApiClient;
  readonly #period: number;
  readonly #pods: Informer<'Pod'>;
  readonly #nodes: Informer<'Node'>;
  /** Bound pods by spec.nodeName, then key (see #index), each with the number of its last change. */
  readonly #byNode = new Map<string, Map<string, NodePod>>();
  /** Counter of the changes #byNode has taken: what orders a node's pods (see podsInChangeOrder). */
  #changes = 0;
  readonly #terminating = new Map<string, Pod>();
  readonly #terminated = new Map<string, Pod>();
  /** The delaying queue of node names (nodeQueue): names waiting out their quarantine, and names ready. */
  readonly #quarantined = new Map<string, TimerHandle>();
  readonly #ready = new Set<string>();
  readonly #subscriptions: Subscription[] = [];
  #loop: Periodic | undefined;

  constructor(ctx: ControllerContext, options: PodGCOptions = {}) {
    this.#ctx = ctx;
    this.#client = ctx.sim.api.client(this.name);
    this.#period = options.gcCheckPeriod ?? GC_CHECK_PERIOD;
    this.#pods = sharedInformer(ctx, 'Pod');
    this.#nodes = sharedInformer(ctx, 'Node');
  }

  start(): void {
    this.#subscriptions.push(this.#pods.events$.subscribe((event) => this.#index(event)));
    this.#subscriptions.push(this.#nodes.events$.subscribe());
    this.#loop = every(this.#ctx.sim.clock, this.#period, { owner: this.name, purpose: 'pod GC pass (gcCheckPeriod)' }, () => this.gc());
  }

  stop(): void {
    this.#loop?.stop();
    for (const s of this.#subscriptions.splice(0)) s.unsubscribe();
    for (const timer of this.#quarantined.values()) timer.cancel();
    this.#quarantined.clear();
    this.#ready.clear();
  }

  /** One pass of the loop (gc); the loop calls it every gcCheckPeriod. */
  gc(): void {
    if (this.#ctx.profile.options.terminatedPodGCThreshold > 0) this.#gcTerminated();
    if (this.#ctx.profile.features.NodeOutOfServiceVolumeDetach) this.#gcTerminating();
    this.#gcOrphaned();
    this.#gcUnscheduledTerminating();
  }

  #index(event: InformerEvent<Pod>): void {
    // Keyed by uid, a string the pod already holds: a `namespace/name` key built and hashed
    // per Pod write was this handler's main cost. A uid names one pod, as its key does while
    // it exists; a pod recreated under the same name (seen as one MODIFIED after a relist)
    // has a new uid, so the old version's entries go by the old uid.
    const key = podGCKey(event.object);
    const old = event.old;
    const oldKey = old ? podGCKey(old) : key;
    const node = event.type === 'DELETED' ? undefined : event.object.spec?.nodeName;
    const oldNode = old?.spec?.nodeName ?? '';
    if (old && node && node === oldNode && oldKey === key && this.#updateInPlace(node, key, event.object)) {
      // Taken where it was: no move of the node's map, no allocation.
    } else {
      if (old) {
        const pods = this.#byNode.get(oldNode);
        if (pods?.delete(oldKey) && pods.size === 0) this.#byNode.delete(oldNode);
      }
      if (node) {
        let pods = this.#byNode.get(node);
        if (!pods) this.#byNode.set(node, (pods = new Map<string, NodePod>()));
        pods.set(key, { pod: event.object, change: ++this.#changes });
      }
    }
    // Both are empty but while pods terminate: no probe of an empty map per Pod write.
    if (this.#terminating.size !== 0) {
      this.#terminating.delete(oldKey);
      if (oldKey !== key) this.#terminating.delete(key);
    }
    if (this.#terminated.size !== 0) {
      this.#terminated.delete(oldKey);
      if (oldKey !== key) this.#terminated.delete(key);
    }
    if (event.type === 'DELETED') return;
    const pod = event.object;
    if (isTerminating(pod)) this.#terminating.set(key, pod);
    if (isTerminated(pod)) this.#terminated.set(key, pod);
  }

  /**
   * An update of a pod that stays on `node`. Upstream-order matters here: the passes delete
   * a node's pods in the order of their last change, and walk the nodes in the order their
   * pod maps were (re)made. A remove and add moved the pod to the end of its node's map —
   * here its change number goes up instead (podsInChangeOrder sorts by it) — and, when it
   * was the node's only pod, emptied the map, dropped it and made it again at the end of
   * #byNode: that move is kept. False when the pod was not indexed (then it is added).
   */
  #updateInPlace(node: string, key: string, pod: Pod): boolean {
    const pods = this.#byNode.get(node);
    const entry = pods?.get(key);
    if (!pods || !entry) return false;
    entry.pod = pod;
    entry.change = ++this.#changes;
    if (pods.size === 1) {
      this.#byNode.delete(node);
      this.#byNode.set(node, pods);
    }
    return true;
  }

  #gcTerminated(): void {
    const excess = this.#terminated.size - this.#ctx.profile.options.terminatedPodGCThreshold;
    if (excess <= 0) return;
    for (const pod of [...this.#terminated.values()].sort(byCreation).slice(0, excess)) this.#markFailedAndDelete(pod);
  }

  /** gcTerminating (KEP-2268): terminating pods on a NotReady node with the out-of-service taint. */
  #gcTerminating(): void {
    const doomed = [...this.#terminating.values()].filter((pod) => {
      const node = this.#nodes.get(pod.spec?.nodeName ?? '');
      return node !== undefined && !isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === TAINTS.outOfService);
    });
    for (const pod of doomed.sort(byCreation)) this.#markFailedAndDelete(pod);
  }

  #gcOrphaned(): void {
    const quarantine = this.#ctx.profile.behaviours.podGCOrphanQuarantine;
    if (quarantine <= 0) {
      this.#gcOrphanedFromApiList();
      return;
    }
    const known = (name: string): boolean => this.#nodes.get(name) !== undefined;
    for (const nodeName of this.#byNode.keys()) if (!known(nodeName)) this.#addAfter(nodeName, quarantine);
    // discoverDeletedNodes: only names whose quarantine is over, each checked by a fresh GET.
    const deleted: string[] = [];
    for (const nodeName of [...this.#ready]) {
      this.#ready.delete(nodeName);
      if (known(nodeName)) continue;
      const got = this.#client.get('Node', nodeName);
      // Any other error: the name comes back to the queue on a later pass if still needed.
      if (E.isLeft(got) && got.left.reason === 'NotFound') deleted.push(nodeName);
    }
    const condition: PodCondition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByPodGC',
      message: 'PodGC: node no longer exists',
      lastTransitionTime: this.#ctx.sim.clock.iso(),
    };
    for (const nodeName of deleted) {
      for (const pod of podsInChangeOrder(this.#byNode.get(nodeName))) this.#markFailedAndDelete(pod, condition);
    }
  }

  /** Before 1.17: the Node list straight from the API, and every pod on an unlisted node goes now. */
  #gcOrphanedFromApiList(): void {
    const nodes = this.#client.list('Node');
    if (E.isLeft(nodes)) return;
    const names = new Set<string>();
    for (const n of nodes.right.items) names.add(n.metadata?.name ?? '');
    // The orphaned nodes' pod maps as the index holds them now (deleting pods changes the
    // index): taken before the first delete, without copying the whole index every pass.
    let orphans: Map<string, NodePod>[] | undefined;
    for (const [nodeName, pods] of this.#byNode) if (!names.has(nodeName)) (orphans ??= []).push(pods);
    for (const pods of orphans ?? []) for (const pod of podsInChangeOrder(pods)) this.#markFailedAndDelete(pod);
  }

  #gcUnscheduledTerminating(): void {
    for (const pod of [...this.#terminating.values()]) if (!pod.spec?.nodeName) this.#markFailedAndDelete(pod);
  }

  /** nodeQueue.AddAfter: a name already waiting keeps its earlier time. */
  #addAfter(nodeName: string, delayMs: number): void {
    if (this.#ready.has(nodeName)) return;
    const waiting = this.#quarantined.get(nodeName);
    if (waiting?.active) return;
    this.#quarantined.set(
      nodeName,
      this.#ctx.sim.clock.schedule(
        delayMs,
        () => {
          this.#quarantined.delete(nodeName);
          this.#ready.add(nodeName);
        },
        { owner: this.name, purpose: `quarantine of unknown node ${nodeName}` },
      ),
    );
  }

  /**
   * markFailedAndDeletePodWithCondition: with PodDisruptionConditions a pod not yet
   * terminal is first patched to Failed (plus `condition`, for orphans), since no kubelet
   * may ever do it; then it is deleted with grace 0.
   */
  #markFailedAndDelete(pod: Pod, condition?: PodCondition): void {
    const name = pod.metadata?.name ?? '';
    const namespace = pod.metadata?.namespace ?? 'default';
    const phase = pod.status?.phase;
    if (this.#ctx.profile.features.PodDisruptionConditions && phase !== 'Succeeded' && phase !== 'Failed') {
      const status = condition ? { phase: 'Failed', conditions: [condition] } : { phase: 'Failed' };
      const patched = this.#client.patch('Pod', name, { status }, { namespace, subresource: 'status' });
      if (E.isLeft(patched)) return;
    }
    this.#client.delete('Pod', name, { namespace, gracePeriodSeconds: 0 });
  }
}
