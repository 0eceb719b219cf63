import { describe, expect, it } from '@jest/globals';
import { plainFrame } from './fixtures.js';
import { DescribeView } from './DescribeView.js';

describe('DescribeView', () => {
  it('shows the title and the describe lines that fit, blank lines kept', () => {
    const lines = ['Name:         cassandra-0', '', 'Events:', '  Type     Reason', '  Warning  FailedAttachVolume'];
    const out = plainFrame(<DescribeView title="pod/cassandra/cassandra-0" lines={lines} width={60} height={4} />).split('\n');
    expect(out[0]).toMatch(/^── Describe pod\/cassandra\/cassandra-0 ─+$/);
    expect(out.slice(1)).toEqual(['Name:         cassandra-0', '', 'Events:']);
  });
});
