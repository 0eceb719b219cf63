import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation, Informer } from '@failsim/core';
import { ActualStateOfWorld } from './actual-state-of-world.js';
import { NodeStatusUpdater } from './node-status-updater.js';

describe('NodeStatusUpdater', () => {
  it('writes volumesAttached with device paths, and skips a missing Node', () => {
    const sim = createSimulation();
    const client = sim.api.client('attachdetach-controller');
    client.create('Node', { metadata: { name: 'w1' } });
    const nodes = new Informer(client, 'Node');
    nodes.events$.subscribe();
    const asw = new ActualStateOfWorld();
    const updater = new NodeStatusUpdater(client, nodes, asw);
    asw.markVolumeAsAttached('p/v2', undefined, 'w1', '/dev/sdc');
    asw.markVolumeAsAttached('p/v1', undefined, 'w1', '/dev/sdb');
    asw.markVolumeAsAttached('p/v1', undefined, 'gone', '/dev/sdb');
    updater.updateNodeStatuses();
    const node = client.get('Node', 'w1');
    expect(E.isRight(node) && node.right.status?.volumesAttached).toEqual([
      { name: 'p/v1', devicePath: '/dev/sdb' },
      { name: 'p/v2', devicePath: '/dev/sdc' },
    ]);
    expect(asw.statusUpdateNeeded).toBe(false);
    asw.removeVolumeFromReportAsAttached('p/v1', 'gone');
    expect(E.isRight(updater.updateNodeStatusForNode('gone'))).toBe(true);
  });
});
