// The attach/detach controller's actual state of world, as upstream's
// pkg/controller/volume/attachdetach/cache/actual_state_of_world.go (k/k v1.28): which
// volume is attached to which node, with the attach state (confirmed or uncertain), whether
// the node mounts it, when a detach was first wanted, and which volumes each node's
// status.volumesAttached must list. Storage reference §3.1, §3.6.
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';

/** GetAttachState's answer. */
export type AttachState = 'Attached' | 'Uncertain' | 'Detached';

/** One (volume, node) attachment, as the reconciler reads it (AttachedVolume). */
export interface AttachedVolume {
  /** Unique volume name (`<plugin>/<volume id>`). */
  readonly volumeName: string;
  /** The PV, when known (after a start-up rebuild it may be looked up later). */
  readonly pv: PersistentVolume | undefined;
  readonly nodeName: string;
  readonly devicePath: string;
  /** The node mounts it (assumed true on a new attachment until node status says otherwise). */
  readonly mountedByNode: boolean;
  /** False while the attachment is Uncertain (failed or unfinished attach, failed detach). */
  readonly attachedConfirmed: boolean;
  /** Virtual time (ms) of the first pass that wanted it detached; undefined when none did. */
  readonly detachRequestedTime: number | undefined;
}

/** A `node.status.volumesAttached` entry. */
export interface ReportedVolume {
  readonly name: string;
  readonly devicePath: string;
}

interface NodeAttachedTo {
  mountedByNode: boolean;
  attachedConfirmed: boolean;
  detachRequestedTime: number | undefined;
}

interface VolumeEntry {
  pv: PersistentVolume | undefined;
  devicePath: string;
  readonly nodes: Map<string, NodeAttachedTo>;
  /** The keys of `nodes` in name order, kept until a node is added or removed. */
  sortedNodes: string[] | undefined;
}

interface NodeToUpdateStatusFor {
  readonly volumesToReportAsAttached: Set<string>;
}

/**
 * The actual state of world. Every mutation that a reconciler pass must react to bumps
 * {@link version} and calls the change listener, so the controller ticks only while
 * something changed.
 */
export class ActualStateOfWorld {
  readonly #volumes = new Map<string, VolumeEntry>();
  /**
   * Volume names by node: node status updates (every node, every minute or so) ask about
   * one node's volumes, which must not cost a walk over every volume of the cluster.
   */
  readonly #byNode = new Map<string, Set<string>>();
  readonly #nodesToUpdate = new Map<string, NodeToUpdateStatusFor>();
  /**
   * The nodes of #nodesToUpdate whose statusUpdateNeeded is set: every reconciler pass asks
   * for them, and walking every node of the cluster to find the few flagged ones made each
   * pass cost O(nodes).
   */
  readonly #statusUpdateNeeded = new Set<string>();
  /**
   * Per node, the frozen volumesInUse list its entries' mounted flags were last set from.
   * Every Node update (each heartbeat) passes the stored list, which the kubelet keeps
   * while it does not change: the same list again cannot change a flag, unless an entry
   * was added since (a new entry starts mounted), which forgets the node's list.
   */
  readonly #mountedFrom = new Map<string, readonly string[]>();
  /**
   * The volume names in order, kept until a volume is added or removed: the 60 s
   * verification and every reconciler pass list every attachment of the cluster, while
   * attachments come and go far less often.
   */
  #sortedVolumeNames: string[] | undefined;
  /** See {@link ActualStateOfWorld.attachmentsVersion}. */
  #attachmentsVersion = 0;
  #onChange: () => void = () => undefined;

  /**
   * Changes whenever what {@link forEachAttachedVolume} visits can change: an entry added or
   * removed, a confirmation state or a volume's PV changed. The 60 s verification keeps its
   * grouping of the cluster's attachments while this stays the same (in a settled cluster,
   * every minute).
   */
  get attachmentsVersion(): number {
    return this.#attachmentsVersion;
  }

  /** Registers the one listener told of every change (the controller's wake-up). */
  onChange(listener: () => void): void {
    this.#onChange = listener;
  }

