import { describe, expect, it } from '@jest/globals';
import { plainFrame, vsphereTasks } from './fixtures.js';
import { TasksView } from './TasksView.js';

describe('TasksView', () => {
  it('lists vCenter Recent Tasks with the failed task\'s error in words', () => {
    const text = plainFrame(<TasksView rows={vsphereTasks} width={160} height={6} />);
    expect(text).toMatch(/^── vSphere tasks\[2\] ─/);
    expect(text).toMatch(/^TASK +TARGET +STATUS +INITIATOR +START +END +DETAILS$/m);
    expect(text).toMatch(/^ReconfigVM_Task +worker-0 +Failed +VSPHERE\.LOCAL\\Administrator +T\+08:00 +T\+08:02 +Failed to add disk 'scsi1:0'\.$/m);
    expect(text).toMatch(/^PowerOffVM_Task +worker-2 +Completed +govc/m);
    expect(plainFrame(<TasksView rows={[]} width={60} height={4} />)).toContain('No tasks.');
  });
});
