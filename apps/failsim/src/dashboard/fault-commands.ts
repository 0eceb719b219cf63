// The real command line each fault key stands for on the selected node, so the command
// log shows what an operator would have typed: govc for the VM's power
// (vmware/govmomi govc/vm/power.go), kubectl for the node object, failsim's own
// `partition node` / `heal node` for the network.
import type { KeyAction } from './keys.js';

/** The command line of a fault key on node `node` (VM `vm`), or undefined for a key that is not a fault. */
export const faultCommand = (action: KeyAction, node: string, vm: string | undefined): string | undefined => {
  switch (action) {
    case 'power-off':
      return vm === undefined ? undefined : `govc vm.power -off ${vm}`;
    case 'power-on':
      return vm === undefined ? undefined : `govc vm.power -on ${vm}`;
    case 'delete-node':
      return `kubectl delete node ${node}`;
    case 'drain':
      return `kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data`;
    case 'cordon':
      return `kubectl cordon ${node}`;
    case 'uncordon':
      return `kubectl uncordon ${node}`;
    case 'partition':
      return `partition node ${node}`;
    case 'heal':
      return `heal node ${node}`;
    default:
      return undefined;
  }
};
