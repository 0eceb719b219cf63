import { describe, expect, it } from '@jest/globals';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import { createSimulation } from '../simulation.js';
import type { WatchEvent } from './watch.js';
import { nodeLocation } from './reachability.js';
import { left, right } from '../testing/either.js';

const pod = (name: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.17' }], ...extra },
});

describe('ApiServer create and get', () => {
  it('stamps uid, resourceVersion, creationTimestamp in virtual time, apiVersion and kind', () => {
    const sim = createSimulation({ seed: 7 });
    const client = sim.api.client('test');
    sim.clock.runFor(5_000);
    const created = right(client.create('Pod', pod('web-0')));
    expect(created.kind).toBe('Pod');
    expect(created.apiVersion).toBe('v1');
    expect(created.metadata?.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.metadata?.creationTimestamp).toBe('2019-06-01T00:00:05Z');
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(right(client.get('Pod', 'web-0', 'default'))).toBe(created);
  });

  it('keeps one cluster-wide resourceVersion counter across kinds', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const a = right(client.create('Node', { metadata: { name: 'w1' } }));
    const b = right(client.create('Pod', pod('p')));
    const c = right(client.create('Node', { metadata: { name: 'w2' } }));
    const rvs = [a, b, c].map((o) => Number(o.metadata?.resourceVersion));
    expect(rvs).toEqual([rvs[0], rvs[0]! + 1, rvs[0]! + 2]);
    expect(sim.api.resourceVersion).toBe(String(rvs[2]));
  });

  it('answers NotFound and AlreadyExists with upstream texts and codes', () => {
    const client = createSimulation().api.client('test');
    const missing = left(client.get('Pod', 'nope', 'default'));
    expect(missing).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "nope" not found' });
    right(client.create('StorageClass', { metadata: { name: 'thin' }, provisioner: 'kubernetes.io/vsphere-volume' }));
    const dup = left(client.create('StorageClass', { metadata: { name: 'thin' }, provisioner: 'x' }));
    expect(dup).toMatchObject({ reason: 'AlreadyExists', code: 409, message: 'storageclasses.storage.k8s.io "thin" already exists' });
  });

  it('refuses a namespace that does not exist, and invalid objects, with field errors', () => {
    const client = createSimulation().api.client('test');
    expect(left(client.create('Pod', { ...pod('p'), metadata: { name: 'p', namespace: 'cassandra' } })).message).toBe('namespaces "cassandra" not found');
    const bad = left(client.create('Pod', { metadata: { name: 'Bad_Name' }, spec: { containers: [] } }));
    expect(bad.reason).toBe('Invalid');
    expect(bad.code).toBe(422);
    expect(bad.message).toContain('Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain');
    expect(bad.message).toContain('spec.containers: Required value');
    expect(bad.details?.causes?.map((c) => c.field)).toEqual(['metadata.name', 'spec.containers']);
  });

  it('generates names from generateName with the seeded random source', () => {
    const names = [1, 2].map(() => {
      const client = createSimulation({ seed: 3 }).api.client('test');
      return right(client.create('Pod', { ...pod(''), metadata: { generateName: 'web-' } })).metadata?.name;
    });
    expect(names[0]).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(names[0]).toBe(names[1]);
  });

  it('draws generated names as the char-by-char suffix did (issue 8: one string of five codes)', () => {
    const client = createSimulation({ seed: 3 }).api.client('test');
    const names = [0, 1, 2].map(() => right(client.create('Pod', { ...pod(''), metadata: { generateName: 'web-' } })).metadata?.name);
    // The names the server generated before the change, with the same seed.
    expect(names).toEqual(['web-7nnf8', 'web-4gbgm', 'web-qkhf6']);
  });

  it('returns deeply frozen objects so nobody edits server state by accident', () => {
    const client = createSimulation().api.client('test');
    const created = right(client.create('Pod', pod('p')));
    expect(Object.isFrozen(created)).toBe(true);
    expect(Object.isFrozen(created.spec?.containers[0])).toBe(true);
    expect(() => {
      (created.metadata as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });
});

describe('ApiServer update and patch', () => {
  it('is a Conflict to update with a stale resourceVersion', () => {
    const client = createSimulation().api.client('test');
    const v1 = right(client.create('Node', { metadata: { name: 'w1' } }));
    const v2 = right(client.update('Node', { ...v1, metadata: { ...v1.metadata, labels: { a: 'b' } } }));
    expect(Number(v2.metadata?.resourceVersion)).toBeGreaterThan(Number(v1.metadata?.resourceVersion));
    const stale = left(client.update('Node', { ...v1, metadata: { ...v1.metadata, labels: { a: 'c' } } }));
    expect(stale).toMatchObject({
      reason: 'Conflict',
      code: 409,
      message: 'Operation cannot be fulfilled on nodes "w1": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect(right(client.get('Node', 'w1')).metadata?.labels).toEqual({ a: 'b' });
  });

  it('does not write when nothing changed', () => {
    const client = createSimulation().api.client('test');
    const v1 = right(client.create('Node', { metadata: { name: 'w1' } }));
    const v2 = right(client.update('Node', { ...v1 }));
    expect(v2.metadata?.resourceVersion).toBe(v1.metadata?.resourceVersion);
  });

  it('moves generation only when spec changes, and splits spec from status', () => {
    const client = createSimulation().api.client('test');
    const sts = right(
      client.create('StatefulSet', {
        metadata: { name: 'cassandra' },
        spec: {
          serviceName: 'cassandra',
          selector: { matchLabels: { app: 'cassandra' } },
          template: { metadata: { labels: { app: 'cassandra' } }, spec: { containers: [{ name: 'cassandra', image: 'cassandra:3' }] } },
        },
      }),
    );
    expect(sts.metadata?.generation).toBe(1);
    expect(sts.spec?.podManagementPolicy).toBe('OrderedReady');
    const labelled = right(client.update('StatefulSet', { ...sts, metadata: { ...sts.metadata, labels: { x: 'y' } } }));
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = right(client.update('StatefulSet', { ...labelled, spec: { ...labelled.spec!, replicas: 3 }, status: { replicas: 99 } }));
    expect(scaled.metadata?.generation).toBe(2);
    expect(scaled.status?.replicas).toBeUndefined();
    const status = right(client.updateStatus('StatefulSet', { ...scaled, spec: { ...scaled.spec!, replicas: 5 }, status: { replicas: 3 } }));
    expect(status.status?.replicas).toBe(3);
    expect(status.spec?.replicas).toBe(3);
    expect(status.metadata?.generation).toBe(2);
  });

  it('applies the strategic merge patches kubectl sends for taint, cordon and label', () => {
    const client = createSimulation().api.client('kubectl');
    right(client.create('Node', { metadata: { name: 'w1', labels: { zone: 'a' } }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } }));
    // kubectl taint sends the whole list, the new taint first (NodeSpec.taints has no merge key).
    right(client.patch('Node', 'w1', { spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }, { key: 'a', effect: 'NoSchedule' }] } }));
    right(client.patch('Node', 'w1', { spec: { unschedulable: true } }));
    const node = right(client.patch('Node', 'w1', { metadata: { labels: { zone: null, disk: 'ssd' } } }));
    expect(node.spec?.taints?.map((t) => t.key)).toEqual(['node.kubernetes.io/out-of-service', 'a']);
    expect(node.spec?.unschedulable).toBe(true);
    expect(node.metadata?.labels).toEqual({ disk: 'ssd' });
    const merged = right(client.patch('Node', 'w1', { spec: { taints: [{ key: 'only', effect: 'NoSchedule' }] } }, { type: 'merge' }));
    expect(merged.spec?.taints?.map((t) => t.key)).toEqual(['only']);
  });

  it('refuses a patch that carries a stale resourceVersion and changes to immutable pod fields', () => {
    const client = createSimulation().api.client('test');
    const created = right(client.create('Pod', pod('p')));
    expect(left(client.patch('Pod', 'p', { metadata: { resourceVersion: '1' } }, { type: 'merge' })).reason).toBe('Conflict');
    const forbidden = left(client.update('Pod', { ...created, spec: { ...created.spec!, restartPolicy: 'Never' } }));
    expect(forbidden.reason).toBe('Invalid');
    expect(forbidden.message).toContain('spec: Forbidden: pod updates may not change fields other than');
    right(client.update('Pod', { ...created, spec: { ...created.spec!, containers: [{ ...created.spec!.containers[0]!, image: 'nginx:1.18' }] } }));
  });

  it('binds a pod once through the binding subresource', () => {
    const client = createSimulation().api.client('default-scheduler');
    right(client.create('Pod', pod('p')));
    const bound = right(client.bind('p', 'default', 'w1'));
    expect(bound.spec?.nodeName).toBe('w1');
    expect(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    expect(left(client.bind('p', 'default', 'w2')).message).toContain('is already assigned to node "w1"');
  });

  it('binds to what spreading the old pod and freezing a copy gave: same JSON, key order, frozen all through', () => {
    const sim = createSimulation();
    const client = sim.api.client('default-scheduler');
    right(client.create('Pod', pod('p')));
    // A pod that failed scheduling once: its PodScheduled=False is replaced, other conditions kept in order.
    const old = right(
      client.updateStatus('Pod', {
        ...right(client.get('Pod', 'p', 'default')),
        status: {
          phase: 'Pending',
          conditions: [
            { type: 'Initialized', status: 'True' },
            { type: 'PodScheduled', status: 'False', reason: 'Unschedulable' },
          ],
        },
      }),
    );
    sim.clock.runFor(2_000);
    const bound = right(client.bind('p', 'default', 'w1'));
    // The bind as it was built before (issue 8): spreads, then a deep copy.
    const expected = {
      ...old,
      metadata: { ...old.metadata, resourceVersion: bound.metadata?.resourceVersion },
      spec: { ...old.spec!, nodeName: 'w1' },
      status: {
        ...old.status,
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2019-06-01T00:00:02Z' },
        ],
      },
    };
    expect(JSON.stringify(bound)).toBe(JSON.stringify(expected));
    expect(right(client.get('Pod', 'p', 'default'))).toBe(bound);
    const frozen = (v: unknown): boolean =>
      v === null || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(frozen));
    expect(frozen(bound)).toBe(true);
    // Unchanged parts are shared with the old version, not copied.
    expect(bound.spec?.containers).toBe(old.spec?.containers);
    expect(bound.status?.conditions?.[0]).toBe(old.status?.conditions?.[0]);
  });
});

