import { describe, expect, it } from '@jest/globals';
import { formatDuration, formatFullTime, formatHours, TaskRun } from './task.js';

describe('task formats (bosh-cli ui/fmt)', () => {
  it('formats durations, hours and Go UnixDate times', () => {
    expect(formatDuration(244_000)).toBe('00:04:04');
    expect(formatDuration(3_725_999)).toBe('01:02:05');
    expect(formatHours(new Date('2019-06-13T13:05:57Z'))).toBe('13:05:57');
    expect(formatFullTime(new Date('2019-06-13T13:05:57Z'))).toBe('Thu Jun 13 13:05:57 UTC 2019');
    expect(formatFullTime(new Date('2019-06-01T00:00:05Z'))).toBe('Sat Jun  1 00:00:05 UTC 2019');
  });
});

describe('TaskRun', () => {
  it('records events, replays them to late subscribers and completes on finish', () => {
    const run = new TaskRun({ id: 7, description: 'scan cloud', deployment: 'd', user: 'u', startedAt: 0 });
    run.log({ time: 0, kind: 'step', stage: 's', task: 't', state: 'started' });
    run.finish('done', 1000, 'scan complete');
    const seen: string[] = [];
    let completed = false;
    run.events$.subscribe({ next: (e) => seen.push(e.kind), complete: () => (completed = true) });
    expect(seen).toEqual(['step']);
    expect(completed).toBe(true);
    expect(run.task).toMatchObject({ id: 7, state: 'done', finishedAt: 1000, result: 'scan complete' });
  });
});
