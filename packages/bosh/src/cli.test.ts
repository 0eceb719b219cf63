import { describe, expect, it } from '@jest/globals';
import { createSimulation } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import { BoshCli, parseBoshCommand } from './cli.js';
import { Director, type DirectorEvent } from './director.js';
import { FakeCpi } from './fake-cpi.js';

const DEPLOYMENT = 'service-instance_3aa87d05-87a3-462a-8f1d-5f07cd5d7bda';
const WORKER_VM = 'vm-33849704-0c77-450b-939c-dbea525e6df7';
const WORKER = 'worker/580b6ee0-970e-44cb-896c-9520da134b30 (1)';
const DESC = `VM for '${WORKER}' with cloud ID '${WORKER_VM}' is not responding.`;

// The seed article's PKS cluster: one master and four workers, each with a persistent disk;
// the director's counters where the article's were (task 1677, problem 2, instance 80).
const seedWorld = () => {
  const sim = createSimulation({ seed: 'bosh-seed', epoch: '2019-06-13T13:00:00Z' });
  const cpi = new FakeCpi({ clock: sim.clock, random: sim.random.fork('cpi'), timings: { hasVmMs: 11_000, hasDiskMs: 27_000 } });
  const director = new Director({
    clock: sim.clock,
    random: sim.random,
    cpi,
    firstTaskId: 1677,
    firstProblemId: 2,
    firstInstanceId: 78,
    cpiRequestId: () => 'cpi-735808',
  });
  const created = director.createDeployment({
    name: DEPLOYMENT,
    instanceGroups: [
      { name: 'master', instances: 1, persistentDiskMb: 10240 },
      {
        name: 'worker',
        instances: [
          { diskSizeMb: 51200 },
          { uuid: '580b6ee0-970e-44cb-896c-9520da134b30', vmCid: WORKER_VM, diskSizeMb: 51200 },
          { diskSizeMb: 51200 },
          { diskSizeMb: 51200 },
        ],
      },
    ],
  });
  if (E.isLeft(created)) throw new Error(created.left);
  for (const i of created.right.instances) cpi.addVm(i.vmCid as string, { disks: i.disk ? [i.disk.cid] : [] });
  const cli = new BoshCli(director);
  const events: string[] = [];
  director.addListener((e: DirectorEvent) => {
    if (e.type === 'agent-ready') events.push(`${sim.clock.iso()} agent-ready ${e.vmCid}`);
  });
  const run = (line: string, answers: Parameters<BoshCli['run']>[1] = {}): string[] => {
    const out = cli.run(line, answers);
    if (E.isLeft(out)) throw new Error(out.left.message);
    const lines: string[] = [];
    let done = false;
    out.right.subscribe({ next: (l) => lines.push(l), complete: () => (done = true) });
    while (!done && sim.clock.step());
    expect(done).toBe(true);
    return lines;
  };
  return { sim, cpi, director, cli, run, events };
};

const nonBlank = (lines: readonly string[]): string[] => lines.filter((l) => l.trim() !== '');

