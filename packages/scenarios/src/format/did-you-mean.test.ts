import { describe, expect, it } from '@jest/globals';
import { didYouMean } from './did-you-mean.js';

describe('didYouMean', () => {
  it('suggests the closest known name', () => {
    expect(didYouMean('stpes', ['steps', 'seed', 'until'])).toBe(' (did you mean "steps"?)');
    expect(didYouMean('--ignore-daemonset', ['--force', '--ignore-daemonsets'])).toBe(' (did you mean "--ignore-daemonsets"?)');
  });
  it('says nothing when no name is close', () => {
    expect(didYouMean('colour', ['steps', 'seed'])).toBe('');
  });
});
