// The scenario's own Pods and the names of the Events about each Pod, kept by two watches
// of the API server, as kubectl's informers keep theirs: the transcript looks at a large
// cluster at thousands of instants, and listing 30,000 Pods and ~300,000 Events at each
// (the Event store builds every Event it lists) made `failsim run` of a 1,000-node zone
// failure take five times as long as the run itself.
import { watchSink, type ApiClient } from '@failsim/core';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';

/** The Pods written and deleted since the last {@link WorkloadWatch.takeChanges}. */
export interface PodChanges {
  /** Each Pod written (created or updated), as it is now, once. */
  readonly written: readonly Pod[];
  /** Each Pod deleted, as the deletion left it. */
  readonly deleted: readonly Pod[];
}

/** The Events' list order (etcd's: by name, in UTF-16 code units, as the API server lists them). */
const byCodeUnits = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

const keyOf = (namespace: string | undefined, name: string | undefined): string => `${namespace ?? ''}/${name ?? ''}`;

/** What a transcript needs of the cluster's workload Pods between two looks, from watches. */
export class WorkloadWatch {
  /** The workload Pods now, by `namespace/name`. */
  readonly pods = new Map<string, Pod>();
  readonly #podsInNamespace = new Map<string, number>();
  readonly #written = new Set<string>();
  readonly #deleted: Pod[] = [];
  /**
   * The names of the Events of each namespace by involvedObject name (`namespace/name`):
   * names, not the Events, which a 5,000-node run has a million of; a describe gets its
   * few from the API server.
   */
  readonly #events = new Map<string, Set<string>>();
  readonly #client: ApiClient;
  readonly #stops: (() => void)[];

  /** Watches `client`'s Pods outside the namespaces `isSystem` names, and every Event. */
  constructor(client: ApiClient, isSystem: (namespace: string) => boolean) {
    this.#client = client;
    this.#stops = [
      client.watchTo('Pod', {}, watchSink(({ type, object }) => {
        const namespace = object.metadata?.namespace ?? 'default';
        if (isSystem(namespace)) return;
        const key = keyOf(namespace, object.metadata?.name);
        if (type === 'DELETED') {
          if (this.pods.get(key)?.metadata?.uid !== object.metadata?.uid) return;
          this.pods.delete(key);
          this.#count(namespace, -1);
          this.#deleted.push(object);
          return;
        }
        if (!this.pods.has(key)) this.#count(namespace, 1);
        this.pods.set(key, object);
        this.#written.add(key);
      })),
      client.watchTo('Event', {}, watchSink(({ type, object }) => {
        const about = keyOf(object.metadata?.namespace ?? 'default', object.involvedObject?.name);
        const name = object.metadata?.name ?? '';
        let names = this.#events.get(about);
        if (type === 'DELETED') {
          names?.delete(name);
          if (names?.size === 0) this.#events.delete(about);
          return;
        }
        if (names === undefined) this.#events.set(about, (names = new Set<string>()));
        names.add(name);
      })),
    ];
  }

  /** The namespaces that have workload Pods, in no order. */
  namespaces(): string[] {
    return [...this.#podsInNamespace.keys()];
  }

  /** The Pods written and deleted since the last call (the first: since the watch began). */
  takeChanges(): PodChanges {
    const written: Pod[] = [];
    for (const key of this.#written) {
      const pod = this.pods.get(key);
      if (pod !== undefined) written.push(pod);
    }
    this.#written.clear();
    return { written, deleted: this.#deleted.splice(0) };
  }

  /**
   * The Events of `pod`'s namespace whose involvedObject has its name, in list order: what
   * `kubectl describe pod` asks for (field selector `involvedObject.name=`), describePod
   * then keeping those of its uid.
   */
  eventsAbout(pod: Pod): Event[] {
    const namespace = pod.metadata?.namespace ?? 'default';
    const names = [...(this.#events.get(keyOf(namespace, pod.metadata?.name)) ?? [])].sort(byCodeUnits);
    return names.flatMap((name) => {
      const event = this.#client.get('Event', name, namespace);
      return event._tag === 'Right' ? [event.right] : [];
    });
  }

  /** Stops both watches. */
  stop(): void {
    for (const stop of this.#stops) stop();
  }

  #count(namespace: string, by: 1 | -1): void {
    const n = (this.#podsInNamespace.get(namespace) ?? 0) + by;
    if (n === 0) this.#podsInNamespace.delete(namespace);
    else this.#podsInNamespace.set(namespace, n);
  }
}