  /**
   * AddVolumeNode: records the volume on the node. A new entry is assumed mounted; an
   * existing one only takes the new confirmation state. Confirmed attachments are listed
   * for node status.
   */
  addVolumeNode(volumeName: string, pv: PersistentVolume | undefined, nodeName: string, devicePath: string, isAttached: boolean): void {
    let volume = this.#volumes.get(volumeName);
    if (!volume) {
      this.#volumes.set(volumeName, (volume = { pv, devicePath, nodes: new Map(), sortedNodes: undefined }));
      this.#sortedVolumeNames = undefined;
    } else {
      // Upstream refreshes the spec and device path of a known volume.
      if (pv && volume.pv !== pv) {
        volume.pv = pv;
        this.#attachmentsVersion++;
      }
      if (devicePath) volume.devicePath = devicePath;
    }
    const node = volume.nodes.get(nodeName);
    if (!node) {
      volume.sortedNodes = undefined;
      volume.nodes.set(nodeName, { mountedByNode: true, attachedConfirmed: isAttached, detachRequestedTime: undefined });
      this.#attachmentsVersion++;
      this.#mountedFrom.delete(nodeName);
      let names = this.#byNode.get(nodeName);
      if (!names) this.#byNode.set(nodeName, (names = new Set()));
      names.add(volumeName);
    } else if (node.attachedConfirmed !== isAttached) {
      node.attachedConfirmed = isAttached;
      this.#attachmentsVersion++;
    }
    if (isAttached) this.#addVolumeToReportAsAttached(volumeName, nodeName);
    this.#onChange();
  }

  /** MarkVolumeAsAttached: an attach succeeded. */
  markVolumeAsAttached(volumeName: string, pv: PersistentVolume | undefined, nodeName: string, devicePath: string): void {
    this.addVolumeNode(volumeName, pv, nodeName, devicePath, true);
  }

  /** MarkVolumeAsUncertain: an attach failed or a detach failed; the entry stays, unconfirmed. */
  markVolumeAsUncertain(volumeName: string, pv: PersistentVolume | undefined, nodeName: string): void {
    this.addVolumeNode(volumeName, pv, nodeName, '', false);
  }

  /** MarkVolumeAsDetached / DeleteVolumeNode: the attachment is gone. */
  markVolumeAsDetached(volumeName: string, nodeName: string): void {
    const volume = this.#volumes.get(volumeName);
    if (volume?.nodes.delete(nodeName)) {
      volume.sortedNodes = undefined;
      this.#attachmentsVersion++;
      if (volume.nodes.size === 0) {
        this.#volumes.delete(volumeName);
        this.#sortedVolumeNames = undefined;
      }
    }
    const names = this.#byNode.get(nodeName);
    if (names?.delete(volumeName) && names.size === 0) {
      this.#byNode.delete(nodeName);
      this.#mountedFrom.delete(nodeName);
    }
    this.#removeVolumeFromReportAsAttached(volumeName, nodeName);
    this.#onChange();
  }

  /** Fills in the PV of a volume known only by name (after a start-up rebuild). */
  setVolumeSpec(volumeName: string, pv: PersistentVolume): void {
    const volume = this.#volumes.get(volumeName);
    if (volume && !volume.pv) {
      volume.pv = pv;
      this.#attachmentsVersion++;
    }
  }

