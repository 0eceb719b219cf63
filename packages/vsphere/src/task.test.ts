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
    // The newest `last` only, oldest first: what a pane of the newest few reads.
    expect(tasks.recent(1).map((t) => t.id)).toEqual(['task-2']);
    expect(tasks.recent(5).map((t) => t.id)).toEqual(['task-1', 'task-2']);
    expect(formatRecentTasks(tasks.recent(), (t) => clock.iso(t))[2]).toBe(
      "Reconfigure virtual machine  vm-b    Failed     Failed to add disk 'scsi1:0'.  vcp        0 ms        2019-06-01T00:00:00Z  2019-06-01T00:00:01Z",
    );
  });

  it('reads back every row exactly as its listeners saw it last (members, order, faults)', () => {
    const clock = new SimClock();
    const tasks = new TaskManager(clock);
    const seen = new Map<string, string>();
    tasks.onTask((t) => seen.set(t.id, JSON.stringify(t)));
    const fault = vimFault('File [ds] a.vmdk was not found', ['detail one', 'detail two']);
    tasks.run('Reconfigure virtual machine', 'vm-a', 'vcp', () => E.right(1));
    tasks.runNow('Delete file', '[ds] a.vmdk', 'govc', () => E.left(fault));
    tasks.run('Power On virtual machine', 'vm-b', 'govc', () => E.right(undefined));
    clock.runFor(1_000);
    const rows = tasks.recent();
    expect(rows.map((t) => JSON.stringify(t))).toEqual(['task-1', 'task-2', 'task-3'].map((id) => seen.get(id)));
    expect(rows[1]).toEqual({ id: 'task-2', name: 'Delete file', target: '[ds] a.vmdk', status: 'Failed', initiator: 'govc', queuedAt: 0, startedAt: 0, error: fault.message, details: fault.details, completedAt: 0 });
    expect(Object.keys(rows[0]!)).toEqual(['id', 'name', 'target', 'status', 'initiator', 'queuedAt', 'startedAt', 'completedAt']);
    expect(Object.keys(rows[2]!)).toEqual(['id', 'name', 'target', 'status', 'initiator', 'queuedAt', 'startedAt']);
  });

  it('aligns columns like tabwriter with padding 2', () => {
    expect(alignColumns([['a', 'bb', 'c'], ['ccc', 'd', '']])).toEqual(['a    bb  c', 'ccc  d']);
  });
});
