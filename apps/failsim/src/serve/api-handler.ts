// The HTTP face of the simulated API server: kube-apiserver's REST handlers
// (k8s.io/apiserver pkg/endpoints/handlers: get.go, create.go, update.go, patch.go,
// delete.go, watch.go; pkg/registry/core/pod/storage/eviction.go for pods/eviction) over
// the same ApiClient the controllers use, so admission, graceful deletion and the
// reconcilers apply to kubectl's writes as to any component's. Everything kubectl 1.27–1.33
// needs, per ../../../shared/reference/kubectl-api-surface.md; errors are Status objects.
import type { ApiClient, ApiError, ApiServer, DeleteOptions, KubeObject, ObjectOf, PatchType, SimClock } from '@failsim/core';
import { badRequest, resources } from '@failsim/core';
import * as E from 'fp-ts/lib/Either.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { aggregatedContentType, aggregatedDiscovery, aggregatedVersion, apiGroup, apiGroupList, apiResourceList, apiVersions, groupVersions, versionInfo } from './discovery.js';
import { CONTROL_PREFIX, type ControlRequest, type ControlResponse } from './control.js';
import { parsePath, type ResourcePath } from './request.js';
import { TABLE_CONTENT_TYPE, tableParts, toTable, wantsTable, type IncludeObject, type TableContext } from './tables.js';
import { streamWatch } from './watch-stream.js';
import { listParts, toWire, wireJson } from './wire.js';

/** What the handler serves. */
export interface ApiHandlerOptions {
  /** The simulation's API server; each caller gets a client of it. */
  readonly api: ApiServer;
  readonly clock: SimClock;
  /** The Kubernetes version `/version` reports (the profile's, e.g. "v1.12.4"). */
  readonly gitVersion: string;
  /** `host:port` for /api's serverAddressByClientCIDRs. */
  readonly serverAddress: () => string;
  /** failsim's control endpoint under /failsim/v1 (control.ts); without it those paths are 404. */
  readonly control?: (request: ControlRequest) => ControlResponse;
}

/** A request handler for node:http. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A Status for a path the server does not serve (upstream's NotFound without details). */
const pathNotFound = (): ApiError => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });

const status = (reason: string, code: number, message: string): object => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: {}, code });

/** PATCH content types (apimachinery types.PatchType). */
const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/strategic-merge-patch+json': 'strategic',
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
};

