import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { profile114, profile128, withOverrides } from '../profiles/profiles.js';
import { CONTROLLER_MANAGED_ATTACH_ANNOTATION } from '../kubelet/kubelet-node-status.js';
import { attachmentName } from './operation-executor.js';
import { detachInputsChanged } from './attach-detach-controller.js';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import {
  createBoundClaim,
  createManagedNode,
  createPodWithClaim,
  eventsFor,
  forceDeletePod,
  setNodeReady,
  setup,
  setVolumesInUse,
  taintNode,
  uniqueName,
  type Harness,
} from './test-fixtures.js';

const SIX_MIN = 360_000;

const unwrapRight = <T>(r: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** A pod on w1 using pv-1, attached and reported mounted by the kubelet. */
const mountedOnW1 = (h: Harness, at = 1_000): void => {
  createManagedNode(h.client, 'w1');
  createManagedNode(h.client, 'w2');
  createBoundClaim(h.client, 'data', 'pv-1');
  h.sim.clock.runUntil(at);
  createPodWithClaim(h.client, 'web-0', 'w1', 'data');
  setVolumesInUse(h.client, 'w1', [uniqueName('pv-1')]);
  h.sim.clock.runFor(1_000);
  expect(h.plugin.isAttached('pv-1', 'w1')).toBe(true);
};

const detachTimes = (h: Harness): number[] => h.plugin.callsOf('detach').map((c) => c.at);

describe('AttachDetachController', () => {
  it('attaches a scheduled pod volume at the next pass, tells the pod and lists it in node status', () => {
    const h = setup(profile114, { attachDurationMs: 2_000 });
    createManagedNode(h.client, 'w1');
    createBoundClaim(h.client, 'data', 'pv-1');
    h.sim.clock.runUntil(1_050);
    createPodWithClaim(h.client, 'web-0', 'w1', 'data');
    h.sim.clock.runFor(5_000);
    // On the 100 ms grid: the pod appeared at 1.05 s, the pass at 1.1 s starts the attach.
    expect(h.plugin.callsOf('attach').map((c) => [c.volume, c.node, c.at])).toEqual([['pv-1', 'w1', 1_100]]);
    const events = eventsFor(h.client, 'web-0');
    expect(events.map((e) => [e.type, e.reason, e.message])).toEqual([
      ['Normal', 'SuccessfulAttachVolume', 'AttachVolume.Attach succeeded for volume "pv-1" '],
    ]);
    expect(events[0]!.firstTimestamp).toBe(h.sim.clock.iso(3_100));
    const node = h.client.get('Node', 'w1');
    expect(E.isRight(node) && node.right.status?.volumesAttached).toEqual([{ name: uniqueName('pv-1'), devicePath: '/dev/disk/by-id/fake-pv-1' }]);
  });

  it('holds the last written version of a pod with a claim after status writes that keep its spec, with or without other changes between', () => {
    const h = setup(profile114);
    createManagedNode(h.client, 'w1');
    createBoundClaim(h.client, 'data', 'pv-1');
    createBoundClaim(h.client, 'logs', 'pv-2');
    h.sim.clock.runUntil(1_000);
    createPodWithClaim(h.client, 'web-0', 'w1', 'data');
    h.sim.clock.runFor(1_000);
    const scheduledVersions = (): [string, (string | undefined)[]][] =>
      h.adc.dsw.getVolumesToAttach().map((v) => [v.volumeName, v.scheduledPods.map((p) => p.metadata?.resourceVersion)]);
    const writeStatus = (phase: string): string | undefined => {
      const pod = unwrapRight(h.client.get('Pod', 'web-0'));
      return unwrapRight(h.client.updateStatus('Pod', { ...pod, status: { ...pod.status, phase } })).metadata?.resourceVersion;
    };
    // Nothing else changed since the pod was processed: its entries are only given the new version.
    const first = writeStatus('Running');
    h.sim.clock.runFor(100);
    expect(scheduledVersions()).toEqual([[uniqueName('pv-1'), [first]]]);
    // A claim event between (what the pod reads may have changed): processed again in full.
    createPodWithClaim(h.client, 'web-1', 'w1', 'logs');
    h.sim.clock.runFor(100);
    const second = writeStatus('Running');
    h.sim.clock.runFor(100);
    const web1 = unwrapRight(h.client.get('Pod', 'web-1')).metadata?.resourceVersion;
    expect(scheduledVersions()).toEqual([
      [uniqueName('pv-1'), [second]],
      [uniqueName('pv-2'), [web1]],
    ]);
    expect(h.plugin.isAttached('pv-1', 'w1')).toBe(true);
  });

  it('detaches an unmounted volume at the next pass and clears node status first', () => {
    const h = setup(profile114);
    mountedOnW1(h);
    setVolumesInUse(h.client, 'w1', []); // the kubelet unmounted it
    h.sim.clock.runUntil(10_030);
    forceDeletePod(h.client, 'web-0');
    h.sim.clock.runFor(1_000);
    expect(detachTimes(h)).toEqual([10_100]);
    expect(h.plugin.isAttached('pv-1', 'w1')).toBe(false);
    const node = h.client.get('Node', 'w1');
    expect(E.isRight(node) && node.right.status?.volumesAttached).toBeUndefined();
    expect(h.adc.reconciler.forcedDetaches).toEqual([]);
  });

  it('keeps the volume of a Terminating pod whose containers still run (DetermineVolumeAction)', () => {
    const h = setup(profile114);
    mountedOnW1(h);
    h.client.delete('Pod', 'web-0'); // graceful: deletionTimestamp, containers still running
    h.sim.clock.runFor(3_600_000);
    expect(detachTimes(h)).toEqual([]);
  });

  describe('force detach after maxWaitForUnmountDuration (6 min)', () => {
    it('1.14: detaches a still-mounted volume from a healthy node at 6 min', () => {
      const h = setup(profile114);
      mountedOnW1(h);
      h.sim.clock.runUntil(10_000);
      forceDeletePod(h.client, 'web-0');
      h.sim.clock.runUntil(10_000 + SIX_MIN - 1);
      expect(detachTimes(h)).toEqual([]);
      h.sim.clock.runFor(1_000);
      expect(detachTimes(h)).toEqual([10_000 + SIX_MIN]);
      expect(h.adc.reconciler.forcedDetaches.map((f) => f.reason)).toEqual(['timeout']);
    });

    it('1.28: never from a healthy node, at 6 min from an unhealthy one', () => {
      const h = setup(profile128);
      mountedOnW1(h);
      h.sim.clock.runUntil(10_000);
      forceDeletePod(h.client, 'web-0');
      h.sim.clock.runUntil(3_600_050);
      expect(detachTimes(h)).toEqual([]);
      // The timer has long run out: the node turning NotReady detaches at the next pass.
      setNodeReady(h.client, 'w1', 'Unknown');
      h.sim.clock.runFor(1_000);
      expect(detachTimes(h)).toEqual([3_600_100]);

      const g = setup(profile128);
      mountedOnW1(g);
      setNodeReady(g.client, 'w1', 'Unknown');
      g.sim.clock.runUntil(10_000);
      forceDeletePod(g.client, 'web-0');
      g.sim.clock.runUntil(10_000 + SIX_MIN - 1);
      expect(detachTimes(g)).toEqual([]);
      g.sim.clock.runFor(1_000);
      expect(detachTimes(g)).toEqual([10_000 + SIX_MIN]);
    });

    it('--disable-force-detach-on-timeout: never, even from an unhealthy node', () => {
      const h = setup(withOverrides(profile128, { options: { disableForceDetachOnTimeout: true } }));
      mountedOnW1(h);
      setNodeReady(h.client, 'w1', 'Unknown');
      h.sim.clock.runUntil(10_000);
      forceDeletePod(h.client, 'web-0');
      h.sim.clock.runFor(3_600_000);
      expect(detachTimes(h)).toEqual([]);
    });

    it('out-of-service taint: detaches at once (gate NodeOutOfServiceVolumeDetach)', () => {
      const h = setup(profile128);
      mountedOnW1(h);
      setNodeReady(h.client, 'w1', 'Unknown');
      h.sim.clock.runUntil(10_000);
      forceDeletePod(h.client, 'web-0');
      h.sim.clock.runUntil(20_050);
      taintNode(h.client, 'w1', { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' });
      h.sim.clock.runFor(1_000);
      expect(detachTimes(h)).toEqual([20_100]);
      expect(h.adc.reconciler.forcedDetaches.map((f) => f.reason)).toEqual(['out-of-service']);

      // 1.14 has no such gate: the taint changes nothing, the 6 min timer decides.
      const g = setup(profile114);
      mountedOnW1(g);
      g.sim.clock.runUntil(10_000);
      forceDeletePod(g.client, 'web-0');
      g.sim.clock.runUntil(20_050);
      taintNode(g.client, 'w1', { key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' });
      g.sim.clock.runFor(SIX_MIN);
      expect(detachTimes(g)).toEqual([10_000 + SIX_MIN]);
    });

    it('resets the timer when the volume is desired again on the node', () => {
      const h = setup(profile114);
      mountedOnW1(h);
      h.sim.clock.runUntil(10_000);
      forceDeletePod(h.client, 'web-0');
      h.sim.clock.runUntil(200_000);
      createPodWithClaim(h.client, 'web-0', 'w1', 'data');
      h.sim.clock.runUntil(300_000);
      forceDeletePod(h.client, 'web-0');
      h.sim.clock.runUntil(300_000 + SIX_MIN + 1_000);
      expect(detachTimes(h)).toEqual([300_000 + SIX_MIN]);
    });
  });

  describe('Multi-Attach', () => {
    it('names the pods that still use the volume on the other node, once', () => {
      const h = setup(profile114);
      createManagedNode(h.client, 'w1');
      createManagedNode(h.client, 'w2');
      createBoundClaim(h.client, 'data', 'pv-1');
      createPodWithClaim(h.client, 'web-0', 'w1', 'data');
      h.sim.clock.runFor(1_000);
      createPodWithClaim(h.client, 'web-1', 'w2', 'data');
      h.sim.clock.runFor(600_000);
      const events = eventsFor(h.client, 'web-1');
      expect(events.map((e) => [e.type, e.reason, e.message, e.count])).toEqual([
        ['Warning', 'FailedAttachVolume', 'Multi-Attach error for volume "pv-1" Volume is already used by pod(s) web-0', 1],
      ]);
      expect(h.plugin.callsOf('attach').map((c) => c.node)).toEqual(['w1']);
    });

    it("says 'exclusively attached' when no pod on the other node uses it, and attaches after the detach", () => {
      const h = setup(profile114);
      mountedOnW1(h);
      h.sim.clock.runUntil(10_000);
      forceDeletePod(h.client, 'web-0');
      createPodWithClaim(h.client, 'web-0', 'w2', 'data');
      h.sim.clock.runFor(SIX_MIN + 1_000);
      const events = eventsFor(h.client, 'web-0');
      expect(events.map((e) => [e.reason, e.message, e.count])).toEqual([
        ['SuccessfulAttachVolume', 'AttachVolume.Attach succeeded for volume "pv-1" ', 1],
        ['FailedAttachVolume', 'Multi-Attach error for volume "pv-1" Volume is already exclusively attached to one node and can\'t be attached to another', 1],
        // The new web-0 is a new object (new uid), so a new Event.
        ['SuccessfulAttachVolume', 'AttachVolume.Attach succeeded for volume "pv-1" ', 1],
      ]);
      // Detach (6 min after the delete) and the attach to w2 in the same pass: detaches come first.
      expect(detachTimes(h)).toEqual([10_000 + SIX_MIN]);
      expect(h.plugin.callsOf('attach').map((c) => [c.node, c.at])).toEqual([
        ['w1', 1_000],
        ['w2', 10_000 + SIX_MIN + 100],
      ]);
    });

    it('lets ReadWriteMany volumes attach to several nodes', () => {
      const h = setup(profile114);
      createManagedNode(h.client, 'w1');
      createManagedNode(h.client, 'w2');
      createBoundClaim(h.client, 'shared', 'pv-rwx', ['ReadWriteMany']);
      createPodWithClaim(h.client, 'a', 'w1', 'shared');
      createPodWithClaim(h.client, 'b', 'w2', 'shared');
      h.sim.clock.runFor(1_000);
      expect(h.plugin.callsOf('attach').map((c) => c.node)).toEqual(['w1', 'w2']);
    });
  });

  it('retries a failed attach with back-off 0.5, 1, 2, 4 s and reports each failure', () => {
    const h = setup(profile114);
    createManagedNode(h.client, 'w1');
    createBoundClaim(h.client, 'data', 'pv-1');
    h.plugin.failAttach("Failed to add disk 'scsi1:0'.", "Failed to add disk 'scsi1:0'.", "Failed to add disk 'scsi1:0'.", "Failed to add disk 'scsi1:0'.");
    createPodWithClaim(h.client, 'web-0', 'w1', 'data');
    h.sim.clock.runFor(20_000);
    expect(h.plugin.callsOf('attach').map((c) => c.at)).toEqual([0, 500, 1_500, 3_500, 7_500]);
    const events = eventsFor(h.client, 'web-0');
    expect(events.map((e) => [e.type, e.reason, e.message, e.count])).toEqual([
      ['Warning', 'FailedAttachVolume', 'AttachVolume.Attach failed for volume "pv-1" : Failed to add disk \'scsi1:0\'.', 4],
      ['Normal', 'SuccessfulAttachVolume', 'AttachVolume.Attach succeeded for volume "pv-1" ', 1],
    ]);
  });

  it('marks a volume the plugin no longer reports detached at the 60 s sync, then attaches it again', () => {
    const h = setup(profile114);
    createManagedNode(h.client, 'w1');
    createBoundClaim(h.client, 'data', 'pv-1');
    createPodWithClaim(h.client, 'web-0', 'w1', 'data');
    h.sim.clock.runFor(1_000);
    h.plugin.forget('pv-1', 'w1');
    h.sim.clock.runUntil(59_999);
    expect(h.adc.asw.getAttachState(uniqueName('pv-1'), 'w1')).toBe('Attached');
    h.sim.clock.runUntil(60_000);
    expect(h.plugin.callsOf('volumesAreAttached').map((c) => c.at)).toEqual([60_000]);
    h.sim.clock.runFor(1_000);
    expect(h.plugin.callsOf('attach').map((c) => c.at)).toEqual([0, 60_100]);
    expect(h.plugin.isAttached('pv-1', 'w1')).toBe(true);
  });

  it('after kubectl delete node keeps the volume mounted, so the detach waits 6 min (1.28: a missing node is unhealthy)', () => {
    const h = setup(profile128);
    mountedOnW1(h);
    h.sim.clock.runUntil(10_000);
    E.getOrElseW(() => undefined)(h.client.delete('Node', 'w1'));
    h.sim.clock.runUntil(30_000); // PodGC removes the orphan
    forceDeletePod(h.client, 'web-0');
    h.sim.clock.runUntil(30_000 + SIX_MIN - 1);
    expect(detachTimes(h)).toEqual([]);
    h.sim.clock.runFor(1_000);
    expect(detachTimes(h)).toEqual([30_000 + SIX_MIN]);
  });

  it('rebuilds the actual state from node status at start and detaches what no pod wants', () => {
    const h = setup(profile114, {}, false);
    createManagedNode(h.client, 'w1');
    createBoundClaim(h.client, 'data', 'pv-1');
    const node = h.client.get('Node', 'w1');
    if (E.isLeft(node)) throw new Error('no node');
    h.client.updateStatus('Node', { ...node.right, status: { ...node.right.status, volumesAttached: [{ name: uniqueName('pv-1'), devicePath: '/dev/sdb' }] } });
    h.plugin.attachments.set('pv-1', new Set(['w1']));
    h.sim.clock.runUntil(5_000);
    h.adc.start();
    h.sim.clock.runFor(1_000);
    expect(detachTimes(h)).toEqual([5_000]);
  });

  it('works through VolumeAttachment objects for plugins that use them', () => {
    const h = setup(profile128, { usesVolumeAttachments: true, attachDurationMs: 1_000 });
    createManagedNode(h.client, 'w1');
    createBoundClaim(h.client, 'data', 'pv-1');
    createPodWithClaim(h.client, 'web-0', 'w1', 'data');
    const name = attachmentName('pv-1', 'failsim.io/fake-attacher', 'w1');
    expect(name).toMatch(/^csi-[0-9a-f]{64}$/);
    h.sim.clock.runFor(500);
    const pending = h.client.get('VolumeAttachment', name);
    expect(E.isRight(pending) && [pending.right.spec, pending.right.status]).toEqual([
      { attacher: 'failsim.io/fake-attacher', nodeName: 'w1', source: { persistentVolumeName: 'pv-1' } },
      { attached: false },
    ]);
    h.sim.clock.runFor(1_000);
    const attached = h.client.get('VolumeAttachment', name);
    expect(E.isRight(attached) && attached.right.status).toEqual({ attached: true, attachmentMetadata: { devicePath: '/dev/disk/by-id/fake-pv-1' } });
    forceDeletePod(h.client, 'web-0');
    h.sim.clock.runFor(1_000);
    expect(E.isLeft(h.client.get('VolumeAttachment', name))).toBe(true);
  });

  it("attaches a pod's volume at the populator's 3 min re-list once its node becomes managed, with no pod event", () => {
    const h = setup(profile114);
    unwrapRight(h.client.create('Node', { metadata: { name: 'w1' } }));
    createBoundClaim(h.client, 'data', 'pv-1');
    createPodWithClaim(h.client, 'web-0', 'w1', 'data');
    h.sim.clock.runFor(60_000);
    // Not managed: the pod is ignored, at its events and at the re-list at 0 s.
    expect(h.plugin.callsOf('attach')).toEqual([]);
    const node = unwrapRight(h.client.get('Node', 'w1'));
    unwrapRight(h.client.update('Node', { ...node, metadata: { ...node.metadata, annotations: { [CONTROLLER_MANAGED_ATTACH_ANNOTATION]: 'true' } } }));
    h.sim.clock.runUntil(179_999);
    expect(h.plugin.callsOf('attach')).toEqual([]);
    // The re-list at 180 s, and the 100 ms pass of the same tick.
    h.sim.clock.runUntil(190_000);
    expect(h.plugin.callsOf('attach').map((c) => [c.volume, c.node, c.at])).toEqual([['pv-1', 'w1', 180_000]]);
  });

  it('runs no pass while nothing changes', () => {
    const h = setup(profile128);
    mountedOnW1(h);
    h.sim.clock.runUntil(10_000);
    forceDeletePod(h.client, 'web-0'); // waits on a healthy node forever (1.28)
    h.sim.clock.runFor(1_000);
    const passes = h.adc.reconciler.passes;
    h.sim.clock.runFor(3_600_000);
    // Only the 6 min mark asks for a look (healthy node: nothing to do then).
    expect(h.adc.reconciler.passes - passes).toBeLessThanOrEqual(1);
  });
});

describe('detachInputsChanged', () => {
  const conditions = (ready: string, at: string): NodeCondition[] => [
    { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: at },
    { type: 'Ready', status: ready, lastHeartbeatTime: at },
  ];
  const spec = { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] };
  const node = (ready: string, at: string, nodeSpec: Node['spec'] = spec): Node => ({ metadata: { name: 'w1' }, spec: nodeSpec, status: { conditions: conditions(ready, at) } });

  it('ignores a heartbeat: fresh condition objects, same spec object', () => {
    expect(detachInputsChanged(node('True', 't1'), node('True', 't2'))).toBe(false);
  });

  it('sees a Ready change and an out-of-service taint added or removed', () => {
    expect(detachInputsChanged(node('True', 't1'), node('Unknown', 't1'))).toBe(true);
    expect(detachInputsChanged(node('False', 't1'), node('True', 't2'))).toBe(true);
    const outOfService = { taints: [...spec.taints, { key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] };
    expect(detachInputsChanged(node('False', 't1'), node('False', 't1', outOfService))).toBe(true);
    expect(detachInputsChanged(node('False', 't1', outOfService), node('False', 't1', {}))).toBe(true);
    // A new spec object with the same verdict changes nothing.
    expect(detachInputsChanged(node('False', 't1'), node('False', 't1', { ...spec, unschedulable: true }))).toBe(false);
  });

  it('reads the first Ready condition, as isNodeReady does, and a node without one as not Ready', () => {
    const twoReady: Node = { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'False' }] } };
    const none: Node = { status: {} };
    expect(detachInputsChanged(none, twoReady)).toBe(true);
    expect(detachInputsChanged(none, { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } })).toBe(false);
  });
});
