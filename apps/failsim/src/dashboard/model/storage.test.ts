import { describe, expect, it } from '@jest/globals';
import { afterPowerOff, runUntil, testSession } from '../test-session.js';
import { sampleStorage } from './storage.js';

describe('sampleStorage', () => {
  it('follows Pod → PVC → PV → VMDK → VM with both views of the attachment, and no broken link while Running', () => {
    const session = testSession();
    expect(runUntil(session, () => session.run.nextStep()?.id === 'poweroff')).toBe(true);
    const [chain] = sampleStorage(session.run);
    expect(chain).toMatchObject({ pod: 'cassandra/cassandra-0', pvc: 'cassandra/cassandra-data-cassandra-0', pvcPhase: 'Bound' });
    expect(chain?.pv).toMatch(/^pvc-/);
    expect(chain?.vmdk).toMatch(/^\[vsanDatastore\] /);
    expect(chain?.vms.map((v) => v.node)).toEqual([chain?.podNode]);
    expect(chain?.attachedPerKubernetes).toEqual([chain?.podNode]);
    expect(chain?.problem).toBeUndefined();
  });

  it('after kubectl delete node: the Multi-Attach link is flagged, then the wait for the force detach', () => {
    const session = afterPowerOff(60);
    const node = sampleStorage(session.run)[0]!.podNode;
    expect(session.command(`kubectl delete node ${node}`)._tag).toBe('Right');
    expect(runUntil(session, () => sampleStorage(session.run)[0]?.problem?.kind === 'multi-attach', 60_000)).toBe(true);
    expect(sampleStorage(session.run)[0]?.problem?.text).toMatch(new RegExp(`^Multi-Attach: pvc-\\S+ is still attached to ${node}$`));
  });
});
