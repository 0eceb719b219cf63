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
   * A look reads the VMs vCenter names as changed since the last one, not every VM (a
   * 5,000-node cluster's 5,000 at each task end).
   */
  look(changed: (vm: VirtualMachine, before: VirtualMachine | undefined) => void, gone?: (before: VirtualMachine) => void): void {
    const count = this.#vcenter.vmChanges;
    if (count === this.#read) return;
    const names = this.#read < 0 ? undefined : this.#vcenter.vmsChangedSince(this.#read);
    this.#read = count;
    if (names === undefined) return this.#walk(changed, gone);
    const present: VirtualMachine[] = [];
    let went: string[] | undefined;
    for (const name of new Set(names)) {
      const vm = this.#vcenter.vm(name);
      if (vm !== undefined) present.push(vm);
      else if (this.#seen.has(name)) (went ??= []).push(name);
    }
    const order = (vm: VirtualMachine): number => this.#vcenter.inventoryOrder(vm.name) ?? 0;
    if (present.length > 1) present.sort((a, b) => order(a) - order(b));
    for (const vm of present) this.#see(vm, changed);
    if (went === undefined) return;
    // In the order the names were first seen, as a walk of #seen finds them.
    const gones = new Set(went);
    const ordered = went.length === 1 ? went : [...this.#seen.keys()].filter((name) => gones.has(name));
    for (const name of ordered) {
      const before = this.#seen.get(name)!;
      this.#seen.delete(name);
      gone?.(before);
    }
  }

  #see(vm: VirtualMachine, changed: (vm: VirtualMachine, before: VirtualMachine | undefined) => void): void {
    const before = this.#seen.get(vm.name);
    if (before === vm) return;
    this.#seen.set(vm.name, vm);
    changed(vm, before);
  }

  /** Every VM: the first look, or one after vCenter lost its journal. */
  #walk(changed: (vm: VirtualMachine, before: VirtualMachine | undefined) => void, gone?: (before: VirtualMachine) => void): void {
    const vms = this.#vcenter.vms();
    for (const vm of vms) this.#see(vm, changed);
    if (this.#seen.size === vms.length) return;
    const present = new Set(vms.map((vm) => vm.name));
    for (const [name, before] of this.#seen) {
      if (present.has(name)) continue;
      this.#seen.delete(name);
      gone?.(before);
    }
  }
}
