// A govc command surface over the simulated vCenter: the commands the article's operators
// (and failsim's scenarios) type, parsed with Go flag semantics and printing what govc
// prints. Models govmomi's govc (govc/vm/power.go, device/ls.go, device/info.go,
// device/remove.go, vm/disk/attach.go, datastore/ls.go, disk/ls.go, vm/info.go; USAGE.md,
// govmomi v0.20–v0.50). Tasks run to completion before the command returns (govc's
// default -wait), in zero virtual time.
import * as E from 'fp-ts/lib/Either.js';
import { canonicalDatastorePath, parseDatastorePath } from './datastore-path.js';
import type { ScsiControllerType, VirtualMachine } from './inventory.js';
import { alignColumns, type VimFault } from './task.js';
import { settled, type Vcenter } from './vcenter.js';
import { controllerName, controllerTypeName, diskName, formatKB } from './virtual-device-list.js';

/** A failed govc command: the text govc prints on stderr and its exit code. */
export interface GovcError {
  readonly message: string;
  readonly exitCode: number;
}

/** What {@link Govc.run} returns: the printed lines, or the error. */
export type GovcResult = E.Either<GovcError, readonly string[]>;

type FlagKind = 'bool' | 'string';
type FlagSpec = Readonly<Record<string, FlagKind>>;
type Flags = Readonly<Record<string, string | boolean>>;

interface Parsed {
  readonly flags: Flags;
  readonly args: readonly string[];
}

const fail = (message: string, exitCode = 1): GovcResult => E.left({ message: `govc: ${message}`, exitCode });

/** Splits a command line into words, honouring single and double quotes. */
export const splitWords = (line: string): string[] => {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = pattern.exec(line); m; m = pattern.exec(line)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
};

/** Go's flag package: flags (`-x`, `--x`, `-x=v`, `-x v`) up to the first non-flag word or `--`. */
const parseFlags = (words: readonly string[], spec: FlagSpec): E.Either<string, Parsed> => {
  const flags: Record<string, string | boolean> = {};
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('-') || word === '-') break;
    const body = word.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const kind = spec[name];
    if (kind === undefined) return E.left(`flag provided but not defined: -${name}`);
    if (kind === 'bool') {
      if (eq < 0) flags[name] = true;
      else {
        const value = body.slice(eq + 1);
        if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(value)) {
          return E.left(`invalid boolean value "${value}" for -${name}: parse error`);
        }
        flags[name] = ['true', '1', 't', 'TRUE', 'True'].includes(value);
      }
    } else if (eq >= 0) flags[name] = body.slice(eq + 1);
    else {
      const value = words[i + 1];
      if (value === undefined) return E.left(`flag needs an argument: -${name}`);
      flags[name] = value;
      i++;
    }
  }
  return E.right({ flags, args: words.slice(i) });
};

const str = (flags: Flags, name: string): string | undefined => {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
};

const faultText = (fault: VimFault): string => fault.message;

const CONTROLLER_SUMMARY: Readonly<Record<ScsiControllerType, string>> = {
  pvscsi: 'VMware paravirtual SCSI',
  lsilogic: 'LSI Logic',
  'lsilogic-sas': 'LSI Logic SAS',
  buslogic: 'BusLogic',
};

interface DeviceRow {
  readonly name: string;
  readonly type: string;
  readonly label: string;
  readonly summary: string;
  readonly key: number;
  readonly controller?: string;
  readonly unit?: number;
  readonly file?: string;
}

/** The VM's devices as govc lists them: SCSI controllers, disks, the NIC; ordered by key. */
const devicesOf = (vm: VirtualMachine): DeviceRow[] => {
  const rows: DeviceRow[] = vm.controllers.map((c) => ({
    name: controllerName(c),
    type: controllerTypeName(c.type),
    label: `SCSI controller ${c.busNumber}`,
    summary: CONTROLLER_SUMMARY[c.type],
    key: c.key,
  }));
  vm.disks.forEach((d, i) => {
    const controller = vm.controllers.find((c) => c.key === d.controllerKey);
    rows.push({
      name: diskName(d),
      type: 'VirtualDisk',
      label: `Hard disk ${i + 1}`,
      summary: formatKB(d.capacityInKB),
      key: d.key,
      ...(controller ? { controller: controllerName(controller) } : {}),
      unit: d.unitNumber,
      file: d.fileName,
    });
  });
  rows.push({ name: 'ethernet-0', type: 'VirtualVmxnet3', label: 'Network adapter 1', summary: 'VM Network', key: 4000 });
  return rows.sort((a, b) => a.key - b.key);
};

const COMMANDS: Readonly<Record<string, FlagSpec>> = {
  'vm.power': { on: 'bool', off: 'bool', reset: 'bool', force: 'bool', wait: 'bool' },
  'device.ls': { vm: 'string' },
  'device.info': { vm: 'string' },
  'device.remove': { vm: 'string', keep: 'bool' },
  'vm.disk.attach': { vm: 'string', disk: 'string', ds: 'string', link: 'bool', controller: 'string', mode: 'string' },
  'datastore.ls': { ds: 'string' },
  'disk.ls': { ds: 'string' },
  'vm.info': {},
};