  /**
   * SetVolumesMountedByNode (v1.28 semantics): every volume attached to the node is mounted
   * exactly when it is in `volumeNames` (node.status.volumesInUse). Returns whether anything changed.
   */
  setVolumesMountedByNode(volumeNames: readonly string[], nodeName: string): boolean {
    const names = this.#byNode.get(nodeName);
    if (names === undefined) return false;
    if (this.#mountedFrom.get(nodeName) === volumeNames) return false;
    const inUse = new Set(volumeNames);
    let changed = false;
    for (const volumeName of names) {
      const node = this.#volumes.get(volumeName)?.nodes.get(nodeName);
      if (!node) continue;
      const mounted = inUse.has(volumeName);
      if (node.mountedByNode !== mounted) {
        node.mountedByNode = mounted;
        changed = true;
      }
    }
    // Only a list nobody can change in place may stand for the flags it set.
    if (Object.isFrozen(volumeNames)) this.#mountedFrom.set(nodeName, volumeNames);
    else this.#mountedFrom.delete(nodeName);
    if (changed) this.#onChange();
    return changed;
  }

  /**
   * SetDetachRequestTime: the first call starts the detach timer at `now`; every call
   * returns the time elapsed since it started.
   */
  setDetachRequestTime(volumeName: string, nodeName: string, now: number): number {
    const node = this.#volumes.get(volumeName)?.nodes.get(nodeName);
    if (!node) return 0;
    node.detachRequestedTime ??= now;
    return now - node.detachRequestedTime;
  }

  /** ResetDetachRequestTime: the volume is desired on the node again. */
  resetDetachRequestTime(volumeName: string, nodeName: string): void {
    const node = this.#volumes.get(volumeName)?.nodes.get(nodeName);
    if (node) node.detachRequestedTime = undefined;
  }

  /** GetAttachState. */
  getAttachState(volumeName: string, nodeName: string): AttachState {
    const node = this.#volumes.get(volumeName)?.nodes.get(nodeName);
    if (!node) return 'Detached';
    return node.attachedConfirmed ? 'Attached' : 'Uncertain';
  }

  /** Whether the volume is attached (confirmed) to the node (IsVolumeAttachedToNode). */
  isVolumeAttachedToNode(volumeName: string, nodeName: string): boolean {
    return this.getAttachState(volumeName, nodeName) === 'Attached';
  }

  /** Every (volume, node) entry, confirmed or uncertain, in name order. */
  getAttachedVolumes(): AttachedVolume[] {
    const out: AttachedVolume[] = [];
    for (const volumeName of (this.#sortedVolumeNames ??= [...this.#volumes.keys()].sort())) {
      const volume = this.#volumes.get(volumeName)!;
      if (volume.nodes.size === 1) {
        // Mostly one node (ReadWriteOnce): nothing to sort.
        for (const [nodeName, node] of volume.nodes) out.push(this.#view(volumeName, volume, nodeName, node));
        continue;
      }
      for (const nodeName of [...volume.nodes.keys()].sort()) out.push(this.#view(volumeName, volume, nodeName, volume.nodes.get(nodeName)!));
    }
    return out;
  }

  /**
   * Visits every entry in {@link getAttachedVolumes}' order with the fields the 60 s
   * verification reads, without a view object per entry (it walks every attachment of the
   * cluster each minute). `visit` must not change this state.
   */
  forEachAttachedVolume(visit: (volumeName: string, nodeName: string, pv: PersistentVolume | undefined, attachedConfirmed: boolean) => void): void {
    // Index loops over kept sorted arrays: this runs once a minute, mostly in the
    // interpreter, where each step of a for-of (or an entry pair) is an object.
    const names = (this.#sortedVolumeNames ??= [...this.#volumes.keys()].sort());
    for (let i = 0; i < names.length; i++) {
      const volumeName = names[i]!;
      const volume = this.#volumes.get(volumeName)!;
      const nodes = (volume.sortedNodes ??= [...volume.nodes.keys()].sort());
      for (let j = 0; j < nodes.length; j++) visit(volumeName, nodes[j]!, volume.pv, volume.nodes.get(nodes[j]!)!.attachedConfirmed);
    }
  }

  /**
   * Whether `test` holds for some entry, visited in no particular order and without view
   * objects: the reconciler asks, on every pass, whether any attachment is undesired.
   */
  someAttachedVolume(test: (volumeName: string, nodeName: string) => boolean): boolean {
    for (const volumeName of this.#volumes.keys()) {
      for (const nodeName of this.#volumes.get(volumeName)!.nodes.keys()) if (test(volumeName, nodeName)) return true;
    }
    return false;
  }

  /** The entries of one node. */
  getAttachedVolumesForNode(nodeName: string): AttachedVolume[] {
    // getAttachedVolumes' order (by volume name) restricted to the node, from the node's index.
    const names = [...(this.#byNode.get(nodeName) ?? [])].sort();
    return names.map((volumeName) => {
      const volume = this.#volumes.get(volumeName)!;
      return this.#view(volumeName, volume, nodeName, volume.nodes.get(nodeName)!);
    });
  }

  /** GetNodesForAttachedVolume: nodes where the attachment is confirmed (uncertain ones do not count for Multi-Attach). */
  getNodesForAttachedVolume(volumeName: string): string[] {
    const volume = this.#volumes.get(volumeName);
    if (!volume) return [];
    return [...volume.nodes.entries()].filter(([, n]) => n.attachedConfirmed).map(([name]) => name).sort();
  }

  /** The device path recorded for the volume. */
  devicePath(volumeName: string): string {
    return this.#volumes.get(volumeName)?.devicePath ?? '';
  }

  /** RemoveVolumeFromReportAsAttached: drop it from node status before detaching. False when it was not listed. */
  removeVolumeFromReportAsAttached(volumeName: string, nodeName: string): boolean {
    return this.#removeVolumeFromReportAsAttached(volumeName, nodeName);
  }

  /** AddVolumeToReportAsAttached: list it again (a failed status write or safe-to-detach check). */
  addVolumeToReportAsAttached(volumeName: string, nodeName: string): void {
    this.#addVolumeToReportAsAttached(volumeName, nodeName);
  }

  /** SetNodeStatusUpdateNeeded: write the node's status again at the next update. */
  setNodeStatusUpdateNeeded(nodeName: string): void {
    const entry = this.#nodesToUpdate.get(nodeName);
    if (!entry) return;
    this.#statusUpdateNeeded.add(nodeName);
    this.#onChange();
  }

  /** Whether some node's status must be written. */
  get statusUpdateNeeded(): boolean {
    return this.#statusUpdateNeeded.size > 0;
  }

  /** The volumes node `nodeName`'s status must list, in name order. */
  volumesToReportForNode(nodeName: string): ReportedVolume[] {
    const entry = this.#nodesToUpdate.get(nodeName);
    return [...(entry?.volumesToReportAsAttached ?? [])].sort().map((name) => ({ name, devicePath: this.devicePath(name) }));
  }

  /**
   * GetVolumesToReportAttached: for each node whose list changed, what to write; clears the
   * nodes' update flags (the caller sets them again when a write fails).
   */
  getVolumesToReportAttached(): Map<string, ReportedVolume[]> {
    const out = new Map<string, ReportedVolume[]>();
    if (this.#statusUpdateNeeded.size === 0) return out;
    // Node-name order, as upstream's walk over every node would have found them.
    for (const nodeName of [...this.#statusUpdateNeeded].sort()) out.set(nodeName, this.volumesToReportForNode(nodeName));
    this.#statusUpdateNeeded.clear();
    return out;
  }

  /** Clears the update flag of one node (its status was just written). */
  clearNodeStatusUpdateNeeded(nodeName: string): void {
    const entry = this.#nodesToUpdate.get(nodeName);
    if (entry) this.#statusUpdateNeeded.delete(nodeName);
  }

  #view(volumeName: string, volume: VolumeEntry, nodeName: string, node: NodeAttachedTo): AttachedVolume {
    return {
      volumeName,
      pv: volume.pv,
      nodeName,
      devicePath: volume.devicePath,
      mountedByNode: node.mountedByNode,
      attachedConfirmed: node.attachedConfirmed,
      detachRequestedTime: node.detachRequestedTime,
    };
  }

  #addVolumeToReportAsAttached(volumeName: string, nodeName: string): void {
    // An entry no longer attached is not reported (addVolumeToReportAsAttached's guard).
    if (!this.#volumes.get(volumeName)?.nodes.has(nodeName)) return;
    let entry = this.#nodesToUpdate.get(nodeName);
    if (!entry) {
      this.#nodesToUpdate.set(nodeName, (entry = { volumesToReportAsAttached: new Set() }));
      this.#statusUpdateNeeded.add(nodeName);
    }
    if (!entry.volumesToReportAsAttached.has(volumeName)) {
      entry.volumesToReportAsAttached.add(volumeName);
      this.#statusUpdateNeeded.add(nodeName);
      this.#onChange();
    }
  }

  #removeVolumeFromReportAsAttached(volumeName: string, nodeName: string): boolean {
    const entry = this.#nodesToUpdate.get(nodeName);
    if (!entry?.volumesToReportAsAttached.delete(volumeName)) return false;
    this.#statusUpdateNeeded.add(nodeName);
    this.#onChange();
    return true;
  }
}
