// The API handler in process: a simulation of core's API server behind startServer on
// port 0, called with fetch as kubectl calls it (paths, Accept and Content-Type headers
// from the reference kubectl-api-surface.md). Bad requests get their Status and change
// nothing; the resourceVersion before and after proves it.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSimulation, type Simulation } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { startServer, type ServeServer } from './server.js';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const SMP = 'application/strategic-merge-patch+json';

/** A decoded JSON document. */
type Json = Record<string, unknown>;

/** The value at `path` inside a decoded JSON document (undefined when absent). */
const dig = (value: unknown, ...path: (string | number)[]): unknown => {
  let v = value;
  for (const key of path) v = v === null || typeof v !== 'object' ? undefined : (v as Record<string | number, unknown>)[key];
  return v;
};
/** The array at `path` (empty when absent). */
const items = (value: unknown, ...path: (string | number)[]): unknown[] => {
  const v = dig(value, ...path);
  return Array.isArray(v) ? (v as unknown[]) : [];
};

let sim: Simulation;
let server: ServeServer;

const call = async (path: string, init: { method?: string; accept?: string; contentType?: string; body?: string } = {}): Promise<{ status: number; type: string; json: Json }> => {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'User-Agent': 'kubectl/v1.32.5 (linux/amd64) kubernetes/test', Accept: init.accept ?? 'application/json', ...(init.contentType ? { 'Content-Type': init.contentType } : {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as Json };
};

/** Reads a watch stream's lines until `count` events arrived (or the stream ended). */
const watchLines = async (path: string, count: number, accept = 'application/json', during?: () => void): Promise<Json[]> => {
  const controller = new AbortController();
  const res = await fetch(`${server.url}${path}`, { headers: { Accept: accept }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const events: Json[] = [];
  let text = '';
  let first = true;
  while (events.length < count) {
    const read = reader.read();
    if (first && during) during();
    first = false;
    const { value, done } = (await read) as { value?: Uint8Array; done: boolean };
    if (done || !value) break;
    text += Buffer.from(value).toString('utf8');
    const lines = text.split('\n');
    text = lines.pop() ?? '';
    for (const l of lines) if (l) events.push(JSON.parse(l) as Json);
  }
  controller.abort();
  return events;
};

const node = (name: string): Node => ({
  metadata: { name, labels: { 'node-role.kubernetes.io/worker': '' } },
  status: {
    conditions: [{ type: 'Ready', status: 'True' }],
    addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
    nodeInfo: { kubeletVersion: 'v1.32.9', osImage: 'Ubuntu', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://1.7', architecture: 'amd64', bootID: '', kubeProxyVersion: '', machineID: '', operatingSystem: 'linux', systemUUID: '' },
  },
});
const pod = (name: string, nodeName: string, labels: Record<string, string> = {}): Pod => ({
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
});

beforeEach(async () => {
  sim = createSimulation({ seed: 7, epoch: '2026-11-26T00:00:00Z', watchCacheSize: 50 });
  const admin = sim.api.client('test');
  for (const n of ['node-1', 'node-2']) admin.create('Node', node(n));
  admin.create('Pod', pod('web-0', 'node-1', { app: 'web' }));
  admin.create('Pod', pod('web-1', 'node-2', { app: 'web' }));
  sim.clock.runFor(90_000);
  server = await startServer({ api: sim.api, clock: sim.clock, gitVersion: 'v1.32.9' }, { port: 0 });
});

afterEach(async () => {
  await server.close();
  sim.stop();
});

describe('discovery', () => {
  it('answers /version with the profile version', async () => {
    const { json } = await call('/version?timeout=32s');
    expect(json).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.9' });
  });

  it('serves aggregated discovery with the content type of the offered version, legacy JSON otherwise', async () => {
    const v2 = await call('/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' });
    expect(v2.type).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(v2.json['apiVersion']).toBe('apidiscovery.k8s.io/v2');
    const apps = items(v2.json, 'items').find((i) => dig(i, 'metadata', 'name') === 'apps');
    expect(items(apps, 'versions', 0, 'resources').find((r) => dig(r, 'resource') === 'statefulsets')).toMatchObject({ responseKind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, scope: 'Namespaced', shortNames: ['sts'] });
    const v2beta1 = await call('/api', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' });
    expect(v2beta1.type).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    const pods = items(v2beta1.json, 'items', 0, 'versions', 0, 'resources').find((r) => dig(r, 'resource') === 'pods');
    expect(dig(pods, 'subresources')).toContainEqual({ subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] });
    const legacy = await call('/api');
    expect(legacy.type).toBe('application/json');
    expect(legacy.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });

  it('lists pods/eviction in the legacy /api/v1 resource list, as drain checks', async () => {
    const { json } = await call('/api/v1');
    expect(json['resources']).toContainEqual({ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  });
});

describe('reads', () => {
  it('answers a Table with every column (wide ones at priority 1) and PartialObjectMetadata rows', async () => {
    const { json, type } = await call('/api/v1/nodes?limit=500', { accept: TABLE_ACCEPT });
    expect(type).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(items(json, 'columnDefinitions').map((c) => `${String(dig(c, 'name'))}:${String(dig(c, 'priority'))}`)).toEqual([
      'Name:0',
      'Status:0',
      'Roles:0',
      'Age:0',
      'Version:0',
      'Internal-IP:1',
      'External-IP:1',
      'OS-Image:1',
      'Kernel-Version:1',
      'Container-Runtime:1',
    ]);
    expect(dig(json, 'columnDefinitions', 0, 'format')).toBe('name');
    expect(dig(json, 'rows', 0, 'cells')).toEqual(['node-1', 'Ready', 'worker', '90s', 'v1.32.9', '10.0.0.1', '<none>', 'Ubuntu', '6.1', 'containerd://1.7']);
    expect(dig(json, 'rows', 0, 'object')).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'node-1' } });
    expect(dig(json, 'metadata', 'resourceVersion')).toBe(sim.api.resourceVersion);
  });

  it('puts the full object in the rows for includeObject=Object (what --sort-by needs)', async () => {
    const { json } = await call('/api/v1/namespaces/default/pods?includeObject=Object', { accept: TABLE_ACCEPT });
    expect(items(json, 'rows').map((r) => dig(r, 'object', 'kind'))).toEqual(['Pod', 'Pod']);
    expect(items(json, 'rows', 0, 'cells').slice(0, 5)).toEqual(['web-0', '0/1', 'Pending', '0', '90s']);
  });

  it('honours field and label selectors (+ for space)', async () => {
    const byNode = await call('/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-2%2Cstatus.phase%21%3DSucceeded&limit=500');
    expect(byNode.json['kind']).toBe('PodList');
    expect(items(byNode.json, 'items').map((p) => dig(p, 'metadata', 'name'))).toEqual(['web-1']);
    const byLabel = await call('/api/v1/namespaces/default/pods?labelSelector=app+in+%28web%29');
    expect(items(byLabel.json, 'items')).toHaveLength(2);
    const bad = await call('/api/v1/pods?fieldSelector=spec.nope%3Dx');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });
});

describe('bad requests get their Status and change nothing', () => {
  it('an unknown resource is 404 NotFound', async () => {
    const before = sim.api.resourceVersion;
    const { status, json } = await call('/api/v1/namespaces/default/widgets', { method: 'POST', contentType: 'application/json', body: '{}' });
    expect(status).toBe(404);
    expect(json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: 'the server could not find the requested resource', code: 404 });
    expect(sim.api.resourceVersion).toBe(before);
  });

  it('a missing object is 404 with the plural resource in details', async () => {
    const { status, json } = await call('/api/v1/namespaces/default/pods/nope');
    expect(status).toBe(404);
    expect(json).toMatchObject({ reason: 'NotFound', message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' } });
  });

  it('malformed JSON is 400 BadRequest and creates nothing', async () => {
    const before = sim.api.resourceVersion;
    const { status, json } = await call('/api/v1/namespaces/default/pods', { method: 'POST', contentType: 'application/json', body: '{"metadata": {' });
    expect(status).toBe(400);
    expect(json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    expect(json['message']).toMatch(/^couldn't get version\/kind: json parse error: /);
    expect(sim.api.resourceVersion).toBe(before);
  });

  it('an invalid patch is refused: malformed, failing JSON patch test, unknown patch type', async () => {
    const before = sim.api.resourceVersion;
    const malformed = await call('/api/v1/nodes/node-1', { method: 'PATCH', contentType: SMP, body: '{"spec":' });
    expect(malformed.status).toBe(400);
    expect(malformed.json['reason']).toBe('BadRequest');
    const failedTest = await call('/api/v1/nodes/node-1', {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: JSON.stringify([{ op: 'test', path: '/spec/unschedulable', value: true }, { op: 'replace', path: '/metadata/labels', value: {} }]),
    });
    expect(failedTest.status).toBeGreaterThanOrEqual(400);
    expect(failedTest.json['kind']).toBe('Status');
    const unknownType = await call('/api/v1/nodes/node-1', { method: 'PATCH', contentType: 'application/apply-patch+yaml', body: 'spec: {}' });
    expect(unknownType.status).toBe(415);
    expect(unknownType.json['reason']).toBe('UnsupportedMediaType');
    expect(sim.api.resourceVersion).toBe(before);
  });

  it('a stale resourceVersion on PUT is 409 Conflict with upstream text', async () => {
    const got = await call('/api/v1/nodes/node-1');
    const stale = { ...got.json, metadata: { ...(got.json['metadata'] as Json), resourceVersion: '1' }, spec: { unschedulable: true } };
    const before = sim.api.resourceVersion;
    const { status, json } = await call('/api/v1/nodes/node-1', { method: 'PUT', contentType: 'application/json', body: JSON.stringify(stale) });
    expect(status).toBe(409);
    expect(json).toMatchObject({
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on nodes "node-1": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect(sim.api.resourceVersion).toBe(before);
  });

  it('a watch from a compacted resourceVersion ends with an ERROR event 410 Expired', async () => {
    const admin = sim.api.client('test');
    for (let i = 0; i < 60; i++) admin.patch('Node', 'node-2', { metadata: { labels: { n: String(i) } } });
    const events = await watchLines('/api/v1/nodes?watch=true&resourceVersion=2', 1);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', reason: 'Expired', code: 410 } });
    expect(dig(events[0], 'object', 'message')).toMatch(/^too old resource version: 2 /);
  });

  it('an unparsable resourceVersion is 400', async () => {
    const { status, json } = await call('/api/v1/pods?watch=true&resourceVersion=abc');
    expect(status).toBe(400);
    expect(json['message']).toBe('invalid resource version: "abc"');
  });
});

describe('writes', () => {
  it('cordons with a strategic-merge patch and uncordons with null', async () => {
    const cordon = await call('/api/v1/nodes/node-1', { method: 'PATCH', contentType: SMP, body: '{"spec":{"unschedulable":true}}' });
    expect(cordon.status).toBe(200);
    expect(cordon.json['spec']).toEqual({ unschedulable: true });
    const table = await call('/api/v1/nodes/node-1', { accept: TABLE_ACCEPT });
    expect(dig(table.json, 'rows', 0, 'cells', 1)).toBe('Ready,SchedulingDisabled');
    const uncordon = await call('/api/v1/nodes/node-1', { method: 'PATCH', contentType: SMP, body: '{"spec":{"unschedulable":null}}' });
    expect(dig(uncordon.json, 'spec', 'unschedulable')).toBeUndefined();
  });

  it('taints with the whole taints list and removes the last with null', async () => {
    const taint = { effect: 'NoExecute', key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown' };
    const tainted = await call('/api/v1/nodes/node-2?fieldManager=kubectl-taint&fieldValidation=Strict', { method: 'PATCH', contentType: SMP, body: JSON.stringify({ spec: { taints: [taint] } }) });
    expect(dig(tainted.json, 'spec', 'taints')).toEqual([taint]);
    const untainted = await call('/api/v1/nodes/node-2', { method: 'PATCH', contentType: SMP, body: '{"spec":{"taints":null}}' });
    expect(dig(untainted.json, 'spec', 'taints')).toBeUndefined();
  });

  it('deletes a bound pod gracefully, and at once with gracePeriodSeconds 0', async () => {
    const graceful = await call('/api/v1/namespaces/default/pods/web-0', { method: 'DELETE', contentType: 'application/json', body: '{"propagationPolicy":"Background"}' });
    expect(graceful.status).toBe(200);
    expect(graceful.json['metadata']).toMatchObject({ deletionGracePeriodSeconds: 30 });
    const forced = await call('/api/v1/namespaces/default/pods/web-0', { method: 'DELETE', contentType: 'application/json', body: '{"gracePeriodSeconds":0,"propagationPolicy":"Background"}' });
    expect(forced.status).toBe(200);
    expect((await call('/api/v1/namespaces/default/pods/web-0')).status).toBe(404);
  });

  it('evicts through pods/eviction: 201 Success, or 429 while a PodDisruptionBudget allows no disruption', async () => {
    const admin = sim.api.client('test');
    admin.create('PodDisruptionBudget', { metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    admin.patch('PodDisruptionBudget', 'web', { status: { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2 } }, { namespace: 'default', type: 'merge', subresource: 'status' });
    for (const name of ['web-0', 'web-1']) admin.patch('Pod', name, { status: { phase: 'Running' } }, { namespace: 'default', type: 'merge', subresource: 'status' });
    const body = JSON.stringify({ kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name: 'web-1', namespace: 'default', creationTimestamp: null }, deleteOptions: {} });
    const refused = await call('/api/v1/namespaces/default/pods/web-1/eviction', { method: 'POST', contentType: 'application/json', body });
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget." });
    admin.patch('PodDisruptionBudget', 'web', { status: { disruptionsAllowed: 1 } }, { namespace: 'default', type: 'merge', subresource: 'status' });
    const evicted = await call('/api/v1/namespaces/default/pods/web-1/eviction', { method: 'POST', contentType: 'application/json', body });
    expect(evicted.status).toBe(201);
    expect(evicted.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const left = admin.get('Pod', 'web-1', 'default');
    expect(E.isRight(left) && left.right.metadata?.deletionTimestamp).toBeTruthy();
  });
});

describe('watch', () => {
  it('from the list resourceVersion sends only later changes, as one-row Tables with columns only first', async () => {
    const list = await call('/api/v1/nodes', { accept: TABLE_ACCEPT });
    const rv = String(dig(list.json, 'metadata', 'resourceVersion'));
    const admin = sim.api.client('test');
    const events = await watchLines(`/api/v1/nodes?resourceVersion=${rv}&watch=true`, 2, TABLE_ACCEPT, () => {
      admin.patch('Node', 'node-1', { spec: { unschedulable: true } });
      admin.delete('Node', 'node-2');
    });
    expect(events.map((e) => e['type'])).toEqual(['MODIFIED', 'DELETED']);
    expect(dig(events[0], 'object', 'kind')).toBe('Table');
    expect(items(events[0], 'object', 'rows', 0, 'cells').slice(0, 2)).toEqual(['node-1', 'Ready,SchedulingDisabled']);
    expect(dig(events[0], 'object', 'columnDefinitions')).toHaveLength(10);
    expect(dig(events[1], 'object', 'columnDefinitions')).toBeNull();
  });

  it('for one object from resourceVersion 0 starts with a synthetic ADDED, and no bookmarks unless asked', async () => {
    const admin = sim.api.client('test');
    const events = await watchLines('/api/v1/nodes?fieldSelector=metadata.name%3Dnode-1&resourceVersion=0&watch=true', 2, 'application/json', () => {
      sim.clock.runFor(120_000);
      admin.patch('Node', 'node-1', { spec: { unschedulable: true } });
    });
    expect(events.map((e) => `${String(e['type'])} ${String(dig(e, 'object', 'metadata', 'name'))}`)).toEqual(['ADDED node-1', 'MODIFIED node-1']);
  });

  it('sends bookmarks when allowWatchBookmarks=true, and the initial-events-end bookmark for sendInitialEvents', async () => {
    const events = await watchLines('/api/v1/nodes?allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&watch=true', 4, 'application/json', () => {
      sim.clock.runFor(60_000);
    });
    expect(events.map((e) => e['type'])).toEqual(['ADDED', 'ADDED', 'BOOKMARK', 'BOOKMARK']);
    expect(dig(events[2], 'object', 'metadata', 'annotations')).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(dig(events[3], 'object')).toEqual({ kind: 'Node', apiVersion: 'v1', metadata: { resourceVersion: sim.api.resourceVersion } });
  });

  it('ends the stream after timeoutSeconds of virtual time', async () => {
    const events = await watchLines('/api/v1/nodes?resourceVersion=0&timeoutSeconds=5&watch=true', 10, 'application/json', () => {
      sim.clock.runFor(5_000);
    });
    expect(events.map((e) => e['type'])).toEqual(['ADDED', 'ADDED']);
  });
});
