import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { SimClock } from '@failsim/core';
import { alignColumns, formatRecentTasks, TaskManager, vimFault } from './task.js';

describe('TaskManager', () => {
  it('shows a task Running, applies it after its duration and logs the outcome', () => {
    const clock = new SimClock();
    const tasks = new TaskManager(clock, { 'Power On virtual machine': 5_000 });
    let applied = false;
    tasks.run('Power On virtual machine', 'vm-a', 'govc', () => ((applied = true), E.right(undefined)));
    tasks.run('Reconfigure virtual machine', 'vm-b', 'vcp', () => E.left(vimFault("Failed to add disk 'scsi1:0'.")));
    expect(tasks.recent().map((t) => t.status)).toEqual(['Running', 'Running']);
    clock.runFor(1_000);
    expect(tasks.recent().map((t) => t.status)).toEqual(['Running', 'Failed']);
    expect(applied).toBe(false);
    clock.runFor(4_000);
    expect(applied).toBe(true);
    expect(tasks.recent()[0]).toMatchObject({ id: 'task-1', status: 'Completed', startedAt: 0, completedAt: 5_000 });
    expect(formatRecentTasks(tasks.recent(), (t) => clock.iso(t))[2]).toBe(
      "Reconfigure virtual machine  vm-b    Failed     Failed to add disk 'scsi1:0'.  vcp        0 ms        2019-06-01T00:00:00Z  2019-06-01T00:00:01Z",
    );
  });

  it('aligns columns like tabwriter with padding 2', () => {
    expect(alignColumns([['a', 'bb', 'c'], ['ccc', 'd', '']])).toEqual(['a    bb  c', 'ccc  d']);
  });
});
