import { describe, expect, it } from '@jest/globals';
import { boshTasks, plainFrame, vsphereTasks } from './fixtures.js';
import { ListView } from './ListView.js';
import { BOSH_TASK_COLUMNS, VSPHERE_TASK_COLUMNS } from './task-columns.js';

describe('ListView', () => {
  it('serves the vSphere tasks: vCenter Recent Tasks with the failed task\'s error in words', () => {
    const text = plainFrame(<ListView title="vSphere tasks" columns={VSPHERE_TASK_COLUMNS} rows={vsphereTasks} width={160} height={6} empty="No tasks." />);
    expect(text).toMatch(/^── vSphere tasks\[2\] ─/);
    expect(text).toMatch(/^TASK +TARGET +STATUS +INITIATOR +START +END +DETAILS$/m);
    expect(text).toMatch(/^ReconfigVM_Task +worker-0 +Failed +VSPHERE\.LOCAL\\Administrator +T\+08:00 +T\+08:02 +Failed to add disk 'scsi1:0'\.$/m);
    expect(text).toMatch(/^PowerOffVM_Task +worker-2 +Completed +govc/m);
  });

  it('serves the BOSH tasks as bosh tasks --recent lists them, newest first', () => {
    const lines = plainFrame(<ListView title="BOSH tasks" columns={BOSH_TASK_COLUMNS} rows={boshTasks} width={160} height={6} empty="No tasks." />).split('\n');
    expect(lines[0]).toMatch(/^── BOSH tasks\[2\] ─/);
    expect(lines[1]).toMatch(/^ID +STATE +STARTED +FINISHED +DEPLOYMENT +DESCRIPTION +RESULT$/);
    expect(lines[2]).toMatch(/^12 +error +T\+10:00 +T\+10:30 +service-instance_3aa87d05 +scan and fix +Timed out sending reboot$/);
    expect(lines[3]).toMatch(/^11 +done /);
  });

  it('drops the low-priority columns first when narrow, and says when the list is empty', () => {
    expect(plainFrame(<ListView title="BOSH tasks" columns={BOSH_TASK_COLUMNS} rows={boshTasks} width={70} height={6} empty="No tasks." />)).not.toContain('STARTED');
    expect(plainFrame(<ListView title="vSphere tasks" columns={VSPHERE_TASK_COLUMNS} rows={[]} width={60} height={4} empty="No tasks." />)).toContain('No tasks.');
  });
});
