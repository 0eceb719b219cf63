// The article's "StatefulSet behaviour on Node power off" on its PKS cluster (Kubernetes
// 1.12, VCP, Cassandra on a raid-1 vSAN volume) and the BOSH recovery after it, with the
// windows of shared/reference/storage-vsphere-bosh.md §10.2; and the mistake the article
// warns against (removing the disk from the VM without keeping its file). Only operator
// actions are scripted: govc, kubectl delete node, bosh cck.
import { describe, expect, it } from '@jest/globals';
import { podColumns, runCql, type VolumeData } from '@failsim/controllers';
import * as E from 'fp-ts/lib/Either.js';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import { articleEnvironment, type ArticleEnvironment } from './article-environment.js';
import { articleCassandra, writeArticleRow } from './article-workloads.js';

const cassandra = articleCassandra();

const ROW = '    100 |     Cork |   Cormac |       999 | 1000000';

/** The article's cluster with cassandra-0 running and its row written. */
const running = (seed: string) => {
  const env: ArticleEnvironment = articleEnvironment({ seed });
  const { cluster, vcenter } = env;
  const client = cluster.sim.api.client('test');
  const clock = cluster.sim.clock;
  const pod = (): Pod | undefined => {
    const got = client.get('Pod', 'cassandra-0', 'cassandra');
    return E.isRight(got) ? got.right : undefined;
  };
  const node = (name: string): Node | undefined => {
    const got = client.get('Node', name);
    return E.isRight(got) ? got.right : undefined;
  };
  const ready = (name: string): string | undefined => node(name)?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const events = (namespace: string, name: string): Event[] => {
    const listed = client.list('Event', { namespace, fieldSelector: `involvedObject.name=${name}` });
    return E.isRight(listed) ? [...listed.right.items] : [];
  };
  /** When the first event with this reason and text, stamped at or after `since` (to the second), was recorded on cassandra-0. */
  const firstAt = (reason: string, text: string, since = 0): number | undefined => {
    const at = (ev: Event): number => Date.parse(ev.firstTimestamp ?? '') - clock.epochMs;
    const e = events('cassandra', 'cassandra-0').find((ev) => ev.reason === reason && (ev.message ?? '').includes(text) && at(ev) >= Math.floor(since / 1000) * 1000);
    return e ? at(e) : undefined;
  };
  const runUntil = (predicate: () => boolean, limitMs: number): number | undefined => {
    const end = clock.now() + limitMs;
    while (clock.now() < end) {
      if (predicate()) return clock.now();
      clock.runFor(500);
    }
    return predicate() ? clock.now() : undefined;
  };
  /** Runs a bosh command to its end; the printed lines. */
  const bosh = (line: string, answers: readonly (string | { text: string; afterMs: number })[] = []): string[] => {
    const out = env.bosh.run(line, { answers });
    if (E.isLeft(out)) throw new Error(out.left.message);
    const lines: string[] = [];
    let done = false;
    out.right.subscribe({ next: (l) => lines.push(l), complete: () => (done = true) });
    const end = clock.now() + 3_600_000;
    while (!done && clock.now() < end) clock.runFor(1_000);
    return lines;
  };

  clock.runFor(120_000);
  const applied = cluster.kubectl.apply(cassandra);
  if (E.isLeft(applied)) throw new Error(applied.left);
  runUntil(() => pod()?.status?.phase === 'Running', 300_000);
  const first = pod()!;
  const oldNode = first.spec!.nodeName!;
  const oldVm = env.vmForNode.get(oldNode)!;
  const claim = client.get('PersistentVolumeClaim', 'cassandra-data-cassandra-0', 'cassandra');
  const pvName = E.isRight(claim) ? (claim.right.spec?.volumeName ?? '') : '';
  const pv = client.get('PersistentVolume', pvName);
  const vmdk = E.isRight(pv) ? (pv.right.spec?.vsphereVolume?.volumePath ?? '') : '';
  const data: VolumeData = { read: (k) => vcenter.file(vmdk)?.content.get(k), write: (k, v) => void vcenter.file(vmdk)?.content.set(k, v) };
  const written = writeArticleRow(cluster.kubectl);
  if (E.isLeft(written)) throw new Error(written.left);
  const pvDiskName = (vm: string): string => {
    const disk = vcenter.vm(vm)?.disks.find((d) => d.fileName === vmdk);
    return disk ? `disk-${disk.controllerKey}-${disk.unitNumber}` : '';
  };
  // The VMDK's content read directly: after the file is deleted no pod can run to exec into.
  return { env, client, clock, pod, ready, events, firstAt, runUntil, bosh, first, oldNode, oldVm, pvName, vmdk, data, pvDiskName };
};

