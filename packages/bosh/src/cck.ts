// `bosh cck` on the director side: the problem scan (VM scan, then disk scan), the problem
// records, the handlers with their descriptions and resolutions, and the resolver that
// applies chosen resolutions as a second task. Modelled on cloudfoundry/bosh
// src/bosh-director/lib/bosh/director (main, 2025): problem_scanner/{vm_scan_stage.rb,
// disk_scan_stage.rb, problem_register.rb}, problem_handlers/{unresponsive_agent.rb,
// missing_vm.rb, inactive_disk.rb, missing_disk.rb, mount_info_mismatch.rb},
// problem_resolver.rb, cloudcheck_helper.rb.
import * as E from 'fp-ts/lib/Either.js';
import { catchError, concatMap, defer, EMPTY, from, map, mergeMap, Observable, of, tap, throwError, toArray } from 'rxjs';
import { isCpiError } from './cpi.js';
import { instanceName, type Director, type DirectorError, type InstanceRecord } from './director.js';
import type { TaskRun } from './task.js';

/** The problem types cloud check finds. */
export type ProblemType = 'unresponsive_agent' | 'missing_vm' | 'inactive_disk' | 'missing_disk' | 'mount_info_mismatch';

/** One way to resolve a problem: the director's name (for `--resolution`) and its plan text. */
export interface Resolution {
  readonly name: string;
  readonly plan: string;
}

/** A problem record (models/deployment_problem.rb). */
export interface Problem {
  /** The `#` column; ids are never reused. */
  readonly id: number;
  readonly deployment: string;
  readonly type: ProblemType;
  /** Instance database id for VM problems, disk database id for disk problems. */
  readonly resourceId: number;
  readonly instanceId: number;
  readonly state: 'open' | 'resolved' | 'closed';
  readonly description: string;
  readonly resolutions: readonly Resolution[];
  readonly autoResolution: string;
  /** mount_info_mismatch: the VMs the agents say hold the disk. */
  readonly ownerVms?: readonly string[];
}

const UNRESPONSIVE_AGENT_RESOLUTIONS: readonly Resolution[] = [
  { name: 'ignore', plan: 'Skip for now' },
  { name: 'reboot_vm', plan: 'Reboot VM' },
  { name: 'recreate_vm_skip_post_start', plan: 'Recreate VM without waiting for processes to start' },
  { name: 'recreate_vm', plan: 'Recreate VM and wait for processes to start' },
  { name: 'delete_vm', plan: 'Delete VM' },
  { name: 'delete_vm_reference', plan: 'Delete VM reference (forceful; may need to manually delete VM from the Cloud to avoid IP conflicts)' },
];

/** Each problem type's resolutions in listing order and its auto resolution (the handlers' `resolution` and `auto_resolution`). */
export const PROBLEM_RESOLUTIONS: Readonly<Record<ProblemType, { readonly resolutions: readonly Resolution[]; readonly auto: string }>> = {
  unresponsive_agent: { resolutions: UNRESPONSIVE_AGENT_RESOLUTIONS, auto: 'ignore' },
  missing_vm: {
    resolutions: [
      { name: 'ignore', plan: 'Skip for now' },
      { name: 'recreate_vm_skip_post_start', plan: 'Recreate VM without waiting for processes to start' },
      { name: 'recreate_vm', plan: 'Recreate VM and wait for processes to start' },
      { name: 'delete_vm_reference', plan: 'Delete VM reference' },
    ],
    auto: 'recreate_vm_skip_post_start',
  },
  inactive_disk: {
    resolutions: [
      { name: 'ignore', plan: 'Skip for now' },
      { name: 'delete_disk', plan: 'Delete disk' },
      { name: 'activate_disk', plan: 'Activate disk' },
    ],
    auto: 'ignore',
  },
  missing_disk: {
    resolutions: [
      { name: 'ignore', plan: 'Skip for now' },
      { name: 'delete_disk_reference', plan: 'Delete disk reference (DANGEROUS!)' },
    ],
    auto: 'ignore',
  },
  mount_info_mismatch: {
    resolutions: [
      { name: 'ignore', plan: 'Ignore' },
      { name: 'reattach_disk', plan: 'Reattach disk to instance' },
      { name: 'reattach_disk_and_reboot', plan: 'Reattach disk and reboot instance' },
    ],
    auto: 'ignore',
  },
};

