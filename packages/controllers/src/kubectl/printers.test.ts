import { describe, expect, it } from '@jest/globals';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { DESCRIBE_TAB_WRITER, GET_TAB_WRITER, podColumns, tabwrite } from './printers.js';

const pod = (status: Pod['status'], deleting = false): Pod => ({
  metadata: { name: 'web-0', ...(deleting ? { deletionTimestamp: '2019-06-01T00:05:00Z' } : {}) },
  spec: { containers: [{ name: 'nginx' }, { name: 'sidecar' }] },
  status,
});

describe('podColumns', () => {
  it('shows Running with ready counts and restarts', () => {
    const running = { running: { startedAt: 'x' } };
    expect(podColumns(pod({ phase: 'Running', containerStatuses: [
      { name: 'nginx', ready: true, restartCount: 2, image: 'nginx', imageID: '', state: running },
      { name: 'sidecar', ready: false, restartCount: 0, image: 'x', imageID: '', state: running },
    ] }))).toEqual({ ready: '1/2', status: 'Running', restarts: 2 });
  });

  it('shows a waiting reason: ContainerCreating, CrashLoopBackOff', () => {
    const waiting = (reason: string) => ({ name: 'nginx', ready: false, restartCount: 3, image: 'nginx', imageID: '', state: { waiting: { reason } } });
    expect(podColumns(pod({ phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] })).status).toBe('ContainerCreating');
    expect(podColumns(pod({ phase: 'Running', containerStatuses: [waiting('CrashLoopBackOff')] }))).toEqual({ ready: '0/2', status: 'CrashLoopBackOff', restarts: 3 });
  });

  it('shows Terminating for a pod being deleted, and Unknown when the node controller marked it NodeLost', () => {
    expect(podColumns(pod({ phase: 'Running' }, true)).status).toBe('Terminating');
    expect(podColumns(pod({ phase: 'Running', reason: 'NodeLost', message: 'Node w1 which was running pod web-0 is unresponsive' }, true)).status).toBe('Unknown');
    expect(podColumns(pod({ phase: 'Running', reason: 'NodeLost' })).status).toBe('NodeLost');
  });

  it('shows init container progress', () => {
    const p: Pod = { ...pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, image: 'x', imageID: '', state: { running: {} } }] }), spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'c' }] } };
    expect(podColumns(p).status).toBe('Init:0/1');
  });
});

describe('tabwrite', () => {
  it('aligns columns 3 spaces apart with a minimum width of 6, like kubectl get', () => {
    expect(tabwrite('NAME\tAGE\tX\na\t5m19s\ty\n', GET_TAB_WRITER)).toEqual(['NAME   AGE     X', 'a      5m19s   y']);
  });

  it('ends a column at a line without that cell, and pads trailing cells inside an outer column like Go', () => {
    const text = 'Name:\tweb-0\nLabels:\ta=b\n\tc=d\nContainers:\n  web:\n    Image:\tnginx\n    Restart Count:\t0\nConditions:\nIP:\t\n';
    expect(tabwrite(text, DESCRIBE_TAB_WRITER)).toEqual([
      'Name:    web-0',
      'Labels:  a=b',
      '         c=d',
      'Containers:',
      '  web:',
      '    Image:          nginx',
      '    Restart Count:  0',
      'Conditions:',
      'IP:  ',
    ]);
  });
});
