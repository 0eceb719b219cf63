import { describe, expect, it } from '@jest/globals';
import { isRoutine, routineSummary } from './routine.js';
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
