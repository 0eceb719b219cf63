import { describe, expect, it } from '@jest/globals';
import { nodeStatus } from '@failsim/controllers';
import { setTimeout as sleep } from 'node:timers/promises';
import * as E from 'fp-ts/lib/Either.js';
import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { config, type Observable } from 'rxjs';
import { diskName, settled } from '@failsim/vsphere';
import { articleEnvironment } from '../environment/article-environment.js';
import { Recorder } from './recorder.js';

const settledRight = (task: Observable<unknown>): boolean => E.isRight(settled(task));

describe('Recorder', () => {
  it('records VM power and node status changes, from null on creation', () => {
    const env = articleEnvironment({ seed: 'recorder', nodes: [{ name: 'w1', role: 'worker' }], vmName: () => 'vm-w1' });
    const recorder = new Recorder(env, env.cluster.sim.clock.now());
    recorder.start();
    env.cluster.sim.clock.runFor(10_000);
    env.govc.run('vm.power -off vm-w1');
    env.cluster.sim.clock.runFor(60_000);
    recorder.stop();
    const mine = recorder.transitions.filter((t) => t.object === 'VirtualMachine/vm-w1' || t.object === 'Node/w1');
    expect(mine.map(({ object, field, from, to }) => [object, field, from, to])).toEqual([
      ['VirtualMachine/vm-w1', 'power', null, 'poweredOn'],
      ['Node/w1', 'status', null, 'Ready'],
      ['VirtualMachine/vm-w1', 'power', 'poweredOn', 'poweredOff'],
      ['Node/w1', 'status', 'Ready', 'NotReady'],
      // 1.12: TaintNodesByCondition (beta) taints it NoSchedule; TaintBasedEvictions is alpha, off.
      ['Node/w1', 'taints', null, 'node.kubernetes.io/unreachable:NoSchedule'],
    ]);
    expect(mine[2]!.at).toBe(10);
    expect(recorder.events.some((e) => e.reason === 'NodeNotReady' && e.object === 'Node/w1')).toBe(true);
  });
});

describe('Recorder follows Node taints', () => {
  it('records a Node’s taints once it has one, as kubectl describe prints them, until it is Ready again', () => {
    const env = articleEnvironment({ seed: 'recorder-taints', profile: '1.14', nodes: [{ name: 'w1', role: 'worker' }, { name: 'w2', role: 'worker' }], vmName: (n) => `vm-${n.name}` });
    const clock = env.cluster.sim.clock;
    const recorder = new Recorder(env, clock.now());
    recorder.start();
    clock.runFor(10_000);
    env.cluster.kubectl.taint('w2', 'dedicated=db:NoSchedule');
    env.govc.run('vm.power -off vm-w1');
    clock.runFor(120_000);
    env.govc.run('vm.power -on vm-w1');
    clock.runFor(120_000);
    recorder.stop();
    const taints = recorder.transitions.filter((t) => t.field === 'taints').map(({ object, from, to }) => [object, from, to]);
    const unreachable = 'node.kubernetes.io/unreachable';
    expect(taints).toEqual([
      ['Node/w2', null, 'dedicated=db:NoSchedule'],
      // 1.14: the NoSchedule taint on the Node update, then the rate-limited NoExecute pass.
      ['Node/w1', null, `${unreachable}:NoSchedule`],
      ['Node/w1', `${unreachable}:NoSchedule`, `${unreachable}:NoSchedule,${unreachable}:NoExecute`],
      ['Node/w1', `${unreachable}:NoSchedule,${unreachable}:NoExecute`, `${unreachable}:NoExecute`],
      ['Node/w1', `${unreachable}:NoExecute`, ''],
    ]);
  });
});

describe('Recorder follows a CSI volume through its first-class disk', () => {
  it('re-reads a PV whose disk is created, attached, detached and deleted after it', () => {
    const env = articleEnvironment({ seed: 'recorder-fcd', nodes: [{ name: 'w1', role: 'worker' }], vmName: () => 'vm-w1' });
    const clock = env.cluster.sim.clock;
    const vcenter = env.vcenter;
    const recorder = new Recorder(env, clock.now());
    recorder.start();
    const pv: PersistentVolume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], csi: { driver: 'csi.vsphere.vmware.com', volumeHandle: 'fcd-1' } } };
    env.cluster.sim.api.client('test').create('PersistentVolume', pv);
    clock.runFor(1_000);
    const path = '[vsanDatastore] fcd/one.vmdk';
    // Another disk first: a file change that moves nothing of pv-1.
    expect(E.isRight(vcenter.createDisk({ path: '[vsanDatastore] fcd/other.vmdk', capacityInKB: 1024, fcdId: 'fcd-2' }))).toBe(true);
    expect(E.isRight(vcenter.createDisk({ path, capacityInKB: 1024, fcdId: 'fcd-1' }))).toBe(true);
    const attach = (): void => void expect(settledRight(vcenter.addDisk('vm-w1', { fileName: path }, { durationMs: 0 }))).toBe(true);
    const detach = (): void => {
      const disk = vcenter.vm('vm-w1')!.disks.find((d) => d.fileName === path)!;
      expect(settledRight(vcenter.removeDevice('vm-w1', diskName(disk), true, { durationMs: 0 }))).toBe(true);
    };
    attach();
    clock.runFor(1_000);
    detach();
    clock.runFor(1_000);
    attach();
    detach();
    expect(E.isRight(vcenter.deleteDisk(path))).toBe(true);
    clock.runFor(1_000);
    recorder.stop();
    expect(recorder.transitions.filter((t) => t.object === 'PersistentVolume/pv-1').map((t) => t.to)).toEqual(['', 'vm-w1', '', 'vm-w1', '']);
  });
});