describe('ApiServer list and selectors', () => {
  it('lists sorted by namespace and name, filtered by namespace, labels and fields', () => {
    const client = createSimulation().api.client('test');
    right(client.create('Namespace', { metadata: { name: 'cassandra' } }));
    right(client.create('Pod', { ...pod('b'), spec: { ...pod('b').spec!, nodeName: 'w1' } }));
    right(client.create('Pod', { ...pod('a'), metadata: { name: 'a', labels: { app: 'db' } } }));
    right(client.create('Pod', { ...pod('c'), metadata: { name: 'c', namespace: 'cassandra', labels: { app: 'db' } }, spec: { ...pod('c').spec!, nodeName: 'w1' } }));
    const names = (o: { items: readonly Pod[] }): string[] => o.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
    expect(names(right(client.list('Pod')))).toEqual(['cassandra/c', 'default/a', 'default/b']);
    expect(names(right(client.list('Pod', { namespace: 'default' })))).toEqual(['default/a', 'default/b']);
    expect(names(right(client.list('Pod', { labelSelector: 'app in (db)' })))).toEqual(['cassandra/c', 'default/a']);
    expect(names(right(client.list('Pod', { fieldSelector: 'spec.nodeName=w1' })))).toEqual(['cassandra/c', 'default/b']);
    expect(names(right(client.list('Pod', { fieldSelector: 'spec.nodeName=w1,metadata.namespace!=cassandra' })))).toEqual(['default/b']);
    expect(left(client.list('Pod', { fieldSelector: 'spec.foo=bar' })).message).toContain('field label not supported: spec.foo');
    expect(left(client.list('Pod', { labelSelector: 'app in (' })).reason).toBe('BadRequest');
  });

  it('returns a list that later writes do not change', () => {
    const client = createSimulation().api.client('test');
    right(client.create('Pod', pod('a')));
    right(client.create('Pod', pod('b')));
    const all = right(client.list('Pod'));
    const inDefault = right(client.list('Pod', { namespace: 'default' }));
    const before = all.items[0];
    right(client.updateStatus('Pod', { ...right(client.get('Pod', 'a', 'default')), status: { phase: 'Running' } }));
    right(client.create('Pod', pod('c')));
    expect(all.items[0]).toBe(before);
    expect(inDefault.items[0]).toBe(before);
    expect(all.items).toHaveLength(2);
    expect(right(client.list('Pod')).items.map((p) => p.metadata?.name)).toEqual(['a', 'b', 'c']);
    expect(right(client.list('Pod')).items[0]?.status?.phase).toBe('Running');
  });
});

