import { describe, expect, it } from '@jest/globals';
import { multiAttachMessage } from './reconciler.js';

describe('multiAttachMessage (reportMultiAttachError)', () => {
  it('has the four upstream variants', () => {
    expect(multiAttachMessage('pv-1', 'default', [])).toBe(
      'Multi-Attach error for volume "pv-1" Volume is already exclusively attached to one node and can\'t be attached to another',
    );
    expect(multiAttachMessage('pv-1', 'default', [{ namespace: 'default', name: 'a' }, { namespace: 'default', name: 'b' }])).toBe(
      'Multi-Attach error for volume "pv-1" Volume is already used by pod(s) a, b',
    );
    expect(multiAttachMessage('pv-1', 'default', [{ namespace: 'default', name: 'a' }, { namespace: 'x', name: 'c' }])).toBe(
      'Multi-Attach error for volume "pv-1" Volume is already used by pod(s) a and 1 pod(s) in different namespaces',
    );
    expect(multiAttachMessage('pv-1', 'default', [{ namespace: 'x', name: 'c' }, { namespace: 'y', name: 'd' }])).toBe(
      'Multi-Attach error for volume "pv-1" Volume is already used by 2 pod(s) in different namespaces',
    );
  });
});