/** The commands {@link Govc} understands. */
export const GOVC_COMMANDS: readonly string[] = Object.keys(COMMANDS);

/**
 * govc against a {@link Vcenter}. `run('vm.power -off vm-a')` returns the lines govc
 * prints, or its error text (`govc: vm 'x' not found`) and exit code. Tasks are applied
 * at once and logged in Recent Tasks with initiator `govc`.
 */
export class Govc {
  readonly #vc: Vcenter;
  readonly #initiator: string;

  constructor(vcenter: Vcenter, options: { readonly initiator?: string } = {}) {
    this.#vc = vcenter;
    this.#initiator = options.initiator ?? 'govc';
  }

  /** Runs one command line (with or without the leading `govc`). */
  run(line: string): GovcResult {
    const words = splitWords(line);
    if (words[0] === 'govc') words.shift();
    const command = words.shift();
    if (command === undefined) return fail('no command given');
    const spec = COMMANDS[command];
    if (!spec) return fail(`unknown command "${command}"`);
    const parsed = parseFlags(words, spec);
    if (E.isLeft(parsed)) return fail(`${command}: ${parsed.left}`, 2);
    const { flags, args } = parsed.right;
    switch (command) {
      case 'vm.power':
        return this.#power(flags, args);
      case 'device.ls':
        return this.#withVm(flags, (vm) => E.right(alignColumns(devicesOf(vm).map((d) => [d.name, d.type, d.summary]))));
      case 'device.info':
        return this.#withVm(flags, (vm) => this.#deviceInfo(vm, args));
      case 'device.remove':
        return this.#withVm(flags, (vm) => this.#deviceRemove(vm, args, flags['keep'] === true));
      case 'vm.disk.attach':
        return this.#withVm(flags, (vm) => this.#diskAttach(vm, flags));
      case 'datastore.ls':
        return this.#datastoreLs(flags, args);
      case 'disk.ls':
        return this.#diskLs(flags);
      default:
        return this.#vmInfo(args);
    }
  }

  #opts() {
    return { initiator: this.#initiator, durationMs: 0 };
  }

