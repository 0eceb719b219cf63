// The kubelet's node Lease heartbeat: pkg/kubelet/nodelease/controller.go · v1.15.5
// (sync, backoffEnsureLease, ensureLease, retryUpdateLease, newLease), the 1.13–1.16
// design of the NodeLease feature. The renew interval is main's
// nodeLeaseRenewIntervalFraction (0.25) × nodeLeaseDurationSeconds (pkg/kubelet/kubelet.go);
// 1.14/1.15 used a constant 10 s capped at nodeStatusUpdateFrequency, the same with
// the defaults.
import * as E from 'fp-ts/lib/Either.js';
import type { ApiClient, SimClock, TimerHandle, TimerLabel } from '@failsim/core';
import type { Lease } from 'kubernetes-types/coordination/v1.js';

/** The namespace of node Leases (corev1.NamespaceNodeLease). */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Immediate update retries before waiting for the next interval (maxUpdateRetries). */
const MAX_UPDATE_RETRIES = 5;
/** Longest wait between failed attempts to ensure the Lease exists (maxBackoff). */
const MAX_BACKOFF_MS = 7_000;
/** backoffEnsureLease starts from 100 ms and doubles before its first wait. */
const INITIAL_SLEEP_MS = 100;
/** What ensureLease answers when it created the Lease. */
const CREATED = Symbol('created');
/** nodeLeaseRenewIntervalFraction. */
export const NODE_LEASE_RENEW_INTERVAL_FRACTION = 0.25;

/** Construction options of a {@link NodeLeaseController}. */
export interface NodeLeaseControllerOptions {
  readonly clock: SimClock;
  /** The kubelet's client (its location decides reachability). */
  readonly client: ApiClient;
  /** The node's name: the Lease's name and holderIdentity. */
  readonly nodeName: string;
  /** nodeLeaseDurationSeconds (40). */
  readonly leaseDurationSeconds: number;
  /** Owner shown on the controller's timers. */
  readonly owner: string;
}

/**
 * Creates and renews the node's Lease in kube-node-lease: a sync every renew interval
 * (10 s by default) after the previous one finished. A sync that cannot reach the API
 * server keeps retrying to ensure the Lease with a back-off from 200 ms doubling to 7 s,
 * and the interval restarts from the sync that succeeds. The Lease gets an ownerReference
 * to the Node on the first sync that can read the Node.
 */
export class NodeLeaseController {
  readonly #options: NodeLeaseControllerOptions;
  readonly #renewLabel: TimerLabel;
  readonly #retryLabel: TimerLabel;
  #timer: TimerHandle | undefined;
  #sleep = INITIAL_SLEEP_MS;
  #running = false;
  /** The sync as a timer action, made once: every node renews every 10 s. */
  readonly #syncAction = (): void => this.#sync();

  constructor(options: NodeLeaseControllerOptions) {
    this.#options = options;
    this.#renewLabel = { owner: options.owner, purpose: `renew Lease of node ${options.nodeName}` };
    this.#retryLabel = { owner: options.owner, purpose: `retry ensuring Lease of node ${options.nodeName}` };
  }

  /** The renew interval in ms. */
  get renewIntervalMs(): number {
    return this.#options.leaseDurationSeconds * 1000 * NODE_LEASE_RENEW_INTERVAL_FRACTION;
  }

  /** Starts syncing now. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#timer = this.#options.clock.schedule(0, this.#syncAction, this.#renewLabel);
  }

  /** Stops every timer. */
  stop(): void {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #sync(): void {
    if (!this.#running) return;
    const ensured = this.#ensureLease();
    if (ensured === undefined) {
      // backoffEnsureLease blocks the loop: the next renewal waits for the ensure to succeed.
      this.#sleep = Math.min(2 * this.#sleep, MAX_BACKOFF_MS);
      this.#timer = this.#options.clock.schedule(this.#sleep, this.#syncAction, this.#retryLabel);
      return;
    }
    this.#sleep = INITIAL_SLEEP_MS;
    if (ensured !== CREATED) this.#retryUpdateLease(ensured);
    this.#timer = this.#options.clock.schedule(this.renewIntervalMs, this.#syncAction, this.#renewLabel);
  }

  /**
   * ensureLease: the Lease as read, CREATED when it had to be created (a new Lease needs no
   * renewal), undefined when neither worked. No wrapper per renewal: this runs every 10 s on
   * every node.
   */
  #ensureLease(): Lease | typeof CREATED | undefined {
    const { client, nodeName } = this.#options;
    const got = client.get('Lease', nodeName, NODE_LEASE_NAMESPACE);
    if (E.isRight(got)) return got.right;
    if (got.left.reason !== 'NotFound') return undefined;
    return E.isRight(client.create('Lease', this.#newLease(undefined))) ? CREATED : undefined;
  }

  #retryUpdateLease(base: Lease): void {
    for (let i = 0; i < MAX_UPDATE_RETRIES; i++) {
      if (E.isRight(this.#options.client.update('Lease', this.#newLease(base)))) return;
    }
  }

  #newLease(base: Lease | undefined): Lease {
    const { client, clock, nodeName, leaseDurationSeconds } = this.#options;
    const lease: Lease = base ?? {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE },
      spec: { holderIdentity: nodeName, leaseDurationSeconds },
    };
    let metadata = lease.metadata;
    // The Node's UID may be unknown at creation (not registered yet, or deleted): upstream
    // tries again on every renewal until it can set the owner.
    if ((metadata?.ownerReferences ?? []).length === 0) {
      const node = client.get('Node', nodeName);
      if (E.isRight(node)) {
        metadata = { ...metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.right.metadata?.uid ?? '' }] };
      }
    }
    return { ...lease, metadata, spec: { ...lease.spec, renewTime: clock.isoMicro() } };
  }
}
