import { describe, expect, it } from '@jest/globals';
import { goldenDiff } from './golden-diff.js';

describe('goldenDiff', () => {
  it('is empty when the texts are equal', () => {
    expect(goldenDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('shows the first change with its context, golden lines as - and new ones as +', () => {
    const golden = ['1', '2', '3', '4', 'old', '6', '7', ''].join('\n');
    const now = ['1', '2', '3', '4', 'new', 'extra', '6', '7', ''].join('\n');
    expect(goldenDiff(golden, now, 2)).toBe(['@@ line 5 @@', ' 3', ' 4', '-old', '+new', '+extra', ' 6', ' 7'].join('\n'));
  });

  it('cuts a long change', () => {
    const text = goldenDiff('x\n', `${Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n')}\n`, 3, 2);
    expect(text.split('\n')).toEqual(['@@ line 1 @@', '-x', '+l0', '+l1', '+… (18 more lines)', ' ']);
  });
});

describe('goldenDiff hunks', () => {
  it('shows only the first hunk when the texts differ again further on', () => {
    const golden = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'FAILED', ''].join('\n');
    const now = ['a', 'B', 'c', 'd', 'e', 'f', 'g', 'PASSED', ''].join('\n');
    expect(goldenDiff(golden, now, 3)).toBe(['@@ line 2 @@', ' a', '-b', '+B', ' c', ' d', ' e'].join('\n'));
  });
});
