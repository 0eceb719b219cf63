// The node's container runtime as the kubelet sees it through the CRI (upstream's
// dockershim in 1.12/1.14, containerd later): pod sandboxes with their IPs from the
// node's pod CIDR (host-local IPAM), containers with their attempts, the image store
// with a serialised puller (the kubelet's default --serialize-image-pulls=true,
// pkg/kubelet/images/puller.go), and what a power-off leaves behind. It outlives the
// kubelet process: a kubelet restart finds its containers still running, a power-off
// turns them into exited records (Docker keeps them on disk, so the next attempt counts
// on from them).
import { SeededRandom, type SimClock, type TimerHandle, type TimerLabel } from '@failsim/core';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';

/** Where a container is in its life. */
export type ContainerState = 'created' | 'running' | 'exited';

/** One container attempt. Records are immutable; the runtime replaces them. */
export interface RuntimeContainer {
  /** `docker://<64 hex>` (the scheme is the runtime's). */
  readonly id: string;
  readonly podUid: string;
  /** The sandbox it runs in; a container of an older sandbox is dead for good. */
  readonly sandboxId: string;
  readonly name: string;
  readonly image: string;
  readonly imageID: string;
  /** The attempt number, which the kubelet reports as restartCount. */
  readonly restartCount: number;
  readonly state: ContainerState;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly exitCode?: number;
  /** Terminated reason: `Completed` (exit 0) or `Error`. */
  readonly reason?: string;
  /** Set once a stop was asked for: when the container will have exited. */
  readonly stoppingUntil?: number;
}

/** A pod sandbox (the pause container and its network namespace). */
export interface RuntimeSandbox {
  readonly id: string;
  readonly ip: string;
  readonly ready: boolean;
  readonly createdAt: number;
}

/** What the runtime holds for one pod. */
export interface RuntimePod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  /**
   * The pod as the kubelet last created a sandbox for it, as runtime labels keep it
   * ({@link keptPod}: identity, metadata — grace period — and spec, without the status).
   */
  readonly pod: Pod;
  /** The newest sandbox, if any. */
  readonly sandbox?: RuntimeSandbox;
  /** Every container attempt still on disk, oldest first. */
  readonly containers: readonly RuntimeContainer[];
  /**
   * The newest attempt of container `name` (older than `before`, when given), without
   * building {@link containers}: the runtime's records have it, views built elsewhere may not.
   */
  readonly latest?: (name: string, before?: RuntimeContainer) => RuntimeContainer | undefined;
  /** The newest sandbox's IP (undefined without a sandbox), without building {@link sandbox}. */
  readonly sandboxIP?: () => string | undefined;
}

/**
 * The runtime's own record of one pod ({@link ContainerRuntime.pod}): it answers what the
 * pod workers ask on every sync without a lookup of the pod by uid per question.
 */
export interface RuntimePodRecord extends RuntimePod {
  readonly latest: (name: string, before?: RuntimeContainer) => RuntimeContainer | undefined;
  /** The newest sandbox's id while it is ready (what {@link ContainerRuntime.readySandboxId} tells). */
  readySandboxId(): string | undefined;
  /** Whether any attempt has not exited (what {@link ContainerRuntime.hasLiveContainer} tells). */
  hasLive(): boolean;
}

/** An image in the store, as node.status.images lists it. */
export interface RuntimeImage {
  readonly names: readonly string[];
  readonly sizeBytes: number;
}

/** How and when a started container exits on its own. */
export interface ContainerExit {
  readonly afterMs: number;
  readonly exitCode: number;
}

/** Construction options of a {@link ContainerRuntime}. */
export interface ContainerRuntimeOptions {
  readonly clock: SimClock;
  readonly random: SeededRandom;
  readonly nodeName: string;
  /** `docker://18.6.1`: the scheme names container ids (`docker://…`). */
  readonly runtimeVersion: string;
  /** The node's pod CIDR, e.g. `10.200.1.0/24`. */
  readonly podCIDR: string;
  /** The node's IP: what host-network pods get. */
  readonly hostIP: string;
  /** Images already on the node's disk. */
  readonly images?: readonly string[];
}

/** A pod's apiVersion and kind, as {@link keptPod} copies them. */
type TypeMeta = Readonly<Pick<Pod, 'apiVersion' | 'kind'>>;