describe('ApiServer admission', () => {
  it('defaults pods and adds the DefaultTolerationSeconds tolerations', () => {
    const client = createSimulation().api.client('test');
    const created = right(client.create('Pod', pod('p')));
    expect(created.spec).toMatchObject({ restartPolicy: 'Always', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst' });
    expect(created.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(created.spec?.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('keeps a toleration the pod already has and honours the flags', () => {
    const sim = createSimulation({ admission: { defaultUnreachableTolerationSeconds: 60 } });
    const client = sim.api.client('test');
    const created = right(
      client.create('Pod', pod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] })),
    );
    expect(created.spec?.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ]);
    const tolerateAll = right(client.create('Pod', pod('q', { tolerations: [{ operator: 'Exists' }] })));
    expect(tolerateAll.spec?.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('keeps the status a kubelet registers its Node with', () => {
    const client = createSimulation().api.client('kubelet', 'node/w1');
    const node: Node = { metadata: { name: 'w1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(right(client.create('Node', node)).status?.conditions?.[0]?.status).toBe('True');
  });
});

describe('ApiServer watch index', () => {
  it('offers spec.nodeName watches only their pods, in the same order as unfiltered watches', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const seen: string[] = [];
    const watch = (who: string, fieldSelector?: string): void => {
      client.watch('Pod', fieldSelector ? { fieldSelector } : {}).subscribe(({ type, object }) => seen.push(`${who} ${type} ${object.metadata?.name}`));
    };
    watch('all-1');
    watch('n1', 'spec.nodeName=n1');
    watch('all-2');
    watch('n1-named', 'metadata.name=b,spec.nodeName=n1');
    right(client.create('Pod', pod('a', { nodeName: 'n1' })));
    right(client.create('Pod', pod('b')));
    right(client.bind('b', 'default', 'n1'));
    right(client.create('Pod', pod('c', { nodeName: 'n2' })));
    right(client.delete('Pod', 'b', { namespace: 'default', gracePeriodSeconds: 0 }));
    expect(seen).toEqual([
      'all-1 ADDED a',
      'n1 ADDED a',
      'all-2 ADDED a',
      'all-1 ADDED b',
      'all-2 ADDED b',
      'all-1 MODIFIED b',
      'n1 ADDED b',
      'all-2 MODIFIED b',
      'n1-named ADDED b',
      'all-1 ADDED c',
      'all-2 ADDED c',
      'all-1 DELETED b',
      'n1 DELETED b',
      'all-2 DELETED b',
      'n1-named DELETED b',
    ]);
  });

  it('replays what an indexed watch of an unreachable node missed, and only its pods', () => {
    const sim = createSimulation();
    const control = sim.api.client('test');
    const kubelet = sim.api.client('kubelet', nodeLocation('n1'));
    const seen: string[] = [];
    kubelet.watch('Pod', { fieldSelector: 'spec.nodeName=n1' }).subscribe(({ type, object }) => seen.push(`${type} ${object.metadata?.name}`));
    right(control.create('Pod', pod('a', { nodeName: 'n1' })));
    sim.reachability.set(nodeLocation('n1'), false);
    right(control.create('Pod', pod('b', { nodeName: 'n2' })));
    right(control.create('Pod', pod('c', { nodeName: 'n1' })));
    expect(seen).toEqual(['ADDED a']);
    sim.reachability.set(nodeLocation('n1'), true);
    expect(seen).toEqual(['ADDED a', 'ADDED c']);
  });
});

describe('ApiServer watch from a resourceVersion', () => {
  it('replays only the watched kind (the log holds every kind)', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    right(client.create('Node', { metadata: { name: 'n1' } }));
    const from = sim.api.resourceVersion;
    right(client.create('Pod', pod('a')));
    right(client.create('Node', { metadata: { name: 'n2' } }));
    right(client.create('Pod', pod('b')));
    const seen: string[] = [];
    client.watch('Pod', { resourceVersion: from }).subscribe(({ type, object }) => seen.push(`${object.kind ?? 'Pod'} ${type} ${object.metadata?.name}`));
    right(client.create('Node', { metadata: { name: 'n3' } }));
    right(client.create('Pod', pod('c')));
    expect(seen).toEqual(['Pod ADDED a', 'Pod ADDED b', 'Pod ADDED c']);
  });
});

describe('ApiServer watch delivery', () => {
  it('gives watches of a change one shared, frozen event per type, with the object stored', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const events: { who: string; event: WatchEvent }[] = [];
    const watch = (who: string, labelSelector?: string): void => {
      client.watch('Pod', labelSelector ? { labelSelector } : {}).subscribe((event) => events.push({ who, event }));
    };
    watch('all-1');
    watch('web', 'app=web');
    watch('all-2');
    right(client.create('Pod', pod('a')));
    // The pod leaves the `web` watch: it sees DELETED while the others see MODIFIED.
    const relabelled = right(client.patch('Pod', 'a', { metadata: { labels: { app: 'db' } } }, { namespace: 'default', type: 'merge' }));
    expect(events.map(({ who, event }) => `${who} ${event.type}`)).toEqual(['all-1 ADDED', 'web ADDED', 'all-2 ADDED', 'all-1 MODIFIED', 'web DELETED', 'all-2 MODIFIED']);
    const [added1, added2, added3, modified1, deleted, modified2] = events.map((e) => e.event);
    expect(added2).toBe(added1);
    expect(added3).toBe(added1);
    expect(modified2).toBe(modified1);
    expect(deleted).not.toBe(modified1);
    expect(Object.isFrozen(modified1)).toBe(true);
    expect(modified1?.object).toBe(relabelled);
    expect(deleted?.object).toBe(relabelled);
    expect(right(client.get('Pod', 'a', 'default'))).toBe(relabelled);
  });

  it('stops offering changes to an indexed watch once unsubscribed, and keeps offering to the others of its value', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const seen: string[] = [];
    const first = client.watch('Node', { fieldSelector: 'metadata.name=n1' }).subscribe(({ type }) => seen.push(`first ${type}`));
    client.watch('Node', { fieldSelector: 'metadata.name=n1' }).subscribe(({ type }) => seen.push(`second ${type}`));
    right(client.create('Node', { metadata: { name: 'n1' } }));
    first.unsubscribe();
    right(client.patch('Node', 'n1', { metadata: { labels: { a: 'b' } } }, { type: 'merge' }));
    right(client.create('Node', { metadata: { name: 'n2' } }));
    expect(seen).toEqual(['first ADDED', 'second ADDED', 'second MODIFIED']);
  });

  it('stores metadata as a write built it, frozen, without undefined members', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    right(client.create('Pod', pod('a', { nodeName: 'n1' })));
    // A graceful delete of a bound pod without finalizers builds metadata whose finalizers are undefined.
    const terminating = right(client.delete('Pod', 'a', { namespace: 'default' }));
    expect(terminating.metadata?.deletionTimestamp).toBeDefined();
    expect(Object.isFrozen(terminating.metadata)).toBe(true);
    expect(Object.keys(terminating.metadata ?? {})).not.toContain('finalizers');
    expect(right(client.get('Pod', 'a', 'default'))).toBe(terminating);
    right(client.create('Pod', pod('b')));
    const status = right(client.updateStatus('Pod', { ...right(client.get('Pod', 'b', 'default')), status: { phase: 'Running' } }));
    expect(Object.isFrozen(status.metadata)).toBe(true);
    expect(status.metadata?.resourceVersion).toBe(sim.api.resourceVersion);
  });

  it('stores a status write deeply frozen, sharing every member but the status and the metadata with the old version', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const node = right(client.create('Node', { metadata: { name: 'n1', labels: { zone: 'a' }, annotations: { note: 'x' } }, spec: { podCIDR: '10.0.0.0/24' } }));
    const written = right(client.updateStatus('Node', { ...node, status: { conditions: [{ type: 'Ready', status: 'True' }], capacity: { cpu: '4' } } }));
    const frozen = (v: unknown): boolean => v === null || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(frozen));
    expect(frozen(written)).toBe(true);
    expect(written.spec).toBe(node.spec);
    expect(written.metadata?.labels).toBe(node.metadata?.labels);
    expect(written.metadata?.annotations).toBe(node.metadata?.annotations);
    const expected = { ...node, metadata: { ...node.metadata, resourceVersion: sim.api.resourceVersion }, status: { conditions: [{ type: 'Ready', status: 'True' }], capacity: { cpu: '4' } } };
    expect(JSON.stringify(written)).toBe(JSON.stringify(expected));
    expect(right(client.get('Node', 'n1'))).toBe(written);
    // A status the writer froze is stored as it is.
    const status = Object.freeze({ ...written.status, phase: 'Running' as const });
    expect(right(client.updateStatus('Node', { ...written, status })).status).toBe(status);
  });
});

