import { describe, expect, it } from '@jest/globals';
import { ClocksView } from './ClocksView.js';
import { clockGroups, plainFrame } from './fixtures.js';

describe('ClocksView', () => {
  it('groups timers under their owner with a countdown each', () => {
    const lines = plainFrame(<ClocksView groups={clockGroups} width={80} height={10} />).split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^── Clocks\[3\] ─+$/),
      'node-controller',
      '  in 40s     grace period of node worker-2',
      'attachdetach-controller',
      '  in 6m0s    force detach of pvc-1 from worker-2',
      '  in 6m40s   reconciler max wait',
    ]);
  });

  it('says how many more when they do not fit, and names the all-timers mode', () => {
    const text = plainFrame(<ClocksView groups={clockGroups} width={80} height={4} all />);
    expect(text).toMatch(/^── Clocks\(all\)\[3\] ─/);
    expect(text).toContain('  … 3 more');
    expect(plainFrame(<ClocksView groups={[]} width={80} height={4} />)).toContain('No timers pending.');
  });
});
