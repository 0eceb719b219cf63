import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '@failsim/scenarios';
import { findLibraryScenario } from '../library.js';
import { captureRun, kubectlVersionOf, type Snapshot } from './capture.js';

const poweroff = (): ReturnType<typeof captureRun> => {
  const loaded = loadScenario(findLibraryScenario('statefulset-node-poweroff')!);
  if (loaded._tag === 'Left') throw new Error('the library scenario does not load');
  return captureRun(loaded.right);
};

describe('kubectlVersionOf', () => {
  it('reads the minor version of a profile name or a kubelet version', () => {
    expect(kubectlVersionOf('1.12')).toBe('1.12');
    expect(kubectlVersionOf('v1.28.15')).toBe('1.28');
    expect(kubectlVersionOf('latest')).toBeUndefined();
  });
});

describe('captureRun (the seed article power-off, Kubernetes 1.12)', () => {
  const { result, snapshots, title } = poweroff();
  const at = (seconds: number, command: string): Snapshot | undefined => snapshots.find((s) => Math.floor(s.at) === seconds && s.command === command);

  it('returns the runner result and the scenario title', () => {
    expect(result.passed).toBe(true);
    expect(title).toContain('powered-off');
  });

  it('shows the power-off as vSphere Recent Tasks after the govc step', () => {
    const tasks = at(82, 'vSphere Client: Recent Tasks');
    expect(tasks?.typed).toBe(false);
    expect(tasks?.reason).toBe('step done');
    expect(tasks?.lines[1]).toMatch(/^Power Off virtual machine {3}worker-2 {3}Completed {3}govc {8}0 ms {9}06\/13\/2019, 1:01:22 PM {3}06\/13\/2019, 1:01:22 PM$/);
  });

  it('prints kubectl get nodes when the node goes NotReady 48 s later, ages measured then', () => {
    const nodes = at(130, 'kubectl get nodes');
    expect(nodes?.reason).toBe('node/worker-2 NotReady');
    expect(nodes?.lines).toContain('worker-2   NotReady   <none>   2m10s   v1.12.4');
  });

  it('prints the pod Unknown (1.12 NodeLost) and describes it, once the instant has settled', () => {
    const pods = snapshots.filter((s) => Math.floor(s.at) === 390 && s.command === 'kubectl get pods -o wide -n cassandra');
    expect(pods).toHaveLength(1);
    expect(pods[0]!.reason).toBe('pod/cassandra/cassandra-0 Unknown');
    expect(pods[0]!.lines[1]).toMatch(/^cassandra-0 {3}1\/1 {5}Unknown {3}0 {10}6m30s {3}10\.200\.\d+\.\d+ {3}worker-2 {3}<none>/);
    const describe = at(390, 'kubectl describe pod cassandra-0 -n cassandra');
    expect(describe?.lines).toContain('Reason:                    NodeLost');
    expect(describe?.lines).toContain('Message:                   Node worker-2 which was running pod cassandra-0 is unresponsive');
  });

  it('prints a table again only when its rows changed: nothing for the cqlsh steps', () => {
    const tables = snapshots.filter((s) => s.command === 'kubectl get nodes');
    expect(tables.map((s) => Math.floor(s.at))).toEqual([0, 130, 4282]);
  });

  it('describes the new pod at its first FailedAttachVolume and its first FailedMount, not at the repeat', () => {
    const describes = snapshots.filter((s) => s.command.startsWith('kubectl describe pod') && s.reason !== 'end of run');
    expect(describes.map((s) => s.reason)).toEqual(['pod/cassandra/cassandra-0 Unknown', 'pod/cassandra/cassandra-0 FailedAttachVolume', 'pod/cassandra/cassandra-0 FailedMount']);
  });

  it('ends with the Events sorted by LAST SEEN (1.12 prints KIND) and the pod described', () => {
    const end = snapshots.filter((s) => s.reason === 'end of run');
    expect(end.map((s) => s.command)).toEqual([
      'kubectl get events -n cassandra --sort-by=.lastTimestamp',
      'kubectl get events --sort-by=.lastTimestamp',
      'kubectl describe pod cassandra-0 -n cassandra',
    ]);
    expect(end[0]!.lines[0]).toMatch(/^LAST SEEN {3}TYPE {6}REASON {19}KIND {10}MESSAGE$/);
    expect(end[0]!.lines.some((l) => /Warning {3}FailedAttachVolume .*Multi-Attach error/.test(l))).toBe(true);
    expect(end[2]!.lines).toContain('Status:             Running');
  });

  it('keeps the snapshots in virtual time order', () => {
    const times = snapshots.map((s) => s.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
