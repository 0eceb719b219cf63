// The DaemonSet controller, as upstream's pkg/controller/daemon/daemon_controller.go
// (syncDaemonSet, manage, podsShouldBeOnNode, NodeShouldRunDaemonPod, syncNodes,
// updateDaemonSetStatus) and util/daemonset_util.go (AddOrUpdateDaemonPodTolerations,
// ReplaceDaemonSetPodNodeNameNodeAffinity, GetTargetNodeName) of Kubernetes 1.28;
// reference §5.3. Since 1.12 (ScheduleDaemonSetPods) the controller does not bind its
// pods: it pins each to its node with a required node affinity on metadata.name and lets
// the default scheduler bind it. Its pods tolerate not-ready and unreachable NoExecute
// forever, so node failure never evicts them; a deleted node's pods are left to PodGC and
// not re-created. Not modelled: rolling updates of the template (pods keep their
// revision, as with OnDelete), surge, and the scheduler predicates 1.12–1.17 also ran.
// updateNode's shouldIgnoreNodeUpdate / nodeInSameCondition are those of release-1.12 to
// release-1.28 (k/k PR #121669 reduced the check to labels and taints in 1.29).
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import type { DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Affinity, Node, NodeCondition, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { EventRecorder, type Informer, deepEqual, deepEqualExcept, type ApiClient, type InformerEvent, type LabelMatcher, type SeededRandom } from '@failsim/core';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { TAINTS, controllerOf, isPodActive, isPodReady, isTerminating, keyOf, splitKey, toleratesTaint } from '../runtime/pod-util.js';
import { WorkQueue, type ReconcileResult } from '../runtime/work-queue.js';
import { isNodeHeartbeatOnly } from '../runtime/node-heartbeat.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  InstantCreations,
  type IndexedInformer,
  type OwnerIndex,
  indexedPods,
  adopt,
  computeHash,
  isPodAvailable,
  enqueueOwnersOfPodEvent,
  OwnerKeys,
  podFromTemplate,
  randomSuffix,
  selectorOf,
  timeOf,
} from './controller-utils.js';
import { nodeSelectorMatcher } from '../scheduling/node-affinity.js';

/**
 * AddOrUpdateDaemonPodTolerations: not-ready and unreachable NoExecute without
 * tolerationSeconds (so DefaultTolerationSeconds adds none), the condition taints and
 * unschedulable NoSchedule, and network-unavailable for hostNetwork pods.
 */
export const addDaemonPodTolerations = (spec: PodSpec): PodSpec => {
  const wanted: Toleration[] = [
    { key: TAINTS.notReady, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINTS.unreachable, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINTS.diskPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINTS.memoryPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINTS.pidPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINTS.unschedulable, operator: 'Exists', effect: 'NoSchedule' },
    ...(spec.hostNetwork ? [{ key: TAINTS.networkUnavailable, operator: 'Exists', effect: 'NoSchedule' }] : []),
  ];
  // AddOrUpdateTolerationInPodSpec: a toleration with the same key, operator, value and effect is replaced.
  const same = (a: Toleration, b: Toleration): boolean => a.key === b.key && (a.operator ?? 'Equal') === b.operator && (a.value ?? '') === '' && a.effect === b.effect;
  const kept = (spec.tolerations ?? []).filter((t) => !wanted.some((w) => same(t, w)));
  return { ...spec, tolerations: [...kept, ...wanted] };
};

/** The template's pod spec with the daemon tolerations, and its node selector prepared for many nodes. */
interface ToleratedSpec {
  readonly spec: PodSpec;
  /** podMatchesNodeSelector of a pod with `spec` (nodeSelector and required node affinity). */
  readonly matches: (node: Node) => boolean;
}

/**
 * The {@link ToleratedSpec} of each template pod spec: stored objects are frozen, so one
 * spec object always gives the same answer. Keyed by the template's spec, not the
 * DaemonSet: every status write stores a new DaemonSet object that keeps the spec, and a
 * sync asks once per node it revisits (the Node handler once per DaemonSet per Node update).
 */
const toleratedSpecs = new WeakMap<PodSpec, ToleratedSpec>();

