import { describe, expect, it } from '@jest/globals';
import { renderFrame } from './render-frame.js';
import { afterPowerOff } from './test-session.js';

describe('renderFrame (the overview: header, nodes, pods, storage, clocks, events)', () => {
  it('50 virtual seconds after the power-off shows the node NotReady at 160×48', () => {
    const session = afterPowerOff(50);
    const frame = renderFrame(session);
    expect(frame).toMatch(/^failsim statefulset-node-poweroff {2}profile 1\.12 {2}storage kubernetes\.io\/vsphere-volume \(VCP\)/);
    expect(frame).toMatch(/T\+\d\d:\d\d {2}2019-06-13 \d\d:\d\d:\d\d UTC {2}speed 10× {2}RUNNING {2}next: delete-node: kubectl delete node/);
    expect(frame).toMatch(/^worker-\d +NotReady .*poweredOff/m);
    for (const panel of ['Nodes[5]', 'Pods(all)', 'Storage[1]', 'Clocks', 'Events']) expect(frame).toContain(panel);
    // Plain text whatever chalk's colour level (FORCE_COLOR in CI): no escape codes, no trailing blanks.
    expect(frame.includes(String.fromCharCode(27))).toBe(false);
    expect(frame.split('\n').some((l) => l.endsWith(' '))).toBe(false);
  });

  it('degrades to 80×24: every panel still there, no line wider than 80', () => {
    const frame = renderFrame(afterPowerOff(50), { columns: 80, rows: 24 });
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    for (const panel of ['Nodes[5]', 'Pods(all)', 'Storage[1]', 'Clocks', 'Events']) expect(frame).toContain(panel);
    expect(frame).toMatch(/NotReady/);
  });
});