describe('bosh cck (the seed article: a powered-off worker)', () => {
  it('scans, fails the reboot with the CPI error, and succeeds once the disk lock is gone', () => {
    const { sim, cpi, run, events } = seedWorld();
    cpi.powerOff(WORKER_VM);
    cpi.setFailure('reboot_vm', {
      error: { type: 'Unknown', message: 'File system specific implementation of OpenFile[file] failed' },
      afterMs: 234_000, // + the 10 s agent re-check = the seed's 00:04:04
    });
    sim.clock.runUntil(5 * 60_000 + 57_000);
    const first = run(`bosh -d ${DEPLOYMENT} cck`, { answers: [{ text: '2', afterMs: 20_000 }, { text: 'y', afterMs: 5_000 }] });
    // The seed's transcript with the blog's line wraps joined (the blog also dropped the
    // CLI's blank lines, checked separately below).
    expect(nonBlank(first)).toEqual([
      "Using environment '10.27.51.141' as client 'ops_manager'",
      `Using deployment '${DEPLOYMENT}'`,
      'Task 1677',
      'Task 1677 | 13:05:57 | Scanning 5 VMs: Checking VM states (00:00:21)',
      'Task 1677 | 13:06:18 | Scanning 5 VMs: 4 OK, 1 unresponsive, 0 missing, 0 unbound (00:00:00)',
      'Task 1677 | 13:06:18 | Scanning 5 persistent disks: Looking for inactive disks (00:00:27)',
      'Task 1677 | 13:06:45 | Scanning 5 persistent disks: 5 OK, 0 missing, 0 inactive, 0 mount-info mismatch (00:00:00)',
      'Task 1677 Started  Thu Jun 13 13:05:57 UTC 2019',
      'Task 1677 Finished Thu Jun 13 13:06:45 UTC 2019',
      'Task 1677 Duration 00:00:48',
      'Task 1677 done',
      '#  Type                Description',
      `2  unresponsive_agent  ${DESC}`,
      '1 problems',
      '1: Skip for now',
      '2: Reboot VM',
      '3: Recreate VM without waiting for processes to start',
      '4: Recreate VM and wait for processes to start',
      '5: Delete VM',
      '6: Delete VM reference (forceful; may need to manually delete VM from the Cloud to avoid IP conflicts)',
      `${DESC} (1): 2`,
      'Continue? [yN]: y',
      'Task 1678',
      `Task 1678 | 13:07:10 | Applying problem resolutions: ${DESC} (unresponsive_agent 80): Reboot VM (00:04:04)`,
      "                    L Error: Unknown CPI error 'Unknown' with message 'File system specific implementation of OpenFile[file] failed' in 'reboot_vm' CPI method (CPI request ID: 'cpi-735808')",
      "Task 1678 | 13:11:14 | Error: Error resolving problem '2': Unknown CPI error 'Unknown' with message 'File system specific implementation of OpenFile[file] failed' in 'reboot_vm' CPI method (CPI request ID: 'cpi-735808')",
      'Task 1678 Started  Thu Jun 13 13:07:10 UTC 2019',
      'Task 1678 Finished Thu Jun 13 13:11:14 UTC 2019',
      'Task 1678 Duration 00:04:04',
      'Task 1678 error',
      `Resolving problems for deployment '${DEPLOYMENT}':`,
      "  Expected task '1678' to succeed but state is 'error'",
      'Exit code 1',
    ]);
    // bosh-cli's blank lines (ui/task/reporter.go): after "Task <n>", before the summary, before a task Error line.
    expect(first.slice(4, 7)).toEqual(['Task 1677', '', 'Task 1677 | 13:05:57 | Scanning 5 VMs: Checking VM states (00:00:21)']);
    expect(first[first.indexOf("Task 1678 | 13:11:14 | Error: Error resolving problem '2': Unknown CPI error 'Unknown' with message 'File system specific implementation of OpenFile[file] failed' in 'reboot_vm' CPI method (CPI request ID: 'cpi-735808')") - 1]).toBe('');
    expect(cpi.vm(WORKER_VM)?.poweredOn).toBe(false);
    expect(events).toEqual([]);

    // The stale disk is removed from the old VM: the power-on works now.
    cpi.setFailure('reboot_vm', undefined);
    cpi.setTimings({ hasVmMs: 10_000, rebootVmMs: 11_000, bootMs: 60_000 });
    sim.clock.runUntil(15 * 60_000 + 13_000);
    const second = run(`bosh -d ${DEPLOYMENT} cck`, { answers: [{ text: '2', afterMs: 5_000 }, { text: 'y', afterMs: 5_000 }] });
    expect(nonBlank(second)).toEqual([
      "Using environment '10.27.51.141' as client 'ops_manager'",
      `Using deployment '${DEPLOYMENT}'`,
      'Task 1679',
      'Task 1679 | 13:15:13 | Scanning 5 VMs: Checking VM states (00:00:20)',
      'Task 1679 | 13:15:33 | Scanning 5 VMs: 4 OK, 1 unresponsive, 0 missing, 0 unbound (00:00:00)',
      'Task 1679 | 13:15:33 | Scanning 5 persistent disks: Looking for inactive disks (00:00:27)',
      'Task 1679 | 13:16:00 | Scanning 5 persistent disks: 5 OK, 0 missing, 0 inactive, 0 mount-info mismatch (00:00:00)',
      'Task 1679 Started  Thu Jun 13 13:15:13 UTC 2019',
      'Task 1679 Finished Thu Jun 13 13:16:00 UTC 2019',
      'Task 1679 Duration 00:00:47',
      'Task 1679 done',
      '#  Type                Description',
      `3  unresponsive_agent  ${DESC}`,
      '1 problems',
      '1: Skip for now',
      '2: Reboot VM',
      '3: Recreate VM without waiting for processes to start',
      '4: Recreate VM and wait for processes to start',
      '5: Delete VM',
      '6: Delete VM reference (forceful; may need to manually delete VM from the Cloud to avoid IP conflicts)',
      `${DESC} (1): 2`,
      'Continue? [yN]: y',
      'Task 1680',
      `Task 1680 | 13:16:10 | Applying problem resolutions: ${DESC} (unresponsive_agent 80): Reboot VM (00:01:21)`,
      'Task 1680 Started  Thu Jun 13 13:16:10 UTC 2019',
      'Task 1680 Finished Thu Jun 13 13:17:31 UTC 2019',
      'Task 1680 Duration 00:01:21',
      'Task 1680 done',
      'Succeeded',
    ]);
    expect(events).toEqual([`2019-06-13T13:17:31Z agent-ready ${WORKER_VM}`]);
  });

  it('--report lists and exits 1; --auto skips an unresponsive agent; --resolution picks by name', () => {
    const { cpi, run, director } = seedWorld();
    cpi.powerOff(WORKER_VM);
    const report = run(`bosh -d ${DEPLOYMENT} cck --report`);
    expect(report.slice(-8)).toEqual(['#  Type                Description', `2  unresponsive_agent  ${DESC}`, '', '1 problems', '', '1 problem(s) found', '', 'Exit code 1']);
    const auto = nonBlank(run(`bosh -n -d ${DEPLOYMENT} cck --auto`));
    expect(auto).toContain(`Task 1679 | 13:01:36 | Applying problem resolutions: ${DESC} (unresponsive_agent 80): Skip for now (00:00:00)`);
    expect(auto.at(-1)).toBe('Succeeded');
    expect(director.task(1679)?.result).toBe('1 resolved');
    const byName = nonBlank(run(`bosh -d ${DEPLOYMENT} cck --resolution reboot_vm`));
    expect(byName.some((l) => l.endsWith('(unresponsive_agent 80): Reboot VM (00:01:20)'))).toBe(true);
    expect(byName.at(-1)).toBe('Succeeded');
    expect(cpi.agentResponds(WORKER_VM)).toBe(true);
  });

  it('skips the resolution when the agent answers again: "Agent is responding now, skipping resolution"', () => {
    const revived = seedWorld();
    revived.cpi.powerOff(WORKER_VM);
    const lines: string[] = [];
    const started = revived.cli.run(`bosh -d ${DEPLOYMENT} cck`, { answers: [{ text: '2', afterMs: 1_000 }, { text: 'y', afterMs: 1_000 }] });
    if (E.isLeft(started)) throw new Error('parse');
    started.right.subscribe((l) => lines.push(l));
    // Someone powers the VM on in vCenter while the user reads the problem list.
    revived.sim.clock.runFor(48_500);
    revived.cpi.setTimings({ bootMs: 0 });
    revived.cpi.powerOn(WORKER_VM);
    revived.sim.clock.runFor(3_600_000);
    expect(lines).toContain('                    L Error: Agent is responding now, skipping resolution');
    expect(nonBlank(lines).at(-1)).toBe('Exit code 1');
  });
});

