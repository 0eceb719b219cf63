// The runner on the seed article's power-off scenario (windows of the storage reference
// §10.2: NotReady 40 s + one 5 s monitor tick after the power-off, the pod marked at ≈5 min
// and left Unknown, Multi-Attach at once after kubectl delete node, the force detach 6 min
// after the pod object went), a failing expectation, a `when` that times out, determinism.
import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, type LoadedScenario } from '../format/load-scenario.js';
import { parseTemplate } from '../format/reference.js';
import { runScenario } from './runner.js';

const FIXTURE = fileURLToPath(new URL('./testdata/statefulset-node-poweroff.yaml', import.meta.url));

const load = (): LoadedScenario => {
  const loaded = loadScenario(FIXTURE);
  if (E.isLeft(loaded)) throw new Error(JSON.stringify(loaded.left));
  return loaded.right;
};

describe('runScenario: statefulset-node-poweroff (1.12, VCP, BOSH)', () => {
  const loaded = load();
  const result = runScenario(loaded).runToEnd();
  const step = (prefix: string) => result.steps.find((s) => s.command.startsWith(prefix))!;
  const poweroff = step('govc vm.power -off');
  const vm = poweroff.command.split(' ').pop()!;
  const deleteNode = step('kubectl delete node');

  it('passes, with the contract fields', () => {
    expect(Object.keys(result)).toEqual(['scenario', 'profile', 'seed', 'passed', 'steps', 'events', 'transitions', 'expectations', 'hazards']);
    expect(result).toMatchObject({ scenario: 'statefulset-node-poweroff', profile: '1.12', seed: 42, passed: true });
    expect(result.expectations.map((e) => e.passed)).toEqual([true, true, true, true]);
  });

  it('runs the steps in order, resolving references when each runs', () => {
    expect(result.steps.map((s) => s.command.split(' ').slice(0, 3).join(' '))).toEqual([
      'kubectl apply -f', 'kubectl exec cassandra-0', 'govc vm.power -off', 'kubectl delete node', 'bosh -d service-instance_3aa87d05',
    ]);
    const ready = result.steps[1]!;
    expect(poweroff.at).toBe(ready.at + 60);
    expect(poweroff.output).toMatch(/^Powering off VirtualMachine:vm-\d+\.\.\. OK$/);
    // The VM of the pod's node: the scenario names VMs after their nodes.
    expect(deleteNode).toMatchObject({ at: 4500, command: `kubectl delete node ${vm}`, ok: true, output: `node "${vm}" deleted` });
    // cck fails while the new node holds the VMDK's lock (reference §9): ok=false, the run still passes.
    const cck = step('bosh');
    expect(cck.at).toBe(deleteNode.at + 1200);
    expect(cck.ok).toBe(false);
    expect(cck.output).toContain("Unknown CPI error 'Unknown' with message 'File system specific implementation of OpenFile[file] failed' in 'reboot_vm' CPI method");
  });

  it('records the transitions of the node, the pod, the PV and the VM', () => {
    const of = (object: string, field: string) => result.transitions.filter((t) => t.object === object && t.field === field);
    expect(of(`VirtualMachine/${vm}`, 'power')).toEqual([
      { at: 0, object: `VirtualMachine/${vm}`, field: 'power', from: null, to: 'poweredOn' },
      { at: poweroff.at, object: `VirtualMachine/${vm}`, field: 'power', from: 'poweredOn', to: 'poweredOff' },
      // bosh cck's reboot_vm fails to power the VM on: it stays off.
    ]);
    const notReady = of(`Node/${vm}`, 'status').find((t) => t.to === 'NotReady')!;
    expect(notReady.at - poweroff.at).toBeGreaterThanOrEqual(40);
    expect(notReady.at - poweroff.at).toBeLessThanOrEqual(50);
    expect(of(`Node/${vm}`, 'status').pop()).toMatchObject({ at: 4500, from: 'NotReady', to: null });
    const pod = of('Pod/cassandra/cassandra-0', 'status');
    const unknown = pod.find((t) => t.to === 'Unknown')!;
    expect(unknown.at - poweroff.at).toBeGreaterThanOrEqual(250);
    expect(unknown.at - poweroff.at).toBeLessThanOrEqual(350);
    // After kubectl delete node: the old pod goes, the StatefulSet's new one waits for the volume.
    expect(pod.slice(-4).map((t) => [t.from, t.to])).toEqual([['Unknown', null], [null, 'Pending'], ['Pending', 'ContainerCreating'], ['ContainerCreating', 'Running']]);
    expect(of('Pod/cassandra/cassandra-0', 'node').map((t) => [t.from, t.to])).toEqual([[null, vm], [vm, null], [null, expect.any(String)]]);
    const attached = result.transitions.filter((t) => t.field === 'attachedTo');
    expect(attached[0]).toMatchObject({ from: null, to: '' });
    expect(attached[1]).toMatchObject({ from: '', to: vm });
    // Force detach 6 min after the pod object went, then attach to the new node (§10.2).
    const moved = attached[2]!;
    expect(moved.at - deleteNode.at).toBeGreaterThan(360);
    expect(moved.at - deleteNode.at).toBeLessThanOrEqual(380);
    expect(moved.to!.split(',')).toContain(vm);
  });

  it('records every Event write with its object, count and source', () => {
    const multi = result.events.filter((e) => e.reason === 'FailedAttachVolume' && e.message.startsWith('Multi-Attach error'));
    expect(multi).toHaveLength(1);
    expect(multi[0]).toMatchObject({ type: 'Warning', object: 'Pod/cassandra/cassandra-0', count: 1, source: 'attachdetach-controller' });
    expect(multi[0]!.message).toMatch(/^Multi-Attach error for volume "pvc-[0-9a-f-]+" Volume is already exclusively attached to one node and can't be attached to another$/);
    expect(multi[0]!.at - deleteNode.at).toBeLessThanOrEqual(20);
    expect(result.events.find((e) => e.reason === 'NodeControllerEviction')).toMatchObject({ object: 'Pod/cassandra/cassandra-0', message: `Marking for deletion Pod cassandra-0 from Node ${vm}`, source: 'node-controller' });
  });

  it('explains each verdict', () => {
    expect(result.expectations[0]).toEqual({
      description: 'node/{{ node of pod cassandra/cassandra-0 }} is NotReady within 30s..50s after poweroff',
      passed: true,
      detail: expect.stringMatching(new RegExp(`^Node/${vm} became NotReady at \\d+(\\.\\d+)?s \\(4\\d(\\.\\d+)?s after poweroff\\)$`)),
    });
    expect(result.expectations[3]!.detail).toMatch(/the query answered with "Cormac"$/);
  });

  it('gives byte-identical JSON for the same scenario and seed', () => {
    expect(JSON.stringify(runScenario(loaded).runToEnd())).toBe(JSON.stringify(result));
  });
});

describe('runScenario: failures', () => {
  const loaded = load();

  it('reports an expectation that cannot hold, with what happened and when', () => {
    const [first] = loaded.expectations;
    if (first?.kind !== 'state') throw new Error('fixture changed');
    const tooSoon = { ...loaded, untilMs: 600_000, expectations: [{ ...first, within: { fromMs: 10_000, toMs: 20_000 } }] };
    const result = runScenario(tooSoon).runToEnd();
    expect(result.passed).toBe(false);
    expect(result.expectations[0]).toEqual({
      description: 'node/{{ node of pod cassandra/cassandra-0 }} is NotReady within 10s..20s after poweroff',
      passed: false,
      detail: expect.stringMatching(/^expected Node\/worker-\d NotReady between \d+s and \d+s; it was Ready at \d+s and became NotReady only at \d+(\.\d+)?s \(4\d(\.\d+)?s after poweroff\)$/),
    });
  });

  it('fails a `when` step that times out, clearly, and the run with it', () => {
    const template = parseTemplate('nope-0');
    if (E.isLeft(template)) throw new Error(template.left);
    const [ready] = loaded.steps;
    const waiting = {
      ...loaded,
      untilMs: 120_000,
      expectations: [],
      steps: [{ ...ready!, trigger: { kind: 'when' as const, object: { kind: 'pod' as const, namespace: 'cassandra', name: template.right }, status: 'Running', timeoutMs: 30_000 } }],
    };
    const result = runScenario(waiting).runToEnd();
    expect(result.passed).toBe(false);
    expect(result.steps[1]).toEqual({
      at: 30,
      command: ready!.line,
      ok: false,
      output: 'step ready: timed out after 30s waiting for pod/cassandra/nope-0 to be Running (it does not exist)',
    });
  });
});

describe('runScenario: the live handle', () => {
  it('announces the next step, tells the observer as records are made, and ends as runToEnd does', () => {
    const seen: string[] = [];
    const run = runScenario(load(), {
      observer: {
        step: (s) => seen.push(`step@${s.at} ${s.command.split(' ').slice(0, 2).join(' ')}`),
        event: (e) => seen.push(`event ${e.reason}`),
        transition: (t) => seen.push(`transition ${t.field}`),
      },
    });
    expect(run.nextStep()).toBeUndefined();
    run.start();
    run.start();
    expect(seen.filter((s) => s.startsWith('step@'))).toEqual(['step@0 kubectl apply']);
    expect(seen.filter((s) => s.startsWith('step@0 kubectl apply'))).toHaveLength(1);
    // The first step waits for cassandra-0 to be Running.
    expect(run.nextStep()).toMatchObject({ id: 'ready', condition: 'pod/cassandra/cassandra-0 is Running' });
    const clock = run.env.cluster.sim.clock;
    while (run.nextStep()?.id === 'ready') clock.step();
    // The power-off comes one minute after the ready step, at a known virtual second.
    const poweroff = run.nextStep()!;
    expect(poweroff.id).toBe('poweroff');
    const readyAt = run.recorder.seconds();
    expect(poweroff.dueAt).toBe(readyAt + 60);
    expect(run.stepsDone()).toBe(false);
    const live = run.runToEnd();
    expect(run.stepsDone()).toBe(true);
    expect(run.nextStep()).toBeUndefined();
    expect(seen.filter((s) => s.startsWith('step@'))).toHaveLength(live.steps.length);
    expect(seen.filter((s) => s.startsWith('event '))).toHaveLength(live.events.length);
    expect(seen.filter((s) => s.startsWith('transition '))).toHaveLength(live.transitions.length);
    // Stepping the clock by hand first does not change the story.
    expect(JSON.stringify(live)).toBe(JSON.stringify(runScenario(load()).runToEnd()));
  });
});

describe('runScenario: free runs and commands typed live', () => {
  it('runs no scripted step with free, and runs a typed command as a step would', () => {
    const run = runScenario(load(), { free: true });
    run.start();
    expect(run.stepsDone()).toBe(true);
    expect(run.nextStep()).toBeUndefined();
    run.env.cluster.sim.clock.runFor(5 * 60_000);
    const records: string[] = [];
    expect(run.command('kubectl cordon {{ node of pod cassandra/cassandra-0 }}', (r) => records.push(r.output))).toEqual(E.right(undefined));
    expect(records).toEqual([expect.stringMatching(/^node\/worker-\d cordoned$/)]);
    const result = run.finish();
    expect(result.steps.map((s) => s.command.split(' ').slice(0, 2).join(' '))).toEqual(['kubectl apply', 'kubectl cordon']);
    expect(result.steps[1]!.at).toBe(300);
  });

  it('deletes several nodes by name or by label selector in one command, as kubectl does', () => {
    const run = runScenario(load(), { free: true });
    run.start();
    run.env.cluster.sim.clock.runFor(5 * 60_000);
    const records: { ok: boolean; output: string }[] = [];
    const typed = (line: string): void => {
      expect(run.command(line, (r) => records.push({ ok: r.ok, output: r.output }))).toEqual(E.right(undefined));
    };
    typed('kubectl delete nodes worker-3 worker-2');
    typed('kubectl delete node -l kubernetes.io/hostname=worker-1');
    typed('kubectl delete node -l kubernetes.io/hostname=worker-1');
    typed('kubectl delete node worker-1 worker-0');
    expect(records).toEqual([
      { ok: true, output: 'node "worker-3" deleted\nnode "worker-2" deleted' },
      { ok: true, output: 'node "worker-1" deleted' },
      { ok: true, output: 'No resources found' },
      { ok: false, output: 'Error from server (NotFound): nodes "worker-1" not found\nnode "worker-0" deleted' },
    ]);
    const nodes = run.env.cluster.sim.api.client('test').list('Node');
    expect(E.isRight(nodes) && nodes.right.items.map((n) => n.metadata?.name)).toEqual(['master-0']);
  });

  it('refuses a line that does not parse or names nothing, and changes nothing', () => {
    const run = runScenario(load(), { free: true });
    run.start();
    const before = run.env.cluster.sim.api.resourceVersion;
    expect(run.command('kubectl cordno worker-0')).toEqual(E.left(expect.stringContaining('cordno')));
    expect(run.command('kubectl cordon {{ node of pod cassandra/nope }}')).toMatchObject({ _tag: 'Left' });
    expect(run.env.cluster.sim.api.resourceVersion).toBe(before);
    expect(run.finish().steps).toHaveLength(1);
  });
});

describe('runScenario: the datastores of cluster.vsphere', () => {
  it('builds every declared datastore, so a StorageClass may name any of them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'failsim-datastores-'));
    writeFileSync(join(dir, 'x.yaml'), `metadata: { name: two-datastores, title: A claim on the second datastore }
profile: "1.14"
storage: vcp
cluster:
  nodes: [{ name: master-0, role: control-plane }, { name: worker-0, role: worker, host: esxi-01 }]
  vsphere:
    hosts: [esxi-01, esxi-02, esxi-03]
    datastores: [{ name: vsanDatastore }, { name: nfsDatastore }]
resources:
  - { apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: { name: nfs }, provisioner: kubernetes.io/vsphere-volume, parameters: { datastore: nfsDatastore } }
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: { name: db, namespace: default }
    spec:
      serviceName: db
      replicas: 1
      selector: { matchLabels: { app: db } }
      template:
        metadata: { labels: { app: db } }
        spec: { containers: [{ name: db, image: db:1, volumeMounts: [{ name: data, mountPath: /data }] }] }
      volumeClaimTemplates:
        - metadata: { name: data }
          spec: { accessModes: [ReadWriteOnce], storageClassName: nfs, resources: { requests: { storage: 1Gi } } }
steps:
  - { at: 2m, run: kubectl cordon worker-0 }
expectations:
  - state: { object: pod/default/db-0, status: Running, within: "0s..2m" }
until: 3m
`);
    const loaded = loadScenario(join(dir, 'x.yaml'));
    if (E.isLeft(loaded)) throw new Error(JSON.stringify(loaded.left));
    const run = runScenario(loaded.right);
    const result = run.runToEnd();
    expect(run.env.vcenter.datastores().map((d) => d.name)).toEqual(['vsanDatastore', 'nfsDatastore']);
    expect(result.passed).toBe(true);
    expect(run.env.vcenter.files().filter((f) => f.path.includes('kubevols')).map((f) => f.datastore)).toEqual(['nfsDatastore']);
  });
});