describe('ApiServer stored Events (issue 8)', () => {
  const EVENT_KEYS = ['apiVersion', 'kind', 'metadata', 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'reportingComponent', 'reportingInstance'];
  const event = (name: string, extra: Record<string, unknown> = {}): Event => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1' },
    reason: 'Pulling',
    message: 'Pulling image "nginx"',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2019-06-01T00:00:00Z',
    lastTimestamp: '2019-06-01T00:00:00Z',
    count: 1,
    type: 'Normal',
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
    ...extra,
  });

  it('stores created and patched Events with the same keys in the same order, frozen', () => {
    const sim = createSimulation({ seed: 3 });
    const kubectl = sim.api.client('kubectl');
    const created = right(kubectl.create('Event', event('web-0.1')));
    expect(Object.keys(created)).toEqual(EVENT_KEYS);
    expect(Object.keys(created.metadata)).toEqual(['name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion']);
    expect(Object.isFrozen(created) && Object.isFrozen(created.metadata)).toBe(true);
    sim.clock.runFor(5_000);
    const patched = right(kubectl.patch('Event', 'web-0.1', { count: 2, lastTimestamp: sim.clock.iso() }, { type: 'merge' }));
    expect(Object.keys(patched)).toEqual(EVENT_KEYS);
    expect(patched).toEqual({ ...created, count: 2, lastTimestamp: '2019-06-01T00:00:05Z', metadata: { ...created.metadata, resourceVersion: patched.metadata?.resourceVersion } });
    expect(Number(patched.metadata?.resourceVersion)).toBe(Number(created.metadata?.resourceVersion) + 1);
    expect(Object.isFrozen(patched) && Object.isFrozen(patched.metadata)).toBe(true);
    expect(JSON.stringify(right(kubectl.get('Event', 'web-0.1')))).toBe(JSON.stringify(patched));
  });

  it('stores Events of another shape, and labelled metadata, as they were written', () => {
    const sim = createSimulation({ seed: 3 });
    const kubectl = sim.api.client('kubectl');
    const extra = right(kubectl.create('Event', event('web-0.2', { action: 'Pull', related: undefined })));
    expect(Object.keys(extra)).toEqual([...EVENT_KEYS, 'action', 'related']);
    const labelled = right(kubectl.create('Event', event('web-0.3', { metadata: { name: 'web-0.3', labels: { a: 'b' } } })));
    expect(Object.keys(labelled.metadata)).toEqual(['labels', 'name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion']);
    const short = right(kubectl.create('Event', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'x.1' }, reason: 'R' } as never));
    expect(Object.keys(short)).toEqual(['apiVersion', 'kind', 'metadata', 'reason']);
  });
});