const toleratedSpec = (template: PodSpec): ToleratedSpec => {
  const spec = addDaemonPodTolerations(template);
  return { spec, matches: nodeSelectorMatcher({ spec }) };
};

/** {@link addDaemonPodTolerations} of the DaemonSet's template, computed once per (frozen) template spec. */
const toleratedSpecOf = (ds: DaemonSet): ToleratedSpec => {
  const template = ds.spec?.template?.spec;
  // A caller's mutable spec may change under us: only frozen (stored) specs are cached.
  if (template === undefined || !Object.isFrozen(template)) return toleratedSpec(template ?? { containers: [] });
  let spec = toleratedSpecs.get(template);
  if (!spec) toleratedSpecs.set(template, (spec = toleratedSpec(template)));
  return spec;
};

/**
 * nodeInSameCondition (release-1.12 … release-1.28): the same condition types are True
 * before and after — heartbeat and transition times, reasons and non-True statuses aside.
 */
export const nodeInSameCondition = (old: readonly NodeCondition[] | undefined, cur: readonly NodeCondition[] | undefined): boolean => {
  if ((old?.length ?? 0) === 0 && (cur?.length ?? 0) === 0) return true;
  // A kubelet writes its conditions in the same order each time: the same types with the
  // same True-ness position by position is the common answer, found without a set.
  if (old && cur && old.length === cur.length) {
    let same = true;
    for (let i = 0; i < old.length && same; i++) same = old[i]?.type === cur[i]?.type && (old[i]?.status === 'True') === (cur[i]?.status === 'True');
    if (same && !hasDuplicateTrueType(cur)) return true;
  }
  const trueBefore = new Set<string>();
  for (const c of old ?? []) if (c.status === 'True') trueBefore.add(c.type);
  for (const c of cur ?? []) {
    if (c.status !== 'True') continue;
    if (!trueBefore.has(c.type)) return false;
    trueBefore.delete(c.type);
  }
  return trueBefore.size === 0;
};

/** Whether two True conditions share a type (never from a real API server; upstream's set semantics then differ from a positional comparison). */
const hasDuplicateTrueType = (conditions: readonly NodeCondition[]): boolean => {
  for (let i = 0; i < conditions.length; i++) {
    if (conditions[i]?.status !== 'True') continue;
    for (let j = i + 1; j < conditions.length; j++) if (conditions[j]?.status === 'True' && conditions[j]?.type === conditions[i]?.type) return true;
  }
  return false;
};

/**
 * shouldIgnoreNodeUpdate (release-1.12 … release-1.28 daemon_controller.go): a Node update
 * whose True conditions are unchanged and that is otherwise equal apart from
 * resourceVersion and the conditions — a kubelet heartbeat — concerns no DaemonSet.
 */
export const shouldIgnoreNodeUpdate = (oldNode: Node, curNode: Node): boolean => {
  if (!nodeInSameCondition(oldNode.status?.conditions, curNode.status?.conditions)) return false;
  // Upstream overwrites the old copy's resourceVersion and conditions with the new ones and
  // compares the whole objects; comparing the rest member by member is the same, without
  // copies, and stops at the members the API server and kubelet share between the two.
  return (
    deepEqualExcept(oldNode, curNode, 'metadata', 'status') &&
    deepEqualExcept(oldNode.metadata ?? {}, curNode.metadata ?? {}, 'resourceVersion', 'resourceVersion') &&
    deepEqualExcept(oldNode.status ?? {}, curNode.status ?? {}, 'conditions', 'conditions')
  );
};

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes `metadata.name In [node]`. */
export const nodeNameAffinity = (affinity: Affinity | undefined, node: string): Affinity => ({
  ...affinity,
  nodeAffinity: {
    ...affinity?.nodeAffinity,
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
  },
});

/** GetTargetNodeName: spec.nodeName, else the node the metadata.name affinity names. */
export const targetNodeName = (pod: Pod): string | undefined => {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const field of term.matchFields ?? []) {
      if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1) return field.values[0];
    }
  }
  return undefined;
};

