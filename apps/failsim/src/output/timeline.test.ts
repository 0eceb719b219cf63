import { describe, expect, it } from '@jest/globals';
import { sampleResult } from './testdata/sample-result.js';
import { timeline } from './timeline.js';

describe('timeline', () => {
  it('merges by time, step before transition before Event at one instant', () => {
    expect(timeline(sampleResult).map((e) => `${e.at} ${e.type}`)).toEqual(['0 step', '340 step', '340 transition', '340 event']);
  });

  it('keeps the Event type under eventType, as type tags the entry', () => {
    const event = timeline(sampleResult).find((e) => e.type === 'event');
    expect(event).toMatchObject({ type: 'event', eventType: 'Warning', reason: 'NodeNotReady', count: 3 });
  });
});