describe('ApiServer Event creates and removals built as literals (issue 8)', () => {
  const recorded = (name: string, metadata: Record<string, unknown> = {}): Event => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default', ...metadata },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1' },
    reason: 'Pulling',
    message: 'Pulling image "nginx"',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2019-06-01T00:00:00Z',
    lastTimestamp: '2019-06-01T00:00:00Z',
    count: 1,
    type: undefined,
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  });

  it('creates a recorder-shaped Event with the general path\'s uid, timestamp, resourceVersion and members', () => {
    const quick = createSimulation({ seed: 11 });
    const general = createSimulation({ seed: 11 });
    for (const sim of [quick, general]) sim.clock.runFor(7_000);
    // Client-set server-owned members are ignored either way; an annotation takes the general path.
    const a = right(quick.api.client('kubelet').create('Event', recorded('web-0.1', { uid: 'mine', resourceVersion: '99' })));
    const b = right(general.api.client('kubelet').create('Event', recorded('web-0.1', { annotations: { x: 'y' } })));
    expect(a.metadata).toEqual({ name: 'web-0.1', namespace: 'default', uid: b.metadata?.uid, creationTimestamp: '2019-06-01T00:00:07Z', resourceVersion: b.metadata?.resourceVersion });
    expect(Object.keys(a.metadata)).toEqual(['name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion']);
    const { metadata: ma, ...restA } = a;
    const { metadata: mb, ...restB } = b;
    expect(Object.keys(restA)).toEqual(Object.keys(restB));
    expect(restA).toStrictEqual(restB);
    expect('type' in a).toBe(true);
    expect(Object.isFrozen(a) && Object.isFrozen(ma) && Object.isFrozen(a.involvedObject) && Object.isFrozen(a.source)).toBe(true);
    expect(mb?.annotations).toEqual({ x: 'y' });
    // Same validation and conflicts as the general path.
    expect(left(quick.api.client('kubelet').create('Event', recorded('web-0.1'))).reason).toBe('AlreadyExists');
    expect(left(quick.api.client('kubelet').create('Event', recorded('Web_0'))).reason).toBe('Invalid');
  });

  it('stores frozen copies of the members a caller did not freeze, leaving the caller\'s own as they were', () => {
    const sim = createSimulation({ seed: 5 });
    const client = sim.api.client('kubelet');
    const input = recorded('web-0.f');
    const noUid = { kind: 'Node', name: 'w1' };
    const withNoUid = { ...recorded('web-0.g'), involvedObject: noUid };
    const a = right(client.create('Event', input));
    const b = right(client.create('Event', withNoUid));
    expect([input.involvedObject, input.source, noUid, withNoUid.source].some((o) => Object.isFrozen(o))).toBe(false);
    expect(a.involvedObject).not.toBe(input.involvedObject);
    expect(a.source).not.toBe(input.source);
    expect(b.involvedObject).not.toBe(noUid);
    expect([a.involvedObject, a.source, b.involvedObject, b.source].every((o) => Object.isFrozen(o))).toBe(true);
    expect(JSON.stringify(a)).toBe(JSON.stringify({ ...input, metadata: a.metadata }));
    expect(b.involvedObject).toStrictEqual(noUid);
  });

  it('stores one involvedObject for Events about the same object version, and the JSON each recorder sent', () => {
    const sim = createSimulation({ seed: 3 });
    const client = sim.api.client('kubelet');
    const ref = (fieldPath?: string) =>
      Object.freeze(
        fieldPath
          ? { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath }
          : { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '7' },
      );
    const first = ref();
    const a = right(client.create('Event', { ...recorded('web-0.a'), involvedObject: first }));
    // An equal reference that another recorder built: the stored Event shares the first.
    const b = right(client.create('Event', { ...recorded('web-0.b'), involvedObject: ref() }));
    expect(a.involvedObject).toBe(first);
    expect(b.involvedObject).toBe(first);
    // Another member, another key order or another version: not shared, stored as sent.
    const withPath = ref('spec.containers{web}');
    const c = right(client.create('Event', { ...recorded('web-0.c'), involvedObject: withPath }));
    expect(c.involvedObject).toBe(withPath);
    const reordered = Object.freeze({ namespace: 'default', kind: 'Pod', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '7' });
    const d = right(client.create('Event', { ...recorded('web-0.d'), involvedObject: reordered }));
    expect(d.involvedObject).toBe(reordered);
    expect(JSON.stringify(d.involvedObject)).toBe(JSON.stringify(reordered));
    const e = right(client.create('Event', { ...recorded('web-0.e'), involvedObject: Object.freeze({ ...first, resourceVersion: '8' }) }));
    expect(e.involvedObject).not.toBe(first);
    expect(e.involvedObject.resourceVersion).toBe('8');
    // A caller's unfrozen reference is copied by the commit, as before, and not remembered.
    const mutable = { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '8' };
    const f = right(client.create('Event', { ...recorded('web-0.f'), involvedObject: mutable }));
    expect(f.involvedObject).not.toBe(mutable);
    expect(f.involvedObject).toEqual(mutable);
    for (const [stored, sent] of [[a, first], [b, ref()], [c, withPath]] as const) expect(JSON.stringify(stored.involvedObject)).toBe(JSON.stringify(sent));
  });

  it('carries in each DELETED change the stored object at the removal\'s resourceVersion, as a frozen copy', () => {
    const sim = createSimulation({ seed: 5 });
    const client = sim.api.client('test');
    const deleted: WatchEvent[] = [];
    sim.api.watch({ location: 'control-plane', component: 'w' }, undefined, {}).subscribe((e) => {
      if (e.type === 'DELETED') deleted.push(e);
    });
    const event = right(client.create('Event', recorded('web-0.2')));
    const unbound = right(client.create('Pod', pod('web-1')));
    const node = right(client.create('Node', { metadata: { name: 'w1', labels: { zone: 'a' } }, status: { phase: 'Running' } }));
    // A status write of nothing leaves an undefined member, which the removed copy drops.
    const bare = right(client.update('Node', { ...node, status: undefined }, { subresource: 'status' }));
    expect(Object.keys(bare)).toContain('status');
    const typed = right(client.create('Event', { ...recorded('web-0.3'), type: 'Normal' }));
    const olds = [event, unbound, bare, typed];
    right(client.delete('Event', 'web-0.2', { namespace: 'default' }));
    right(client.delete('Pod', 'web-1', { namespace: 'default' }));
    right(client.delete('Node', 'w1'));
    right(client.delete('Event', 'web-0.3', { namespace: 'default' }));
    expect(deleted).toHaveLength(4);
    deleted.forEach(({ object }, i) => {
      const old = olds[i]!;
      const expected = JSON.parse(JSON.stringify({ ...old, metadata: { ...old.metadata, resourceVersion: object.metadata?.resourceVersion } })) as unknown;
      expect(JSON.stringify(object)).toBe(JSON.stringify(expected));
      expect(Object.keys(object)).toEqual(Object.keys(expected as object));
      expect(Object.isFrozen(object) && Object.isFrozen(object.metadata)).toBe(true);
      expect(Number(object.metadata?.resourceVersion)).toBeGreaterThan(Number(old.metadata?.resourceVersion));
    });
    expect(Object.keys(deleted[2]!.object)).not.toContain('status');
    expect(Object.keys(deleted[0]!.object)).not.toContain('type');
    expect(Object.keys(deleted[3]!.object)).toHaveLength(13);
  });
});