describe('Recorder follows objects by name', () => {
  it('records a Pod deleted and re-created under the same name from null again, and its node only once bound', () => {
    const env = articleEnvironment({ seed: 'recorder-pods', nodes: [{ name: 'w1', role: 'worker' }], vmName: () => 'vm-w1' });
    const clock = env.cluster.sim.clock;
    const recorder = new Recorder(env, clock.now());
    recorder.start();
    clock.runFor(10_000);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    env.cluster.kubectl.apply([pod]);
    clock.runFor(30_000);
    env.cluster.kubectl.deletePod('p', { namespace: 'default', force: true, gracePeriod: 0 });
    clock.runFor(5_000);
    env.cluster.kubectl.apply([pod]);
    clock.runFor(30_000);
    recorder.stop();
    const mine = recorder.transitions.filter((t) => t.object === 'Pod/default/p').map(({ field, from, to }) => [field, from, to]);
    expect(mine).toEqual([
      ['status', null, 'Pending'],
      ['node', null, 'w1'],
      ['status', 'Pending', 'ContainerCreating'],
      ['status', 'ContainerCreating', 'Running'],
      ['status', 'Running', null],
      ['node', 'w1', null],
      ['status', null, 'Pending'],
      ['node', null, 'w1'],
      ['status', 'Pending', 'ContainerCreating'],
      ['status', 'ContainerCreating', 'Running'],
    ]);
  });
});

describe('Recorder skips Node heartbeats', () => {
  it('records the same Node STATUS transitions as reading STATUS from every Node update', () => {
    const env = articleEnvironment({ seed: 'recorder-heartbeats', nodes: [{ name: 'w1', role: 'worker' }, { name: 'w2', role: 'worker' }], vmName: (n) => `vm-${n.name}` });
    const clock = env.cluster.sim.clock;
    const recorder = new Recorder(env, clock.now());
    recorder.start();
    // The reference: STATUS of every Node update, heartbeats included, kept when it changes.
    const expected: string[] = [];
    const last = new Map<string, string>();
    let updates = 0;
    const keep = (key: string, to: string): void => {
      if (last.get(key) !== to) expected.push(`${key} ${last.get(key) ?? 'null'} -> ${to}`);
      last.set(key, to);
    };
    env.cluster.sim.api.client('reference').watch('Node').subscribe(({ type, object }) => {
      const name = object.metadata?.name ?? '';
      if (type === 'MODIFIED') updates++;
      keep(`Node/${name} status`, type === 'DELETED' ? 'null' : nodeStatus(object));
      const taints = type === 'DELETED' ? 'null' : (object.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(',');
      if (taints !== '' || last.has(`Node/${name} taints`)) keep(`Node/${name} taints`, taints);
    });
    clock.runFor(60_000);
    env.cluster.kubectl.cordon('w2');
    clock.runFor(30_000);
    env.govc.run('vm.power -off vm-w1');
    clock.runFor(90_000);
    env.cluster.kubectl.uncordon('w2');
    clock.runFor(30_000);
    env.cluster.kubectl.deleteNode('w1');
    clock.runFor(30_000);
    recorder.stop();
    const recorded = recorder.transitions.filter((t) => t.object.startsWith('Node/')).map((t) => `${t.object} ${t.field} ${t.from ?? 'null'} -> ${t.to ?? 'null'}`);
    // Dozens of heartbeats, a handful of STATUS changes.
    expect(updates).toBeGreaterThan(20);
    expect(recorded).toEqual(expected);
    expect(recorded).toEqual([
      'Node/w1 status null -> Ready',
      'Node/w2 status null -> Ready',
      'Node/w2 status Ready -> Ready,SchedulingDisabled',
      'Node/w2 taints null -> node.kubernetes.io/unschedulable:NoSchedule',
      'Node/w1 status Ready -> NotReady',
      'Node/w1 taints null -> node.kubernetes.io/unreachable:NoSchedule',
      'Node/w2 status Ready,SchedulingDisabled -> Ready',
      'Node/w2 taints node.kubernetes.io/unschedulable:NoSchedule -> ',
      'Node/w1 status NotReady -> null',
      'Node/w1 taints node.kubernetes.io/unreachable:NoSchedule -> null',
    ]);
  });
});

describe('Recorder reports a listener’s exception as RxJS does', () => {
  it('hands it to config.onUnhandledError and goes on recording', async () => {
    const env = articleEnvironment({ seed: 'recorder-throw', nodes: [{ name: 'w1', role: 'worker' }], vmName: () => 'vm-w1' });
    const clock = env.cluster.sim.clock;
    const reported: unknown[] = [];
    const before = config.onUnhandledError;
    config.onUnhandledError = (error) => void reported.push(error);
    try {
      const recorder = new Recorder(env, clock.now(), {
        transition: (t) => {
          if (t.object === 'Node/w1') throw new Error(`listener: ${t.to}`);
        },
      });
      recorder.start();
      clock.runFor(10_000);
      env.govc.run('vm.power -off vm-w1');
      clock.runFor(60_000);
      recorder.stop();
      // RxJS reports on a 0 ms host timer (reportUnhandledError): one set after them fires after.
      await sleep(0);
      const told = ['Ready', 'NotReady', 'node.kubernetes.io/unreachable:NoSchedule'];
      expect(reported.map((e) => (e as Error).message)).toEqual(told.map((to) => `listener: ${to}`));
      expect(recorder.transitions.filter((t) => t.object === 'Node/w1').map((t) => t.to)).toEqual(told);
    } finally {
      config.onUnhandledError = before;
    }
  });
});
