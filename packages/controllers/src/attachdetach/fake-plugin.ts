// A fake attachable volume plugin, in the spirit of upstream's FakeVolumePlugin
// (k8s.io/kubernetes pkg/volume/testing/testing.go, v1.28: FakeAttacher/FakeDetacher count
// calls and can be told to fail). It keeps its own record of which volume is attached
// where, takes configurable virtual time per operation and fails on demand with the
// message a real plugin would put into "AttachVolume.Attach failed … : <message>".
import { Observable } from 'rxjs';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import type { SimClock } from '@failsim/core';
import type { AttachableVolumePlugin } from '../storage/volume-plugin.js';

/** One recorded call of a {@link FakeAttachablePlugin}. */
export interface FakePluginCall {
  readonly op: 'attach' | 'detach' | 'volumesAreAttached' | 'mount' | 'unmount';
  /** The PV's name (for volumesAreAttached: the names asked about, comma-separated). */
  readonly volume: string;
  readonly node: string;
  /** Virtual time of the call (ms). */
  readonly at: number;
}

/** Options of a {@link FakeAttachablePlugin}. */
export interface FakeAttachablePluginOptions {
  /** Plugin name; default `failsim.io/fake-attacher`. */
  readonly name?: string;
  /** Attach through VolumeAttachment objects, as a CSI driver does. Default false. */
  readonly usesVolumeAttachments?: boolean;
  /** Virtual time an attach takes (ms); default 0. */
  readonly attachDurationMs?: number;
  /** Virtual time a detach takes (ms); default 0. */
  readonly detachDurationMs?: number;
  /** Virtual time a mount or unmount takes (ms); default 0. */
  readonly mountDurationMs?: number;
  /** Which PVs the plugin serves; default every PV. */
  readonly canSupport?: (pv: PersistentVolume) => boolean;
  /**
   * A standing failure rule, consulted on each attach after the queued failures: a message
   * fails the attach with it (e.g. "Failed to add disk 'scsi1:0'." while another VM holds the disk).
   */
  readonly attachError?: (pv: PersistentVolume, nodeName: string, plugin: FakeAttachablePlugin) => string | undefined;
  /** A standing failure rule for detaches, as {@link attachError}. */
  readonly detachError?: (pv: PersistentVolume, nodeName: string, plugin: FakeAttachablePlugin) => string | undefined;
}

/**
 * An in-memory {@link AttachableVolumePlugin} for specs and scenarios without a storage
 * system. Attaches and detaches take `attachDurationMs` / `detachDurationMs` of virtual
 * time; `failAttach('msg')` makes the next attach fail with `msg`; `attachments` tells
 * where each volume is attached, and `volumesAreAttached` answers from it (so
 * {@link forget} simulates a disk removed behind Kubernetes' back).
 *
 * @example
 * ```ts
 * const plugin = new FakeAttachablePlugin(sim.clock, { attachDurationMs: 2_000 });
 * plugin.failAttach("Failed to add disk 'scsi1:0'.");
 * new AttachDetachController(ctx, { plugins: [plugin] }).start();
 * ```
 */
export class FakeAttachablePlugin implements AttachableVolumePlugin {
  readonly name: string;
  readonly usesVolumeAttachments: boolean;
  readonly attachDurationMs: number;
  readonly detachDurationMs: number;
  readonly mountDurationMs: number;
  /** Every call, in order. */
  readonly calls: FakePluginCall[] = [];
  /** PV name → names of the nodes it is attached to. */
  readonly attachments = new Map<string, Set<string>>();
  readonly #clock: SimClock;
  readonly #options: FakeAttachablePluginOptions;
  readonly #attachFailures: string[] = [];
  readonly #detachFailures: string[] = [];
  readonly #mountFailures: string[] = [];

  constructor(clock: SimClock, options: FakeAttachablePluginOptions = {}) {
    this.#clock = clock;
    this.#options = options;
    this.name = options.name ?? 'failsim.io/fake-attacher';
    this.usesVolumeAttachments = options.usesVolumeAttachments ?? false;
    this.attachDurationMs = options.attachDurationMs ?? 0;
    this.detachDurationMs = options.detachDurationMs ?? 0;
    this.mountDurationMs = options.mountDurationMs ?? 0;
  }

  /** The next `messages.length` attaches fail with these messages. */
  failAttach(...messages: string[]): void {
    this.#attachFailures.push(...messages);
  }

  /** The next `messages.length` detaches fail with these messages. */
  failDetach(...messages: string[]): void {
    this.#detachFailures.push(...messages);
  }