type ScanResult = 'ok' | 'unresponsive' | 'missing' | 'inactive' | 'mount_info_mismatch';

const handlerError = (message: string): Observable<never> => throwError((): DirectorError => ({ message, handler: true }));

/** Cloud check for one director: scans, problem records, resolutions. */
export class CloudCheck {
  private readonly records = new Map<number, Problem>();

  constructor(private readonly director: Director) {}

  /** Open problems of a deployment, by id. */
  problems(deployment: string): Problem[] {
    return [...this.records.values()].filter((p) => p.deployment === deployment && p.state === 'open').sort((a, b) => a.id - b.id);
  }

  /** A problem record by id, in any state. */
  problem(id: number): Problem | undefined {
    return this.records.get(id);
  }

  /**
   * Starts the `scan cloud` task: closes the deployment's open problems, then the VM scan
   * (agents asked with the 10 s timeout, silent ones checked with the CPI's `has_vm`) and
   * the disk scan (`has_disk`, active flag, mount owners), each item in parallel as the
   * director's thread pool does. Left when the deployment does not exist.
   */
  scan(deployment: string): E.Either<string, TaskRun> {
    const record = this.director.deployment(deployment);
    if (!record) return E.left(`Deployment '${deployment}' doesn't exist`);
    const d = this.director;
    return E.right(
      d.runTask('scan cloud', deployment, (run) =>
        defer(() => {
          // problem_register.rb `reset`: a rescan closes what the last one found.
          for (const p of this.problems(deployment)) this.records.set(p.id, { ...p, state: 'closed' });
          const instances = d.deployment(deployment)?.instances ?? [];
          const owners = new Map<string, string[]>();
          const addOwner = (disk: string, vm: string): void => {
            owners.set(disk, [...(owners.get(disk) ?? []), vm]);
          };
          const vmStage = `Scanning ${instances.length} VMs`;
          const scanned = instances.filter((i) => !i.ignore);
          const vmScan = d.track(
            run,
            vmStage,
            'Checking VM states',
            from(scanned).pipe(
              mergeMap((i) => this.scanVm(i, addOwner), d.maxThreads),
              toArray(),
            ),
          );
          return vmScan.pipe(
            concatMap((results) => {
              const ignored = instances.length - scanned.length;
              const summary =
                `${count(results, 'ok')} OK, ${count(results, 'unresponsive')} unresponsive, ${count(results, 'missing')} missing, 0 unbound` +
                (ignored > 0 ? `, ${ignored} ignored` : '');
              return d.track(run, vmStage, summary, of(undefined));
            }),
            concatMap(() => {
              const current = d.deployment(deployment)?.instances ?? [];
              const withDisk = current.filter((i) => i.disk !== undefined && !i.ignore);
              const diskStage = `Scanning ${withDisk.length} persistent disks`;
              return d
                .track(
                  run,
                  diskStage,
                  'Looking for inactive disks',
                  from(withDisk).pipe(
                    mergeMap((i) => this.scanDisk(i, owners), d.maxThreads),
                    toArray(),
                  ),
                )
                .pipe(
                  concatMap((results) =>
                    d.track(
                      run,
                      diskStage,
                      `${count(results, 'ok')} OK, ${count(results, 'missing')} missing, ${count(results, 'inactive')} inactive, ${count(results, 'mount_info_mismatch')} mount-info mismatch`,
                      of(undefined),
                    ),
                  ),
                );
            }),
            map(() => 'scan complete'),
          );
        }),
      ),
    );
  }

