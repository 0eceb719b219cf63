// Device naming and slot arithmetic for SCSI controllers and disks, as govmomi's
// object/virtual_device_list.go (Name, FindSCSIController, newUnitNumber; govmomi
// v0.20–v0.50) and the VCP's vclib (legacy-cloud-providers/vsphere/vclib/constants.go:
// SCSIControllerLimit 4, SCSIControllerDeviceLimit 15, SCSIReservedSlot 7).
import type { ScsiController, ScsiControllerType, VirtualDisk, VirtualMachine } from './inventory.js';

/** At most four SCSI controllers per VM. */
export const SCSI_CONTROLLER_LIMIT = 4;
/** 16 unit numbers per controller. */
export const SCSI_UNITS = 16;
/** The controller itself sits on unit 7. */
export const SCSI_RESERVED_UNIT = 7;

/** Device key of the controller on `bus`. */
export const controllerKeyFor = (bus: number): number => 1000 + bus;

/** Device key of the disk at `bus:unit`. */
export const diskKeyFor = (bus: number, unit: number): number => 2000 + bus * SCSI_UNITS + unit;

/** govmomi's device name of a controller: `pvscsi-1001`, `lsilogic-1000`. */
export const controllerName = (c: ScsiController): string => `${c.type}-${c.key}`;

/** govmomi's device name of a disk: `disk-<controllerKey>-<unit>`. */
export const diskName = (d: VirtualDisk): string => `disk-${d.controllerKey}-${d.unitNumber}`;

/** The vSphere slot of a disk, `scsiN:U`. */
export const scsiSlot = (busNumber: number, unit: number): string => `scsi${busNumber}:${unit}`;

/** The vSphere API class name of a controller (govc device.ls's type column). */
export const controllerTypeName = (type: ScsiControllerType): string =>
  ({ pvscsi: 'ParaVirtualSCSIController', lsilogic: 'VirtualLsiLogicController', 'lsilogic-sas': 'VirtualLsiLogicSASController', buslogic: 'VirtualBusLogicController' })[type];

/** The lowest free unit on `controller` (skipping 7), or undefined when it is full. */
export const freeUnit = (vm: VirtualMachine, controller: ScsiController): number | undefined => {
  const used = new Set(vm.disks.filter((d) => d.controllerKey === controller.key).map((d) => d.unitNumber));
  for (let unit = 0; unit < SCSI_UNITS; unit++) {
    if (unit !== SCSI_RESERVED_UNIT && !used.has(unit)) return unit;
  }
  return undefined;
};

/** The lowest free SCSI bus number, or undefined when the VM has four controllers. */
export const freeBus = (vm: VirtualMachine): number | undefined => {
  const used = new Set(vm.controllers.map((c) => c.busNumber));
  for (let bus = 0; bus < SCSI_CONTROLLER_LIMIT; bus++) if (!used.has(bus)) return bus;
  return undefined;
};

/** The controller a disk sits on. */
export const controllerOf = (vm: VirtualMachine, disk: VirtualDisk): ScsiController | undefined =>
  vm.controllers.find((c) => c.key === disk.controllerKey);

/**
 * Formats a KB count as govc does (`1,048,576 KB`): `toLocaleString('en-US')`. Disk
 * capacities are whole numbers, grouped here by hand — the Intl formatter behind
 * toLocaleString was 0.5% of a library scenario (every `govc device.info` of every poll);
 * anything else (fractions, huge or non-finite values) still goes through it.
 */
export const formatKB = (kb: number): string => `${groupThousands(kb)} KB`;

/** `n.toLocaleString('en-US')`, by hand for safe integers (exported for its test). */
export const groupThousands = (n: number): string => {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  // -0 prints as "-0" in en-US.
  const negative = n < 0 || Object.is(n, -0);
  const digits = String(negative ? -n : n);
  let out = digits.length % 3 === 0 ? '' : digits.slice(0, digits.length % 3);
  for (let i = digits.length % 3; i < digits.length; i += 3) out += (out === '' ? '' : ',') + digits.slice(i, i + 3);
  return negative ? `-${out}` : out;
};
