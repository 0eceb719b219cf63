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

/** The members of a renewed Lease and of its spec, in the order the renewal builds them. */
const LEASE_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];
const RENEWED_SPEC_KEYS = ['holderIdentity', 'leaseDurationSeconds', 'renewTime'];

/** Whether `keys` are exactly `expected`, in order. */
const sameKeys = (keys: readonly string[], expected: readonly string[]): boolean => keys.length === expected.length && keys.every((k, i) => k === expected[i]);

/**
 * Whether `lease` has exactly the members of a renewal literal, in its order (the Lease this
 * controller creates, renewed once: every node's from its second renewal on). Checked on a
 * renewal the spreads built; one the literal built has that shape.
 */
const hasRenewalShape = (lease: Lease): boolean => sameKeys(Object.keys(lease), LEASE_KEYS) && lease.spec !== undefined && sameKeys(Object.keys(lease.spec), RENEWED_SPEC_KEYS);

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
  /**
   * The Lease the last renewal stored, when that renewal had the members a renewal literal
   * builds, in its order ({@link hasRenewalShape}): a renewal of this very object can then
   * be built as a literal with the same result as the spreads.
   */
  #renewed: Lease | undefined;
  /** Whether the last {@link NodeLeaseController.#newLease} built the renewal literal (whose shape needs no check). */
  #builtLiteral = false;
  readonly #renewIntervalMs: number;
  /** The sync as a timer action, made once: every node renews every 10 s. */
  readonly #syncAction = (): void => this.#sync();

  constructor(options: NodeLeaseControllerOptions) {
    this.#options = options;
    // Computed once: the product through the 0.25 fraction is a double, which the getter
    // boxed anew (a 16-byte heap number) on every renewal of every node.
    this.#renewIntervalMs = options.leaseDurationSeconds * 1000 * NODE_LEASE_RENEW_INTERVAL_FRACTION;
    this.#renewLabel = { owner: options.owner, purpose: `renew Lease of node ${options.nodeName}` };
    this.#retryLabel = { owner: options.owner, purpose: `retry ensuring Lease of node ${options.nodeName}` };
  }

  /** The renew interval in ms. */
  get renewIntervalMs(): number {
    return this.#renewIntervalMs;
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
    this.#timer = this.#options.clock.schedule(this.#renewIntervalMs, this.#syncAction, this.#renewLabel);
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
      const next = this.#newLease(base);
      const updated = this.#options.client.update('Lease', next);
      if (E.isRight(updated)) {
        // The server stores the renewal with its members in their order (metadata aside),
        // so a renewal of literal shape is stored with that shape: the next one may be a literal.
        this.#renewed = this.#builtLiteral || hasRenewalShape(next) ? updated.right : undefined;
        return;
      }
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
    const spec = lease.spec;
    this.#builtLiteral = lease === this.#renewed && metadata === lease.metadata && spec !== undefined;
    if (this.#builtLiteral && spec !== undefined) {
      // The Lease as this controller last stored it (see hasRenewalShape): the spread below
      // as one literal, about eight times cheaper, every 10 s on every node. Its spec (all
      // strings and numbers) is frozen here, as the server would store a copy of it: built
      // for this write and kept by nobody else, it is then stored as it is, not copied.
      return {
        apiVersion: lease.apiVersion,
        kind: lease.kind,
        metadata,
        spec: Object.freeze({ holderIdentity: spec.holderIdentity, leaseDurationSeconds: spec.leaseDurationSeconds, renewTime: clock.isoMicro() }),
      };
    }
    return { ...lease, metadata, spec: { ...spec, renewTime: clock.isoMicro() } };
  }
}
