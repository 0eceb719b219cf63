import { describe, expect, it } from '@jest/globals';
import { sampleResult } from './testdata/sample-result.js';
import { ndjson } from './ndjson.js';

describe('ndjson', () => {
  it('prints one record per line: timeline, expectations, then the result', () => {
    const text = ndjson(sampleResult);
    expect(text.endsWith('\n')).toBe(true);
    const records = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(records.map((r) => r.type)).toEqual(['step', 'step', 'transition', 'event', 'expectation', 'expectation', 'result']);
    expect(records[3]).toEqual({ type: 'event', eventType: 'Warning', at: 340, reason: 'NodeNotReady', object: 'Node/worker-2', message: 'Node worker-2 status is now: NodeNotReady', count: 3, source: 'node-controller' });
    expect(records[6]).toEqual({ type: 'result', scenario: 'sample', profile: '1.12', seed: 7, passed: false });
  });
});
