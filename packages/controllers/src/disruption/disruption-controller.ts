// The disruption controller (k8s.io/kubernetes pkg/controller/disruption/disruption.go,
// 1.14–1.32): keeps each PodDisruptionBudget's status current so the eviction
// subresource can refuse an eviction that would take too many pods down.
// Simplification: expectedPods is the number of pods the selector matches (upstream asks
// the pods' controllers for their scale, which equals it once they have converged).
import * as E from 'fp-ts/lib/Either.js';
import type { Subscription } from 'rxjs';
import { labelSelectorFromObject } from '@failsim/core';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { Component, ControllerContext } from '../runtime/context.js';
import { sharedInformer } from '../runtime/shared-informers.js';
import { isPodReady, keyOf, splitKey } from '../runtime/pod-util.js';
import { WorkQueue } from '../runtime/work-queue.js';

/** How long an eviction's pod stays in disruptedPods waiting to be deleted (DeletionTimeout, 2 min). */
const DELETION_TIMEOUT_MS = 120_000;

/** minAvailable / maxUnavailable: an integer or a percentage of `expected`, rounded up as upstream. */
const scaled = (value: number | string, expected: number): number =>
  typeof value === 'number' ? value : Math.ceil((Number.parseInt(value, 10) / 100) * expected);

/** Keeps PodDisruptionBudget status (currentHealthy, desiredHealthy, disruptionsAllowed…) current. */
export class DisruptionController implements Component {
  readonly name = 'disruption-controller';
  readonly #ctx: ControllerContext;
  readonly #client;
  readonly #pods;
  readonly #budgets;
  readonly #queue: WorkQueue;
  #subscriptions: Subscription[] = [];

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
    this.#client = ctx.sim.api.client(this.name);
    this.#pods = sharedInformer(ctx, 'Pod');
    this.#budgets = sharedInformer(ctx, 'PodDisruptionBudget');
    this.#queue = new WorkQueue(ctx.sim.clock, (key) => this.#sync(key), { owner: this.name });
  }

  start(): void {
    this.#subscriptions = [
      this.#budgets.events$.subscribe((e) => this.#queue.add(keyOf(e.object))),
      this.#pods.events$.subscribe((e) => {
        // Every Pod write comes here; a cluster without budgets has nothing to look at
        // (and no list of budgets to build).
        if (this.#budgets.size === 0) return;
        for (const budget of this.#budgetsFor(e.object)) this.#queue.add(keyOf(budget));
      }),
    ];
  }

  stop(): void {
    this.#subscriptions.forEach((s) => s.unsubscribe());
    this.#queue.stop();
  }

  #budgetsFor(pod: Pod): PodDisruptionBudget[] {
    return this.#budgets.list().filter((b) => b.metadata?.namespace === pod.metadata?.namespace && this.#selects(b, pod));
  }

  #selects(budget: PodDisruptionBudget, pod: Pod): boolean {
    const selector = labelSelectorFromObject(budget.spec?.selector);
    return E.isRight(selector) && !selector.right.empty && selector.right.matches(pod.metadata?.labels);
  }

  #sync(key: string): { requeueAfter: number } | void {
    const { namespace, name } = splitKey(key);
    const budget = this.#budgets.get(name, namespace);
    if (!budget) return;
    const now = this.#ctx.sim.clock.now();
    const pods = this.#pods.list().filter((p) => p.metadata?.namespace === namespace && this.#selects(budget, p));
    // Pods an eviction let go count as disrupted until deleted, or for DeletionTimeout.
    const disruptedPods: Record<string, string> = {};
    let nextExpiry: number | undefined;
    for (const [pod, at] of Object.entries(budget.status?.disruptedPods ?? {})) {
      const expiresAt = Date.parse(at) - this.#ctx.sim.clock.epochMs + DELETION_TIMEOUT_MS;
      const current = pods.find((p) => p.metadata?.name === pod);
      if (current && !current.metadata?.deletionTimestamp && expiresAt > now) {
        disruptedPods[pod] = at;
        nextExpiry = Math.min(nextExpiry ?? expiresAt, expiresAt);
      }
    }
    const expectedPods = pods.length;
    const currentHealthy = pods.filter((p) => isPodReady(p) && !p.metadata?.deletionTimestamp && !disruptedPods[p.metadata?.name ?? '']).length;
    const spec = budget.spec ?? {};
    const desiredHealthy =
      spec.minAvailable !== undefined
        ? scaled(spec.minAvailable, expectedPods)
        : spec.maxUnavailable !== undefined
          ? Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods))
          : expectedPods;
    const disruptionsAllowed = Math.max(0, currentHealthy - desiredHealthy);
    const status = {
      ...budget.status,
      observedGeneration: budget.metadata?.generation,
      disruptedPods,
      expectedPods,
      currentHealthy,
      desiredHealthy,
      disruptionsAllowed,
    };
    this.#client.updateStatus('PodDisruptionBudget', { ...budget, status });
    return nextExpiry !== undefined ? { requeueAfter: nextExpiry - now } : undefined;
  }
}
