import { describe, expect, it } from '@jest/globals';
import { plainFrame } from './fixtures.js';
import { Text } from 'ink';
import { Panel } from './Panel.js';

describe('Panel', () => {
  it('draws a k9s-style title rule with the count and the filter, then its body', () => {
    const lines = plainFrame(<Panel title="Pods(all)" count={12} filter="cass" width={40}><Text>body</Text></Panel>).split('\n');
    expect(lines[0]).toBe(`── Pods(all)[12] /cass ${'─'.repeat(17)}`);
    expect(lines[0]).toHaveLength(40);
    expect(lines[1]).toBe('body');
  });

  it('leaves out the count and filter when not given', () => {
    expect(plainFrame(<Panel title="Clocks" width={20} />)).toMatch(/^── Clocks ─+$/);
  });
});
