import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '@failsim/scenarios';
import { findLibraryScenario } from '../library.js';
import { captureRun, kubectlVersionOf, reasonFor, WATCH_ABOVE_ROWS, type Snapshot } from './capture.js';
import { transcript } from './transcript.js';

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

describe('reasonFor', () => {
  it('names up to six subjects, then the first three and a count', () => {
    expect(reasonFor(['node/a NotReady', 'node/b NotReady'])).toBe('node/a NotReady, node/b NotReady');
    expect(reasonFor(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])).toBe('a, b, c and 5 more');
  });
});

/**
 * A Deployment of 30 Pods on three workers, scaled to `replicas` at 30 s, worker-2
 * powered off at 1 min (profile 1.14: taint-based eviction ~5m45s later).
 */
const deployment = (replicas: number): ReturnType<typeof captureRun> => {
  const dir = mkdtempSync(join(tmpdir(), 'failsim-capture-'));
  writeFileSync(join(dir, 'web.yaml'), `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: ${Math.min(replicas, 30)}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx:1.15 }] }
`);
  writeFileSync(join(dir, 'scenario.yaml'), `metadata: { name: large-deployment, title: A large Deployment on a powered-off worker }
profile: "1.14"
storage: vcp
cluster:
  nodes:
    - { name: master-0, role: control-plane, zone: az1 }
    - { name: worker-0, role: worker, zone: az1, host: esxi-01 }
    - { name: worker-1, role: worker, zone: az1, host: esxi-02 }
    - { name: worker-2, role: worker, zone: az1, host: esxi-03 }
  vsphere:
    hosts: [esxi-01, esxi-02, esxi-03]
    datastores: [{ name: vsanDatastore }]
resources: [{ file: web.yaml }]
steps:
  - { at: 30s, run: "kubectl scale deployment/web --replicas=${replicas} -n shop" }
  - { id: poweroff, at: 1m, run: "govc vm.power -off {{ vm of node worker-2 }}" }
seed: 3
until: 8m
`);
  const loaded = loadScenario(join(dir, 'scenario.yaml'));
  if (loaded._tag === 'Left') throw new Error(JSON.stringify(loaded.left));
  return captureRun(loaded.right);
};

describe(`captureRun of a cluster with more than ${WATCH_ABOVE_ROWS} Pods`, () => {
  const { result, snapshots } = deployment(60);
  const rows = (s: Snapshot): string[] => s.lines.slice(1);
  const watches = snapshots.filter((s) => s.command === 'kubectl get pods -o wide -n shop --watch');
  const evictedAt = snapshots.find((s) => s.command.includes('Pods Terminating'))?.at;

  it('prints whole tables while they are short, then only the rows that changed, as a --watch pane', () => {
    const whole = snapshots.filter((s) => s.command === 'kubectl get pods -o wide -n shop');
    expect(whole.length).toBeGreaterThan(0);
    expect(Math.max(...whole.map((s) => rows(s).length))).toBeLessThanOrEqual(WATCH_ABOVE_ROWS);
    expect(watches.length).toBeGreaterThan(0);
    expect(watches.every((s) => !s.typed && s.lines[0]!.startsWith('NAME '))).toBe(true);
    expect(whole.every((s) => s.at < watches[0]!.at)).toBe(true);
  });

  it('shows at the eviction the evicted Pods and their replacements, not the Pods that ran on', () => {
    expect(evictedAt).toBeDefined();
    const atEviction = watches.filter((s) => s.at === evictedAt).flatMap(rows);
    const terminating = atEviction.filter((r) => / Terminating /.test(r));
    expect(terminating.length).toBeGreaterThan(5);
    expect(terminating.every((r) => / worker-2 /.test(r))).toBe(true);
    expect(atEviction.filter((r) => / Running /.test(r))).toEqual([]);
    expect(atEviction.filter((r) => / Pending /.test(r))).toHaveLength(terminating.length);
  });

  it('describes one of the Pods that reached a status together and says of how many', () => {
    const describes = snapshots.filter((s) => s.at === evictedAt && s.command.startsWith('kubectl describe pod'));
    const terminating = watches.filter((s) => s.at === evictedAt).flatMap(rows).filter((r) => / Terminating /.test(r));
    expect(describes).toHaveLength(1);
    expect(describes[0]!.command).toMatch(new RegExp(`^kubectl describe pod web-[a-z0-9-]+ -n shop {3}# one of ${terminating.length} Pods Terminating$`));
    expect(describes[0]!.lines.some((l) => /^Status: +Terminating/.test(l))).toBe(true);
  });

  it('counts the routine of Pods starting on one line per instant in the transcript, and keeps the rest', () => {
    const text = transcript(result, snapshots);
    expect(text).not.toMatch(/pod\/shop\/web-\S+ {2}Normal (Pulling|Started):/);
    expect(text).not.toMatch(/pod\/shop\/web-\S+ {2}status Pending → ContainerCreating/);
    const routine = text.split('\n').filter((l) => /^T\+\d\d:\d\d {4}routine starts/.test(l));
    expect(routine.length).toBeGreaterThan(0);
    // Every Pod's start is counted: 30, then 30 more scaled up at 30 s, then the evicted ones' replacements.
    const started = routine.map((l) => Number(/Started ([\d,]+)/.exec(l)?.[1]?.replace(',', '') ?? 0)).reduce((a, b) => a + b, 0);
    const evicted = watches.filter((s) => s.at === evictedAt).flatMap(rows).filter((r) => / Terminating /.test(r)).length;
    expect(started).toBe(60 + evicted);
    expect(text).toMatch(/pod\/shop\/web-\S+ {2}status Running → Terminating/);
    expect(text).toMatch(/pod\/shop\/web-\S+ {2}Normal TaintManagerEviction:/);
  });

  it('describes at the end one Pod of each STATUS', () => {
    const end = snapshots.filter((s) => s.reason === 'end of run' && s.command.startsWith('kubectl describe pod'));
    const evicted = watches.filter((s) => s.at === evictedAt).flatMap(rows).filter((r) => / Terminating /.test(r)).length;
    // The evicted Pods stay Terminating: their node is gone, no kubelet confirms the deletion.
    expect(end.map((s) => s.command.replace(/web-[a-z0-9-]+/, 'web-…'))).toEqual([
      'kubectl describe pod web-… -n shop   # one of 60 Pods Running',
      `kubectl describe pod web-… -n shop   # one of ${evicted} Pods Terminating`,
    ]);
  });
});

describe(`captureRun of a cluster with at most ${WATCH_ABOVE_ROWS} Pods`, () => {
  it('prints whole tables and describes every Pod that reached a status', () => {
    const { snapshots } = deployment(9);
    expect(snapshots.some((s) => s.command.endsWith('--watch'))).toBe(false);
    const tables = snapshots.filter((s) => s.command === 'kubectl get pods -o wide -n shop');
    const evicted = snapshots.filter((s) => s.command.startsWith('kubectl describe pod') && s.reason !== 'end of run' && s.lines.some((l) => /^Status: +Terminating/.test(l)));
    expect(evicted.length).toBeGreaterThan(0);
    expect(evicted.every((s) => !s.command.includes('#'))).toBe(true);
    // Each Pod at the end: nine Running and the evicted ones still Terminating.
    expect(snapshots.filter((s) => s.reason === 'end of run' && s.command.startsWith('kubectl describe pod'))).toHaveLength(tables.at(-1)!.lines.length - 1);
    expect(tables.at(-1)!.lines.length - 1).toBeGreaterThan(9);
  });
});
