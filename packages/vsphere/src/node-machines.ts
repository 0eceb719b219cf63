// Connects VM power in vCenter to the Kubernetes node running inside the VM: when a node's
// VM powers off, its kubelet and containers die and it drops off the network; when it
// powers on, the node boots. The cluster's NodeMachines (@failsim/controllers
// cluster/cluster.ts) does the Kubernetes side; this drives it from vCenter's power events.
import type { Subscription } from 'rxjs';
import type { Vcenter } from './vcenter.js';

/** The part of the cluster's NodeMachines that power drives. */
export interface PowerDrivenMachines {
  powerOff(node: string): void;
  powerOn(node: string): void;
  reset(node: string): void;
}

/**
 * Drives `machines` from `vcenter`'s power events: a VM in `vmForNode` (node name → VM
 * name) powering off powers its node off, and so on. Returns the subscription; unsubscribe
 * to unbind. Powering a node through `machines` directly does not touch the VM: drive
 * power from vCenter (or govc) so both sides agree.
 */
export const bindNodeMachines = (vcenter: Vcenter, machines: PowerDrivenMachines, vmForNode: ReadonlyMap<string, string>): Subscription => {
  const nodeForVm = new Map([...vmForNode].map(([node, vm]) => [vm, node]));
  return vcenter.powerEvents$.subscribe((event) => {
    const node = nodeForVm.get(event.vm);
    if (node === undefined) return;
    if (event.kind === 'poweredOff') machines.powerOff(node);
    else if (event.kind === 'poweredOn') machines.powerOn(node);
    else machines.reset(node);
  });
};
