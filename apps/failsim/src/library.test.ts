import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { findLibraryScenario, libraryDir, libraryScenarios } from './library.js';

describe('library', () => {
  it('finds packages/scenarios/library and lists its scenarios, each found by name', () => {
    expect(libraryDir()).toMatch(/packages[\\/]scenarios[\\/]library$/);
    const entries = libraryScenarios();
    expect(entries.map((e) => e.name)).toContain('statefulset-node-poweroff');
    for (const entry of entries) {
      expect(existsSync(entry.file)).toBe(true);
      expect(findLibraryScenario(entry.name)).toBe(entry.file);
    }
    expect(findLibraryScenario('no-such-scenario')).toBeUndefined();
    expect(libraryScenarios('/no/such/folder')).toEqual([]);
  });
});
