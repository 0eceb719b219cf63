// Which of a vCenter's VMs changed since the last look, for readers that derive something
// from every VM at each task end (the vSphere invariant checker, a scenario's recorder):
// vCenter gives a VM a new object whenever it changes (created, reconfigured, powered) and
// counts those changes (Vcenter.vmChanges), so a look after none reads nothing and a look
// after some calls back for the changed VMs only.
import type { VirtualMachine } from './inventory.js';
import type { Vcenter } from './vcenter.js';

/** The VMs of one vCenter as the last look saw them. */
export class VmChanges {
  readonly #vcenter: Vcenter;
  /** vCenter's VM change count at the last look (-1: none yet). */
  #read = -1;
  readonly #seen = new Map<string, VirtualMachine>();

  constructor(vcenter: Vcenter) {
    this.#vcenter = vcenter;
  }

  /**
   * Calls `changed(vm, before)` for each VM created or changed since the last look, in
   * inventory order (`before`: the VM as the last look saw it, undefined for a new one),
   * then `gone(before)` for each VM removed since. The first look sees every VM as new.
   */
  look(changed: (vm: VirtualMachine, before: VirtualMachine | undefined) => void, gone?: (before: VirtualMachine) => void): void {
    const count = this.#vcenter.vmChanges;
    if (count === this.#read) return;
    this.#read = count;
    const vms = this.#vcenter.vms();
    let came = false;
    for (const vm of vms) {
      const before = this.#seen.get(vm.name);
      if (before === vm) continue;
      came ||= before === undefined;
      this.#seen.set(vm.name, vm);
      changed(vm, before);
    }
    // A VM went only if the names seen outnumber those there (a new one may have taken a place).
    if (!came && this.#seen.size === vms.length) return;
    const present = new Set(vms.map((vm) => vm.name));
    for (const [name, before] of this.#seen) {
      if (present.has(name)) continue;
      this.#seen.delete(name);
      gone?.(before);
    }
  }
}