  /**
   * Starts the `apply resolutions` task: one "Applying problem resolutions" step per
   * problem, in parallel. `resolutions` maps problem id to a resolution name; an absent
   * or `default` name takes the handler's auto resolution. A problem whose handler raised
   * its own error is resolved anyway; one whose action failed otherwise (a CPI error)
   * stays open. Any error fails the task with `Error resolving problem '<id>': <error>`.
   */
  resolve(deployment: string, resolutions: ReadonlyMap<number, string>): E.Either<string, TaskRun> {
    if (!this.director.deployment(deployment)) return E.left(`Deployment '${deployment}' doesn't exist`);
    const d = this.director;
    return E.right(
      d.runTask('apply resolutions', deployment, (run) =>
        defer(() => {
          const ids = [...resolutions.keys()].filter((id) => this.records.has(id)).sort((a, b) => a - b);
          const errors: string[] = [];
          let resolved = 0;
          const stage = 'Applying problem resolutions';
          return from(ids).pipe(
            mergeMap((id) => {
              const problem = this.records.get(id) as Problem;
              if (problem.state !== 'open' || problem.deployment !== deployment) {
                const reason = problem.state !== 'open' ? `state is '${problem.state}'` : 'not a part of this deployment';
                return d.track(run, stage, `Ignoring problem ${id} (${reason})`, of(undefined));
              }
              const requested = resolutions.get(id);
              const name = requested === undefined || requested === 'default' ? problem.autoResolution : requested;
              const plan = problem.resolutions.find((r) => r.name === name)?.plan ?? 'no resolution';
              const markResolved = (): void => {
                this.records.set(id, { ...(this.records.get(id) as Problem), state: 'resolved' });
                resolved++;
              };
              return d.track(run, stage, `${problem.description} (${problem.type} ${problem.resourceId}): ${plan}`, this.action(problem, name)).pipe(
                tap({ complete: markResolved }),
                catchError((e: DirectorError) => {
                  errors.push(`Error resolving problem '${id}': ${e.message}`);
                  if (e.handler === true) markResolved();
                  return EMPTY;
                }),
              );
            }, d.maxThreads),
            toArray(),
            concatMap(() => (errors.length > 0 ? throwError((): DirectorError => ({ message: errors.join('\n') })) : of(`${resolved} resolved`))),
          );
        }),
      ),
    );
  }

  private found(instance: InstanceRecord, type: ProblemType, resourceId: number, description: string, ownerVms?: readonly string[]): void {
    const { resolutions, auto } = PROBLEM_RESOLUTIONS[type];
    const id = this.director.takeProblemId();
    this.records.set(id, {
      id,
      deployment: instance.deployment,
      type,
      resourceId,
      instanceId: instance.id,
      state: 'open',
      description,
      resolutions,
      autoResolution: auto,
      ...(ownerVms ? { ownerVms } : {}),
    });
  }

  // vm_scan_stage.rb `scan_vm`.
  private scanVm(instance: InstanceRecord, addOwner: (disk: string, vm: string) => void): Observable<ScanResult> {
    const d = this.director;
    return d.pingAgent(instance).pipe(
      concatMap((alive): Observable<ScanResult> => {
        const vmCid = instance.vmCid;
        if (alive && vmCid !== undefined) {
          const mounted = d.cpi.agentDisks(vmCid)[0];
          if (mounted !== undefined) addOwner(mounted, vmCid);
          return of('ok');
        }
        // The disk on record counts as mounted, so a silent agent is one problem, not two.
        if (instance.disk && vmCid !== undefined) addOwner(instance.disk.cid, vmCid);
        const hasVm = vmCid === undefined ? of(false) : d.cpiCall('has_vm', d.cpi.hasVm(vmCid));
        return hasVm.pipe(
          map((exists): ScanResult => {
            const withCid = vmCid !== undefined ? ` with cloud ID '${vmCid}'` : '';
            if (!exists) {
              this.found(instance, 'missing_vm', instance.id, `VM for '${instanceName(instance)}'${withCid} missing.`);
              return 'missing';
            }
            this.found(instance, 'unresponsive_agent', instance.id, `VM for '${instanceName(instance)}'${withCid} is not responding.`);
            return 'unresponsive';
          }),
        );
      }),
    );
  }