describe('ApiServer write path allocations (issue 8)', () => {
  it('stores a status write with the members in the order Object.assign({}, old, { status }) gives', () => {
    const sim = createSimulation();
    const kubelet = sim.api.client('kubelet');
    const node = right(kubelet.create('Node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1' }, spec: {} }));
    const status = { conditions: [{ type: 'Ready', status: 'True' }] };
    const written = right(kubelet.updateStatus('Node', { ...node, status }));
    expect(Object.keys(written)).toEqual(Object.keys(Object.assign({}, node, { status })));
    expect(written.status).toEqual(status);
    expect(written.spec).toBe(node.spec);
    expect(Object.isFrozen(written)).toBe(true);
    const again = right(kubelet.updateStatus('Node', { ...written, status: { ...status, phase: 'Running' } }));
    expect(Object.keys(again)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(Number(again.metadata?.resourceVersion)).toBe(Number(written.metadata?.resourceVersion) + 1);
    // An object of another shape keeps its own order, the status last when it had none.
    const odd = right(kubelet.create('Node', { spec: {}, metadata: { name: 'w2' } }));
    const oddWritten = right(kubelet.updateStatus('Node', { ...odd, status }));
    expect(Object.keys(oddWritten)).toEqual([...Object.keys(odd), 'status']);
    expect(Object.keys(oddWritten)).not.toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  });

  it('delivers each of a handler\'s nested writes with its own object, type and old version (reused change records)', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const seen: string[] = [];
    client.watch('Node').subscribe((e) => {
      seen.push(`${e.type} ${e.object.metadata?.name}@${e.object.metadata?.resourceVersion} ${e.object.metadata?.labels?.['n'] ?? '-'}`);
      const n = Number(e.object.metadata?.labels?.['n'] ?? '0');
      if (e.type !== 'DELETED' && n < 2) right(client.patch('Node', e.object.metadata!.name!, { metadata: { labels: { n: String(n + 1) } } }));
    });
    const first = Number(right(client.create('Node', { metadata: { name: 'a' } })).metadata?.resourceVersion);
    right(client.create('Node', { metadata: { name: 'b' } }));
    right(client.delete('Node', 'a'));
    expect(seen).toEqual([
      `ADDED a@${first} -`,
      `MODIFIED a@${first + 1} 1`,
      `MODIFIED a@${first + 2} 2`,
      `ADDED b@${first + 3} -`,
      `MODIFIED b@${first + 4} 1`,
      `MODIFIED b@${first + 5} 2`,
      `DELETED a@${first + 6} 2`,
    ]);
  });

  it('delivers to a watchTo sink what the Observable watch delivers, and stops when told', () => {
    const sim = createSimulation();
    const client = sim.api.client('test');
    const viaObservable: WatchEvent[] = [];
    const viaSink: WatchEvent[] = [];
    const errors: string[] = [];
    const from = sim.api.resourceVersion;
    right(client.create('Pod', pod('before')));
    const subscription = client.watch('Pod', { resourceVersion: from, labelSelector: 'app=web' }).subscribe((e) => viaObservable.push(e));
    const stop = client.watchTo('Pod', { resourceVersion: from, labelSelector: 'app=web' }, { next: (e) => viaSink.push(e), error: (e) => errors.push(e.message) });
    right(client.create('Pod', pod('after')));
    right(client.patch('Pod', 'after', { metadata: { labels: { app: 'other' } } }));
    expect(viaSink).toEqual(viaObservable);
    expect(viaSink.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED before', 'ADDED after', 'DELETED after']);
    stop();
    right(client.create('Pod', pod('later')));
    expect(viaSink).toHaveLength(3);
    expect(viaObservable).toHaveLength(4);
    subscription.unsubscribe();
    client.watchTo('Pod', { labelSelector: 'a in (' }, { next: () => undefined, error: (e) => errors.push(e.reason) });
    expect(errors).toEqual(['BadRequest']);
  });

  it('answers repeated selector lists as fresh ones do, and invalid selectors every time', () => {
    const client = createSimulation().api.client('test');
    right(client.create('Pod', pod('a')));
    right(client.create('Pod', { ...pod('b'), metadata: { name: 'b', namespace: 'default', labels: { app: 'db' } } }));
    for (let i = 0; i < 3; i++) {
      expect(right(client.list('Pod', { labelSelector: 'app=web' })).items.map((p) => p.metadata?.name)).toEqual(['a']);
      expect(right(client.list('Pod', { namespace: 'kube-system', labelSelector: 'app=web' })).items).toEqual([]);
      expect(right(client.list('Pod', { fieldSelector: 'metadata.name=b' })).items.map((p) => p.metadata?.name)).toEqual(['b']);
      expect(left(client.list('Pod', { labelSelector: 'a in (' })).reason).toBe('BadRequest');
    }
  });
});

