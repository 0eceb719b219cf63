/**
 * @failsim/bosh — the BOSH director of a PKS/TKGI cluster: deployments, instances bound to
 * VMs and persistent disks, numbered tasks with event logs, `bosh cck` scans and
 * resolutions, and the bosh CLI commands that drive them. The cloud is reached through the
 * {@link Cpi} interface this package declares (implemented by @failsim/vsphere, or by
 * {@link FakeCpi} in tests).
 * @packageDocumentation
 */
export { formatCpiError, isCpiError, type Cpi, type CpiError, type CpiMethod } from './cpi.js';
export { FakeCpi, defaultFakeCpiTimings, type FakeCpiFailure, type FakeCpiOptions, type FakeCpiTimings, type FakeVm } from './fake-cpi.js';
export {
  Director,
  errorMessage,
  instanceName,
  type DeploymentRecord,
  type DirectorError,
  type DirectorEvent,
  type DirectorOptions,
  type DiskRecord,
  type InstanceGroupSpec,
  type InstanceRecord,
  type InstanceSpec,
} from './director.js';
export { TaskRun, formatDuration, formatFullTime, formatHours, type BoshTask, type TaskEvent, type TaskState } from './task.js';
export { CloudCheck, PROBLEM_RESOLUTIONS, type Problem, type ProblemType, type Resolution } from './cck.js';
export {
  BoshCli,
  parseBoshCommand,
  renderTask,
  table,
  type BoshAnswer,
  type BoshCliError,
  type BoshCliOptions,
  type BoshCommand,
  type BoshRunOptions,
} from './cli.js';
