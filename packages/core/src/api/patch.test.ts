import { describe, it, expect } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { Node, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { Deployment, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { ApiError } from './errors.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, patchMetaForKind } from './patch.js';

/** Freezes every object and array of a value, as the API server stores them. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
};

const right = (e: E.Either<ApiError, unknown>): unknown => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${e.left.message}`);
  return e.right;
};
const left = (e: E.Either<ApiError, unknown>): ApiError => {
  if (E.isRight(e)) throw new Error(`expected Left, got ${JSON.stringify(e.right)}`);
  return e.left;
};

/** Applies a strategic merge patch given as the JSON text kubectl sends, to frozen inputs. */
const smp = (target: unknown, patchJson: string, kind: string): unknown =>
  right(applyStrategicMergePatch(deepFreeze(target), deepFreeze(JSON.parse(patchJson) as unknown), kind));

const NOT_READY_SINCE = '2026-11-26T00:23:14Z';

const node = (): Node =>
  structuredClone<Node>({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1', zone: 'a' }, resourceVersion: '7' },
    spec: { podCIDR: '10.0.1.0/24', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] },
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2026-11-26T00:20:00Z' },
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'Hostname', address: 'node-1' },
      ],
      volumesAttached: [{ name: 'kubernetes.io/vsphere-volume/[ds1] kubevols/pv-1.vmdk', devicePath: '/dev/sdb' }],
    },
  });

const pod = (): Pod =>
  structuredClone<Pod>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', finalizers: ['example.com/a'] },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.25',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
        { name: 'sidecar', image: 'busybox' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
      tolerations: [{ key: 'a', operator: 'Exists' }],
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
    },
  });

