import { describe, expect, it } from '@jest/globals';
import { gatherRoutine, isRoutine, routineSummary } from './routine.js';
import type { TimelineEntry } from './timeline.js';

const status = (pod: string, from: string | null, to: string | null): TimelineEntry => ({ type: 'transition', at: 60, object: `Pod/bench/${pod}`, field: 'status', from, to });
const node = (pod: string, to: string | null, from: string | null = null): TimelineEntry => ({ type: 'transition', at: 60, object: `Pod/bench/${pod}`, field: 'node', from, to });
const event = (object: string, reason: string, eventType = 'Normal'): TimelineEntry => ({ type: 'event', at: 60, eventType, reason, object, message: reason, count: 1, source: 'kubelet, w-1' });

describe('isRoutine', () => {
  it('takes a Pod created, bound, pulled and started as routine', () => {
    for (const entry of [
      status('web-1', null, 'Pending'), status('web-1', 'Pending', 'ContainerCreating'), status('web-1', 'ContainerCreating', 'Running'), node('web-1', 'w-1'),
      event('Pod/bench/web-1', 'Scheduled'), event('Pod/bench/web-1', 'Pulling'), event('Pod/bench/web-1', 'Started'), event('ReplicaSet/bench/web-7f', 'SuccessfulCreate'),
    ]) expect(isRoutine(entry)).toBe(true);
  });

  it('keeps what is out of the ordinary: other statuses, a node lost, Warnings, other Events and objects', () => {
    for (const entry of [
      status('web-1', 'Running', 'Terminating'), status('web-1', 'Running', 'Unknown'), status('web-1', 'Running', null), status('web-1', 'Terminating', 'Running'),
      node('web-1', null, 'w-1'), event('Pod/bench/web-1', 'FailedScheduling', 'Warning'), event('Pod/bench/web-1', 'Killing'), event('Pod/bench/web-1', 'TaintManagerEviction'),
      event('ReplicaSet/bench/web-7f', 'SuccessfulDelete'), event('Node/w-1', 'Starting'),
      { type: 'transition', at: 60, object: 'Node/w-1', field: 'status', from: null, to: 'Running' },
      { type: 'step', at: 60, command: 'kubectl apply -f x.yaml', ok: true, output: '' },
    ] satisfies TimelineEntry[]) expect(isRoutine(entry)).toBe(false);
  });
});

describe('routineSummary', () => {
  it('counts the Pods, the statuses reached, the bindings and the Events by reason, each in the order first met', () => {
    expect(routineSummary([
      status('a', null, 'Pending'), status('b', null, 'Pending'), node('a', 'w-1'), status('a', 'Pending', 'ContainerCreating'),
      event('ReplicaSet/bench/web-7f', 'SuccessfulCreate'), event('ReplicaSet/bench/web-7f', 'SuccessfulCreate'), event('Pod/bench/a', 'Scheduled'),
    ])).toBe('routine starts of 2 Pods: status: Pending 2 · ContainerCreating 1; bound to a node 1; Normal: SuccessfulCreate 2 · Scheduled 1');
    expect(routineSummary([event('ReplicaSet/bench/web-7f', 'SuccessfulCreate')])).toBe('routine starts: Normal: SuccessfulCreate 1');
    expect(routineSummary([event('Pod/bench/a', 'Pulled')])).toBe('routine starts of 1 Pod: Normal: Pulled 1');
  });
});

describe('gatherRoutine', () => {
  it('gathers the routine entries of one second into a run told where the first was, ended by the next second or by `ends`', () => {
    const at = (entry: TimelineEntry, seconds: number): TimelineEntry => ({ ...entry, at: seconds });
    const entries = [
      at(status('a', null, 'Pending'), 60), at(status('b', null, 'Pending'), 60.5),
      at(event('Node/w-1', 'Starting'), 60.5), // not told: passes through without ending the run
      at(event('Pod/bench/a', 'Killing'), 60.7), // told: ends the run
      at(status('c', null, 'Pending'), 60.8), at(status('d', null, 'Pending'), 61), // the next second: a run of its own
    ];
    const told = (entry: TimelineEntry): boolean => entry.type === 'event' && entry.reason === 'Killing';
    const items = [...gatherRoutine(entries, (s) => String(Math.floor(s)), (_, entry) => told(entry))];
    expect(items.map((item) => (item.type === 'routine' ? `routine@${item.at}×${item.entries.length}` : `${item.type === 'event' ? item.reason : item.type}@${item.at}`))).toEqual([
      'Starting@60.5', 'routine@60×2', 'Killing@60.7', 'routine@60.8×1', 'routine@61×1',
    ]);
  });
});
