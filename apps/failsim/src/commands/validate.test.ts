import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingIo } from '../test-io.js';
import { validate } from './validate.js';

const good = join(import.meta.dirname, '..', '..', '..', '..', 'packages', 'scenarios', 'src', 'runner', 'testdata', 'statefulset-node-poweroff.yaml');

describe('failsim validate', () => {
  it('prints FILE: ok for a valid scenario', () => {
    const io = recordingIo();
    expect(validate(io, [good])).toBe(0);
    expect(io.text.out).toBe(`${good}: ok\n`);
  });

  it('prints every error as file:line:column: path: message and exits 2', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'failsim-validate-')), 'bad.yaml');
    writeFileSync(bad, 'metadata: { name: x, title: X }\nprofile: "1.12"\nstorage: vcp\ncluster: { nodes: [{ name: w, role: worker }] }\nsteps:\n  - at: 5 minutes\n    run: kubectl delete node w\n');
    const io = recordingIo();
    expect(validate(io, [good, bad])).toBe(2);
    const lines = io.text.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`${good}: ok`);
    expect(lines).toContain(`${bad}:6:9: steps[0].at: invalid duration "5 minutes" (use 30s, 5m, 1h)`);
  });
});