const nonBlank = (lines: readonly string[]): string[] => lines.filter((l) => l.trim() !== '');

describe('article: power-off of the worker VM, kubectl delete node, then bosh cck (1.12, VCP)', () => {
  const w = running('article-power-off');
  const { env, clock, pod, ready, firstAt, runUntil, bosh, first, oldNode, oldVm, pvName, vmdk } = w;
  const { vcenter, govc } = env;

  // (a) Power-off.
  const poweredOff = clock.now();
  const off = govc.run(`vm.power -off ${oldVm}`);
  const offState = vcenter.vm(oldVm)?.powerState;
  const notReady = runUntil(() => ready(oldNode) === 'Unknown', 120_000);
  const marked = runUntil(() => pod()?.metadata?.deletionTimestamp !== undefined, 600_000);
  clock.runFor(15 * 60_000);
  const stuck = pod();
  const disksWhileStuck = vcenter.vmsWithDisk(vmdk).map((vm) => vm.name);
  const multiWhileStuck = firstAt('FailedAttachVolume', 'Multi-Attach error');

  const deleted = clock.now();
  const deleteNode = env.cluster.kubectl.deleteNode(oldNode);
  const recreated = runUntil(() => pod() !== undefined && pod()!.metadata?.uid !== first.metadata?.uid && pod()!.spec?.nodeName !== undefined, 60_000);
  const newNode = pod()?.spec?.nodeName;
  const attached = runUntil(() => firstAt('SuccessfulAttachVolume', `AttachVolume.Attach succeeded for volume "${pvName}" `, deleted) !== undefined, 600_000);
  const addDiskFailed = firstAt('FailedAttachVolume', 'Failed to add disk', deleted);
  const runningAgain = runUntil(() => pod()?.status?.phase === 'Running', 300_000);
  const disksAfterAttach = vcenter.vmsWithDisk(vmdk).map((vm) => vm.name).sort();
  const lockAfterAttach = vcenter.lockHolder(vmdk)?.vm;
  const rowsAfterAttach = env.cluster.kubectl.exec('cassandra-0', ['cqlsh', '-e', 'SELECT * FROM mydemo.emp'], 'cassandra');

  it('powers the VM off and the node goes NotReady after the 40 s grace period', () => {
    expect(E.isRight(off)).toBe(true);
    expect(offState).toBe('poweredOff');
    expect((notReady! - poweredOff) / 1000).toBeGreaterThanOrEqual(40);
    expect((notReady! - poweredOff) / 1000).toBeLessThanOrEqual(50);
  });

  it('marks the pod for deletion ≈ 5 min later (NodeLost, Unknown) and leaves it so, with no detach', () => {
    expect((marked! - notReady!) / 1000).toBeGreaterThanOrEqual(250);
    expect((marked! - poweredOff) / 1000).toBeLessThanOrEqual(350);
    expect(stuck?.metadata?.uid).toBe(first.metadata?.uid);
    expect(stuck?.status?.reason).toBe('NodeLost');
    expect(podColumns(stuck!).status).toBe('Unknown');
    expect(disksWhileStuck).toEqual([oldVm]);
    expect(multiWhileStuck).toBeUndefined();
  });

  it('after kubectl delete node: re-created ≤ 20 s, Multi-Attach once, force detach 6 min after the pod deletion, attach succeeds', () => {
    expect(E.isRight(deleteNode)).toBe(true);
    expect(recreated! - deleted).toBeLessThanOrEqual(20_000);
    expect(newNode).toBeDefined();
    expect(newNode).not.toBe(oldNode);
    const multi = w.events('cassandra', 'cassandra-0').filter((e) => e.reason === 'FailedAttachVolume' && e.message?.startsWith('Multi-Attach error'));
    expect(multi).toHaveLength(1);
    expect(multi[0]!.message).toBe(`Multi-Attach error for volume "${pvName}" Volume is already exclusively attached to one node and can't be attached to another`);
    // The pod object went at `recreated` at the latest; the force detach is 6 min after it.
    const afterDelete = (attached! - deleted) / 1000;
    expect(afterDelete).toBeGreaterThan(360);
    expect(afterDelete).toBeLessThanOrEqual(380);
    expect(addDiskFailed).toBeUndefined();
  });

  it('runs cassandra-0 on the new node with the row, the old (off) VM still listing the disk', () => {
    expect(runningAgain).toBeDefined();
    const newVm = env.vmForNode.get(newNode!)!;
    expect(disksAfterAttach).toEqual([oldVm, newVm].sort());
    expect(lockAfterAttach).toBe(newVm);
    expect(E.isRight(rowsAfterAttach) && rowsAfterAttach.right).toContain(ROW);
  });

  // (b) Recovery through BOSH.
  const worker = `worker/${oldNode} (${[...env.vmForNode.keys()].indexOf(oldNode)})`;
  const desc = `VM for '${worker}' with cloud ID '${oldVm}' is not responding.`;
  const instanceId = env.director.deployment(env.deployment)!.instances.find((i) => i.vmCid === oldVm)!.id;
  const firstCck = bosh(`bosh -d ${env.deployment} cck`, [{ text: '2', afterMs: 20_000 }, { text: 'y', afterMs: 5_000 }]);
  const stillOff = vcenter.vm(oldVm)?.powerState;
  const machineAfterFailure = env.cluster.machines.state(oldNode);
  const powerOns = vcenter.recentTasks().filter((t) => t.name === 'Power On virtual machine' && t.target === oldVm);
  const diskName = w.pvDiskName(oldVm);
  const removed = govc.run(`device.remove -vm ${oldVm} -keep ${diskName}`);
  clock.runFor(60_000);
  const secondCck = bosh(`bosh -d ${env.deployment} cck`, [{ text: '2', afterMs: 5_000 }, { text: 'y', afterMs: 5_000 }]);
  const nodeBack = runUntil(() => ready(oldNode) === 'True', 300_000);

  it('bosh cck sees one unresponsive agent and Reboot VM fails after 00:04:04 with the CPI error', () => {
    const lines = nonBlank(firstCck);
    expect(lines.some((l) => /^Task 1677 \| \d\d:\d\d:\d\d \| Scanning 5 VMs: 4 OK, 1 unresponsive, 0 missing, 0 unbound \(00:00:00\)$/.test(l))).toBe(true);
    expect(lines.some((l) => l.endsWith('Scanning 5 VMs: Checking VM states (00:00:21)'))).toBe(true);
    expect(lines.some((l) => l.endsWith('Scanning 5 persistent disks: 5 OK, 0 missing, 0 inactive, 0 mount-info mismatch (00:00:00)'))).toBe(true);
    expect(lines).toContain(`2  unresponsive_agent  ${desc}`);
    expect(lines.some((l) => l.endsWith(`Applying problem resolutions: ${desc} (unresponsive_agent ${instanceId}): Reboot VM (00:04:04)`))).toBe(true);
    const error = lines.find((l) => l.trim().startsWith('L Error:'))!.trim();
    expect(error).toMatch(
      /^L Error: Unknown CPI error 'Unknown' with message 'File system specific implementation of OpenFile\[file\] failed' in 'reboot_vm' CPI method \(CPI request ID: 'cpi-\d{6}'\)$/,
    );
    expect(lines).toContain('Task 1678 Duration 00:04:04');
    expect(lines.at(-1)).toBe('Exit code 1');
    expect(stillOff).toBe('poweredOff');
    expect(machineAfterFailure.powered).toBe(false);
    // vCenter's Recent Tasks: the CPI's two power-on attempts (retry_block), failed on the lock.
    expect(powerOns.map((t) => [t.status, t.initiator, t.error])).toEqual([
      ['Failed', 'bosh-vsphere-cpi', 'File system specific implementation of OpenFile[file] failed'],
      ['Failed', 'bosh-vsphere-cpi', 'File system specific implementation of OpenFile[file] failed'],
    ]);
  });

  it('after govc device.remove -keep, cck Reboot VM succeeds in ≈ 00:01:21 and the node is Ready again', () => {
    expect(diskName).toMatch(/^disk-\d+-\d+$/);
    expect(E.isRight(removed)).toBe(true);
    expect(vcenter.file(vmdk)).toBeDefined();
    const lines = nonBlank(secondCck);
    expect(lines).toContain(`3  unresponsive_agent  ${desc}`);
    expect(lines.some((l) => l.endsWith(`Applying problem resolutions: ${desc} (unresponsive_agent ${instanceId}): Reboot VM (00:01:21)`))).toBe(true);
    expect(lines.at(-1)).toBe('Succeeded');
    expect(vcenter.vm(oldVm)?.powerState).toBe('poweredOn');
    expect(env.cluster.machines.state(oldNode)).toEqual({ powered: true, partitioned: false, kubeletRunning: true });
    expect(nodeBack).toBeDefined();
    // The workload stays where it is, with its data.
    expect(pod()?.spec?.nodeName).toBe(newNode);
    expect(pod()?.status?.phase).toBe('Running');
    const rows = env.cluster.kubectl.exec('cassandra-0', ['cqlsh', '-e', 'SELECT * FROM mydemo.emp'], 'cassandra');
    expect(E.isRight(rows) && rows.right).toContain(ROW);
    env.stop();
  });
});

