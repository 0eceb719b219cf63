import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordingIo } from '../test-io.js';
import { show } from './show.js';

const file = join(import.meta.dirname, '..', '..', '..', '..', 'packages', 'scenarios', 'src', 'runner', 'testdata', 'statefulset-node-poweroff.yaml');

describe('failsim show', () => {
  it('prints the scenario file as written', () => {
    const io = recordingIo();
    expect(show(io, file)).toBe(0);
    expect(io.text.out).toBe(readFileSync(file, 'utf8'));
  });

  it('exits 2 with one line for a missing file or an unknown name', () => {
    const io = recordingIo();
    expect(show(io, 'missing/x.yaml')).toBe(2);
    expect(show(io, 'no-such-scenario')).toBe(2);
    expect(io.text.err).toBe('error: cannot read missing/x.yaml: no such file\nerror: unknown scenario "no-such-scenario" (failsim list shows the library, or give a file path)\n');
  });
});