/**
 * NodeShouldRunDaemonPod: `shouldRun` when a new daemon pod belongs on the node (node name,
 * affinity, and NoSchedule/NoExecute taints all tolerated), `shouldContinueRunning` when
 * an existing one may stay (only NoExecute taints matter then).
 */
export const nodeShouldRunDaemonPod = (node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } => {
  // Syncs ask this for every node they revisit: no closures, arrays or result objects per call.
  const { spec, matches } = toleratedSpecOf(ds);
  if (spec.nodeName && spec.nodeName !== (node.metadata?.name ?? '')) return NEITHER;
  if (!matches(node)) return NEITHER;
  const taints = node.spec?.taints;
  if (!taints) return RUN;
  // One walk for both questions: an untolerated NoSchedule or NoExecute taint stops new
  // pods; only an untolerated NoExecute one evicts running pods.
  let untolerated = false;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (toleratesTaint(spec.tolerations, taint)) continue;
    if (taint.effect === 'NoExecute') return NEITHER;
    untolerated = true;
  }
  return untolerated ? CONTINUE_ONLY : RUN;
};

// The three verdicts of nodeShouldRunDaemonPod, shared and frozen (callers only read them).
const RUN = Object.freeze({ shouldRun: true, shouldContinueRunning: true });
const CONTINUE_ONLY = Object.freeze({ shouldRun: false, shouldContinueRunning: true });
const NEITHER = Object.freeze({ shouldRun: false, shouldContinueRunning: false });

const NO_PODS: readonly Pod[] = [];

/** client-go flowcontrol.Backoff for failed daemon pods: 1 s doubling to 15 min per node. */
const BACKOFF_INITIAL = 1_000;
const BACKOFF_MAX = 15 * 60_000;

const byCreation = (a: Pod, b: Pod): number =>
  (timeOf(a.metadata?.creationTimestamp) ?? 0) - (timeOf(b.metadata?.creationTimestamp) ?? 0) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

/**
 * DaemonSetController: one pod per eligible node.
 *
 * A node is eligible when the template's nodeSelector and required node affinity match it
 * and it has no NoSchedule/NoExecute taint the pod (with the daemon tolerations added)
 * does not tolerate. Pods are named `<ds>-<5 random characters>` and pinned to their node
 * through node affinity; failed pods are deleted with a per-node back-off; excess pods and
 * pods on nodes they must leave are deleted. Events: `SuccessfulCreate` `Created pod: <p>`,
 * `SuccessfulDelete` `Deleted pod: <p>`, Warning `FailedDaemonPod`.
 */