/** What every pod read from the API has: one frozen object for all records. */
const V1_POD: TypeMeta = Object.freeze({ apiVersion: 'v1', kind: 'Pod' });
/**
 * What a {@link KeptPodParts} keeps besides metadata and spec when it is not `v1`/`Pod`
 * (rare: a pod given without a status, kept as it is, or another apiVersion/kind): a side
 * table rather than a member every record and every pod worker's memory of a pod carries.
 */
const UNUSUAL = new WeakMap<KeptPodParts, { readonly given: Pod } | { readonly type: TypeMeta }>();

/**
 * A pod as {@link keptPod} keeps it, held as its parts rather than as an object of its
 * own: a wrapper per pod held only the stored metadata and spec (and `v1`/`Pod`), and uid,
 * namespace and name are read from that metadata. {@link pod} builds the wrapper when
 * asked. A pod given without a status is kept as it is, as keptPod keeps it. The runtime's
 * records and the pod workers' memory of each pod are kept this way.
 */
export class KeptPodParts {
  #metadata: Pod['metadata'];
  #spec: Pod['spec'];

  constructor(pod: Pod) {
    this.#metadata = undefined;
    this.#spec = undefined;
    this.keep(pod);
  }

  /** Keeps `pod`'s identity, metadata and spec (not its status). */
  keep(pod: Pod): void {
    this.#metadata = pod.metadata;
    this.#spec = pod.spec;
    if (pod.status === undefined) UNUSUAL.set(this, { given: pod });
    else if (pod.apiVersion !== 'v1' || pod.kind !== 'Pod') UNUSUAL.set(this, { type: { apiVersion: pod.apiVersion, kind: pod.kind } });
    // Quick for an object never put in the table (it has no identity hash yet).
    else UNUSUAL.delete(this);
  }

  /** Whether `pod` has the metadata and spec kept (a status write alone changes neither). */
  keeps(pod: Pod): boolean {
    return this.#metadata === pod.metadata && this.#spec === pod.spec;
  }

  get uid(): string {
    return this.#metadata?.uid ?? '';
  }

  get namespace(): string {
    return this.#metadata?.namespace ?? 'default';
  }

  get name(): string {
    return this.#metadata?.name ?? '';
  }

