import { describe, expect, it } from '@jest/globals';
import { faultCommand } from './fault-commands.js';

describe('faultCommand', () => {
  it('spells each fault key as the command an operator would type', () => {
    expect(faultCommand('power-off', 'worker-1', 'vm-1')).toBe('govc vm.power -off vm-1');
    expect(faultCommand('power-on', 'worker-1', 'vm-1')).toBe('govc vm.power -on vm-1');
    expect(faultCommand('delete-node', 'worker-1', 'vm-1')).toBe('kubectl delete node worker-1');
    expect(faultCommand('drain', 'worker-1', undefined)).toBe('kubectl drain worker-1 --ignore-daemonsets --delete-emptydir-data');
    expect(faultCommand('partition', 'worker-1', undefined)).toBe('partition node worker-1');
    expect(faultCommand('power-off', 'worker-1', undefined)).toBeUndefined();
    expect(faultCommand('quit', 'worker-1', 'vm-1')).toBeUndefined();
  });
});