  // disk_scan_stage.rb `scan_disk`.
  private scanDisk(instance: InstanceRecord, owners: ReadonlyMap<string, readonly string[]>): Observable<ScanResult> {
    const d = this.director;
    const disk = instance.disk;
    if (!disk) return of('ok');
    return d.cpiCall('has_disk', d.cpi.hasDisk(disk.cid)).pipe(
      map((exists): ScanResult => {
        if (!exists) {
          this.found(instance, 'missing_disk', disk.id, `Disk '${disk.cid}' (${instance.group}/${instance.uuid}, ${disk.sizeMb}M) is missing`);
          return 'missing';
        }
        if (!disk.active) {
          this.found(instance, 'inactive_disk', disk.id, `Disk '${disk.cid}' (${disk.sizeMb}M) for instance '${instanceName(instance)}' is inactive`);
          return 'inactive';
        }
        if (instance.vmCid === undefined) return 'ok';
        const holders = owners.get(disk.cid) ?? [];
        if (holders.length !== 1 || holders[0] !== instance.vmCid) {
          const where = holders.length === 0 ? '\tNot mounted in any VM' : `\tMounted on: ${holders.join(', ')}`;
          this.found(
            instance,
            'mount_info_mismatch',
            disk.id,
            `Inconsistent mount information:\nRecord shows that disk '${disk.cid}' should be mounted on ${instance.vmCid}.\nHowever it is currently :\n${where}`,
            holders,
          );
          return 'mount_info_mismatch';
        }
        return 'ok';
      }),
    );
  }

  // The handlers' resolution actions.
  private action(problem: Problem, name: string): Observable<void> {
    const d = this.director;
    const instance = d.instance(problem.instanceId);
    if (!instance) return handlerError(`Instance '${problem.instanceId}' is no longer in the database`);
    if (name === 'ignore') return of(undefined);
    // unresponsive_agent.rb `validate`: every real resolution first checks the agent again.
    const validate: Observable<void> =
      problem.type === 'unresponsive_agent'
        ? d.pingAgent(instance).pipe(concatMap((alive) => (alive ? handlerError('Agent is responding now, skipping resolution') : of(undefined))))
        : of(undefined);
    const then = (work: () => Observable<void>): Observable<void> => validate.pipe(concatMap(() => defer(work)));
    switch (`${problem.type}:${name}`) {
      case 'unresponsive_agent:reboot_vm':
        return then(() => this.rebootVm(instance));
      case 'unresponsive_agent:recreate_vm':
      case 'unresponsive_agent:recreate_vm_skip_post_start':
      case 'missing_vm:recreate_vm':
      case 'missing_vm:recreate_vm_skip_post_start':
        return then(() => this.recreateVm(instance));
      case 'unresponsive_agent:delete_vm':
        return then(() => this.deleteVmFromCloud(instance));
      case 'unresponsive_agent:delete_vm_reference':
      case 'missing_vm:delete_vm_reference':
        return then(() => defer(() => {
          d.updateInstance(instance.id, { vmCid: undefined });
          return of(undefined);
        }));
      case 'inactive_disk:activate_disk':
        return this.diskMounted(instance).pipe(
          concatMap((mounted) => {
            if (!mounted) return handlerError('Disk is not mounted');
            if (instance.disk) d.updateInstance(instance.id, { disk: { ...instance.disk, active: true } });
            return of(undefined);
          }),
        );
      case 'inactive_disk:delete_disk':
        return this.diskMounted(instance).pipe(
          concatMap((mounted) => {
            if (mounted) return handlerError('Disk is currently in use');
            d.updateInstance(instance.id, { disk: undefined });
            return of(undefined);
          }),
        );
      case 'missing_disk:delete_disk_reference':
        return defer(() => {
          d.updateInstance(instance.id, { disk: undefined });
          return of(undefined);
        });
      case 'mount_info_mismatch:reattach_disk':
      case 'mount_info_mismatch:reattach_disk_and_reboot': {
        const vmCid = instance.vmCid;
        const disk = instance.disk;
        if (vmCid === undefined || disk === undefined) return handlerError(`Can't find corresponding vm-cid for disk '${disk?.cid ?? ''}'`);
        const attach = d.cpiCall('attach_disk', d.cpi.attachDisk(vmCid, disk.cid));
        return attach.pipe(
          concatMap(() =>
            name === 'reattach_disk_and_reboot'
              ? this.rebootVm(instance)
              : d.pingAgent(instance).pipe(concatMap((alive) => (alive ? of(undefined) : handlerError(`VM '${vmCid}' is not responding`)))),
          ),
        );
      }
      default:
        return handlerError(`Invalid resolution '${name}' for problem type '${problem.type}'`);
    }
  }

