import { describe, expect, it } from '@jest/globals';
import { formatPath, formatScenarioError } from './scenario-error.js';

describe('formatScenarioError', () => {
  it('prints file:line:column: path: message', () => {
    expect(formatScenarioError({ file: 'scenarios/x.yaml', line: 12, column: 7, path: formatPath(['steps', 2, 'at']), message: 'invalid duration "5 minutes" (use 30s, 5m, 1h)' })).toBe(
      'scenarios/x.yaml:12:7: steps[2].at: invalid duration "5 minutes" (use 30s, 5m, 1h)',
    );
    expect(formatScenarioError({ file: 'x.yaml', line: 1, column: 1, path: '', message: 'empty' })).toBe('x.yaml:1:1: empty');
  });
});
