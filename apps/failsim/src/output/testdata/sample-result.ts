// A small ScenarioResult for the output specs: one step, one transition, one Event at
// the same instant (to check the merge order), and two expectations.
import type { ScenarioResult } from '@failsim/scenarios';

/** A run of two steps where the second expectation fails. */
export const sampleResult: ScenarioResult = {
  scenario: 'sample',
  profile: '1.12',
  seed: 7,
  passed: false,
  steps: [
    { at: 0, command: 'kubectl apply -f <resources>', ok: true, output: 'namespace/cassandra created' },
    { at: 340, command: 'govc vm.power -off worker-2', ok: false, output: 'govc: boom\n\nmore' },
  ],
  transitions: [{ at: 340, object: 'Pod/cassandra/cassandra-0', field: 'status', from: 'Running', to: 'Unknown' }],
  events: [{ at: 340, type: 'Warning', reason: 'NodeNotReady', object: 'Node/worker-2', message: 'Node worker-2 status is now: NodeNotReady', count: 3, source: 'node-controller' }],
  expectations: [
    { description: 'node/worker-2 is NotReady within 50s', passed: true, detail: 'Node/worker-2 became NotReady at 40s' },
    { description: 'pod/cassandra/cassandra-0 is Running within 1m', passed: false, detail: 'never Running' },
  ],
  hazards: [{ at: 400, kind: 'SplitBrain', object: 'Pod/cassandra/cassandra-0', message: '2 copies of StatefulSet cassandra/cassandra identity cassandra-0 are running at once' }],
};