  // cloudcheck_helper.rb `reboot_vm`: the CPI's reboot_vm, then wait for the agent.
  private rebootVm(instance: InstanceRecord): Observable<void> {
    const d = this.director;
    const vmCid = instance.vmCid;
    if (vmCid === undefined) return handlerError(`VM '${vmCid}' is no longer in the database`);
    return d.cpiCall('reboot_vm', d.cpi.rebootVm(vmCid)).pipe(concatMap(() => d.waitUntilReady(instance, 'Agent still unresponsive after reboot')));
  }

  // vm_deleter.rb `delete_for_instance`: a VM already gone is not an error.
  private deleteVmFromCloud(instance: InstanceRecord): Observable<void> {
    const d = this.director;
    const vmCid = instance.vmCid;
    if (vmCid === undefined) return of(undefined);
    return d.cpi.deleteVm(vmCid).pipe(
      catchError((e: unknown) => (isCpiError(e) && e.type === 'Bosh::Clouds::VMNotFound' ? of(undefined) : d.cpiCall('delete_vm', throwError(() => e)))),
      tap({
        complete: () => {
          const updated = d.updateInstance(instance.id, { vmCid: undefined });
          if (updated) d.emit({ type: 'vm-deleted', instance: updated, vmCid });
        },
      }),
    );
  }

  // cloudcheck_helper.rb `recreate_vm`: delete, create with the persistent disk, wait for the new agent.
  private recreateVm(instance: InstanceRecord): Observable<void> {
    const d = this.director;
    return this.deleteVmFromCloud(instance).pipe(
      toArray(),
      concatMap(() => {
        const agentId = d.newAgentId();
        return d.cpiCall('create_vm', d.cpi.createVm(agentId, instance.disk ? [instance.disk.cid] : [])).pipe(
          concatMap((vmCid) => {
            const updated = d.updateInstance(instance.id, { vmCid, agentId }) ?? instance;
            d.emit({ type: 'vm-created', instance: updated, vmCid });
            return d.waitUntilReady(updated, `Timed out pinging to ${agentId} after ${Math.round(d.agentReadyDeadlineMs / 1000)} seconds`);
          }),
        );
      }),
    );
  }

  // inactive_disk.rb `disk_mounted?` through agent_timeout_guard.
  private diskMounted(instance: InstanceRecord): Observable<boolean> {
    const d = this.director;
    const vmCid = instance.vmCid;
    const disk = instance.disk;
    if (vmCid === undefined || disk === undefined) return of(false);
    return d.pingAgent(instance).pipe(
      concatMap((alive) => (alive ? of(d.cpi.agentDisks(vmCid).includes(disk.cid)) : handlerError(`VM '${vmCid}' is not responding`))),
    );
  }
}

const count = (results: readonly ScanResult[], kind: ScanResult): number => results.filter((r) => r === kind).length;
