import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileTable } from './profile-table.js';
import { profiles } from './profiles.js';

describe('profileTable', () => {
  it('has a column per profile and a row per documented default', () => {
    const lines = profileTable().split('\n');
    expect(lines[0]).toBe(`| | ${profiles.map((p) => p.name).join(' | ')} |`);
    expect(lines).toContain('| nodeMonitorGracePeriod | 40 s | 40 s | 40 s | 40 s | 50 s |');
    expect(lines).toContain('| pod GC orphan quarantine | none | none | 40 s | 40 s | 40 s |');
  });

  it('is what the package README shows', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(profileTable());
  });
});
