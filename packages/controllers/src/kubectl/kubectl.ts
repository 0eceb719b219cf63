// kubectl's verbs against the model, each answering with the lines real kubectl prints:
// apply, delete node / pod (graceful, or --force --grace-period=0), cordon, uncordon,
// drain (k8s.io/kubectl pkg/drain: evictions honouring PodDisruptionBudgets, retried
// every 5 s; then polling every 1 s until the pods are gone), taint, scale.
import * as E from 'fp-ts/lib/Either.js';
import { concat, defer, EMPTY, from, merge, Observable, of, timer } from 'rxjs';
import { endWith, expand, filter, map, mergeMap, take, takeWhile } from 'rxjs/operators';
import { createSimScheduler, resolveKind, resources, type ApiClient, type ApiError, type Kind, type KubeObject, type ObjectOf } from '@failsim/core';
import type { Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { ControllerContext } from '../runtime/context.js';
import { controllerOf } from '../runtime/pod-util.js';
import { runCql, type VolumeData } from '../apps/cqlsh.js';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';

/** The data of a PersistentVolume's backing storage, if the storage model keeps any. */
export type VolumeDataResolver = (pv: PersistentVolume) => VolumeData | undefined;

/** What a kubectl verb answers: the lines it prints, or an error line (exit code 1). */
export type KubectlResult = E.Either<string, readonly string[]>;

/** Options of `kubectl drain`, with kubectl's flag names. */
export interface DrainOptions {
  /** --ignore-daemonsets: skip DaemonSet-managed pods instead of failing. */
  readonly ignoreDaemonsets?: boolean;
  /** --delete-emptydir-data (--delete-local-data before 1.20): allow pods with emptyDir volumes. */
  readonly deleteEmptydirData?: boolean;
  /** --force: also evict pods no controller manages. */
  readonly force?: boolean;
  /** --timeout in ms; 0 (default) waits for ever. */
  readonly timeout?: number;
  /** --grace-period in seconds; -1 (default) uses each pod's own. */
  readonly gracePeriod?: number;
  /** --disable-eviction: delete instead of evict (bypasses PodDisruptionBudgets). */
  readonly disableEviction?: boolean;
}

const kindLabel = (kind: Kind): string => {
  const r = resources[kind];
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
};

const apiMessage = (e: ApiError): string => `Error from server (${e.reason}): ${e.message}`;

/** kubectl for one simulation, as the control plane's user. */
export class Kubectl {
  readonly #client: ApiClient;
  readonly #ctx: ControllerContext;

  readonly #volumeData: VolumeDataResolver | undefined;

  /** `volumeData` gives `exec` the data of a mounted volume (the storage model's files). */
  constructor(ctx: ControllerContext, volumeData?: VolumeDataResolver) {
    this.#ctx = ctx;
    this.#client = ctx.sim.api.client('kubectl');
    this.#volumeData = volumeData;
  }

  /**
   * `kubectl exec <pod> [-n ns] -- <command…>`. The containers run what the model knows:
   * `cqlsh -e "<statement>"` (and `cqlsh -k <keyspace> -e …`) against the data of the
   * pod's first PersistentVolumeClaim volume. The pod must be Running with its container
   * running, as the API server's exec requires.
   */
  exec(podName: string, command: readonly string[], namespace = 'default'): KubectlResult {
    const got = this.#client.get('Pod', podName, namespace);
    if (E.isLeft(got)) return E.left(apiMessage(got.left));
    const pod = got.right;
    const container = pod.spec?.containers[0]?.name ?? '';
    const running = pod.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).some((c) => c.name === container && c.state?.running);
    if (!running) return E.left(`error: unable to upgrade connection: container not found ("${container}")`);
    const [program, ...args] = command;
    if (program !== 'cqlsh') return E.left(`OCI runtime exec failed: exec failed: container_linux.go:345: starting container process caused "exec: ${JSON.stringify(program ?? '')}: executable file not found in $PATH": unknown\ncommand terminated with exit code 126`);
    const statementAt = args.indexOf('-e');
    const keyspaceAt = args.indexOf('-k');
    const statement = statementAt >= 0 ? args[statementAt + 1] : undefined;
    if (statement === undefined) return E.left('error: failsim models cqlsh only with -e "<statement>"');
    const claim = (pod.spec?.volumes ?? []).find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName;
    const pvc = claim ? this.#client.get('PersistentVolumeClaim', claim, namespace) : undefined;
    const pvName = pvc && E.isRight(pvc) ? pvc.right.spec?.volumeName : undefined;
    const pv = pvName ? this.#client.get('PersistentVolume', pvName) : undefined;
    const data = pv && E.isRight(pv) ? this.#volumeData?.(pv.right) : undefined;
    if (!data) return E.left('Connection error: (\'Unable to connect to any servers\', {\'127.0.0.1\': error(111, "Tried connecting to [(\'127.0.0.1\', 9042)]. Last error: Connection refused")})\ncommand terminated with exit code 1');
    const session = keyspaceAt >= 0 && args[keyspaceAt + 1] ? { keyspace: args[keyspaceAt + 1]! } : {};
    const lines: string[] = [];
    for (const cql of statement.split(';').map((c) => c.trim()).filter(Boolean)) {
      const result = runCql(data, session, cql);
      if (E.isLeft(result)) return E.left(`${result.left}\ncommand terminated with exit code 2`);
      lines.push(...result.right);
    }
    return E.right(lines);
  }

  /** `kubectl apply -f`: creates each object, or merges it into the existing one. */
  apply(objects: readonly KubeObject[]): KubectlResult {
    const lines: string[] = [];
    for (const obj of objects) {
      const kind = obj.kind ? resolveKind(obj.kind) : undefined;
      if (!kind) return E.left(`error: unable to recognize "${obj.kind ?? ''}": no matches for kind "${obj.kind ?? ''}"`);
      const name = obj.metadata?.name ?? '';
      const namespace = resources[kind].namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
      const existing = this.#client.get(kind, name, namespace);
      const label = `${kindLabel(kind)}/${name}`;
      if (E.isLeft(existing)) {
        const created = this.#client.create(kind, obj as ObjectOf<typeof kind>, namespace);
        if (E.isLeft(created)) return E.left(apiMessage(created.left));
        lines.push(`${label} created`);
        continue;
      }
      const before = existing.right.metadata?.resourceVersion;
      const patched = this.#client.patch(kind, name, { ...obj, metadata: { ...obj.metadata, namespace } }, { type: 'merge', namespace });
      if (E.isLeft(patched)) return E.left(apiMessage(patched.left));
      lines.push(`${label} ${patched.right.metadata?.resourceVersion === before ? 'unchanged' : 'configured'}`);
    }
    return E.right(lines);
  }

  /** `kubectl delete node <name>`. */
  deleteNode(name: string): KubectlResult {
    const deleted = this.#client.delete('Node', name);
    return E.isLeft(deleted) ? E.left(apiMessage(deleted.left)) : E.right([`node "${name}" deleted`]);
  }

  /**
   * `kubectl delete node A B …` (`names`) or `kubectl delete node -l <selector>`
   * (`selector`: the Nodes its labels match, in the order the API lists them): each Node
   * in turn. As kubectl, a Node that cannot be deleted is reported and the others are still
   * deleted; the result is Left, with every line, if any failed. A selector that matches
   * nothing deletes nothing: "No resources found".
   */
  deleteNodes(target: { readonly names: readonly string[] } | { readonly selector: string }): KubectlResult {
    let names: readonly string[];
    if ('selector' in target) {
      const listed = this.#client.list('Node', { labelSelector: target.selector });
      if (E.isLeft(listed)) return E.left(apiMessage(listed.left));
      if (listed.right.items.length === 0) return E.right(['No resources found']);
      names = listed.right.items.map((node) => node.metadata?.name ?? '');
    } else names = target.names;
    const lines: string[] = [];
    let failed = false;
    for (const name of names) {
      const deleted = this.deleteNode(name);
      failed ||= E.isLeft(deleted);
      if (E.isLeft(deleted)) lines.push(deleted.left);
      else lines.push(...deleted.right);
    }
    return failed ? E.left(lines.join('\n')) : E.right(lines);
  }

  /** `kubectl delete pod <name> [-n ns] [--force --grace-period=0]`. */
  deletePod(name: string, options: { namespace?: string; force?: boolean; gracePeriod?: number } = {}): KubectlResult {
    const namespace = options.namespace ?? 'default';
    if (options.gracePeriod === 0 && !options.force) {
      return E.left('error: --grace-period=0 must have either --force specified, or --wait to be set to true');
    }
    const force = options.force === true && (options.gracePeriod ?? 0) === 0;
    const deleted = this.#client.delete('Pod', name, {
      namespace,
      ...(force ? { gracePeriodSeconds: 0 } : options.gracePeriod !== undefined ? { gracePeriodSeconds: options.gracePeriod } : {}),
    });
    if (E.isLeft(deleted)) return E.left(apiMessage(deleted.left));
    return E.right(
      force
        ? [
            'warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.',
            `pod "${name}" force deleted`,
          ]
        : [`pod "${name}" deleted`],
    );
  }

  /** `kubectl cordon <node>`. */
  cordon(node: string): KubectlResult {
    return this.#setUnschedulable(node, true);
  }

  /** `kubectl uncordon <node>`. */
  uncordon(node: string): KubectlResult {
    return this.#setUnschedulable(node, false);
  }

  /** `kubectl taint nodes <node> key[=value]:Effect` (add) or `key[:Effect]-` (remove). */
  taint(node: string, spec: string): KubectlResult {
    const current = this.#client.get('Node', node);
    if (E.isLeft(current)) return E.left(apiMessage(current.left));
    const taints = current.right.spec?.taints ?? [];
    const removing = spec.endsWith('-');
    const [keyValue = '', effect] = (removing ? spec.slice(0, -1) : spec).split(':');
    const [key = '', value] = keyValue.split('=');
    if (!key) return E.left(`error: invalid taint spec: ${spec}`);
    let next: Taint[];
    if (removing) {
      next = taints.filter((t) => !(t.key === key && (!effect || t.effect === effect)));
      if (next.length === taints.length) return E.left(`error: taint "${spec.slice(0, -1)}" not found`);
    } else {
      if (!effect || !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
        return E.left(`error: invalid taint effect: ${effect ?? ''}, unsupported taint effect`);
      }
      if (taints.some((t) => t.key === key && t.effect === effect)) {
        return E.left(`error: node ${node} already has ${key} taint(s) with same effect(s) and --overwrite is false`);
      }
      // kubectl puts the new taint first (ReorganizeTaints); timeAdded is set by the server for NoExecute.
      const added: Taint = { key, effect, ...(value !== undefined ? { value } : {}), ...(effect === 'NoExecute' ? { timeAdded: this.#ctx.sim.clock.iso() } : {}) };
      next = [added, ...taints];
    }
    const patched = this.#client.patch('Node', node, { spec: { taints: next.length ? next : null } });
    if (E.isLeft(patched)) return E.left(apiMessage(patched.left));
    return E.right([`node/${node} ${removing ? 'untainted' : 'tainted'}`]);
  }

  /** `kubectl scale <kind>/<name> --replicas=N`. */
  scale(kindText: string, name: string, replicas: number, namespace = 'default'): KubectlResult {
    const kind = resolveKind(kindText);
    if (kind !== 'StatefulSet' && kind !== 'Deployment' && kind !== 'ReplicaSet') {
      return E.left(`error: no objects passed to scale (${kindText} cannot be scaled)`);
    }
    const patched = this.#client.patch(kind, name, { spec: { replicas } }, { type: 'merge', namespace });
    if (E.isLeft(patched)) return E.left(apiMessage(patched.left));
    return E.right([`${kindLabel(kind)}/${name} scaled`]);
  }

  /**
   * `kubectl drain <node>`: cordon, then evict every pod on the node (DaemonSet pods
   * skipped with --ignore-daemonsets), retrying refused evictions every 5 s, then wait
   * (polling every 1 s) until they are gone. Emits kubectl's lines as they are printed and
   * completes when the node is drained; errors with kubectl's error line.
   */
  drain(node: string, options: DrainOptions = {}): Observable<string> {
    const scheduler = createSimScheduler(this.#ctx.sim.clock, { owner: 'kubectl', purpose: `drain node ${node}` });
    return defer(() => {
      const cordoned = this.cordon(node);
      if (E.isLeft(cordoned)) throw new Error(cordoned.left);
      const listed = this.#client.list('Pod', { fieldSelector: `spec.nodeName=${node}` });
      if (E.isLeft(listed)) throw new Error(apiMessage(listed.left));
      const { evict, skipped, problems } = this.#drainFilter(listed.right.items, options);
      if (problems.length > 0) throw new Error(`error: unable to drain node "${node}" due to error: cannot delete ${problems.join(', ')}, continuing command...`);
      const warning = skipped.length ? [`Warning: ignoring DaemonSet-managed Pods: ${skipped.join(', ')}`] : [];
      const evictions = from(evict).pipe(mergeMap((pod) => this.#evictUntilGone(pod, options, scheduler)));
      const work = concat(of(...cordoned.right, ...warning), evictions, of(`node/${node} drained`));
      if (!options.timeout) return work;
      // --timeout bounds the whole drain (kubectl's global timeout), not the gap between lines.
      const seconds = options.timeout / 1000;
      const deadline$ = timer(options.timeout, scheduler).pipe(
        map((): string => {
          throw new Error(`error: unable to drain node "${node}" due to error: global timeout reached: ${seconds}s, continuing command...`);
        }),
      );
      const DONE = '\u0000done';
      return merge(work.pipe(endWith(DONE)), deadline$).pipe(takeWhile((line) => line !== DONE));
    });
  }

  #drainFilter(pods: readonly Pod[], options: DrainOptions): { evict: Pod[]; skipped: string[]; problems: string[] } {
    const evict: Pod[] = [];
    const skipped: string[] = [];
    const problems: string[] = [];
    for (const pod of pods) {
      const id = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
      if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) continue;
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
        evict.push(pod);
        continue;
      }
      const owner = controllerOf(pod);
      if (owner?.kind === 'DaemonSet') {
        if (options.ignoreDaemonsets) skipped.push(id);
        else problems.push(`DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${id}`);
        continue;
      }
      if (!owner && !options.force) {
        problems.push(`Pods declare no controller (use --force to override): ${id}`);
        continue;
      }
      if ((pod.spec?.volumes ?? []).some((v) => v.emptyDir) && !options.deleteEmptydirData) {
        problems.push(`Pods with local storage (use --delete-emptydir-data to override): ${id}`);
        continue;
      }
      evict.push(pod);
    }
    return { evict, skipped, problems };
  }

  #evictUntilGone(pod: Pod, options: DrainOptions, scheduler: ReturnType<typeof createSimScheduler>): Observable<string> {
    const name = pod.metadata?.name ?? '';
    const namespace = pod.metadata?.namespace ?? 'default';
    const uid = pod.metadata?.uid;
    const grace = options.gracePeriod !== undefined && options.gracePeriod >= 0 ? { gracePeriodSeconds: options.gracePeriod } : {};
    const attempt = (): { line: string; done: boolean } => {
      const result = options.disableEviction
        ? this.#client.delete('Pod', name, { namespace, ...grace })
        : this.#client.evict(name, namespace, grace);
      if (E.isRight(result)) return { line: `evicting pod ${namespace}/${name}`, done: true };
      if (result.left.reason === 'NotFound') return { line: '', done: true };
      if (result.left.reason === 'TooManyRequests') {
        return { line: `error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${result.left.message}`, done: false };
      }
      throw new Error(`error: unable to drain node: ${apiMessage(result.left)}`);
    };
    const gone = (): boolean => {
      const current = this.#client.get('Pod', name, namespace);
      return E.isLeft(current) || current.right.metadata?.uid !== uid;
    };
    const evicted$ = of(attempt()).pipe(
      expand((a) => (a.done ? EMPTY : timer(5_000, scheduler).pipe(map(() => attempt())))),
      takeWhile((a) => !a.done, true),
    );
    const waitForDelete$ = timer(0, 1_000, scheduler).pipe(filter(gone), take(1), map(() => `pod/${name} evicted`));
    return concat(evicted$.pipe(map((a) => a.line), filter((line) => line !== '')), waitForDelete$);
  }

  #setUnschedulable(node: string, unschedulable: boolean): KubectlResult {
    const current = this.#client.get('Node', node);
    if (E.isLeft(current)) return E.left(apiMessage(current.left));
    const verb = unschedulable ? 'cordoned' : 'uncordoned';
    if ((current.right.spec?.unschedulable ?? false) === unschedulable) return E.right([`node/${node} already ${verb}`]);
    const patched = this.#client.patch('Node', node, { spec: { unschedulable: unschedulable ? true : null } });
    return E.isLeft(patched) ? E.left(apiMessage(patched.left)) : E.right([`node/${node} ${verb}`]);
  }
}