describe('applyMergePatch (RFC 7386)', () => {
  it('adds a label as kubectl label sends it', () => {
    const before = deepFreeze(node());
    const after = applyMergePatch(before, deepFreeze({ metadata: { labels: { disk: 'ssd' } } })) as Node;
    expect(after.metadata?.labels).toEqual({ 'kubernetes.io/hostname': 'node-1', zone: 'a', disk: 'ssd' });
    expect(after.spec).toBe(before.spec);
    expect(after.status).toBe(before.status);
  });

  it('removes a label with null (kubectl label node-1 zone-)', () => {
    const after = applyMergePatch(deepFreeze(node()), JSON.parse('{"metadata":{"labels":{"zone":null}}}')) as Node;
    expect(after.metadata?.labels).toEqual({ 'kubernetes.io/hostname': 'node-1' });
  });

  it('replaces arrays and scalars, and a non-object patch replaces everything', () => {
    const target = deepFreeze({ a: [1, 2], b: { c: 1 }, d: 'x' });
    expect(applyMergePatch(target, { a: [3] })).toEqual({ a: [3], b: { c: 1 }, d: 'x' });
    expect(applyMergePatch(target, { b: 'flat' })).toEqual({ a: [1, 2], b: 'flat', d: 'x' });
    expect(applyMergePatch(target, ['whole'])).toEqual(['whole']);
    expect(applyMergePatch(target, null)).toBeNull();
    expect(applyMergePatch('scalar', { a: 1 })).toEqual({ a: 1 });
  });

  it('follows the RFC 7386 examples', () => {
    expect(applyMergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(applyMergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' });
    expect(applyMergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(applyMergePatch({ a: 'b', b: 'c' }, { a: null })).toEqual({ b: 'c' });
    expect(applyMergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } })).toEqual({ a: { b: 'd' } });
    expect(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(applyMergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
    expect(applyMergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
  });

  it('returns the target itself when nothing changes, and never mutates inputs', () => {
    const target = deepFreeze(node());
    const snapshot = structuredClone(target);
    expect(applyMergePatch(target, deepFreeze({ metadata: { labels: { zone: 'a' } }, spec: { absent: null } }))).toBe(target);
    applyMergePatch(target, deepFreeze({ metadata: { name: 'x', labels: null }, status: { conditions: [] } }));
    expect(target).toEqual(snapshot);
  });

  it('keeps a "__proto__" key as data', () => {
    const after = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    expect(Object.hasOwn(after, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(after)).toBe(Object.prototype);
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  const doc = () => deepFreeze({ metadata: { name: 'n', labels: { 'a/b': '1', 'c~d': '2' } }, spec: { list: ['x', 'y'] } });

  it('applies add, remove, replace, move, copy and test in order', () => {
    const after = right(
      applyJsonPatch(
        doc(),
        deepFreeze([
          { op: 'test', path: '/metadata/name', value: 'n' },
          { op: 'add', path: '/spec/list/1', value: 'new' },
          { op: 'add', path: '/spec/list/-', value: 'end' },
          { op: 'remove', path: '/metadata/labels/a~1b' },
          { op: 'replace', path: '/metadata/labels/c~0d', value: '3' },
          { op: 'copy', from: '/spec/list/0', path: '/spec/first' },
          { op: 'move', from: '/metadata/labels', path: '/spec/labels' },
          { op: 'add', path: '/spec/unschedulable', value: true },
        ]),
      ),
    );
    expect(after).toEqual({
      metadata: { name: 'n' },
      spec: { list: ['x', 'new', 'y', 'end'], first: 'x', labels: { 'c~d': '3' }, unschedulable: true },
    });
  });

  it('replaces the whole document at the empty pointer and shares what it does not touch', () => {
    expect(right(applyJsonPatch(doc(), [{ op: 'replace', path: '', value: { a: 1 } }]))).toEqual({ a: 1 });
    const before = doc();
    const after = right(applyJsonPatch(before, [{ op: 'replace', path: '/spec/list/0', value: 'z' }])) as ReturnType<typeof doc>;
    expect(after.metadata).toBe(before.metadata);
    expect(before.spec.list).toEqual(['x', 'y']);
  });

  it('answers a failed test as upstream: 422 Invalid with the library text as cause', () => {
    const err = left(applyJsonPatch(doc(), [{ op: 'test', path: '/spec/list/0', value: 'nope' }]));
    expect(err.reason).toBe('Invalid');
    expect(err.code).toBe(422);
    expect(err.message).toBe('the server rejected our request due to an error in our request');
    expect(err.details?.causes?.[0]?.message).toBe('testing value /spec/list/0 failed: test failed');
  });

  it.each([
    [[{ op: 'frob', path: '/a' }], 'Unexpected kind: frob'],
    [[{ path: '/a' }], 'Unexpected kind: unknown'],
    [[{ op: 'add', value: 1 }], 'add operation failed to decode path: operation missing path field: missing value'],
    [[{ op: 'add', path: '/spec' }], 'add operation, missing value field: missing value'],
    [[{ op: 'add', path: '/nope/x', value: 1 }], 'add operation does not apply: doc is missing path: "/nope/x": missing value'],
    [[{ op: 'add', path: '/spec/list/5', value: 1 }], "error in add for path: '/spec/list/5': Unable to access invalid index: 5: invalid index referenced"],
    [[{ op: 'remove', path: '/metadata/zzz' }], "error in remove for path: '/metadata/zzz': Unable to remove nonexistent key: zzz: missing value"],
    [[{ op: 'replace', path: '/metadata/zzz', value: 1 }], 'replace operation does not apply: doc is missing key: /metadata/zzz: missing value'],
    [[{ op: 'move', from: '/nope', path: '/a' }], 'move operation does not apply: doc is missing from path: /nope: missing value'],
    [[{ op: 'move', from: '/spec', path: '/spec/inner' }], 'move operation does not apply: cannot move /spec into its own child /spec/inner'],
    [[{ op: 'add', path: 'spec', value: 1 }], 'add operation does not apply: invalid JSON pointer: "spec"'],
  ])('rejects the operation %j with 422: %s', (ops, cause) => {
    const err = left(applyJsonPatch(doc(), ops));
    expect(err.code).toBe(422);
    expect(err.details?.causes?.[0]?.message).toBe(cause);
  });

  it('is all or nothing: a later failure discards earlier operations', () => {
    const before = doc();
    left(applyJsonPatch(before, [{ op: 'remove', path: '/spec' }, { op: 'test', path: '/spec', value: 1 }]));
    expect(before.spec.list).toEqual(['x', 'y']);
  });

  it('answers a patch that does not decode as 400 BadRequest', () => {
    const notList = left(applyJsonPatch(doc(), { op: 'add' }));
    expect(notList.reason).toBe('BadRequest');
    expect(notList.code).toBe(400);
    expect(notList.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    expect(left(applyJsonPatch(doc(), ['add'])).message).toBe('json: cannot unmarshal string into Go value of type jsonpatch.Operation');
    expect(right(applyJsonPatch(doc(), null))).toEqual(doc());
  });
});

describe('applyStrategicMergePatch: what kubectl sends', () => {
  it('cordons and uncordons a node (spec.unschedulable)', () => {
    const before = deepFreeze(node());
    const cordoned = right(applyStrategicMergePatch(before, deepFreeze(JSON.parse('{"spec":{"unschedulable":true}}')), 'Node')) as Node;
    expect(cordoned.spec?.unschedulable).toBe(true);
    expect(cordoned.spec?.taints).toBe(before.spec?.taints);
    expect(cordoned.metadata).toBe(before.metadata);
    expect(cordoned.status).toBe(before.status);
    expect(before.spec?.unschedulable).toBeUndefined();

    const uncordoned = smp(cordoned, '{"spec":{"unschedulable":null}}', 'Node') as Node;
    expect(uncordoned.spec).toEqual(node().spec);
    expect(Object.hasOwn(uncordoned.spec ?? {}, 'unschedulable')).toBe(false);
  });

  it('adds a taint to a node that has one: kubectl taint sends the whole new list, new taints first', () => {
    const after = smp(
      node(),
      '{"spec":{"taints":[{"effect":"NoExecute","key":"node.kubernetes.io/out-of-service","value":"nodeshutdown"},{"effect":"NoSchedule","key":"dedicated","value":"db"}]}}',
      'Node',
    ) as Node;
    expect(after.spec?.taints).toEqual([
      { effect: 'NoExecute', key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown' },
      { effect: 'NoSchedule', key: 'dedicated', value: 'db' },
    ]);
  });

  it('removes one taint of two (kubectl taint node-1 dedicated-) by sending the rest', () => {
    const two = smp(node(), '{"spec":{"taints":[{"effect":"NoExecute","key":"k","value":"v"},{"effect":"NoSchedule","key":"dedicated","value":"db"}]}}', 'Node');
    const after = smp(two, '{"spec":{"taints":[{"effect":"NoExecute","key":"k","value":"v"}]}}', 'Node') as Node;
    expect(after.spec?.taints).toEqual([{ effect: 'NoExecute', key: 'k', value: 'v' }]);
  });

  it('removes the last taint with null', () => {
    const after = smp(node(), '{"spec":{"taints":null}}', 'Node') as Node;
    expect(after.spec).toEqual({ podCIDR: '10.0.1.0/24' });
  });

  it('rejects merge-list directives on taints, which upstream gives no merge key', () => {
    const withOrder = left(
      applyStrategicMergePatch(
        node(),
        JSON.parse('{"spec":{"$setElementOrder/taints":[{"key":"a"}],"taints":[{"$patch":"delete","key":"dedicated"}]}}'),
        'Node',
      ),
    );
    expect(withOrder.reason).toBe('BadRequest');
    expect(withOrder.message).toBe('invalid patch format of setElementOrder list: spec.taints has no patch merge key');
    const deleteItem = left(applyStrategicMergePatch(node(), JSON.parse('{"spec":{"taints":[{"$patch":"delete","key":"dedicated"}]}}'), 'Node'));
    expect(deleteItem.message).toBe(
      'spec.taints has no patch merge key: the list is replaced whole, so its items cannot carry $patch (got map[$patch:delete key:dedicated])',
    );
  });

  it('adds and removes labels (kubectl label sends these as merge patches; SMP agrees)', () => {
    const added = smp(node(), '{"metadata":{"labels":{"disk":"ssd"}}}', 'Node') as Node;
    expect(added.metadata?.labels).toEqual({ 'kubernetes.io/hostname': 'node-1', zone: 'a', disk: 'ssd' });
    const removed = smp(added, '{"metadata":{"labels":{"zone":null}}}', 'Node') as Node;
    expect(removed.metadata?.labels).toEqual({ 'kubernetes.io/hostname': 'node-1', disk: 'ssd' });
    expect(removed.metadata?.resourceVersion).toBe('7');
  });

  it('removes a finalizer with the two-way patch format ($deleteFromPrimitiveList + $setElementOrder)', () => {
    const pvc: PersistentVolumeClaim = {
      metadata: { name: 'data-web-0', namespace: 'default', finalizers: ['kubernetes.io/pvc-protection', 'example.com/backup'] },
      spec: { accessModes: ['ReadWriteOnce'] },
    };
    deepFreeze(pvc);
    const after = smp(
      pvc,
      '{"metadata":{"$deleteFromPrimitiveList/finalizers":["kubernetes.io/pvc-protection"],"$setElementOrder/finalizers":["example.com/backup"]}}',
      'PersistentVolumeClaim',
    ) as PersistentVolumeClaim;
    expect(after.metadata?.finalizers).toEqual(['example.com/backup']);
    expect(after.spec).toBe(pvc.spec);
    expect(pvc.metadata?.finalizers).toHaveLength(2);

    const alone = smp(pvc, '{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/backup"]}}', 'PersistentVolumeClaim') as PersistentVolumeClaim;
    expect(alone.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);

    // Removing the last one: the two-way patch nulls the field.
    const none = smp({ metadata: { name: 'x', finalizers: ['a'] } }, '{"metadata":{"finalizers":null}}', 'PersistentVolumeClaim');
    expect(none).toEqual({ metadata: { name: 'x' } });
  });

  it('adds a finalizer as a set, ordered by $setElementOrder when given', () => {
    const ordered = smp(pod(), '{"metadata":{"$setElementOrder/finalizers":["example.com/a","example.com/b"],"finalizers":["example.com/b"]}}', 'Pod') as Pod;
    expect(ordered.metadata?.finalizers).toEqual(['example.com/a', 'example.com/b']);
    // Without the directive upstream's mergeSortedSlice puts items new to the server first.
    const bare = smp(pod(), '{"metadata":{"finalizers":["example.com/b","example.com/a"]}}', 'Pod') as Pod;
    expect(bare.metadata?.finalizers).toEqual(['example.com/b', 'example.com/a']);
    const dup = smp(pod(), '{"metadata":{"finalizers":["example.com/a"]}}', 'Pod') as Pod;
    expect(dup.metadata?.finalizers).toEqual(['example.com/a']);
  });

  it('merges a node condition by type, as the kubelet status patch does', () => {
    const before = deepFreeze(node());
    const patch = deepFreeze(
      JSON.parse(
        `{"status":{"$setElementOrder/conditions":[{"type":"MemoryPressure"},{"type":"DiskPressure"},{"type":"PIDPressure"},{"type":"Ready"}],` +
          `"conditions":[{"type":"Ready","status":"Unknown","reason":"NodeStatusUnknown","message":"Kubelet stopped posting node status.","lastTransitionTime":"${NOT_READY_SINCE}"}]}}`,
      ) as unknown,
    );
    const after = right(applyStrategicMergePatch(before, patch, 'Node')) as Node;
    const conditions = after.status?.conditions ?? [];
    expect(conditions.map((c) => c.type)).toEqual(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
    expect(conditions[3]).toEqual({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastHeartbeatTime: '2026-11-26T00:20:00Z',
      lastTransitionTime: NOT_READY_SINCE,
    });
    // Untouched conditions, and the rest of the node, are shared with the stored object.
    expect(conditions[0]).toBe(before.status?.conditions?.[0]);
    expect(after.status?.addresses).toBe(before.status?.addresses);
    expect(after.spec).toBe(before.spec);
    expect(before.status?.conditions?.[3]?.status).toBe('True');
  });

  it('merges a pod condition by type without $setElementOrder, keeping its place', () => {
    const after = smp(pod(), '{"status":{"conditions":[{"type":"Ready","status":"False","reason":"NodeLost"}]}}', 'Pod') as Pod;
    expect(after.status?.conditions).toEqual([
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'NodeLost' },
    ]);
    const added = smp(pod(), '{"status":{"conditions":[{"type":"DisruptionTarget","status":"True"}]}}', 'Pod') as Pod;
    expect(added.status?.conditions?.map((c) => c.type)).toEqual(['DisruptionTarget', 'Initialized', 'Ready']);
  });

  it('merges node addresses by type and replaces volumesAttached whole', () => {
    const after = smp(node(), '{"status":{"addresses":[{"type":"InternalIP","address":"10.0.0.12"}],"volumesAttached":[]}}', 'Node') as Node;
    expect(after.status?.addresses).toEqual([
      { type: 'InternalIP', address: '10.0.0.12' },
      { type: 'Hostname', address: 'node-1' },
    ]);
    expect(after.status?.volumesAttached).toEqual([]);
  });
});

describe('applyStrategicMergePatch: lists and directives', () => {
  it('merges containers by name, env by name, ports by containerPort', () => {
    const before = deepFreeze(pod());
    const patch: unknown = JSON.parse(
      '{"spec":{"containers":[{"name":"app","image":"nginx:1.27","env":[{"name":"B","value":"20"},{"name":"C","value":"3"}],"ports":[{"containerPort":80,"name":"http"}]}]}}',
    );
    const after = right(applyStrategicMergePatch(before, patch, 'Pod')) as Pod;
    const app = after.spec?.containers[0];
    expect(app?.image).toBe('nginx:1.27');
    expect(app?.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '20' },
      { name: 'C', value: '3' },
    ]);
    expect(app?.ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
    expect(app?.volumeMounts).toBe(before.spec?.containers[0]?.volumeMounts);
    expect(after.spec?.containers[1]).toBe(before.spec?.containers[1]);
    expect(after.spec?.volumes).toBe(before.spec?.volumes);
  });

  it('merges the pod template of a StatefulSet and replaces volumeClaimTemplates', () => {
    const sts: StatefulSet = {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        serviceName: 'web',
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'v1' }, { name: 'log', image: 'l1' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' } }, { metadata: { name: 'logs' } }],
      },
    };
    deepFreeze(sts);
    const after = smp(
      sts,
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"log"}],"containers":[{"name":"app","image":"v2"}]}},"volumeClaimTemplates":[{"metadata":{"name":"data"}}]}}',
      'StatefulSet',
    ) as StatefulSet;
    expect(after.spec?.template.spec?.containers).toEqual([
      { name: 'app', image: 'v2' },
      { name: 'log', image: 'l1' },
    ]);
    expect(after.spec?.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' } }]);
    expect(after.spec?.selector).toBe(sts.spec?.selector);
    expect(after.spec?.template.metadata).toBe(sts.spec?.template.metadata);
  });

  it('deletes a list item with $patch: delete', () => {
    const after = smp(pod(), '{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"$patch":"delete","name":"sidecar"}]}}', 'Pod') as Pod;
    expect(after.spec?.containers.map((c) => c.name)).toEqual(['app']);
  });

  it('replaces a merge list with $patch: replace', () => {
    const after = smp(pod(), '{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}', 'Pod') as Pod;
    expect(after.spec?.containers).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('replaces or deletes a map with $patch', () => {
    const replaced = smp(node(), '{"metadata":{"labels":{"$patch":"replace","only":"this"}}}', 'Node') as Node;
    expect(replaced.metadata?.labels).toEqual({ only: 'this' });
    const cleared = smp(node(), '{"metadata":{"labels":{"$patch":"delete"}}}', 'Node') as Node;
    expect(cleared.metadata?.labels).toEqual({});
  });

  it('rejects $patch: merge as upstream does', () => {
    expect(left(applyStrategicMergePatch(pod(), JSON.parse('{"spec":{"containers":[{"$patch":"merge","name":"app"}]}}'), 'Pod')).message).toBe(
      'merging lists cannot yet be specified in the patch',
    );
    expect(left(applyStrategicMergePatch(pod(), JSON.parse('{"metadata":{"labels":{"$patch":"merge","a":"b"}}}'), 'Pod')).message).toBe(
      'unknown patch type: merge in map: map[$patch:merge a:b]',
    );
  });

  it('clears the other members of a union with $retainKeys', () => {
    const deploy: Deployment = {
      metadata: { name: 'd' },
      spec: {
        selector: {},
        template: {},
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      },
    };
    const after = smp(deploy, '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}', 'Deployment') as Deployment;
    expect(after.spec?.strategy).toEqual({ type: 'Recreate' });

    const vol = smp(
      pod(),
      '{"spec":{"volumes":[{"$retainKeys":["name","persistentVolumeClaim"],"name":"data","persistentVolumeClaim":{"claimName":"data-web-0"}}]}}',
      'Pod',
    ) as Pod;
    expect(vol.spec?.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } }]);

    expect(left(applyStrategicMergePatch(deploy, JSON.parse('{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{}}}}'), 'Deployment')).message).toBe(
      'invalid patch format of retainKeys',
    );
    expect(left(applyStrategicMergePatch(deploy, JSON.parse('{"spec":{"strategy":{"$retainKeys":"type"}}}'), 'Deployment')).message).toBe(
      'invalid patch format of retainKeys',
    );
  });

  it('reorders a list with $setElementOrder alone, and checks the patch against it', () => {
    const reordered = smp(pod(), '{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}]}}', 'Pod') as Pod;
    expect(reordered.spec?.containers.map((c) => c.name)).toEqual(['sidecar', 'app']);

    const err = left(
      applyStrategicMergePatch(
        pod(),
        JSON.parse('{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"name":"sidecar","image":"x"}]}}'),
        'Pod',
      ),
    );
    expect(err.message).toBe(
      "The order in patch list:\n[map[image:x name:sidecar]]\n doesn't match $setElementOrder list:\n[map[name:app]]\n",
    );
  });

  it('rejects malformed directives with upstream texts', () => {
    const bad = (json: string): string => left(applyStrategicMergePatch(pod(), JSON.parse(json), 'Pod')).message;
    expect(bad('{"spec":{"containers":[{"image":"x"}]}}')).toBe('map: map[image:x] does not contain declared merge key: name');
    expect(bad('{"metadata":{"$deleteFromPrimitiveList":["a"]}}')).toBe('invalid patch format of primitive list');
    expect(bad('{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}')).toBe('invalid patch format of primitive list');
    expect(bad('{"metadata":{"$setElementOrder/finalizers":"a"}}')).toBe('invalid patch format of setElementOrder list');
    expect(bad('{"metadata":{"finalizers":[["a"]]}}')).toBe('lists of lists are not supported');
    expect(bad('{"metadata":{"$patch":"frob"}}')).toBe('unknown patch type: frob in map: map[$patch:frob]');
  });

  it('answers a patch that is not an object as a decode error, and a null patch as no change', () => {
    const err = left(applyStrategicMergePatch(pod(), [], 'Pod'));
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe('json: cannot unmarshal array into Go value of type map[string]interface {}');
    const p = deepFreeze(pod());
    expect(right(applyStrategicMergePatch(p, null, 'Pod'))).toBe(p);
  });

  it('resolves directives and nulls inside values new to the target', () => {
    const after = smp(
      { metadata: { name: 'x' }, spec: { containers: [{ name: 'app' }] } },
      '{"metadata":{"annotations":{"a":"1","b":null}},"spec":{"initContainers":[{"name":"init","env":[{"name":"X","value":null}]},{"$patch":"delete","name":"gone"}]}}',
      'Pod',
    );
    expect(after).toEqual({
      metadata: { name: 'x', annotations: { a: '1' } },
      spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'init', env: [{ name: 'X' }] }] },
    });
    expect(left(applyStrategicMergePatch({ metadata: { finalizers: ['a'] } }, JSON.parse('{"metadata":{"finalizers":["f",{"x":1}]}}'), 'Pod')).message).toBe(
      'list element types are not identical: [[a] [f map[x:1]]]',
    );
  });
});