export class DaemonSetController implements Component {
  readonly name = 'daemonset-controller';
  readonly #ctx: ControllerContext;
  readonly #client: ApiClient;
  readonly #recorder: EventRecorder;
  readonly #random: SeededRandom;
  readonly #sets: Informer<'DaemonSet'>;
  readonly #pods: Informer<'Pod'>;
  readonly #nodes: Informer<'Node'>;
  /** Pods by owner: the index of the shared Pod informer, shared with the other workload controllers. */
  readonly #index: OwnerIndex<Pod>;
  readonly #indexedPods: IndexedInformer<Pod>;
  readonly #queue: WorkQueue;
  readonly #created: InstantCreations;
  readonly #backoff = new Map<string, { delay: number; last: number }>();
  /** Each DaemonSet's pods by node and per-node status parts, by DaemonSet key. */
  readonly #states = new Map<string, DaemonState>();
  /** The same states by DaemonSet uid (what a pod's controller reference names). */
  readonly #statesByUid = new Map<string, DaemonState>();
  readonly #subscriptions: Subscription[] = [];
  /** The work-queue keys of the sets pods name, kept per set (see OwnerKeys). */
  readonly #ownerKeys = new OwnerKeys();
  /** The sets an orphan may join, as one function for every pod event. */
  readonly #listSets = (): DaemonSet[] => this.#sets.list();

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
    this.#client = ctx.sim.api.client(this.name);
    this.#recorder = new EventRecorder(this.#client, { component: this.name }, { trace: ctx.sim.trace });
    this.#random = ctx.sim.random.fork(this.name);
    this.#sets = sharedInformer(ctx, 'DaemonSet');
    this.#pods = sharedInformer(ctx, 'Pod');
    this.#indexedPods = indexedPods(this.#pods);
    this.#index = this.#indexedPods.index;
    this.#nodes = sharedInformer(ctx, 'Node');
    this.#queue = new WorkQueue(ctx.sim.clock, (key) => this.#sync(key), { owner: this.name });
    this.#created = new InstantCreations(() => ctx.sim.clock.now());
  }

  start(): void {
    this.#subscriptions.push(this.#sets.events$.subscribe((e) => this.#queue.add(keyOf(e.object))));
    this.#subscriptions.push(this.#indexedPods.events$.subscribe((e) => this.#onPod(e)));
    this.#subscriptions.push(this.#nodes.events$.subscribe((e) => this.#onNode(e)));
  }

  stop(): void {
    for (const s of this.#subscriptions.splice(0)) s.unsubscribe();
    this.#queue.stop();
    // Without events the states would go stale: the next start rebuilds them.
    this.#states.clear();
    this.#statesByUid.clear();
  }

  #onPod(event: InformerEvent<Pod>): void {
    // The owner's node map follows the index (which has already taken the event).
    // Pods share their ownerReferences across versions: one controller lookup when they are the same.
    const { old, object } = event;
    const oldRef = old ? controllerOf(old) : undefined;
    const before = old ? this.#statesByUid.get(oldRef?.uid ?? '') : undefined;
    const after =
      event.type === 'DELETED'
        ? undefined
        : old !== undefined && old.metadata?.ownerReferences === object.metadata?.ownerReferences
          ? before
          : this.#statesByUid.get(controllerOf(object)?.uid ?? '');
    // put() forgets the version before (same name) itself: a remove first is only needed
    // when the pod leaves the state.
    if (before && before !== after && old) before.remove(old);
    after?.put(object);
    enqueueOwnersOfPodEvent(event, 'DaemonSet', this.#listSets, this.#ownerKeys, this.#queue);
  }

  /** addNode / updateNode: the DaemonSets whose verdict on the node changed. Deleted nodes are PodGC's business. */
  #onNode(event: InformerEvent<Node>): void {
    // A heartbeat changes no verdict; any other change is looked at again by the next sync
    // of each DaemonSet (a deleted node leaves the status counts, its pods the node list).
    // (A heartbeat-only update is one shouldIgnoreNodeUpdate ignores, answered once for every Node watcher.)
    if (event.type === 'MODIFIED' && event.old && (isNodeHeartbeatOnly(event.old, event.object) || shouldIgnoreNodeUpdate(event.old, event.object))) return;
    const nodeName = event.object.metadata?.name ?? '';
    for (const state of this.#statesByUid.values()) state.touch(nodeName);
    if (event.type === 'DELETED') return;
    for (const ds of this.#sets.list()) {
      const now = nodeShouldRunDaemonPod(event.object, ds);
      if (event.type === 'ADDED') {
        if (now.shouldRun) this.#queue.add(keyOf(ds));
        continue;
      }
      const before = event.old ? nodeShouldRunDaemonPod(event.old, ds) : undefined;
      if (!before || before.shouldRun !== now.shouldRun || before.shouldContinueRunning !== now.shouldContinueRunning) this.#queue.add(keyOf(ds));
    }
  }

  #sync(key: string): ReconcileResult {
    const { namespace, name } = splitKey(key);
    const ds = this.#sets.get(name, namespace);
    if (!ds) {
      this.#dropState(key);
      return;
    }
    const selector = selectorOf(ds.spec?.selector);
    if (!selector || selector.empty) {
      this.#dropState(key);
      return;
    }
    const hash = computeHash(ds.spec?.template);
    const state = this.#stateOf(key, ds, selector, hash);
    this.#claimOrphans(ds, selector, state);
    let result: ReconcileResult = undefined;
    if (!ds.metadata?.deletionTimestamp) result = this.#manage(ds, state, hash);
    const status = this.#updateStatus(ds, state, hash);
    if (!status) return { retry: true };
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && status.numberReady !== status.numberAvailable) {
      const wait = minReadySeconds * 1000;
      return { ...result, requeueAfter: Math.min(result?.requeueAfter ?? wait, wait) };
    }
    return result;
  }

  /**
   * The DaemonSet's {@link DaemonState}, built from the pod index on first use and again
   * when what it was built from changed (spec, deletion, uid); otherwise kept current by
   * the pod and node events.
   */
  #stateOf(key: string, ds: DaemonSet, selector: LabelMatcher, hash: string): DaemonState {
    const uid = ds.metadata?.uid ?? '';
    const deleting = ds.metadata?.deletionTimestamp !== undefined;
    const known = this.#states.get(key);
    // The spec is compared by value only when its reference changed (a status write may
    // give the stored object a new spec of the same content).
    if (known && known.uid === uid && known.deleting === deleting && known.hash === hash && (known.spec === ds.spec || deepEqual(known.spec, ds.spec))) {
      known.spec = ds.spec;
      return known;
    }
    if (known) this.#statesByUid.delete(known.uid);
    const state = new DaemonState(uid, ds.spec, deleting, hash, selector);
    for (const pod of this.#index.ownedValues(uid)) state.put(pod);
    for (const node of this.#nodes.list()) state.touch(node.metadata?.name ?? '');
    this.#states.set(key, state);
    this.#statesByUid.set(uid, state);
    return state;
  }

  #dropState(key: string): void {
    const state = this.#states.get(key);
    if (!state) return;
    this.#states.delete(key);
    this.#statesByUid.delete(state.uid);
  }

  /**
   * claimPods' adoption of matching active orphans (getNodesToDaemonPods). The adoption's
   * watch event puts the pod in the state; put is idempotent, and also covers a watch
   * that has not delivered it.
   */
  #claimOrphans(ds: DaemonSet, selector: LabelMatcher, state: DaemonState): void {
    if (ds.metadata?.deletionTimestamp) return;
    for (const orphan of this.#index.orphans(ds.metadata?.namespace)) {
      if (!isPodActive(orphan) || !selector.matches(orphan.metadata?.labels)) continue;
      const adopted = adopt(this.#client, 'Pod', ds, orphan);
      if (adopted) state.put(adopted);
    }
  }

  /**
   * manage: which nodes need a pod and which pods must go, then syncNodes. Upstream walks
   * every node on every sync; a node whose verdict and pods did not change since a sync
   * found nothing to do on it would give nothing again, so only the nodes touched since
   * (and those that gave something, which stay touched) are walked, in the node list's
   * order — the same creations and deletions in the same order.
   */
  #manage(ds: DaemonSet, state: DaemonState, hash: string): ReconcileResult {
    // Creations are recorded as `<pod>@<node>`: the node is what tells whether one is missing.
    const unseen = this.#created.unseen(keyOf(ds), (entry) => this.#pods.get(entry.slice(0, entry.lastIndexOf('@')), ds.metadata?.namespace) !== undefined);
    const pendingNodes = new Set(unseen.map((entry) => entry.slice(entry.lastIndexOf('@') + 1)));
    const needing: string[] = [];
    const doomed: Pod[] = [];
    let requeueAfter: number | undefined;
    const now = this.#ctx.sim.clock.now();
    const unknown: string[] = [];
    for (const nodeName of state.takeManageWork()) {
      const node = this.#nodes.get(nodeName);
      if (!node) {
        unknown.push(nodeName);
        continue;
      }
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      const pods = state.podsOn(nodeName);
      const exists = pods.length > 0 || pendingNodes.has(nodeName);
      const before = needing.length + doomed.length;
      let waiting = false;
      if (shouldRun && !exists) {
        needing.push(nodeName);
      } else if (shouldContinueRunning) {
        const running: Pod[] = [];
        for (const pod of pods) {
          if (isTerminating(pod)) continue;
          if (pod.status?.phase === 'Failed') {
            // A kubelet that keeps rejecting the pod must not make us hot-loop.
            const backoffKey = `${ds.metadata?.uid ?? ''}/${ds.metadata?.generation ?? 0}/${nodeName}`;
            const wait = this.#inBackoff(backoffKey, now);
            if (wait > 0) {
              requeueAfter = Math.min(requeueAfter ?? Infinity, wait);
              waiting = true;
              continue;
            }
            this.#nextBackoff(backoffKey, now);
            this.#recorder.warning(ds, 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} on node ${nodeName}, will try to kill it`);
            doomed.push(pod);
          } else {
            running.push(pod);
          }
        }
        // More than one running pod on the node: keep the oldest.
        if (running.length > 1) doomed.push(...running.sort(byCreation).slice(1));
      } else if (pods.length > 0) {
        doomed.push(...pods.filter((p) => !isTerminating(p)));
      }
      // A node that gave work, waits out a back-off or has a creation in flight is looked at again next time.
      if (waiting || pendingNodes.has(nodeName) || needing.length + doomed.length > before) state.keepManageWork(nodeName);
    }
    // Pods pinned to nodes that no longer exist and never scheduled: no one else would delete
    // them. In the order upstream's node-to-pods map has those nodes: by their first pod.
    for (const nodeName of state.inPodOrder(unknown)) {
      const orphaned = state.podsOn(nodeName).filter((p) => !p.spec?.nodeName && !isTerminating(p));
      if (orphaned.length === 0) continue;
      doomed.push(...orphaned);
      state.keepManageWork(nodeName);
    }
    let failed = false;
    for (const nodeName of needing) failed = !this.#createPod(ds, nodeName, hash) || failed;
    for (const pod of doomed) {
      const podName = pod.metadata?.name ?? '';
      const deleted = this.#client.delete('Pod', podName, { namespace: pod.metadata?.namespace ?? 'default' });
      if (E.isRight(deleted)) this.#recorder.normal(ds, 'SuccessfulDelete', `Deleted pod: ${podName}`);
      else if (deleted.left.reason !== 'NotFound') {
        this.#recorder.warning(ds, 'FailedDelete', `Error deleting: ${deleted.left.message}`);
        failed = true;
      }
    }
    if (failed) return { retry: true };
    return requeueAfter !== undefined ? { requeueAfter } : undefined;
  }

  #createPod(ds: DaemonSet, nodeName: string, hash: string): boolean {
    const template = ds.spec?.template;
    const { spec } = toleratedSpecOf(ds);
    const withRevision = { ...template, metadata: { ...template?.metadata, labels: { ...template?.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } }, spec };
    for (let attempt = 0; attempt < 5; attempt++) {
      const podName = `${ds.metadata?.name ?? ''}-${randomSuffix(this.#random)}`;
      const pod = podFromTemplate(withRevision, ds, podName);
      const created = this.#client.create('Pod', { ...pod, spec: { ...pod.spec, containers: pod.spec?.containers ?? [], affinity: nodeNameAffinity(spec.affinity, nodeName) } });
      if (E.isRight(created)) {
        this.#created.record(keyOf(ds), `${podName}@${nodeName}`);
        this.#recorder.normal(ds, 'SuccessfulCreate', `Created pod: ${podName}`);
        return true;
      }
      if (created.left.reason === 'AlreadyExists') continue;
      this.#recorder.warning(ds, 'FailedCreate', `Error creating: ${created.left.message}`);
      return false;
    }
    return false;
  }

  /** IsInBackOffSinceUpdate: ms left of the node's back-off, 0 when none. */
  #inBackoff(key: string, now: number): number {
    const entry = this.#backoff.get(key);
    if (!entry) return 0;
    const left = entry.last + entry.delay - now;
    return left > 0 ? left : 0;
  }

  /** Backoff.Next: 1 s, then doubling to 15 min; forgotten after twice the maximum without failures. */
  #nextBackoff(key: string, now: number): void {
    const entry = this.#backoff.get(key);
    const expired = !entry || now - entry.last > 2 * BACKOFF_MAX;
    this.#backoff.set(key, { delay: expired ? BACKOFF_INITIAL : Math.min(entry.delay * 2, BACKOFF_MAX), last: now });
  }

  /**
   * updateDaemonSetStatus: counts over eligible nodes and their oldest daemon pod;
   * undefined when the write failed. The counts are sums of per-node parts, and only the
   * parts of nodes touched since the last sync (or whose pod may become available with
   * time) are counted again.
   */
  #updateStatus(ds: DaemonSet, state: DaemonState, hash: string): DaemonSetStatus | undefined {
    const nowEpoch = this.#ctx.sim.clock.epochMs + this.#ctx.sim.clock.now();
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    for (const nodeName of state.takeStatusWork()) {
      const node = this.#nodes.get(nodeName);
      if (!node) {
        state.setPart(nodeName, 0);
        continue;
      }
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      // Oldest first; most nodes have one pod, which needs no sorted copy.
      const found = state.podsOn(nodeName);
      const pods = found.length > 1 ? found.slice().sort(byCreation) : found;
      let part = 0;
      if (shouldRun) {
        part |= PART_DESIRED;
        const pod = pods[0];
        if (pod) {
          part |= PART_SCHEDULED;
          if (isPodReady(pod)) {
            part |= PART_READY;
            if (isPodAvailable(pod, minReadySeconds, nowEpoch)) part |= PART_AVAILABLE;
            // Ready but not yet available for minReadySeconds: time alone changes it.
            else state.keepStatusWork(nodeName);
          }
          if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) part |= PART_UPDATED;
        }
      } else if (pods.length > 0) {
        part |= PART_MISSCHEDULED;
      }
      state.setPart(nodeName, part);
    }
    const status: DaemonSetStatus = {
      ...ds.status,
      desiredNumberScheduled: state.count(PART_DESIRED),
      currentNumberScheduled: state.count(PART_SCHEDULED),
      numberMisscheduled: state.count(PART_MISSCHEDULED),
      numberReady: state.count(PART_READY),
      numberAvailable: state.count(PART_AVAILABLE),
      numberUnavailable: state.count(PART_DESIRED) - state.count(PART_AVAILABLE),
      updatedNumberScheduled: state.count(PART_UPDATED),
      observedGeneration: ds.metadata?.generation ?? 0,
    };
    if (deepEqual(ds.status, status)) return status;
    const written = this.#client.updateStatus('DaemonSet', { ...ds, status });
    return E.isRight(written) || written.left.reason === 'NotFound' ? status : undefined;
  }
}

