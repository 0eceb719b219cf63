import { describe, expect, it } from '@jest/globals';
import { complete, viewFor } from './views.js';

describe('views', () => {
  it('resolves kubectl names and aliases', () => {
    expect(viewFor('po')).toBe('pods');
    expect(viewFor('no')).toBe('nodes');
    expect(viewFor('PVC')).toBe('storage');
    expect(viewFor('ev')).toBe('events');
    expect(viewFor('bosh')).toBe('bosh');
    expect(viewFor('kubectl')).toBeUndefined();
  });

  it('completes view names and step tools', () => {
    expect(complete('ku')).toEqual(['kubectl']);
    expect(complete('cl')).toEqual(['clocks', 'clock']);
    expect(complete('kubectl get')).toEqual([]);
  });
});