describe('applyStrategicMergePatch: purity and unknown kinds', () => {
  it('never mutates deeply frozen inputs and returns the target itself for a no-op', () => {
    const target = deepFreeze(pod());
    const snapshot = structuredClone(target);
    const patch = deepFreeze(
      JSON.parse(
        '{"metadata":{"labels":{"a":"b"},"$deleteFromPrimitiveList/finalizers":["example.com/a"]},"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"9"}]},{"$patch":"delete","name":"sidecar"}],"tolerations":[]}}',
      ) as unknown,
    );
    const patchSnapshot = structuredClone(patch);
    const after = right(applyStrategicMergePatch(target, patch, 'Pod'));
    expect(after).not.toEqual(target);
    expect(target).toEqual(snapshot);
    expect(patch).toEqual(patchSnapshot);

    expect(right(applyStrategicMergePatch(target, JSON.parse('{"spec":{"containers":[{"name":"app","image":"nginx:1.25"}]},"status":{"phase":"Running"}}'), 'Pod'))).toBe(target);
  });

  it('treats unknown kinds like a merge patch, with map directives and ObjectMeta lists', () => {
    const widget = { metadata: { name: 'w', finalizers: ['a'] }, spec: { items: [{ name: 'x', v: 1 }], config: { keep: 1, drop: 2 } } };
    const after = smp(
      widget,
      '{"metadata":{"finalizers":["b"]},"spec":{"items":[{"name":"y"}],"config":{"drop":null,"extra":{"$patch":"replace","z":1}}}}',
      'Widget',
    );
    expect(after).toEqual({
      metadata: { name: 'w', finalizers: ['b', 'a'] },
      spec: { items: [{ name: 'y' }], config: { keep: 1, extra: { z: 1 } } },
    });
  });

  it('exposes the patch metadata it follows', () => {
    expect(patchMetaForKind('Pod').get('spec.containers')).toEqual({ strategy: 'merge', mergeKey: 'name' });
    expect(patchMetaForKind('Pod').get('spec.volumes')).toEqual({ strategy: 'merge', mergeKey: 'name', retainKeys: true });
    expect(patchMetaForKind('Node').get('spec.taints')).toEqual({ strategy: 'replace' });
    expect(patchMetaForKind('StatefulSet').get('spec.template.spec.containers.env')).toEqual({ strategy: 'merge', mergeKey: 'name' });
    expect(patchMetaForKind('Lease').get('metadata.ownerReferences')).toEqual({ strategy: 'merge', mergeKey: 'uid' });
    expect(patchMetaForKind('Lease').get('spec.containers')).toBeUndefined();
  });
});
