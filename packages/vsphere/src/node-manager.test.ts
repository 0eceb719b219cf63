import { describe, expect, it, jest } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, Informer } from '@failsim/core';
import type { Node } from 'kubernetes-types/core/v1.js';
import { lastValueFrom, type Observable } from 'rxjs';
import { NodeManager } from './node-manager.js';
import { Vcenter } from './vcenter.js';

const setup = () => {
  const sim = createSimulation({ seed: 'node-manager' });
  const vcenter = new Vcenter({ clock: sim.clock, random: sim.random.fork('vcenter') });
  for (const host of ['10.27.51.11', '10.27.51.12']) vcenter.addHost(host);
  vcenter.addDatastore({ name: 'vsanDatastore', type: 'vsan', capacityBytes: 2 ** 40 });
  const w1 = vcenter.createVm({ name: 'vm-w1', host: '10.27.51.11' });
  const w2 = vcenter.createVm({ name: 'vm-w2', host: '10.27.51.12' });
  const kubectl = sim.api.client('kubectl');
  const manager = new NodeManager(vcenter, new Informer(sim.api.client('vsphere-cloud-provider'), 'Node'));
  manager.start();
  // The rule before the lookup was skipped: every ADDED and MODIFIED Node looks its system
  // UUID up, a VM found replaces the registration, none found leaves it.
  const reference = new Map<string, string>();
  new Informer(sim.api.client('reference'), 'Node').events$.subscribe(({ type, object }) => {
    const name = object.metadata?.name ?? '';
    if (type === 'DELETED') return void reference.delete(name);
    const uuid = object.status?.nodeInfo?.systemUUID;
    const vm = uuid ? vcenter.vmByUuid(uuid) : undefined;
    if (vm) reference.set(name, vm.name);
  });
  const agree = (): void => {
    for (const name of ['w1', 'w2', 'w3']) expect(manager.vmFor(name)).toBe(reference.get(name));
  };
  const node = (name: string): Node => {
    const got = kubectl.get('Node', name);
    if (E.isLeft(got)) throw new Error(got.left.message);
    return got.right;
  };
  /** A kubelet heartbeat: the Ready condition's lastHeartbeatTime moves, nothing else. */
  const heartbeat = (name: string): void => {
    const n = node(name);
    const at = new Date(sim.clock.now()).toISOString();
    kubectl.updateStatus('Node', { ...n, status: { ...n.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: at }] } });
  };
  const setUuid = (name: string, systemUUID: string): void => {
    const n = node(name);
    kubectl.updateStatus('Node', { ...n, status: { ...n.status, nodeInfo: { ...n.status?.nodeInfo, systemUUID } as never } });
  };
  const settle = async (task: Observable<void>): Promise<void> => {
    const done = lastValueFrom(task, { defaultValue: undefined });
    sim.clock.runUntilIdle({ until: sim.clock.now() + 3_600_000 });
    await done;
  };
  for (const [name, vm] of [['w1', w1], ['w2', w2]] as const) {
    kubectl.create('Node', { metadata: { name }, status: { nodeInfo: { systemUUID: vm.uuid.toUpperCase() } as never } });
  }
  return { sim, vcenter, kubectl, manager, agree, heartbeat, setUuid, settle, w1, w2 };
};

describe('NodeManager', () => {
  it('registers each node to the VM whose BIOS UUID is its system UUID, and forgets it with the Node', () => {
    const { manager, kubectl, agree } = setup();
    expect(manager.vmFor('w1')).toBe('vm-w1');
    expect(manager.vmFor('w2')).toBe('vm-w2');
    agree();
    kubectl.delete('Node', 'w1');
    expect(manager.vmFor('w1')).toBeUndefined();
    agree();
  });

  it('looks a heartbeat’s unchanged system UUID up no more, and agrees with a lookup on every update', () => {
    const { sim, vcenter, manager, heartbeat, agree } = setup();
    const lookups = jest.spyOn(vcenter, 'vmByUuid');
    for (let i = 0; i < 5; i++) {
      sim.clock.runFor(10_000);
      heartbeat('w1');
      heartbeat('w2');
    }
    // The reference looks up on each of the ten updates; the manager on none.
    expect(lookups).toHaveBeenCalledTimes(10);
    expect(manager.vmFor('w1')).toBe('vm-w1');
    agree();
  });

  it('follows a changed system UUID, keeps a registration whose VM is gone, and finds a VM created later', async () => {
    const { sim, vcenter, kubectl, manager, heartbeat, setUuid, settle, agree, w2 } = setup();
    // w1 now reports vm-w2's UUID (lower case this time): re-registered.
    setUuid('w1', w2.uuid);
    expect(manager.vmFor('w1')).toBe('vm-w2');
    agree();
    // vm-w2 unregistered: the lookup finds nothing and the registration stands (nodemanager.go
    // keeps a node's info until the Node goes).
    await settle(vcenter.powerOff('vm-w2'));
    await settle(vcenter.unregisterVm('vm-w2'));
    expect(vcenter.vm('vm-w2')).toBeUndefined();
    heartbeat('w1');
    heartbeat('w2');
    expect(manager.vmFor('w1')).toBe('vm-w2');
    agree();
    // Re-created under its name with a new UUID: still not the UUID the nodes report.
    vcenter.createVm({ name: 'vm-w2', host: '10.27.51.12' });
    heartbeat('w1');
    expect(manager.vmFor('w1')).toBe('vm-w2');
    agree();
    // A node whose VM does not exist yet registers once it does.
    kubectl.create('Node', { metadata: { name: 'w3' }, status: { nodeInfo: { systemUUID: '4237aaaa-0000-4000-8000-000000000003' } as never } });
    expect(manager.vmFor('w3')).toBeUndefined();
    vcenter.createVm({ name: 'vm-w3', host: '10.27.51.11', uuid: '4237aaaa-0000-4000-8000-000000000003' });
    sim.clock.runFor(10_000);
    heartbeat('w3');
    expect(manager.vmFor('w3')).toBe('vm-w3');
    agree();
  });
});
