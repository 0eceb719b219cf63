import { describe, expect, it } from '@jest/globals';
import { brokenChain, intactChain, plainFrame } from './fixtures.js';
import { chainLine, StorageView } from './StorageView.js';

describe('StorageView', () => {
  it('prints each chain Pod → PVC → PV → VMDK → VM(s) with both views of attached, and the lock', () => {
    expect(chainLine(intactChain)).toBe('cassandra/cassandra-1@worker-2 → PVC cassandra/data-1 (Bound) → PV pvc-2 → [vsanDatastore] kubevols/pvc-2.vmdk → worker-2(worker-2,poweredOn); k8s: attached to worker-2; lock: worker-2 on esxi-03');
  });

  it('names the broken link with ✗ and an intact chain with ✓, so neither depends on colour', () => {
    const text = plainFrame(<StorageView chains={[brokenChain, intactChain]} width={240} height={6} />);
    expect(text).toMatch(/^── Storage\[2\] ─/);
    expect(text).toContain('  ✗ Multi-Attach: pvc-1 is still attached to worker-2');
    expect(text).toContain('  ✓ chain intact');
  });

  it('shows as many chains as fit (two lines each), scrolled to the selection, and marks a changed one', () => {
    const text = plainFrame(<StorageView chains={[brokenChain, intactChain]} width={240} height={3} selected={1} changed={[false, true]} />);
    expect(text).not.toContain('Multi-Attach');
    expect(text).toMatch(/^\* cassandra\/cassandra-1@worker-2/m);
    expect(plainFrame(<StorageView chains={[]} width={40} height={3} />)).toContain('No claims.');
  });

  it('leads a chain a hazard touches with ⚠ and names the hazards where it would say the chain is intact', () => {
    const text = plainFrame(<StorageView chains={[brokenChain, intactChain]} width={240} height={6} hazards={[['VolumeDataDeleted'], ['DetachedWhileMounted', 'SplitBrain']]} />);
    expect(text).toMatch(/^⚠ cassandra\/cassandra-0@worker-0 → /m);
    expect(text).toContain('  ✗ Multi-Attach: pvc-1 is still attached to worker-2; ⚠ VolumeDataDeleted (:hz)');
    expect(text).toMatch(/^⚠ cassandra\/cassandra-1@worker-2 → /m);
    expect(text).toContain('  ⚠ DetachedWhileMounted, SplitBrain (:hz)');
    expect(text).not.toContain('chain intact');
  });
});
