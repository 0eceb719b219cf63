import { describe, expect, it } from '@jest/globals';
import { keyHints } from '../keys.js';
import { headerData, plainFrame } from './fixtures.js';
import { Header } from './Header.js';

describe('Header', () => {
  it('shows scenario, profile, storage, clock, date, speed, state, next step and the key hints', () => {
    const lines = plainFrame(<Header data={headerData} width={200} />).split('\n');
    expect(lines[0]).toBe('failsim statefulset-node-poweroff  profile 1.12  storage kubernetes.io/vsphere-volume (VCP)');
    expect(lines[1]).toBe('T+02:50  2019-06-13 13:02:50 UTC  speed 10×  PAUSED  next: delete-node: kubectl delete node worker-2 at T+1:11:22');
    expect(lines[2]).toBe(keyHints());
  });

  it('truncates to the width instead of wrapping', () => {
    const lines = plainFrame(<Header data={headerData} width={40} />).split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
  });

  it('badges the hazards in words after the run state, and says where --serve serves the run', () => {
    const lines = plainFrame(<Header data={{ ...headerData, hazards: 2, serving: 'http://127.0.0.1:8001  KUBECONFIG=/tmp/failsim-8001.kubeconfig' }} width={240} />).split('\n');
    expect(lines[0]).toBe('failsim statefulset-node-poweroff  profile 1.12  storage kubernetes.io/vsphere-volume (VCP)  serving http://127.0.0.1:8001  KUBECONFIG=/tmp/failsim-8001.kubeconfig');
    expect(lines[1]).toBe('T+02:50  2019-06-13 13:02:50 UTC  speed 10×  PAUSED  ⚠ 2 hazards  next: delete-node: kubectl delete node worker-2 at T+1:11:22');
    // At 80 columns the badge is still on screen.
    expect(plainFrame(<Header data={{ ...headerData, hazards: 1 }} width={80} />).split('\n')[1]).toContain('PAUSED  ⚠ 1 hazard ');
  });
});