  #withVm(flags: Flags, body: (vm: VirtualMachine) => GovcResult): GovcResult {
    const name = str(flags, 'vm');
    if (name === undefined) return fail('please specify a vm using the -vm flag');
    const vm = this.#vc.vm(name);
    return vm ? body(vm) : fail(`vm '${name}' not found`);
  }

  #power(flags: Flags, names: readonly string[]): GovcResult {
    const ops = (['on', 'off', 'reset'] as const).filter((op) => flags[op] === true);
    if (ops.length !== 1) return fail('vm.power: specify exactly one of -on, -off, -reset', 2);
    if (names.length === 0) return fail('vm.power: no VM given', 2);
    const op = ops[0]!;
    const lines: string[] = [];
    for (const name of names) {
      const vm = this.#vc.vm(name);
      if (!vm) return fail(`vm '${name}' not found`);
      const verb = op === 'on' ? 'Powering on' : op === 'off' ? 'Powering off' : 'Reset';
      const task = op === 'on' ? this.#vc.powerOn(name, this.#opts()) : op === 'off' ? this.#vc.powerOff(name, this.#opts()) : this.#vc.reset(name, this.#opts());
      const result = settled(task);
      // -force ignores state errors (already on / already off), as govc's vm.power does.
      const stateError = E.isLeft(result) && result.left.message.startsWith('The attempted operation cannot be performed in the current state');
      if (E.isLeft(result) && !(flags['force'] === true && stateError)) return fail(faultText(result.left));
      lines.push(`${verb} VirtualMachine:${vm.moref}... OK`);
    }
    return E.right(lines);
  }

  #deviceInfo(vm: VirtualMachine, names: readonly string[]): GovcResult {
    const all = devicesOf(vm);
    const wanted = names.length === 0 ? all : [];
    for (const name of names) {
      const device = all.find((d) => d.name === name);
      if (!device) return fail(`device '${name}' not found`);
      wanted.push(device);
    }
    const lines: string[] = [];
    for (const d of wanted) {
      const rows: string[][] = [
        ['Name:', d.name],
        ['  Type:', d.type],
        ['  Label:', d.label],
        ['  Summary:', d.summary],
        ['  Key:', String(d.key)],
      ];
      if (d.controller !== undefined) rows.push(['  Controller:', d.controller]);
      if (d.unit !== undefined) rows.push(['  Unit number:', String(d.unit)]);
      if (d.file !== undefined) rows.push(['  File:', d.file]);
      lines.push(...alignColumns(rows));
    }
    return E.right(lines);
  }

  #deviceRemove(vm: VirtualMachine, names: readonly string[], keep: boolean): GovcResult {
    if (names.length === 0) return fail('device.remove: no device given', 2);
    const known = new Set(devicesOf(vm).map((d) => d.name));
    for (const name of names) if (!known.has(name)) return fail(`device '${name}' not found`);
    for (const name of names) {
      const result = settled(this.#vc.removeDevice(vm.name, name, keep, this.#opts()));
      if (E.isLeft(result)) return fail(faultText(result.left));
    }
    return E.right([]);
  }

  #diskAttach(vm: VirtualMachine, flags: Flags): GovcResult {
    const disk = str(flags, 'disk');
    if (disk === undefined) return fail('vm.disk.attach: please specify a disk using the -disk flag', 2);
    const ds = str(flags, 'ds') ?? this.#vc.datastores()[0]?.name ?? '';
    const path = canonicalDatastorePath(disk.startsWith('[') ? disk : `[${ds}] ${disk}`);
    const file = this.#vc.file(path);
    if (!file) return fail(`File ${path} was not found`);
    let backing = path;
    // -link=true (govc's default) attaches a new delta child of the disk, so the guest
    // writes to the child and the parent stays as it was.
    if (flags['link'] !== false) {
      const base = path.replace(/^.*\//, '').replace(/\.vmdk$/, '');
      const child = this.#vc.createDisk({ path: `[${vm.datastore}] ${vm.name}/${base}-000001.vmdk`, capacityInKB: file.capacityInKB, parent: path }, this.#opts());
      if (E.isLeft(child)) return fail(faultText(child.left));
      for (const [k, v] of file.content) child.right.content.set(k, v);
      backing = child.right.path;
    }
    const controllerFlag = str(flags, 'controller');
    const controller = controllerFlag === undefined ? undefined : vm.controllers.find((c) => controllerName(c) === controllerFlag);
    if (controllerFlag !== undefined && !controller) return fail(`device '${controllerFlag}' not found`);
    const mode = str(flags, 'mode');
    const result = settled(
      this.#vc.addDisk(
        vm.name,
        {
          fileName: backing,
          ...(controller ? { controllerKey: controller.key } : {}),
          diskMode: mode === 'independent_persistent' ? 'independent_persistent' : 'persistent',
        },
        this.#opts(),
      ),
    );
    return E.isLeft(result) ? fail(faultText(result.left)) : E.right([]);
  }

  #datastoreLs(flags: Flags, args: readonly string[]): GovcResult {
    const arg = args[0] ?? '';
    const parsedArg = arg.startsWith('[') ? parseDatastorePath(arg) : undefined;
    const dsName = (parsedArg && E.isRight(parsedArg) ? parsedArg.right.datastore : undefined) ?? str(flags, 'ds') ?? this.#vc.datastores()[0]?.name;
    if (dsName === undefined || !this.#vc.datastore(dsName)) return fail(`datastore '${dsName ?? ''}' not found`);
    const dir = (parsedArg && E.isRight(parsedArg) ? parsedArg.right.path : arg).replace(/\/+$/, '');
    const prefix = dir === '' ? '' : `${dir}/`;
    const names = new Set<string>();
    for (const f of this.#vc.files()) {
      const p = parseDatastorePath(f.path);
      if (E.isLeft(p) || p.right.datastore !== dsName) continue;
      if (p.right.path === dir) names.add(dir.replace(/^.*\//, ''));
      else if (p.right.path.startsWith(prefix)) names.add(p.right.path.slice(prefix.length).split('/')[0]!);
    }
    if (names.size === 0 && dir !== '') return fail(`File [${dsName}] ${dir} was not found`);
    return E.right([...names].sort());
  }

  #diskLs(flags: Flags): GovcResult {
    const ds = str(flags, 'ds');
    const disks = this.#vc.files().filter((f) => f.fcdId !== undefined && (ds === undefined || f.datastore === ds));
    return E.right(alignColumns(disks.map((f) => [f.fcdId!, f.path.replace(/^.*\//, '').replace(/\.vmdk$/, '')])));
  }

  #vmInfo(names: readonly string[]): GovcResult {
    const lines: string[] = [];
    for (const name of names) {
      const vm = this.#vc.vm(name);
      if (!vm) return fail(`vm '${name}' not found`);
      const rows: string[][] = [
        ['Name:', vm.name],
        ['  Path:', `/${this.#vc.datacenter}/vm/${vm.name}`],
        ['  UUID:', vm.uuid],
        ['  Guest name:', 'Ubuntu Linux (64-bit)'],
        ['  Power state:', vm.powerState],
      ];
      if (vm.bootTime !== undefined) rows.push(['  Boot time:', this.#vc.clock.date(vm.bootTime).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC')]);
      if (vm.ipAddress !== undefined && vm.powerState === 'poweredOn') rows.push(['  IP address:', vm.ipAddress]);
      rows.push(['  Host:', vm.host]);
      lines.push(...alignColumns(rows));
    }
    return E.right(lines);
  }
}
