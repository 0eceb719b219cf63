import { describe, expect, it } from '@jest/globals';
import { plainFrame } from './fixtures.js';
import { CommandLogView, outcome } from './CommandLogView.js';

const entries = [
  { at: 170, line: 'govc vm.power -off worker-2', ok: true, output: 'Powering off VirtualMachine:vm-12... OK' },
  { at: 600, line: 'kubectl delet node worker-2', ok: false, output: 'error: unknown command "delet"' },
  { at: 610, line: 'bosh -d service-instance_3aa87d05 cck --auto', output: '' },
];

describe('CommandLogView', () => {
  it('lists each command as the real command line with its outcome in words and its first output line', () => {
    const lines = plainFrame(<CommandLogView entries={entries} width={100} height={10} />).split('\n');
    expect(lines[0]).toMatch(/^── Command log\[3\] ─/);
    expect(lines.slice(1)).toEqual([
      'T+02:50  $ govc vm.power -off worker-2  [ok]',
      '           Powering off VirtualMachine:vm-12... OK',
      'T+10:00  $ kubectl delet node worker-2  [error]',
      '           error: unknown command "delet"',
      'T+10:10  $ bosh -d service-instance_3aa87d05 cck --auto  [running]',
    ]);
    expect(entries.map(outcome)).toEqual(['ok', 'error', 'running']);
  });

  it('keeps the newest lines when they do not fit, and explains an empty log', () => {
    expect(plainFrame(<CommandLogView entries={entries} width={100} height={2} />)).toContain('[running]');
    expect(plainFrame(<CommandLogView entries={[]} width={100} height={4} />)).toContain('No commands yet');
  });
});
