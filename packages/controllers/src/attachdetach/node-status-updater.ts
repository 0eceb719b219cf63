// Writes node.status.volumesAttached for the attach/detach controller, as upstream's
// pkg/controller/volume/attachdetach/statusupdater/node_status_updater.go (k/k v1.28): the
// list is the actual state's "volumes to report as attached" of the node, each with its
// device path; a Node missing from the lister is skipped without retry (it is written
// again when the Node comes back, see the controller's nodeAdd); a failed write is retried
// at the next pass. Storage reference §3.1, §3.4 step 5.
import * as E from 'fp-ts/lib/Either.js';
import type { ApiClient, Informer } from '@failsim/core';
import type { ActualStateOfWorld, ReportedVolume } from './actual-state-of-world.js';

/** The node status updater (NodeStatusUpdater). */
export class NodeStatusUpdater {
  readonly #client: ApiClient;
  readonly #nodes: Informer<'Node'>;
  readonly #asw: ActualStateOfWorld;

  constructor(client: ApiClient, nodes: Informer<'Node'>, asw: ActualStateOfWorld) {
    this.#client = client;
    this.#nodes = nodes;
    this.#asw = asw;
  }

  /** UpdateNodeStatuses: writes every node whose list changed; failures stay flagged for the next pass. */
  updateNodeStatuses(): void {
    for (const [nodeName, volumes] of this.#asw.getVolumesToReportAttached()) {
      if (E.isLeft(this.#write(nodeName, volumes))) this.#asw.setNodeStatusUpdateNeeded(nodeName);
    }
  }

  /**
   * UpdateNodeStatusForNode: writes one node now (the reconciler does so before a detach).
   * A Node that does not exist counts as written.
   */
  updateNodeStatusForNode(nodeName: string): E.Either<string, void> {
    const written = this.#write(nodeName, this.#asw.volumesToReportForNode(nodeName));
    if (E.isRight(written)) this.#asw.clearNodeStatusUpdateNeeded(nodeName);
    return written;
  }

  #write(nodeName: string, volumes: readonly ReportedVolume[]): E.Either<string, void> {
    const node = this.#nodes.get(nodeName);
    // "Node not found, its status cannot be updated; do nothing so that there is no retry until node is created."
    if (!node) return E.right(undefined);
    // A merge patch replaces the whole list, as upstream's computed patch of VolumesAttached does.
    const patched = this.#client.patch(
      'Node',
      nodeName,
      { status: { volumesAttached: volumes.length > 0 ? volumes.map((v) => ({ name: v.name, devicePath: v.devicePath })) : null } },
      { type: 'merge', subresource: 'status' },
    );
    if (E.isLeft(patched)) {
      if (patched.left.reason === 'NotFound') return E.right(undefined);
      return E.left(patched.left.message);
    }
    return E.right(undefined);
  }
}
