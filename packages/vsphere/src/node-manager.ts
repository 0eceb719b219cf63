// The VCP's node manager (staging/src/k8s.io/legacy-cloud-providers/vsphere/nodemanager.go,
// v1.12–v1.24): learns which VM runs each node from the Node objects (the system UUID the
// kubelet reports is the VM's BIOS UUID) and forgets a node when its Node object is
// deleted — which is what turns a detach after `kubectl delete node` into a no-op
// (storage reference §6.3; issue #71829).
import { Informer, type ApiClient } from '@failsim/core';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Subscription } from 'rxjs';
import type { Vcenter } from './vcenter.js';

/** vclib's ErrNoVMFound text. */
export const NO_VM_FOUND = 'No VM found';

/** Node name → VM name, learned from Node objects. */
export class NodeManager {
  readonly #vcenter: Vcenter;
  readonly #informer: Informer<'Node'>;
  readonly #vmByNode = new Map<string, string>();
  /**
   * The system UUID each node's VM was found by and that VM's own UUID, for #register to
   * skip the lookup when a Node update (a kubelet heartbeat, every 10 s a node in the 1.12
   * profile) reports the same system UUID again.
   */
  readonly #foundBy = new Map<string, { readonly systemUUID: string; readonly vmUuid: string }>();
  #subscription: Subscription | undefined;

  /**
   * `nodes`: the Node informer to watch — the kube-controller-manager's shared one, as
   * upstream's vSphere.SetInformers adds its handlers to the controller manager's informer
   * factory (a watch and cache of its own cost every Node write, a heartbeat every 10 s a
   * node in the 1.12 profile, one more delivery) — or a client, for which the manager
   * keeps a Node informer of its own (the constructor's first form).
   */
  constructor(vcenter: Vcenter, nodes: Informer<'Node'> | ApiClient) {
    this.#vcenter = vcenter;
    this.#informer = nodes instanceof Informer ? nodes : new Informer(nodes, 'Node');
  }

  /** Starts watching Nodes. */
  start(): void {
    this.#subscription ??= this.#informer.events$.subscribe((event) => {
      const name = event.object.metadata?.name ?? '';
      if (event.type === 'DELETED') {
        this.#vmByNode.delete(name);
        this.#foundBy.delete(name);
      } else this.#register(name, event.object);
    });
  }

  /** Stops watching. */
  stop(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  /** The VM registered for a node, if its Node object was seen and not deleted. */
  vmFor(nodeName: string): string | undefined {
    return this.#vmByNode.get(nodeName);
  }

  // RegisterNode → DiscoverNode: find the VM whose BIOS UUID is the node's system UUID.
  #register(name: string, node: Node): void {
    const uuid = node.status?.nodeInfo?.systemUUID;
    // The same system UUID as the last lookup that found a VM, and that VM still in the
    // inventory with its UUID: the lookup would find it again (the first VM with the UUID in
    // inventory order; VMs created since come after it), so the registration stands. Only
    // two VMs sharing a BIOS UUID, the first removed and re-created under its name, would
    // tell the two apart; vCenter gives each VM its own.
    const found = this.#foundBy.get(name);
    if (found !== undefined && found.systemUUID === uuid && this.#vcenter.vm(this.#vmByNode.get(name) ?? '')?.uuid === found.vmUuid) return;
    const vm = uuid ? this.#vcenter.vmByUuid(uuid) : undefined;
    if (vm) {
      this.#vmByNode.set(name, vm.name);
      this.#foundBy.set(name, { systemUUID: uuid!, vmUuid: vm.uuid });
    }
  }
}
