import { describe, expect, it } from '@jest/globals';
import { plainFrame, podRow } from './fixtures.js';
import { PodsView } from './PodsView.js';

describe('PodsView', () => {
  it('prints NAMESPACE NAME READY STATUS RESTARTS AGE NODE, Unknown as kubectl shows it', () => {
    const rows = [podRow('cassandra-0', { status: 'Unknown', ready: '1/1' }), podRow('web-1', { namespace: 'default', status: 'ContainerCreating', ready: '0/1', node: 'worker-0' })];
    const text = plainFrame(<PodsView rows={rows} width={120} height={6} />);
    expect(text).toMatch(/^── Pods\(all\)\[2\] ─/);
    expect(text).toMatch(/^NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE +NODE$/m);
    expect(text).toMatch(/^cassandra +cassandra-0 +1\/1 +Unknown +0 +5m +worker-2$/m);
    expect(text).toMatch(/^default +web-1 +0\/1 +ContainerCreating +0 +5m +worker-0$/m);
  });

  it('says so when there are no pods', () => {
    expect(plainFrame(<PodsView rows={[]} width={80} height={5} />)).toContain('No resources found.');
  });
});