describe('parseBoshCommand', () => {
  it('parses the commands and flags failsim speaks', () => {
    expect(parseBoshCommand('bosh -d dep cck --resolution reboot_vm --resolution=recreate_vm')).toEqual(
      E.right({ kind: 'cck', deployment: 'dep', auto: false, report: false, resolutions: ['reboot_vm', 'recreate_vm'], nonInteractive: false }),
    );
    expect(parseBoshCommand('bosh cck -a --deployment dep -n')).toEqual(
      E.right({ kind: 'cck', deployment: 'dep', auto: true, report: false, resolutions: [], nonInteractive: true }),
    );
    expect(parseBoshCommand('bosh -d dep is')).toEqual(E.right({ kind: 'instances', deployment: 'dep' }));
    expect(parseBoshCommand('bosh tasks --recent')).toEqual(E.right({ kind: 'tasks', recent: 30, deployment: undefined }));
    expect(parseBoshCommand('bosh task 1678')).toEqual(E.right({ kind: 'task', id: 1678 }));
  });

  it('rejects bad input with a message', () => {
    expect(parseBoshCommand('bosh cck')).toEqual(E.left({ message: 'Expected non-empty deployment name' }));
    expect(parseBoshCommand('bosh -d x frobnicate')).toEqual(E.left({ message: "Unknown command 'frobnicate'" }));
    expect(parseBoshCommand('bosh -d x cck --bogus')).toEqual(E.left({ message: "unknown flag '--bogus'" }));
    expect(parseBoshCommand('bosh task x')).toEqual(E.left({ message: 'Expected a task ID' }));
  });
});

