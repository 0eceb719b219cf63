// The storage half of the article's "StatefulSet behaviour on Node delete" on its PKS
// cluster (Kubernetes 1.12, VCP, Cassandra with a raid-1 vSAN volume), with the windows of
// shared/reference/storage-vsphere-bosh.md §10.1. Nothing here is scripted beyond the
// operator's actions: kubectl delete node, then govc device.remove -keep.
import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { podColumns } from '@failsim/controllers';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { vsphereCluster } from '@failsim/vsphere';
import { articleCassandra, writeArticleRow } from './article-workloads.js';

const cassandra = articleCassandra();

describe('article: kubectl delete node while the VM keeps running (1.12, VCP)', () => {
  const env = vsphereCluster({ profile: '1.12', seed: 'article' });
  const { cluster, vcenter, govc } = env;
  const client = cluster.sim.api.client('test');
  const clock = cluster.sim.clock;
  const pod = (): Pod | undefined => {
    const got = client.get('Pod', 'cassandra-0', 'cassandra');
    return E.isRight(got) ? got.right : undefined;
  };
  const events = (): Event[] => {
    const listed = client.list('Event', { namespace: 'cassandra', fieldSelector: 'involvedObject.name=cassandra-0' });
    return E.isRight(listed) ? [...listed.right.items] : [];
  };
  const firstAt = (reason: string, text: string): number | undefined => {
    const e = events().find((ev) => ev.reason === reason && (ev.message ?? '').includes(text));
    return e ? Date.parse(e.firstTimestamp ?? '') - clock.epochMs : undefined;
  };
  const runUntil = (predicate: () => boolean, limitMs: number): number | undefined => {
    const end = clock.now() + limitMs;
    while (clock.now() < end) {
      if (predicate()) return clock.now();
      clock.runFor(500);
    }
    return undefined;
  };

  clock.runFor(120_000);
  const applied = cluster.kubectl.apply(cassandra);
  if (E.isLeft(applied)) throw new Error(applied.left);
  const running = runUntil(() => pod()?.status?.phase === 'Running', 300_000);
  const first = pod()!;
  const oldNode = first.spec!.nodeName!;
  const oldVm = env.vmForNode.get(oldNode)!;
  const claim = client.get('PersistentVolumeClaim', 'cassandra-data-cassandra-0', 'cassandra');
  const pvName = E.isRight(claim) ? claim.right.spec?.volumeName ?? '' : '';
  const pv = client.get('PersistentVolume', pvName);
  const vmdk = E.isRight(pv) ? pv.right.spec?.vsphereVolume?.volumePath ?? '' : '';
  const written = writeArticleRow(cluster.kubectl);
  if (E.isLeft(written)) throw new Error(written.left);

  const deleted = clock.now();
  cluster.kubectl.deleteNode(oldNode);
  const recreated = runUntil(() => pod() !== undefined && pod()!.metadata?.uid !== first.metadata?.uid && pod()!.spec?.nodeName !== undefined, 60_000);
  const newNode = pod()?.spec?.nodeName;
  const addDiskFailed = runUntil(() => firstAt('FailedAttachVolume', "Failed to add disk 'scsi1:0'.") !== undefined, 600_000);
  clock.runFor(60_000);
  const stuck = pod()!;
  const oldDisk = vcenter.vm(oldVm)?.disks.find((d) => d.fileName === vmdk);
  const diskName = oldDisk ? `disk-${oldDisk.controllerKey}-${oldDisk.unitNumber}` : '';
  const diskInfo = govc.run(`device.info -vm ${oldVm} ${diskName}`);

  it('provisions the raid-1 volume on vsanDatastore and runs cassandra-0', () => {
    expect(running).toBeDefined();
    expect(vmdk).toMatch(/^\[vsanDatastore\] kubevols\/kubernetes-dynamic-pvc-[0-9a-f-]+\.vmdk$/);
    expect(vcenter.vmsWithDisk(vmdk).map((vm) => vm.name)).toEqual([oldVm]);
  });

  it('re-creates cassandra-0 on another node within 20 s of the delete (1.12 pod GC)', () => {
    expect(recreated! - deleted).toBeLessThanOrEqual(20_000);
    expect(newNode).toBeDefined();
    expect(newNode).not.toBe(oldNode);
  });

  it('reports Multi-Attach once, with the text the article shows', () => {
    const multi = events().filter((e) => e.reason === 'FailedAttachVolume' && e.message?.startsWith('Multi-Attach error'));
    expect(multi).toHaveLength(1);
    expect(multi[0]!.message).toBe(`Multi-Attach error for volume "${pvName}" Volume is already exclusively attached to one node and can't be attached to another`);
  });

  it('reports FailedMount with the pre-1.16 text about two minutes after scheduling', () => {
    const at = firstAt('FailedMount', 'Unable to mount volumes for pod "cassandra-0_cassandra(');
    expect(at).toBeDefined();
    expect((at! - recreated!) / 1000).toBeGreaterThanOrEqual(120);
    expect((at! - recreated!) / 1000).toBeLessThanOrEqual(130);
    const text = events().find((e) => e.reason === 'FailedMount')!.message!;
    expect(text).toContain('timeout expired waiting for volumes to attach or mount for pod "cassandra"/"cassandra-0". list of unmounted volumes=[cassandra-data]. list of unattached volumes=[cassandra-data');
  });

  it('force-detaches after 6 min without touching vSphere, then fails to add the disk while the old VM holds it', () => {
    const seconds = (addDiskFailed! - deleted) / 1000;
    expect(seconds).toBeGreaterThan(360);
    expect(seconds).toBeLessThanOrEqual(385);
    expect(firstAt('FailedAttachVolume', `AttachVolume.Attach failed for volume "${pvName}" : Failed to add disk 'scsi1:0'.`)).toBeDefined();
    // The detach never reached vSphere: the old VM still has the disk configured.
    expect(oldDisk).toBeDefined();
    expect(E.isRight(diskInfo) && diskInfo.right.join('\n')).toContain(vmdk);
    expect(podColumns(stuck).status).toBe('ContainerCreating');
  });

  it('attaches and runs once the disk is removed from the old VM with -keep, and the row is still there', () => {
    const removed = govc.run(`device.remove -vm ${oldVm} -keep ${diskName}`);
    expect(E.isRight(removed)).toBe(true);
    const removedAt = clock.now();
    const attached = runUntil(() => firstAt('SuccessfulAttachVolume', `AttachVolume.Attach succeeded for volume "${pvName}" `) !== undefined, 200_000);
    expect((attached! - removedAt) / 1000).toBeLessThanOrEqual(123);
    expect(runUntil(() => pod()?.status?.phase === 'Running', 120_000)).toBeDefined();
    expect(vcenter.vmsWithDisk(vmdk).map((vm) => vm.name)).toEqual([env.vmForNode.get(newNode!)]);
    const rows = cluster.kubectl.exec('cassandra-0', ['cqlsh', '-e', 'SELECT * FROM mydemo.emp'], 'cassandra');
    expect(E.isRight(rows) && rows.right).toContain('    100 |     Cork |   Cormac |       999 | 1000000');
    env.stop();
  });
});