describe('ApiServer Event expiry (--event-ttl)', () => {
  /** A kubelet's Event about pod web-0, in the order the recorder builds one (so the store keeps it as a row). */
  const kubeletEvent = (name: string, reason: string, message: string, type: string, extra: Record<string, unknown> = {}): Event => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default', ...extra },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', resourceVersion: '1' },
    reason,
    message,
    source: { component: 'kubelet', host: 'w1' },
    firstTimestamp: '2019-06-01T00:00:00Z',
    lastTimestamp: '2019-06-01T00:00:00Z',
    count: 1,
    type,
    reportingComponent: 'kubelet',
    reportingInstance: 'w1',
  });

  it('removes each Event its TTL after the last write: a DELETED change at a new resourceVersion, traced as the server', () => {
    const sim = createSimulation({ eventTTLSeconds: 60 });
    const client = sim.api.client('kubelet', nodeLocation('w1'));
    const event = (name: string, extra: Record<string, unknown> = {}): Event => kubeletEvent(name, 'Pulled', 'Successfully pulled image "nginx"', 'Normal', extra);
    // A row of the Event store, and one kept whole (labelled).
    const stored = [right(client.create('Event', event('a'))), right(client.create('Event', event('b', { labels: { x: 'y' } })))];
    const seen: WatchEvent[] = [];
    const subscription = client.watch('Event').subscribe((e) => seen.push(e));
    const rv = Number(sim.api.resourceVersion);
    sim.clock.runFor(61_000);
    subscription.unsubscribe();
    const deleted = seen.filter((e) => e.type === 'DELETED');
    expect(deleted.map((e) => e.object.metadata?.name)).toEqual(['a', 'b']);
    deleted.forEach((e, i) => {
      const before = stored[i]!;
      const expected = { ...before, metadata: { ...before.metadata, resourceVersion: String(rv + 1 + i) } };
      expect(JSON.stringify(e.object)).toBe(JSON.stringify(expected));
      expect(Object.isFrozen(e.object) && Object.isFrozen(e.object.metadata)).toBe(true);
    });
    expect(right(client.list('Event')).items).toEqual([]);
    const removals = sim.trace.entries.filter((e) => e.type === 'write' && e.verb === 'remove');
    expect(removals.map((e) => (e.type === 'write' ? [e.name, e.resourceVersion, e.by] : []))).toEqual([
      ['a', String(rv + 1), 'kube-apiserver@control-plane'],
      ['b', String(rv + 2), 'kube-apiserver@control-plane'],
    ]);
  });

  it('removes by the stored row only the write its countdown was for: a patched, a deleted and a re-created Event expire as by name', () => {
    const sim = createSimulation({ eventTTLSeconds: 60 });
    const client = sim.api.client('kubelet', nodeLocation('w1'));
    const event = (name: string): Event => kubeletEvent(name, 'BackOff', 'Back-off restarting failed container', 'Warning');
    right(client.create('Event', event('patched')));
    right(client.create('Event', event('deleted')));
    right(client.create('Event', event('recreated')));
    sim.clock.runFor(10_000);
    // A count bump restarts the countdown; a delete ends it; a re-creation takes the freed row again.
    right(client.patch('Event', 'patched', { count: 2 }, { namespace: 'default' }));
    right(client.delete('Event', 'deleted', { namespace: 'default' }));
    right(client.delete('Event', 'recreated', { namespace: 'default' }));
    sim.clock.runFor(20_000);
    const again = right(client.create('Event', event('recreated')));
    const seen: WatchEvent[] = [];
    const subscription = client.watch('Event').subscribe((e) => {
      if (e.type === 'DELETED') seen.push(e);
    });
    sim.clock.runFor(30_000); // 60 s after the first writes: nothing of theirs is left to expire
    expect(seen).toEqual([]);
    const rv = Number(sim.api.resourceVersion);
    sim.clock.runFor(20_000); // the patch's countdown runs out
    expect(seen.map((e) => [e.type, e.object.metadata?.name, e.object.metadata?.resourceVersion, (e.object as Event).count])).toEqual([['DELETED', 'patched', String(rv + 1), 2]]);
    sim.clock.runFor(20_000); // the re-creation's
    subscription.unsubscribe();
    expect(seen.map((e) => [e.type, e.object.metadata?.name, e.object.metadata?.resourceVersion])).toEqual([
      ['DELETED', 'patched', String(rv + 1)],
      ['DELETED', 'recreated', String(rv + 2)],
    ]);
    expect(seen[1]!.object.metadata?.uid).toBe(again.metadata?.uid);
    expect(right(client.list('Event')).items).toEqual([]);
  });
});

