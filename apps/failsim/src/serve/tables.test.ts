import { describe, expect, it } from '@jest/globals';
import { accessModes, formatLabelSelector, tableCells, tableColumns, tableJson, toTable, wantsTable, type TableContext } from './tables.js';
import { toWire } from './wire.js';

const ctx: TableContext = { now: new Date('2019-06-13T14:00:00Z'), serverMinor: 32 };
const old: TableContext = { ...ctx, serverMinor: 12 };
const names = (kind: Parameters<typeof tableColumns>[0], c = ctx): string[] => tableColumns(kind, c).map((col) => `${col.name}${col.priority ? '*' : ''}`);

describe('columns as upstream printers.go (1.32), wide ones marked *', () => {
  it('has the column sets of the reference §5.3', () => {
    expect(names('Pod')).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*']);
    expect(names('PersistentVolume')).toEqual(['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode*']);
    expect(names('PersistentVolumeClaim')).toEqual(['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode*']);
    expect(names('Event')).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']);
    expect(names('StatefulSet')).toEqual(['Name', 'Ready', 'Age', 'Containers*', 'Images*']);
    expect(names('DaemonSet')).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers*', 'Images*', 'Selector*']);
    expect(names('Lease')).toEqual(['Name', 'Holder', 'Age']);
    expect(tableColumns('Event', ctx).find((c) => c.name === 'Name')?.format).toBe('name');
  });

  it('leaves VolumeAttributesClass out before 1.29 and makes Restarts an integer before 1.24', () => {
    expect(names('PersistentVolumeClaim', old)).not.toContain('VolumeAttributesClass');
    expect(tableColumns('Pod', old).find((c) => c.name === 'Restarts')?.type).toBe('integer');
    expect(tableColumns('Pod', ctx).find((c) => c.name === 'Restarts')?.type).toBe('string');
  });
});

describe('cells', () => {
  it('computes pod cells, restarts with the last termination age', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'web-0', creationTimestamp: '2019-06-13T13:00:00Z' },
      spec: { nodeName: 'w1', containers: [{ name: 'c' }] },
      status: {
        phase: 'Running',
        podIP: '10.0.0.5',
        containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: '2019-06-13T13:55:00Z' } } }],
      },
    };
    expect(tableCells('Pod', pod, ctx)).toEqual(['web-0', '1/1', 'Running', '2 (5m ago)', '60m', '10.0.0.5', 'w1', '<none>', '<none>']);
    expect(tableCells('Pod', pod, old)[3]).toBe(2);
  });

  it('computes event cells in column order: wide ones in between', () => {
    const event = {
      kind: 'Event',
      metadata: { name: 'web-0.1' },
      involvedObject: { kind: 'Pod', name: 'web-0', fieldPath: 'spec.containers{c}' },
      reason: 'Started',
      message: ' Started container ',
      type: 'Normal',
      source: { component: 'kubelet', host: 'w1' },
      firstTimestamp: '2019-06-13T13:58:00Z',
      lastTimestamp: '2019-06-13T13:59:30Z',
    };
    expect(tableCells('Event', event, ctx)).toEqual(['30s', 'Normal', 'Started', 'pod/web-0', 'spec.containers{c}', 'kubelet, w1', 'Started container', '2m', 1, 'web-0.1']);
  });

  it('computes PV and PVC cells', () => {
    const pv = {
      kind: 'PersistentVolume',
      metadata: { name: 'pvc-1', creationTimestamp: '2019-06-13T13:00:00Z' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'cassandra', name: 'data' }, storageClassName: 'thin' },
      status: { phase: 'Bound' },
    };
    expect(tableCells('PersistentVolume', pv, old)).toEqual(['pvc-1', '1Gi', 'RWO', 'Delete', 'Bound', 'cassandra/data', 'thin', '', '60m', '<unset>']);
    const pending = { kind: 'PersistentVolumeClaim', metadata: { name: 'data', creationTimestamp: '2019-06-13T13:00:00Z' }, spec: { storageClassName: 'thin' }, status: { phase: 'Pending', capacity: { storage: '1Gi' } } };
    expect(tableCells('PersistentVolumeClaim', pending, ctx)).toEqual(['data', 'Pending', '', '', '', 'thin', '<unset>', '60m', '<unset>']);
  });

  it('formats selectors and access modes as upstream', () => {
    expect(formatLabelSelector({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] })).toBe('a=1,b=2,tier in (api,web)');
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(accessModes(['ReadWriteMany', 'ReadWriteOnce'])).toBe('RWO,RWX');
  });
});

describe('toTable', () => {
  it('builds a meta.k8s.io/v1 Table with row objects as asked', () => {
    const node = { kind: 'Node', apiVersion: 'v1', metadata: { name: 'w1', resourceVersion: '7' } };
    const metadata = toTable('Node', [node], { ...ctx, include: 'Metadata', resourceVersion: '9' }) as { metadata: object; rows: { object: object }[] };
    expect(metadata.metadata).toEqual({ resourceVersion: '9' });
    expect(metadata.rows[0]!.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: node.metadata });
    expect((toTable('Node', [node], { ...ctx, include: 'Object' }) as { rows: { object: object }[] }).rows[0]!.object).toBe(node);
    expect((toTable('Node', [node], { ...ctx, include: 'None', omitColumns: true }) as { columnDefinitions: null; rows: object[] })).toMatchObject({ columnDefinitions: null, rows: [{ cells: expect.any(Array) }] });
  });

  it('recognises kubectl get Accept headers', () => {
    expect(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json')).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(wantsTable('application/vnd.kubernetes.protobuf,application/json')).toBe(false);
  });
});

describe('tableJson', () => {
  const pods = [
    { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns', resourceVersion: '3', creationTimestamp: '2019-06-13T13:00:00Z' }, spec: { nodeName: 'w-1', containers: [{ name: 'c' }] }, status: { phase: 'Running', podIP: '10.0.0.1' } },
    { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'b', namespace: 'ns', creationTimestamp: '2019-06-13T13:30:00Z' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Pending' } },
  ];
  const event = { kind: 'Event', apiVersion: 'v1', metadata: { name: 'e', namespace: 'ns' }, eventTime: '2019-06-13T13:00:10Z', reason: 'X', involvedObject: { kind: 'Pod', name: 'a' } };

  it('is byte for byte JSON.stringify(toTable(…)) for every includeObject, with and without columns', () => {
    for (const include of ['None', 'Metadata', 'Object'] as const) {
      for (const omitColumns of [false, true]) {
        const options = { ...ctx, include, omitColumns, resourceVersion: '42' };
        expect(tableJson('Pod', pods, options).toString('utf8')).toBe(JSON.stringify(toTable('Pod', pods, options)));
        expect(tableJson('Event', [event], options).toString('utf8')).toBe(JSON.stringify(toTable('Event', [toWire(event)], options)));
      }
    }
    expect(tableJson('Pod', [], { ...ctx, include: 'Metadata' }).toString('utf8')).toBe(JSON.stringify(toTable('Pod', [], { ...ctx, include: 'Metadata' })));
  });
});
