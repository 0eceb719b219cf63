import { describe, expect, it } from '@jest/globals';
import type { TaskInfo } from '@failsim/vsphere';
import { clientTime, recentTasks } from './recent-tasks.js';

const EPOCH = new Date('2019-06-13T13:00:00Z');

describe('clientTime', () => {
  it('prints the vSphere Client date, 12-hour clock', () => {
    expect(clientTime(0, EPOCH)).toBe('06/13/2019, 1:00:00 PM');
    expect(clientTime(-13 * 3_600_000, EPOCH)).toBe('06/13/2019, 12:00:00 AM');
    expect(clientTime(-3_600_000 + 5_000, EPOCH)).toBe('06/13/2019, 12:00:05 PM');
  });
});

describe('recentTasks', () => {
  const failed: TaskInfo = {
    id: 'task-7', name: 'Reconfigure virtual machine', target: 'worker-0', status: 'Failed', error: "Failed to add disk 'scsi1:0'.",
    details: ['Cannot open the disk', 'Failed to lock the file'], initiator: 'vsphere-cloud-provider', queuedAt: 60_000, startedAt: 60_000, completedAt: 61_000,
  };
  const running: TaskInfo = { id: 'task-8', name: 'Power On virtual machine', target: 'worker-2', status: 'Running', initiator: 'govc', queuedAt: 62_000, startedAt: 62_000 };

  it('lays out the pane as a table, the fault message as a failed task status, its details after', () => {
    expect(recentTasks([failed, running], EPOCH)).toEqual([
      'Task Name                     Target     Status                          Initiator                Queued For   Start Time               Completion Time',
      "Reconfigure virtual machine   worker-0   Failed to add disk 'scsi1:0'.   vsphere-cloud-provider   0 ms         06/13/2019, 1:01:00 PM   06/13/2019, 1:01:01 PM",
      'Power On virtual machine      worker-2   Running                         govc                     0 ms         06/13/2019, 1:01:02 PM',
      'Reconfigure virtual machine worker-0:',
      '  Cannot open the disk',
      '  Failed to lock the file',
    ]);
  });

  it('prints nothing for no tasks', () => {
    expect(recentTasks([], EPOCH)).toEqual([]);
  });
});
