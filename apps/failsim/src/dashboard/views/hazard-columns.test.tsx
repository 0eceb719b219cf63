import { describe, expect, it } from '@jest/globals';
import { sampleHazards } from '../model/hazards.js';
import { plainFrame } from './fixtures.js';
import { HAZARD_COLUMNS } from './hazard-columns.js';
import { ListView } from './ListView.js';

const rows = sampleHazards([
  { at: 791, kind: 'DetachedWhileMounted', object: 'Pod/cassandra/cassandra-0', message: 'disk [vsanDatastore] kubevols/pvc-1.vmdk of PersistentVolume pvc-1 was removed from VM worker-2 while Pod cassandra/cassandra-0 on node worker-2 still has it mounted' },
  { at: 806.512, kind: 'SplitBrain', object: 'Pod/cassandra/cassandra-0', message: '2 copies of StatefulSet cassandra/cassandra identity cassandra-0 are running at once' },
]);

describe('HAZARD_COLUMNS', () => {
  it('lists hazards newest first: T+ time, ⚠ kind in words, object, message', () => {
    const lines = plainFrame(<ListView title="Hazards" columns={HAZARD_COLUMNS} rows={rows} width={200} height={6} empty="No hazards." />).split('\n');
    expect(lines[0]).toMatch(/^── Hazards\[2\] ─/);
    expect(lines[1]).toMatch(/^TIME +KIND +OBJECT +MESSAGE$/);
    expect(lines[2]).toMatch(/^T\+13:26 +⚠ SplitBrain +pod\/cassandra\/cassandra-0 +2 copies of StatefulSet cassandra\/cassandra identity cassandra-0 are running at once$/);
    expect(lines[3]).toMatch(/^T\+13:11 +⚠ DetachedWhileMounted +pod\/cassandra\/cassandra-0 +disk \[vsanDatastore\]/);
  });

  it('gives the kind the error role (the ⚠ and the words say it without colour)', () => {
    const kind = HAZARD_COLUMNS.find((c) => c.title === 'KIND');
    expect(rows.map((r) => kind?.role?.(r))).toEqual(['error', 'error']);
  });
});
