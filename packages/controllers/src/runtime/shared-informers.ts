// The kube-controller-manager's one informer per kind, as client-go's SharedInformerFactory
// (k8s.io/client-go/informers/factory.go, v0.18: InformerFor keeps one informer per type,
// each controller adds its handlers to it) handed to every controller by
// cmd/kube-controller-manager/app/controllermanager.go (ControllerContext.InformerFactory,
// v1.18). Without it each controller kept its own watch and cache of every Pod, and every
// Pod write was delivered a dozen times over.
import { CONTROL_PLANE, Informer, type ApiClient, type Kind, type ListOptions, type Location, type Simulation } from '@failsim/core';
import type { ControllerContext } from './context.js';

/** The client name the shared informers list and watch as (they only read). */
export const KUBE_CONTROLLER_MANAGER = 'kube-controller-manager';

/**
 * One {@link Informer} per kind (and list options) for the controllers of one process:
 * each controller subscribes its handlers to the same cache, which is watched once.
 *
 * The informer lists on its first subscriber and stops watching when the last one leaves
 * (see Informer); a subscriber that joins a running informer first gets an ADDED per
 * cached object, as a handler added to a running client-go informer does. Handlers of one
 * event run in subscription order, i.e. in the order the controllers started.
 *
 * @example
 * const factory = new SharedInformerFactory(sim.api.client('kube-controller-manager'));
 * const pods = factory.informerFor('Pod'); // the same object for every controller
 */
export class SharedInformerFactory {
  readonly #informers = new Map<string, Informer<Kind>>();

  constructor(
    /** The client every informer of this factory lists and watches with. */
    readonly client: ApiClient,
  ) {}

  /** The shared informer of `kind` with these list options, created on first use. */
  informerFor<K extends Kind>(kind: K, options: ListOptions = {}): Informer<K> {
    const key = informerKey(kind, options);
    let informer = this.#informers.get(key);
    if (!informer) {
      informer = new Informer(this.client, kind, options);
      this.#informers.set(key, informer);
    }
    // The key names the kind, so the stored informer is of kind K.
    return informer as Informer<K>;
  }

  /** How many informers the factory holds. */
  get size(): number {
    return this.#informers.size;
  }
}

/** `kind` plus the options that change what is listed, in a fixed order. */
const informerKey = (kind: Kind, options: ListOptions): string =>
  `${kind}|${options.namespace ?? ''}|${options.labelSelector ?? ''}|${options.fieldSelector ?? ''}`;

/** The factories of each simulation, by the location their process runs at. */
const factories = new WeakMap<Simulation, Map<Location, SharedInformerFactory>>();

/**
 * The shared informer factory of the kube-controller-manager of `ctx`: `ctx.informers`
 * when the caller gave one, else the one of the simulation at `location` (the control
 * plane by default), made on first use. Controllers built alone (in a test) get it too:
 * they simply are its only subscribers.
 */
export const sharedInformerFactory = (ctx: ControllerContext, location: Location = CONTROL_PLANE): SharedInformerFactory => {
  if (ctx.informers) return ctx.informers;
  let byLocation = factories.get(ctx.sim);
  if (!byLocation) factories.set(ctx.sim, (byLocation = new Map<Location, SharedInformerFactory>()));
  let factory = byLocation.get(location);
  if (!factory) byLocation.set(location, (factory = new SharedInformerFactory(ctx.sim.api.client(KUBE_CONTROLLER_MANAGER, location))));
  return factory;
};

/** The kube-controller-manager's shared informer of `kind` (see {@link sharedInformerFactory}). */
export const sharedInformer = <K extends Kind>(ctx: ControllerContext, kind: K, options: ListOptions = {}): Informer<K> =>
  sharedInformerFactory(ctx).informerFor(kind, options);
