import { describe, it, expect } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ApiError } from './errors.js';
import type { KubeObject } from './resources.js';
import {
  compileFieldSelector,
  eventFields,
  fieldsForKind,
  metadataFields,
  nodeFields,
  parseFieldSelector,
  podFields,
  type FieldRequirement,
} from './fields.js';

const right = <T>(e: E.Either<ApiError, T>): T => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${e.left.message}`);
  return e.right;
};
const left = <T>(e: E.Either<ApiError, T>): ApiError => {
  if (E.isRight(e)) throw new Error('expected Left');
  return e.left;
};

/** Parses and compiles against a kind's table, as the API server's list does. */
const selector = (text: string, kind: string): ((obj: KubeObject) => boolean) =>
  right(compileFieldSelector(right(parseFieldSelector(text)), fieldsForKind(kind), kind));

const pod = (name: string, nodeName: string | undefined, phase: string, ns = 'default'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'c' }], ...(nodeName ? { nodeName } : {}) },
  status: { phase },
});

describe('parseFieldSelector', () => {
  it('parses =, == and != terms, keeping their order', () => {
    const expected: FieldRequirement[] = [
      { field: 'spec.nodeName', operator: '=', value: 'node-1' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
      { field: 'metadata.name', operator: '=', value: 'web-0' },
    ];
    expect(right(parseFieldSelector('spec.nodeName=node-1,status.phase!=Failed,metadata.name==web-0'))).toEqual(expected);
  });

  it('gives no requirement for an empty string and skips empty terms', () => {
    expect(right(parseFieldSelector(''))).toEqual([]);
    expect(right(parseFieldSelector(',a=b,,'))).toEqual([{ field: 'a', operator: '=', value: 'b' }]);
  });

  it('accepts empty values, as kubectl describe node sends them', () => {
    expect(right(parseFieldSelector('involvedObject.namespace='))).toEqual([{ field: 'involvedObject.namespace', operator: '=', value: '' }]);
  });

  it('splits a term at its leftmost operator', () => {
    expect(right(parseFieldSelector('a=!b'))).toEqual([{ field: 'a', operator: '=', value: '!b' }]);
    expect(right(parseFieldSelector('a!=b'))).toEqual([{ field: 'a', operator: '!=', value: 'b' }]);
  });

  it('unescapes \\, \\= and \\\\ in values, and does not split at an escaped comma', () => {
    expect(right(parseFieldSelector('a=x\\,y\\=z\\\\,b=c'))).toEqual([
      { field: 'a', operator: '=', value: 'x,y=z\\' },
      { field: 'b', operator: '=', value: 'c' },
    ]);
  });

  it('does not trim: a space belongs to the field name', () => {
    expect(right(parseFieldSelector('a=b, c=d'))[1]?.field).toBe(' c');
  });

  it.each([
    ['status.phase', "invalid selector: 'status.phase'; can't understand 'status.phase'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j with upstream text', (text, message) => {
    const err = left(parseFieldSelector(text));
    expect(err.reason).toBe('BadRequest');
    expect(err.code).toBe(400);
    expect(err.message).toBe(message);
  });
});

describe('compileFieldSelector', () => {
  it('selects the Pods of a node that are not finished (kubectl describe node)', () => {
    const match = selector('spec.nodeName=node-1,status.phase!=Succeeded,status.phase!=Failed', 'Pod');
    expect(match(pod('a', 'node-1', 'Running'))).toBe(true);
    expect(match(pod('b', 'node-1', 'Failed'))).toBe(false);
    expect(match(pod('c', 'node-2', 'Running'))).toBe(false);
    expect(match(pod('d', undefined, 'Pending'))).toBe(false);
  });

  it('compares a missing field as ""', () => {
    const unscheduled = selector('spec.nodeName=', 'Pod');
    expect(unscheduled(pod('a', undefined, 'Pending'))).toBe(true);
    expect(unscheduled(pod('b', 'node-1', 'Running'))).toBe(false);
    expect(selector('spec.nodeName!=', 'Pod')(pod('b', 'node-1', 'Running'))).toBe(true);
  });

  it('matches everything with no requirement', () => {
    const all = right(compileFieldSelector([], podFields, 'Pod'));
    expect(all(pod('a', undefined, 'Pending'))).toBe(true);
  });

  it('rejects a field the kind does not support with the Pod/Node/Event text', () => {
    const err = left(compileFieldSelector(right(parseFieldSelector('spec.foo=bar')), podFields, 'Pod'));
    expect(err.reason).toBe('BadRequest');
    expect(err.code).toBe(400);
    expect(err.message).toBe('field label not supported: spec.foo');
    expect(left(compileFieldSelector(right(parseFieldSelector('metadata.namespace=')), nodeFields, 'Node')).message).toBe(
      'field label not supported: metadata.namespace',
    );
  });

  it('words the rejection as DefaultMetaV1FieldSelectorConversion for kinds without a conversion', () => {
    const err = left(compileFieldSelector(right(parseFieldSelector('spec.replicas=3')), metadataFields, 'StatefulSet'));
    expect(err.message).toBe('"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('reads the Pod IP from podIPs when podIP is absent', () => {
    const match = selector('status.podIP=10.0.0.7', 'Pod');
    expect(match({ ...pod('a', 'n', 'Running'), status: { podIPs: [{ ip: '10.0.0.7' }] } } as Pod)).toBe(true);
    expect(match({ ...pod('a', 'n', 'Running'), status: { podIP: '10.0.0.7' } } as Pod)).toBe(true);
  });

  it('renders booleans as upstream does: an unset flag is "false"', () => {
    const schedulable = selector('spec.unschedulable=false', 'Node');
    const node = (unschedulable?: boolean): Node => ({ metadata: { name: 'n' }, spec: unschedulable === undefined ? {} : { unschedulable } });
    expect(schedulable(node())).toBe(true);
    expect(schedulable(node(false))).toBe(true);
    expect(schedulable(node(true))).toBe(false);
    expect(selector('spec.hostNetwork=false', 'Pod')(pod('a', 'n', 'Running'))).toBe(true);
  });
});

describe('field tables', () => {
  const event: Event = {
    metadata: { name: 'web-0.17', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u-1', apiVersion: 'v1', resourceVersion: '42', fieldPath: 'spec.containers{c}' },
    reason: 'FailedAttachVolume',
    type: 'Warning',
    source: { component: 'attachdetach-controller' },
    reportingComponent: 'attachdetach-controller',
  };

  it('has exactly the upstream Pod fields', () => {
    expect([...podFields.keys()].sort()).toEqual(
      [
        'metadata.name',
        'metadata.namespace',
        'spec.hostNetwork',
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'status.nominatedNodeName',
        'status.phase',
        'status.podIP',
      ].sort(),
    );
  });

  it('reads every Event field (kubectl describe pod queries)', () => {
    const expected: Record<string, string> = {
      'metadata.name': 'web-0.17',
      'metadata.namespace': 'default',
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': 'default',
      'involvedObject.name': 'web-0',
      'involvedObject.uid': 'u-1',
      'involvedObject.apiVersion': 'v1',
      'involvedObject.resourceVersion': '42',
      'involvedObject.fieldPath': 'spec.containers{c}',
      reason: 'FailedAttachVolume',
      reportingComponent: 'attachdetach-controller',
      source: 'attachdetach-controller',
      type: 'Warning',
    };
    expect([...eventFields.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [field, value] of Object.entries(expected)) expect(eventFields.get(field)?.(event)).toBe(value);
    const match = selector('involvedObject.name=web-0,involvedObject.namespace=default,involvedObject.uid=u-1', 'Event');
    expect(match(event)).toBe(true);
    expect(match({ ...event, involvedObject: { ...event.involvedObject, uid: 'u-2' } } as Event)).toBe(false);
  });

  it('falls back to the reporting controller for an Event source', () => {
    expect(eventFields.get('source')?.({ ...event, source: {}, reportingComponent: 'kubelet' })).toBe('kubelet');
  });

  it('has only name and unschedulable for Nodes, name and namespace for others', () => {
    expect([...nodeFields.keys()]).toEqual(['metadata.name', 'spec.unschedulable']);
    expect([...metadataFields.keys()]).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('picks the table by kind', () => {
    expect(fieldsForKind('Pod')).toBe(podFields);
    expect(fieldsForKind('Event')).toBe(eventFields);
    expect(fieldsForKind('Node')).toBe(nodeFields);
    expect(fieldsForKind('PersistentVolumeClaim')).toBe(metadataFields);
    expect(fieldsForKind('StatefulSet')).toBe(metadataFields);
  });

  it('selects cluster-scoped objects by an empty namespace', () => {
    const pv: KubeObject = { metadata: { name: 'pv-1' } };
    expect(selector('metadata.namespace=,metadata.name=pv-1', 'PersistentVolume')(pv)).toBe(true);
  });
});
