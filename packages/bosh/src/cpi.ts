// The Cloud Provider Interface as the BOSH director calls it, modelled on
// cloudfoundry/bosh src/bosh-director/lib/cloud/external_cpi.rb (main, 2025) and the vSphere
// CPI's behaviour (cloudfoundry/bosh-vsphere-cpi-release src/vsphere_cpi/lib/cloud/vsphere/cloud.rb).
// The director does not know vSphere: @failsim/vsphere (or a test's FakeCpi) implements this
// interface and the scenarios package wires the two (DESIGN.md: bosh plugs in through an
// interface it declares, never by importing vsphere).
import type { Observable } from 'rxjs';

/** The CPI methods the director calls; the names are the CPI's RPC method names. */
export type CpiMethod = 'has_vm' | 'has_disk' | 'reboot_vm' | 'delete_vm' | 'create_vm' | 'attach_disk';

/**
 * An error a CPI call returned: the RPC error's `type` (a Ruby class name such as
 * `Bosh::Clouds::VMNotFound`, or `Unknown` for anything the CPI did not classify) and its
 * message. The vSphere CPI returns vCenter's fault text as the message.
 */
export interface CpiError {
  readonly type: string;
  readonly message: string;
}

/**
 * What the director needs from the cloud. Every call takes virtual time, so each is an
 * Observable on the simulation scheduler: it emits once and completes, or errors with a
 * {@link CpiError}. The two agent queries are synchronous reads of the VM's state: they
 * stand for "would the BOSH agent on this VM answer a message now".
 */
export interface Cpi {
  /** `has_vm`: whether the VM exists in the cloud (a powered-off VM exists). */
  hasVm(vmCid: string): Observable<boolean>;
  /** `has_disk`: whether the persistent disk exists. */
  hasDisk(diskCid: string): Observable<boolean>;
  /**
   * `reboot_vm`: the vSphere CPI tries a soft (guest) reboot when the VM is on, otherwise
   * powers it on; it completes when the VM is running, before the agent is up. It errors
   * when the power-on fails (for instance a configured disk is locked by another VM).
   */
  rebootVm(vmCid: string): Observable<void>;
  /** `delete_vm`: powers the VM off, detaches persistent disks without deleting them, deletes the VM. */
  deleteVm(vmCid: string): Observable<void>;
  /** `create_vm`: creates (and powers on) a VM for an agent with the given persistent disks attached; emits its cid. */
  createVm(agentId: string, diskCids: readonly string[]): Observable<string>;
  /** `attach_disk`: attaches a persistent disk to a VM. */
  attachDisk(vmCid: string, diskCid: string): Observable<void>;
  /** Agent liveness: whether the VM's agent answers now (the VM exists, is powered on and has booted). */
  agentResponds(vmCid: string): boolean;
  /** The persistent disks the agent reports mounted (`list_disk`); only asked of an agent that responds. */
  agentDisks(vmCid: string): readonly string[];
}

// The RPC error types external_cpi.rb re-raises as their own class, with the CPI's message
// (KNOWN_RPC_ERRORS; read from memory of external_cpi.rb, unverified against a tag).
const KNOWN_CPI_ERRORS: ReadonlySet<string> = new Set([
  'Bosh::Clouds::CpiError',
  'Bosh::Clouds::NotSupported',
  'Bosh::Clouds::NotImplemented',
  'Bosh::Clouds::CloudError',
  'Bosh::Clouds::VMNotFound',
  'Bosh::Clouds::NoDiskSpace',
  'Bosh::Clouds::DiskNotAttached',
  'Bosh::Clouds::DiskNotFound',
  'Bosh::Clouds::VMCreationFailed',
]);

/**
 * The text the director shows for a CPI error, as external_cpi.rb `handle_error` builds it:
 * a known error type keeps the CPI's message; any other is wrapped as
 * `Unknown CPI error '<type>' with message '<msg>' in '<method>' CPI method`, to which
 * newer directors append ` (CPI request ID: '<id>')` (pass `requestId` for that).
 */
export const formatCpiError = (error: CpiError, method: CpiMethod, requestId?: string): string => {
  if (KNOWN_CPI_ERRORS.has(error.type)) return error.message;
  const suffix = requestId === undefined ? '' : ` (CPI request ID: '${requestId}')`;
  return `Unknown CPI error '${error.type}' with message '${error.message}' in '${method}' CPI method${suffix}`;
};

/** Whether a value is a {@link CpiError} (what a CPI Observable errors with). */
export const isCpiError = (value: unknown): value is CpiError =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { type?: unknown }).type === 'string' &&
  typeof (value as { message?: unknown }).message === 'string';