  /** The next `messages.length` mounts fail with these messages. */
  failMount(...messages: string[]): void {
    this.#mountFailures.push(...messages);
  }

  /** Whether the plugin holds `pvName` attached to `nodeName`. */
  isAttached(pvName: string, nodeName: string): boolean {
    return this.attachments.get(pvName)?.has(nodeName) ?? false;
  }

  /** Forgets an attachment without a detach call (a disk removed behind Kubernetes' back). */
  forget(pvName: string, nodeName: string): void {
    this.#remove(pvName, nodeName);
  }

  /** Calls of one operation, in order. */
  callsOf(op: FakePluginCall['op']): FakePluginCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  canSupport(pv: PersistentVolume): boolean {
    return this.#options.canSupport ? this.#options.canSupport(pv) : true;
  }

  uniqueVolumeName(pv: PersistentVolume): string {
    return `${this.name}/${pv.spec?.csi?.volumeHandle ?? pv.metadata?.name ?? ''}`;
  }

  /** The device path an attach reports: `/dev/disk/by-id/fake-<pv>`. */
  devicePath(pv: PersistentVolume): string {
    return `/dev/disk/by-id/fake-${pv.metadata?.name ?? ''}`;
  }

  attach(pv: PersistentVolume, nodeName: string): Observable<string> {
    const volume = pv.metadata?.name ?? '';
    this.#record('attach', volume, nodeName);
    return this.#after<string>(this.attachDurationMs, `attach ${volume} to ${nodeName}`, () => {
      const failure = this.#attachFailures.shift() ?? this.#options.attachError?.(pv, nodeName, this);
      if (failure !== undefined) return { error: failure };
      let nodes = this.attachments.get(volume);
      if (!nodes) this.attachments.set(volume, (nodes = new Set()));
      nodes.add(nodeName);
      return { value: this.devicePath(pv) };
    });
  }

  detach(pv: PersistentVolume, nodeName: string): Observable<void> {
    const volume = pv.metadata?.name ?? '';
    this.#record('detach', volume, nodeName);
    return this.#after(this.detachDurationMs, `detach ${volume} from ${nodeName}`, () => {
      const failure = this.#detachFailures.shift() ?? this.#options.detachError?.(pv, nodeName, this);
      if (failure !== undefined) return { error: failure };
      this.#remove(volume, nodeName);
      return { value: undefined };
    });
  }

  volumesAreAttached(pvs: readonly PersistentVolume[], nodeName: string): ReadonlyMap<string, boolean> {
    const names = pvs.map((pv) => pv.metadata?.name ?? '');
    this.#record('volumesAreAttached', names.join(','), nodeName);
    return new Map(names.map((name) => [name, this.isAttached(name, nodeName)]));
  }

  mount(pv: PersistentVolume, nodeName: string, podUid: string): Observable<void> {
    const volume = pv.metadata?.name ?? '';
    this.#record('mount', volume, nodeName);
    return this.#after(this.mountDurationMs, `mount ${volume} for pod ${podUid} on ${nodeName}`, () => {
      const failure = this.#mountFailures.shift();
      if (failure !== undefined) return { error: failure };
      if (!this.isAttached(volume, nodeName)) return { error: `volume ${volume} is not attached to node ${nodeName}` };
      return { value: undefined };
    });
  }

  unmount(pv: PersistentVolume, nodeName: string, podUid: string): Observable<void> {
    const volume = pv.metadata?.name ?? '';
    this.#record('unmount', volume, nodeName);
    return this.#after(this.mountDurationMs, `unmount ${volume} for pod ${podUid} on ${nodeName}`, () => ({ value: undefined }));
  }

  #record(op: FakePluginCall['op'], volume: string, node: string): void {
    this.calls.push({ op, volume, node, at: this.#clock.now() });
  }

  #remove(volume: string, nodeName: string): void {
    const nodes = this.attachments.get(volume);
    nodes?.delete(nodeName);
    if (nodes?.size === 0) this.attachments.delete(volume);
  }

  /**
   * An Observable that, `delayMs` after subscription, runs `outcome` and emits its value
   * (then completes) or errors with its message. Unsubscribing first cancels the timer.
   */
  #after<T>(delayMs: number, purpose: string, outcome: () => { value: T } | { error: string }): Observable<T> {
    return new Observable<T>((subscriber) => {
      const timer = this.#clock.schedule(
        delayMs,
        () => {
          const result = outcome();
          if ('error' in result) subscriber.error(result.error);
          else {
            subscriber.next(result.value);
            subscriber.complete();
          }
        },
        { owner: this.name, purpose },
      );
      return () => timer.cancel();
    });
  }
}