describe('article: govc device.remove without -keep deletes the volume (the mistake the article warns about)', () => {
  const w = running('article-delete-vmdk');
  const { env, clock, pod, firstAt, runUntil, oldNode, oldVm, pvName, vmdk, data } = w;
  const { vcenter, govc } = env;
  const rowBefore = env.cluster.kubectl.exec('cassandra-0', ['cqlsh', '-e', 'SELECT * FROM mydemo.emp'], 'cassandra');
  env.cluster.kubectl.deleteNode(oldNode);
  runUntil(() => firstAt('FailedAttachVolume', 'Multi-Attach error') !== undefined, 60_000);
  const diskName = w.pvDiskName(oldVm);
  const removedAt = clock.now();
  const removed = govc.run(`device.remove -vm ${oldVm} ${diskName}`);
  const warnings = w.events('default', pvName).filter((e) => e.reason === 'VolumeDataDeleted');
  const addFailed = runUntil(() => firstAt('FailedAttachVolume', `AttachVolume.Attach failed for volume "${pvName}" : Failed to add disk`) !== undefined, 600_000);

  it('deletes the VMDK from the datastore with the device', () => {
    expect(E.isRight(rowBefore) && rowBefore.right).toContain(ROW);
    expect(E.isRight(removed)).toBe(true);
    expect(vcenter.file(vmdk)).toBeUndefined();
    expect(vcenter.vmsWithDisk(vmdk)).toEqual([]);
    expect(vcenter.recentTasks().some((t) => t.name === 'Reconfigure virtual machine' && t.target === oldVm && t.status === 'Completed')).toBe(true);
  });

  it('says so: a Warning VolumeDataDeleted from failsim on the PV, naming the file and the PV', () => {
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      type: 'Warning',
      reason: 'VolumeDataDeleted',
      source: { component: 'failsim' },
      involvedObject: { kind: 'PersistentVolume', name: pvName },
    });
    expect(warnings[0]!.message).toContain(vmdk);
    expect(warnings[0]!.message).toContain(pvName);
    // Event times are whole seconds.
    expect(Date.parse(warnings[0]!.firstTimestamp!) - clock.epochMs).toBe(Math.floor(removedAt / 1000) * 1000);
  });

  it('the row is gone, and the new node cannot attach a file that no longer exists', () => {
    expect(runCql(data, {}, 'SELECT * FROM mydemo.emp')).toEqual(E.left('<stdin>:1:InvalidRequest: Error from server: code=2200 [Invalid query] message="unconfigured table emp"'));
    expect(addFailed).toBeDefined();
    expect(podColumns(pod()!).status).toBe('ContainerCreating');
    env.stop();
  });
});
