import { describe, expect, it } from '@jest/globals';
import * as E from 'fp-ts/lib/Either.js';
import { createSimulation } from '@failsim/core';
import { profile114 } from '../profiles/profiles.js';
import { defaultTimings } from '../runtime/context.js';
import { PvProtectionController } from './pv-protection-controller.js';

const must = <T>(result: E.Either<{ message: string }, T>): T => {
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

describe('PvProtectionController', () => {
  it('adds the finalizer, holds a deleted Bound volume, and lets it go once released', () => {
    const sim = createSimulation();
    new PvProtectionController({ sim, profile: profile114, timings: defaultTimings }).start();
    const kubectl = sim.api.client('kubectl');
    must(kubectl.create('PersistentVolume', { metadata: { name: 'pv-1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }));
    sim.clock.runFor(0);
    const pv = must(kubectl.get('PersistentVolume', 'pv-1'));
    expect(pv.metadata?.finalizers).toEqual(['kubernetes.io/pv-protection']);
    must(kubectl.updateStatus('PersistentVolume', { ...pv, status: { phase: 'Bound' } }));
    must(kubectl.delete('PersistentVolume', 'pv-1'));
    sim.clock.runFor(60_000);
    const held = must(kubectl.get('PersistentVolume', 'pv-1'));
    expect(held.metadata?.deletionTimestamp).toBeDefined();
    must(kubectl.updateStatus('PersistentVolume', { ...held, status: { phase: 'Released' } }));
    sim.clock.runFor(0);
    expect(E.isLeft(kubectl.get('PersistentVolume', 'pv-1'))).toBe(true);
  });
});