describe('instances, vms, tasks, task', () => {
  it('lists instances and VMs with the agent state, and replays tasks', () => {
    const { cpi, cli, run } = seedWorld();
    cpi.powerOff(WORKER_VM);
    const is = cli.runNow(`bosh -d ${DEPLOYMENT} instances`);
    expect(E.isRight(is) && is.right.some((l) => l.startsWith('worker/580b6ee0-970e-44cb-896c-9520da134b30  unresponsive agent'))).toBe(true);
    expect(E.isRight(is) && is.right.includes('5 instances')).toBe(true);
    const vms = cli.runNow(`bosh -d ${DEPLOYMENT} vms`);
    expect(E.isRight(vms) && vms.right.some((l) => l.includes(WORKER_VM))).toBe(true);
    expect(cli.runNow(`bosh -d ${DEPLOYMENT} cck`)).toEqual(E.left({ message: `'bosh -d ${DEPLOYMENT} cck' takes virtual time: use run() and advance the clock` }));
    run(`bosh -d ${DEPLOYMENT} cck --report`);
    const tasks = cli.runNow('bosh tasks --recent');
    expect(E.isRight(tasks) && tasks.right.find((l) => l.startsWith('1677'))).toMatch(/^1677\s+done\s+Thu Jun 13 13:00:00 UTC 2019\s+Thu Jun 13 13:00:48 UTC 2019\s+ops_manager\s+service-instance_3aa87d05-87a3-462a-8f1d-5f07cd5d7bda\s+scan cloud\s+scan complete$/);
    const task = cli.runNow('bosh task 1677');
    expect(E.isRight(task) && nonBlank(task.right).slice(1)).toEqual([
      'Task 1677',
      'Task 1677 | 13:00:00 | Scanning 5 VMs: Checking VM states (00:00:21)',
      'Task 1677 | 13:00:21 | Scanning 5 VMs: 4 OK, 1 unresponsive, 0 missing, 0 unbound (00:00:00)',
      'Task 1677 | 13:00:21 | Scanning 5 persistent disks: Looking for inactive disks (00:00:27)',
      'Task 1677 | 13:00:48 | Scanning 5 persistent disks: 5 OK, 0 missing, 0 inactive, 0 mount-info mismatch (00:00:00)',
      'Task 1677 Started  Thu Jun 13 13:00:00 UTC 2019',
      'Task 1677 Finished Thu Jun 13 13:00:48 UTC 2019',
      'Task 1677 Duration 00:00:48',
      'Task 1677 done',
      'Succeeded',
    ]);
    expect(cli.runNow('bosh task 9')).toEqual(E.right(["Using environment '10.27.51.141' as client 'ops_manager'", '', "Task '9' not found", '', 'Exit code 1']));
  });
});
