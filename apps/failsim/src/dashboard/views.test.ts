import { describe, expect, it } from '@jest/globals';
import { complete, completionContext, viewFor, type CompletionContext } from './views.js';
import { testSession } from './test-session.js';

describe('views', () => {
  it('resolves kubectl names and aliases', () => {
    expect(viewFor('po')).toBe('pods');
    expect(viewFor('no')).toBe('nodes');
    expect(viewFor('PVC')).toBe('storage');
    expect(viewFor('ev')).toBe('events');
    expect(viewFor('bosh')).toBe('bosh');
    expect(viewFor('kubectl')).toBeUndefined();
  });

  it('completes view names and step tools', () => {
    expect(complete('ku')).toEqual(['kubectl']);
    expect(complete('cl')).toEqual(['clocks', 'clock']);
    expect(complete('st')).toEqual(['storage', 'step']);
    expect(complete('kubectl get')).toEqual([]);
  });

  it('completes arguments from the command grammar and the names in the run', () => {
    const ctx: CompletionContext = { nodes: ['worker-0', 'worker-1', 'master-0'], pods: ['cassandra/cassandra-0'], vms: ['vm-w0'], steps: ['ready', 'poweroff'] };
    expect(complete('kubectl de', ctx)).toEqual(['kubectl delete']);
    expect(complete('kubectl delete ', ctx)).toEqual(['kubectl delete node', 'kubectl delete pod']);
    expect(complete('kubectl delete node w', ctx)).toEqual(['kubectl delete node worker-0', 'kubectl delete node worker-1']);
    expect(complete('kubectl delete pod c', ctx)).toEqual(['kubectl delete pod cassandra-0 -n cassandra']);
    expect(complete('kubectl cordon m', ctx)).toEqual(['kubectl cordon master-0']);
    expect(complete('govc vm.power -off ', ctx)).toEqual(['govc vm.power -off vm-w0']);
    expect(complete('partition node worker-1', ctx)).toEqual([]);
    expect(complete('heal n', ctx)).toEqual(['heal node']);
    expect(complete('step p', ctx)).toEqual(['step poweroff']);
    expect(complete('clocks ', ctx)).toEqual(['clocks all']);
    expect(complete('kubectl delete node worker-0 ', ctx)).toEqual([]);
  });

  it('takes the names from the run', () => {
    const session = testSession();
    session.advance(60_000);
    const ctx = completionContext(session);
    expect(ctx.nodes).toEqual(['master-0', 'worker-0', 'worker-1', 'worker-2', 'worker-3']);
    expect(ctx.pods).toContain('cassandra/cassandra-0');
    expect(ctx.steps).toEqual(['ready', 'poweroff', 'delete-node', 'read-back']);
    expect(ctx.vms).toHaveLength(5);
  });
});