/** Bits of a node's part in a DaemonSet's status (see DaemonState.setPart). */
const PART_DESIRED = 1;
const PART_SCHEDULED = 2;
const PART_MISSCHEDULED = 4;
const PART_READY = 8;
const PART_AVAILABLE = 16;
const PART_UPDATED = 32;
const PART_BITS = [PART_DESIRED, PART_SCHEDULED, PART_MISSCHEDULED, PART_READY, PART_AVAILABLE, PART_UPDATED] as const;

/** A kept pod and its place in the index order (larger: later). */
interface KeptPod {
  readonly pod: Pod;
  readonly seq: number;
}

/** Name order of the node informer's list (a Node's cache key is its name). */
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether getNodesToDaemonPods keeps a claimed pod: matching, not a terminal pod being deleted, with a target node. */
const kept = (pod: Pod, selector: LabelMatcher): boolean => {
  if (!selector.matches(pod.metadata?.labels)) return false;
  const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  return !(terminal && isTerminating(pod)) && targetNodeName(pod) !== undefined;
};

/**
 * One DaemonSet's view that makes a sync cost what changed since the last one, not what
 * the cluster has: its pods by target node (getNodesToDaemonPods, kept from the pod
 * events in the index's order), the nodes touched since the last sync (a pod of the set
 * or the node itself changed), and each node's part in the status counts with their sums.
 * Valid for one uid, spec, template hash and deletion state; the controller builds a new
 * one when any of them changes.
 */