  /** {@link keptPod} of the pod last kept: the same members in the same order. */
  get pod(): Pod {
    const unusual = UNUSUAL.get(this);
    if (unusual === undefined) return keptParts(V1_POD, this.#metadata, this.#spec);
    return 'given' in unusual ? unusual.given : keptParts(unusual.type, this.#metadata, this.#spec);
  }
}

/** The attempts of a pod with none: one frozen list for every record. */
const NO_CONTAINERS: readonly RuntimeContainer[] = Object.freeze([]);

/**
 * The newest attempt of container `name` in `attempts` (oldest first), or the newest older
 * than `before` when given: a loop over the list, building nothing.
 */
export const newestAttempt = (attempts: readonly RuntimeContainer[], name: string, before?: RuntimeContainer): RuntimeContainer | undefined => {
  let seenBefore = before === undefined;
  for (let i = attempts.length - 1; i >= 0; i--) {
    const c = attempts[i];
    if (c?.name !== name) continue;
    if (seenBefore) return c;
    if (c === before) seenBefore = true;
  }
  return undefined;
};

/**
 * What the runtime holds for one pod: the pod as the sandbox's labels keep it
 * ({@link KeptPodParts}; its wrapper is built only for a pod that left its source before
 * this kubelet process synced it), the newest sandbox and the container attempts.
 */
class PodRecord extends KeptPodParts implements RuntimePodRecord {
  /**
   * The container attempts: none, the one attempt itself (almost every pod: one container,
   * never restarted) or a list of two or more. A list of one cost an array and its elements
   * (~56 bytes) per pod, dead nodes' included; {@link containers} builds it when asked.
   */
  #attempts: RuntimeContainer | RuntimeContainer[] | undefined = undefined;
  // The newest sandbox as members of the record rather than an object of its own (a
  // sandbox literal and its boxed createdAt cost ~72 bytes a pod, kept for as long as the
  // machine is, dead nodes' included); {@link sandbox} builds the object when asked.
  // Present from the start (a record that gains a member later keeps it in a separate
  // property array); `undefined` first, so sandboxSince's field holds small integers
  // inline rather than in a box of its own (a field V8 first sees as a number it types as
  // one, and a field of doubles boxes each value).
  /** The newest sandbox's id; undefined until the first sandbox. */
  sandboxId: string | undefined = undefined;
  sandboxIp: string | undefined = undefined;
  /** The newest sandbox's createdAt while it is ready, `-createdAt - 1` once stopped (one member for both). */
  sandboxSince: number | undefined = undefined;

  /** Whether the newest sandbox is ready. */
  get sandboxReady(): boolean {
    return this.sandboxSince !== undefined && this.sandboxSince >= 0;
  }

  readySandboxId(): string | undefined {
    return this.sandboxReady ? this.sandboxId : undefined;
  }

  /** Stops the newest sandbox (its createdAt kept). */
  stopSandbox(): void {
    const since = this.sandboxSince;
    if (since !== undefined && since >= 0) this.sandboxSince = -since - 1;
  }

  /** Every container attempt still on disk, oldest first (a list of one is built per read). */
  get containers(): readonly RuntimeContainer[] {
    const attempts = this.#attempts;
    return attempts === undefined ? NO_CONTAINERS : Array.isArray(attempts) ? attempts : [attempts];
  }

  /** Replaces the attempts with `list` (not kept: a list of one keeps its attempt alone). */
  set containers(list: readonly RuntimeContainer[]) {
    this.#attempts = list.length === 0 ? undefined : list.length === 1 ? list[0] : (list as RuntimeContainer[]);
  }

  /**
   * Adds attempt `created`, replacing a created attempt of the same container that never
   * started: a pod's first attempt is kept alone without building a list to filter.
   */
  addAttempt(created: RuntimeContainer): void {
    const attempts = this.#attempts;
    if (attempts === undefined) this.#attempts = created;
    else this.containers = [...this.containers.filter((c) => !(c.name === created.name && c.state === 'created')), created];
  }

  /** Replaces attempt `id` by `change` of it; the new attempt, if there was one (a lone attempt without a list). */
  replaceAttempt(id: string, change: (c: RuntimeContainer) => RuntimeContainer): RuntimeContainer | undefined {
    const attempts = this.#attempts;
    if (attempts === undefined) return undefined;
    if (!Array.isArray(attempts)) return attempts.id === id ? (this.#attempts = change(attempts)) : undefined;
    let updated: RuntimeContainer | undefined;
    this.containers = attempts.map((c) => (c.id === id ? (updated = change(c)) : c));
    return updated;
  }

  /** The newest attempt of container `name` (older than `before`, when given), without building a list. */
  latest(name: string, before?: RuntimeContainer): RuntimeContainer | undefined {
    const attempts = this.#attempts;
    if (!Array.isArray(attempts)) return before === undefined && attempts?.name === name ? attempts : undefined;
    return newestAttempt(attempts, name, before);
  }

  /** The newest sandbox's IP, as {@link sandbox} would tell it, without building it. */
  sandboxIP(): string | undefined {
    return this.sandboxId === undefined ? undefined : (this.sandboxIp ?? '');
  }

  /** Whether any attempt has not exited, without building a list. */
  hasLive(): boolean {
    const attempts = this.#attempts;
    if (!Array.isArray(attempts)) return attempts !== undefined && attempts.state !== 'exited';
    for (const c of attempts) if (c.state !== 'exited') return true;
    return false;
  }

  /** The newest sandbox (a new object per read, as a replaced one used to be: callers only read it). */
  get sandbox(): RuntimeSandbox | undefined {
    const id = this.sandboxId;
    if (id === undefined) return undefined;
    const since = this.sandboxSince ?? 0;
    return since >= 0 ? { id, ip: this.sandboxIp ?? '', ready: true, createdAt: since } : { id, ip: this.sandboxIp ?? '', ready: false, createdAt: -since - 1 };
  }
}

/**
 * What of a pod outlives the API object it was read from, in the runtime's labels and the
 * pod workers' memory: kind, apiVersion, metadata (name, uid, grace period) and spec, not
 * the status. A stored pod's status is replaced on every status write, so keeping the
 * whole pod read at a sync would keep a stale status tree (about a dozen objects) per pod;
 * metadata and spec are the stored, frozen objects themselves. A pod that has no status
 * is kept as it is.
 */
export const keptPod = (pod: Pod): Pod => (pod.status === undefined ? pod : keptParts(pod, pod.metadata, pod.spec));

/** A kept pod from its parts: the defined ones of apiVersion, kind, metadata and spec, in that order. */
const keptParts = (type: TypeMeta, metadata: Pod['metadata'], spec: Pod['spec']): Pod => {
  const kept: Pod = {};
  if (type.apiVersion !== undefined) kept.apiVersion = type.apiVersion;
  if (type.kind !== undefined) kept.kind = type.kind;
  if (metadata !== undefined) kept.metadata = metadata;
  if (spec !== undefined) kept.spec = spec;
  return kept;
};

/**
 * Container `c` exited at `finishedAt` with `exitCode` (`stoppingUntil` dropped): one
 * literal per shape, members in the order a spread of `c` then the exit's members gave.
 * Built by spreading, the records a power-off leaves (every container of a dead node,
 * kept for as long as the machine is) each had a hidden class of their own, with its
 * descriptors: ~430 bytes a container beyond the record itself.
 */
const exited = (c: RuntimeContainer, finishedAt: number, exitCode: number): RuntimeContainer => {
  const reason = exitCode === 0 ? 'Completed' : 'Error';
  return c.startedAt === undefined
    ? {
        id: c.id,
        podUid: c.podUid,
        sandboxId: c.sandboxId,
        name: c.name,
        image: c.image,
        imageID: c.imageID,
        restartCount: c.restartCount,
        state: 'exited',
        createdAt: c.createdAt,
        finishedAt,
        exitCode,
        reason,
      }
    : {
        id: c.id,
        podUid: c.podUid,
        sandboxId: c.sandboxId,
        name: c.name,
        image: c.image,
        imageID: c.imageID,
        restartCount: c.restartCount,
        state: 'exited',
        createdAt: c.createdAt,
        startedAt: c.startedAt,
        finishedAt,
        exitCode,
        reason,
      };
};

/** node.status.images order: largest first, then by first name. */
const imageOrder = (a: RuntimeImage, b: RuntimeImage): number => b.sizeBytes - a.sizeBytes || (a.names[0] ?? '').localeCompare(b.names[0] ?? '');

/** Character codes of the hex digits 0–f. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Character codes of the id being built: reused by every {@link hex64} (ids are built one at a time). */
const idCodes: number[] = [];

/**
 * `prefix` and 64 hex digits (eight draws of 32 bits, each as 8 zero-padded digits) as one
 * flat string: `+=` or a template would keep a rope of pieces for every container's (and
 * sandbox's) lifetime. Built from character codes in one step rather than joining sixteen
 * intermediate strings: every sandbox and container gets one.
 */
const hex64 = (random: SeededRandom, prefix = ''): string => {
  const codes = idCodes;
  codes.length = prefix.length + 64;
  for (let i = 0; i < prefix.length; i++) codes[i] = prefix.charCodeAt(i);
  let at = prefix.length;
  for (let draw = 0; draw < 8; draw++) {
    const n = random.int(0, 2 ** 32);
    // Most significant digit first, as n.toString(16).padStart(8, '0') writes them.
    for (let shift = 28; shift >= 0; shift -= 4) codes[at++] = HEX_CODES[(n >>> shift) & 15] as number;
  }
  return String.fromCharCode.apply(null, codes);
};

/**
 * Made-up but stable digests and sizes per repository, computed once per process: every
 * node pulls the same images and every container creation asks for its image's id, and
 * each answer seeds a generator and formats 64 hex digits.
 */
const digests = new Map<string, string>();
const sizes = new Map<string, number>();
const imageDigest = (repo: string): string => {
  let digest = digests.get(repo);
  if (digest === undefined) digests.set(repo, (digest = `sha256:${hex64(new SeededRandom(`image:${repo}`))}`));
  return digest;
};
/** Sizes are made up but stable per image: 20–500 MB. */
const imageSize = (repo: string): number => {
  let size = sizes.get(repo);
  if (size === undefined) sizes.set(repo, (size = new SeededRandom(`image-size:${repo}`).int(20_000_000, 500_000_000)));
  return size;
};

/**
 * Image ids by image, per id form, made once per process: every container creation asks
 * for one and keeps it (and its container status) for the container's life, so one shared
 * string per image rather than one per container.
 */
const dockerImageIDs = new Map<string, string>();
const plainImageIDs = new Map<string, string>();

/** `nginx:1.17` → `nginx`; `registry:5000/app` → `registry:5000/app`. */
const repository = (image: string): string => {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(0, at);
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
};

/**
 * The store's entry of each image, made once per process and shared (frozen) by every
 * runtime: its names (`repo@sha256:…`, the image) and size depend on the image alone, and
 * every node pulls the same few images, so one object per image rather than one per node.
 */
const runtimeImages = new Map<string, RuntimeImage>();
const runtimeImage = (image: string): RuntimeImage => {
  let entry = runtimeImages.get(image);
  if (entry === undefined) {
    const repo = repository(image);
    // Sizes are made up but stable per image: 20–500 MB. The digest name is the image id without a scheme.
    entry = Object.freeze({ names: Object.freeze([`${repo}@${imageDigest(repo)}`, image]), sizeBytes: imageSize(repo) });
    runtimeImages.set(image, entry);
  }
  return entry;
};

const parseIPv4 = (ip: string): number => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
/** The first three octets of `n`, dotted, with the dot before the fourth. */
const ipv4Prefix = (n: number): string => `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 2 ** 8) % 256}.`;

/**
 * The container runtime of one node. Timers it schedules (container exits, stops, image
 * pulls) belong to the runtime, not to the kubelet: they go on while the kubelet process
 * is down and end only with {@link ContainerRuntime.powerOff}.
 */
export class ContainerRuntime {
  readonly #clock: SimClock;
  readonly #random: SeededRandom;
  readonly #scheme: string;
  /** `docker://`: the start of every container id, made once. */
  readonly #idPrefix: string;
  readonly #hostIP: string;
  readonly #pods = new Map<string, PodRecord>();
  /**
   * The store's images in images() order (largest first, then by name; equal ones in the
   * order first added): a node holds a handful, so a list searched by name costs less than
   * a Map's table on every node.
   */
  readonly #images: RuntimeImage[] = [];
  /** images(): a frozen copy of the store, kept until an image is added (node status asks every 10 s). */
  #sortedImages: readonly RuntimeImage[] | undefined;
  readonly #pulls = new Map<string, { doneAt: number; timer: TimerHandle }>();
  readonly #timers = new Map<string, TimerHandle>();
  readonly #listeners = new Set<(podUid: string) => void>();
  readonly #label: (purpose: string) => TimerLabel;
  readonly #ipFirst: number;
  readonly #ipCount: number;
  /** One bit per address of the pod CIDR (offset from the first), set while in use: a Set held ~30 numbers a node in a table of ~900 bytes. */
  readonly #ipsInUse: Uint8Array;
  #lastIp = -1;
  /**
   * The dotted first three octets of the last address handed out, and those octets as a
   * number: a /24 hands out every address under one prefix, so each sandbox's IP is one
   * concatenation rather than a dotted quad joined piece by piece (a string per join).
   */
  #ipPrefix = '';
  #ipPrefixOf = -1;
  #pullerFreeAt = 0;
  /** Counts changes of the pods and their containers: readers cache what they derive from them (see {@link ContainerRuntime.generation}). */
  #generation = 0;

  readonly #changeListeners = new Set<() => void>();

  constructor(options: ContainerRuntimeOptions) {
    this.#clock = options.clock;
    this.#random = options.random;
    this.#scheme = options.runtimeVersion.split('://')[0] ?? 'docker';
    this.#idPrefix = `${this.#scheme}://`;
    this.#hostIP = options.hostIP;
    const owner = `container-runtime/${options.nodeName}`;
    this.#label = (purpose) => ({ owner, purpose });
    const [base = '10.200.0.0', bits = '24'] = options.podCIDR.split('/');
    const size = 2 ** (32 - Number(bits));
    // host-local IPAM: .1 is the bridge's gateway, the last address is broadcast.
    this.#ipFirst = parseIPv4(base) + 2;
    this.#ipCount = Math.max(1, size - 3);
    this.#ipsInUse = new Uint8Array(Math.ceil(this.#ipCount / 8));
    for (const image of options.images ?? []) this.#addImage(image);
  }

  /** The scheme of container ids: `docker`, `containerd`… */
  get scheme(): string {
    return this.#scheme;
  }

  /** Calls `listener` with a pod's uid whenever one of its containers exits (the PLEG's relist, without its 1 s delay). */
  onContainerExit(listener: (podUid: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- images --------------------------------------------------------------------

  /** True when `image` is in the store. */
  hasImage(image: string): boolean {
    return this.#imageIndex(image) >= 0;
  }

  /** The store's images, largest first (the order node.status.images uses). */
  images(): readonly RuntimeImage[] {
    // The store is kept in this order (see #addImage): a frozen copy, kept until an image is added.
    this.#sortedImages ??= Object.freeze(this.#images.slice());
    return this.#sortedImages;
  }

  /** The image's id as a container status shows it (`docker-pullable://nginx@sha256:…`). */
  imageID(image: string): string {
    const docker = this.#scheme === 'docker';
    const ids = docker ? dockerImageIDs : plainImageIDs;
    let id = ids.get(image);
    if (id === undefined) {
      const digest = imageDigest(repository(image));
      id = docker ? `docker-pullable://${repository(image)}@${digest}` : `${repository(image)}@${digest}`;
      ids.set(image, id);
    }
    return id;
  }

  /**
   * Pulls `image`, taking `durationMs` once the serial puller is free; a pull of an image
   * already being pulled joins it. Returns when the image will be present (now if it is).
   */
  pullImage(image: string, durationMs: number): number {
    if (this.hasImage(image)) return this.#clock.now();
    const pending = this.#pulls.get(image);
    if (pending) return pending.doneAt;
    const doneAt = Math.max(this.#clock.now(), this.#pullerFreeAt) + durationMs;
    this.#pullerFreeAt = doneAt;
    const timer = this.#clock.scheduleAt(
      doneAt,
      () => {
        this.#pulls.delete(image);
        this.#addImage(image);
      },
      this.#label(`pull image ${image}`),
    );
    this.#pulls.set(image, { doneAt, timer });
    return doneAt;
  }

  // ---- pods and containers ------------------------------------------------------

  /** The runtime's view of one pod: its record, the same object until the pod is removed. */
  pod(uid: string): RuntimePodRecord | undefined {
    return this.#pods.get(uid);
  }

  /**
   * A number that changes whenever a pod record or any container attempt is added,
   * replaced or removed (sandboxes and images aside): what is derived from {@link pods}
   * and their containers stays valid while it is the same.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Calls `listener` whenever {@link generation} changes, before the call that changed it returns. */
  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  #changed(): void {
    this.#generation++;
    for (const listener of this.#changeListeners) listener();
  }

  /** Every pod the runtime holds anything for, by uid. */
  pods(): RuntimePod[] {
    return [...this.#pods.values()];
  }

  /** The newest attempt of container `name` of pod `uid`. */
  latest(uid: string, name: string): RuntimeContainer | undefined {
    return this.#pods.get(uid)?.latest(name);
  }

  /** Whether pod `uid` has a container attempt that has not exited (what its `containers` tell, without building them). */
  hasLiveContainer(uid: string): boolean {
    return this.#pods.get(uid)?.hasLive() ?? false;
  }

  /** Creates a new sandbox for `pod` (the old one, if any, must be stopped), with an IP from the pod CIDR. */
  runSandbox(pod: Pod): RuntimeSandbox {
    const uid = pod.metadata?.uid ?? '';
    this.runPodSandbox(pod);
    return this.#pods.get(uid)?.sandbox as RuntimeSandbox;
  }

  /** {@link runSandbox}, answering only the new sandbox's id (as CRI's RunPodSandbox does): no sandbox object built. */
  runPodSandbox(pod: Pod): string {
    const uid = pod.metadata?.uid ?? '';
    const record = this.#record(pod);
    if (record.sandboxReady) this.stopSandbox(uid);
    const ip = pod.spec?.hostNetwork ? this.#hostIP : this.#allocateIP();
    const id = hex64(this.#random);
    record.sandboxId = id;
    record.sandboxIp = ip;
    record.sandboxSince = this.#clock.now();
    return id;
  }

  /** The id of pod `uid`'s sandbox while it is ready (what {@link pod}'s `sandbox` tells, without building it). */
  readySandboxId(uid: string): string | undefined {
    return this.#pods.get(uid)?.readySandboxId();
  }

  /** Whether pod `uid` has had a sandbox (ready or not). */
  hasSandbox(uid: string): boolean {
    return this.#pods.get(uid)?.sandboxId !== undefined;
  }

  /** Stops pod `uid`'s sandbox and gives its IP back; its containers must be stopped already. */
  stopSandbox(uid: string): void {
    const record = this.#pods.get(uid);
    if (!record?.sandboxReady) return;
    this.#releaseIP(record.sandboxIp ?? '');
    record.stopSandbox();
  }

  /** Creates (not starts) attempt `restartCount` of `container` in pod `uid`'s current sandbox. */
  createContainer(uid: string, container: Container, restartCount: number): RuntimeContainer {
    const record = this.#pods.get(uid);
    if (!record?.sandboxReady) throw new Error(`container-runtime: pod ${uid} has no running sandbox`);
    const image = container.image ?? '';
    const created: RuntimeContainer = {
      id: hex64(this.#random, this.#idPrefix),
      podUid: uid,
      sandboxId: record.sandboxId ?? '',
      name: container.name,
      image,
      imageID: this.imageID(image),
      restartCount,
      state: 'created',
      createdAt: this.#clock.now(),
    };
    // A created container that never started (its kubelet died mid-start) is replaced.
    record.addAttempt(created);
    this.#changed();
    return created;
  }

  /** Starts a created container; with `exit`, it exits on its own that long after. */
  startContainer(uid: string, id: string, exit?: ContainerExit): void {
    const started = this.#update(uid, id, (c) => (c.state === 'created' ? this.#running(c) : c));
    if (started?.state !== 'running' || !exit) return;
    this.#timers.set(
      id,
      this.#clock.schedule(exit.afterMs, () => this.#exit(uid, id, exit.exitCode), this.#label(`container ${started.name} of ${this.#podName(uid)} exits`)),
    );
  }

  /**
   * Stops a running container (SIGTERM, then SIGKILL at the deadline): it exits after
   * `afterMs` with `exitCode`. A container already stopping keeps its earlier deadline.
   */
  stopContainer(uid: string, id: string, afterMs: number, exitCode: number): void {
    const container = this.#pods.get(uid)?.containers.find((c) => c.id === id);
    if (!container || container.state === 'exited' || container.stoppingUntil !== undefined) return;
    if (container.state === 'created') {
      this.#exit(uid, id, 0);
      return;
    }
    const until = this.#clock.now() + afterMs;
    this.#update(uid, id, (c) => this.#stopping(c, until));
    this.#timers.get(id)?.cancel();
    this.#timers.set(id, this.#clock.scheduleAt(until, () => this.#exit(uid, id, exitCode), this.#label(`stop container ${container.name} of ${this.#podName(uid)}`)));
  }

  /** Forgets pod `uid` (the kubelet's container GC once the pod is gone): its IP goes back. */
  removePod(uid: string): void {
    const record = this.#pods.get(uid);
    if (!record) return;
    if (record.sandboxReady) this.#releaseIP(record.sandboxIp ?? '');
    for (const c of record.containers) {
      this.#timers.get(c.id)?.cancel();
      this.#timers.delete(c.id);
    }
    this.#pods.delete(uid);
    this.#changed();
  }

  /**
   * The machine loses power: every container dies where it stood (exit 255, as Docker
   * reports containers it finds dead after a reboot), sandboxes die and their IPs go
   * back, pulls in progress are lost. Images on disk and the exited records stay.
   */
  powerOff(): void {
    const now = this.#clock.now();
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    for (const { timer } of this.#pulls.values()) timer.cancel();
    this.#pulls.clear();
    this.#pullerFreeAt = 0;
    for (const record of this.#pods.values()) {
      record.containers = record.containers.map((c) => (c.state === 'exited' ? c : exited(c, now, 255)));
      record.stopSandbox();
    }
    this.#changed();
    this.#ipsInUse.fill(0);
  }

  /**
   * A created container, started now: one literal with every member (a created record has
   * exactly these), where a copy gaining `startedAt` kept its last members in a separate
   * property array for the container's whole life (every running container of the node).
   */
  #running(c: RuntimeContainer): RuntimeContainer {
    return {
      id: c.id,
      podUid: c.podUid,
      sandboxId: c.sandboxId,
      name: c.name,
      image: c.image,
      imageID: c.imageID,
      restartCount: c.restartCount,
      state: 'running',
      createdAt: c.createdAt,
      startedAt: this.#clock.now(),
    };
  }

  /** A running container asked to stop: the running literal and `stoppingUntil`, one shape for every stopping container. */
  #stopping(c: RuntimeContainer, until: number): RuntimeContainer {
    // Only a running container is stopped this way (a created one exits at once).
    if (c.startedAt === undefined) return Object.assign({}, c, { stoppingUntil: until });
    return {
      id: c.id,
      podUid: c.podUid,
      sandboxId: c.sandboxId,
      name: c.name,
      image: c.image,
      imageID: c.imageID,
      restartCount: c.restartCount,
      state: c.state,
      createdAt: c.createdAt,
      startedAt: c.startedAt,
      stoppingUntil: until,
    };
  }

  #record(pod: Pod): PodRecord {
    const uid = pod.metadata?.uid ?? '';
    let record = this.#pods.get(uid);
    if (!record) {
      record = new PodRecord(pod);
      this.#pods.set(uid, record);
      this.#changed();
    } else if (!record.keeps(pod)) record.keep(pod);
    return record;
  }

  #podName(uid: string): string {
    const record = this.#pods.get(uid);
    return record ? `${record.namespace}/${record.name}` : uid;
  }

  #update(uid: string, id: string, change: (c: RuntimeContainer) => RuntimeContainer): RuntimeContainer | undefined {
    const record = this.#pods.get(uid);
    if (!record) return undefined;
    const updated = record.replaceAttempt(id, change);
    this.#changed();
    return updated;
  }

  #exit(uid: string, id: string, exitCode: number): void {
    this.#timers.delete(id);
    const done = this.#update(uid, id, (c) => exited(c, this.#clock.now(), exitCode));
    if (done) for (const listener of [...this.#listeners]) listener(uid);
  }

  #addImage(image: string): void {
    const at = this.#imageIndex(image);
    const added = runtimeImage(image);
    // The next images() copies the store afresh (as a new frozen list, which the node status
    // source compares by identity): once per heartbeat that asks, not once per pull.
    this.#sortedImages = undefined;
    // An image added again keeps its place.
    if (at >= 0) {
      this.#images[at] = added;
      return;
    }
    // Each pull adds one image: inserted where the stable sort would put it (after the
    // images that order equal, which came before it), so the store stays in images() order
    // without sorting it again with localeCompare on every pull of every node.
    const images = this.#images;
    let lo = 0;
    let hi = images.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (imageOrder(images[mid] as RuntimeImage, added) <= 0) lo = mid + 1;
      else hi = mid;
    }
    images.splice(lo, 0, added);
  }

  /** host-local IPAM hands out addresses round-robin from the last one it reserved. */
  #allocateIP(): string {
    for (let i = 1; i <= this.#ipCount; i++) {
      const candidate = (this.#lastIp + i) % this.#ipCount;
      if (!this.#ipInUse(candidate)) {
        this.#ipsInUse[candidate >>> 3]! |= 1 << (candidate & 7);
        this.#lastIp = candidate;
        return this.#formatIP(this.#ipFirst + candidate);
      }
    }
    throw new Error('container-runtime: no free IP left in the pod CIDR');
  }

  /** Dotted quad of `n`. */
  #formatIP(n: number): string {
    const high = Math.floor(n / 256);
    if (high !== this.#ipPrefixOf) {
      this.#ipPrefixOf = high;
      this.#ipPrefix = ipv4Prefix(n);
    }
    return this.#ipPrefix + (n % 256);
  }

  #releaseIP(ip: string): void {
    if (ip === this.#hostIP) return;
    const offset = parseIPv4(ip) - this.#ipFirst;
    if (offset >= 0 && offset < this.#ipCount) this.#ipsInUse[offset >>> 3]! &= ~(1 << (offset & 7));
  }

  #ipInUse(offset: number): boolean {
    return ((this.#ipsInUse[offset >>> 3]! >>> (offset & 7)) & 1) === 1;
  }

  /**
   * Where `image` is in the store, or -1. The store holds only the process's shared entries
   * (one per image, see runtimeImage), so the entry is found by identity: comparing each
   * entry's name with `image` compared equal-length strings of a common prefix character
   * by character (images differ by their last few), up to a node's ~30 per question.
   */
  #imageIndex(image: string): number {
    const entry = runtimeImages.get(image);
    return entry === undefined ? -1 : this.#images.indexOf(entry);
  }
}