const send = (res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void => {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
};

/** Answers with bytes already encoded (wire.ts): no JSON.stringify, no byteLength of a long string. */
const sendBytes = (res: ServerResponse, code: number, bytes: Buffer, contentType = 'application/json'): void => {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': bytes.length, 'Cache-Control': 'no-cache, private' });
  res.end(bytes);
};

/** Answers with a body in pieces (wire.ts, tables.ts): written in order under one cork, never joined into one Buffer. */
const sendParts = (res: ServerResponse, code: number, parts: readonly Buffer[], contentType = 'application/json'): void => {
  let length = 0;
  for (const part of parts) length += part.length;
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': length, 'Cache-Control': 'no-cache, private' });
  res.cork();
  for (const part of parts) res.write(part);
  res.end();
  res.uncork();
};

/** Answers an ApiError as its Status, with its HTTP code (an unreachable server is 503; the kubectl client is never cut off). */
const sendError = (res: ServerResponse, error: ApiError): void => {
  const { kind, apiVersion, status: s, message, reason, details, code } = error;
  send(res, code || 503, { kind, apiVersion, metadata: {}, status: s, message, reason, details: details ?? {}, code: code || 503 });
};

/** The component name a User-Agent stands for: `kubectl/v1.32.5 (linux/amd64) …` → `kubectl`. */
export const componentOf = (userAgent: string | undefined): string => {
  const first = (userAgent ?? '').split(/[\s/]/)[0]?.replace(/[^A-Za-z0-9._-]/g, '') ?? '';
  return first || 'kubectl';
};

type Json = Record<string, unknown>;

/** A JSON body, or the BadRequest upstream answers for one it cannot decode. */
const parseJson = (body: Buffer, what: string): E.Either<ApiError, unknown> => {
  try {
    return E.right(JSON.parse(body.toString('utf8')));
  } catch (e) {
    return E.left(badRequest(`${what}: json parse error: ${(e as Error).message}`));
  }
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** DeleteOptions from the body (JSON; other encodings are ignored) and the query. */
const deleteOptions = (body: Buffer, contentType: string, query: URLSearchParams): E.Either<ApiError, Json> => {
  let options: Json = {};
  // Drain's fallback DELETE (1.32+) is protobuf; eviction is advertised so it is not sent, and a body that is not JSON is ignored.
  if (body.length > 0 && !contentType.includes('protobuf')) {
    const parsed = parseJson(body, "couldn't decode DeleteOptions");
    if (E.isLeft(parsed)) return parsed;
    if (!isObject(parsed.right)) return E.left(badRequest('DeleteOptions must be a JSON object'));
    options = parsed.right;
  }
  const grace = query.get('gracePeriodSeconds');
  const propagation = query.get('propagationPolicy');
  return E.right({ ...options, ...(grace !== null ? { gracePeriodSeconds: Number(grace) } : {}), ...(propagation ? { propagationPolicy: propagation } : {}) });
};

const toDeleteOptions = (o: Json, namespace: string | undefined): E.Either<ApiError, DeleteOptions> => {
  const grace = o['gracePeriodSeconds'];
  if (grace !== undefined && grace !== null && typeof grace !== 'number') return E.left(badRequest('gracePeriodSeconds must be an integer'));
  let propagation = o['propagationPolicy'] as DeleteOptions['propagationPolicy'] | undefined;
  if (propagation !== undefined && !['Background', 'Foreground', 'Orphan'].includes(propagation)) {
    return E.left(badRequest(`propagationPolicy must be one of Background, Foreground, Orphan, got "${String(propagation)}"`));
  }
  // The deprecated orphanDependents maps onto a policy, as upstream's DeletionPropagation defaulting does.
  if (propagation === undefined && typeof o['orphanDependents'] === 'boolean') propagation = o['orphanDependents'] ? 'Orphan' : 'Background';
  const pre = isObject(o['preconditions']) ? o['preconditions'] : undefined;
  return E.right({
    ...(namespace !== undefined ? { namespace } : {}),
    ...(typeof grace === 'number' ? { gracePeriodSeconds: grace } : {}),
    ...(propagation ? { propagationPolicy: propagation } : {}),
    ...(pre ? { preconditions: { ...(typeof pre['uid'] === 'string' ? { uid: pre['uid'] } : {}), ...(typeof pre['resourceVersion'] === 'string' ? { resourceVersion: pre['resourceVersion'] } : {}) } } : {}),
  });
};

const includeObjectOf = (query: URLSearchParams): E.Either<ApiError, IncludeObject> => {
  const v = query.get('includeObject') ?? 'Metadata';
  return v === 'None' || v === 'Metadata' || v === 'Object' ? E.right(v) : E.left(badRequest(`includeObject must be one of None, Metadata, Object, got "${v}"`));
};

const truthy = (v: string | null): boolean => v === 'true' || v === '1';

/**
 * The request handler. HTTP runs on the real event loop; every call is synchronous
 * against the simulated API server, at the virtual time the pacer has reached.
 * @example http.createServer(createApiHandler({ api: sim.api, clock: sim.clock, gitVersion: 'v1.12.4', serverAddress: () => '127.0.0.1:8001' }))
 */
export const createApiHandler = (options: ApiHandlerOptions): ApiHandler => {
  const clients = new Map<string, ApiClient>();
  const clientFor = (req: IncomingMessage): ApiClient => {
    const component = componentOf(req.headers['user-agent']);
    let client = clients.get(component);
    if (!client) clients.set(component, (client = options.api.client(component)));
    return client;
  };
  const serverMinor = Number(options.gitVersion.replace(/^v/, '').split('.')[1] ?? 0);
  const tableContext = (): TableContext => ({ now: options.clock.date(), serverMinor });

  const discovery = (req: IncomingMessage, res: ServerResponse, path: '/api' | '/apis'): void => {
    const aggregated = aggregatedVersion(req.headers.accept);
    if (aggregated) return send(res, 200, aggregatedDiscovery(path, aggregated), aggregatedContentType(aggregated));
    send(res, 200, path === '/api' ? apiVersions(options.serverAddress()) : apiGroupList());
  };

  const handleResource = (req: IncomingMessage, res: ServerResponse, path: ResourcePath, query: URLSearchParams, body: Buffer): void => {
    const client = clientFor(req);
    const { kind, namespace, name, subresource } = path;
    const r = resources[kind];
    const method = req.method ?? 'GET';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const answer = <T>(result: E.Either<ApiError, T>, code = 200): void => (E.isLeft(result) ? sendError(res, result.left) : sendBytes(res, code, wireJson(result.right as KubeObject)));
    if (query.has('dryRun')) return sendError(res, badRequest('dryRun is not supported by failsim serve: the request would change the simulated cluster'));
    if (subresource !== undefined && !(subresource === 'status' && r.hasStatus) && !(subresource === 'eviction' && kind === 'Pod')) return sendError(res, pathNotFound());
    const methodNotAllowed = (): void => send(res, 405, status('MethodNotAllowed', 405, `the server does not allow this method on the requested resource`));

    if (name === undefined) {
      const selectors = {
        ...(namespace !== undefined ? { namespace } : {}),
        ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
        ...(query.get('fieldSelector') ? { fieldSelector: query.get('fieldSelector')! } : {}),
      };
      if (method === 'GET') {
        const include = includeObjectOf(query);
        if (E.isLeft(include)) return sendError(res, include.left);
        const table = wantsTable(req.headers.accept);
        if (truthy(query.get('watch'))) {
          const timeout = query.get('timeoutSeconds');
          const rv = query.get('resourceVersion') ?? undefined;
          return streamWatch(
            {
              kind,
              ...selectors,
              ...(rv !== undefined ? { resourceVersion: rv } : {}),
              allowWatchBookmarks: truthy(query.get('allowWatchBookmarks')),
              sendInitialEvents: truthy(query.get('sendInitialEvents')),
              ...(timeout !== null ? { timeoutSeconds: Number(timeout) } : {}),
              ...(table ? { table: { include: include.right } } : {}),
              label: `${client.component} ${req.url ?? ''}`,
            },
            { client, clock: options.clock, resourceVersion: () => options.api.resourceVersion, tableContext, fail: (e) => sendError(res, e) },
            res,
          );
        }
        const rv = query.get('resourceVersion');
        if (rv && rv !== '0' && !/^\d+$/.test(rv)) return sendError(res, badRequest(`invalid resource version: "${rv}"`));
        const list = client.list(kind, selectors);
        if (E.isLeft(list)) return sendError(res, list.left);
        const items = list.right.items as readonly KubeObject[];
        if (table) return sendParts(res, 200, tableParts(kind, items, { ...tableContext(), include: include.right, resourceVersion: list.right.resourceVersion }), TABLE_CONTENT_TYPE);
        // Each item's bytes are encoded once and shared (wire.ts): a list of 2,000 pods is a copy, not 2,000 stringifies.
        return sendParts(res, 200, listParts(kind, r.apiVersion, list.right.resourceVersion, items));
      }
      if (method === 'POST') {
        const parsed = parseJson(body, "couldn't get version/kind");
        if (E.isLeft(parsed)) return sendError(res, parsed.left);
        if (!isObject(parsed.right)) return sendError(res, badRequest('the object provided is unrecognized (must be a JSON object)'));
        const input = parsed.right;
        if (input['kind'] !== undefined && input['kind'] !== kind) return sendError(res, badRequest(`the API version in the data (${String(input['apiVersion'])}) does not match the expected API version (${r.apiVersion})`));
        return answer(client.create(kind, input as ObjectOf<typeof kind>, namespace), 201);
      }
      if (method === 'DELETE') {
        // deletecollection: each selected object, as the registry's DeleteCollection does.
        const o = deleteOptions(body, contentType, query);
        if (E.isLeft(o)) return sendError(res, o.left);
        const list = client.list(kind, selectors);
        if (E.isLeft(list)) return sendError(res, list.left);
        const deleted: KubeObject[] = [];
        for (const item of list.right.items as KubeObject[]) {
          const d = toDeleteOptions(o.right, item.metadata?.namespace);
          if (E.isLeft(d)) return sendError(res, d.left);
          const result = client.delete(kind, item.metadata?.name ?? '', d.right);
          if (E.isRight(result)) deleted.push(toWire(result.right as KubeObject));
        }
        return send(res, 200, { kind: `${kind}List`, apiVersion: r.apiVersion, metadata: { resourceVersion: options.api.resourceVersion }, items: deleted });
      }
      return methodNotAllowed();
    }

    if (subresource === 'eviction') {
      if (method !== 'POST') return methodNotAllowed();
      const parsed = parseJson(body, "couldn't get version/kind");
      if (E.isLeft(parsed)) return sendError(res, parsed.left);
      if (!isObject(parsed.right)) return sendError(res, badRequest('the object provided is unrecognized (must be a JSON object)'));
      const eviction = parsed.right;
      const meta = isObject(eviction['metadata']) ? eviction['metadata'] : {};
      if (meta['name'] !== undefined && meta['name'] !== name) return sendError(res, badRequest(`name in URL does not match name in Eviction object`));
      const d = toDeleteOptions(isObject(eviction['deleteOptions']) ? eviction['deleteOptions'] : {}, undefined);
      if (E.isLeft(d)) return sendError(res, d.left);
      const evicted = client.evict(name, namespace ?? 'default', d.right);
      if (E.isLeft(evicted)) return sendError(res, evicted.left);
      return send(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    }

    const statusOnly = subresource === 'status';
    switch (method) {
      case 'GET': {
        const got = client.get(kind, name, namespace);
        if (E.isLeft(got)) return sendError(res, got.left);
        if (wantsTable(req.headers.accept) && !statusOnly) {
          const include = includeObjectOf(query);
          if (E.isLeft(include)) return sendError(res, include.left);
          return send(res, 200, toTable(kind, [toWire(got.right as KubeObject)], { ...tableContext(), include: include.right, resourceVersion: options.api.resourceVersion }), TABLE_CONTENT_TYPE);
        }
        return sendBytes(res, 200, wireJson(got.right));
      }
      case 'PUT': {
        const parsed = parseJson(body, "couldn't get version/kind");
        if (E.isLeft(parsed)) return sendError(res, parsed.left);
        if (!isObject(parsed.right)) return sendError(res, badRequest('the object provided is unrecognized (must be a JSON object)'));
        const input = parsed.right as KubeObject & Json;
        if (input.metadata?.name !== undefined && input.metadata.name !== name) return sendError(res, badRequest('the name of the object and the name sent on the request must match'));
        const obj = { ...input, metadata: { ...input.metadata, name, ...(namespace !== undefined ? { namespace } : {}) } } as ObjectOf<typeof kind>;
        return answer(client.update(kind, obj, statusOnly ? { subresource: 'status' } : {}));
      }
      case 'PATCH': {
        const type = PATCH_TYPES[contentType];
        if (!type) {
          return send(res, 415, status('UnsupportedMediaType', 415, `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_TYPES).join(', ')}`));
        }
        const parsed = parseJson(body, 'error decoding patch');
        if (E.isLeft(parsed)) return sendError(res, parsed.left);
        if (type !== 'json' && !isObject(parsed.right)) return sendError(res, badRequest('error decoding patch: a merge patch must be a JSON object'));
        if (type === 'json' && !Array.isArray(parsed.right)) return sendError(res, badRequest('error decoding patch: a JSON patch must be an array of operations'));
        return answer(client.patch(kind, name, parsed.right, { type, ...(namespace !== undefined ? { namespace } : {}), ...(statusOnly ? { subresource: 'status' as const } : {}) }));
      }
      case 'DELETE': {
        if (statusOnly) return methodNotAllowed();
        const o = deleteOptions(body, contentType, query);
        if (E.isLeft(o)) return sendError(res, o.left);
        const d = toDeleteOptions(o.right, namespace);
        if (E.isLeft(d)) return sendError(res, d.left);
        return answer(client.delete(kind, name, d.right));
      }
      default:
        return methodNotAllowed();
    }
  };

  const route = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://failsim');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    if (path === '/version') return send(res, 200, versionInfo(options.gitVersion, options.clock.iso(0)));
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
    }
    if (path === '/api' || path === '/apis') return method === 'GET' ? discovery(req, res, path) : sendError(res, pathNotFound());
    if (options.control && (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`))) {
      const answer = options.control({ method, path, body, remoteAddress: req.socket.remoteAddress });
      return send(res, answer.code, answer.body);
    }
    const info = parsePath(path);
    if (info.type === 'group') return send(res, 200, apiGroup(groupVersions().find((gv) => gv.group === info.group)!));
    if (info.type === 'groupVersion') return send(res, 200, apiResourceList(groupVersions().find((gv) => gv.group === info.group && gv.version === info.version)!));
    if (info.type === 'unknown') return sendError(res, pathNotFound());
    handleResource(req, res, info.resource, url.searchParams, body);
  };

  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        route(req, res, Buffer.concat(chunks));
      } catch (e) {
        // A bug of failsim's, not the client's: say so as upstream's InternalError would.
        if (!res.headersSent) send(res, 500, status('InternalError', 500, `Internal error occurred: ${(e as Error).message}`));
        else res.end();
      }
    });
  };
};

