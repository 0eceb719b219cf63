// Rows for the view specs: what the samplers return for the seed power-off, written out
// so each component is tested on its own, without a run.
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import type { ClockGroup } from '../model/clocks.js';
import type { EventRow } from '../model/events.js';
import type { HeaderData } from '../model/header.js';
import type { NodeRow } from '../model/nodes.js';
import type { PodRow } from '../model/pods.js';
import type { StorageChain } from '../model/storage.js';
import type { BoshTaskRow, VsphereTaskRow } from '../model/tasks.js';
import { ThemeContext } from '../theme-context.js';
import { NO_COLOR_THEME } from '../theme.js';

/** A node row; `over` replaces columns. */
export const nodeRow = (name: string, over: Partial<NodeRow> = {}): NodeRow => ({
  name, status: 'Ready', roles: '<none>', age: '5m', version: 'v1.12.4', internalIp: '10.0.0.11', vm: name, power: 'poweredOn', heartbeat: '3s', taints: '<none>', pods: 3, ...over,
});

/** A pod row; `over` replaces columns. */
export const podRow = (name: string, over: Partial<PodRow> = {}): PodRow => ({ namespace: 'cassandra', name, ready: '1/1', status: 'Running', restarts: 0, age: '5m', node: 'worker-2', ...over });

/** An event row; `over` replaces columns. */
export const eventRow = (reason: string, over: Partial<EventRow> = {}): EventRow => ({
  lastSeen: '10s', type: 'Normal', reason, object: 'pod/cassandra-0', objectKey: 'cassandra/cassandra-0', count: 1, message: `${reason} happened`, ...over,
});

/** The seed's claim, with the Multi-Attach error. */
export const brokenChain: StorageChain = {
  pod: 'cassandra/cassandra-0', podNode: 'worker-0', pvc: 'cassandra/cassandra-data-cassandra-0', pvcPhase: 'Bound', pv: 'pvc-1', vmdk: '[vsanDatastore] kubevols/pvc-1.vmdk',
  vms: [{ vm: 'worker-2', node: 'worker-2', power: 'poweredOff' }], attachedPerKubernetes: [], lock: '-',
  problem: { kind: 'multi-attach', text: 'Multi-Attach: pvc-1 is still attached to worker-2' },
};

/** A claim whose chain is intact. */
export const intactChain: StorageChain = {
  pod: 'cassandra/cassandra-1', podNode: 'worker-2', pvc: 'cassandra/data-1', pvcPhase: 'Bound', pv: 'pvc-2', vmdk: '[vsanDatastore] kubevols/pvc-2.vmdk',
  vms: [{ vm: 'worker-2', node: 'worker-2', power: 'poweredOn' }], attachedPerKubernetes: ['worker-2'], lock: 'worker-2 on esxi-03',
};

/** Two owners' timers. */
export const clockGroups: ClockGroup[] = [
  { owner: 'node-controller', timers: [{ purpose: 'grace period of node worker-2', dueAt: 40_000, countdown: 'in 40s' }] },
  { owner: 'attachdetach-controller', timers: [{ purpose: 'force detach of pvc-1 from worker-2', dueAt: 360_000, countdown: 'in 6m0s' }, { purpose: 'reconciler max wait', dueAt: 400_000, countdown: 'in 6m40s' }] },
];

/** vCenter tasks: one failed, one done. */
export const vsphereTasks: VsphereTaskRow[] = [
  { id: 'task-2', name: 'ReconfigVM_Task', target: 'worker-0', status: 'Failed', error: "Failed to add disk 'scsi1:0'.", initiator: 'VSPHERE.LOCAL\\Administrator', started: 'T+08:00', completed: 'T+08:02' },
  { id: 'task-1', name: 'PowerOffVM_Task', target: 'worker-2', status: 'Completed', error: '', initiator: 'govc', started: 'T+02:00', completed: 'T+02:01' },
];

/** Director tasks. */
export const boshTasks: BoshTaskRow[] = [
  { id: 12, state: 'error', description: 'scan and fix', deployment: 'service-instance_3aa87d05', started: 'T+10:00', finished: 'T+10:30', result: 'Timed out sending reboot' },
  { id: 11, state: 'done', description: 'scan cloud', deployment: 'service-instance_3aa87d05', started: 'T+09:00', finished: 'T+09:10', result: '1 problem' },
];

/** The header of the seed, paused. */
export const headerData: HeaderData = {
  scenario: 'statefulset-node-poweroff', profile: '1.12', storage: 'kubernetes.io/vsphere-volume (VCP)', time: 'T+02:50', date: '2019-06-13 13:02:50 UTC', speed: '10×', state: 'paused', next: 'delete-node: kubectl delete node worker-2 at T+1:11:22',
};

// ESC [ … m: the select-graphic-rendition sequences chalk writes for bold and inverse.
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * The last frame of `el` as plain text: drawn with the no-colour theme, and with the
 * escape codes of bold and inverse removed (a CI environment makes chalk emit them), so
 * also without the blanks Ink keeps before a closing code.
 */
export const plainFrame = (el: ReactElement): string =>
  (render(<ThemeContext.Provider value={NO_COLOR_THEME}>{el}</ThemeContext.Provider>).lastFrame() ?? '')
    .replace(SGR, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');