describe('ApiServer copies of stored objects built as literals (issue 8)', () => {
  const frozen = (v: unknown): boolean => v === null || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(frozen));
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u-1', controller: true };
  // Metadata shapes: a workload Pod's and a registered Node's (literals), and others (the
  // generic copy), with the keys the server stores them with (the client's, then its own).
  const metadatas: readonly { kind: 'Pod' | 'Node'; metadata: ObjectMeta; stored: string }[] = [
    { kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, ownerReferences: [owner] }, stored: 'labels,ownerReferences,name,namespace' },
    { kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, annotations: { a: 'b' }, ownerReferences: [owner] }, stored: 'labels,annotations,ownerReferences,name,namespace' },
    { kind: 'Pod', metadata: { ownerReferences: [owner], labels: { app: 'web' }, name: 'p', namespace: 'default' }, stored: 'ownerReferences,labels,name,namespace' },
    { kind: 'Node', metadata: { name: 'n', labels: { zone: 'a' }, annotations: { note: 'x' } }, stored: 'labels,annotations,name' },
    { kind: 'Node', metadata: { name: 'n', annotations: { note: 'x' }, labels: { zone: 'a' } }, stored: 'annotations,labels,name' },
    { kind: 'Node', metadata: { name: 'n', labels: { zone: 'a' } }, stored: 'labels,name' },
  ];
  const storedKeys = (stored: string): string[] => [...stored.split(','), 'uid', 'creationTimestamp', 'resourceVersion'];

  it.each(metadatas.map((m) => [m.stored, m] as const))(
    'stores a status write of %s metadata as Object.assign({}, old, { status }) with the new resourceVersion gives: same JSON, frozen, members shared',
    (stored, { kind, metadata }) => {
      const sim = createSimulation();
      const client = sim.api.client('kubelet');
      const old =
        kind === 'Pod'
          ? right(client.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'c', image: 'nginx:1.17' }] } }))
          : right(client.create('Node', { apiVersion: 'v1', kind: 'Node', metadata, spec: {} }));
      expect(Object.keys(old.metadata ?? {})).toEqual(storedKeys(stored));
      const status = { conditions: [{ type: 'Ready', status: 'True' }] };
      const written = right(client.update(kind, { ...old, status }, { subresource: 'status' }));
      const expected = Object.assign({}, old, { metadata: Object.assign({}, old.metadata, { resourceVersion: sim.api.resourceVersion }), status });
      expect(JSON.stringify(written)).toBe(JSON.stringify(expected));
      expect(Object.keys(written.metadata ?? {})).toEqual(Object.keys(old.metadata ?? {}));
      expect(frozen(written)).toBe(true);
      for (const key of Object.keys(old.metadata ?? {})) {
        if (key !== 'resourceVersion') expect((written.metadata as Record<string, unknown>)[key]).toBe((old.metadata as Record<string, unknown>)[key]);
      }
      expect(written.spec).toBe(old.spec);
    },
  );

  it.each(metadatas.filter((m) => m.kind === 'Pod').map((m) => [m.stored, m] as const))(
    'binds and removes a pod of %s metadata with the metadata a spread gives at each resourceVersion',
    (stored, { metadata }) => {
      const sim = createSimulation();
      const client = sim.api.client('test');
      const old = right(client.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [{ name: 'c', image: 'nginx:1.17' }] } }));
      expect(Object.keys(old.metadata ?? {})).toEqual(storedKeys(stored));
      const bound = right(client.bind('p', 'default', 'w1'));
      expect(JSON.stringify(bound.metadata)).toBe(JSON.stringify({ ...old.metadata, resourceVersion: sim.api.resourceVersion }));
      expect(frozen(bound)).toBe(true);
      expect(bound.metadata?.labels).toBe(old.metadata?.labels);
      expect(bound.metadata?.ownerReferences).toBe(old.metadata?.ownerReferences);
      const removed = right(client.delete('Pod', 'p', { namespace: 'default', gracePeriodSeconds: 0 }));
      expect(JSON.stringify(removed)).toBe(JSON.stringify({ ...bound, metadata: { ...bound.metadata, resourceVersion: sim.api.resourceVersion } }));
      expect(frozen(removed)).toBe(true);
    },
  );

  it('creates and updates a Lease with the members Object.assign({}, input, { apiVersion, kind, metadata }) gives, frozen', () => {
    const sim = createSimulation();
    const client = sim.api.client('kubelet');
    const spec = { holderIdentity: 'w1', leaseDurationSeconds: 40, renewTime: '2019-06-01T00:00:00.000000Z' };
    const created = right(client.create('Lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'w1', namespace: 'kube-node-lease' }, spec }));
    expect(Object.keys(created)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(created.spec).toEqual(spec);
    expect(frozen(created)).toBe(true);
    const renewed = right(client.update('Lease', { ...created, spec: { ...created.spec, renewTime: '2019-06-01T00:00:10.000000Z' } }));
    expect(JSON.stringify(renewed)).toBe(
      JSON.stringify({ ...created, metadata: { ...created.metadata, resourceVersion: sim.api.resourceVersion }, spec: { ...spec, renewTime: '2019-06-01T00:00:10.000000Z' } }),
    );
    expect(frozen(renewed)).toBe(true);
    // Another order keeps its own (the generic copy), with the server's apiVersion and kind.
    const odd = right(client.update('Lease', { spec: { ...spec, renewTime: '2019-06-01T00:00:20.000000Z' }, metadata: renewed.metadata, kind: 'Lease' } as never));
    expect(Object.keys(odd)).toEqual(['spec', 'metadata', 'kind', 'apiVersion']);
    expect(odd.apiVersion).toBe('coordination.k8s.io/v1');
    expect(frozen(odd)).toBe(true);
  });
});