class DaemonState {
  readonly uid: string;
  /** The spec it was built for (the latest object's, once found equal). */
  spec: DaemonSet['spec'];
  readonly deleting: boolean;
  readonly hash: string;
  readonly #selector: LabelMatcher;
  /** Kept pods by target node, each map in the order the pod index has them. */
  readonly #byNode = new Map<string, Map<string, KeptPod>>();
  /** The target node of each kept pod, by name (a DaemonSet's pods share its namespace). */
  readonly #nodeOf = new Map<string, string>();
  #seq = 0;
  #manageWork = new Set<string>();
  #statusWork = new Set<string>();
  readonly #parts = new Map<string, number>();
  readonly #counts = new Map<number, number>();

  constructor(uid: string, spec: DaemonSet['spec'], deleting: boolean, hash: string, selector: LabelMatcher) {
    this.uid = uid;
    this.spec = spec;
    this.deleting = deleting;
    this.hash = hash;
    this.#selector = selector;
  }

  /** Takes a pod of the set as it is now (moved to the end of its node's pods, as the index moves it); idempotent. */
  put(pod: Pod): void {
    const key = pod.metadata?.name ?? '';
    const keep = kept(pod, this.#selector);
    const node = keep ? (targetNodeName(pod) ?? '') : undefined;
    const same = node !== undefined && this.#nodeOf.get(key) === node ? this.#byNode.get(node) : undefined;
    if (same && node !== undefined) {
      // Kept on the same node (most updates): moved to the end of the node's pods, as the
      // remove and add below would, without emptying, dropping and remaking a one-pod map.
      same.delete(key);
      same.set(key, { pod, seq: this.#seq++ });
      this.touch(node);
      return;
    }
    this.remove(pod);
    if (node === undefined) return;
    let pods = this.#byNode.get(node);
    if (!pods) this.#byNode.set(node, (pods = new Map<string, KeptPod>()));
    pods.set(key, { pod, seq: this.#seq++ });
    this.#nodeOf.set(key, node);
    this.touch(node);
  }

  /** Forgets a pod, if kept. */
  remove(pod: Pod): void {
    const key = pod.metadata?.name ?? '';
    const node = this.#nodeOf.get(key);
    if (node === undefined) return;
    this.#nodeOf.delete(key);
    const pods = this.#byNode.get(node);
    pods?.delete(key);
    if (pods?.size === 0) this.#byNode.delete(node);
    this.touch(node);
  }

  /** The kept pods targeting `node`, in index order. */
  podsOn(node: string): readonly Pod[] {
    const pods = this.#byNode.get(node);
    if (!pods) return NO_PODS;
    const out: Pod[] = [];
    for (const entry of pods.values()) out.push(entry.pod);
    return out;
  }

  /** Marks a node for the next sync's manage and status. */
  touch(node: string): void {
    this.#manageWork.add(node);
    this.#statusWork.add(node);
  }

  /** The nodes manage must look at, in the node list's order; they are forgotten unless kept again. */
  takeManageWork(): string[] {
    const work = [...this.#manageWork].sort(byName);
    this.#manageWork = new Set();
    return work;
  }

  /** Keeps a node for the next sync's manage. */
  keepManageWork(node: string): void {
    this.#manageWork.add(node);
  }

  /** The nodes whose status part must be counted again; forgotten unless kept again. */
  takeStatusWork(): Iterable<string> {
    const work = this.#statusWork;
    this.#statusWork = new Set();
    return work;
  }

  /** Keeps a node for the next sync's status. */
  keepStatusWork(node: string): void {
    this.#statusWork.add(node);
  }

  /** Those of `nodes` that have pods, in the order their first pod has in the index (the order of upstream's node-to-pods map). */
  inPodOrder(nodes: readonly string[]): string[] {
    const first = (node: string): number => this.#byNode.get(node)?.values().next().value?.seq ?? 0;
    return nodes.filter((n) => this.#byNode.has(n)).sort((a, b) => first(a) - first(b));
  }

  /** Sets a node's part of the status (PART_ bits; 0 for a node that no longer exists). */
  setPart(node: string, part: number): void {
    const before = this.#parts.get(node) ?? 0;
    if (before === part) return;
    if (part === 0) this.#parts.delete(node);
    else this.#parts.set(node, part);
    for (const bit of PART_BITS) {
      const delta = (part & bit ? 1 : 0) - (before & bit ? 1 : 0);
      if (delta !== 0) this.#counts.set(bit, (this.#counts.get(bit) ?? 0) + delta);
    }
  }

  /** How many nodes have `bit` in their part. */
  count(bit: number): number {
    return this.#counts.get(bit) ?? 0;
  }
}
